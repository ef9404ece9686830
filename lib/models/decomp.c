/* decomp - shared helpers of the models: acf, seasonality test, decompose */
#include <math.h>
#include <stdlib.h>

#include "models/impl.h"

fc_fit *
fc_fit_alloc(const fc_model_def *def, size_t npar, size_t nstate, fc_err *err)
{
	fc_fit *f;

	if ((f = fc_fit_new(def, npar, nstate)) == NULL)
		fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	return f;
}

int
fc_fit_keep(fc_fit *fit, const double *y, const double *f, size_t n)
{
	size_t i;

	fit->fitted = malloc(n * sizeof *fit->fitted);
	fit->resid = malloc(n * sizeof *fit->resid);
	if (fit->fitted == NULL || fit->resid == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		fit->fitted[i] = f[i];
		fit->resid[i] = y[i] - f[i];
	}
	return 0;
}

double
fc_resid_ms(const double *resid, size_t n)
{
	double ss = 0;
	size_t t, nr = 0;

	for (t = 0; t < n; t++)
		if (isfinite(resid[t])) {
			ss += resid[t] * resid[t];
			nr++;
		}
	return nr ? ss / (double)nr : NAN;
}

void
fc_acf(const double *y, size_t n, size_t maxlag, double *r)
{
	double mean = 0, c0 = 0, ck;
	size_t k, t;

	for (t = 0; t < n; t++)
		mean += y[t];
	mean /= (double)n;
	for (t = 0; t < n; t++)
		c0 += (y[t] - mean) * (y[t] - mean);
	r[0] = 1;
	for (k = 1; k <= maxlag; k++) {
		ck = 0;
		for (t = 0; t + k < n; t++)
			ck += (y[t] - mean) * (y[t + k] - mean);
		r[k] = c0 > 0 ? ck / c0 : 0;
	}
}

int
fc_season_test(const double *y, size_t n, int m)
{
	double *r, s = 1;
	size_t k;
	int seasonal;

	if (m <= 1 || n < 3 * (size_t)m)
		return 0;
	if ((r = malloc(((size_t)m + 1) * sizeof *r)) == NULL)
		return 0;
	fc_acf(y, n, (size_t)m, r);
	for (k = 1; k < (size_t)m; k++)
		s += 2 * r[k] * r[k];
	seasonal = fabs(r[m]) > 1.645 * sqrt(s / (double)n);
	free(r);
	return seasonal;
}

/* The centred moving average of order m (2 x m when m is even) at t. */
static double
centred_ma(const double *y, size_t t, int m)
{
	size_t k = (size_t)m / 2, i;
	double s = 0;

	if (m % 2 == 1) {
		for (i = t - k; i <= t + k; i++)
			s += y[i];
		return s / m;
	}
	s = 0.5 * (y[t - k] + y[t + k]);
	for (i = t - k + 1; i < t + k; i++)
		s += y[i];
	return s / m;
}

int
fc_decompose(const double *y, size_t n, int m, int mult, double *season)
{
	size_t k = (size_t)m / 2, t, *cnt;
	double mean = 0, tr;
	int i;

	if ((cnt = calloc((size_t)m, sizeof *cnt)) == NULL)
		return -1;
	for (i = 0; i < m; i++)
		season[i] = 0;
	for (t = k; t + k < n; t++) {
		tr = centred_ma(y, t, m);
		season[t % (size_t)m] += mult ? y[t] / tr : y[t] - tr;
		cnt[t % (size_t)m]++;
	}
	for (i = 0; i < m; i++) {
		season[i] /= (double)cnt[i];
		mean += season[i] / m;
	}
	for (i = 0; i < m; i++)
		season[i] = mult ? season[i] / mean : season[i] - mean;
	free(cnt);
	return 0;
}

double
fc_ses_level(const double *y, size_t n, double alpha, double l0)
{
	double l = l0;
	size_t t;

	for (t = 0; t < n; t++)
		l += alpha * (y[t] - l);
	return l;
}

int
fc_season_indices(const double *y, size_t n, int m, double *si)
{
	double *fig;
	size_t t, k = (size_t)m;
	int ok = 1;

	for (t = 0; t < n + k; t++)
		si[t] = 1;
	if (!fc_season_test(y, n, m))
		return 0;
	if ((fig = malloc(k * sizeof *fig)) == NULL)
		return -1;
	if (fc_decompose(y, n, m, 1, fig) != 0) {
		free(fig);
		return -1;
	}
	for (t = 0; t < k; t++)
		if (!(fig[t] > 0 && isfinite(fig[t])))
			ok = 0;
	for (t = 0; ok && t < n + k; t++)
		si[t] = fig[t % k];
	free(fig);
	return ok;
}
