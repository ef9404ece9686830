/* intermittent - Croston's method and TSB for intermittent demand */
#include <math.h>
#include <stdlib.h>

#include "models/impl.h"

/*
 * croston: classic Croston (1972) as R's croston(): simple exponential
 * smoothing with alpha = 0.1 of the non-zero demands and of the intervals
 * between them (the first interval counts from the start of the series),
 * each started at its first value; the forecast is their ratio, flat over
 * the horizon. state = {demand level, interval level}.
 *
 * tsb: Teunter, Syntetos and Babai (2011). Every period the probability of
 * a demand is smoothed with beta = 0.1 towards 1 (a demand) or 0 (none);
 * the demand size is smoothed with alpha = 0.1 when a demand occurs. The
 * size starts at the mean non-zero demand and the probability at the share
 * of periods with a demand. The forecast is probability times size.
 * state = {size level, probability level}.
 *
 * Neither has analytic intervals. Both need two non-zero values and no
 * negative one.
 */

#define CROSTON_ALPHA 0.1
#define TSB_ALPHA 0.1
#define TSB_BETA 0.1

size_t
fc_croston_min(int m)
{
	(void)m;
	return 2;
}

/* Check the demands: 0, or FC_EX_DATAERR naming the model. */
static int
check_demand(const double *y, size_t n, const char *name, fc_err *err)
{
	size_t t, nz = 0;

	for (t = 0; t < n; t++) {
		if (y[t] < 0)
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model '%s': negative demand '%g'",
					  name, y[t]);
		nz += y[t] != 0;
	}
	if (nz < 2)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model '%s': fewer than 2 non-zero values",
				  name);
	return 0;
}

int
fc_croston_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double z = NAN, x = NAN, *f;
	size_t t, last = 0;
	int rc;

	(void)m;
	if ((rc = check_demand(y, n, "croston", err)) != 0)
		return rc;
	if ((f = malloc(n * sizeof *f)) == NULL ||
	    (*fit = fc_fit_alloc(NULL, 1, 2, err)) == NULL) {
		free(f);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	for (t = 0; t < n; t++) {
		f[t] = isnan(x) ? NAN : z / x;
		if (y[t] == 0)
			continue;
		if (isnan(z)) {
			z = y[t];
			x = (double)(t + 1);
		} else {
			z += CROSTON_ALPHA * (y[t] - z);
			x += CROSTON_ALPHA * ((double)(t - last) - x);
		}
		last = t;
	}
	fc_fit_set_param(*fit, 0, "alpha", CROSTON_ALPHA);
	(*fit)->state[0] = z;
	(*fit)->state[1] = x;
	(*fit)->intervals = 0;
	rc = fc_fit_keep(*fit, y, f, n);
	free(f);
	return rc ? fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory")
		  : 0;
}

int
fc_croston_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		    double *df, fc_err *err)
{
	size_t j;

	(void)err;
	(void)sd;
	*df = 0;
	for (j = 0; j < h; j++)
		mean[j] = fit->state[0] / fit->state[1];
	return 0;
}

int
fc_tsb_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	double z = 0, p = 0, *f;
	size_t t, nz = 0;
	int rc;

	(void)m;
	if ((rc = check_demand(y, n, "tsb", err)) != 0)
		return rc;
	if ((f = malloc(n * sizeof *f)) == NULL ||
	    (*fit = fc_fit_alloc(NULL, 4, 2, err)) == NULL) {
		free(f);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	for (t = 0; t < n; t++)
		if (y[t] != 0) {
			z += y[t];
			nz++;
		}
	z /= (double)nz;
	p = (double)nz / (double)n;
	fc_fit_set_param(*fit, 0, "alpha", TSB_ALPHA);
	fc_fit_set_param(*fit, 1, "beta", TSB_BETA);
	fc_fit_set_param(*fit, 2, "z", z);
	fc_fit_set_param(*fit, 3, "p", p);
	for (t = 0; t < n; t++) {
		f[t] = p * z;
		if (y[t] != 0) {
			z += TSB_ALPHA * (y[t] - z);
			p += TSB_BETA * (1 - p);
		} else {
			p -= TSB_BETA * p;
		}
	}
	(*fit)->state[0] = z;
	(*fit)->state[1] = p;
	(*fit)->intervals = 0;
	rc = fc_fit_keep(*fit, y, f, n);
	free(f);
	return rc ? fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory")
		  : 0;
}

int
fc_tsb_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		double *df, fc_err *err)
{
	size_t j;

	(void)err;
	(void)sd;
	*df = 0;
	for (j = 0; j < h; j++)
		mean[j] = fit->state[0] * fit->state[1];
	return 0;
}
