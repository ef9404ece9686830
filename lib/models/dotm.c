/* dotm - the dynamic optimised Theta model of Fiorucci et al. (2016)
 *
 * The series is seasonally adjusted as for `theta` (a classical
 * multiplicative decomposition when the 90% acf test at lag m finds
 * seasonality). On the adjusted series y_1..y_n, with parameters l0,
 * alpha in [0.1, 0.99] and theta >= 1, the model carries a level l_t, the
 * running mean ybar_t and the intercept A_t and slope B_t of the least
 * squares line through y_1..y_t, each updated as a value arrives:
 *
 *	mu_{t+1} = l_t + (1 - 1/theta) (A_t (1 - alpha)^t
 *		   + B_t (1 - (1 - alpha)^(t+1)) / alpha)
 *	l_{t+1} = alpha y_{t+1} + (1 - alpha) l_t
 *	ybar_{t+1} = (t ybar_t + y_{t+1}) / (t + 1)
 *	B_{t+1} = ((t - 1) B_t + 6 (y_{t+1} - ybar_t) / (t + 1)) / (t + 2)
 *	A_{t+1} = ybar_{t+1} - B_{t+1} (t + 2) / 2
 *
 * from l_1 = alpha y_1 + (1 - alpha) l0, ybar_1 = A_1 = mu_1 = y_1,
 * B_1 = 0. The parameters minimise the sum of squared one-step errors
 * from t = 3 (scaled by the mean absolute value), by Nelder-Mead from
 * (y_1 / 2, 0.5, 2), as the authors' forecTheta package does. Forecasts
 * run the recursion on, each forecast standing in for the value; their
 * error variance is sigma^2 (1 + the sum of the squared responses of the
 * step to each earlier step's error), sigma the standard deviation of the
 * errors from t = 3: the distribution the authors sample, computed
 * instead of drawn. Forecasts and their deviations are multiplied back by
 * the seasonal indices.
 *
 * params: l0, alpha, theta. state = {l_n, ybar_n, A_n, B_n, the indices
 * of the next m steps}; n is the fit's n.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/impl.h"
#include "models/nelder.h"

enum { L, YBAR, A, B, NS };

size_t
fc_dotm_min(int m)
{
	(void)m;
	return 4;
}

/* One step: the forecast of value t + 1 (1-based t) from state s. */
static double
dotm_mu(const double *s, double t, double alpha, double w)
{
	return s[L] + w * (s[A] * pow(1 - alpha, t) +
			   s[B] * (1 - pow(1 - alpha, t + 1)) / alpha);
}

/* The state after value t + 1 (1-based t) is y. */
static void
dotm_update(double *s, double t, double alpha, double y)
{
	double ybar = s[YBAR];

	s[L] = alpha * y + (1 - alpha) * s[L];
	s[YBAR] = (t * ybar + y) / (t + 1);
	s[B] = ((t - 1) * s[B] + 6 * (y - ybar) / (t + 1)) / (t + 2);
	s[A] = s[YBAR] - s[B] * (t + 2) / 2;
}

/* One-step forecasts mu[0..n) of y[0..n) and the state after y[n-1]. */
static void
dotm_run(const double *y, size_t n, const double *par, double *mu,
	 double *s)
{
	double alpha = par[1], w = 1 - 1 / par[2];
	size_t t;

	s[L] = alpha * y[0] + (1 - alpha) * par[0];
	s[YBAR] = s[A] = mu[0] = y[0];
	s[B] = 0;
	for (t = 1; t < n; t++) {
		mu[t] = dotm_mu(s, (double)t, alpha, w);
		dotm_update(s, (double)t, alpha, y[t]);
	}
}

typedef struct {
	const double *y;
	double *mu;
	size_t n;
	double scale;
} sse_ctx;

static double
dotm_sse(const double *par, void *arg)
{
	sse_ctx *c = arg;
	double s[NS], e, sse = 0;
	size_t t;

	if (!(par[0] >= -1e10 && par[0] <= 1e10 && par[1] >= 0.1 &&
	      par[1] <= 0.99 && par[2] >= 1 && par[2] <= 1e10))
		return 1e300;
	dotm_run(c->y, c->n, par, c->mu, s);
	for (t = 2; t < c->n; t++) {
		e = (c->y[t] - c->mu[t]) / c->scale;
		sse += e * e;
	}
	return sse;
}

int
fc_dotm_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double *si, *ya, *mu, par[3], s[NS], fmin, mean = 0, ss = 0, scale = 0;
	size_t k = (size_t)m, t;
	sse_ctx c;
	int rc = 0;

	si = malloc((n + k) * sizeof *si);
	ya = malloc(n * sizeof *ya);
	mu = malloc(n * sizeof *mu);
	if (si == NULL || ya == NULL || mu == NULL ||
	    fc_season_indices(y, n, m, si) < 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	for (t = 0; t < n; t++) {
		ya[t] = y[t] / si[t];
		scale += fabs(ya[t]) / (double)n;
	}
	if (!(scale > 0))
		scale = 1;
	c.y = ya;
	c.mu = mu;
	c.n = n;
	c.scale = scale;
	par[0] = y[0] / 2;
	par[1] = 0.5;
	par[2] = 2;
	if (fc_nelder_mead(dotm_sse, &c, par, 3, 500, 1.490116119384765625e-8,
			   &fmin) != 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"model 'dotm': the optimiser failed");
		goto out;
	}
	dotm_run(ya, n, par, mu, s);
	if ((*fit = fc_fit_alloc(NULL, 3, NS + k, err)) == NULL) {
		rc = FC_EX_SOFTWARE;
		goto out;
	}
	fc_fit_set_param(*fit, 0, "l0", par[0]);
	fc_fit_set_param(*fit, 1, "alpha", par[1]);
	fc_fit_set_param(*fit, 2, "theta", par[2]);
	memcpy((*fit)->state, s, sizeof s);
	for (t = 0; t < k; t++)
		(*fit)->state[NS + t] = si[n + t];
	/* sd of the adjusted errors from the third value, as R's sd */
	for (t = 2; t < n; t++)
		mean += (ya[t] - mu[t]) / (double)(n - 2);
	for (t = 2; t < n; t++)
		ss += (ya[t] - mu[t] - mean) * (ya[t] - mu[t] - mean);
	(*fit)->sigma2 = n > 3 ? ss / (double)(n - 3) : NAN;
	(*fit)->intervals = 1;
	for (t = 0; t < n; t++)
		mu[t] *= si[t];
	if (fc_fit_keep(*fit, y, mu, n) != 0)
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
out:
	free(si);
	free(ya);
	free(mu);
	return rc;
}

int
fc_dotm_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		 double *df, fc_err *err)
{
	double alpha = fc_fit_param(fit, "alpha");
	double w = 1 - 1 / fc_fit_param(fit, "theta"), s[NS], d[NS], *v;
	double n = (double)fit->n, e;
	size_t j, i, k = fit->nstate - NS;

	*df = 0;
	if (k == 0 || !(alpha > 0))
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'dotm': bad fit");
	if ((v = calloc(h ? h : 1, sizeof *v)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	memcpy(s, fit->state, sizeof s);
	for (j = 0; j < h; j++) {
		mean[j] = dotm_mu(s, n + (double)j, alpha, w);
		dotm_update(s, n + (double)j, alpha, mean[j]);
	}
	/* the response of later steps to a unit error at step j: the
	 * recursion is linear, so it runs from a zero state */
	for (j = 0; j < h; j++) {
		memset(d, 0, sizeof d);
		dotm_update(d, n + (double)j, alpha, 1);
		for (i = j + 1; i < h; i++) {
			e = dotm_mu(d, n + (double)i, alpha, w);
			v[i] += e * e;
			dotm_update(d, n + (double)i, alpha, e);
		}
	}
	for (j = 0; j < h; j++) {
		double si = fit->state[NS + j % k];

		mean[j] *= si;
		sd[j] = sqrt(fit->sigma2 * (1 + v[j])) * si;
	}
	free(v);
	return 0;
}
