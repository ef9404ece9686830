/* config - config.yaml: one typed schema table, defaults, overrides */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "config.h"
#include "models/model.h"
#include "timeutil.h"

/*
 * The schema table. A row is one macro call; INT and NUMBER rows get their
 * range text from the bounds as written, so the two cannot disagree.
 * Defaults of STRING and ENUM rows are literal text, the others YAML.
 * STRING rows use min and max as bounds on the length in bytes (max 0: no
 * bound), with the range text saying so. A LIST row with the range
 * MODELS takes only names of the model table.
 */
#define S(k, d, doc)         { k, FC_CT_STRING, d, NULL, 0, 0, doc }
#define SN(k, d, doc)        { k, FC_CT_STRING, d, "non-empty", 1, 0, doc }
#define S1(k, d, doc)        { k, FC_CT_STRING, d, "one byte", 1, 1, doc }
#define E(k, d, r, doc)      { k, FC_CT_ENUM, d, r, 0, 0, doc }
#define I(k, d, lo, hi, doc) { k, FC_CT_INT, d, #lo "-" #hi, lo, hi, doc }
#define N(k, d, lo, hi, doc) { k, FC_CT_NUMBER, d, #lo "-" #hi, lo, hi, doc }
#define B(k, d, doc)         { k, FC_CT_BOOL, d, NULL, 0, 0, doc }
#define L(k, d, doc)         { k, FC_CT_LIST, d, NULL, 0, 0, doc }
#define LR(k, d, r, doc)     { k, FC_CT_LIST, d, r, 0, 0, doc }
#define M(k, d, r, doc)      { k, FC_CT_MAP, d, r, 0, 0, doc }
#define T(k, d, r, doc)      { k, FC_CT_TREE, d, r, 0, 0, doc }

#define IMPUTE "none|zero|ffill|bfill|linear|seasonal|mean"
#define TYPES  "string|number|integer|boolean|date|datetime"
#define FREQ   "a frequency or empty"
#define CAL    "year|quarter|month|week_of_year|day_of_week|day_of_month|" \
	       "day_of_year|hour|is_weekend|is_month_end"
#define LMAPS  "list of maps"
#define MODELS "model names"

static const fc_ckey table[] = {
	SN("project.name", "fc",
	  "name of every layer file: data/01_raw/NAME.csv and so on"),
	I("project.seed", "42", 0, 2147483647,
	  "seed of every random draw"),

	SN("paths.raw", "data/01_raw", "folder of the raw layer"),
	SN("paths.cleansed", "data/02_cleansed", "folder of the cleansed layer"),
	SN("paths.features", "data/03_features", "folder of the feature layer"),
	SN("paths.processed", "data/04_processed",
	  "folder of the processed layer"),
	SN("paths.outputs", "outputs",
	  "folder of models, forecasts, reports and figures"),

	S("load.source", "",
	  "the source: a CSV file, - for stdin, or a sqlite:, postgresql:// "
	  "or http(s):// URL"),
	M("load.columns", "{}", TYPES,
	  "data contract: column name to type; empty: no contract"),
	I("load.max_errors", "20", 1, 1000000,
	  "data errors reported before giving up"),
	S1("load.delimiter", ",", "field delimiter of the source, one byte"),
	L("load.na_values",
	  "['', NA, N/A, NaN, nan, 'null', 'NULL', None, '-']",
	  "cell texts that mean a missing value"),
	I("load.timeout", "30", 1, 86400,
	  "seconds a database or HTTP source may stay silent before an "
	  "attempt fails"),
	I("load.retries", "3", 0, 10,
	  "further attempts when a network source is unreachable, times out "
	  "or answers 429 or 5xx"),

	SN("schema.id", "unique_id", "column of the series id"),
	SN("schema.time", "ds", "column of the timestamp"),
	SN("schema.target", "y", "column of the target"),
	{ "schema.frequency", FC_CT_STRING, "", FREQ, 0, 0,
	  "frequency of the series (D, W, M, Q, Y, H, 15min ...); empty: infer" },
	I("schema.season_length", "0", 0, 10000,
	  "periods in a season; 0: from the frequency"),
	S("schema.time_format", "",
	  "strptime format of the timestamps; empty: ISO 8601"),

	E("clean.duplicates", "error", "error|first|last|mean|sum",
	  "what to do with rows that share (id, time)"),
	B("clean.reindex", "true",
	  "insert the missing periods of a series as empty rows"),
	E("clean.impute.target", "linear", IMPUTE,
	  "how missing target values are filled"),
	E("clean.impute.features", "ffill", IMPUTE,
	  "how missing feature values are filled"),
	I("clean.impute.max_gap", "0", 0, 1000000,
	  "longest run of missing periods filled; 0: no limit"),
	E("clean.outliers.method", "none", "none|iqr|hampel",
	  "how outliers of the target are found"),
	E("clean.outliers.action", "clip", "clip|null",
	  "what is done to an outlier: clip to the fence, or make it missing"),
	N("clean.outliers.iqr_k", "1.5", 0.01, 100,
	  "iqr method: fences at k interquartile ranges beyond the quartiles"),
	I("clean.outliers.window", "7", 3, 1001,
	  "hampel method: width of the rolling window, in periods"),
	N("clean.outliers.threshold", "3", 0.1, 100,
	  "hampel method: scaled deviations from the rolling median"),

	L("features.calendar", "[]",
	  "calendar features of each row's time, in this order"),
	T("features.fourier", "[]", LMAPS,
	  "fourier terms: {period, k} gives k sine and cosine pairs"),
	T("features.lags", "{}", "map",
	  "lags: column name to a list of lags in periods"),
	T("features.rolling", "[]", LMAPS,
	  "rolling statistics of past values: {column, window, stats}"),
	L("features.diffs", "[]",
	  "lags k of the target difference y[t-1] - y[t-1-k]"),
	T("features.holidays", "[]", LMAPS,
	  "holidays: {name, date | month weekday nth | easter}"),
	T("features.exogenous", "[]", LMAPS,
	  "csv files joined on (id, time) or time: {path, on, columns}"),

	L("processed.columns", "[]",
	  "columns kept besides id, time and target; empty: all"),
	L("processed.drop", "[]", "columns removed"),
	{ "processed.frequency", FC_CT_STRING, "", FREQ, 0, 0,
	  "frequency to aggregate to; empty: keep the layer's" },
	M("processed.aggregate", "{}", "sum|mean|last",
	  "aggregation of a column; unlisted columns: mean"),
	I("processed.window", "0", 0, 100000000,
	  "periods kept at the end of each series' history; 0: all"),
	E("processed.incomplete", "drop", "drop|fill|keep",
	  "rows at a series' start with empty features"),
	N("processed.fill_value", "0", -1e300, 1e300,
	  "the value incomplete features get when filled"),

	LR("train.models", "[auto]", MODELS,
	   "candidate models, compared per series by cross-validation"),
	LR("train.ensemble.members", "[ets_weighted, theta, dotm]", MODELS,
	   "the models the ensemble model combines"),
	E("train.ensemble.combine", "mean", "median|mean",
	  "how the ensemble combines its members' forecasts"),
	L("train.mstl.periods", "[]",
	  "seasonal periods of the mstl model; empty: the season length"),
	S("train.mstl.model", "ses",
	  "the model of the seasonally adjusted series in mstl"),
	E("train.selection.metric", "mase", "mase|smape|mae|rmse",
	  "accuracy measure that picks the model of a series"),
	I("train.selection.windows", "3", 0, 1000,
	  "rolling-origin cross-validation windows; 0: no cross-validation"),
	I("train.selection.step", "1", 1, 100000,
	  "periods between two cross-validation origins"),
	L("train.regression.columns", "[]",
	  "feature columns of the regression model; []: every numeric one"),
	N("train.regression.ridge", "0", 0, 1e300,
	  "ridge penalty of the regression coefficients but the intercept"),
	E("train.regression.future", "error", "error|last",
	  "an empty driver in a future row: an error, or its last value"),

	I("predict.horizon", "12", 1, 100000,
	  "periods forecast after each series' last time"),
	L("predict.levels", "[80, 95]",
	  "prediction interval levels in percent"),

	N("monitor.ks_pvalue", "0.05", 0, 1,
	  "kolmogorov-smirnov test: drift when the p-value is at most this"),
	I("monitor.ks_max_rows", "1000", 1, 1000000000,
	  "reference rows up to which numeric columns get the ks test"),
	N("monitor.wasserstein", "0.1", 0, 1000000,
	  "above ks_max_rows: drift when the wasserstein distance over the "
	  "reference's standard deviation is at least this"),
	N("monitor.chi_pvalue", "0.05", 0, 1,
	  "chi-square test of categorical columns: drift when the p-value "
	  "is below this"),
	I("monitor.categorical_max_unique", "5", 0, 1000000,
	  "a numeric column with at most this many distinct values is "
	  "categorical"),
	I("monitor.psi_bins", "10", 2, 1000,
	  "quantile bins of the reference for the psi of a numeric column"),
	N("monitor.psi_warn", "0.1", 0, 1000000,
	  "a psi at least this warns"),
	N("monitor.psi_alert", "0.2", 0, 1000000,
	  "a psi at least this alerts"),
	N("monitor.share", "0.5", 0, 1,
	  "the dataset drifts when at least this share of its columns drift"),
	N("monitor.degradation", "0.1", 0, 1000000,
	  "accuracy is degraded when worse than cross-validation by more than "
	  "this share"),
	E("monitor.fail_on", "none", "none|warn|alert",
	  "fc-drift exits 1 when the status reaches this"),
	I("monitor.current_periods", "0", 0, 100000000,
	  "periods at the end of each series that are the current data; 0: "
	  "predict.horizon"),
	I("monitor.reference_periods", "0", 0, 100000000,
	  "periods before them that are the reference; 0: all"),
	T("simulate.scenarios", "[]", LMAPS,
	  "what-if scenarios: a name and changes to drivers or the target"),
	T("simulate.sensitivity", "{}", "map",
	  "a column and relative changes for the elasticity table"),
	I("simulate.paths", "1000", 0, 1000000,
	  "sample paths of each series' forecast; 0: none"),
	T("simulate.thresholds", "{}", "map",
	  "per series id (or '*' for all) a horizon total to exceed"),
	B("report.history", "true",
	  "keep a copy of every run report in reports/history/"),
	I("report.figures.max_series", "12", 0, 100000,
	  "series drawn, the largest by mean absolute target first"),
	I("report.figures.history", "0", 0, 100000000,
	  "periods of history drawn before the forecast; 0: all"),
	B("report.figures.png", "true",
	  "also write each figure as png when rsvg-convert is installed"),

	I("runtime.threads", "0", 0, 1024, "worker threads; 0: all CPUs"),
};

#define NKEYS (sizeof table / sizeof table[0])

/* LIST keys whose items must be one of a few words (too many for the
 * range column of the man page). */
static const struct {
	const char *key, *choices;
} list_words[] = {
	{ "features.calendar", CAL },
};

static const char *
list_choices(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof list_words / sizeof list_words[0]; i++)
		if (strcmp(list_words[i].key, key) == 0)
			return list_words[i].choices;
	return NULL;
}

/* The value of one key. */
typedef struct cval {
	char *s;                /* STRING, ENUM */
	long i;                 /* INT */
	double d;               /* NUMBER */
	int b;                  /* BOOL */
	char **item;            /* LIST items; MAP keys */
	char **val;             /* MAP values */
	size_t n;               /* LIST, MAP: count */
	fc_cnode *tree;         /* TREE */
	long line;              /* line the file set it on; 0: not set */
	int origin;             /* 0 default, 1 the file, 2 an override */
} cval;

struct fc_config {
	char *file;
	cval v[NKEYS];
};

/* Where values come from, for error messages. */
typedef struct ctx {
	fc_config *c;
	const char *file;       /* "config.yaml", "-s" */
	int lines;              /* report node lines */
	int once;               /* a key set twice is an error (the file) */
	fc_err *err;
} ctx;

const fc_ckey *
fc_config_keys(size_t *n)
{
	if (n)
		*n = NKEYS;
	return table;
}

static long
find_key(const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(table[i].key, key) == 0)
			return (long)i;
	return -1;
}

const fc_ckey *
fc_config_key(const char *key)
{
	long i = find_key(key);

	return i < 0 ? NULL : &table[i];
}

const char *
fc_config_type_name(fc_ctype t)
{
	static const char *const names[] = {
		"string", "enum", "int", "number", "bool", "list", "map",
		"tree"
	};

	return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* 1 when `name` is a block or group: some key starts with "name.". */
static int
is_group(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strncmp(table[i].key, name, len) == 0 &&
		    table[i].key[len] == '.')
			return 1;
	return 0;
}

/* ---- values ---- */

static void
strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free what node t holds (not t itself). */
static void
cnode_clear(fc_cnode *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; t->kid && i < t->n; i++)
		cnode_clear(&t->kid[i]);
	if (t->key)
		strv_free(t->key, t->n);
	free(t->kid);
	free(t->text);
	memset(t, 0, sizeof *t);
}

static void
cval_free(cval *v)
{
	free(v->s);
	strv_free(v->item, v->n);
	strv_free(v->val, v->n);
	cnode_clear(v->tree);
	free(v->tree);
	memset(v, 0, sizeof *v);
}

void
fc_config_free(fc_config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		cval_free(&c->v[i]);
	free(c->file);
	free(c);
}

/* ---- errors ---- */

static int
vfail(ctx *x, int status, const yaml_node_t *n, const char *fmt,
      va_list ap)
{
	char msg[sizeof x->err->msg];

	vsnprintf(msg, sizeof msg, fmt, ap);
	return fc_err_set(x->err, status, x->file,
			  x->lines && n ? (long)n->start_mark.line + 1 : 0,
			  "%s", msg);
}

static int
fail(ctx *x, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	st = vfail(x, FC_EX_CONFIG, n, fmt, ap);
	va_end(ap);
	return st;
}

static int
nomem(ctx *x)
{
	return fc_err_set(x->err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

/* ---- nodes ---- */

static const char *
text(const yaml_node_t *n)
{
	const char *s = n ? (const char *)n->data.scalar.value : NULL;

	return s ? s : "";
}

static int
is_scalar(const yaml_node_t *n)
{
	return n == NULL || n->type == YAML_SCALAR_NODE;
}

static int
is_plain(const yaml_node_t *n)
{
	return n == NULL || n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A plain empty, ~ or null scalar, or no node at all (an empty -s). */
static int
is_null(const yaml_node_t *n)
{
	const char *t = text(n);

	return is_scalar(n) && is_plain(n) &&
	       (t[0] == '\0' || strcmp(t, "~") == 0 ||
		strcmp(t, "null") == 0 || strcmp(t, "Null") == 0 ||
		strcmp(t, "NULL") == 0);
}

/* What a node is, for "expected X, got Y". */
static const char *
describe(const yaml_node_t *n, char *buf, size_t len)
{
	if (n && n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n && n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (is_plain(n) && text(n)[0] == '\0')
		return "nothing";
	snprintf(buf, len, "%s'%s'", is_plain(n) ? "" : "string ", text(n));
	return buf;
}

static int
wrong_type(ctx *x, const char *key, const char *want, const yaml_node_t *n)
{
	char buf[256];

	return fail(x, n, "key '%s': expected %s, got %s", key, want,
		    describe(n, buf, sizeof buf));
}

/* ---- conversions: node to value ---- */

static int
in_choices(const char *s, const char *choices)
{
	size_t len = strlen(s);
	const char *p = choices;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t plen = bar ? (size_t)(bar - p) : strlen(p);

		if (plen == len && strncmp(p, s, len) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

static int
to_int(ctx *x, const fc_ckey *k, const yaml_node_t *n, cval *v)
{
	const char *t = text(n), *p = t;
	char *end;
	long i;

	if (!is_scalar(n) || !is_plain(n))
		return wrong_type(x, k->key, "an integer", n);
	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return wrong_type(x, k->key, "an integer", n);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '\0')
		return wrong_type(x, k->key, "an integer", n);
	errno = 0;
	i = strtol(t, &end, 10);
	if (errno == ERANGE || (double)i < k->min || (double)i > k->max)
		return fail(x, n, "key '%s': %s is out of range (%s)", k->key,
			    t, k->range);
	v->i = i;
	return 0;
}

static int
to_num(ctx *x, const fc_ckey *k, const yaml_node_t *n, cval *v)
{
	const char *t = text(n);
	char *end;
	double d;

	if (!is_scalar(n) || !is_plain(n) || t[0] == '\0' ||
	    !strchr("+-.0123456789", t[0]))
		return wrong_type(x, k->key, "a number", n);
	errno = 0;
	d = strtod(t, &end);
	if (*end != '\0' || isnan(d) || (isinf(d) && errno != ERANGE))
		return wrong_type(x, k->key, "a number", n);
	if (!isfinite(d) || d < k->min || d > k->max)
		return fail(x, n, "key '%s': %s is out of range (%s)", k->key,
			    t, k->range);
	v->d = d;
	return 0;
}

static int
to_bool(ctx *x, const fc_ckey *k, const yaml_node_t *n, cval *v)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	const char *t = text(n);
	size_t i;

	if (is_scalar(n) && is_plain(n))
		for (i = 0; i < 3; i++) {
			if (strcasecmp(t, yes[i]) == 0)
				return v->b = 1, 0;
			if (strcasecmp(t, no[i]) == 0)
				return v->b = 0, 0;
		}
	return wrong_type(x, k->key, "a boolean", n);
}

static int
to_str(ctx *x, const fc_ckey *k, const yaml_node_t *n, cval *v)
{
	const char *t = text(n);
	fc_freq f;

	if (!is_scalar(n))
		return wrong_type(x, k->key, "a string", n);
	if (k->type == FC_CT_ENUM && !in_choices(t, k->range))
		return fail(x, n, "key '%s': '%s' is not one of %s", k->key, t,
			    k->range);
	if (k->type == FC_CT_STRING && k->min == 1 && k->max == 1 &&
	    strlen(t) != 1)
		return fail(x, n, "key '%s': '%s' is not one byte", k->key, t);
	if (k->type == FC_CT_STRING && strlen(t) < (size_t)k->min)
		return fail(x, n, "key '%s': must not be empty", k->key);
	if (k->range && strcmp(k->range, FREQ) == 0 && t[0] != '\0' &&
	    fc_freq_parse(t, &f) != 0)
		return fail(x, n, "key '%s': '%s' is not a frequency (e.g. D, "
			    "W, M, Q, Y, H, 15min)", k->key, t);
	if ((v->s = strdup(t)) == NULL)
		return nomem(x);
	return 0;
}

static int
to_list(ctx *x, const fc_ckey *k, yaml_document_t *doc,
	const yaml_node_t *n, cval *v)
{
	const char *words = list_choices(k->key);
	yaml_node_item_t *it;
	size_t cap;

	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return wrong_type(x, k->key, "a list", n);
	cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cap && (v->item = calloc(cap, sizeof *v->item)) == NULL)
		return nomem(x);
	for (it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(doc, *it);

		if (!is_scalar(e))
			return fail(x, e, "key '%s': expected a list of "
				    "scalars, got an item that is %s", k->key,
				    e->type == YAML_SEQUENCE_NODE ? "a list" :
				    "a mapping");
		if (words && !in_choices(text(e), words))
			return fail(x, e, "key '%s': '%s' is not one of %s",
				    k->key, text(e), words);
		if (k->range && strcmp(k->range, MODELS) == 0 &&
		    fc_model_find(text(e)) == NULL)
			return fail(x, e, "key '%s': unknown model '%s'",
				    k->key, text(e));
		if ((v->item[v->n] = strdup(text(e))) == NULL)
			return nomem(x);
		v->n++;
	}
	return 0;
}

/* Copy node n of doc into t, with its line when lines are reported. */
static int
to_cnode(ctx *x, const char *key, yaml_document_t *doc, const yaml_node_t *n,
	 fc_cnode *t)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	size_t cap, i;
	char buf[256];

	t->line = x->lines && n ? (long)n->start_mark.line + 1 : 0;
	if (n == NULL || n->type == YAML_SCALAR_NODE) {
		t->kind = FC_CN_SCALAR;
		t->text = strdup(is_null(n) ? "" : text(n));
		return t->text ? 0 : nomem(x);
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		t->kind = FC_CN_LIST;
		cap = (size_t)(n->data.sequence.items.top -
			       n->data.sequence.items.start);
		if (cap && (t->kid = calloc(cap, sizeof *t->kid)) == NULL)
			return nomem(x);
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++, t->n++)
			if (to_cnode(x, key, doc, yaml_document_get_node(doc,
				     *it), &t->kid[t->n]) != 0)
				return x->err->status;
		return 0;
	}
	t->kind = FC_CN_MAP;
	cap = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (cap && ((t->kid = calloc(cap, sizeof *t->kid)) == NULL ||
		    (t->key = calloc(cap, sizeof *t->key)) == NULL))
		return nomem(x);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(doc, p->key);

		if (!is_scalar(kn))
			return fail(x, kn, "key '%s': expected a name, got %s",
				    key, describe(kn, buf, sizeof buf));
		for (i = 0; i < t->n; i++)
			if (strcmp(t->key[i], text(kn)) == 0) // NOLINT: set
				return t->kid[i].line ? fail(x, kn, "key '%s': "
					"duplicate name '%s' (first set on "
					"line %ld)", key, text(kn),
					t->kid[i].line) : fail(x, kn, "key "
					"'%s': duplicate name '%s'", key,
					text(kn));
		if ((t->key[t->n] = strdup(text(kn))) == NULL)
			return nomem(x);
		t->n++;
		if (to_cnode(x, key, doc, yaml_document_get_node(doc,
			     p->value), &t->kid[t->n - 1]) != 0)
			return x->err->status;
	}
	return 0;
}

/* A TREE value: a list or a map as the range says; null is empty. */
static int
to_tree(ctx *x, const fc_ckey *k, yaml_document_t *doc,
	const yaml_node_t *n, cval *v)
{
	int list = strcmp(k->range, "map") != 0;

	if (!is_null(n) && n->type != (list ? YAML_SEQUENCE_NODE :
				       YAML_MAPPING_NODE))
		return wrong_type(x, k->key, list ? "a list" : "a mapping", n);
	if ((v->tree = calloc(1, sizeof *v->tree)) == NULL)
		return nomem(x);
	if (is_null(n)) {
		v->tree->kind = list ? FC_CN_LIST : FC_CN_MAP;
		return 0;
	}
	if (to_cnode(x, k->key, doc, n, v->tree) != 0)
		return x->err->status;
	if (strcmp(k->range, LMAPS) == 0) {
		size_t i;
		char buf[256];

		for (i = 0; i < v->tree->n; i++)
			if (v->tree->kid[i].kind != FC_CN_MAP)
				return fail(x, yaml_document_get_node(doc,
					n->data.sequence.items.start[i]),
					"key '%s': expected a list of maps, "
					"got an item that is %s", k->key,
					describe(yaml_document_get_node(doc,
					n->data.sequence.items.start[i]),
					buf, sizeof buf));
	}
	return 0;
}

static int
to_map(ctx *x, const fc_ckey *k, yaml_document_t *doc,
       const yaml_node_t *n, cval *v)
{
	yaml_node_pair_t *p;
	size_t cap, i;
	char buf[256];

	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return wrong_type(x, k->key, "a mapping", n);
	cap = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (cap && ((v->item = calloc(cap, sizeof *v->item)) == NULL ||
		    (v->val = calloc(cap, sizeof *v->val)) == NULL))
		return nomem(x);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(doc, p->value);

		if (!is_scalar(kn))
			return fail(x, kn, "key '%s': expected a name, got %s",
				    k->key, describe(kn, buf, sizeof buf));
		for (i = 0; i < v->n; i++)
			if (strcmp(v->item[i], text(kn)) == 0) // NOLINT: items are set
				return fail(x, kn, "duplicate key '%s.%s' (first "
					    "set on line %ld)", k->key, text(kn),
					    (long)yaml_document_get_node(doc,
						n->data.mapping.pairs.start[i].key)
						->start_mark.line + 1);
		if (!is_scalar(vn))
			return fail(x, vn, "key '%s.%s': expected a string, "
				    "got %s", k->key, text(kn),
				    describe(vn, buf, sizeof buf));
		if (k->range && !in_choices(text(vn), k->range))
			return fail(x, vn, "key '%s.%s': '%s' is not one of %s",
				    k->key, text(kn), text(vn), k->range);
		if ((v->item[v->n] = strdup(text(kn))) == NULL ||
		    (v->val[v->n] = strdup(text(vn))) == NULL) {
			free(v->item[v->n]);
			return nomem(x);
		}
		v->n++;
	}
	return 0;
}

/* Give key `i` the value of node `n` (NULL: an empty override). */
static int
set_node(ctx *x, size_t i, yaml_document_t *doc, const yaml_node_t *n)
{
	const fc_ckey *k = &table[i];
	cval v;
	int st = 0;

	memset(&v, 0, sizeof v);
	switch (k->type) {
	case FC_CT_STRING:
	case FC_CT_ENUM:
		st = to_str(x, k, n, &v);
		break;
	case FC_CT_INT:
		st = to_int(x, k, n, &v);
		break;
	case FC_CT_NUMBER:
		st = to_num(x, k, n, &v);
		break;
	case FC_CT_BOOL:
		st = to_bool(x, k, n, &v);
		break;
	case FC_CT_LIST:
		st = to_list(x, k, doc, n, &v);
		break;
	case FC_CT_MAP:
		st = to_map(x, k, doc, n, &v);
		break;
	case FC_CT_TREE:
		st = to_tree(x, k, doc, n, &v);
		break;
	}
	if (st != 0) {
		cval_free(&v);
		return st;
	}
	if (x->once && x->c->v[i].line > 0) {
		cval_free(&v);
		return fail(x, n, "duplicate key '%s' (first set on line %ld)",
			    k->key, x->c->v[i].line);
	}
	cval_free(&x->c->v[i]);
	v.origin = x->once ? 1 : strcmp(x->file, "-s") == 0 ? 2 : 0;
	x->c->v[i] = v;
	if (x->once)
		x->c->v[i].line = n ? (long)n->start_mark.line + 1 : 1;
	return 0;
}

/* ---- unknown keys ---- */

static size_t
distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[64], i, j, diag, up;

	if (la >= 64 || lb >= 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * The known name closest to `key`: its first unknown segment replaced by
 * the nearest sibling, two edits at most. Empty when there is none.
 */
static void
suggest(const char *key, char *out, size_t len)
{
	size_t plen = 0, slen, i, best = 3, d;
	const char *seg, *rest, *cand;
	char buf[512];

	out[0] = '\0';
	for (i = 0; key[i]; i++)
		if (key[i] == '.' && is_group(key, i))
			plen = i + 1;
	seg = key + plen;
	rest = strchr(seg, '.');
	slen = rest ? (size_t)(rest - seg) : strlen(seg);
	for (i = 0; i < NKEYS; i++) {
		size_t clen;

		if (strncmp(table[i].key, key, plen) != 0)
			continue;
		cand = table[i].key + plen;
		clen = strcspn(cand, ".");
		d = distance(seg, slen, cand, clen);
		if (d < best && d < slen) {
			snprintf(buf, sizeof buf, "%.*s%.*s%s", (int)plen, key,
				 (int)clen, cand, rest ? rest : "");
			if (find_key(buf) >= 0 || is_group(buf, strlen(buf))) {
				best = d;
				snprintf(out, len, "%s", buf);
			}
		}
	}
}

static int
unknown(ctx *x, const yaml_node_t *n, const char *key)
{
	char s[512];

	suggest(key, s, sizeof s);
	if (s[0])
		return fail(x, n, "unknown key '%s' (did you mean '%s'?)", key,
			    s);
	return fail(x, n, "unknown key '%s'", key);
}

/* ---- walking a document ---- */

static int apply(ctx *x, const char *key, yaml_document_t *doc,
		 const yaml_node_t *kn, const yaml_node_t *n);

/* The pairs of a block or group mapping; prefix NULL at the top. */
static int
walk(ctx *x, const char *prefix, yaml_document_t *doc, const yaml_node_t *n)
{
	yaml_node_pair_t *p, *q;
	char key[512], buf[256];
	int st;

	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(doc, p->value);

		if (kn->type != YAML_SCALAR_NODE)
			return fail(x, kn, "expected a key name, got %s",
				    describe(kn, buf, sizeof buf));
		snprintf(key, sizeof key, "%s%s%s", prefix ? prefix : "",
			 prefix ? "." : "", text(kn));
		for (q = n->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *o = yaml_document_get_node(doc, q->key);

			if (o->type == YAML_SCALAR_NODE &&
			    strcmp(text(o), text(kn)) == 0)
				return fail(x, kn, "duplicate key '%s' (first "
					    "set on line %ld)", key,
					    (long)o->start_mark.line + 1);
		}
		if ((st = apply(x, key, doc, kn, vn)) != 0)
			return st;
	}
	return 0;
}

/* Apply node `n` to `key`: a key of the table, or a block or group. */
static int
apply(ctx *x, const char *key, yaml_document_t *doc, const yaml_node_t *kn,
      const yaml_node_t *n)
{
	long i = find_key(key);

	if (i >= 0)
		return set_node(x, (size_t)i, doc, n);
	if (!is_group(key, strlen(key)))
		return unknown(x, kn ? kn : n, key);
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return wrong_type(x, key, "a mapping", n);
	return walk(x, key, doc, n);
}

/* Report a libyaml parser error. */
static int
yaml_fail(ctx *x, const yaml_parser_t *p, const char *key)
{
	long line = x->lines ? (long)p->problem_mark.line + 1 : 0;
	const char *what = p->problem ? p->problem : "cannot parse";

	if (p->error == YAML_MEMORY_ERROR)
		return nomem(x);
	if (key)
		return fc_err_set(x->err, FC_EX_CONFIG, x->file, line,
				  "key '%s': yaml: %s", key, what);
	return fc_err_set(x->err, FC_EX_CONFIG, x->file, line, "yaml: %s",
			  what);
}

/* Parse `len` bytes of YAML text and apply them to `key` (NULL: top). */
static int
apply_text(ctx *x, const char *key, const char *s, size_t len)
{
	yaml_parser_t p;
	yaml_document_t doc;
	yaml_node_t *root;
	char buf[256];
	int st;

	if (!yaml_parser_initialize(&p))
		return nomem(x);
	yaml_parser_set_input_string(&p, (const unsigned char *)s, len);
	if (!yaml_parser_load(&p, &doc)) {
		st = yaml_fail(x, &p, key);
		yaml_parser_delete(&p);
		return st;
	}
	root = yaml_document_get_root_node(&doc);
	if (key)
		st = apply(x, key, &doc, NULL, root);
	else if (root == NULL)
		st = 0;
	else if (root->type != YAML_MAPPING_NODE)
		st = fail(x, root, "expected a mapping of blocks at the top "
			  "level, got %s", describe(root, buf, sizeof buf));
	else
		st = walk(x, NULL, &doc, root);
	yaml_document_delete(&doc);
	if (st == 0) {
		/* one document only: a second is a mistake, not a comment */
		if (!yaml_parser_load(&p, &doc)) {
			st = yaml_fail(x, &p, key);
		} else {
			root = yaml_document_get_root_node(&doc);
			if (root)
				st = fail(x, root, "more than one yaml "
					  "document");
			yaml_document_delete(&doc);
		}
	}
	yaml_parser_delete(&p);
	return st;
}

/* Set key `i` from text: literal for STRING and ENUM, else YAML. */
static int
set_text(ctx *x, size_t i, const char *s)
{
	yaml_node_t n;

	if (table[i].type != FC_CT_STRING && table[i].type != FC_CT_ENUM)
		return apply_text(x, table[i].key, s, strlen(s));
	memset(&n, 0, sizeof n);
	n.type = YAML_SCALAR_NODE;
	n.data.scalar.value = (yaml_char_t *)s;
	n.data.scalar.length = strlen(s);
	n.data.scalar.style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
	return set_node(x, i, NULL, &n);
}

/* ---- loading ---- */

static int
load_defaults(fc_config *c, fc_err *err)
{
	ctx x = { c, "schema", 0, 0, err };
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (set_text(&x, i, table[i].def) != 0) {
			err->status = FC_EX_SOFTWARE;
			return FC_EX_SOFTWARE;
		}
	return 0;
}

static int
load_file(fc_config *c, const char *path, fc_err *err)
{
	ctx x = { c, path, 1, 1, err };
	struct stat sb;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f;
	int st;

	if ((f = fopen(path, "r")) == NULL)
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open config: %s", strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open config: %s", strerror(EISDIR));
	}
	do {
		if (len == cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 8192);

			if (nb == NULL) {
				free(buf);
				fclose(f);
				return nomem(&x);
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		st = fc_err_set(err, FC_EX_NOINPUT, path, 0,
				"cannot read config: %s", strerror(errno));
		free(buf);
		fclose(f);
		return st;
	}
	fclose(f);
	st = apply_text(&x, NULL, buf, len);
	free(buf);
	return st;
}

static int
load_override(fc_config *c, const char *ov, fc_err *err)
{
	ctx x = { c, "-s", 0, 0, err };
	const char *eq = strchr(ov, '=');
	char key[512];
	long i;

	if (eq == NULL || eq == ov)
		return fc_err_set(err, FC_EX_USAGE, "-s", 0,
				  "expected KEY=VALUE, got '%s'", ov);
	snprintf(key, sizeof key, "%.*s", (int)(eq - ov), ov);
	if ((i = find_key(key)) >= 0)
		return set_text(&x, (size_t)i, eq + 1);
	if (!is_group(key, strlen(key)))
		return unknown(&x, NULL, key);
	return apply_text(&x, key, eq + 1, strlen(eq + 1));
}

int
fc_config_load(fc_config **out, const char *path, char *const *overrides,
	       size_t noverrides, fc_err *err)
{
	fc_err scratch;
	fc_config *c;
	size_t i;
	int st;

	*out = NULL;
	if (err == NULL)
		err = &scratch;
	if (path == NULL)
		path = access("config.yaml", F_OK) == 0 ? "config.yaml" : "";
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->file = strdup(path)) == NULL) {
		free(c);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	if ((st = load_defaults(c, err)) != 0 ||
	    (path[0] && (st = load_file(c, path, err)) != 0)) {
		fc_config_free(c);
		return st;
	}
	for (i = 0; i < noverrides; i++)
		if ((st = load_override(c, overrides[i], err)) != 0) {
			fc_config_free(c);
			return st;
		}
	*out = c;
	return 0;
}

const char *
fc_config_file(const fc_config *c)
{
	return c->file;
}

/* ---- getters ---- */

static const cval *
get(const fc_config *c, const char *key, fc_ctype t1, fc_ctype t2)
{
	long i = find_key(key);

	assert(i >= 0 && "fc_config: unknown key");
	assert((table[i].type == t1 || table[i].type == t2) &&
	       "fc_config: wrong type");
	if (i < 0)
		abort();
	return &c->v[i];
}

const char *
fc_config_str(const fc_config *c, const char *key)
{
	return get(c, key, FC_CT_STRING, FC_CT_ENUM)->s;
}

long
fc_config_int(const fc_config *c, const char *key)
{
	return get(c, key, FC_CT_INT, FC_CT_INT)->i;
}

double
fc_config_num(const fc_config *c, const char *key)
{
	return get(c, key, FC_CT_NUMBER, FC_CT_NUMBER)->d;
}

int
fc_config_bool(const fc_config *c, const char *key)
{
	return get(c, key, FC_CT_BOOL, FC_CT_BOOL)->b;
}

size_t
fc_config_list(const fc_config *c, const char *key, const char *const **items)
{
	const cval *v = get(c, key, FC_CT_LIST, FC_CT_LIST);

	*items = (const char *const *)v->item;
	return v->n;
}

size_t
fc_config_map(const fc_config *c, const char *key, const char *const **keys,
	      const char *const **values)
{
	const cval *v = get(c, key, FC_CT_MAP, FC_CT_MAP);

	*keys = (const char *const *)v->item;
	*values = (const char *const *)v->val;
	return v->n;
}

const fc_cnode *
fc_config_tree(const fc_config *c, const char *key)
{
	return get(c, key, FC_CT_TREE, FC_CT_TREE)->tree;
}

const fc_cnode *
fc_cnode_get(const fc_cnode *m, const char *key)
{
	size_t i;

	if (m == NULL || m->kind != FC_CN_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->key[i], key) == 0)
			return &m->kid[i];
	return NULL;
}

const char *
fc_config_origin(const fc_config *c, const char *key)
{
	long i = find_key(key);

	assert(i >= 0 && "fc_config: unknown key");
	if (i < 0)
		abort();
	return c->v[i].origin == 1 ? c->file : c->v[i].origin == 2 ? "-s" :
	       "";
}

/* ---- canonical text ---- */

typedef struct sb {
	char *s;
	size_t len, cap;
	int oom;
} sb;

static void
sb_putn(sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *ns;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if ((ns = realloc(b->s, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_puts(sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* Text that YAML would read as a number. */
static int
numberlike(const char *s)
{
	char *end;

	if (strcasecmp(s, ".inf") == 0 || strcasecmp(s, "+.inf") == 0 ||
	    strcasecmp(s, "-.inf") == 0 || strcasecmp(s, ".nan") == 0)
		return 1;
	if (!strchr("+-.0123456789", s[0]))
		return 0;
	(void)strtod(s, &end);
	return end != s && *end == '\0';
}

/* Text that YAML 1.1 would read as a boolean or null. */
static int
wordlike(const char *s)
{
	static const char *const w[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n",
		"null", "~"
	};
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (strcasecmp(s, w[i]) == 0)
			return 1;
	return 0;
}

/*
 * Append string `s` as YAML: plain when it reads back as the same string,
 * else single-quoted, or double-quoted when it holds control characters.
 * `numbers`: also quote text that reads as a number (string keys do; list
 * items and map values, which are often numbers, do not).
 */
static void
put_str(sb *b, const char *s, int numbers)
{
	size_t len = strlen(s), i;
	int quote = len == 0 || wordlike(s) || (numbers && numberlike(s)) ||
		    strchr("?:,[]{}#&*!|>'\"%@`", s[0]) ||
		    isspace((unsigned char)s[0]) ||
		    isspace((unsigned char)s[len - 1]) ||
		    strpbrk(s, ",[]{}") || strstr(s, ": ") ||
		    strstr(s, " #") || s[len - 1] == ':' ||
		    (s[0] == '-' && !numberlike(s));
	int ctrl = 0;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			ctrl = 1;
	if (ctrl) {
		sb_putn(b, "\"", 1);
		for (i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)s[i];
			char esc[8];

			if (ch == '"' || ch == '\\')
				snprintf(esc, sizeof esc, "\\%c", ch);
			else if (ch == '\n')
				snprintf(esc, sizeof esc, "\\n");
			else if (ch == '\t')
				snprintf(esc, sizeof esc, "\\t");
			else if (ch < 0x20 || ch == 0x7f)
				snprintf(esc, sizeof esc, "\\x%02x", ch);
			else
				snprintf(esc, sizeof esc, "%c", ch);
			sb_puts(b, esc);
		}
		sb_putn(b, "\"", 1);
	} else if (quote) {
		sb_putn(b, "'", 1);
		for (i = 0; i < len; i++)
			sb_putn(b, s[i] == '\'' ? "''" : s + i,
				s[i] == '\'' ? 2 : 1);
		sb_putn(b, "'", 1);
	} else {
		sb_puts(b, s);
	}
}

/* The shortest %g text that reads back as the same double. */
static void
put_num(sb *b, double d)
{
	char buf[64];
	int prec;

	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	sb_puts(b, buf);
}

static int
cmp_idx(const void *a, const void *b, void *keys)
{
	char **k = keys;

	return strcmp(k[*(const size_t *)a], k[*(const size_t *)b]);
}

/* Map pairs in key order: a tiny insertion sort, maps are small. */
static void
sorted_pairs(const cval *v, size_t *idx)
{
	size_t i, j;

	for (i = 0; i < v->n; i++) {
		size_t t = i;

		for (j = i; j > 0 && cmp_idx(&idx[j - 1], &t, v->item) > 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
}

/* Append a TREE node in flow style, map keys sorted. */
static void
put_cnode(sb *b, const fc_cnode *t)
{
	size_t i, j, *idx;
	cval kv;

	if (t->kind == FC_CN_SCALAR) {
		put_str(b, t->text, 0);
		return;
	}
	sb_putn(b, t->kind == FC_CN_LIST ? "[" : "{", 1);
	if (t->kind == FC_CN_MAP) {
		if ((idx = malloc((t->n + 1) * sizeof *idx)) == NULL) {
			b->oom = 1;
			return;
		}
		memset(&kv, 0, sizeof kv);
		kv.item = t->key;
		kv.n = t->n;
		sorted_pairs(&kv, idx);
		for (i = 0; i < t->n; i++) {
			j = idx[i];
			if (i)
				sb_putn(b, ", ", 2);
			put_str(b, t->key[j], 0);
			sb_putn(b, ": ", 2);
			put_cnode(b, &t->kid[j]);
		}
		free(idx);
	} else {
		for (i = 0; i < t->n; i++) {
			if (i)
				sb_putn(b, ", ", 2);
			put_cnode(b, &t->kid[i]);
		}
	}
	sb_putn(b, t->kind == FC_CN_LIST ? "]" : "}", 1);
}

/* Append the canonical YAML of key i's value. */
static void
put_value(sb *b, const fc_config *c, size_t i)
{
	const cval *v = &c->v[i];
	char buf[32];
	size_t j, *idx;

	switch (table[i].type) {
	case FC_CT_STRING:
	case FC_CT_ENUM:
		put_str(b, v->s, 1);
		break;
	case FC_CT_INT:
		snprintf(buf, sizeof buf, "%ld", v->i);
		sb_puts(b, buf);
		break;
	case FC_CT_NUMBER:
		put_num(b, v->d);
		break;
	case FC_CT_BOOL:
		sb_puts(b, v->b ? "true" : "false");
		break;
	case FC_CT_LIST:
		sb_putn(b, "[", 1);
		for (j = 0; j < v->n; j++) {
			if (j)
				sb_putn(b, ", ", 2);
			put_str(b, v->item[j], 0);
		}
		sb_putn(b, "]", 1);
		break;
	case FC_CT_MAP:
		if ((idx = malloc((v->n + 1) * sizeof *idx)) == NULL) {
			b->oom = 1;
			return;
		}
		sorted_pairs(v, idx);
		sb_putn(b, "{", 1);
		for (j = 0; j < v->n; j++) {
			if (j)
				sb_putn(b, ", ", 2);
			put_str(b, v->item[idx[j]], 0);
			sb_putn(b, ": ", 2);
			put_str(b, v->val[idx[j]], 0);
		}
		sb_putn(b, "}", 1);
		free(idx);
		break;
	case FC_CT_TREE:
		put_cnode(b, v->tree);
		break;
	}
}

char *
fc_config_text(const fc_config *c, const char *key, fc_err *err)
{
	long i = find_key(key);
	sb b = { NULL, 0, 0, 0 };
	ctx x = { NULL, NULL, 0, 0, err };

	if (i < 0) {
		unknown(&x, NULL, key);
		return NULL;
	}
	put_value(&b, c, (size_t)i);
	if (b.oom) {
		free(b.s);
		nomem(&x);
		return NULL;
	}
	return b.s;
}

/* Compare dotted keys segment by segment, so a group stays together. */
static int
cmp_dotted(const char *a, const char *b)
{
	for (;;) {
		size_t la = strcspn(a, "."), lb = strcspn(b, ".");
		int d = strncmp(a, b, la < lb ? la : lb);

		if (d != 0 || la != lb)
			return d != 0 ? d : la < lb ? -1 : 1;
		if (a[la] == '\0' || b[lb] == '\0')
			return a[la] == b[lb] ? 0 : a[la] == '\0' ? -1 : 1;
		a += la + 1;
		b += lb + 1;
	}
}

/* Append keys idx[0..n) (sorted) as an indented tree. */
static void
put_tree(sb *b, const fc_config *c, const size_t *idx, size_t n)
{
	const char *prev = "";
	size_t i;

	for (i = 0; i < n; i++) {
		const char *k = table[idx[i]].key, *p = prev, *q = k;
		size_t depth = 0, d;

		/* skip the groups this key shares with the previous one */
		for (;;) {
			size_t lp = strcspn(p, "."), lq = strcspn(q, ".");

			if (q[lq] == '\0' || lp != lq || strncmp(p, q, lq) != 0 ||
			    p[lp] != '.')
				break;
			p += lp + 1;
			q += lq + 1;
			depth++;
		}
		for (;;) {
			size_t lq = strcspn(q, ".");

			for (d = 0; d < depth; d++)
				sb_putn(b, "  ", 2);
			sb_putn(b, q, lq);
			sb_putn(b, ":", 1);
			if (q[lq] == '\0')
				break;
			sb_putn(b, "\n", 1);
			q += lq + 1;
			depth++;
		}
		sb_putn(b, " ", 1);
		put_value(b, c, idx[i]);
		sb_putn(b, "\n", 1);
		prev = k;
	}
}

/* Rank of a key's block: the table row where the block first appears. */
static size_t
block_rank(const char *key)
{
	size_t blen = strcspn(key, "."), i;

	for (i = 0; i < NKEYS; i++)
		if (strncmp(table[i].key, key, blen + 1) == 0)
			break;
	return i;
}

/* Show order: blocks in table order, keys within a block sorted. */
static int
show_before(size_t a, size_t b)
{
	size_t ra = block_rank(table[a].key), rb = block_rank(table[b].key);

	if (ra != rb)
		return ra < rb;
	return cmp_dotted(table[a].key, table[b].key) < 0;
}

char *
fc_config_show(const fc_config *c, const char *block, fc_err *err)
{
	size_t idx[NKEYS], n = 0, i, j, t, len = block ? strlen(block) : 0;
	sb b = { NULL, 0, 0, 0 };
	ctx x = { NULL, NULL, 0, 0, err };

	if (block && (len == 0 || (!is_group(block, len) &&
				   fc_config_key(block) == NULL))) {
		fc_err_set(err, FC_EX_CONFIG, NULL, 0, "unknown block '%s'",
			   block);
		return NULL;
	}
	for (i = 0; i < NKEYS; i++) {
		if (block && !(strncmp(table[i].key, block, len) == 0 &&
			       (table[i].key[len] == '.' ||
				table[i].key[len] == '\0')))
			continue;
		t = i;
		for (j = n++; j > 0 && show_before(t, idx[j - 1]); j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
	put_tree(&b, c, idx, n);
	if (b.oom || b.s == NULL) {
		free(b.s);
		nomem(&x);
		return NULL;
	}
	return b.s;
}

int
fc_config_threads(const fc_config *cfg)
{
	long t = fc_config_int(cfg, "runtime.threads");

	if (t <= 0)
		t = sysconf(_SC_NPROCESSORS_ONLN);
	return t < 1 ? 1 : (int)t;
}

int
fc_config_fail(const fc_config *cfg, fc_err *err, const char *key,
	       const fc_cnode *n, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fc_err_set(err, FC_EX_CONFIG, fc_config_origin(cfg, key),
			  n ? n->line : 0, "key '%s': %s", key, msg);
}
