/* forecast - forecasting from a model file: horizon, levels, intervals */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "forecast.h"
#include "models/model.h"
#include "series.h"
#include "timeutil.h"
#include "value.h"

/* predict.horizon and predict.levels are read here and nowhere else. */
size_t
fc_horizon_of(const fc_config *cfg)
{
	return (size_t)fc_config_int(cfg, "predict.horizon");
}

int
fc_levels_of(const fc_config *cfg, double *levels, size_t *n, fc_err *err)
{
	const char *const *items;
	size_t i, k;
	double x;

	k = fc_config_list(cfg, "predict.levels", &items);
	if (k > FC_LEVELS_MAX)
		return fc_err_set(err, FC_EX_CONFIG, fc_config_file(cfg), 0,
				  "key 'predict.levels': more than %d levels",
				  FC_LEVELS_MAX);
	for (i = 0; i < k; i++) {
		if (fc_num_parse(items[i], strlen(items[i]), &x, NULL) != 0 ||
		    !(x > 0 && x < 100))
			return fc_err_set(err, FC_EX_CONFIG,
					  fc_config_file(cfg), 0,
					  "key 'predict.levels': '%s' is not "
					  "a level between 0 and 100",
					  items[i]);
		levels[i] = x;
	}
	*n = k;
	return 0;
}

const char *const *
fc_model_blocks(size_t *n)
{
	static const char *const blocks[] = { "schema", "train", "predict" };

	*n = sizeof blocks / sizeof blocks[0];
	return blocks;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
fc_conformal_width(double *e, size_t k, double level)
{
	size_t r;

	if (k == 0)
		return NAN;
	qsort(e, k, sizeof *e, cmp_double);
	r = (size_t)ceil((double)(k + 1) * level / 100 - 1e-9);
	if (r < 1)
		r = 1;
	return e[(r > k ? k : r) - 1];
}

/* ---- the model file ---- */

static const char *
str_member(const cJSON *o, const char *name)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(s) ? s->valuestring : NULL;
}

static int
schema_mismatch(const cJSON *schema, const char *name, const fc_config *cfg,
		const char *key, fc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(schema, key + 7);
	char have[64], want[512];

	if (strcmp(key, "schema.season_length") == 0) {
		snprintf(want, sizeof want, "%ld", fc_config_int(cfg, key));
		if (!cJSON_IsNumber(v))
			return fc_err_set(err, FC_EX_DATAERR, name, 0,
					  "model file has no %s", key);
		snprintf(have, sizeof have, "%.0f", v->valuedouble);
		if (strcmp(have, want) == 0)
			return 0;
		return fc_err_set(err, FC_EX_DATAERR, name, 0,
				  "model trained with %s '%s', config has "
				  "'%s'", key, have, want);
	}
	snprintf(want, sizeof want, "%s", fc_config_str(cfg, key));
	if (!cJSON_IsString(v))
		return fc_err_set(err, FC_EX_DATAERR, name, 0,
				  "model file has no %s", key);
	if (strcmp(v->valuestring, want) == 0)
		return 0;
	return fc_err_set(err, FC_EX_DATAERR, name, 0,
			  "model trained with %s '%s', config has '%s'", key,
			  v->valuestring, want);
}

int
fc_model_file_check(const cJSON *model, const char *name,
		    const fc_config *cfg, const char *reader, fc_err *err)
{
	static const char *const keys[] = {
		"schema.id", "schema.time", "schema.target",
		"schema.frequency", "schema.season_length"
	};
	const char *fmt = str_member(model, "format");
	const cJSON *v, *schema;
	size_t i;
	int st;

	if (fmt == NULL || strcmp(fmt, FC_MODEL_FORMAT) != 0)
		return fc_err_set(err, FC_EX_DATAERR, name, 0,
				  "not an fc model file (no \"format\": "
				  "\"%s\")", FC_MODEL_FORMAT);
	v = cJSON_GetObjectItemCaseSensitive(model, "format_version");
	if (!cJSON_IsNumber(v))
		return fc_err_set(err, FC_EX_DATAERR, name, 0,
				  "model file has no format_version");
	if (v->valuedouble != FC_MODEL_FORMAT_VERSION)
		return fc_err_set(err, FC_EX_DATAERR, name, 0,
				  "unsupported model format version %g (this "
				  "%s reads %d)", v->valuedouble, reader,
				  FC_MODEL_FORMAT_VERSION);
	schema = cJSON_GetObjectItemCaseSensitive(model, "schema");
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if ((st = schema_mismatch(schema, name, cfg, keys[i], err)))
			return st;
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(model, "series")))
		return fc_err_set(err, FC_EX_DATAERR, name, 0,
				  "model file has no series");
	return 0;
}

/* ---- forecasting ---- */

/* One series of the model file, ready to forecast. */
typedef struct mseries {
	const char *id;
	fc_time last;
	fc_freq f;
	fc_fit *fit;
	const cJSON *cv_errors;
	/* regression: its columns (names in the model file), the last
	 * value of each, 1 to carry it into a future row that lacks one */
	size_t p;
	const char **xname;
	double *xlast;
	double *xmin, *xmax;
	int carry;
} mseries;

static int
bad_series(const fc_predict_opts *o, size_t i, const char *what, fc_err *e)
{
	return fc_err_set(e, FC_EX_DATAERR, o->model_name, 0,
			  "series %zu: %s", i + 1, what);
}

static double
jnum(const cJSON *v)
{
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int
load_regression(const cJSON *js, size_t i, const fc_predict_opts *o,
		mseries *s, fc_err *err)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(js, "regression");
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(r, "columns");
	const cJSON *c, *last;
	const char *future = str_member(r, "future");
	size_t k = 0;

	s->p = (size_t)cJSON_GetArraySize(cols);
	if (!cJSON_IsArray(cols) || future == NULL ||
	    s->p != fc_model_x(s->fit->def)->ncols(s->fit))
		return bad_series(o, i, "member 'regression' missing or "
				  "invalid", err);
	s->carry = strcmp(future, "last") == 0;
	s->xname = calloc(s->p + 1, sizeof *s->xname);
	s->xlast = calloc(s->p + 1, sizeof *s->xlast);
	s->xmin = calloc(s->p + 1, sizeof *s->xmin);
	s->xmax = calloc(s->p + 1, sizeof *s->xmax);
	if (s->xname == NULL || s->xlast == NULL || s->xmin == NULL ||
	    s->xmax == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	cJSON_ArrayForEach(c, cols)
	{
		last = cJSON_GetObjectItemCaseSensitive(c, "last");
		if ((s->xname[k] = str_member(c, "name")) == NULL)
			return bad_series(o, i, "member 'regression': a "
					  "column without a name", err);
		s->xmin[k] = jnum(cJSON_GetObjectItemCaseSensitive(c, "min"));
		s->xmax[k] = jnum(cJSON_GetObjectItemCaseSensitive(c, "max"));
		s->xlast[k++] = cJSON_IsNumber(last) ? last->valuedouble : NAN;
	}
	return 0;
}

static int
load_series(const cJSON *js, size_t i, const fc_predict_opts *o,
	    mseries *s, fc_err *err)
{
	const char *last = str_member(js, "last_time");
	const char *freq = str_member(js, "frequency");
	fc_err e;

	memset(s, 0, sizeof *s);
	if ((s->id = str_member(js, "id")) == NULL)
		return bad_series(o, i, "member 'id' missing", err);
	if (last == NULL || fc_time_parse(last, strlen(last), NULL, &s->last,
					  NULL) != 0)
		return bad_series(o, i, "member 'last_time' missing or "
				  "invalid", err);
	if (freq == NULL || fc_freq_parse(freq, &s->f) != 0)
		return bad_series(o, i, "member 'frequency' missing or "
				  "invalid", err);
	if (fc_fit_from_json(cJSON_GetObjectItemCaseSensitive(js, "model"),
			     &s->fit, &e) != 0)
		return fc_err_set(err, e.status, o->model_name, 0,
				  "series '%s': %s", s->id, e.msg);
	s->cv_errors = cJSON_GetObjectItemCaseSensitive(js, "cv_errors");
	if (fc_model_x(s->fit->def) != NULL)
		return load_regression(js, i, o, s, err);
	return 0;
}

/* Conformal bounds from the stored cross-validation errors. */
static void
conformal(const mseries *s, const fc_predict_opts *o, size_t h,
	  const double *mean, double *lo, double *hi)
{
	size_t nsteps = (size_t)cJSON_GetArraySize(s->cv_errors), i, j, k;
	double e[1024], w;
	const cJSON *step, *it;

	for (j = 0; j < h; j++) {
		step = cJSON_GetArrayItem(s->cv_errors,
					  (int)(j < nsteps ? j : nsteps - 1));
		k = 0;
		cJSON_ArrayForEach(it, step) if (k < 1024 && cJSON_IsNumber(it))
			e[k++] = it->valuedouble;
		for (i = 0; i < o->nlevels; i++) {
			double c[1024];

			memcpy(c, e, k * sizeof *e);
			w = fc_conformal_width(c, k, o->levels[i]);
			lo[i * h + j] = mean[j] - w;
			hi[i * h + j] = mean[j] + w;
		}
	}
}

static void
write_header(FILE *out, const fc_predict_opts *o)
{
	char b[32];
	size_t i;

	fputs("unique_id,ds,model,yhat", out);
	for (i = 0; i < o->nlevels; i++) {
		fc_num_format(o->levels[i], b);
		fprintf(out, ",lo_%s,hi_%s", b, b);
	}
	fputc('\n', out);
}

/* Forecast h steps of s and write the rows for steps first.. of them. */
static int
emit(const mseries *s, const fc_predict_opts *o, size_t h, const double *xf,
     FILE *out, fc_predict_stats *st, fc_err *err)
{
	double *mean = malloc(h * sizeof *mean);
	double *lo = malloc((o->nlevels * h + 1) * sizeof *lo);
	double *hi = malloc((o->nlevels * h + 1) * sizeof *hi);
	char tb[48];
	size_t i, j, len;
	fc_err e;
	int rc = 0;

	if (mean == NULL || lo == NULL || hi == NULL || s->fit == NULL) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	if ((xf ? fc_model_xforecast(s->fit, xf, h, o->levels, o->nlevels,
				     mean, lo, hi, &e) :
		  fc_model_forecast(s->fit, h, o->levels, o->nlevels, mean, lo,
				    hi, &e)) != 0) {
		rc = fc_err_set(err, e.status, o->model_name, 0,
				"series '%s': %s", s->id, e.msg);
		goto out;
	}
	if (!s->fit->intervals && cJSON_GetArraySize(s->cv_errors) > 0)
		conformal(s, o, h, mean, lo, hi);
	for (j = 0; j < h; j++) {
		fc_csv_put(out, s->id, strlen(s->id), ',');
		len = fc_time_format(fc_time_add(s->last, s->f, (int64_t)j + 1),
				     tb, sizeof tb);
		fputc(',', out);
		fc_csv_put(out, tb, len, ',');
		fprintf(out, ",%s,", s->fit->def->name);
		fc_csv_put_num(out, mean[j]);
		for (i = 0; i < o->nlevels; i++) {
			fputc(',', out);
			fc_csv_put_num(out, lo[i * h + j]);
			fputc(',', out);
			fc_csv_put_num(out, hi[i * h + j]);
		}
		fputc('\n', out);
	}
	st->rows_out += h;
	st->series++;
out:
	free(mean);
	free(lo);
	free(hi);
	return rc;
}

static int
cmp_series(const void *a, const void *b)
{
	return strcmp(((const mseries *)a)->id, ((const mseries *)b)->id);
}

/* The steps to forecast for one series of the future rows: those after
 * its last time, which must follow it one period at a time. */
static int
future_steps(const mseries *s, const fc_series *fs,
	     const fc_predict_opts *o, size_t *h, fc_err *err)
{
	char a[48], b[48];
	size_t i, k = 0;
	fc_time want;

	for (i = 0; i < fs->n; i++) {
		if (fs->t[i].v <= s->last.v)
			continue;
		want = fc_time_add(s->last, s->f, (int64_t)k + 1);
		if (fs->t[i].v != want.v) {
			fc_time_format(fs->t[i], a, sizeof a);
			fc_time_format(want, b, sizeof b);
			return fc_err_set(err, FC_EX_DATAERR, o->future_name,
					  fs->line[i], "series '%s': future "
					  "time '%s' where '%s' was expected",
					  s->id, a, b);
		}
		k++;
	}
	*h = k;
	return 0;
}

/* Hand one series to the hook. */
static int
to_hook(const mseries *s, size_t h, double *xf, const fc_predict_hook *hook,
	fc_predict_stats *st, fc_err *err)
{
	fc_time *t = malloc((h + 1) * sizeof *t);
	fc_pred p = { s->id, NULL, h, t, s->p,
		      (const char *const *)s->xname, s->xmin, s->xmax, xf, s };
	size_t j;
	int rc;

	if (t == NULL || s->fit == NULL) {
		free(t);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	p.model = s->fit->def->name;
	for (j = 0; j < h; j++)
		t[j] = fc_time_add(s->last, s->f, (int64_t)j + 1);
	rc = hook->series(hook->ctx, &p, err);
	free(t);
	if (rc == 0) {
		st->rows_out += h;
		st->series++;
	}
	return rc;
}

/*
 * The feature rows of the h future rows of fs (the last h of them) in the
 * column order of the regression s, into a new array *xf. A column the
 * future rows lack, or an empty cell where the model does not carry the
 * last value forward, is an error naming the row.
 */
static int
future_features(fc_series_reader *r, const mseries *s, const fc_series *fs,
		size_t h, const fc_predict_opts *o, double **xf, fc_err *err)
{
	size_t nx, j, i, first = fs->n - h, *col;
	const char *const *names = fc_series_features(r, &nx);
	char tb[48];
	double v;

	*xf = malloc((h * s->p + 1) * sizeof **xf);
	col = malloc((s->p + 1) * sizeof *col);
	if (*xf == NULL || col == NULL) {
		free(col);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	for (j = 0; j < s->p; j++) {
		for (col[j] = 0; col[j] < nx &&
			    strcmp(names[col[j]], s->xname[j]) != 0; col[j]++)
			;
		if (col[j] == nx) {
			free(col);
			return fc_err_set(err, FC_EX_DATAERR, o->future_name,
					  1, "series '%s': no column '%s' "
					  "(the model is a regression on it)",
					  s->id, s->xname[j]);
		}
	}
	for (i = 0; i < h; i++)
		for (j = 0; j < s->p; j++) {
			v = fs->x[(first + i) * fs->nx + col[j]];
			if (isnan(v) && s->carry)
				v = s->xlast[j];
			if (isnan(v)) {
				fc_time_format(fs->t[first + i], tb, sizeof tb);
				free(col);
				return fc_err_set(
					err, FC_EX_DATAERR, o->future_name,
					fs->line[first + i], "series '%s': "
					"column '%s' is empty or not a number "
					"at time '%s' (a regression needs "
					"every driver of a future row; "
					"train.regression.future: last carries "
					"the last value forward)",
					s->id, s->xname[j], tb);
			}
			(*xf)[i * s->p + j] = v;
		}
	free(col);
	return 0;
}

static int
predict_future(mseries *ms, size_t nms, const fc_config *cfg,
	       const fc_predict_opts *o, const fc_predict_hook *hook,
	       FILE *out, fc_predict_stats *st, fc_err *err)
{
	fc_series_opts so = { fc_config_str(cfg, "schema.id"),
			      fc_config_str(cfg, "schema.time"),
			      fc_config_str(cfg, "schema.target"),
			      fc_config_str(cfg, "schema.time_format"), 1, 1 };
	fc_series_reader *r;
	fc_series *fs;
	mseries key = { 0 }, *s;
	double *xf = NULL;
	size_t h = 0;
	int rc;

	if ((rc = fc_series_open(&r, o->future, o->future_name, &so, NULL,
				 err)) != 0)
		return rc;
	qsort(ms, nms, sizeof *ms, cmp_series);
	while ((rc = fc_series_next(r, &fs, err)) == 1) {
		key.id = fs->id;
		s = bsearch(&key, ms, nms, sizeof *ms, cmp_series);
		if (s == NULL) {
			rc = fc_err_set(err, FC_EX_DATAERR, o->future_name,
					fs->line[0], "series '%s' is not in "
					"the model file", fs->id);
			break;
		}
		if ((rc = future_steps(s, fs, o, &h, err)) != 0)
			break;
		st->future_rows += h;
		if (h > 0 && s->xname != NULL)
			rc = future_features(r, s, fs, h, o, &xf, err);
		if (h > 0 && rc == 0)
			rc = hook ? to_hook(s, h, xf, hook, st, err) :
				    emit(s, o, h, xf, out, st, err);
		free(xf);
		xf = NULL;
		if (rc != 0)
			break;
	}
	fc_series_close(r);
	return rc;
}

static int
needs_future(const mseries *s, const fc_predict_opts *o, fc_err *err)
{
	return fc_err_set(err, FC_EX_DATAERR, o->model_name, 0,
			  "series '%s': model '%s' needs future rows with its "
			  "drivers (give FUTURE, e.g. the processed layer)",
			  s->id, s->fit->def->name);
}

static int predict_any(const cJSON *model, const fc_config *cfg,
		       const fc_predict_opts *o, const fc_predict_hook *hook,
		       FILE *out, fc_predict_stats *st, fc_err *err);

double
fc_pred_total_covar(const fc_pred *p, const double *xf, double *sigma2)
{
	const mseries *s = p->priv;
	const fc_xmodel_def *x = fc_model_x(s->fit->def);
	double *a, v;
	size_t i, j;

	*sigma2 = NAN;
	if (x == NULL || (a = calloc(p->p + 1, sizeof *a)) == NULL)
		return NAN;
	for (i = 0; i < p->h; i++) {
		a[0] += 1;
		for (j = 0; j < p->p; j++)
			a[j + 1] += xf[i * p->p + j];
	}
	v = x->covar(s->fit, a);
	*sigma2 = s->fit->sigma2;
	free(a);
	return v;
}

int
fc_pred_forecast(const fc_pred *p, const double *xf, const double *levels,
		 size_t nlevels, double *mean, double *sd, double *df,
		 double *lo, double *hi, fc_err *err)
{
	const mseries *s = p->priv;
	const fc_xmodel_def *x = fc_model_x(s->fit->def);
	fc_predict_opts o = { 0 };
	size_t j;
	int rc;

	for (j = 0; j < p->h; j++)
		sd[j] = NAN;
	*df = 0;
	rc = x ? x->forecast(s->fit, xf, p->h, mean, sd, df, err) :
	     s->fit->def->forecast(s->fit, p->h, mean, sd, df, err);
	if (rc != 0 || nlevels == 0)
		return rc;
	if ((x ? fc_model_xforecast(s->fit, xf, p->h, levels, nlevels, mean,
				    lo, hi, err) :
	     fc_model_forecast(s->fit, p->h, levels, nlevels, mean, lo, hi,
			       err)) != 0)
		return err->status;
	if (!s->fit->intervals)
		for (j = 0; j < p->h; j++)
			sd[j] = NAN;
	o.levels = levels;
	o.nlevels = nlevels;
	if (!s->fit->intervals && cJSON_GetArraySize(s->cv_errors) > 0)
		conformal(s, &o, p->h, mean, lo, hi);
	return 0;
}

int
fc_predict(const cJSON *model, const fc_config *cfg,
	   const fc_predict_opts *o, FILE *out, fc_predict_stats *st,
	   fc_err *err)
{
	return predict_any(model, cfg, o, NULL, out, st, err);
}

int
fc_predict_each(const cJSON *model, const fc_config *cfg,
		const fc_predict_opts *o, const fc_predict_hook *hook,
		fc_predict_stats *st, fc_err *err)
{
	return predict_any(model, cfg, o, hook, NULL, st, err);
}

static int
predict_any(const cJSON *model, const fc_config *cfg,
	    const fc_predict_opts *o, const fc_predict_hook *hook, FILE *out,
	    fc_predict_stats *st, fc_err *err)
{
	const cJSON *series = cJSON_GetObjectItemCaseSensitive(model, "series");
	size_t n = (size_t)cJSON_GetArraySize(series), i = 0, k;
	mseries *ms = calloc(n ? n : 1, sizeof *ms);
	const cJSON *js;
	int rc = 0;

	memset(st, 0, sizeof *st);
	if (ms == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	cJSON_ArrayForEach(js, series)
	{
		if ((rc = load_series(js, i, o, &ms[i], err)) != 0)
			break;
		i++;
	}
	for (k = 0; rc == 0 && !o->future && k < i; k++)
		if (ms[k].xname != NULL)
			rc = needs_future(&ms[k], o, err);
	if (rc == 0) {
		if (out != NULL)
			write_header(out, o);
		if (o->future)
			rc = predict_future(ms, n, cfg, o, hook, out, st, err);
		for (k = 0; rc == 0 && !o->future && k < n; k++)
			rc = hook ? to_hook(&ms[k], o->horizon, NULL, hook, st,
					    err) :
				    emit(&ms[k], o, o->horizon, NULL, out, st,
					 err);
	}
	for (k = 0; k < n; k++) {
		fc_fit_free(ms[k].fit);
		free(ms[k].xname);
		free(ms[k].xlast);
		free(ms[k].xmin);
		free(ms[k].xmax);
	}
	free(ms);
	return rc;
}
