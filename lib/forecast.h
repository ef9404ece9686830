/* forecast - forecasting from a model file: horizon, levels, intervals */
#ifndef FC_FORECAST_H
#define FC_FORECAST_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"
#include "timeutil.h"

/* The model file format this fc reads and writes. */
#define FC_MODEL_FORMAT "fc-model"
#define FC_MODEL_FORMAT_VERSION 1

/* At most this many levels in predict.levels. */
#define FC_LEVELS_MAX 32

/* predict.horizon: steps forecast after the last time of a series. */
size_t fc_horizon_of(const fc_config *cfg);

/*
 * predict.levels as numbers into levels[0..FC_LEVELS_MAX), their count in
 * *n. 0, or FC_EX_CONFIG when an item is not a number strictly between 0
 * and 100, or there are too many.
 */
int fc_levels_of(const fc_config *cfg, double *levels, size_t *n,
		 fc_err *err);

/* The config blocks a model file depends on (schema, train, predict);
 * *n receives their number. Static, never freed. */
const char *const *fc_model_blocks(size_t *n);

/*
 * The conformal half-width at `level` percent from k absolute errors
 * e[0..k) (reordered in place): the ceil((k + 1) level / 100)-th smallest,
 * or the largest when that rank is beyond k. NaN when k is 0.
 */
double fc_conformal_width(double *e, size_t k, double level);

/* Options of fc_predict. */
typedef struct fc_predict_opts {
	const char *model_name;    /* the model file, for messages */
	FILE *future;              /* future rows, or NULL */
	const char *future_name;
	size_t horizon;
	const double *levels;
	size_t nlevels;
} fc_predict_opts;

/* What fc_predict did, for the sidecar. */
typedef struct fc_predict_stats {
	unsigned long long series, rows_out, future_rows;
} fc_predict_stats;

/*
 * Check that model (a parsed model file, named `name` in errors) has this
 * fc's format and version and was trained with the schema block of cfg;
 * `reader` is the program, for the message. 0, or FC_EX_DATAERR:
 * "unsupported model format version 2 (this fc-predict reads 1)", "model
 * trained with schema.target 'sales', config has 'y'".
 */
int fc_model_file_check(const cJSON *model, const char *name,
			const fc_config *cfg, const char *reader, fc_err *err);

/*
 * Write the forecasts of every series of model to out as CSV
 * (unique_id,ds,model,yhat,lo_L,hi_L ...): o->horizon steps after each
 * series' last time, or, with o->future, exactly the times of its rows
 * after the series' last time (which must follow it step by step). 0 or
 * a status with err filled (65 bad model file or future rows, 70).
 */
int fc_predict(const cJSON *model, const fc_config *cfg,
	       const fc_predict_opts *o, FILE *out, fc_predict_stats *st,
	       fc_err *err);

/*
 * One series as fc_predict would forecast it, handed to a hook instead of
 * being written (fc-sim). t holds the h times; for a regression p > 0 and
 * xf the h x p driver values (row-major, after the future rule), which the
 * hook may change; xname, xmin and xmax the columns' names and training
 * ranges. Everything belongs to fc_predict_each and lives during the call.
 */
typedef struct fc_pred {
	const char *id;
	const char *model;      /* the model's name */
	size_t h;
	const fc_time *t;
	size_t p;
	const char *const *xname;
	const double *xmin, *xmax;
	double *xf;
	const void *priv;
} fc_pred;

/* fc_predict_each calls series(ctx, s, err) once per series, in order;
 * a non-zero return stops it with that status. */
typedef struct fc_predict_hook {
	void *ctx;
	int (*series)(void *ctx, const fc_pred *s, fc_err *err);
} fc_predict_hook;

/*
 * fc_predict, but each series goes to hook instead of being written.
 * Same statuses.
 */
int fc_predict_each(const cJSON *model, const fc_config *cfg,
		    const fc_predict_opts *o, const fc_predict_hook *hook,
		    fc_predict_stats *st, fc_err *err);

/*
 * Forecast s from the drivers xf (h x p; ignored when p is 0) into
 * mean[h], sd[h] (the forecast error's standard deviation, NaN where the
 * model has none), *df (0: normal) and, with nlevels, lo and hi laid out
 * as fc_model_forecast's (conformal bounds where the model has no analytic
 * ones). 0 or a status with err filled.
 */
int fc_pred_forecast(const fc_pred *s, const double *xf,
		     const double *levels, size_t nlevels, double *mean,
		     double *sd, double *df, double *lo, double *hi,
		     fc_err *err);

/*
 * For a regression series: the residual variance into *sigma2 and the
 * variance of the horizon total's coefficient error, sigma2 a'Ca with a
 * the sum over the h rows of xf of (1, x), as the return value. NaN (and
 * *sigma2 NaN) for a univariate model.
 */
double fc_pred_total_covar(const fc_pred *s, const double *xf, double *sigma2);

#endif
