/* report - the run report: every layer, the models, the forecast, timings */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <csv.h>
#include <gsl/gsl_version.h>
#include <nettle/version.h>
#include <yaml.h>

#include "csvio.h"
#include "io.h"
#include "meta.h"
#include "report.h"
#include "timeutil.h"

/* The layers a run leaves, in DAG order: folder key, subfolder, suffix. */
static const struct layer {
	const char *name, *dir, *sub, *ext;
} layers[] = {
	{ "01_raw", "paths.raw", NULL, ".csv" },
	{ "02_cleansed", "paths.cleansed", NULL, ".csv" },
	{ "03_features", "paths.features", NULL, ".csv" },
	{ "04_processed", "paths.processed", NULL, ".csv" },
	{ "models", "paths.outputs", "models", ".json" },
	{ "forecast", "paths.outputs", "forecast", ".csv" },
	{ "simulations", "paths.outputs", "simulations", ".csv" },
	{ "monitoring", "paths.outputs", "monitoring", ".json" },
};
#define NLAYERS (sizeof layers / sizeof layers[0])

/* The path of layer l of the config into buf. */
static const char *
layer_path(const fc_config *cfg, const struct layer *l, char *buf, size_t n)
{
	const char *name = fc_config_str(cfg, "project.name");

	if (l->sub)
		snprintf(buf, n, "%s/%s/%s%s", fc_config_str(cfg, l->dir),
			 l->sub, name, l->ext);
	else
		snprintf(buf, n, "%s/%s%s", fc_config_str(cfg, l->dir), name,
			 l->ext);
	return buf;
}

/* Read a JSON file that must be JSON when it exists: *j NULL if absent. */
static int
read_json(const char *path, cJSON **j, fc_err *err)
{
	struct stat sb;

	*j = NULL;
	if (stat(path, &sb) != 0)
		return 0;
	if ((*j = fc_json_read(path)) == NULL)
		return fc_err_set(err, FC_EX_DATAERR, path, 0,
				  "not a JSON file");
	return 0;
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.mmm]Z"; NAN if not. */
static double
parse_utc(const char *s)
{
	int y, mo, d, h, mi, se, ms = 0, n = 0;

	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se,
		   &n) != 6)
		return NAN;
	if (s[n] == '.')
		ms = atoi(s + n + 1);
	return (double)fc_days_from_civil(y, (unsigned)mo, (unsigned)d) *
		       86400.0 + h * 3600.0 + mi * 60.0 + se + ms / 1000.0;
}

/* Format t as "YYYY-MM-DDTHH:MM:SS.mmmZ" (iso) or "YYYYMMDDTHHMMSS.mmmZ". */
static char *
format_utc(double t, int compact, char *buf, size_t n)
{
	time_t s = (time_t)floor(t);
	int ms = (int)((t - floor(t)) * 1000.0 + 0.5);
	struct tm tm;

	if (ms > 999)
		ms = 999;
	gmtime_r(&s, &tm);
	n = strftime(buf, n, compact ? "%Y%m%dT%H%M%S" : "%Y-%m-%dT%H:%M:%S",
		     &tm);
	snprintf(buf + n, 8, ".%03uZ", (unsigned)ms % 1000u);
	return buf;
}

static double
now_utc(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + floor((double)ts.tv_nsec / 1e6) / 1000.0;
}

/* The previous report's sidecar hash of layer name, or NULL. */
static const char *
previous_sidecar(const cJSON *prev, const char *name)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(prev, "layers"), *x;

	cJSON_ArrayForEach(x, l) {
		const char *n = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(x, "name"));

		if (n && strcmp(n, name) == 0)
			return cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(
					x, "sidecar_sha256"));
	}
	return NULL;
}

static cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* Rows of a layer as its sidecar says: output.rows, else rows. */
static double
sidecar_rows(const cJSON *m)
{
	const cJSON *r = get(get(m, "output"), "rows");

	if (!cJSON_IsNumber(r))
		r = get(m, "rows");
	return cJSON_IsNumber(r) ? r->valuedouble : NAN;
}

/* One layer's entry, and its stage timing into stages. */
static int
add_layer(cJSON *arr, cJSON *stages, cJSON *programs, const struct layer *l,
	  const char *path, const fc_report_opts *o, double *started,
	  fc_err *err)
{
	cJSON *e = cJSON_CreateObject(), *m = NULL, *s;
	char side[4200], hex[65], shex[65];
	const char *prog, *old, *sum, *at;
	double secs, end;
	struct stat sb;
	int st, ran;

	cJSON_AddItemToArray(arr, e);
	cJSON_AddStringToObject(e, "name", l->name);
	cJSON_AddStringToObject(e, "path", path);
	if (stat(path, &sb) != 0) {
		cJSON_AddBoolToObject(e, "exists", 0);
		return 0;
	}
	cJSON_AddBoolToObject(e, "exists", 1);
	if ((st = fc_sha256_file(path, hex, err)) != 0)
		return st;
	cJSON_AddStringToObject(e, "sha256", hex);
	cJSON_AddNumberToObject(e, "bytes", (double)sb.st_size);
	snprintf(side, sizeof side, "%s.meta.json", path);
	if ((st = read_json(side, &m, err)) != 0)
		return st;
	if (m == NULL)
		return 0;
	if ((st = fc_sha256_file(side, shex, err)) != 0) {
		cJSON_Delete(m);
		return st;
	}
	fc_json_num(e, "rows", sidecar_rows(m));
	prog = cJSON_GetStringValue(get(m, "program"));
	if (prog) {
		cJSON_AddStringToObject(e, "program", prog);
		if (!get(programs, prog) &&
		    cJSON_IsString(get(m, "version")))
			cJSON_AddStringToObject(
				programs, prog,
				cJSON_GetStringValue(get(m, "version")));
	}
	sum = cJSON_GetStringValue(get(get(m, "output"), "sha256"));
	if (sum == NULL)
		sum = cJSON_GetStringValue(get(m, "sha256"));
	if (sum)
		cJSON_AddBoolToObject(e, "matches_sidecar",
				      strcmp(sum, hex) == 0);
	cJSON_AddStringToObject(e, "sidecar_sha256", shex);
	old = o->previous ? previous_sidecar(o->previous, l->name) : NULL;
	ran = old == NULL || strcmp(old, shex) != 0;
	secs = cJSON_IsNumber(get(m, "seconds")) ? get(m, "seconds")->valuedouble
						 : NAN;
	at = cJSON_GetStringValue(get(m, "written_at"));
	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "name", l->name);
	if (prog)
		cJSON_AddStringToObject(s, "program", prog);
	cJSON_AddBoolToObject(s, "ran", ran);
	fc_json_num(s, "seconds", secs);
	if (at)
		cJSON_AddStringToObject(s, "written_at", at);
	cJSON_AddItemToArray(stages, s);
	end = parse_utc(at);
	if (ran && isfinite(end)) {
		double begin = end - (isfinite(secs) ? secs : 0);

		if (begin < *started)
			*started = begin;
	}
	cJSON_AddItemToObject(e, "sidecar", m);
	return 0;
}

/* config: file, its sha256, the canonical sha256, block hashes, values. */
static int
add_config(cJSON *r, const fc_config *cfg, fc_err *err)
{
	cJSON *c = cJSON_AddObjectToObject(r, "config"), *b, *v;
	const char *file = fc_config_file(cfg), *prev = "";
	const fc_ckey *k;
	char hex[65], block[64];
	size_t n, i;
	char *text;

	cJSON_AddStringToObject(c, "file", file);
	if (file[0] && fc_sha256_file(file, hex, NULL) == 0)
		cJSON_AddStringToObject(c, "file_sha256", hex);
	if ((text = fc_config_show(cfg, NULL, err)) == NULL)
		return FC_EX_CONFIG;
	fc_sha256_buf(text, strlen(text), hex);
	free(text);
	cJSON_AddStringToObject(c, "sha256", hex);
	b = cJSON_AddObjectToObject(c, "blocks");
	v = cJSON_AddObjectToObject(c, "values");
	k = fc_config_keys(&n);
	for (i = 0; i < n; i++) {
		const char *bk = block, *dot = strchr(k[i].key, '.');

		snprintf(block, sizeof block, "%.*s",
			 (int)(dot ? dot - k[i].key : (long)strlen(k[i].key)),
			 k[i].key);
		if (strcmp(block, prev) != 0) {
			if (fc_meta_config_hash(cfg, &bk, 1, hex, err) != 0)
				return FC_EX_CONFIG;
			cJSON_AddStringToObject(b, block, hex);
			prev = cJSON_GetArrayItem(b, cJSON_GetArraySize(b) - 1)
				       ->string;
		}
		if ((text = fc_config_text(cfg, k[i].key, err)) == NULL)
			return FC_EX_CONFIG;
		cJSON_AddStringToObject(v, k[i].key, text);
		free(text);
	}
	return 0;
}

/* versions: fc, the libraries it was built with, each program's. */
static cJSON *
add_versions(cJSON *r)
{
	cJSON *v = cJSON_AddObjectToObject(r, "versions");
	char buf[64];

	cJSON_AddStringToObject(v, "fc", FC_VERSION);
	cJSON_AddStringToObject(v, "libyaml", yaml_get_version_string());
	cJSON_AddStringToObject(v, "cjson", cJSON_Version());
	cJSON_AddStringToObject(v, "gsl", gsl_version);
	snprintf(buf, sizeof buf, "%d.%d", nettle_version_major(),
		 nettle_version_minor());
	cJSON_AddStringToObject(v, "nettle", buf);
	snprintf(buf, sizeof buf, "%d.%d.%d", CSV_MAJOR, CSV_MINOR,
		 CSV_RELEASE);
	cJSON_AddStringToObject(v, "libcsv", buf);
	return cJSON_AddObjectToObject(v, "programs");
}

/* The cv mean of candidate `model` of series s, or NAN. */
static double
candidate_cv(const cJSON *s, const char *model)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, get(s, "candidates")) {
		const char *m = cJSON_GetStringValue(get(c, "model"));
		const cJSON *x = get(get(c, "cv"), "mean");

		if (m && strcmp(m, model) == 0)
			return cJSON_IsNumber(x) ? x->valuedouble : NAN;
	}
	return NAN;
}

/* Add d to the number of o under k. */
static void
bump(cJSON *o, const char *k, double d)
{
	cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);

	if (x)
		cJSON_SetNumberValue(x, x->valuedouble + d);
}

/* Add x to the running (sum, n) kept in o under k. */
static void
accumulate(cJSON *o, const char *k, double x, int chosen)
{
	cJSON *e = cJSON_GetObjectItemCaseSensitive(o, k);

	if (e == NULL) {
		e = cJSON_AddObjectToObject(o, k);
		cJSON_AddNumberToObject(e, "chosen", 0);
		cJSON_AddNumberToObject(e, "scored", 0);
		cJSON_AddNumberToObject(e, "sum", 0);
	}
	if (chosen)
		bump(e, "chosen", 1);
	if (isfinite(x)) {
		bump(e, "scored", 1);
		bump(e, "sum", x);
	}
}

/* Turn the (sum, scored) of each candidate into cv_mean. */
static void
finish_candidates(cJSON *cands)
{
	cJSON *e;

	cJSON_ArrayForEach(e, cands) {
		double sum = get(e, "sum")->valuedouble;
		double k = get(e, "scored")->valuedouble;

		cJSON_DeleteItemFromObjectCaseSensitive(e, "sum");
		fc_json_num(e, "cv_mean", k > 0 ? sum / k : NAN);
	}
}

/* models: the chosen model per series, counts, cross-validated accuracy. */
static int
add_models(cJSON *r, const char *path, fc_err *err)
{
	cJSON *doc, *m, *counts, *cands, *per, *s, *x;
	double sum = 0;
	size_t k = 0, n = 0;
	int st;

	m = cJSON_AddObjectToObject(r, "models");
	cJSON_AddStringToObject(m, "path", path);
	if ((st = read_json(path, &doc, err)) != 0)
		return st;
	if (doc == NULL) {
		cJSON_AddStringToObject(m, "status", "not run");
		return 0;
	}
	cJSON_AddStringToObject(m, "status", "ok");
	x = get(get(doc, "selection"), "metric");
	if (cJSON_IsString(x))
		cJSON_AddStringToObject(m, "metric", x->valuestring);
	counts = cJSON_AddObjectToObject(m, "counts");
	cands = cJSON_AddObjectToObject(m, "candidates");
	cJSON_ArrayForEach(x, get(get(doc, "selection"), "models"))
		if (cJSON_IsString(x))
			accumulate(cands, x->valuestring, NAN, 0);
	per = cJSON_CreateArray();
	cJSON_ArrayForEach(s, get(doc, "series")) {
		const char *id = cJSON_GetStringValue(get(s, "id"));
		const char *ch = cJSON_GetStringValue(get(get(s, "model"),
							  "model"));
		cJSON *e, *c;
		double cv;

		if (id == NULL || ch == NULL) {
			cJSON_Delete(per);
			cJSON_Delete(doc);
			return fc_err_set(err, FC_EX_DATAERR, path, 0,
					  "series without an id or a model");
		}
		cv = candidate_cv(s, ch);
		n++;
		if (isfinite(cv))
			sum += cv, k++;
		if ((e = cJSON_GetObjectItemCaseSensitive(counts, ch)))
			cJSON_SetNumberValue(e, e->valuedouble + 1);
		else
			cJSON_AddNumberToObject(counts, ch, 1);
		cJSON_ArrayForEach(c, get(s, "candidates")) {
			const char *cm = cJSON_GetStringValue(get(c, "model"));

			if (cm)
				accumulate(cands, cm, candidate_cv(s, cm),
					   strcmp(cm, ch) == 0);
		}
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "id", id);
		cJSON_AddStringToObject(e, "model", ch);
		fc_json_num(e, "cv", cv);
		cJSON_AddItemToArray(per, e);
	}
	finish_candidates(cands);
	cJSON_AddNumberToObject(m, "series", (double)n);
	fc_json_num(m, "cv_mean", k ? sum / (double)k : NAN);
	cJSON_AddItemToObject(m, "per_series", per);
	cJSON_Delete(doc);
	return 0;
}

/* Reading the forecast CSV one row at a time. */
struct fread {
	const char *path;
	long id, ds, yhat;
	cJSON *levels, *per, *cur;
	char last_id[256];
	double sum, k;
	unsigned long long rows;
	fc_err *err;
};

static int
fc_header(void *ctx, const fc_csv_row *row)
{
	struct fread *f = ctx;
	size_t i;

	f->id = fc_csv_find(row, "unique_id");
	f->ds = fc_csv_find(row, "ds");
	f->yhat = fc_csv_find(row, "yhat");
	if (f->id < 0 || f->ds < 0 || f->yhat < 0)
		return fc_err_set(f->err, FC_EX_DATAERR, f->path, row->line,
				  "not a forecast: expected the columns "
				  "unique_id, ds and yhat");
	for (i = 0; i < row->n; i++)
		if (strncmp(row->f[i], "lo_", 3) == 0)
			cJSON_AddItemToArray(f->levels,
					     cJSON_CreateNumber(
						     atof(row->f[i] + 3)));
	return 0;
}

/* Close the summary of the current series. */
static void
fc_close_series(struct fread *f)
{
	if (f->cur)
		fc_json_num(f->cur, "yhat_mean", f->k ? f->sum / f->k : NAN);
	f->cur = NULL;
}

static int
fc_row(void *ctx, const fc_csv_row *row)
{
	struct fread *f = ctx;
	const char *id = row->f[f->id], *ds = row->f[f->ds];
	char *end;
	double y = strtod(row->f[f->yhat], &end);
	cJSON *n;

	if (f->cur == NULL || strcmp(id, f->last_id) != 0) {
		fc_close_series(f);
		snprintf(f->last_id, sizeof f->last_id, "%s", id);
		f->cur = cJSON_CreateObject();
		cJSON_AddStringToObject(f->cur, "id", id);
		cJSON_AddNumberToObject(f->cur, "rows", 0);
		cJSON_AddStringToObject(f->cur, "first", ds);
		cJSON_AddStringToObject(f->cur, "last", ds);
		cJSON_AddItemToArray(f->per, f->cur);
		f->sum = f->k = 0;
	}
	if ((n = cJSON_GetObjectItemCaseSensitive(f->cur, "rows")) != NULL)
		cJSON_SetNumberValue(n, n->valuedouble + 1);
	cJSON_ReplaceItemInObjectCaseSensitive(f->cur, "last",
					       cJSON_CreateString(ds));
	if (end != row->f[f->yhat] && *end == '\0' && isfinite(y))
		f->sum += y, f->k++;
	return 0;
}

/* forecast: rows, series, levels, and per series its span and mean. */
static int
add_forecast(cJSON *r, const char *path, fc_err *err)
{
	cJSON *fo = cJSON_AddObjectToObject(r, "forecast");
	struct fread f = { .path = path, .err = err };
	FILE *fp;
	int st;

	cJSON_AddStringToObject(fo, "path", path);
	if ((fp = fopen(path, "rb")) == NULL) {
		cJSON_AddStringToObject(fo, "status", "not run");
		return 0;
	}
	cJSON_AddStringToObject(fo, "status", "ok");
	f.levels = cJSON_CreateArray();
	f.per = cJSON_CreateArray();
	st = fc_csv_each(fp, path, ',', fc_header, fc_row, &f, &f.rows, err);
	fclose(fp);
	fc_close_series(&f);
	cJSON_AddNumberToObject(fo, "rows", (double)f.rows);
	cJSON_AddNumberToObject(fo, "series", cJSON_GetArraySize(f.per));
	cJSON_AddItemToObject(fo, "levels", f.levels);
	cJSON_AddItemToObject(fo, "per_series", f.per);
	return st;
}

/* The number member key of j, or NAN. */
static double
num_of(const cJSON *j, const char *key)
{
	const cJSON *x = get(j, key);

	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/*
 * The drift of each column of an fc-drift report (fc-drift(1)): its name,
 * its test and statistic, its PSI as the score the figure draws, and
 * whether it drifted.
 */
static void
add_drift_columns(cJSON *v, const cJSON *doc)
{
	const cJSON *l = get(doc, "columns"), *x;
	cJSON *out;

	if (!cJSON_IsArray(l))
		return;
	out = cJSON_AddArrayToObject(v, "columns");
	cJSON_ArrayForEach(x, l) {
		const cJSON *name = get(x, "name"), *test = get(x, "test");
		cJSON *e;

		if (!cJSON_IsString(name))
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "column", name->valuestring);
		if (cJSON_IsString(get(test, "name")))
			cJSON_AddStringToObject(e, "test",
						get(test, "name")->valuestring);
		fc_json_num(e, "statistic", num_of(test, "statistic"));
		fc_json_num(e, "score", num_of(get(x, "psi"), "value"));
		if (cJSON_IsBool(get(x, "drift")))
			cJSON_AddBoolToObject(e, "drift",
					      cJSON_IsTrue(get(x, "drift")));
		cJSON_AddItemToArray(out, e);
	}
}

/* simulation or monitoring: the verdict of NAME.json, or "not run". */
static int
add_verdict(cJSON *r, const char *key, const char *path, int drift,
	    fc_err *err)
{
	cJSON *v = cJSON_AddObjectToObject(r, key), *doc;
	const cJSON *s;
	char hex[65];
	int st;

	cJSON_AddStringToObject(v, "path", path);
	if ((st = read_json(path, &doc, err)) != 0)
		return st;
	if (doc == NULL) {
		cJSON_AddStringToObject(v, "status", "not run");
		return 0;
	}
	/* fc-drift's report has a status; fc-sim's summary its warnings */
	s = get(doc, "status");
	cJSON_AddStringToObject(v, "status", cJSON_IsString(s) ?
				s->valuestring : "done");
	if (cJSON_IsArray(get(doc, "warnings")))
		cJSON_AddNumberToObject(v, "warnings",
					cJSON_GetArraySize(get(doc, "warnings")));
	if (fc_sha256_file(path, hex, NULL) == 0)
		cJSON_AddStringToObject(v, "sha256", hex);
	if (drift)
		add_drift_columns(v, doc);
	cJSON_Delete(doc);
	return 0;
}

/* run: id, started, finished, seconds; project: name and commit. */
static void
fill_run(cJSON *run, cJSON *p, const fc_config *cfg, const fc_report_opts *o,
	 double started, double finished)
{
	char buf[40];

	cJSON_AddStringToObject(run, "id", format_utc(finished, 1, buf,
							sizeof buf));
	cJSON_AddStringToObject(run, "started",
				format_utc(started, 0, buf, sizeof buf));
	cJSON_AddStringToObject(run, "finished",
				format_utc(finished, 0, buf, sizeof buf));
	fc_json_num(run, "seconds", round((finished - started) * 1000) / 1000);
	cJSON_AddStringToObject(p, "name", fc_config_str(cfg, "project.name"));
	if (o->commit)
		cJSON_AddStringToObject(p, "git_commit", o->commit);
	else
		cJSON_AddNullToObject(p, "git_commit");
	if (o->dirty >= 0)
		cJSON_AddBoolToObject(p, "git_dirty", o->dirty);
}

int
fc_report_build(const fc_config *cfg, const fc_report_opts *o, cJSON **out,
		fc_err *err)
{
	cJSON *r = cJSON_CreateObject(), *arr, *stages, *programs, *run, *proj;
	double finished = now_utc(), started = finished;
	char path[4096];
	size_t i;
	int st;

	*out = NULL;
	cJSON_AddStringToObject(r, "format", "fc-report");
	cJSON_AddNumberToObject(r, "format_version", 1);
	run = cJSON_AddObjectToObject(r, "run");
	proj = cJSON_AddObjectToObject(r, "project");
	programs = add_versions(r);
	if ((st = add_config(r, cfg, err)) != 0)
		goto fail;
	arr = cJSON_AddArrayToObject(r, "layers");
	stages = cJSON_CreateArray();
	for (i = 0; i < NLAYERS; i++) {
		layer_path(cfg, &layers[i], path, sizeof path);
		if ((st = add_layer(arr, stages, programs, &layers[i], path, o,
				    &started, err)) != 0) {
			cJSON_Delete(stages);
			goto fail;
		}
	}
	if ((st = add_models(r, layer_path(cfg, &layers[4], path, sizeof path),
			     err)) != 0 ||
	    (st = add_forecast(r, layer_path(cfg, &layers[5], path,
					     sizeof path), err)) != 0) {
		cJSON_Delete(stages);
		goto fail;
	}
	snprintf(path, sizeof path, "%s/simulations/%s.json",
		 fc_config_str(cfg, "paths.outputs"),
		 fc_config_str(cfg, "project.name"));
	if ((st = add_verdict(r, "simulation", path, 0, err)) != 0 ||
	    (st = add_verdict(r, "monitoring",
			      layer_path(cfg, &layers[7], path, sizeof path), 1,
			      err)) != 0) {
		cJSON_Delete(stages);
		goto fail;
	}
	cJSON_AddItemToObject(r, "stages", stages);
	fill_run(run, proj, cfg, o, started, finished);
	*out = r;
	return 0;
fail:
	cJSON_Delete(r);
	return st;
}

const char *
fc_report_id(const cJSON *report)
{
	return cJSON_GetStringValue(get(get(report, "run"), "id"));
}

int
fc_report_check(const cJSON *j, const char *path, fc_err *err)
{
	const char *f = cJSON_GetStringValue(get(j, "format"));

	if (!cJSON_IsObject(j) || f == NULL || strcmp(f, "fc-report") != 0)
		return fc_err_set(err, FC_EX_DATAERR, path, 0,
				  "not a run report: no format 'fc-report'");
	return 0;
}
