/* arimax_test - regression with ARIMA errors against R's Arima and
 * auto.arima with xreg (tests/unit/c/arimax_ref.h) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "models/arima.h"

struct xref {
	const char *name;
	const double *y, *x, *xf;
	size_t n, p;
	int m;
	size_t h;
	int order[7]; /* p d q P D Q, constant: 0 none, 1 mean, 2 drift */
	const char *form;
	const double *mean, *lo, *hi;
	size_t npar;
	const double *pv; /* R's order: ARMA, intercept or drift, xreg */
	double loglik, aicc, sigma2;
};

#include "arimax_ref.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const double levels[] = {80, 95};

/*
 * Tolerances: the same likelihood and optimiser as R's from the same
 * start (the regressors orthogonalised as R does), so the coefficients
 * agree to 1e-7 relative or better; asked 1e-6 (relative to the size of
 * the coefficient or 1), as of the log-likelihood, AICc, forecasts and
 * bounds.
 */
#define TOL_COEF 1e-6
#define TOL_FC 1e-6
#define TOL_LL 1e-6

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

static void
check_fit(const struct xref *r, const fc_fit *fit, const char *what)
{
	double mean[64], lo[128], hi[128], d = 0;
	fc_err e;
	size_t i;

	CHECK(strcmp(fit->form, r->form) == 0, "%s %s: form '%s' (R '%s')",
	      r->name, what, fit->form, r->form);
	CHECK(fit->npar == r->npar, "%s %s: %zu coefficients (R %zu)",
	      r->name, what, fit->npar, r->npar);
	for (i = 0; i < r->npar && i < fit->npar; i++)
		d = fmax(d, fabs(fit->par[i].value - r->pv[i]) /
				fmax(1, fabs(r->pv[i])));
	CHECK(d <= TOL_COEF, "%s %s: coefficients within %g of R (%.2e)",
	      r->name, what, TOL_COEF, d);
	CHECK(fabs(fit->loglik - r->loglik) <= TOL_LL * fmax(1, fabs(r->loglik)),
	      "%s %s: loglik %.10g (R %.10g)", r->name, what, fit->loglik,
	      r->loglik);
	CHECK(fabs(fit->aicc - r->aicc) <= TOL_LL * fmax(1, fabs(r->aicc)),
	      "%s %s: aicc %.10g (R %.10g)", r->name, what, fit->aicc,
	      r->aicc);
	CHECK(reldiff(fit->sigma2, r->sigma2) <= TOL_FC,
	      "%s %s: sigma2 %.10g (R %.10g)", r->name, what, fit->sigma2,
	      r->sigma2);
	fc_err_clear(&e);
	CHECK(fc_model_xforecast(fit, r->xf, r->h, levels, 2, mean, lo, hi,
				 &e) == 0,
	      "%s %s: forecasts with the future regressors", r->name, what);
	d = maxdiff(mean, r->mean, r->h);
	CHECK(d <= TOL_FC, "%s %s: forecasts within %g of R (%.2e)", r->name,
	      what, TOL_FC, d);
	d = fmax(maxdiff(lo, r->lo, 2 * r->h), maxdiff(hi, r->hi, 2 * r->h));
	CHECK(d <= TOL_FC, "%s %s: 80%% and 95%% bounds within %g of R (%.2e)",
	      r->name, what, TOL_FC, d);
}

static void
test_fixed(const struct xref *r)
{
	fc_arima_spec s = {r->order[0], r->order[1], r->order[2],
			   r->order[3], r->order[4], r->order[5], r->m,
			   r->order[6] != 0};
	fc_fit *fit;
	fc_err e;

	fc_err_clear(&e);
	if (fc_arima_fit_xorder(r->y, r->x, r->n, r->p, &s, FC_ARIMA_CSS_ML,
				0, &fit, NULL, &e) != 0) {
		CHECK(0, "%s fits: %s", r->name, e.msg);
		return;
	}
	check_fit(r, fit, "fixed");
	fc_fit_free(fit);
}

static void
test_auto(const struct xref *r)
{
	const fc_model_def *def = fc_model_find("arimax");
	fc_fit *fit;
	fc_err e;

	fc_err_clear(&e);
	if (def == NULL || fc_model_xfit_m(def, r->y, r->x, r->n, r->p, r->m,
					   0, &fit, &e) != 0) {
		CHECK(0, "%s: arimax fits: %s", r->name, e.msg);
		return;
	}
	check_fit(r, fit, "auto");
	fc_fit_free(fit);
}

/* The model file: a fit read back forecasts the same. */
static void
test_json(void)
{
	const struct xref *r = &autos[0];
	double m1[12], m2[12], lo[24], hi[24];
	fc_fit *fit = NULL, *back = NULL;
	cJSON *j = NULL;
	fc_err e;

	if (fc_model_xfit_m(fc_model_find("arimax"), r->y, r->x, r->n, r->p,
			    r->m, 0, &fit, &e) == 0)
		j = fc_fit_to_json(fit);
	CHECK(j != NULL && fc_fit_from_json(j, &back, &e) == 0,
	      "arimax fit reads back from JSON");
	if (back != NULL) {
		fc_model_xforecast(fit, r->xf, 12, levels, 2, m1, lo, hi, &e);
		fc_model_xforecast(back, r->xf, 12, levels, 2, m2, lo, hi, &e);
		CHECK(memcmp(m1, m2, sizeof m1) == 0 &&
		      strcmp(back->form, fit->form) == 0 && back->m == 12,
		      "the read-back fit forecasts the same, form '%s'",
		      back->form);
	}
	cJSON_Delete(j);
	fc_fit_free(fit);
	fc_fit_free(back);
}

/* Bad regressors: what auto.arima stops on, each naming its column. */
static void
test_errors(void)
{
	const struct xref *r = &autos[1];
	const fc_model_def *def = fc_model_find("arimax");
	size_t n = r->n, t;
	double *x = malloc(n * 3 * sizeof *x);
	fc_fit *fit;
	fc_err e;

	if (x == NULL)
		return;
	for (t = 0; t < n; t++) {
		x[t * 3] = r->x[t];
		x[t * 3 + 1] = 2;
		x[t * 3 + 2] = 1 - 0.5 * r->x[t];
	}
	CHECK(fc_model_xfit_m(def, r->y, x, n, 3, 1, 0, &fit, &e) ==
		      FC_EX_DATAERR && fit == NULL &&
	      strstr(e.msg, "feature column 2 is constant") != NULL,
	      "a constant column is a data error naming it: %s", e.msg);
	for (t = 0; t < n; t++)
		x[t * 3 + 1] = sin((double)t);
	CHECK(fc_model_xfit_m(def, r->y, x, n, 3, 1, 0, &fit, &e) ==
		      FC_EX_DATAERR && fit == NULL &&
	      strstr(e.msg, "feature column 3 is collinear") != NULL,
	      "a column collinear with the others and the intercept is a "
	      "data error naming it: %s", e.msg);
	x[7] = NAN;
	CHECK(fc_model_xfit_m(def, r->y, x, n, 3, 1, 0, &fit, &e) ==
		      FC_EX_DATAERR && fit == NULL,
	      "a non-finite regressor is a data error: %s", e.msg);
	CHECK(fc_model_xfit_m(def, r->y, r->x, n, 1, 1, 0.5, &fit, &e) ==
		      FC_EX_DATAERR && fit == NULL,
	      "a ridge penalty is a data error: %s", e.msg);
	CHECK(fc_model_fit(def, r->y, n, 1, &fit, &e) == FC_EX_DATAERR &&
	      fit == NULL, "arimax without columns is a data error");
	free(x);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < N(fixeds); i++)
		test_fixed(&fixeds[i]);
	for (i = 0; i < N(autos); i++)
		test_auto(&autos[i]);
	test_json();
	test_errors();
	return check_done();
}
