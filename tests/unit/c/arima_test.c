/* arima_test - ARIMA fits, forecasts, tests and search against R */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "models/arima.h"

struct aref {
	const char *series;
	const double *y;
	size_t n;
	int m;
	size_t h;
	int order[7];
	const char *form;
	const double *mean, *lo, *hi;
	size_t npar;
	const char *const *pn;
	const double *pv;
	double loglik, aicc, sigma2;
};

#include "arima_ref.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const double levels[] = {80, 95};

static double
reldiff(double a, double b)
{
	double d = fabs(a - b), s = fmax(fabs(a), fabs(b));

	return s > 0 ? d / s : d;
}

static double
maxdiff(const double *x, const double *want, size_t n)
{
	double d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d = fmax(d, reldiff(x[i], want[i]));
	return d;
}

/*
 * Tolerances. The likelihood is the same function as R's and BFGS runs
 * the same steps from the same start, so the optimum agrees to about
 * 1e-6 relative in the coefficients (rounding differs in the sums); the
 * log-likelihood is flat there and agrees to 1e-6 absolute. 1e-4 and 1e-5
 * are asked.
 */
#define TOL_COEF 1e-4
#define TOL_FC 1e-4
#define TOL_LL 1e-5

static void
check_fit(const struct aref *r, const fc_fit *fit, const char *what)
{
	double mean[64], lo[128], hi[128], d = 0;
	fc_err e;
	size_t i;

	CHECK(strcmp(fit->form, r->form) == 0, "%s %s: form '%s' (R '%s')",
	      r->series, what, fit->form, r->form);
	CHECK(fit->npar == r->npar, "%s %s: %zu coefficients (R %zu)",
	      r->series, what, fit->npar, r->npar);
	for (i = 0; i < r->npar && i < fit->npar; i++)
		d = fmax(d, fabs(fc_fit_param(fit, r->pn[i]) - r->pv[i]) /
				fmax(1, fabs(r->pv[i])));
	CHECK(d <= TOL_COEF, "%s %s: coefficients within %g of R (%.2e)",
	      r->series, what, TOL_COEF, d);
	CHECK(fabs(fit->loglik - r->loglik) <= TOL_LL * fmax(1, fabs(r->loglik)),
	      "%s %s: loglik %.10g (R %.10g)", r->series, what, fit->loglik,
	      r->loglik);
	CHECK(fabs(fit->aicc - r->aicc) <= TOL_LL * fmax(1, fabs(r->aicc)),
	      "%s %s: aicc %.10g (R %.10g)", r->series, what, fit->aicc,
	      r->aicc);
	CHECK(reldiff(fit->sigma2, r->sigma2) <= TOL_FC,
	      "%s %s: sigma2 %.10g (R %.10g)", r->series, what, fit->sigma2,
	      r->sigma2);
	fc_err_clear(&e);
	CHECK(fc_model_forecast(fit, r->h, levels, 2, mean, lo, hi, &e) == 0,
	      "%s %s: forecasts", r->series, what);
	d = maxdiff(mean, r->mean, r->h);
	CHECK(d <= TOL_FC, "%s %s: forecasts within %g of R (%.2e)", r->series,
	      what, TOL_FC, d);
	d = fmax(maxdiff(lo, r->lo, 2 * r->h), maxdiff(hi, r->hi, 2 * r->h));
	CHECK(d <= TOL_FC, "%s %s: 80%% and 95%% bounds within %g of R (%.2e)",
	      r->series, what, TOL_FC, d);
}

static void
test_fixed(const struct aref *r)
{
	fc_arima_spec s = {r->order[0], r->order[1], r->order[2],
			   r->order[3], r->order[4], r->order[5], r->m,
			   r->order[6] != 0};
	fc_fit *fit;
	fc_err e;

	fc_err_clear(&e);
	if (fc_arima_fit_order(r->y, r->n, &s, FC_ARIMA_CSS_ML, 0, &fit, NULL,
			       &e) != 0) {
		CHECK(0, "%s %s fits: %s", r->series, r->form, e.msg);
		return;
	}
	check_fit(r, fit, r->form);
	fc_fit_free(fit);
}

static void
test_auto(const struct aref *r)
{
	const fc_model_def *def = fc_model_find("arima");
	fc_fit *fit;
	fc_err e;

	fc_err_clear(&e);
	if (def == NULL || fc_model_fit(def, r->y, r->n, r->m, &fit, &e) != 0) {
		CHECK(0, "%s: auto arima fits: %s", r->series, e.msg);
		return;
	}
	check_fit(r, fit, "auto");
	fc_fit_free(fit);
}

/* The model file: a fit read back forecasts the same. */
static void
test_json(void)
{
	const struct aref *r = &autos[1];
	double m1[12], m2[12], lo[24], hi[24];
	fc_fit *fit, *back = NULL;
	cJSON *j;
	fc_err e;

	fc_model_fit(fc_model_find("arima"), r->y, r->n, r->m, &fit, &e);
	j = fc_fit_to_json(fit);
	CHECK(j != NULL && fc_fit_from_json(j, &back, &e) == 0,
	      "arima fit reads back from JSON");
	if (back != NULL) {
		fc_model_forecast(fit, 12, levels, 2, m1, lo, hi, &e);
		fc_model_forecast(back, 12, levels, 2, m2, lo, hi, &e);
		CHECK(memcmp(m1, m2, sizeof m1) == 0 &&
		      strcmp(back->form, fit->form) == 0,
		      "the read-back fit forecasts the same, form '%s'",
		      back->form);
	}
	cJSON_Delete(j);
	fc_fit_free(fit);
	fc_fit_free(back);
}

/* The tests that choose d and D: ndiffs and nsdiffs as R's on these
 * series (the orders of the reference fits), the seasonal strength and the
 * KPSS statistic to R's numbers (arima_ref.h). */
static void
test_tests(void)
{
	CHECK(fc_ndiffs(wwwusage_y, N(wwwusage_y)) == 1,
	      "ndiffs(WWWusage) is 1");
	CHECK(fc_ndiffs(lh_y, N(lh_y)) == 0, "ndiffs(lh) is 0");
	CHECK(fc_nsdiffs(usaccdeaths_y, N(usaccdeaths_y), 12) == 1,
	      "nsdiffs(USAccDeaths) is 1");
	CHECK(fc_nsdiffs(n1402_y, N(n1402_y), 12) == 0,
	      "nsdiffs(N1402) is 0");
	CHECK(fabs(fc_seas_strength(usaccdeaths_y, N(usaccdeaths_y), 12) -
		   SEAS_USACC) < 1e-9,
	      "seasonal strength of USAccDeaths %.12g (R %.12g)",
	      fc_seas_strength(usaccdeaths_y, N(usaccdeaths_y), 12),
	      SEAS_USACC);
	CHECK(fabs(fc_seas_strength(airpass_y, N(airpass_y), 12) -
		   SEAS_AIRPASS) < 1e-9,
	      "seasonal strength of AirPassengers %.12g (R %.12g)",
	      fc_seas_strength(airpass_y, N(airpass_y), 12), SEAS_AIRPASS);
	CHECK(fabs(fc_kpss_stat(lh_y, N(lh_y), 3) - KPSS_LH) < 1e-9,
	      "KPSS statistic of lh %.12g (R %.12g)",
	      fc_kpss_stat(lh_y, N(lh_y), 3), KPSS_LH);
}

static void
test_errors(void)
{
	static const double y[] = {1, 2, 3, 5};
	fc_arima_spec s = {0, 2, 0, 0, 1, 0, 12, 0};
	fc_fit *fit;
	fc_err e;

	CHECK(fc_arima_fit_order(y, 4, &s, FC_ARIMA_CSS_ML, 0, &fit, NULL,
				 &e) == FC_EX_DATAERR && fit == NULL,
	      "an order with more differences than values is a data error");
}

/*
 * A seasonal AR on three and a half seasons: the filter must not call
 * itself steady before every state has been observed. R 4.2.2:
 *   y <- ts(as.numeric(UKDriverDeaths)[1:42], frequency = 12)
 *   f <- arima(y, order = c(0,0,0), seasonal = list(order = c(1,1,0),
 *              period = 12)); f$loglik; f$sigma2
 * gives -196.8636911 and 29222.01018; AirPassengers[1:42] -132.2176457
 * and 314.2443365.
 */
static void
test_short_seasonal_ar(void)
{
	static const struct {
		const double *y;
		double loglik, sigma2;
	} c[] = {
		{ ukdriverdeaths_y, -196.8636911, 29222.01018 },
		{ airpass_y, -132.2176457, 314.2443365 },
	};
	fc_arima_spec s = { 0, 0, 0, 1, 1, 0, 12, 0 };
	size_t i;

	for (i = 0; i < N(c); i++) {
		fc_arima_info info;
		fc_fit *fit = NULL;
		fc_err e;

		memset(&info, 0, sizeof info);
		info.var_limit = INFINITY;
		fc_err_clear(&e);
		if (fc_arima_fit_order(c[i].y, 42, &s, FC_ARIMA_CSS_ML, 0, &fit,
				       &info, &e) != 0) {
			CHECK(0, "(0,0,0)(1,1,0)[12] on 42 values fits: %s", e.msg);
			continue;
		}
		CHECK(fabs(-(info.aic - 4) / 2 - c[i].loglik) < 1e-6 &&
		      fabs(info.sigma2 / c[i].sigma2 - 1) < 1e-6,
		      "(0,0,0)(1,1,0)[12] on 42 values: R's loglik and sigma2 (%.10g, %.10g)",
		      -(info.aic - 4) / 2, info.sigma2);
		fc_fit_free(fit);
	}
}

int
main(void)
{
	size_t i;

	for (i = 0; i < N(fixeds); i++)
		test_fixed(&fixeds[i]);
	for (i = 0; i < N(autos); i++)
		test_auto(&autos[i]);
	test_short_seasonal_ar();
	test_json();
	test_tests();
	test_errors();
	return check_done();
}
