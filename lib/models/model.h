/* model - the table of forecasting models, fitted models and their JSON */
#ifndef FC_MODEL_H
#define FC_MODEL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "err.h"

/*
 * Ownership: an fc_fit comes from fc_model_fit or fc_fit_from_json and is
 * released with fc_fit_free (NULL is a no-op). Everything a fit points to
 * belongs to it. The model table is static and never freed. Arrays passed
 * in (series, levels) are only read and stay the caller's.
 */

struct fc_fit;

/* One named parameter of a fitted model (smoothing weights, initial
 * states, the drift, the mean ...). */
typedef struct fc_param {
	char name[16];
	double value;
} fc_param;

/*
 * What a model with feature columns adds to the univariate interface.
 * fit: y[0..n) on the p columns of x (row-major, n rows of p finite
 * values) with ridge penalty `ridge` (0: none); forecast: h steps whose
 * feature rows are x[0..h*p), filling mean, sd and *df as
 * fc_model_def.forecast does. ncols(fit) is the p of a fit.
 */
typedef struct fc_xmodel_def {
	int (*fit)(const double *y, const double *x, size_t n, size_t p,
		   double ridge, struct fc_fit **fit, fc_err *err);
	int (*forecast)(const struct fc_fit *fit, const double *x, size_t h,
			double *mean, double *sd, double *df, fc_err *err);
	size_t (*ncols)(const struct fc_fit *fit);
	/* sigma2 a'Ca: the variance of a'(b - beta), a weighting the
	 * intercept then the p columns (p + 1 values), C the coefficients'
	 * unscaled covariance. */
	double (*covar)(const struct fc_fit *fit, const double *a);
	/* fit with season length m (m <= 1: none), for a time-series
	 * model, whose rows must be consecutive (NULL: fit, a model of
	 * rows in any order, without seasons) */
	int (*fit_m)(const double *y, const double *x, size_t n, size_t p,
		     int m, double ridge, struct fc_fit **fit, fc_err *err);
	/* the intercept (j = 0; NaN without one) and the coefficient of
	 * column j = 1..p of a fit */
	double (*coef)(const struct fc_fit *fit, size_t j);
} fc_xmodel_def;

/*
 * A model: its name as written in train.models, how to fit it and how to
 * forecast from a fit. min_length(m) is the shortest series the model
 * fits for season length m (m <= 1: no season); `intervals` is 1 when the
 * model has analytic prediction intervals. forecast fills the means and
 * the standard deviations of the h forecast errors (NaN without intervals)
 * and *df, the degrees of freedom of a Student t quantile (0: normal).
 */
typedef struct fc_model_def {
	const char *name;
	int (*fit)(const double *y, size_t n, int m, struct fc_fit **fit,
		   fc_err *err);
	int (*forecast)(const struct fc_fit *fit, size_t h, double *mean,
			double *sd, double *df, fc_err *err);
	size_t (*min_length)(int m);
	int intervals;
} fc_model_def;

/*
 * The feature-column interface of def, or NULL for a univariate model.
 * A model with one has fit and forecast functions that fail: fc_model_xfit
 * and fc_model_xforecast are the way in. (A table beside the model table,
 * so that the rows of fc_model_def keep their five fields.)
 */
const fc_xmodel_def *fc_model_x(const fc_model_def *def);

/*
 * A fitted model. `state` is what forecasting needs (model specific, see
 * the model's file); `par` the named parameters. sigma2 is the residual
 * variance the intervals use (for multiplicative-error models the variance
 * of the relative errors); loglik and aicc are NaN where the model has no
 * likelihood. fitted and resid (n values, NaN where undefined) may be NULL.
 * `intervals` is 1 when fc_model_forecast fills lo/hi analytically. form
 * names a variant of the model when it has several (an ETS form such as
 * "AAdN", an ARIMA order such as "ARIMA(0,1,1)(0,1,1)[12]"), else it is
 * empty.
 */
typedef struct fc_fit {
	const fc_model_def *def;
	char form[64];
	int m;
	size_t n;
	size_t npar;
	fc_param *par;
	size_t nstate;
	double *state;
	double sigma2;
	double loglik;
	double aicc;
	double *fitted;
	double *resid;
	int intervals;
	struct fc_fit **member; /* an ensemble's fitted members, else NULL */
	size_t nmember;
} fc_fit;

/* At most this many members in an ensemble. */
#define FC_ENSEMBLE_MAX 8

/*
 * The members of `ensemble` (train.ensemble.members) and how they combine
 * (median 1, mean 0); until it is called, the default members
 * (ets, theta, dotm) and the mean. Call before fitting starts: fits read it from every thread.
 * FC_EX_CONFIG for an unknown member, `ensemble` itself, or a count
 * outside 1..FC_ENSEMBLE_MAX.
 */
int fc_ensemble_configure(const char *const *names, size_t n, int median,
			  fc_err *err);

/*
 * The seasonal periods of `mstl` (train.mstl.periods; none: the season
 * length) and the model of its adjusted series (train.mstl.model); until
 * it is called, none and ses. Call before fitting starts. FC_EX_CONFIG
 * for a period below 2, more than 8, or a model that is mstl or ensemble.
 */
int fc_mstl_configure(const long *periods, size_t np, const char *model,
		      fc_err *err);

/*
 * mstl with these periods, unless train.mstl.periods names others (then
 * as fc_mstl_fit): how `auto` fits hourly series. The fit's def is left
 * for the caller to set.
 */
int fc_mstl_fit_periods(const double *y, size_t n, int m, const int *periods,
			size_t np, struct fc_fit **fit, fc_err *err);

/* The models, in table order; *count receives their number. */
const fc_model_def *fc_model_list(size_t *count);

/* The model called `name`, or NULL when there is none. */
const fc_model_def *fc_model_find(const char *name);

/*
 * Fit `def` to y[0..n-1] with season length m (m <= 1 for none). On
 * success *fit is a new fit the caller frees with fc_fit_free and 0 is
 * returned. On failure *fit is NULL and the status is returned:
 * FC_EX_DATAERR for a NaN or infinite value, a series shorter than
 * def->min_length(m) or data the model cannot take (a multiplicative model
 * on values <= 0); FC_EX_SOFTWARE when memory or the optimiser fails.
 */
int fc_model_fit(const fc_model_def *def, const double *y, size_t n, int m,
		 fc_fit **fit, fc_err *err);

/*
 * Forecast h steps ahead into mean[0..h-1]. lo and hi (NULL when nlevels
 * is 0) receive nlevels * h values laid out [level][step]: lo[i * h + j]
 * is the lower bound at levels[i] percent (0 < level < 100) of step j + 1.
 * When fit->intervals is 0 the bounds are NaN, to be filled from
 * cross-validation errors by the caller. 0, or FC_EX_USAGE for a level out
 * of range, FC_EX_SOFTWARE for a fit that cannot forecast.
 */
int fc_model_forecast(const fc_fit *fit, size_t h, const double *levels,
		      size_t nlevels, double *mean, double *lo, double *hi,
		      fc_err *err);

/*
 * fc_model_fit and fc_model_forecast for a model with feature columns
 * (def->x not NULL): y[0..n) on the p columns of x (n rows of p values,
 * row-major), ridge >= 0; then h steps ahead from the feature rows
 * xf[0..h*p) in the column order of the fit. Statuses as those of the
 * univariate pair, and FC_EX_DATAERR for a model without feature columns,
 * a non-finite value, too few rows or collinear columns.
 */
int fc_model_xfit(const fc_model_def *def, const double *y, const double *x,
		  size_t n, size_t p, double ridge, fc_fit **fit, fc_err *err);
/* fc_model_xfit with season length m (m <= 1: none), for the models
 * that have seasons (arimax); the others ignore m. */
int fc_model_xfit_m(const fc_model_def *def, const double *y,
		    const double *x, size_t n, size_t p, int m, double ridge,
		    fc_fit **fit, fc_err *err);
int fc_model_xforecast(const fc_fit *fit, const double *xf, size_t h,
		       const double *levels, size_t nlevels, double *mean,
		       double *lo, double *hi, fc_err *err);

/* The value of the parameter `name` of fit, or NaN when it has none. */
double fc_fit_param(const fc_fit *fit, const char *name);

/*
 * The fit as a new JSON object the caller frees with cJSON_Delete; NULL
 * when out of memory. Finite doubles are written so that they read back to
 * the same double; NaN and infinities are written as the strings "nan",
 * "inf" and "-inf", never as null. fitted values are not written.
 */
cJSON *fc_fit_to_json(const fc_fit *fit);

/*
 * Read a fit written by fc_fit_to_json. On success *fit is a new fit (free
 * with fc_fit_free) and 0 is returned; otherwise *fit is NULL and
 * FC_EX_DATAERR is returned with the offending member named in err.
 */
int fc_fit_from_json(const cJSON *obj, fc_fit **fit, fc_err *err);

/* Free fit and everything it owns; NULL is a no-op. */
void fc_fit_free(fc_fit *fit);

/*
 * For model files: a new empty fit for def with room for npar parameters
 * and nstate states (zeroed), sigma2, loglik and aicc NaN. NULL when out
 * of memory.
 */
fc_fit *fc_fit_new(const fc_model_def *def, size_t npar, size_t nstate);

/* For model files: set parameter i of fit to name = value. */
void fc_fit_set_param(fc_fit *fit, size_t i, const char *name, double value);

#endif
