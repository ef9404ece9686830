/* arima_auto - ARIMA order selection: KPSS, STL seasonal strength, stepwise */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/arima.h"
#include "models/impl.h"

/*
 * The search is that of R's forecast::auto.arima with its defaults
 * (Hyndman and Khandakar 2008): D from the seasonal strength of an STL
 * decomposition (> 0.64 asks for one seasonal difference), d from
 * repeated KPSS tests at 5%, then the stepwise search over p, q <= 5,
 * P, Q <= 2 from ARIMA(2,d,2)(1,D,1) by AICc, at most 94 models, models
 * with an AR or MA root within 1.01 of the unit circle rejected. Series
 * longer than 150 values or with m > 12 are searched with CSS fits (the
 * likelihood approximated by an offset from ARIMA(0,d,0)(0,D,0)), and the
 * best of them refitted by CSS-ML.
 */

#define NMODELS 94

/* ---- tests ---- */

int
fc_is_constant(const double *y, size_t n)
{
	double sd = 0, sx = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sd += fabs(y[i] - y[0]);
		sx += fabs(y[i]);
	}
	if (n == 0)
		return 1;
	if (sx / (double)n > 1.5e-8)
		sd /= sx;
	else
		sd /= (double)n;
	return sd < 1.5e-8;
}

double
fc_kpss_stat(const double *y, size_t n, size_t lags)
{
	double mean = 0, s = 0, eta = 0, s2 = 0, cov;
	size_t t, i;

	for (t = 0; t < n; t++)
		mean += y[t];
	mean /= (double)n;
	for (t = 0; t < n; t++) {
		double e = y[t] - mean;

		s += e;
		eta += s * s;
		s2 += e * e;
	}
	eta /= (double)n * (double)n;
	s2 /= (double)n;
	for (i = 1; i <= lags && i < n; i++) {
		cov = 0;
		for (t = i; t < n; t++)
			cov += (y[t] - mean) * (y[t - i] - mean);
		s2 += 2.0 / (double)n * (1 - (double)i / (double)(lags + 1)) *
		      cov;
	}
	return eta / s2;
}

int
fc_ndiffs(const double *y, size_t n)
{
	double *x = malloc((n ? n : 1) * sizeof *x);
	int d = 0;
	size_t t;

	if (x == NULL)
		return 0;
	memcpy(x, y, n * sizeof *x);
	/* the 5% critical value of the level test is 0.463: p < 0.05 */
	while (d < 2 && n > 1 && !fc_is_constant(x, n)) {
		size_t lags = (size_t)floor(3 * sqrt((double)n) / 13);

		if (!(fc_kpss_stat(x, n, lags) > 0.463))
			break;
		d++;
		for (t = 0; t + 1 < n; t++)
			x[t] = x[t + 1] - x[t];
		n--;
	}
	free(x);
	return d;
}

static double
variance(const double *x, size_t n)
{
	double m = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += x[i];
	m /= (double)n;
	for (i = 0; i < n; i++)
		s += (x[i] - m) * (x[i] - m);
	return s / (double)(n - 1);
}

double
fc_seas_strength(const double *y, size_t n, int m)
{
	double *s, *t, *r, *rs, ve, vs, v = NAN;
	size_t i;

	if (m < 2 || n <= 2 * (size_t)m)
		return NAN;
	s = malloc(n * sizeof *s);
	t = malloc(n * sizeof *t);
	r = malloc(n * sizeof *r);
	rs = malloc(n * sizeof *rs);
	if (s && t && r && rs && fc_stl(y, n, m, 11, s, t) == 0) {
		for (i = 0; i < n; i++) {
			r[i] = y[i] - s[i] - t[i];
			rs[i] = r[i] + s[i];
		}
		ve = variance(r, n);
		vs = variance(rs, n);
		v = fmax(0, fmin(1, 1 - ve / vs));
	}
	free(s);
	free(t);
	free(r);
	free(rs);
	return v;
}

int
fc_nsdiffs(const double *y, size_t n, int m)
{
	double s;

	if (m < 2 || fc_is_constant(y, n) || (size_t)m >= n)
		return 0;
	s = fc_seas_strength(y, n, m);
	return !isnan(s) && s > 0.64;
}

/* ---- the stepwise search ---- */

struct model {
	int p, q, P, Q, c;
	double ic;
};

struct search {
	const double *y;
	const double *x; /* xm: the regressors, n rows of px */
	size_t px;
	int xm;          /* 1: fits of the arimax model */
	size_t n;
	int m, d, D;
	int approx;
	double offset;
	int use_aic;
	struct model res[NMODELS + 1];
	int k;
	fc_fit *best;
	double best_ic;
};

/* One order fitted to the series of s, with its regressors if any. */
static int
fit_spec(const struct search *s, const fc_arima_spec *sp,
	 enum fc_arima_method method, double offset, fc_fit **fit,
	 fc_arima_info *info, fc_err *err)
{
	if (s->xm)
		return fc_arima_fit_xorder(s->y, s->x, s->n, s->px, sp, method,
					   offset, fit, info, err);
	return fc_arima_fit_order(s->y, s->n, sp, method, offset, fit, info,
				  err);
}

/* myarima: the information criterion of one order (Inf when it fails or
 * has a root near the unit circle); *fit the fit or NULL. */
static double
try_order(const struct search *s, int p, int q, int P, int Q, int c,
	  int approx, double limit, fc_fit **fit)
{
	fc_arima_spec sp = {p, s->d, q, P, s->D, Q, s->m, c};
	fc_arima_info info;
	fc_err e;
	double ic;

	*fit = NULL;
	info.var_limit = limit;
	if (fit_spec(s, &sp, approx ? FC_ARIMA_CSS : FC_ARIMA_CSS_ML,
		     s->offset, fit, &info, &e) != 0)
		return INFINITY;
	ic = s->use_aic ? info.aic : (*fit)->aicc;
	if (isnan(ic))
		ic = INFINITY;
	if (info.minroot < 1.01 || info.var_bad)
		ic = INFINITY;
	return ic;
}

static int
is_new(const struct search *s, int p, int q, int P, int Q, int c)
{
	int i;

	for (i = 0; i < s->k; i++)
		if (s->res[i].p == p && s->res[i].q == q &&
		    s->res[i].P == P && s->res[i].Q == Q && s->res[i].c == c)
			return 0;
	return 1;
}

/* Fit one more model and record it; 1 when it is the best so far. */
static int
consider(struct search *s, int p, int q, int P, int Q, int c)
{
	fc_fit *f;
	/* a CSS criterion orders the refits: always checked; an ML one
	 * only matters when it beats the best */
	double ic = try_order(s, p, q, P, Q, c, s->approx,
			      s->approx ? INFINITY : s->best_ic, &f);
	struct model *r = &s->res[s->k++];

	r->p = p, r->q = q, r->P = P, r->Q = Q, r->c = c, r->ic = ic;
	if (s->best == NULL && s->k == 1) {
		s->best = f;
		s->best_ic = ic;
		return 1;
	}
	if (ic < s->best_ic) {
		fc_fit_free(s->best);
		s->best = f;
		s->best_ic = ic;
		return 1;
	}
	fc_fit_free(f);
	return 0;
}

/* The stepwise loop of auto.arima from the current best (p, q, P, Q, c). */
static void
stepwise(struct search *s, int *p, int *q, int *P, int *Q, int *c,
	 int mp, int mq, int mP, int mQ, int allow)
{
	static const int moves[][4] = {
		/* dP dQ first, then dp dq, as R tries them */
		{0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
		{0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
		{-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
		{-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0},
	};
	int startk = 0, i;

	while (startk < s->k && s->k < NMODELS) {
		startk = s->k;
		for (i = 0; i < 16; i++) {
			int np = *p + moves[i][0], nq = *q + moves[i][1];
			int nP = *P + moves[i][2], nQ = *Q + moves[i][3];

			if (np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > mp ||
			    nq > mq || nP > mP || nQ > mQ)
				continue;
			if (!is_new(s, np, nq, nP, nQ, *c))
				continue;
			if (s->k >= NMODELS) {
				s->k++;
				break;
			}
			if (consider(s, np, nq, nP, nQ, *c)) {
				*p = np, *q = nq, *P = nP, *Q = nQ;
				break;
			}
		}
		if (i < 16) {
			if (s->k > NMODELS)
				break;
			continue;
		}
		if (allow && is_new(s, *p, *q, *P, *Q, !*c)) {
			if (s->k >= NMODELS) {
				s->k++;
				break;
			}
			if (consider(s, *p, *q, *P, *Q, !*c))
				*c = !*c;
		}
	}
	if (s->k > NMODELS)
		s->k = NMODELS;
}

/* Refit the searched models by CSS-ML in order of their criterion until
 * one is accepted. */
static void
refit(struct search *s)
{
	int idx[NMODELS], i, j;
	fc_fit *f;

	for (i = 0; i < s->k; i++) {
		for (j = i; j > 0 && s->res[idx[j - 1]].ic > s->res[i].ic; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
	}
	for (i = 0; i < s->k; i++) {
		const struct model *r = &s->res[idx[i]];
		double ic = try_order(s, r->p, r->q, r->P, r->Q, r->c, 0,
				      INFINITY, &f);

		if (ic < INFINITY) {
			fc_fit_free(s->best);
			s->best = f;
			s->best_ic = ic;
			return;
		}
		fc_fit_free(f);
	}
}

/* The series after D seasonal and d plain differences; its length. */
static size_t
diffs(const double *y, size_t n, int m, int D, int d, double *out)
{
	size_t t, len = n;
	int i;

	memcpy(out, y, n * sizeof *out);
	for (i = 0; i < D && len > (size_t)m; i++, len -= (size_t)m)
		for (t = 0; t + (size_t)m < len; t++)
			out[t] = out[t + (size_t)m] - out[t];
	if (i < D)
		return 0;
	for (i = 0; i < d && len > 1; i++, len--)
		for (t = 0; t + 1 < len; t++)
			out[t] = out[t + 1] - out[t];
	return i < d ? 0 : len;
}

/* For a series whose differences are constant: the fits auto.arima
 * makes with fixed constants. */
static int
polynomial_fit(const struct search *s, const double *y, size_t n, int m,
	       int d, int D, const double *dx, size_t len, fc_fit **fit,
	       fc_err *err)
{
	fc_arima_spec sp = {0, d, 0, 0, D, 0, m, 0};
	double mean = 0;
	size_t t;

	if (s->xm) { /* with regressors: the differences alone, a mean
		      * when there are none */
		sp.constant = d + D == 0;
		return fit_spec(s, &sp, FC_ARIMA_CSS_ML, 0, fit, NULL, err);
	}
	for (t = 0; t < len; t++)
		mean += dx[t];
	mean /= (double)len;
	if (D > 0 && d == 0) {
		sp.constant = 1;
		return fc_arima_fit_fixed(y, n, &sp, mean / m, fit, err);
	}
	if (D > 0 || d == 2)
		return fc_arima_fit_order(y, n, &sp, FC_ARIMA_CSS_ML, 0, fit,
					  NULL, err);
	sp.constant = 1;
	return fc_arima_fit_fixed(y, n, &sp, mean, fit, err);
}

size_t
fc_arima_min(int m)
{
	(void)m;
	return 3;
}

/* 1 when a column of x (n rows of px) is constant after D seasonal
 * differences at lag m and d plain ones (or nothing is left of it). */
static int
diffed_constant(const double *x, size_t n, size_t px, int m, int D, int d)
{
	double *c = malloc((2 * n + 1) * sizeof *c), *dc;
	size_t j, t, len;
	int any = 0;

	if (c == NULL)
		return 0;
	dc = c + n;
	for (j = 0; j < px && !any; j++) {
		for (t = 0; t < n; t++)
			c[t] = x[t * px + j];
		len = diffs(c, n, m, D, d, dc);
		any = len == 0 || fc_is_constant(dc, len);
	}
	free(c);
	return any;
}

/*
 * auto.arima: y alone (xm 0), or with the px regressors x (xm 1, fits of
 * the arimax model). The differences are chosen on yt: y, or the
 * residuals of its regression on x, and with regressors one is given back
 * when it would leave a regressor constant.
 */
static int
auto_fit(const double *y, const double *x, size_t n, size_t px, int xm,
	 const double *yt, int m, fc_fit **fit, fc_err *err)
{
	struct search s;
	int mp, mq, mP, mQ, p, q, P, Q, c, allow, rc = 0;
	double *dx = NULL;
	size_t len, t;

	*fit = NULL;
	memset(&s, 0, sizeof s);
	s.best_ic = INFINITY;
	if (!xm && fc_is_constant(y, n)) {
		fc_arima_spec sp = {0, 0, 0, 0, 0, 0, m, 1};
		double mean = 0;

		for (t = 0; t < n; t++)
			mean += y[t];
		return fc_arima_fit_fixed(y, n, &sp, mean / (double)n, fit,
					  err);
	}
	if (m < 1)
		m = 1;
	mp = mq = (int)(n / 3) < 5 ? (int)(n / 3) : 5;
	mP = mQ = (int)(n / 3 / (size_t)m) < 2 ? (int)(n / 3 / (size_t)m) : 2;
	if ((dx = malloc(n * sizeof *dx)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	s.y = y;
	s.x = x;
	s.px = px;
	s.xm = xm;
	s.n = n;
	s.m = m;
	s.use_aic = n <= 3;
	if (m == 1)
		mP = mQ = 0;
	else if (n > 2 * (size_t)m)
		s.D = fc_nsdiffs(yt, n, m);
	if (s.D > 0 && xm && diffed_constant(x, n, px, m, s.D, 0))
		s.D--;
	len = diffs(yt, n, m, s.D, 0, dx);
	s.d = fc_ndiffs(dx, len);
	if (s.d > 0 && xm && diffed_constant(x, n, px, m, s.D, s.d))
		s.d--;
	len = diffs(yt, n, m, s.D, s.d, dx);
	if (len == 0) {
		rc = fc_err_set(err, FC_EX_DATAERR, NULL, 0, "model '%s': "
				"not enough data", xm ? "arimax" : "arima");
		goto out;
	}
	if (fc_is_constant(dx, len)) {
		rc = polynomial_fit(&s, y, n, m, s.d, s.D, dx, len, fit, err);
		goto out;
	}
	if (m > 1) {
		if (mP > 0 && mp > m - 1)
			mp = m - 1;
		if (mQ > 0 && mq > m - 1)
			mq = m - 1;
	}
	s.approx = n > 150 || m > 12;
	if (s.approx) {
		fc_arima_spec sp = {0, s.d, 0, 0, s.D, 0, m,
				    s.d + s.D == 0};
		fc_arima_info info = {0};
		fc_fit *f;
		fc_err e;

		info.var_limit = -INFINITY; /* no variance check */
		if (fit_spec(&s, &sp, FC_ARIMA_CSS_ML, 0, &f, &info, &e) == 0)
			s.offset = -2 * f->loglik - (double)n * log(info.sigma2);
		fc_fit_free(f);
	}
	allow = s.d + s.D <= 1;
	c = allow;
	p = n < 10 ? (mp < 1 ? mp : 1) : (mp < 2 ? mp : 2);
	q = n < 10 ? (mq < 1 ? mq : 1) : (mq < 2 ? mq : 2);
	P = n < 10 ? 0 : (mP < 1 ? mP : 1);
	Q = n < 10 ? 0 : (mQ < 1 ? mQ : 1);
	consider(&s, p, q, P, Q, c);
	if (consider(&s, 0, 0, 0, 0, c))
		p = q = P = Q = 0;
	if (mp > 0 || mP > 0) {
		int sp = m > 1 && mP > 0;

		if (consider(&s, mp > 0, 0, sp, 0, c))
			p = mp > 0, P = sp, q = Q = 0;
	}
	if (mq > 0 || mQ > 0) {
		int sq = m > 1 && mQ > 0;

		if (consider(&s, 0, mq > 0, 0, sq, c))
			p = P = 0, q = mq > 0, Q = sq;
	}
	if (c && consider(&s, 0, 0, 0, 0, 0))
		p = q = P = Q = 0;
	stepwise(&s, &p, &q, &P, &Q, &c, mp, mq, mP, mQ, allow);
	if (s.approx && s.best != NULL)
		refit(&s);
	if (s.best == NULL || !(s.best_ic < INFINITY)) {
		rc = fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				"model '%s': no suitable ARIMA model "
				"found", xm ? "arimax" : "arima");
		goto out;
	}
	*fit = s.best;
	s.best = NULL;
out:
	fc_fit_free(s.best);
	free(dx);
	return rc;
}

int
fc_arima_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return auto_fit(y, NULL, n, 0, 0, y, m, fit, err);
}

int
fc_arima_auto_x(const double *y, const double *x, size_t n, size_t p,
		const double *yt, int m, fc_fit **fit, fc_err *err)
{
	return auto_fit(y, x, n, p, 1, yt, m, fit, err);
}
