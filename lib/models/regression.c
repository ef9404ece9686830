/* regression - linear regression of the target on feature columns (GSL) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>

#include "models/impl.h"

/*
 * The fit of y[0..n) on an intercept and the p columns of x (row-major, n
 * rows of p values). Ordinary least squares, or with ridge > 0 the ridge
 * solution that penalises every coefficient but the intercept: the
 * least-squares solution of the design augmented by p rows sqrt(ridge) e_j.
 * Columns are used as given: nothing is centred or scaled.
 *
 * state: the k = p + 1 coefficients (intercept first), then the k x k
 * matrix C = (X'X + ridge D)^-1 (D: the identity but for the intercept),
 * row-major. sigma2 = RSS / (n - k). The forecast variance of a row x0 is
 * sigma2 (1 + x0' C x0) with a t quantile on n - k degrees of freedom, as
 * R's predict.lm(interval = "prediction"); under ridge the same formula is
 * an approximation.
 */

static int
singular(fc_err *err, size_t rank, size_t k)
{
	return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
			  "model 'regression': the intercept and the feature "
			  "columns are collinear (rank %zu of %zu)", rank, k);
}

/* C = (A'A)^-1 by Cholesky; 0 or -1 when A'A is not positive definite. */
static int
unscaled_cov(const gsl_matrix *a, gsl_matrix *c)
{
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, a, a, 0.0, c);
	if (gsl_linalg_cholesky_decomp1(c) != 0)
		return -1;
	return gsl_linalg_cholesky_invert(c) != 0 ? -1 : 0;
}

static int
solve(const double *y, const double *x, size_t n, size_t p, double ridge,
      fc_fit *f, double *fitted, fc_err *err)
{
	size_t k = p + 1, rows = n + (ridge > 0 ? p : 0), i, j, rank = 0;
	gsl_matrix *a = gsl_matrix_calloc(rows, k), *cov = gsl_matrix_alloc(k, k);
	gsl_vector *b = gsl_vector_calloc(rows), *c = gsl_vector_alloc(k);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(rows, k);
	double chisq, rss = 0, fit;
	int rc = 0;

	if (!a || !cov || !b || !c || !w) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		gsl_matrix_set(a, i, 0, 1.0);
		for (j = 0; j < p; j++)
			gsl_matrix_set(a, i, j + 1, x[i * p + j]);
		gsl_vector_set(b, i, y[i]);
	}
	for (j = 0; ridge > 0 && j < p; j++)
		gsl_matrix_set(a, n + j, j + 1, sqrt(ridge));
	if (gsl_multifit_linear_tsvd(a, b, GSL_DBL_EPSILON * (double)rows, c,
				     cov, &chisq, &rank, w) != 0 ||
	    rank < k) {
		rc = singular(err, rank, k);
		goto out;
	}
	if (unscaled_cov(a, cov) != 0) {
		rc = singular(err, rank, k);
		goto out;
	}
	for (i = 0; i < n; i++) {
		fit = gsl_vector_get(c, 0);
		for (j = 0; j < p; j++)
			fit += gsl_vector_get(c, j + 1) * x[i * p + j];
		fitted[i] = fit;
		rss += (y[i] - fit) * (y[i] - fit);
	}
	for (j = 0; j < k; j++)
		f->state[j] = gsl_vector_get(c, j);
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			f->state[k + i * k + j] = gsl_matrix_get(cov, i, j);
	f->sigma2 = rss / (double)(n - k);
out:
	gsl_matrix_free(a);
	gsl_matrix_free(cov);
	gsl_vector_free(b);
	gsl_vector_free(c);
	gsl_multifit_linear_free(w);
	return rc;
}

int
fc_regression_xfit(const double *y, const double *x, size_t n, size_t p,
		   double ridge, fc_fit **fit, fc_err *err)
{
	size_t k = p + 1, i;
	double *fitted;
	fc_fit *f;
	int rc;

	*fit = NULL;
	if (n <= k)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'regression': %zu rows are too few "
				  "for %zu coefficients", n, k);
	for (i = 0; i < n * p; i++)
		if (!isfinite(x[i]))
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model 'regression': feature value "
					  "%zu of row %zu is not a finite "
					  "number", i % p + 1, i / p + 1);
	if ((f = fc_fit_alloc(fc_model_find("regression"), 1, k + k * k,
			      err)) == NULL)
		return err->status;
	if ((fitted = malloc(n * sizeof *fitted)) == NULL) {
		fc_fit_free(f);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	fc_fit_set_param(f, 0, "ridge", ridge);
	if ((rc = solve(y, x, n, p, ridge, f, fitted, err)) != 0 ||
	    fc_fit_keep(f, y, fitted, n) != 0) {
		fc_fit_free(f);
		free(fitted);
		return rc ? rc : fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
					    "out of memory");
	}
	free(fitted);
	f->n = n;
	*fit = f;
	return 0;
}

size_t
fc_regression_ncols(const fc_fit *fit)
{
	size_t k = 1;

	while (k + k * k < fit->nstate)
		k++;
	return k + k * k == fit->nstate ? k - 1 : (size_t)-1;
}

double
fc_regression_covar(const fc_fit *fit, const double *a)
{
	size_t k = fc_regression_ncols(fit) + 1, i, j;
	const double *c = fit->state + k;
	double v = 0;

	if (k == 0)
		return NAN;
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			v += a[i] * c[i * k + j] * a[j];
	return fit->sigma2 * v;
}

double
fc_regression_coef(const fc_fit *fit, size_t j)
{
	size_t p = fc_regression_ncols(fit);

	return p != (size_t)-1 && j <= p ? fit->state[j] : NAN;
}

int
fc_regression_xforecast(const fc_fit *fit, const double *x, size_t h,
			double *mean, double *sd, double *df, fc_err *err)
{
	size_t p = fc_regression_ncols(fit), k = p + 1, s, i, j;
	const double *b = fit->state, *c = fit->state + k;
	double v, xi, xj;

	if (p == (size_t)-1 || fit->n <= k)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'regression': bad state");
	for (s = 0; s < h; s++) {
		const double *r = x + s * p;

		mean[s] = b[0];
		for (j = 0; j < p; j++)
			mean[s] += b[j + 1] * r[j];
		v = 0;
		for (i = 0; i < k; i++) {
			xi = i == 0 ? 1 : r[i - 1];
			for (j = 0; j < k; j++) {
				xj = j == 0 ? 1 : r[j - 1];
				v += xi * c[i * k + j] * xj;
			}
		}
		sd[s] = sqrt(fit->sigma2 * (1 + v));
	}
	*df = (double)(fit->n - k);
	return 0;
}

/* Without feature columns the model cannot be fitted or forecast. */
int
fc_regression_fit(const double *y, size_t n, int m, fc_fit **fit,
		  fc_err *err)
{
	(void)y, (void)n, (void)m;
	*fit = NULL;
	return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
			  "model 'regression' needs feature columns");
}

int
fc_regression_forecast(const fc_fit *fit, size_t h, double *mean,
		       double *sd, double *df, fc_err *err)
{
	(void)fit, (void)h, (void)mean, (void)sd, (void)df;
	return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
			  "model 'regression' needs future feature values");
}

size_t
fc_regression_min(int m)
{
	(void)m;
	return 2;
}
