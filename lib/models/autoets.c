/* autoets - the automatic ETS models: every admissible form, the least
 * AICc (ets) or all of them by Akaike weights (ets_weighted) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/ets.h"
#include "models/impl.h"
#include "models/nelder.h"

/*
 * R's ets() with its defaults (forecast 8.20): model "ZZZ", opt.crit
 * "lik", bounds "both", ic "aicc", restrict TRUE, no multiplicative trend.
 * Hyndman, Koehler, Snyder and Grose (2002); Hyndman et al. (2008).
 */


/* Constant as R's is.constant: mean |y - y0| within 1.5e-8 of mean |y|. */
static int
constant(const double *y, size_t n)
{
	double d = 0, s = 0;
	size_t t;

	for (t = 0; t < n; t++) {
		d += fabs(y[t] - y[0]);
		s += fabs(y[t]);
	}
	return s > 0 ? d / s < 1.5e-8 : d < 1.5e-8;
}

/* Holt's recursions of R's HoltWintersZZ, started from the first values. */
struct hw {
	const double *y;
	size_t n;
	int trend;
	double l, b;   /* after the pass */
	double *fitted; /* NULL or n values */
};

static double
hw_sse(struct hw *h, double alpha, double beta)
{
	double l = h->y[0], b = h->trend ? h->y[1] - h->y[0] : 0, sse = 0;
	size_t t;

	for (t = 0; t < h->n; t++) {
		double f = l + b, r = h->y[t] - f, nl;

		if (h->fitted != NULL)
			h->fitted[t] = f;
		sse += r * r;
		nl = alpha * h->y[t] + (1 - alpha) * (l + b);
		if (h->trend)
			b = beta * (nl - l) + (1 - beta) * b;
		l = nl;
	}
	h->l = l;
	h->b = b;
	return sse;
}

static double
clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* The squared errors at v, the parameters held within [0, 1]. */
static double
hw_objective(const double *v, void *arg)
{
	struct hw *h = arg;

	return hw_sse(h, clamp01(v[0]), h->trend ? clamp01(v[1]) : 0);
}

/*
 * Least squares Holt (trend) or simple exponential smoothing from the
 * first values with weights in [0, 1], as R's HoltWintersZZ: a new fit of
 * the form AAN or ANN whose sigma2 is the mean squared error. 0, -1 out
 * of memory, -2 when the optimiser cannot start.
 */
static int
hw_fit(const double *y, size_t n, int m, int trend, fc_fit **fit, fc_err *err)
{
	struct hw h = {y, n, trend, 0, 0, NULL};
	double v[2], fmin, alpha, beta = 0, *f;
	fc_fit *ft;
	size_t np = 0;

	*fit = NULL;
	v[0] = 0.2 / (m > 1 ? m : 1);
	v[1] = 0.1 * v[0];
	if (fc_nelder_mead(hw_objective, &h, v, trend ? 2 : 1, 2000, 1e-12,
			   &fmin) != 0)
		return -2;
	alpha = clamp01(v[0]);
	if (trend)
		beta = clamp01(v[1]);
	if ((f = malloc(n * sizeof *f)) == NULL ||
	    (ft = fc_fit_alloc(NULL, trend ? 4 : 2, trend ? 2 : 1, err)) == NULL) {
		free(f);
		return -1;
	}
	h.fitted = f;
	ft->sigma2 = hw_sse(&h, alpha, beta) / (double)n;
	fc_fit_set_param(ft, np++, "alpha", alpha);
	if (trend)
		fc_fit_set_param(ft, np++, "beta", beta);
	fc_fit_set_param(ft, np++, "l", y[0]);
	if (trend)
		fc_fit_set_param(ft, np++, "b", y[1] - y[0]);
	ft->state[0] = h.l;
	if (trend)
		ft->state[1] = h.b;
	snprintf(ft->form, sizeof ft->form, "%s", trend ? "AAN" : "ANN");
	ft->intervals = 1;
	if (fc_fit_keep(ft, y, f, n) != 0) {
		free(f);
		fc_fit_free(ft);
		return -1;
	}
	free(f);
	*fit = ft;
	return 0;
}

/* R's ses(y, alpha = 0.99999, initial = "simple") for a constant series. */
static int
flat_fit(const double *y, size_t n, fc_fit **fit, fc_err *err)
{
	struct hw h = {y, n, 0, 0, 0, NULL};
	double *f;
	fc_fit *ft;

	*fit = NULL;
	if ((f = malloc(n * sizeof *f)) == NULL ||
	    (ft = fc_fit_alloc(NULL, 2, 1, err)) == NULL) {
		free(f);
		return -1;
	}
	h.fitted = f;
	ft->sigma2 = hw_sse(&h, 0.99999, 0) / (double)n;
	fc_fit_set_param(ft, 0, "alpha", 0.99999);
	fc_fit_set_param(ft, 1, "l", y[0]);
	ft->state[0] = h.l;
	snprintf(ft->form, sizeof ft->form, "ANN");
	ft->intervals = 1;
	if (fc_fit_keep(ft, y, f, n) != 0) {
		free(f);
		fc_fit_free(ft);
		return -1;
	}
	free(f);
	*fit = ft;
	return 0;
}

/* R's fallback for 6 values or fewer: Holt or simple smoothing by least
 * squares, whichever has the smaller mean squared error. */
static int
short_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	fc_fit *a = NULL, *b = NULL;

	*fit = NULL;
	if (n >= 2 && hw_fit(y, n, m, 1, &a, err) == -1)
		goto oom;
	if (hw_fit(y, n, m, 0, &b, err) == -1)
		goto oom;
	if (a != NULL && (b == NULL || a->sigma2 < b->sigma2)) {
		*fit = a;
		fc_fit_free(b);
	} else {
		*fit = b;
		fc_fit_free(a);
	}
	if (*fit == NULL)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets: no form could be fitted");
	return 0;
oom:
	fc_fit_free(a);
	fc_fit_free(b);
	return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

/*
 * Every admissible form of R's ets() fitted to y by maximum likelihood:
 * those with a finite AICc into all[0..*k), in the order R tries them.
 * 0; FC_EX_SOFTWARE (all freed) when out of memory.
 */
static int
fit_forms(const double *y, size_t n, int m, fc_fit **all, size_t *k,
	  fc_err *err)
{
	static const char errors[] = "AM", trends[] = "NA", seasons[] = "NAM";
	fc_ets_spec s;
	fc_fit *f;
	size_t t, ie, it, is, ns;
	int positive = 1, id, rc;

	*k = 0;
	for (t = 0; t < n; t++)
		positive &= y[t] > 0;
	ns = m < 2 || m > FC_ETS_MAX_SEASON || n <= (size_t)m ? 1 : 3;
	for (ie = 0; ie < 2; ie++)
		for (it = 0; it < 2; it++)
			for (is = 0; is < ns; is++)
				for (id = 1; id >= 0; id--) {
					memset(&s, 0, sizeof s);
					s.error = errors[ie];
					s.trend = trends[it];
					s.season = seasons[is];
					s.damped = id;
					s.m = s.season == 'N' ? 1 : m;
					s.crit = FC_ETS_LIK;
					s.any_length = 1;
					if ((s.trend == 'N' && s.damped) ||
					    (s.error == 'A' && s.season == 'M') ||
					    (s.error == 'M' && !positive))
						continue;
					rc = fc_ets_fit(y, n, &s, &f, err);
					if (rc == FC_EX_SOFTWARE &&
					    strcmp(err->msg, "out of memory") == 0) {
						fc_fit_free(f);
						while (*k > 0)
							fc_fit_free(all[--*k]);
						return rc;
					}
					if (rc != 0 || isnan(f->aicc) ||
					    !(f->aicc < INFINITY) ||
					    *k >= FC_ETS_FORMS) {
						fc_fit_free(f);
						continue;
					}
					all[(*k)++] = f;
				}
	fc_err_clear(err);
	return 0;
}

/* The fit of a constant or very short series, as R's ets() makes it;
 * -1 when the series is neither, else 0 or a status. */
static int
special_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	if (constant(y, n)) {
		if (flat_fit(y, n, fit, err) == 0)
			return 0;
		fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		return FC_EX_SOFTWARE;
	}
	if (n <= 6)
		return short_fit(y, n, m, fit, err);
	return -1;
}

int
fc_ets_auto(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	fc_fit *all[FC_ETS_FORMS];
	size_t i, k, best = 0;
	int rc;

	*fit = NULL;
	if (n == 0)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets: an empty series");
	if ((rc = special_fit(y, n, m, fit, err)) != -1)
		return rc;
	if ((rc = fit_forms(y, n, m, all, &k, err)) != 0)
		return rc;
	if (k == 0)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets: no form could be fitted");
	/* the least AICc, the first of equals */
	for (i = 1; i < k; i++)
		if (all[i]->aicc < all[best]->aicc)
			best = i;
	for (i = 0; i < k; i++)
		if (i != best)
			fc_fit_free(all[i]);
	*fit = all[best];
	return 0;
}

/*
 * ets_weighted: every admissible form, as ets fits them, its forecasts
 * weighted by Akaike weights (Kolassa 2011; Burnham and Anderson 2002):
 * form i weighs exp(-(AICc_i - AICc_min) / 2), the weights summing to 1.
 * The fit keeps the forms' fits as its members, without their fitted
 * values and residuals, and the weights as its parameters w_FORM, in
 * member order. A constant or very short series has the one fit ets
 * gives it, of weight 1.
 */
int
fc_ets_weighted_fit(const double *y, size_t n, int m, fc_fit **fit,
		    fc_err *err)
{
	fc_fit *all[FC_ETS_FORMS], *f = NULL;
	double *fitted = NULL, lo = INFINITY, sum = 0, w[FC_ETS_FORMS];
	size_t i, t, k = 0;
	int rc;

	*fit = NULL;
	if (n == 0)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets: an empty series");
	all[0] = NULL;
	rc = special_fit(y, n, m, &all[0], err);
	if (rc == 0)
		k = all[0] != NULL;
	else if (rc != -1)
		return rc;
	else if ((rc = fit_forms(y, n, m, all, &k, err)) != 0)
		return rc;
	if (k == 0)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets: no form could be fitted");
	for (i = 0; i < k; i++) {
		all[i]->def = fc_model_find("ets");
		all[i]->m = m;
		all[i]->n = n;
		if (all[i]->aicc < lo)
			lo = all[i]->aicc;
	}
	for (i = 0; i < k; i++)
		sum += w[i] = k == 1 ? 1 : exp(-(all[i]->aicc - lo) / 2);
	f = fc_fit_alloc(NULL, k, 0, err);
	if (f == NULL || (f->member = calloc(k, sizeof(fc_fit *))) == NULL ||
	    (fitted = calloc(n ? n : 1, sizeof *fitted)) == NULL)
		goto oom;
	f->intervals = 1;
	for (i = 0; i < k; i++) {
		/* "w_" and the form, of at most four characters ("MAdM") */
		char name[sizeof f->par[i].name] = "w_";
		size_t len = strnlen(all[i]->form, sizeof name - 3);

		w[i] /= sum;
		memcpy(name + 2, all[i]->form, len);
		name[2 + len] = '\0';
		fc_fit_set_param(f, i, name, w[i]);
		if (w[i] == 0) /* a weight lost to underflow */
			continue;
		for (t = 0; t < n; t++)
			fitted[t] += w[i] * (all[i]->fitted ? all[i]->fitted[t]
							    : NAN);
		f->intervals &= all[i]->intervals;
	}
	if (fc_fit_keep(f, y, fitted, n) != 0)
		goto oom;
	f->sigma2 = fc_resid_ms(f->resid, n);
	/* the members forecast; their fitted values live on in the mean */
	for (i = 0; i < k; i++) {
		free(all[i]->fitted);
		free(all[i]->resid);
		all[i]->fitted = all[i]->resid = NULL;
		f->member[f->nmember++] = all[i];
	}
	free(fitted);
	*fit = f;
	return 0;
oom:
	free(fitted);
	if (f == NULL || f->member == NULL)
		for (i = 0; i < k; i++)
			fc_fit_free(all[i]);
	else
		for (i = 0; i < k; i++)
			f->member[f->nmember++] = all[i];
	fc_fit_free(f);
	return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

/*
 * The Akaike-weighted mean of the members' forecasts; the standard
 * deviation of its error Burnham and Anderson's unconditional one (2002,
 * section 4.3.2): the weighted mean of sqrt(sd_i^2 + (mean_i - mean)^2),
 * which widens the members' own by their disagreement.
 */
int
fc_ets_weighted_forecast(const fc_fit *fit, size_t h, double *mean,
			 double *sd, double *df, fc_err *err)
{
	double *mm, *ss, dfk;
	size_t i, j, k = fit->nmember;
	int rc = 0;

	*df = 0;
	if (k == 0 || k > FC_ETS_FORMS || fit->npar != k)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'ets_weighted': %zu weights for "
				  "%zu members", fit->npar, k);
	mm = malloc(k * h * sizeof *mm);
	ss = malloc(k * h * sizeof *ss);
	if (mm == NULL || ss == NULL) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < k && rc == 0; i++)
		rc = fit->member[i]->def->forecast(fit->member[i], h,
						   mm + i * h, ss + i * h,
						   &dfk, err);
	/* a member of weight 0 adds nothing, not even a NaN */
	for (j = 0; rc == 0 && j < h; j++) {
		mean[j] = sd[j] = 0;
		for (i = 0; i < k; i++)
			if (fit->par[i].value > 0)
				mean[j] += fit->par[i].value * mm[i * h + j];
		for (i = 0; i < k; i++) {
			double d = mm[i * h + j] - mean[j];

			if (fit->par[i].value > 0)
				sd[j] += fit->par[i].value *
					 sqrt(ss[i * h + j] * ss[i * h + j] +
					      d * d);
		}
	}
out:
	free(mm);
	free(ss);
	return rc;
}

int
fc_autoets_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return fc_ets_auto(y, n, m, fit, err);
}

size_t
fc_autoets_min(int m)
{
	(void)m;
	return 1;
}
