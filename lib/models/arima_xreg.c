/* arima_xreg - regression with ARIMA errors on feature columns (arimax) */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>

#include "models/arima.h"
#include "models/impl.h"

/*
 * The model of R's forecast::auto.arima(y, xreg = X) (Hyndman and
 * Athanasopoulos, Forecasting: principles and practice, ch. "Dynamic
 * regression models"): y_t = c + X_t beta + n_t, n_t an ARIMA process
 * whose order the stepwise search of the arima model chooses with X in
 * every candidate. The checks come first, as auto.arima's: no constant
 * column and a design [1 X] of full rank (smallest singular value over
 * their sum at least the machine epsilon); then the number of differences
 * is chosen on the residuals of the least-squares regression of y on
 * [1 X], and the fits (lib/models/arima.c) estimate beta with the ARMA
 * coefficients by the exact likelihood, y and X differenced alike.
 * Forecasts add X_f beta on the future rows to the forecasts of the ARIMA
 * errors, whose variance gives the intervals (beta taken as known, as R's
 * predict.Arima).
 */

/* 1 when [1 x[:, 0..k)] (n rows of p) is of full rank by auto.arima's
 * test; -1 out of memory. */
static int
full_rank(const double *x, size_t n, size_t p, size_t k)
{
	gsl_matrix *A = gsl_matrix_alloc(n, k + 1);
	gsl_matrix *V = gsl_matrix_alloc(k + 1, k + 1);
	gsl_vector *S = gsl_vector_alloc(k + 1), *w = gsl_vector_alloc(k + 1);
	double sum = 0, mn = INFINITY;
	size_t t, j;
	int rc = -1;

	if (A == NULL || V == NULL || S == NULL || w == NULL)
		goto out;
	for (t = 0; t < n; t++) {
		gsl_matrix_set(A, t, 0, 1);
		for (j = 0; j < k; j++)
			gsl_matrix_set(A, t, j + 1, x[t * p + j]);
	}
	rc = 0;
	if (gsl_linalg_SV_decomp(A, V, S, w) != GSL_SUCCESS)
		goto out;
	for (j = 0; j <= k; j++) {
		sum += gsl_vector_get(S, j);
		mn = fmin(mn, gsl_vector_get(S, j));
	}
	rc = sum > 0 && mn / sum >= DBL_EPSILON;
out:
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(S);
	gsl_vector_free(w);
	return rc;
}

/* The residuals of the least-squares fit of y on [1 x] into r; -1 when
 * it fails. */
static int
residuals(const double *y, const double *x, size_t n, size_t p, double *r)
{
	gsl_matrix *A = gsl_matrix_alloc(n, p + 1), *cov;
	gsl_vector *b = gsl_vector_alloc(n), *c = gsl_vector_alloc(p + 1);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p + 1);
	double chisq;
	size_t t, j;
	int rc = -1;

	cov = gsl_matrix_alloc(p + 1, p + 1);
	if (A == NULL || b == NULL || c == NULL || w == NULL || cov == NULL)
		goto out;
	for (t = 0; t < n; t++) {
		gsl_matrix_set(A, t, 0, 1);
		for (j = 0; j < p; j++)
			gsl_matrix_set(A, t, j + 1, x[t * p + j]);
		gsl_vector_set(b, t, y[t]);
	}
	if (gsl_multifit_linear(A, b, c, cov, &chisq, w) != GSL_SUCCESS)
		goto out;
	for (t = 0; t < n; t++) {
		double f = gsl_vector_get(c, 0);

		for (j = 0; j < p; j++)
			f += gsl_vector_get(c, j + 1) * x[t * p + j];
		r[t] = y[t] - f;
	}
	rc = 0;
out:
	gsl_matrix_free(A);
	gsl_matrix_free(cov);
	gsl_vector_free(b);
	gsl_vector_free(c);
	gsl_multifit_linear_free(w);
	return rc;
}

/* The checks of auto.arima on the columns of x, each failure naming its
 * column. */
static int
check_columns(const double *x, size_t n, size_t p, fc_err *err)
{
	double *c = malloc((n + 1) * sizeof *c);
	size_t i, j, t;
	int r;

	if (c == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	for (i = 0; i < n * p; i++)
		if (!isfinite(x[i])) {
			free(c);
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model 'arimax': feature value %zu "
					  "of row %zu is not a finite number",
					  i % p + 1, i / p + 1);
		}
	for (j = 0; j < p; j++) {
		for (t = 0; t < n; t++)
			c[t] = x[t * p + j];
		if (fc_is_constant(c, n)) {
			free(c);
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model 'arimax': feature column %zu "
					  "is constant over the %zu rows fitted "
					  "(no regressor beside the intercept)",
					  j + 1, n);
		}
	}
	free(c);
	for (j = 1; j <= p; j++) {
		if ((r = full_rank(x, n, p, j)) < 0)
			return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
					  "out of memory");
		if (r == 0)
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model 'arimax': feature column %zu "
					  "is collinear with the intercept and "
					  "the columns before it (the "
					  "regressors are rank deficient)", j);
	}
	return 0;
}

int
fc_arimax_xfit_m(const double *y, const double *x, size_t n, size_t p,
		 int m, double ridge, fc_fit **fit, fc_err *err)
{
	double *r;
	int rc;

	*fit = NULL;
	if (ridge != 0)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'arimax' takes no ridge penalty "
				  "(train.regression.ridge is for model "
				  "'regression')");
	if (p > 40)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'arimax': %zu feature columns are "
				  "too many (40 at most)", p);
	if (n < 3 || n <= p + 1)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'arimax': %zu rows are too few for "
				  "%zu feature columns", n, p);
	if (fc_is_constant(y, n))
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'arimax': the series is constant");
	if ((rc = check_columns(x, n, p, err)) != 0)
		return rc;
	if ((r = malloc(n * sizeof *r)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	gsl_set_error_handler_off();
	if (residuals(y, x, n, p, r) != 0)
		rc = fc_err_set(err, FC_EX_DATAERR, NULL, 0, "model 'arimax': "
				"cannot regress the series on its columns");
	else
		rc = fc_arima_auto_x(y, x, n, p, r, m < 1 ? 1 : m, fit, err);
	free(r);
	return rc;
}

int
fc_arimax_xfit(const double *y, const double *x, size_t n, size_t p,
	       double ridge, fc_fit **fit, fc_err *err)
{
	return fc_arimax_xfit_m(y, x, n, p, 1, ridge, fit, err);
}

/* The errors are autocorrelated: no coefficient-error recursion. */
double
fc_arimax_covar(const fc_fit *fit, const double *a)
{
	(void)fit, (void)a;
	return NAN;
}

double
fc_arimax_coef(const fc_fit *fit, size_t j)
{
	size_t p = fc_arimax_ncols(fit);

	if (p == (size_t)-1 || j > p)
		return NAN;
	if (j == 0)
		return fc_fit_param(fit, "intercept");
	return fit->par[fit->npar - p + j - 1].value;
}

/* Without feature columns the model cannot be fitted or forecast. */
int
fc_arimax_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	(void)y, (void)n, (void)m;
	*fit = NULL;
	return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
			  "model 'arimax' needs feature columns");
}

int
fc_arimax_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		   double *df, fc_err *err)
{
	(void)fit, (void)h, (void)mean, (void)sd, (void)df;
	return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
			  "model 'arimax' needs future feature values");
}
