/* impl - what the model files share: fit and forecast functions, helpers */
#ifndef FC_MODELS_IMPL_H
#define FC_MODELS_IMPL_H

#include <stddef.h>

#include "err.h"
#include "models/model.h"

/*
 * Every fit function has the contract of fc_model_def.fit: y has n >=
 * min_length(m) finite values (fc_model_fit checked), *fit receives a new
 * fit or is left NULL on failure, and the status is returned. Every
 * forecast function has the contract of fc_model_def.forecast.
 */
#define FC_MODEL_FUNCS(x)                                                 \
	int fc_##x##_fit(const double *y, size_t n, int m, fc_fit **fit,  \
			 fc_err *err);                                    \
	int fc_##x##_forecast(const fc_fit *fit, size_t h, double *mean,  \
			      double *sd, double *df, fc_err *err);       \
	size_t fc_##x##_min(int m);

FC_MODEL_FUNCS(naive)
FC_MODEL_FUNCS(snaive)
FC_MODEL_FUNCS(mean)
FC_MODEL_FUNCS(drift)
FC_MODEL_FUNCS(naive2)
FC_MODEL_FUNCS(theta)
FC_MODEL_FUNCS(croston)
FC_MODEL_FUNCS(tsb)
FC_MODEL_FUNCS(ensemble)
FC_MODEL_FUNCS(dotm)
FC_MODEL_FUNCS(mstl)
FC_MODEL_FUNCS(ces)
FC_MODEL_FUNCS(auto)

/* The longest season ets models (as R's ets); a longer one is ignored. */
#define FC_ETS_MAX_SEASON 24
/* The admissible ETS forms of a seasonal series: error A or M, trend N, A
 * or Ad, season N, A or M, never an additive error with a multiplicative
 * season. */
#define FC_ETS_FORMS 15

/*
 * An ensemble fit of the k fitted members (k <= FC_ENSEMBLE_MAX), combined
 * by their median (median 1) or mean, as fc_ensemble_fit combines the
 * members it fits; the members become the fit's, or are freed on failure.
 * FC_EX_DATAERR when k is 0.
 */
int fc_ensemble_of(fc_fit **members, size_t k, int median, const double *y,
		   size_t n, fc_fit **fit, fc_err *err);

/*
 * STL of y[0..n) with the given period (2 or more, n > 2 period) and
 * seasonal window, as R's stl(x, s.window) without robustness: season and
 * trend receive n values each (the remainder is y less both). 0, or -1
 * out of memory.
 */
int fc_stl(const double *y, size_t n, int period, int s_window,
	   double *season, double *trend);

FC_MODEL_FUNCS(regression)

/* The regression model's fit and forecast with feature columns: the
 * contracts of fc_xmodel_def (model.h). */
int fc_regression_xfit(const double *y, const double *x, size_t n, size_t p,
		       double ridge, fc_fit **fit, fc_err *err);
size_t fc_regression_ncols(const fc_fit *fit);
double fc_regression_covar(const fc_fit *fit, const double *a);
double fc_regression_coef(const fc_fit *fit, size_t j);
int fc_regression_xforecast(const fc_fit *fit, const double *x, size_t h,
			    double *mean, double *sd, double *df,
			    fc_err *err);

int fc_ses_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err);
int fc_holt_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err);
int fc_damped_fit(const double *y, size_t n, int m, fc_fit **fit,
		  fc_err *err);
int fc_hw_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err);
int fc_hwm_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err);
int fc_ets_model_forecast(const fc_fit *fit, size_t h, double *mean,
			  double *sd, double *df, fc_err *err);
int fc_autoets_fit(const double *y, size_t n, int m, fc_fit **fit,
		   fc_err *err);
size_t fc_autoets_min(int m);
int fc_ets_weighted_fit(const double *y, size_t n, int m, fc_fit **fit,
			fc_err *err);
int fc_ets_weighted_forecast(const fc_fit *fit, size_t h, double *mean,
			     double *sd, double *df, fc_err *err);
size_t fc_ses_min(int m);
size_t fc_holt_min(int m);
size_t fc_damped_min(int m);
size_t fc_hw_min(int m);

/* A new fit or an "out of memory" error (FC_EX_SOFTWARE) in err. */
fc_fit *fc_fit_alloc(const fc_model_def *def, size_t npar, size_t nstate,
		     fc_err *err);

/* Set fit->fitted and fit->resid (new arrays of n values, NaN where the
 * fitted value is undefined) from y and fitted values f; 0 or -1. */
int fc_fit_keep(fc_fit *fit, const double *y, const double *f, size_t n);

/* The mean square of the finite values of resid[0..n), NaN when there are
 * none: the sigma2 of a combination of fits (ensemble, ets_weighted). */
double fc_resid_ms(const double *resid, size_t n);

/*
 * Autocorrelations r[1..maxlag] of y as R's acf computes them (r[0] = 1):
 * sums of lagged products over the sum of squares, both around the mean.
 * r has maxlag + 1 elements. A constant series gets r[k] = 0.
 */
void fc_acf(const double *y, size_t n, size_t maxlag, double *r);

/*
 * The 90% seasonality test of the M4 benchmarks and of thetaf: m > 1,
 * n >= 3m and |r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n). 1 when
 * seasonal.
 */
int fc_season_test(const double *y, size_t n, int m);

/*
 * Classical decomposition, as R's decompose: a centred moving average of
 * order m (2 x m for even m) for the trend, the seasonal figure the mean of
 * the detrended values per season (ratio when mult), normalised to sum 0
 * (mult: to mean 1). season[0..m-1] receives the figure of the seasons of
 * y[0] ... y[m-1]. Needs n >= 2m; 0 or -1 when out of memory.
 */
int fc_decompose(const double *y, size_t n, int m, int mult, double *season);

/*
 * Seasonal indices for y into si[0..n+m-1], the n in-sample ones then the
 * m that follow: those of a classical multiplicative decomposition when
 * fc_season_test finds seasonality and every index is positive, else all
 * 1. Returns 1 when adjusted, 0 when not, -1 out of memory.
 */
int fc_season_indices(const double *y, size_t n, int m, double *si);

/* Simple exponential smoothing with weight alpha from level l0; the
 * level after the last value. */
double fc_ses_level(const double *y, size_t n, double alpha, double l0);

#endif
