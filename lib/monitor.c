/* monitor - drift and accuracy report of current data against a reference */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "drift.h"
#include "meta.h"
#include "metrics.h"
#include "monitor.h"
#include "timeutil.h"
#include "value.h"

static const char *const level_names[] = { "ok", "warn", "alert" };

const char *
fc_monitor_level_name(int level)
{
	return level < 0 || level > 2 ? "none" : level_names[level];
}

int
fc_monitor_level_parse(const char *name)
{
	int i;

	if (strcmp(name, "none") == 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -2;
}

/* ---- a whole CSV table in memory ---- */

typedef struct table {
	const char *name;
	size_t ncol, nrow, cap;
	char **col;             /* column names */
	char **cell;            /* nrow x ncol, row-major */
	long *line;             /* input line of each row */
	fc_err *err;
} table;

static void
table_free(table *t)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		free(t->col[i]);
	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->col);
	free(t->cell);
	free(t->line);
}

static int
table_oom(table *t)
{
	return fc_err_set(t->err, FC_EX_SOFTWARE, t->name, 0, "out of memory");
}

static int
table_header(void *ctx, const fc_csv_row *row)
{
	table *t = ctx;
	size_t i;

	if ((t->col = calloc(row->n, sizeof *t->col)) == NULL)
		return table_oom(t);
	for (i = 0; i < row->n; i++)
		if ((t->col[t->ncol++] = strdup(row->f[i])) == NULL)
			return table_oom(t);
	return 0;
}

static int
table_row(void *ctx, const fc_csv_row *row)
{
	table *t = ctx;
	size_t i;

	if (t->nrow == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		char **c = realloc(t->cell, cap * t->ncol * sizeof *c);
		long *l;

		if (c == NULL)
			return table_oom(t);
		t->cell = c;
		if ((l = realloc(t->line, cap * sizeof *l)) == NULL)
			return table_oom(t);
		t->line = l;
		t->cap = cap;
	}
	for (i = 0; i < t->ncol; i++)
		t->cell[t->nrow * t->ncol + i] = NULL;
	t->line[t->nrow] = row->line;
	t->nrow++;
	for (i = 0; i < t->ncol; i++)
		if ((t->cell[(t->nrow - 1) * t->ncol + i] =
		     strdup(row->f[i])) == NULL)
			return table_oom(t);
	return 0;
}

static int
table_read(table *t, FILE *fp, const char *name, fc_err *err)
{
	unsigned long long rows = 0;

	memset(t, 0, sizeof *t);
	t->name = name;
	t->err = err;
	return fc_csv_each(fp, name, ',', table_header, table_row, t, &rows,
			   err);
}

static long
table_find(const table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (strcmp(t->col[i], name) == 0)
			return (long)i;
	return -1;
}

static const char *
cell(const table *t, size_t r, size_t c)
{
	return t->cell[r * t->ncol + c];
}

/* The number in cell (r, c): 0 and *x (NaN when empty), or 65. */
static int
cell_num(const table *t, size_t r, size_t c, double *x, fc_err *err)
{
	const char *s = cell(t, r, c);

	if (s[0] == '\0') {
		*x = NAN;
		return 0;
	}
	if (fc_num_parse(s, strlen(s), x, NULL) != 0)
		return fc_err_set(err, FC_EX_DATAERR, t->name, t->line[r],
				  "column '%s': invalid number '%s'",
				  t->col[c], s);
	return 0;
}

/* ---- the thresholds ---- */

typedef struct mopts {
	double ks_p, chi_p, wd, psi_warn, psi_alert, share, degradation;
	long ks_max_rows, cat_max, bins;
	const char *id, *time, *target, *time_format;
	long season_length;
	const char *frequency;
} mopts;

static void
mopts_read(const fc_config *cfg, mopts *o)
{
	o->ks_p = fc_config_num(cfg, "monitor.ks_pvalue");
	o->chi_p = fc_config_num(cfg, "monitor.chi_pvalue");
	o->wd = fc_config_num(cfg, "monitor.wasserstein");
	o->psi_warn = fc_config_num(cfg, "monitor.psi_warn");
	o->psi_alert = fc_config_num(cfg, "monitor.psi_alert");
	o->share = fc_config_num(cfg, "monitor.share");
	o->degradation = fc_config_num(cfg, "monitor.degradation");
	o->ks_max_rows = fc_config_int(cfg, "monitor.ks_max_rows");
	o->cat_max = fc_config_int(cfg, "monitor.categorical_max_unique");
	o->bins = fc_config_int(cfg, "monitor.psi_bins");
	o->id = fc_config_str(cfg, "schema.id");
	o->time = fc_config_str(cfg, "schema.time");
	o->target = fc_config_str(cfg, "schema.target");
	o->time_format = fc_config_str(cfg, "schema.time_format");
	o->season_length = fc_config_int(cfg, "schema.season_length");
	o->frequency = fc_config_str(cfg, "schema.frequency");
}

static cJSON *
thresholds_json(const mopts *o)
{
	cJSON *t = cJSON_CreateObject();

	cJSON_AddNumberToObject(t, "ks_pvalue", o->ks_p);
	cJSON_AddNumberToObject(t, "ks_max_rows", (double)o->ks_max_rows);
	cJSON_AddNumberToObject(t, "wasserstein", o->wd);
	cJSON_AddNumberToObject(t, "chi_pvalue", o->chi_p);
	cJSON_AddNumberToObject(t, "categorical_max_unique",
				(double)o->cat_max);
	cJSON_AddNumberToObject(t, "psi_bins", (double)o->bins);
	cJSON_AddNumberToObject(t, "psi_warn", o->psi_warn);
	cJSON_AddNumberToObject(t, "psi_alert", o->psi_alert);
	cJSON_AddNumberToObject(t, "psi_epsilon", FC_PSI_EPS);
	cJSON_AddNumberToObject(t, "share", o->share);
	cJSON_AddNumberToObject(t, "degradation", o->degradation);
	return t;
}

/* ---- one column ---- */

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
scmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A column's values without the missing ones. */
typedef struct colvals {
	double *x;              /* numeric */
	char **s;               /* categorical text (borrowed) */
	size_t n, missing;
} colvals;

static int
collect(const table *t, size_t c, int numeric, colvals *v, fc_err *err)
{
	size_t r;
	double x;
	int st;

	memset(v, 0, sizeof *v);
	if ((numeric && (v->x = malloc((t->nrow + 1) * sizeof *v->x)) ==
			 NULL) ||
	    (!numeric && (v->s = malloc((t->nrow + 1) * sizeof *v->s)) ==
			 NULL))
		return fc_err_set(err, FC_EX_SOFTWARE, t->name, 0,
				  "out of memory");
	for (r = 0; r < t->nrow; r++) {
		if (cell(t, r, c)[0] == '\0') {
			v->missing++;
			continue;
		}
		if (!numeric) {
			v->s[v->n++] = (char *)cell(t, r, c);
			continue;
		}
		if ((st = cell_num(t, r, c, &x, err)) != 0)
			return st;
		v->x[v->n++] = x;
	}
	if (numeric)
		qsort(v->x, v->n, sizeof *v->x, dcmp);
	else
		qsort(v->s, v->n, sizeof *v->s, scmp);
	return 0;
}

static void
colvals_free(colvals *v)
{
	free(v->x);
	free(v->s);
}

/* Distinct values of a and b together (both sorted). */
static size_t
distinct(const colvals *a, const colvals *b, int numeric)
{
	size_t i = 0, j = 0, k = 0;
	int first = 1;
	double lx = 0;
	const char *ls = NULL;

	while (i < a->n || j < b->n) {
		int take_a;

		if (numeric) {
			take_a = j >= b->n || (i < a->n && a->x[i] <= b->x[j]);
			double x = take_a ? a->x[i++] : b->x[j++];

			if (first || x != lx)
				k++;
			lx = x;
		} else {
			take_a = j >= b->n ||
				 (i < a->n && strcmp(a->s[i], b->s[j]) <= 0);
			const char *s = take_a ? a->s[i++] : b->s[j++];

			if (first || strcmp(s, ls) != 0)
				k++;
			ls = s;
		}
		first = 0;
	}
	return k;
}

/* Counts of each distinct value of the union, in sorted order; the
 * categories go to cats as JSON (strings, or numbers). */
static size_t
category_counts(const colvals *a, const colvals *b, int numeric,
		double *ca, double *cb, cJSON *cats)
{
	size_t i = 0, j = 0, k = 0;

	while (i < a->n || j < b->n) {
		int cmp;

		if (numeric)
			cmp = i >= a->n ? 1 : j >= b->n ? -1 :
			      dcmp(&a->x[i], &b->x[j]);
		else
			cmp = i >= a->n ? 1 : j >= b->n ? -1 :
			      strcmp(a->s[i], b->s[j]);
		ca[k] = cb[k] = 0;
		if (numeric) {
			double x = cmp <= 0 ? a->x[i] : b->x[j];

			cJSON_AddItemToArray(cats, cJSON_CreateNumber(x));
			while (i < a->n && a->x[i] == x)
				ca[k]++, i++;
			while (j < b->n && b->x[j] == x)
				cb[k]++, j++;
		} else {
			const char *s = cmp <= 0 ? a->s[i] : b->s[j];

			cJSON_AddItemToArray(cats, cJSON_CreateString(s));
			while (i < a->n && strcmp(a->s[i], s) == 0)
				ca[k]++, i++;
			while (j < b->n && strcmp(b->s[j], s) == 0)
				cb[k]++, j++;
		}
		k++;
	}
	return k;
}

static cJSON *
num_array(const double *x, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, isfinite(x[i]) ? cJSON_CreateNumber(x[i])
						       : cJSON_CreateNull());
	return a;
}

static int
psi_level(const mopts *o, double psi)
{
	return psi >= o->psi_alert ? FC_MON_ALERT :
	       psi >= o->psi_warn ? FC_MON_WARN : FC_MON_OK;
}

/* The test and PSI of a categorical column. */
static int
test_categorical(const mopts *o, const colvals *r, const colvals *c,
		 int numeric, size_t k, cJSON *col, int *drift, double *psi)
{
	double *cr = calloc(k + 1, sizeof *cr), *cc = calloc(k + 1, sizeof *cc);
	cJSON *test, *p, *cats;
	fc_chisq chi;

	if (cr == NULL || cc == NULL) {
		free(cr);
		free(cc);
		return -1;
	}
	cats = cJSON_CreateArray();
	k = category_counts(r, c, numeric, cr, cc, cats);
	fc_chisq_counts(cr, cc, k, &chi);
	*drift = chi.p < o->chi_p;
	test = cJSON_AddObjectToObject(col, "test");
	cJSON_AddStringToObject(test, "name", "chisquare");
	fc_json_num(test, "statistic", chi.stat);
	cJSON_AddNumberToObject(test, "df", chi.df);
	cJSON_AddNumberToObject(test, "p_value", chi.p);
	cJSON_AddNumberToObject(test, "threshold", o->chi_p);
	cJSON_AddStringToObject(test, "rule", "drift when p_value < threshold");
	cJSON_AddBoolToObject(test, "drift", *drift);
	*psi = fc_psi_counts(cr, cc, k);
	p = cJSON_AddObjectToObject(col, "psi");
	cJSON_AddNumberToObject(p, "value", *psi);
	cJSON_AddStringToObject(p, "binning", "categories");
	cJSON_AddNumberToObject(p, "bins", (double)k);
	cJSON_AddItemToObject(p, "categories", cats);
	cJSON_AddItemToObject(p, "reference_counts", num_array(cr, k));
	cJSON_AddItemToObject(p, "current_counts", num_array(cc, k));
	cJSON_AddStringToObject(p, "level",
				fc_monitor_level_name(psi_level(o, *psi)));
	free(cr);
	free(cc);
	return 0;
}

/* The test and PSI of a numeric column. */
static int
test_numeric(const mopts *o, const colvals *r, const colvals *c,
	     cJSON *col, int *drift, double *psi)
{
	size_t k = (size_t)o->bins, i;
	double *edges = malloc(k * sizeof *edges),
	       *cr = malloc(k * sizeof *cr), *cc = malloc(k * sizeof *cc);
	cJSON *test, *p;
	fc_ks ks;

	if (edges == NULL || cr == NULL || cc == NULL)
		goto oom;
	test = cJSON_AddObjectToObject(col, "test");
	if (r->n <= (size_t)o->ks_max_rows) {
		if (fc_ks_2samp(r->x, r->n, c->x, c->n, &ks) != 0)
			goto oom;
		*drift = ks.p <= o->ks_p;
		cJSON_AddStringToObject(test, "name", "ks");
		cJSON_AddNumberToObject(test, "statistic", ks.d);
		cJSON_AddNumberToObject(test, "p_value", ks.p);
		cJSON_AddStringToObject(test, "method",
					ks.exact ? "exact" : "asymptotic");
		cJSON_AddNumberToObject(test, "threshold", o->ks_p);
		cJSON_AddStringToObject(test, "rule",
					"drift when p_value <= threshold");
	} else {
		double wd = fc_wasserstein(r->x, r->n, c->x, c->n),
		       sd = fc_std_pop(r->x, r->n), norm = sd > 0.001 ? sd : 0.001;

		*drift = wd / norm >= o->wd;
		cJSON_AddStringToObject(test, "name", "wasserstein");
		cJSON_AddNumberToObject(test, "distance", wd);
		cJSON_AddNumberToObject(test, "reference_std", sd);
		cJSON_AddNumberToObject(test, "statistic", wd / norm);
		cJSON_AddNumberToObject(test, "threshold", o->wd);
		cJSON_AddStringToObject(test, "rule",
					"drift when statistic >= threshold");
	}
	cJSON_AddBoolToObject(test, "drift", *drift);
	for (i = 0; i + 1 < k; i++)
		edges[i] = fc_quantile(r->x, r->n, (double)(i + 1) / (double)k);
	fc_bin_counts(r->x, r->n, edges, k, cr);
	fc_bin_counts(c->x, c->n, edges, k, cc);
	*psi = fc_psi_counts(cr, cc, k);
	p = cJSON_AddObjectToObject(col, "psi");
	cJSON_AddNumberToObject(p, "value", *psi);
	cJSON_AddStringToObject(p, "binning", "reference quantiles");
	cJSON_AddNumberToObject(p, "bins", (double)k);
	cJSON_AddItemToObject(p, "edges", num_array(edges, k - 1));
	cJSON_AddItemToObject(p, "reference_counts", num_array(cr, k));
	cJSON_AddItemToObject(p, "current_counts", num_array(cc, k));
	cJSON_AddStringToObject(p, "level",
				fc_monitor_level_name(psi_level(o, *psi)));
	free(edges);
	free(cr);
	free(cc);
	return 0;
oom:
	free(edges);
	free(cr);
	free(cc);
	return -1;
}

/* Is column rc of the reference numeric? Its first non-empty cell says. */
static int
is_numeric(const table *t, size_t c)
{
	size_t r;
	double x;

	for (r = 0; r < t->nrow; r++)
		if (cell(t, r, c)[0] != '\0')
			return fc_num_parse(cell(t, r, c),
					    strlen(cell(t, r, c)), &x,
					    NULL) == 0;
	return 1;
}

/* One column: its object in the report, *level and *drift. */
static int
column(const mopts *o, const table *ref, size_t rc, const table *cur,
       size_t cc, cJSON *col, int *level, int *drift, fc_err *err)
{
	int numeric = is_numeric(ref, rc), st;
	colvals r, c;
	size_t k = 0;
	double psi = 0;

	*level = FC_MON_OK;
	*drift = 0;
	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	if ((st = collect(ref, rc, numeric, &r, err)) != 0 ||
	    (st = collect(cur, cc, numeric, &c, err)) != 0)
		goto out;
	k = distinct(&r, &c, numeric);
	cJSON_AddStringToObject(col, "type", !numeric ? "categorical" :
				k <= (size_t)o->cat_max ? "categorical (numeric)" :
				"numeric");
	cJSON_AddNumberToObject(col, "reference_values", (double)r.n);
	cJSON_AddNumberToObject(col, "current_values", (double)c.n);
	cJSON_AddNumberToObject(col, "reference_missing", (double)r.missing);
	cJSON_AddNumberToObject(col, "current_missing", (double)c.missing);
	cJSON_AddNumberToObject(col, "unique_values", (double)k);
	if (r.n == 0 || c.n == 0) {
		cJSON_AddNullToObject(col, "test");
		cJSON_AddStringToObject(col, "note", r.n == 0 ?
					"no values in the reference: not tested" :
					"no values in the current data: not tested");
	} else if (!numeric || k <= (size_t)o->cat_max) {
		st = test_categorical(o, &r, &c, numeric, k, col, drift, &psi);
	} else {
		st = test_numeric(o, &r, &c, col, drift, &psi);
	}
	if (st != 0) {
		st = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	*level = *drift ? FC_MON_ALERT : psi_level(o, psi);
	cJSON_AddBoolToObject(col, "drift", *drift);
	cJSON_AddStringToObject(col, "status", fc_monitor_level_name(*level));
out:
	colvals_free(&r);
	colvals_free(&c);
	return st;
}

/* ---- data drift: every column ---- */

static int
data_drift(const mopts *o, const table *ref, const table *cur, cJSON *rep,
	   int *level, fc_err *err)
{
	cJSON *cols = cJSON_AddArrayToObject(rep, "columns"), *ds, *tg = NULL,
	      *extra;
	size_t i, n = 0, nd = 0;
	int lv, dr, st, worst = FC_MON_OK;
	long cc;

	for (i = 0; i < ref->ncol; i++) {
		const char *name = ref->col[i];
		cJSON *col;

		if (strcmp(name, o->id) == 0 || strcmp(name, o->time) == 0)
			continue;
		if ((cc = table_find(cur, name)) < 0)
			return fc_err_set(err, FC_EX_DATAERR, cur->name, 1,
					  "missing column '%s' (the reference "
					  "has it)", name);
		col = cJSON_CreateObject();
		cJSON_AddItemToArray(cols, col);
		cJSON_AddStringToObject(col, "name", name);
		if (strcmp(name, o->target) == 0)
			cJSON_AddBoolToObject(col, "target", 1);
		if ((st = column(o, ref, i, cur, (size_t)cc, col, &lv, &dr,
				 err)) != 0)
			return st;
		if (cJSON_GetObjectItem(col, "test") &&
		    !cJSON_IsNull(cJSON_GetObjectItem(col, "test"))) {
			n++;
			nd += (size_t)dr;
		}
		if (lv > worst)
			worst = lv;
		if (strcmp(name, o->target) == 0)
			tg = col;
	}
	extra = cJSON_CreateArray();
	for (i = 0; i < cur->ncol; i++)
		if (table_find(ref, cur->col[i]) < 0)
			cJSON_AddItemToArray(extra,
					     cJSON_CreateString(cur->col[i]));
	cJSON_AddItemToObject(rep, "extra_columns", extra);
	ds = cJSON_AddObjectToObject(rep, "dataset");
	cJSON_AddNumberToObject(ds, "columns", (double)n);
	cJSON_AddNumberToObject(ds, "drifted", (double)nd);
	fc_json_num(ds, "share", n ? (double)nd / (double)n : NAN);
	cJSON_AddNumberToObject(ds, "threshold", o->share);
	cJSON_AddStringToObject(ds, "rule", "drift when share >= threshold");
	dr = n > 0 && (double)nd / (double)n >= o->share;
	cJSON_AddBoolToObject(ds, "drift", dr);
	lv = dr ? FC_MON_ALERT : worst > FC_MON_OK ? FC_MON_WARN : FC_MON_OK;
	cJSON_AddStringToObject(ds, "status", fc_monitor_level_name(lv));
	*level = lv;
	if (tg) {
		cJSON *t = cJSON_AddObjectToObject(rep, "target");
		cJSON *s = cJSON_GetObjectItem(tg, "status");

		cJSON_AddStringToObject(t, "name", o->target);
		cJSON_AddItemToObject(t, "test", cJSON_Duplicate(
			cJSON_GetObjectItem(tg, "test"), 1));
		cJSON_AddItemToObject(t, "psi", cJSON_Duplicate(
			cJSON_GetObjectItem(tg, "psi"), 1));
		cJSON_AddItemToObject(t, "drift", cJSON_Duplicate(
			cJSON_GetObjectItem(tg, "drift"), 1));
		cJSON_AddStringToObject(t, "status", s->valuestring);
		lv = fc_monitor_level_parse(s->valuestring);
		if (lv > *level)
			*level = lv;
	} else {
		cJSON_AddNullToObject(rep, "target");
	}
	return 0;
}

/* ---- accuracy: forecasts against the current actuals ---- */

/* One observation (id, time, y) of a table. */
typedef struct obs {
	const char *id;
	fc_time t;
	double y;
	size_t k;               /* input order */
} obs;

static int
obs_cmp(const void *a, const void *b)
{
	const obs *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	if (x->t.v != y->t.v)
		return x->t.v < y->t.v ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static int
need(const table *t, const char *col, long *idx, fc_err *err)
{
	if ((*idx = table_find(t, col)) < 0)
		return fc_err_set(err, FC_EX_DATAERR, t->name, 1,
				  "missing column '%s'", col);
	return 0;
}

static int
cell_time(const table *t, size_t r, size_t c, const char *fmt, fc_time *out,
	  fc_err *err)
{
	const char *s = cell(t, r, c), *why = NULL;

	if (fc_time_parse(s, strlen(s), fmt, out, &why) != 0)
		return fc_err_set(err, FC_EX_DATAERR, t->name, t->line[r],
				  "column '%s': invalid time '%s'%s%s",
				  t->col[c], s, why ? ": " : "",
				  why ? why : "");
	return 0;
}

/* The (id, time, target) rows of t with a target, sorted. */
static int
observations(const table *t, const mopts *o, const char *fmt, obs **out,
	     size_t *n, fc_err *err)
{
	long ic, tc, yc;
	size_t r;
	double y;
	int st;

	*out = NULL;
	*n = 0;
	if ((st = need(t, o->id, &ic, err)) != 0 ||
	    (st = need(t, o->time, &tc, err)) != 0 ||
	    (st = need(t, o->target, &yc, err)) != 0)
		return st;
	if ((*out = malloc((t->nrow + 1) * sizeof **out)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	for (r = 0; r < t->nrow; r++) {
		obs *b = &(*out)[*n];

		if ((st = cell_num(t, r, (size_t)yc, &y, err)) != 0)
			return st;
		if (isnan(y))
			continue;
		if ((st = cell_time(t, r, (size_t)tc, fmt, &b->t, err)) != 0)
			return st;
		b->id = cell(t, r, (size_t)ic);
		b->y = y;
		b->k = r;
		(*n)++;
	}
	qsort(*out, *n, sizeof **out, obs_cmp);
	return 0;
}

/* A forecast row matched with its actual. */
typedef struct point {
	const char *id;
	double y, f;
	size_t k;
	const double *lo, *hi;  /* per level, into the forecast table's
				   parsed bounds */
} point;

static int
point_cmp(const void *a, const void *b)
{
	const point *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : x->k < y->k ? -1 : x->k > y->k;
}

/* The accuracy of points p[0..n) against a MASE scale. */
typedef struct acc {
	double mae, mape, bias, rmse, smape, mase;
	size_t n, mape_n;
	double *cover;          /* per level: share inside */
} acc;

static void
accuracy_of(const point *p, size_t n, size_t nl, acc *a)
{
	size_t i, l, valid[32] = { 0 };
	double e;

	a->mae = a->mape = a->bias = a->rmse = a->smape = 0;
	a->mape_n = 0;
	a->n = n;
	for (l = 0; l < nl; l++)
		a->cover[l] = 0;
	for (i = 0; i < n; i++) {
		e = p[i].y - p[i].f;
		a->mae += fabs(e);
		a->bias += e;
		a->rmse += e * e;
		a->smape += e == 0 ? 0 :
			    200 * fabs(e) / (fabs(p[i].y) + fabs(p[i].f));
		if (p[i].y != 0) {
			a->mape += 100 * fabs(e / p[i].y);
			a->mape_n++;
		}
		/* a point without bounds (empty cells) is left out */
		for (l = 0; l < nl; l++) {
			if (isnan(p[i].lo[l]) || isnan(p[i].hi[l]))
				continue;
			valid[l]++;
			a->cover[l] += p[i].lo[l] <= p[i].y &&
				       p[i].y <= p[i].hi[l];
		}
	}
	a->mae /= (double)n;
	a->bias /= (double)n;
	a->rmse = sqrt(a->rmse / (double)n);
	a->smape /= (double)n;
	a->mape = a->mape_n ? a->mape / (double)a->mape_n : NAN;
	for (l = 0; l < nl; l++)
		a->cover[l] = valid[l] ? a->cover[l] / (double)valid[l] : NAN;
}

static double
metric_of(const acc *a, const char *metric)
{
	if (strcmp(metric, "mase") == 0)
		return a->mase;
	if (strcmp(metric, "smape") == 0)
		return a->smape;
	if (strcmp(metric, "rmse") == 0)
		return a->rmse;
	return a->mae;
}

static void
acc_json(cJSON *o, const acc *a, const double *levels, size_t nl)
{
	cJSON *c;
	char key[32];
	size_t l;

	cJSON_AddNumberToObject(o, "points", (double)a->n);
	fc_json_num(o, "mae", a->mae);
	fc_json_num(o, "mape", a->mape);
	fc_json_num(o, "mase", a->mase);
	fc_json_num(o, "smape", a->smape);
	fc_json_num(o, "rmse", a->rmse);
	fc_json_num(o, "bias", a->bias);
	c = cJSON_AddObjectToObject(o, "coverage");
	for (l = 0; l < nl; l++) {
		char lv[32];

		fc_num_format(levels[l], lv);
		snprintf(key, sizeof key, "%s", lv);
		fc_json_num(c, key, a->cover[l]);
	}
}

/* The model file's series object for id, or NULL. */
static const cJSON *
model_series(const cJSON *model, const char *id)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(model, "series")) {
		const cJSON *i = cJSON_GetObjectItem(s, "id");

		if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0)
			return s;
	}
	return NULL;
}

/* Cross-validation MAE (mean of cv_errors) and the chosen model's mean
 * score of the selection metric; NaN when absent. */
static void
cv_scores(const cJSON *ms, double *mae, double *score, const char **metric)
{
	const cJSON *row, *e, *c, *name;
	double s = 0;
	size_t n = 0;

	*mae = *score = NAN;
	*metric = NULL;
	cJSON_ArrayForEach(row, cJSON_GetObjectItem(ms, "cv_errors")) {
		cJSON_ArrayForEach(e, row) {
			if (cJSON_IsNumber(e)) {
				s += e->valuedouble;
				n++;
			}
		}
	}
	if (n)
		*mae = s / (double)n;
	name = cJSON_GetObjectItem(cJSON_GetObjectItem(ms, "model"), "model");
	if (!cJSON_IsString(name))
		return;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ms, "candidates")) {
		const cJSON *m = cJSON_GetObjectItem(c, "model"),
			    *cv = cJSON_GetObjectItem(c, "cv");

		if (cJSON_IsString(m) && strcmp(m->valuestring,
						name->valuestring) == 0 && cv) {
			const cJSON *mean = cJSON_GetObjectItem(cv, "mean"),
				    *mt = cJSON_GetObjectItem(cv, "metric");

			if (cJSON_IsNumber(mean))
				*score = mean->valuedouble;
			if (cJSON_IsString(mt))
				*metric = mt->valuestring;
		}
	}
}

/* Degraded: current worse than cv by more than the allowed share. */
static int
compare(cJSON *o, const char *name, double now, double cv, double allowed)
{
	cJSON *c = cJSON_AddObjectToObject(o, name);
	int bad = isfinite(now) && isfinite(cv) && now > cv * (1 + allowed);

	fc_json_num(c, "current", now);
	fc_json_num(c, "cv", cv);
	fc_json_num(c, "ratio", cv > 0 ? now / cv : NAN);
	cJSON_AddBoolToObject(c, "degraded", bad);
	return bad;
}

/* Season length of a reference series for the MASE scale. */
static int
season_of(const mopts *o, const cJSON *ms, const obs *s, size_t n)
{
	const cJSON *m = cJSON_GetObjectItem(ms, "season_length");
	fc_freq f;
	fc_time *t;
	size_t i;
	int r = 1;

	if (o->season_length > 0)
		return (int)o->season_length;
	if (cJSON_IsNumber(m) && m->valuedouble >= 1)
		return (int)m->valuedouble;
	if (o->frequency[0] && fc_freq_parse(o->frequency, &f) == 0)
		return fc_freq_season_length(f);
	if (n < 2 || (t = malloc(n * sizeof *t)) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		t[i] = s[i].t;
	if (fc_freq_infer(t, n, &f) == 0)
		r = fc_freq_season_length(f);
	free(t);
	return r;
}

typedef struct fcast {
	table t;
	size_t nl;
	double levels[32];
	long lo[32], hi[32];
	double *bounds;         /* nrow x 2 nl: lo then hi per level */
} fcast;

static int
forecast_columns(fcast *fc, fc_err *err)
{
	size_t i;
	char *end;
	double l;

	fc->nl = 0;
	for (i = 0; i < fc->t.ncol; i++) {
		const char *c = fc->t.col[i];
		char hi[64];

		if (strncmp(c, "lo_", 3) != 0)
			continue;
		l = strtod(c + 3, &end);
		if (*end != '\0' || end == c + 3 || fc->nl == 32)
			continue;
		snprintf(hi, sizeof hi, "hi_%s", c + 3);
		fc->levels[fc->nl] = l;
		fc->lo[fc->nl] = (long)i;
		if ((fc->hi[fc->nl] = table_find(&fc->t, hi)) < 0)
			return fc_err_set(err, FC_EX_DATAERR, fc->t.name, 1,
					  "column '%s' without '%s'", c, hi);
		fc->nl++;
	}
	return 0;
}

static int
accuracy(const mopts *o, const table *ref, const table *cur,
	 const fc_monitor_in *in, cJSON *rep, int *level, fc_err *err)
{
	const char *fmt = o->time_format[0] ? o->time_format : NULL;
	obs *ro = NULL, *co = NULL, key, *hit;
	size_t nr, ncur, i, j, np = 0, l, nser = 0, ndeg = 0;
	point *pts = NULL;
	fcast fc;
	long ic, tc, yc;
	/* the means over series with cross-validation scores compare the
	 * same series' current and cv values */
	double cover[32], sum_mase = 0, cv_mae[2] = { 0, 0 },
	       cv_score[2] = { 0, 0 };
	size_t n_mase = 0, n_cv_score = 0, n_cv_mae = 0;
	const char *metric = NULL;
	cJSON *a, *ser, *ov;
	acc ac;
	int st;

	memset(&fc, 0, sizeof fc);
	if ((st = observations(ref, o, fmt, &ro, &nr, err)) != 0 ||
	    (st = observations(cur, o, fmt, &co, &ncur, err)) != 0)
		goto out;
	if ((st = table_read(&fc.t, in->forecast, in->forecast_name,
			     err)) != 0 ||
	    (st = need(&fc.t, "unique_id", &ic, err)) != 0 ||
	    (st = need(&fc.t, "ds", &tc, err)) != 0 ||
	    (st = need(&fc.t, "yhat", &yc, err)) != 0 ||
	    (st = forecast_columns(&fc, err)) != 0)
		goto out;
	pts = malloc((fc.t.nrow + 1) * sizeof *pts);
	fc.bounds = malloc((fc.t.nrow * 2 * fc.nl + 1) * sizeof *fc.bounds);
	if (pts == NULL || fc.bounds == NULL) {
		st = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < fc.t.nrow; i++) {
		double *b = fc.bounds + i * 2 * fc.nl, f;

		key.id = cell(&fc.t, i, (size_t)ic);
		key.k = 0;
		if ((st = cell_time(&fc.t, i, (size_t)tc, NULL, &key.t,
				    err)) != 0 ||
		    (st = cell_num(&fc.t, i, (size_t)yc, &f, err)) != 0)
			goto out;
		for (l = 0; l < fc.nl; l++)
			if ((st = cell_num(&fc.t, i, (size_t)fc.lo[l], &b[l],
					   err)) != 0 ||
			    (st = cell_num(&fc.t, i, (size_t)fc.hi[l],
					   &b[fc.nl + l], err)) != 0)
				goto out;
		/* the first current row of (id, time) */
		hit = NULL;
		{
			size_t lo = 0, hi = ncur;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (obs_cmp(&co[mid], &key) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < ncur && strcmp(co[lo].id, key.id) == 0 &&
			    co[lo].t.v == key.t.v)
				hit = &co[lo];
		}
		if (hit == NULL || isnan(f))
			continue;
		pts[np].id = key.id;
		pts[np].y = hit->y;
		pts[np].f = f;
		pts[np].k = i;
		pts[np].lo = b;
		pts[np].hi = b + fc.nl;
		np++;
	}
	a = cJSON_AddObjectToObject(rep, "accuracy");
	cJSON_AddNumberToObject(a, "forecast_rows", (double)fc.t.nrow);
	cJSON_AddNumberToObject(a, "matched", (double)np);
	cJSON_AddNumberToObject(a, "degradation", o->degradation);
	cJSON_AddStringToObject(a, "rule", "degraded when current > cv * "
				"(1 + degradation), for mae or the selection "
				"metric");
	if (np == 0) {
		cJSON_AddStringToObject(a, "note", "no forecast row has an "
					"actual in the current data");
		cJSON_AddStringToObject(a, "status", "ok");
		*level = FC_MON_OK;
		goto out;
	}
	qsort(pts, np, sizeof *pts, point_cmp);
	ac.cover = cover;
	ser = cJSON_AddArrayToObject(a, "series");
	for (i = 0; i < np; i = j) {
		const cJSON *ms = in->model ? model_series(in->model,
							   pts[i].id) : NULL;
		size_t r0, r1, k;
		double *y, cvmae, cvscore;
		const char *mt;
		int m, deg = 0;
		cJSON *s;

		for (j = i; j < np && strcmp(pts[j].id, pts[i].id) == 0; j++)
			;
		accuracy_of(pts + i, j - i, fc.nl, &ac);
		/* the reference history of the series, in time order */
		key.id = pts[i].id;
		for (r0 = 0; r0 < nr && strcmp(ro[r0].id, key.id) < 0; r0++)
			;
		for (r1 = r0; r1 < nr && strcmp(ro[r1].id, key.id) == 0; r1++)
			;
		m = season_of(o, ms, ro + r0, r1 - r0);
		ac.mase = NAN;
		if ((y = malloc((r1 - r0 + 1) * sizeof *y)) != NULL) {
			double sc;

			for (k = r0; k < r1; k++)
				y[k - r0] = ro[k].y;
			sc = fc_mase_scale(y, r1 - r0, m);
			ac.mase = sc > 0 ? ac.mae / sc :
				  sc == 0 ? (ac.mae == 0 ? 0 : INFINITY) : NAN;
			free(y);
		}
		s = cJSON_CreateObject();
		cJSON_AddItemToArray(ser, s);
		cJSON_AddStringToObject(s, "id", pts[i].id);
		cJSON_AddNumberToObject(s, "season_length", m);
		acc_json(s, &ac, fc.levels, fc.nl);
		nser++;
		if (isfinite(ac.mase)) {
			sum_mase += ac.mase;
			n_mase++;
		}
		if (ms) {
			cJSON *cv = cJSON_AddObjectToObject(s, "cv");

			cv_scores(ms, &cvmae, &cvscore, &mt);
			deg |= compare(cv, "mae", ac.mae, cvmae,
				       o->degradation);
			if (mt) {
				cJSON_AddStringToObject(cv, "metric", mt);
				deg |= compare(cv, mt, metric_of(&ac, mt),
					       cvscore, o->degradation);
				metric = mt;
			}
			if (isfinite(cvmae)) {
				cv_mae[0] += ac.mae;
				cv_mae[1] += cvmae;
				n_cv_mae++;
			}
			if (mt && isfinite(cvscore) &&
			    isfinite(metric_of(&ac, mt))) {
				cv_score[0] += metric_of(&ac, mt);
				cv_score[1] += cvscore;
				n_cv_score++;
			}
			cJSON_AddBoolToObject(s, "degraded", deg);
			ndeg += (size_t)deg;
		} else if (in->model) {
			cJSON_AddStringToObject(s, "note", "not in the model "
						"file");
		}
		cJSON_AddStringToObject(s, "status",
					deg ? "alert" : "ok");
	}
	ov = cJSON_AddObjectToObject(a, "overall");
	ac.cover = cover;
	accuracy_of(pts, np, fc.nl, &ac);
	ac.mase = n_mase ? sum_mase / (double)n_mase : NAN;
	cJSON_AddNumberToObject(ov, "series", (double)nser);
	acc_json(ov, &ac, fc.levels, fc.nl);
	cJSON_AddStringToObject(ov, "mase_rule", "mean of the series' MASE");
	*level = FC_MON_OK;
	if (in->model) {
		cJSON *cv = cJSON_AddObjectToObject(ov, "cv");
		int deg = 0;

		double nm = n_cv_mae ? (double)n_cv_mae : NAN,
		       ns = n_cv_score ? (double)n_cv_score : NAN;

		deg |= compare(cv, "mae", cv_mae[0] / nm, cv_mae[1] / nm,
			       o->degradation);
		if (metric) {
			cJSON_AddStringToObject(cv, "metric", metric);
			deg |= compare(cv, metric, cv_score[0] / ns,
				       cv_score[1] / ns, o->degradation);
		}
		cJSON_AddStringToObject(cv, "rule", "means over the series "
					"with cross-validation scores");
		cJSON_AddNumberToObject(ov, "degraded_series", (double)ndeg);
		cJSON_AddBoolToObject(ov, "degraded", deg);
		*level = deg ? FC_MON_ALERT : ndeg ? FC_MON_WARN : FC_MON_OK;
	}
	cJSON_AddStringToObject(a, "status", fc_monitor_level_name(*level));
out:
	free(ro);
	free(co);
	free(pts);
	free(fc.bounds);
	table_free(&fc.t);
	return st;
}

int
fc_monitor(const fc_config *cfg, const fc_monitor_in *in, cJSON **report,
	   int *level, fc_err *err)
{
	table ref, cur;
	mopts o;
	cJSON *rep = NULL, *x;
	int st, dl = FC_MON_OK, al = FC_MON_OK;

	*report = NULL;
	memset(&cur, 0, sizeof cur);
	mopts_read(cfg, &o);
	if ((st = table_read(&ref, in->ref, in->ref_name, err)) != 0 ||
	    (st = table_read(&cur, in->cur, in->cur_name, err)) != 0)
		goto out;
	if ((rep = cJSON_CreateObject()) == NULL) {
		st = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	x = cJSON_AddObjectToObject(rep, "reference");
	cJSON_AddStringToObject(x, "path", in->ref_name);
	cJSON_AddNumberToObject(x, "rows", (double)ref.nrow);
	x = cJSON_AddObjectToObject(rep, "current");
	cJSON_AddStringToObject(x, "path", in->cur_name);
	cJSON_AddNumberToObject(x, "rows", (double)cur.nrow);
	cJSON_AddItemToObject(rep, "thresholds", thresholds_json(&o));
	if ((st = data_drift(&o, &ref, &cur, rep, &dl, err)) != 0)
		goto out;
	if (in->forecast) {
		if ((st = accuracy(&o, &ref, &cur, in, rep, &al, err)) != 0)
			goto out;
	} else {
		cJSON_AddNullToObject(rep, "accuracy");
	}
	*level = dl > al ? dl : al;
	cJSON_AddStringToObject(rep, "status", fc_monitor_level_name(*level));
	*report = rep;
	rep = NULL;
out:
	cJSON_Delete(rep);
	table_free(&ref);
	table_free(&cur);
	return st;
}

/* ---- the split of one layer into reference and current ---- */

typedef struct split {
	const char *name;
	long ic, yc, current, reference;
	FILE *ref, *cur;
	char *id;               /* the series being buffered */
	table rows;             /* its rows with a target */
	fc_split_stats *st;
	fc_err *err;
	const char *id_col, *y_col;
} split;

static void
put_row(FILE *fp, char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		fc_csv_put(fp, f[i], strlen(f[i]), ',');
	}
	fputc('\n', fp);
}

static void
split_flush(split *s)
{
	size_t n = s->rows.nrow, nc = s->rows.ncol, cut, from, i;

	cut = n > (size_t)s->current ? n - (size_t)s->current : 0;
	from = s->reference > 0 && cut > (size_t)s->reference ?
	       cut - (size_t)s->reference : 0;
	for (i = from; i < n; i++)
		put_row(i < cut ? s->ref : s->cur, s->rows.cell + i * nc, nc);
	s->st->ref_rows += cut - from;
	s->st->cur_rows += n - cut;
	s->st->dropped += from;
	for (i = 0; i < n * nc; i++) {
		free(s->rows.cell[i]);
		s->rows.cell[i] = NULL;
	}
	s->rows.nrow = 0;
}

static int
split_header(void *ctx, const fc_csv_row *row)
{
	split *s = ctx;
	size_t i;

	if ((s->ic = fc_csv_find(row, s->id_col)) < 0)
		return fc_err_set(s->err, FC_EX_DATAERR, s->name, row->line,
				  "missing column '%s'", s->id_col);
	if ((s->yc = fc_csv_find(row, s->y_col)) < 0)
		return fc_err_set(s->err, FC_EX_DATAERR, s->name, row->line,
				  "missing column '%s'", s->y_col);
	s->rows.ncol = row->n;
	if ((s->rows.col = calloc(row->n, sizeof *s->rows.col)) == NULL)
		return fc_err_set(s->err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	for (i = 0; i < row->n; i++)
		if ((s->rows.col[i] = strdup(row->f[i])) == NULL)
			return fc_err_set(s->err, FC_EX_SOFTWARE, NULL, 0,
					  "out of memory");
	put_row(s->ref, s->rows.col, row->n);
	put_row(s->cur, s->rows.col, row->n);
	return 0;
}

static int
split_row(void *ctx, const fc_csv_row *row)
{
	split *s = ctx;
	const char *id = row->f[s->ic];
	int c = s->id ? strcmp(id, s->id) : 1;

	if (c < 0)
		return fc_err_set(s->err, FC_EX_DATAERR, s->name, row->line,
				  "input is not sorted by (id, time): series "
				  "'%s' after '%s'", id, s->id);
	if (c > 0) {
		split_flush(s);
		free(s->id);
		if ((s->id = strdup(id)) == NULL)
			return fc_err_set(s->err, FC_EX_SOFTWARE, NULL, 0,
					  "out of memory");
		s->st->series++;
	}
	if (row->f[s->yc][0] == '\0') {
		s->st->dropped++;
		return 0;
	}
	return table_row(&s->rows, row);
}

int
fc_monitor_split(const fc_config *cfg, FILE *in, const char *name,
		 long current, long reference, FILE *ref, FILE *cur,
		 fc_split_stats *st, fc_err *err)
{
	split s;
	int r;

	memset(&s, 0, sizeof s);
	memset(st, 0, sizeof *st);
	s.name = name;
	s.current = current;
	s.reference = reference;
	s.ref = ref;
	s.cur = cur;
	s.st = st;
	s.err = err;
	s.id_col = fc_config_str(cfg, "schema.id");
	s.y_col = fc_config_str(cfg, "schema.target");
	s.rows.name = name;
	s.rows.err = err;
	r = fc_csv_each(in, name, ',', split_header, split_row, &s, &st->rows,
			err);
	if (r == 0)
		split_flush(&s);
	free(s.id);
	table_free(&s.rows);
	return r;
}
