/* arima - ARIMA models: exact likelihood, fixed-order fits, auto selection */
#ifndef FC_MODELS_ARIMA_H
#define FC_MODELS_ARIMA_H

#include <stddef.h>

#include "err.h"
#include "models/model.h"

/*
 * Ownership: fits come back as fc_fit (free with fc_fit_free); arrays
 * passed in are only read and stay the caller's.
 */

/* How the coefficients are estimated, as stats::arima's `method`. */
enum fc_arima_method {
	FC_ARIMA_CSS_ML, /* conditional sum of squares, then exact ML */
	FC_ARIMA_ML,     /* exact ML from zero */
	FC_ARIMA_CSS     /* conditional sum of squares only */
};

/*
 * An order: ARIMA(p,d,q)(P,D,Q)[m]. constant: with d + D = 0 a mean
 * (intercept), with d + D = 1 a drift (a coefficient on 1..n); ignored
 * when d + D >= 2.
 */
typedef struct fc_arima_spec {
	int p, d, q, P, D, Q, m;
	int constant;
} fc_arima_spec;

/* What fc_arima_fit_order reports beside the fit. */
typedef struct fc_arima_info {
	double minroot; /* smallest modulus of the AR and MA roots, 2: none */
	double sigma2;  /* stats::arima's: ssq / (n - d - Dm), or CSS */
	double aic;     /* -2 loglik + 2k (CSS: the approximation) */
	int var_bad;    /* the numerical Hessian gives no usable variances
			 * (forecast's checkarima); checked only when the
			 * roots pass and the aic or aicc is below: */
	double var_limit; /* in: set by the caller (INFINITY: always) */
} fc_arima_info;

/*
 * Fit the order spec to y[0..n-1] by `method`, as forecast's Arima does
 * (stats::arima, then sigma2 the sum of squared residuals over
 * n - d - Dm - k + 1, k the number of coefficients plus one). On success
 * *fit is a new fit of the `arima` model and 0 is returned; its aicc is
 * that of forecast (for FC_ARIMA_CSS: offset + nstar log sigma2 + 2k, the
 * approximation auto.arima searches with). *info (when not NULL)
 * receives the roots, stats' sigma2, the aic and the variance check. On
 * failure (non-stationary CSS start, optimiser failure) *fit is NULL and
 * FC_EX_DATAERR or FC_EX_SOFTWARE is returned.
 */
int fc_arima_fit_order(const double *y, size_t n, const fc_arima_spec *spec,
		       enum fc_arima_method method, double offset,
		       fc_fit **fit, fc_arima_info *info, fc_err *err);

/*
 * Regression with ARIMA errors, as forecast's Arima(y, order, xreg = x):
 * y_t = c + x_t'beta + n_t with n_t ARIMA spec, c the constant of spec
 * (a mean, or a drift before the p columns of x, n rows, row-major), all
 * coefficients estimated with the ARMA ones by `method` as stats::arima
 * does (regressors orthogonalised by their SVD, started from least
 * squares on the differenced data). A fit of the `arimax` model whose
 * parameters end with xreg1..xregp; otherwise as fc_arima_fit_order.
 */
int fc_arima_fit_xorder(const double *y, const double *x, size_t n,
			size_t p, const fc_arima_spec *spec,
			enum fc_arima_method method, double offset,
			fc_fit **fit, fc_arima_info *info, fc_err *err);

/*
 * auto.arima(y, xreg = x) once x is checked (finite, no constant column,
 * full rank with the intercept): the differences chosen on yt (the
 * residuals of the regression of y on an intercept and x), one given back
 * when it would leave a column of x constant, then the search of
 * fc_arima_fit with x in every candidate. 0, or a status with err set.
 */
int fc_arima_auto_x(const double *y, const double *x, size_t n, size_t p,
		    const double *yt, int m, fc_fit **fit, fc_err *err);

/*
 * The arimax model of the table (fc_xmodel_def, model.h): the automatic
 * search with the feature columns as regressors (ridge must be 0), the
 * forecasts with their future rows, the number of columns of a fit, the
 * intercept (j = 0; NaN without one) and the coefficient of column j.
 */
int fc_arimax_xfit(const double *y, const double *x, size_t n, size_t p,
		   double ridge, fc_fit **fit, fc_err *err);
int fc_arimax_xfit_m(const double *y, const double *x, size_t n, size_t p,
		     int m, double ridge, fc_fit **fit, fc_err *err);
int fc_arimax_xforecast(const fc_fit *fit, const double *x, size_t h,
			double *mean, double *sd, double *df, fc_err *err);
size_t fc_arimax_ncols(const fc_fit *fit);
double fc_arimax_covar(const fc_fit *fit, const double *a);
double fc_arimax_coef(const fc_fit *fit, size_t j);
int fc_arimax_fit(const double *y, size_t n, int m, fc_fit **fit,
		  fc_err *err);
int fc_arimax_forecast(const fc_fit *fit, size_t h, double *mean,
		       double *sd, double *df, fc_err *err);

/*
 * A fit of spec (no ARMA terms) with its constant fixed at c, as Arima
 * with `fixed`: for constant or polynomial series, whose residuals are
 * all zero. 0 or FC_EX_SOFTWARE out of memory.
 */
int fc_arima_fit_fixed(const double *y, size_t n, const fc_arima_spec *spec,
		       double c, fc_fit **fit, fc_err *err);

/* fit and forecast of the model table (auto.arima's search) */
int fc_arima_fit(const double *y, size_t n, int m, fc_fit **fit,
		 fc_err *err);
int fc_arima_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		      double *df, fc_err *err);
size_t fc_arima_min(int m);

/* The form of spec as R prints it: "ARIMA(p,d,q)(P,D,Q)[m] with drift";
 * out has room for len bytes. */
void fc_arima_form(const fc_arima_spec *spec, char *out, size_t len);

/*
 * The KPSS level-stationarity statistic of y (urca's ur.kpss, type "mu")
 * with `lags` Bartlett lags.
 */
double fc_kpss_stat(const double *y, size_t n, size_t lags);

/* The number of differences ndiffs(y, test = "kpss") chooses (0..2). */
int fc_ndiffs(const double *y, size_t n);

/* The number of seasonal differences nsdiffs(y) chooses (0 or 1) for
 * season length m > 1: seasonal strength of an STL fit > 0.64. */
int fc_nsdiffs(const double *y, size_t n, int m);

/* The seasonal strength of y (forecast's seas.heuristic): 1 - var(R) /
 * var(R + S) of stl(y, s.window = 11) clamped to [0, 1]; NaN when n <=
 * 2m. */
double fc_seas_strength(const double *y, size_t n, int m);

/* STL: fc_stl in models/impl.h. */

/* True when y is constant to R's all.equal tolerance. */
int fc_is_constant(const double *y, size_t n);

#endif
