/* simple - the benchmark methods: naive, snaive, mean, drift, naive2 */
#include <math.h>
#include <stdlib.h>

#include "models/impl.h"

/*
 * Intervals follow R's forecast package: naive and snaive take sigma as the
 * root mean square of the (seasonal) differences; drift adds the variance
 * of the estimated drift; mean uses Student's t with n - 1 degrees of
 * freedom and the sample standard deviation times sqrt(1 + 1/n).
 */

/* Root mean square of the lag-k differences of y. */
static double
rms_diff(const double *y, size_t n, size_t k)
{
	double s = 0;
	size_t t;

	for (t = k; t < n; t++)
		s += (y[t] - y[t - k]) * (y[t] - y[t - k]);
	return s / (double)(n - k);
}

/* Fitted values of a lag-k walk: NaN for the first k. */
static int
keep_lagged(fc_fit *fit, const double *y, size_t n, size_t k)
{
	size_t t;

	if (fc_fit_keep(fit, y, y, n) != 0)
		return -1;
	for (t = 0; t < n; t++) {
		fit->fitted[t] = t < k ? NAN : y[t - k];
		fit->resid[t] = y[t] - fit->fitted[t];
	}
	return 0;
}

static int
oom(fc_err *err)
{
	return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

/* naive: state = {last value} */

size_t
fc_naive_min(int m)
{
	(void)m;
	return 2;
}

int
fc_naive_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	(void)m;
	if ((*fit = fc_fit_alloc(NULL, 0, 1, err)) == NULL)
		return err ? err->status : FC_EX_SOFTWARE;
	(*fit)->state[0] = y[n - 1];
	(*fit)->sigma2 = rms_diff(y, n, 1);
	(*fit)->intervals = 1;
	if (keep_lagged(*fit, y, n, 1) != 0)
		return oom(err);
	return 0;
}

int
fc_naive_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		  double *df, fc_err *err)
{
	size_t j;

	(void)err;
	*df = 0;
	for (j = 0; j < h; j++) {
		mean[j] = fit->state[0];
		sd[j] = sqrt(fit->sigma2 * (double)(j + 1));
	}
	return 0;
}

/* snaive: state = the last m values, oldest first */

size_t
fc_snaive_min(int m)
{
	return (size_t)m + 1;
}

int
fc_snaive_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	size_t k = (size_t)m, i;

	if ((*fit = fc_fit_alloc(NULL, 0, k, err)) == NULL)
		return err ? err->status : FC_EX_SOFTWARE;
	for (i = 0; i < k; i++)
		(*fit)->state[i] = y[n - k + i];
	(*fit)->sigma2 = rms_diff(y, n, k);
	(*fit)->intervals = 1;
	if (keep_lagged(*fit, y, n, k) != 0)
		return oom(err);
	return 0;
}

int
fc_snaive_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		   double *df, fc_err *err)
{
	size_t j, k = fit->nstate;

	(void)err;
	*df = 0;
	for (j = 0; j < h; j++) {
		mean[j] = fit->state[j % k];
		size_t seasons = j / k + 1; /* whole seasons, on purpose */

		sd[j] = sqrt(fit->sigma2 * (double)seasons);
	}
	return 0;
}

/* mean: state = {mean}, sigma2 the sample variance */

size_t
fc_mean_min(int m)
{
	(void)m;
	return 2;
}

int
fc_mean_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double mu = 0, ss = 0, *f;
	size_t t;

	(void)m;
	if ((*fit = fc_fit_alloc(NULL, 1, 1, err)) == NULL)
		return err ? err->status : FC_EX_SOFTWARE;
	for (t = 0; t < n; t++)
		mu += y[t];
	mu /= (double)n;
	for (t = 0; t < n; t++)
		ss += (y[t] - mu) * (y[t] - mu);
	fc_fit_set_param(*fit, 0, "mean", mu);
	(*fit)->state[0] = mu;
	(*fit)->sigma2 = ss / (double)(n - 1);
	(*fit)->intervals = 1;
	if ((f = malloc((n ? n : 1) * sizeof *f)) == NULL)
		return oom(err);
	for (t = 0; t < n; t++)
		f[t] = mu;
	t = fc_fit_keep(*fit, y, f, n) != 0;
	free(f);
	return t ? oom(err) : 0;
}

int
fc_mean_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		 double *df, fc_err *err)
{
	size_t j;
	double n = (double)fit->n;

	(void)err;
	*df = n - 1;
	for (j = 0; j < h; j++) {
		mean[j] = fit->state[0];
		sd[j] = sqrt(fit->sigma2 * (1 + 1 / n));
	}
	return 0;
}

/* drift: state = {last value, drift}, sigma2 the variance of the
 * differences around the drift */

size_t
fc_drift_min(int m)
{
	(void)m;
	return 3;
}

int
fc_drift_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double b = (y[n - 1] - y[0]) / (double)(n - 1), ss = 0, d;
	size_t t;

	(void)m;
	if ((*fit = fc_fit_alloc(NULL, 1, 2, err)) == NULL)
		return err ? err->status : FC_EX_SOFTWARE;
	for (t = 1; t < n; t++) {
		d = y[t] - y[t - 1] - b;
		ss += d * d;
	}
	fc_fit_set_param(*fit, 0, "drift", b);
	(*fit)->state[0] = y[n - 1];
	(*fit)->state[1] = b;
	(*fit)->sigma2 = ss / (double)(n - 2);
	(*fit)->intervals = 1;
	if (keep_lagged(*fit, y, n, 1) != 0)
		return oom(err);
	for (t = 1; t < n; t++) {
		(*fit)->fitted[t] += b;
		(*fit)->resid[t] -= b;
	}
	return 0;
}

int
fc_drift_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		  double *df, fc_err *err)
{
	double s2 = fit->sigma2, k;
	size_t j;

	(void)err;
	*df = 0;
	for (j = 0; j < h; j++) {
		k = (double)(j + 1);
		mean[j] = fit->state[0] + k * fit->state[1];
		sd[j] = sqrt(k * s2 + k * k * s2 / (double)(fit->n - 1));
	}
	return 0;
}

/*
 * naive2: the naive method on the seasonally adjusted series when the 90%
 * test finds seasonality at lag m (classical multiplicative
 * decomposition), reseasonalised. state = {last adjusted value, then the
 * seasonal indices of the next m steps}; all indices are 1 when the series
 * is not seasonal. Intervals are naive's on the adjusted series, scaled by
 * the index of each step.
 */

size_t
fc_naive2_min(int m)
{
	(void)m;
	return 2;
}

int
fc_naive2_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double *si, *ya;
	size_t k = (size_t)m, t;
	int rc;

	if ((*fit = fc_fit_alloc(NULL, 0, 1 + k, err)) == NULL)
		return err ? err->status : FC_EX_SOFTWARE;
	si = malloc((n + k) * sizeof *si);
	ya = malloc(n * sizeof *ya);
	if (si == NULL || ya == NULL || fc_season_indices(y, n, m, si) < 0) {
		free(si);
		free(ya);
		return oom(err);
	}
	for (t = 0; t < n; t++)
		ya[t] = y[t] / si[t];
	(*fit)->state[0] = ya[n - 1];
	for (t = 0; t < k; t++)
		(*fit)->state[1 + t] = si[n + t];
	(*fit)->sigma2 = rms_diff(ya, n, 1);
	(*fit)->intervals = 1;
	rc = keep_lagged(*fit, ya, n, 1);
	for (t = 0; rc == 0 && t < n; t++) {
		(*fit)->fitted[t] *= si[t];
		(*fit)->resid[t] = y[t] - (*fit)->fitted[t];
	}
	free(si);
	free(ya);
	return rc ? oom(err) : 0;
}

int
fc_naive2_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		   double *df, fc_err *err)
{
	size_t j, k = fit->nstate - 1;
	double s;

	(void)err;
	*df = 0;
	for (j = 0; j < h; j++) {
		s = fit->state[1 + j % k];
		mean[j] = fit->state[0] * s;
		sd[j] = sqrt(fit->sigma2 * (double)(j + 1)) * s;
	}
	return 0;
}
