/* theta - the standard Theta method of Assimakopoulos and Nikolopoulos */
#include <math.h>
#include <stdlib.h>

#include "models/ets.h"
#include "models/impl.h"

/*
 * As R's thetaf(), after Hyndman and Billah (2003): when the 90% acf test
 * at lag m finds seasonality the series is divided by a classical
 * multiplicative decomposition. Simple exponential smoothing (R's ses:
 * ETS ANN by least squares) is fitted to the adjusted series and its
 * forecast gets half the slope b of a least squares line through the
 * adjusted series as drift:
 *
 *	yhat(h) = l_n + b / 2 (h - 1 + (1 - (1 - alpha)^n) / alpha)
 *
 * The forecasts are multiplied back by the seasonal indices; the
 * intervals keep the standard deviations of the SES model on the adjusted
 * scale, sigma sqrt(1 + (h - 1) alpha^2), around them (as thetaf does: the
 * indices do not scale the widths).
 * state = {l_n, b, the indices of the next m steps}.
 */

size_t
fc_theta_min(int m)
{
	return fc_ses_min(m);
}

/* Slope of the least squares line through y[0..n-1]. */
static double
slope(const double *y, size_t n)
{
	double tm = ((double)n - 1) / 2, ym = 0, sxy = 0, sxx = 0;
	size_t t;

	for (t = 0; t < n; t++)
		ym += y[t] / (double)n;
	for (t = 0; t < n; t++) {
		sxy += ((double)t - tm) * (y[t] - ym);
		sxx += ((double)t - tm) * ((double)t - tm);
	}
	return sxx > 0 ? sxy / sxx : 0;
}

int
fc_theta_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double *si, *ya, b;
	size_t k = (size_t)m, t;
	fc_fit *ses = NULL;
	int rc;

	si = malloc((n + k) * sizeof *si);
	ya = malloc(n * sizeof *ya);
	if (si == NULL || ya == NULL || fc_season_indices(y, n, m, si) < 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	for (t = 0; t < n; t++)
		ya[t] = y[t] / si[t];
	if ((rc = fc_ses_fit(ya, n, 1, &ses, err)) != 0)
		goto out;
	if ((*fit = fc_fit_alloc(NULL, 3, 2 + k, err)) == NULL) {
		rc = FC_EX_SOFTWARE;
		goto out;
	}
	b = slope(ya, n);
	fc_fit_set_param(*fit, 0, "alpha", fc_fit_param(ses, "alpha"));
	fc_fit_set_param(*fit, 1, "l", fc_fit_param(ses, "l"));
	fc_fit_set_param(*fit, 2, "b", b);
	(*fit)->state[0] = ses->state[0];
	(*fit)->state[1] = b;
	for (t = 0; t < k; t++)
		(*fit)->state[2 + t] = si[n + t];
	(*fit)->sigma2 = ses->sigma2;
	(*fit)->intervals = 1;
	for (t = 0; t < n; t++)
		ses->fitted[t] *= si[t];
	if (fc_fit_keep(*fit, y, ses->fitted, n) != 0)
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
out:
	fc_fit_free(ses);
	free(si);
	free(ya);
	return rc;
}

int
fc_theta_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		  double *df, fc_err *err)
{
	double alpha = fmax(fc_fit_param(fit, "alpha"), 1e-10), s;
	double n = (double)fit->n, l = fit->state[0], b = fit->state[1];
	double a = (1 - pow(1 - alpha, n)) / alpha;
	size_t j, k = fit->nstate - 2;

	(void)err;
	*df = 0;
	for (j = 0; j < h; j++) {
		s = fit->state[2 + j % k];
		mean[j] = (l + b / 2 * ((double)j + a)) * s;
		sd[j] = sqrt(fit->sigma2 * (1 + (double)j * alpha * alpha));
	}
	return 0;
}
