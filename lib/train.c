/* train - cross-validated model selection per series, the model file */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "forecast.h"
#include "io.h"
#include "meta.h"
#include "metrics.h"
#include "models/model.h"
#include "series.h"
#include "timeutil.h"
#include "train.h"
#include "value.h"

#define MAX_MODELS 64
#define BATCH_SERIES 256
#define BATCH_VALUES (1u << 22)

/* The train options, read once from the config. */
typedef struct topts {
	const fc_model_def *models[MAX_MODELS];
	size_t nmodels;
	fc_metric metric;
	size_t windows, step, horizon;
	const char *freq_text;  /* schema.frequency, "" to infer */
	int has_freq;           /* freq_text is not empty */
	fc_freq freq;
	long season_length;     /* 0: from the frequency */
	/* models with feature columns (regression) */
	int xmodels;            /* 1: some model of train.models has them */
	const char *const *xcols;       /* train.regression.columns */
	size_t nxcols;          /* 0: every numeric feature column */
	double ridge;
	const char *future;     /* train.regression.future */
	const char *const *xnames;      /* the input's feature columns */
	size_t nx;
} topts;

/* One series to fit, and what came of it. */
typedef struct job {
	fc_series s;            /* owned */
	size_t n;               /* values before the trailing empty ones */
	fc_freq f;
	int m;
	cJSON *out;             /* the series object */
	int fallback;
	int status;
	fc_err err;
	size_t *cols;           /* the regression's columns of s.x, p of them */
	size_t p;
	char xerr[256];         /* why the regression cannot be fitted */
} job;

/* A candidate's cross-validation. */
typedef struct cand {
	const fc_model_def *def;
	double *score;          /* per window */
	double *abserr;         /* [window][step] */
	double mean;
	int ok;
	char error[512];
} cand;

/* ---- JSON helpers ---- */

/* A number that reads back to the same double; "nan", "inf", "-inf" as
 * strings, as fc_fit_to_json writes them. */
static cJSON *
num(double x)
{
	char buf[64];

	if (isnan(x))
		return cJSON_CreateString("nan");
	if (isinf(x))
		return cJSON_CreateString(x > 0 ? "inf" : "-inf");
	fc_num_format(x, buf);
	return cJSON_CreateRaw(buf);
}

static cJSON *
num_array(const double *x, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, num(x[i]));
	return a;
}

/* ---- options ---- */

/* train.mstl.periods and train.mstl.model, handed to the mstl model. */
static int
mstl_opts(const fc_config *cfg, fc_err *err)
{
	const char *const *items;
	long p[16];
	size_t n = fc_config_list(cfg, "train.mstl.periods", &items), i;
	double x;
	fc_err e;

	memset(&e, 0, sizeof e);
	for (i = 0; i < n && i < 16; i++) {
		if (fc_num_parse(items[i], strlen(items[i]), &x, NULL) != 0 ||
		    x != floor(x) || !(x >= 2 && x <= 100000))
			return fc_err_set(err, FC_EX_CONFIG,
					  fc_config_file(cfg), 0,
					  "key 'train.mstl.periods': '%s' is "
					  "not a period of 2 or more",
					  items[i]);
		p[i] = (long)x;
	}
	if (fc_mstl_configure(p, n, fc_config_str(cfg, "train.mstl.model"),
			      &e) != 0)
		return fc_err_set(err, e.status, fc_config_file(cfg), 0, "%s",
				  e.msg);
	return 0;
}

static int
read_opts(const fc_config *cfg, topts *o, fc_err *err)
{
	const char *const *items;
	size_t i, n;
	fc_err e;
	int rc;

	memset(o, 0, sizeof *o);
	n = fc_config_list(cfg, "train.models", &items);
	if (n == 0)
		return fc_err_set(err, FC_EX_CONFIG, fc_config_file(cfg), 0,
				  "key 'train.models': no model to train");
	if (n > MAX_MODELS)
		return fc_err_set(err, FC_EX_CONFIG, fc_config_file(cfg), 0,
				  "key 'train.models': more than %d models",
				  MAX_MODELS);
	for (i = 0; i < n; i++)
		if ((o->models[i] = fc_model_find(items[i])) == NULL)
			return fc_err_set(err, FC_EX_CONFIG,
					  fc_config_file(cfg), 0,
					  "key 'train.models': unknown model "
					  "'%s'", items[i]);
	o->nmodels = n;
	n = fc_config_list(cfg, "train.ensemble.members", &items);
	memset(&e, 0, sizeof e);
	if (fc_ensemble_configure(items, n, strcmp(fc_config_str(cfg,
			"train.ensemble.combine"), "median") == 0, &e) != 0)
		return fc_err_set(err, e.status, fc_config_file(cfg), 0, "%s",
				  e.msg);
	if ((rc = mstl_opts(cfg, err)) != 0)
		return rc;
	o->metric = (fc_metric)fc_metric_parse(
		fc_config_str(cfg, "train.selection.metric"));
	o->windows = (size_t)fc_config_int(cfg, "train.selection.windows");
	o->step = (size_t)fc_config_int(cfg, "train.selection.step");
	o->horizon = fc_horizon_of(cfg);
	o->freq_text = fc_config_str(cfg, "schema.frequency");
	o->has_freq = o->freq_text[0] != '\0';
	if (o->has_freq && fc_freq_parse(o->freq_text, &o->freq))
		return fc_err_set(err, FC_EX_CONFIG, fc_config_file(cfg), 0,
				  "key 'schema.frequency': '%s' is not a "
				  "frequency", o->freq_text);
	o->season_length = fc_config_int(cfg, "schema.season_length");
	for (i = 0; i < o->nmodels; i++)
		o->xmodels |= fc_model_x(o->models[i]) != NULL;
	o->nxcols = fc_config_list(cfg, "train.regression.columns", &o->xcols);
	o->ridge = fc_config_num(cfg, "train.regression.ridge");
	o->future = fc_config_str(cfg, "train.regression.future");
	return 0;
}

/* ---- one series: preparation (in the reading thread) ---- */

static int
not_regular(const char *name, const job *j, size_t i, fc_err *err)
{
	char a[48], b[48], fb[32];

	fc_time_format(j->s.t[i - 1], a, sizeof a);
	fc_time_format(j->s.t[i], b, sizeof b);
	fc_freq_format(j->f, fb, sizeof fb);
	return fc_err_set(err, FC_EX_DATAERR, name, j->s.line[i],
			  "series '%s' is not regular at frequency %s: time "
			  "'%s' does not follow '%s'", j->s.id, fb, b, a);
}

/* The regression's columns of series j: train.regression.columns, or
 * every feature column that holds numbers only. */
static int
choose_columns(const topts *o, const char *name, job *j, fc_err *err)
{
	size_t i, k;

	if ((j->cols = calloc(o->nx + o->nxcols + 1, sizeof *j->cols)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	j->p = 0;
	if (o->nxcols == 0) {
		for (i = 0; i < o->nx; i++)
			if (!j->s.xbad[i])
				j->cols[j->p++] = i;
		return 0;
	}
	for (k = 0; k < o->nxcols; k++) {
		for (i = 0; i < o->nx && strcmp(o->xnames[i], o->xcols[k]) != 0;
		     i++)
			;
		if (i == o->nx) {
			snprintf(j->xerr, sizeof j->xerr, "no column '%.64s' "
				 "(train.regression.columns) in the input",
				 o->xcols[k]);
			return 0;
		}
		if (j->s.xbad[i])
			return fc_err_set(err, FC_EX_DATAERR, name,
					  j->s.line[0], "series '%s': column "
					  "'%s' holds a value that is not a "
					  "number", j->s.id, o->xcols[k]);
		j->cols[j->p++] = i;
	}
	return 0;
}

/* Cut the trailing empty targets, check the rest, find f and m. */
static int
prepare(const topts *o, const char *name, job *j, fc_err *err)
{
	size_t i, n = j->s.n;

	while (n > 0 && isnan(j->s.y[n - 1]))
		n--;
	if (n == 0)
		return fc_err_set(err, FC_EX_DATAERR, name, j->s.line[0],
				  "series '%s' has no target values",
				  j->s.id);
	for (i = 0; i < n; i++)
		if (isnan(j->s.y[i]))
			return fc_err_set(err, FC_EX_DATAERR, name,
					  j->s.line[i], "series '%s': empty "
					  "target before its last value (the "
					  "training data must be imputed)",
					  j->s.id);
	j->n = n;
	if (o->has_freq)
		j->f = o->freq;
	else if (j->s.n < 2 || fc_freq_infer(j->s.t, j->s.n, &j->f) != 0)
		return fc_err_set(err, FC_EX_DATAERR, name, j->s.line[0],
				  "series '%s': cannot infer its frequency "
				  "(set schema.frequency)", j->s.id);
	for (i = 1; i < j->s.n; i++)
		if (fc_time_add(j->s.t[0], j->f, (int64_t)i).v != j->s.t[i].v)
			return not_regular(name, j, i, err);
	j->m = o->season_length > 0 ? (int)o->season_length :
	       fc_freq_season_length(j->f);
	return o->xmodels ? choose_columns(o, name, j, err) : 0;
}

/* ---- one series: cross-validation and selection (in a worker) ---- */

/* The cross-validation horizon of a series of n values: the horizon,
 * shortened to half of what the first window holds; 0 when no window
 * fits. */
static size_t
cv_horizon(const topts *o, size_t n)
{
	size_t avail, h;

	if (o->windows == 0 || (o->windows - 1) * o->step + 2 > n)
		return 0;
	avail = n - (o->windows - 1) * o->step;
	h = avail / 2;
	return h < o->horizon ? h : o->horizon;
}

static size_t
origin_of(const topts *o, size_t n, size_t h, size_t w)
{
	return n - h - (o->windows - 1 - w) * o->step;
}

/* The rows of jb before `end` whose regression columns are all filled,
 * as y (into yy) and x (into xx, k rows of jb->p); their number. Rows
 * with an empty feature are skipped. */
static size_t
design(const job *jb, size_t end, double *yy, double *xx)
{
	size_t i, j, k = 0, nx = jb->s.nx;
	const double *r;

	for (i = 0; i < end; i++) {
		r = jb->s.x + i * nx;
		for (j = 0; j < jb->p && !isnan(r[jb->cols[j]]); j++)
			;
		if (j < jb->p)
			continue;
		for (j = 0; j < jb->p; j++)
			xx[k * jb->p + j] = r[jb->cols[j]];
		yy[k++] = jb->s.y[i];
	}
	return k;
}

/* The first row (1-based) before `end` with an empty feature that comes
 * after a row whose features are all filled; 0 when the filled rows are
 * consecutive (only leading rows skipped). */
static size_t
gap_row(const job *jb, size_t end)
{
	size_t i, j, nx = jb->s.nx;
	int seen = 0, full;

	for (i = 0; i < end; i++) {
		const double *r = jb->s.x + i * nx;

		for (full = 1, j = 0; j < jb->p; j++)
			full &= !isnan(r[jb->cols[j]]);
		if (full)
			seen = 1;
		else if (seen)
			return i + 1;
	}
	return 0;
}

/* A model's error about "feature column J" (1-based, in the order of
 * jb's columns) names the column instead. */
static void
name_column(const topts *o, const job *jb, fc_err *e)
{
	static const char tag[] = "feature column ";
	char *at = strstr(e->msg, tag), *end, rest[1024];
	unsigned long j;

	if (at == NULL)
		return;
	j = strtoul(at + sizeof tag - 1, &end, 10);
	if (end == at + sizeof tag - 1 || j < 1 || j > jb->p)
		return;
	snprintf(rest, sizeof rest, "%s", end);
	snprintf(at, sizeof e->msg - (size_t)(at - e->msg), "column '%s'%s",
		 o->xnames[jb->cols[j - 1]], rest);
}

/* Fit def to the first `end` values of jb: the series alone, or with
 * feature columns. *skipped: rows left out for an empty feature. */
static int
fit_any(const topts *o, const job *jb, const fc_model_def *def, size_t end,
	fc_fit **fit, size_t *skipped, fc_err *e)
{
	double *yy, *xx;
	size_t k, i;
	int rc;

	*skipped = 0;
	if (fc_model_x(def) == NULL)
		return fc_model_fit(def, jb->s.y, end, jb->m, fit, e);
	if (jb->xerr[0] != '\0') {
		*fit = NULL;
		return fc_err_set(e, FC_EX_DATAERR, NULL, 0, "model '%s': %s",
				  def->name, jb->xerr);
	}
	yy = malloc((end + 1) * sizeof *yy);
	xx = malloc((end * jb->p + 1) * sizeof *xx);
	if (yy == NULL || xx == NULL) {
		free(yy);
		free(xx);
		*fit = NULL;
		return fc_err_set(e, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	}
	k = design(jb, end, yy, xx);
	*skipped = end - k;
	if (fc_model_x(def)->fit_m != NULL && (i = gap_row(jb, end)) > 0) {
		free(yy);
		free(xx);
		*fit = NULL;
		return fc_err_set(e, FC_EX_DATAERR, NULL, 0, "model '%s': row "
				  "%zu of the history has an empty feature "
				  "after filled ones (its errors need "
				  "consecutive rows)", def->name, i);
	}
	rc = fc_model_xfit_m(def, yy, xx, k, jb->p, jb->m, o->ridge, fit, e);
	if (rc != 0)
		name_column(o, jb, e);
	free(yy);
	free(xx);
	return rc;
}

/* Forecast h steps after row org of jb from fit: with feature columns,
 * the rows' own features, each of which must be filled. */
static int
forecast_any(const job *jb, const fc_fit *fit, size_t org, size_t h,
	     double *mean, fc_err *e)
{
	double *xf;
	size_t i, j;
	int rc;

	if (fc_model_x(fit->def) == NULL)
		return fc_model_forecast(fit, h, NULL, 0, mean, NULL, NULL, e);
	if ((xf = malloc((h * jb->p + 1) * sizeof *xf)) == NULL)
		return fc_err_set(e, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	for (i = 0; i < h; i++)
		for (j = 0; j < jb->p; j++)
			if (isnan(xf[i * jb->p + j] =
				  jb->s.x[(org + i) * jb->s.nx + jb->cols[j]])) {
				free(xf);
				return fc_err_set(e, FC_EX_DATAERR, NULL, 0,
						  "model '%s': a feature of "
						  "row %zu is empty",
						  fit->def->name, org + i + 1);
			}
	rc = fc_model_xforecast(fit, xf, h, NULL, 0, mean, NULL, NULL, e);
	free(xf);
	return rc;
}

static void
cross_validate(const topts *o, const job *jb, size_t h, cand *c)
{
	const double *y = jb->s.y;
	size_t n = jb->n, skipped;
	int m = jb->m;
	double *mean = calloc(h ? h : 1, sizeof *mean);
	fc_fit *fit = NULL;
	size_t w, j, org;
	fc_err e;

	if (mean == NULL) {
		snprintf(c->error, sizeof c->error, "out of memory");
		return;
	}
	c->mean = 0;
	for (w = 0; w < o->windows; w++) {
		org = origin_of(o, n, h, w);
		fc_err_clear(&e);
		if (fit_any(o, jb, c->def, org, &fit, &skipped, &e) != 0 ||
		    fit == NULL || forecast_any(jb, fit, org, h, mean, &e) != 0) {
			snprintf(c->error, sizeof c->error, "%.500s", e.msg);
			goto out;
		}
		fc_fit_free(fit);
		fit = NULL;
		for (j = 0; j < h; j++) {
			if (!isfinite(mean[j])) {
				snprintf(c->error, sizeof c->error,
					 "model '%s': non-finite forecast",
					 c->def->name);
				goto out;
			}
			c->abserr[w * h + j] = fabs(y[org + j] - mean[j]);
		}
		c->score[w] = fc_metric_score(o->metric, y + org, mean, h, y,
					      org, m);
		c->mean += c->score[w];
	}
	c->mean /= (double)o->windows;
	c->ok = 1;
out:
	fc_fit_free(fit);
	free(mean);
}

/* NaN ranks last. */
static double
rank_key(const cand *c)
{
	return isnan(c->mean) ? INFINITY : c->mean;
}

/* Candidate indices in the order they are tried for the final fit:
 * cross-validated ones by mean score (ties: the earlier model), or, with
 * no cross-validation, the order of train.models. */
static size_t
order(const cand *c, size_t nc, int cv, size_t *idx)
{
	size_t i, j, k = 0;

	for (i = 0; i < nc; i++) {
		if (cv && !c[i].ok)
			continue;
		for (j = k; j > 0 && cv &&
			    rank_key(&c[idx[j - 1]]) > rank_key(&c[i]); j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
		k++;
	}
	return k;
}

static cJSON *
candidate_json(const topts *o, const cand *c, int cv)
{
	cJSON *j = cJSON_CreateObject(), *s;

	cJSON_AddStringToObject(j, "model", c->def->name);
	if (c->ok && cv) {
		s = cJSON_AddObjectToObject(j, "cv");
		cJSON_AddStringToObject(s, "metric",
					fc_metric_name(o->metric));
		cJSON_AddItemToObject(s, "scores", num_array(c->score,
							     o->windows));
		cJSON_AddItemToObject(s, "mean", num(c->mean));
	}
	if (c->error[0] != '\0')
		cJSON_AddStringToObject(j, "error", c->error);
	return j;
}

/* The absolute errors of the chosen candidate, per step. */
static cJSON *
cv_errors_json(const topts *o, const cand *c, size_t h)
{
	cJSON *a = cJSON_CreateArray();
	size_t w, j;

	for (j = 0; a && j < h; j++) {
		cJSON *s = cJSON_CreateArray();

		for (w = 0; w < o->windows; w++)
			cJSON_AddItemToArray(s, num(c->abserr[w * h + j]));
		cJSON_AddItemToArray(a, s);
	}
	return a;
}

/* Fit the simplest model that takes y: naive, else mean. */
static fc_fit *
fallback_fit(const double *y, size_t n, int m)
{
	static const char *const simple[] = { "naive", "mean" };
	fc_fit *fit = NULL;
	fc_err e;
	size_t i;

	for (i = 0; i < 2 && fit == NULL; i++)
		fc_model_fit(fc_model_find(simple[i]), y, n, m, &fit, &e);
	return fit;
}

static void
add_note(char *note, size_t len, const char *text)
{
	size_t k = strlen(note);

	snprintf(note + k, len - k, "%s%s", k ? "; " : "", text);
}

/* Coefficient j of a fit on feature columns (0: the intercept); a model
 * without the accessor keeps them first in its state. */
static double
coef_of(const fc_xmodel_def *x, const fc_fit *fit, size_t j)
{
	if (x->coef != NULL)
		return x->coef(fit, j);
	return j < fit->nstate ? fit->state[j] : NAN;
}

/* The columns of a regression fit: name, coefficient, the range seen in
 * the rows fitted, the last value of the history; the intercept, the rows
 * skipped for an empty feature, the ridge penalty and the future rule. */
static cJSON *
regression_json(const topts *o, const job *jb, const fc_fit *fit,
		size_t skipped)
{
	cJSON *r = cJSON_CreateObject(), *a, *c;
	const fc_xmodel_def *x = fc_model_x(fit->def);
	size_t i, j, nx = jb->s.nx;
	double lo, hi, last, v;
	int full;

	if (r == NULL)
		return NULL;
	cJSON_AddItemToObject(r, "intercept", num(coef_of(x, fit, 0)));
	a = cJSON_AddArrayToObject(r, "columns");
	for (j = 0; j < jb->p; j++) {
		lo = INFINITY, hi = -INFINITY, last = NAN;
		for (i = 0; i < jb->n; i++) {
			v = jb->s.x[i * nx + jb->cols[j]];
			if (!isnan(v))
				last = v;
			full = 1;
			for (size_t k = 0; k < jb->p; k++)
				full &= !isnan(jb->s.x[i * nx + jb->cols[k]]);
			if (full && v < lo)
				lo = v;
			if (full && v > hi)
				hi = v;
		}
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", o->xnames[jb->cols[j]]);
		cJSON_AddItemToObject(c, "coef", num(coef_of(x, fit, j + 1)));
		cJSON_AddItemToObject(c, "min", num(lo));
		cJSON_AddItemToObject(c, "max", num(hi));
		cJSON_AddItemToObject(c, "last", num(last));
		cJSON_AddItemToArray(a, c);
	}
	cJSON_AddNumberToObject(r, "skipped_rows", (double)skipped);
	cJSON_AddItemToObject(r, "ridge", num(o->ridge));
	cJSON_AddStringToObject(r, "future", o->future);
	return r;
}

/* Choose and fit the model of one series; the rest of its object. */
static int
select_model(const topts *o, job *jb, cJSON *obj, cand *c, size_t h)
{
	size_t nc = o->nmodels, idx[MAX_MODELS], k, i;
	const double *y = jb->s.y;
	const cand *chosen = NULL;
	fc_fit *fit = NULL;
	char note[1024] = "", buf[256];
	cJSON *cands, *fj, *cv;
	size_t skipped = 0;
	fc_err e;

	/* too short for one window: straight to the fallback */
	k = h > 0 || o->windows == 0 ? order(c, nc, h > 0, idx) : 0;
	for (i = 0; i < k && fit == NULL; i++) {
		if (fit_any(o, jb, c[idx[i]].def, jb->n, &fit, &skipped, &e)) {
			if (c[idx[i]].error[0] == '\0')
				snprintf(c[idx[i]].error, sizeof c->error,
					 "%.500s", e.msg);
			continue;
		}
		chosen = &c[idx[i]];
	}
	if (fit == NULL) {
		if ((fit = fallback_fit(y, jb->n, jb->m)) == NULL)
			return fc_err_set(&jb->err, FC_EX_DATAERR, NULL, 0,
					  "series '%s': no model fits",
					  jb->s.id);
		jb->fallback = 1;
		snprintf(buf, sizeof buf, k > 0 ? "no candidate could be "
			 "fitted to %zu values; fell back to %s" : "%zu "
			 "values are too few to cross-validate; fell back "
			 "to %s", jb->n, fit->def->name);
		add_note(note, sizeof note, buf);
	}
	if ((fj = fc_fit_to_json(fit)) == NULL) {
		fc_fit_free(fit);
		return fc_err_set(&jb->err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	cJSON_AddItemToObject(obj, "model", fj);
	if (fc_model_x(fit->def) != NULL &&
	    cJSON_AddItemToObject(obj, "regression",
				  regression_json(o, jb, fit, skipped)) == 0) {
		fc_fit_free(fit);
		return fc_err_set(&jb->err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	cv = cJSON_AddObjectToObject(obj, "cv");
	cJSON_AddStringToObject(cv, "metric", fc_metric_name(o->metric));
	cJSON_AddNumberToObject(cv, "windows", h > 0 ? (double)o->windows : 0);
	cJSON_AddNumberToObject(cv, "step", (double)o->step);
	cJSON_AddNumberToObject(cv, "horizon", (double)h);
	cands = cJSON_AddArrayToObject(obj, "candidates");
	for (i = 0; i < nc; i++)
		if (h > 0 || c[i].error[0] != '\0' || &c[i] == chosen)
			cJSON_AddItemToArray(cands, candidate_json(o, &c[i],
								   h > 0));
	if (chosen && h > 0)
		cJSON_AddItemToObject(obj, "cv_errors",
				      cv_errors_json(o, chosen, h));
	if (!fit->intervals && !(chosen && h > 0)) {
		snprintf(buf, sizeof buf, "%s has no analytic intervals and "
			 "there are no cross-validation errors: no intervals",
			 fit->def->name);
		add_note(note, sizeof note, buf);
	}
	if (note[0] != '\0')
		cJSON_AddStringToObject(obj, "note", note);
	fc_fit_free(fit);
	return 0;
}

static void
train_one(const topts *o, job *jb)
{
	size_t nc = o->nmodels, h = cv_horizon(o, jb->n), i;
	cand c[MAX_MODELS];
	char tb[48], fb[32];
	cJSON *obj;

	memset(c, 0, sizeof c);
	if ((obj = jb->out = cJSON_CreateObject()) == NULL) {
		jb->status = fc_err_set(&jb->err, FC_EX_SOFTWARE, NULL, 0,
					"out of memory");
		return;
	}
	cJSON_AddStringToObject(obj, "id", jb->s.id);
	cJSON_AddNumberToObject(obj, "n", (double)jb->n);
	fc_time_format(jb->s.t[jb->n - 1], tb, sizeof tb);
	cJSON_AddStringToObject(obj, "last_time", tb);
	fc_freq_format(jb->f, fb, sizeof fb);
	cJSON_AddStringToObject(obj, "frequency", fb);
	cJSON_AddNumberToObject(obj, "season_length", jb->m);
	for (i = 0; i < nc; i++) {
		c[i].def = o->models[i];
		c[i].mean = NAN;
		if (h == 0)
			continue;
		c[i].score = calloc(o->windows, sizeof *c[i].score);
		c[i].abserr = calloc(o->windows * h, sizeof *c[i].abserr);
		if (c[i].score && c[i].abserr)
			cross_validate(o, jb, h, &c[i]);
		else
			snprintf(c[i].error, sizeof c[i].error,
				 "out of memory");
	}
	jb->status = select_model(o, jb, obj, c, h);
	for (i = 0; i < nc; i++) {
		free(c[i].score);
		free(c[i].abserr);
	}
}

/* ---- the thread pool ---- */

typedef struct pool {
	const topts *o;
	job *jobs;
	size_t njobs, next;
	pthread_mutex_t mu;
} pool;

static void *
worker(void *arg)
{
	pool *p = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->njobs)
			return NULL;
		train_one(p->o, &p->jobs[i]);
	}
}

/* Train jobs[0..n) on up to `threads` threads. */
static void
run_pool(const topts *o, job *jobs, size_t n, int threads)
{
	pthread_t tid[1024];
	pool p = { o, jobs, n, 0, PTHREAD_MUTEX_INITIALIZER };
	int i, started = 0;

	if ((size_t)threads > n)
		threads = (int)n;
	for (i = 1; i < threads && i < 1024; i++)
		if (pthread_create(&tid[started], NULL, worker, &p) == 0)
			started++;
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p.mu);
}

/* Train a batch and move its results, in order, to `series`. */
static int
flush(const topts *o, job *jobs, size_t *n, int threads, cJSON *series,
      fc_train_stats *st, fc_err *err)
{
	size_t i;
	int rc = 0;

	run_pool(o, jobs, *n, threads);
	for (i = 0; i < *n; i++) {
		if (rc == 0 && jobs[i].status != 0) {
			*err = jobs[i].err;
			rc = jobs[i].status;
		}
		if (rc == 0) {
			cJSON_AddItemToArray(series, jobs[i].out);
			st->fallbacks += (unsigned long long)jobs[i].fallback;
		} else {
			cJSON_Delete(jobs[i].out);
		}
		fc_series_free_data(&jobs[i].s);
		free(jobs[i].cols);
		jobs[i].cols = NULL;
	}
	*n = 0;
	return rc;
}

/* ---- the model file ---- */

static cJSON *
header(const fc_config *cfg, const topts *o, const char *name,
       const fc_train_stats *st, fc_err *err)
{
	size_t nb, i;
	const char *const *blocks = fc_model_blocks(&nb);
	cJSON *d = cJSON_CreateObject(), *x, *a;
	char hex[65];

	if (fc_meta_config_hash(cfg, blocks, nb, hex, err) != 0) {
		cJSON_Delete(d);
		return NULL;
	}
	cJSON_AddStringToObject(d, "format", FC_MODEL_FORMAT);
	cJSON_AddNumberToObject(d, "format_version", FC_MODEL_FORMAT_VERSION);
	cJSON_AddStringToObject(d, "fc_version", FC_VERSION);
	x = cJSON_AddObjectToObject(d, "config");
	a = cJSON_AddArrayToObject(x, "blocks");
	for (i = 0; i < nb; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(blocks[i]));
	cJSON_AddStringToObject(x, "sha256", hex);
	x = cJSON_AddObjectToObject(d, "data");
	cJSON_AddStringToObject(x, "path", name);
	cJSON_AddStringToObject(x, "sha256", st->sha256);
	cJSON_AddNumberToObject(x, "rows", (double)st->rows);
	cJSON_AddNumberToObject(x, "series", (double)st->series);
	x = cJSON_AddObjectToObject(d, "schema");
	cJSON_AddStringToObject(x, "id", fc_config_str(cfg, "schema.id"));
	cJSON_AddStringToObject(x, "time", fc_config_str(cfg, "schema.time"));
	cJSON_AddStringToObject(x, "target",
				fc_config_str(cfg, "schema.target"));
	cJSON_AddStringToObject(x, "frequency", o->freq_text);
	cJSON_AddNumberToObject(x, "season_length", (double)o->season_length);
	x = cJSON_AddObjectToObject(d, "selection");
	a = cJSON_AddArrayToObject(x, "models");
	for (i = 0; i < o->nmodels; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(o->models[i]->name));
	cJSON_AddStringToObject(x, "metric", fc_metric_name(o->metric));
	cJSON_AddNumberToObject(x, "windows", (double)o->windows);
	cJSON_AddNumberToObject(x, "step", (double)o->step);
	cJSON_AddNumberToObject(x, "horizon", (double)o->horizon);
	return d;
}

static int
read_all(const topts *o, fc_series_reader *r, const char *name,
	 int threads, cJSON *series, fc_train_stats *st, fc_err *err)
{
	job *jobs = calloc(BATCH_SERIES, sizeof *jobs);
	size_t nj = 0, values = 0;
	fc_series *s;
	int rc;

	if (jobs == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	while ((rc = fc_series_next(r, &s, err)) == 1) {
		memset(&jobs[nj], 0, sizeof jobs[nj]);
		if (fc_series_take(s, &jobs[nj].s) != 0) {
			rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
					"out of memory");
			break;
		}
		values += jobs[nj].s.n;
		if ((rc = prepare(o, name, &jobs[nj++], err)) != 0)
			break;
		st->series++;
		st->future_rows += jobs[nj - 1].s.n - jobs[nj - 1].n;
		if ((nj == BATCH_SERIES || values >= BATCH_VALUES) &&
		    (rc = flush(o, jobs, &nj, threads, series, st, err)) != 0)
			break;
		values = nj == 0 ? 0 : values;
	}
	if (rc == 0 && nj > 0)
		rc = flush(o, jobs, &nj, threads, series, st, err);
	while (nj > 0) {
		fc_series_free_data(&jobs[--nj].s);
		free(jobs[nj].cols);
	}
	free(jobs);
	return rc;
}

int
fc_train(const fc_config *cfg, FILE *in, const char *name, cJSON **doc,
	 fc_train_stats *st, fc_err *err)
{
	fc_series_opts so = { fc_config_str(cfg, "schema.id"),
			      fc_config_str(cfg, "schema.time"),
			      fc_config_str(cfg, "schema.target"),
			      fc_config_str(cfg, "schema.time_format"), 0, 0 };
	fc_series_reader *r = NULL;
	cJSON *series = NULL;
	fc_sha256 h;
	topts o;
	int rc;

	*doc = NULL;
	memset(st, 0, sizeof *st);
	fc_sha256_init(&h);
	if ((rc = read_opts(cfg, &o, err)) != 0)
		return rc;
	so.features = o.xmodels;
	if ((rc = fc_series_open(&r, in, name, &so, &h, err)) != 0)
		return rc;
	o.xnames = fc_series_features(r, &o.nx);
	if ((series = cJSON_CreateArray()) == NULL)
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	if (rc == 0)
		rc = read_all(&o, r, name, fc_config_threads(cfg), series, st, err);
	st->rows = fc_series_rows(r);
	fc_series_close(r);
	if (rc == 0 && st->series == 0)
		rc = fc_err_set(err, FC_EX_DATAERR, name, 0,
				"no data rows after the header");
	if (rc == 0) {
		fc_sha256_hex(&h, st->sha256);
		if ((*doc = header(cfg, &o, name, st, err)) == NULL)
			rc = err->status ? err->status : FC_EX_SOFTWARE;
	}
	if (rc != 0) {
		cJSON_Delete(series);
		return rc;
	}
	cJSON_AddItemToObject(*doc, "series", series);
	return 0;
}
