/* ces - automatic complex exponential smoothing (Svetunkov & Kourentzes)
 *
 * Complex exponential smoothing (Svetunkov, Kourentzes and Ord 2022)
 * carries a level l_t and an "information potential" c_t, smoothed with
 * the complex weight a0 + i a1. With e_t = y_t - yhat_t:
 *
 *	l_t = l_{t-1} - (1 - a1) c_{t-1} + (a0 - a1) e_t
 *	c_t = l_{t-1} + (1 - a0) c_{t-1} + (a0 + a1) e_t
 *
 * and yhat_t = l_{t-1}. The seasonal forms, for a season of m values:
 * "S" (simple) runs the same pair on lag m (yhat_t = l_{t-m}); "P"
 * (partial) adds a seasonal s_t = s_{t-m} + b0 e_t to the lag-1 pair;
 * "F" (full) adds a second complex pair on lag m, weighted b0 + i b1.
 * Initial states: the mean of the first min(10, n) values and that over
 * 1.1 ("N"); the first m values and those over 1.1 ("S"); the mean of the
 * first m values for the level and the classical additive decomposition's
 * seasonal figure for the season ("P", "F"), each imaginary part being
 * its real part over 1.1. Each likelihood evaluation runs the series
 * forwards, backwards from the end states and forwards again (the
 * backcast of the initial states); the weights minimise n log(SSE) of
 * that last pass by a bounded adaptive Nelder-Mead (Gao and Han 2012)
 * from a0 = 1.3, a1 = 1, b0 = 0.1 ("P") or 1.3 and b1 = 1 ("F"), within
 * [0.01, 1.8] x [0.01, 1.9] x [0.01, 1.5] x [0.01, 1.5]. The form comes
 * from "N", "S", "P", "F" by the smallest AICc, the seasonal ones only
 * for m > 1 and n >= 2m (and n > 4). This is the procedure of
 * statsforecast's AutoCES.
 *
 * Forecasts run the recursions on with zero errors; they are linear in
 * the final states, and their standard deviation is sigma times the norm
 * of that linear map, sigma^2 = SSE / (n - k - 2) with k states per
 * period: the spread of statsforecast's simulation, which draws
 * N(0, sigma^2) noise onto every final state, computed instead of drawn.
 *
 * params: alpha0, alpha1 (and beta0 for "P", beta0 and beta1 for "F").
 * form: "CES(N)", "CES(S)", "CES(P)" or "CES(F)". state: the last L
 * state rows (L = 1 for "N", m otherwise), k values each (2, 2, 3, 4).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/impl.h"

enum { NONE, SIMPLE, PARTIAL, FULL };

static const int ncomp[] = {2, 2, 3, 4};
static const char forms[] = "NSPF";

/* A model being fitted: the series, the form and its work space. */
typedef struct {
	const double *y;
	size_t n;
	int season;
	size_t lag;	/* L: 1 for NONE, m otherwise */
	size_t k;	/* states per row */
	double *init;	/* L x k initial states */
	double *st;	/* (n + 2L) x k states */
	double *e;	/* n errors of the last pass */
	double *ys;	/* the series, reversed in the backward pass */
	double par[4];	/* a0, a1, b0, b1 */
	int opt;	/* how many of par are estimated */
} ces_ctx;

/* The one-step forecast of row i from the rows before it. */
static double
ces_fcst(const double *st, size_t i, size_t lag, size_t k, int season)
{
	double f = season == SIMPLE ? st[(i - lag) * k] : st[(i - 1) * k];

	if (season > SIMPLE)
		f += st[(i - lag) * k + 2];
	return f;
}

/* Row i of the states after the value y. */
static void
ces_update(double *st, size_t i, size_t lag, size_t k, int season,
	   const double *p, double y)
{
	double e = y - ces_fcst(st, i, lag, k, season);
	const double *b = st + (season == SIMPLE ? i - lag : i - 1) * k;
	const double *s = st + (i - lag) * k;
	double *r = st + i * k;

	r[0] = b[0] - (1 - p[1]) * b[1] + (p[0] - p[1]) * e;
	r[1] = b[0] + (1 - p[0]) * b[1] + (p[0] + p[1]) * e;
	if (season == PARTIAL)
		r[2] = s[2] + p[2] * e;
	if (season == FULL) {
		r[2] = s[2] - (1 - p[3]) * s[3] + (p[2] - p[3]) * e;
		r[3] = s[2] + (1 - p[2]) * s[3] + (p[2] + p[3]) * e;
	}
}

/* One pass over c->ys from the first L rows: the sum of squared errors;
 * the L rows after the last value receive its zero-error forecasts. */
static double
ces_pass(ces_ctx *c, const double *p)
{
	size_t i, L = c->lag, k = c->k, n = c->n;
	double sse = 0, e;

	for (i = L; i < n + L; i++) {
		e = c->ys[i - L] - ces_fcst(c->st, i, L, k, c->season);
		c->e[i - L] = e;
		ces_update(c->st, i, L, k, c->season, p, c->ys[i - L]);
		sse += e * e;
	}
	for (i = n + L; i < n + 2 * L; i++)
		ces_update(c->st, i, L, k, c->season, p,
			   ces_fcst(c->st, i, L, k, c->season));
	return sse;
}

/* Reverse the series, the rows of the states and the errors. */
static void
ces_reverse(ces_ctx *c)
{
	size_t i, j, rows = c->n + 2 * c->lag, k = c->k;
	double t;

	for (i = 0; i < c->n / 2; i++) {
		t = c->ys[i];
		c->ys[i] = c->ys[c->n - 1 - i];
		c->ys[c->n - 1 - i] = t;
		t = c->e[i];
		c->e[i] = c->e[c->n - 1 - i];
		c->e[c->n - 1 - i] = t;
	}
	for (i = 0; i < rows / 2; i++)
		for (j = 0; j < k; j++) {
			t = c->st[i * k + j];
			c->st[i * k + j] = c->st[(rows - 1 - i) * k + j];
			c->st[(rows - 1 - i) * k + j] = t;
		}
}

/* Forward, backward and forward again from the initial states: the
 * SSE of the last pass; c->st and c->e hold its states and errors. */
static double
ces_run(ces_ctx *c, const double *p)
{
	size_t rows = c->n + 2 * c->lag;

	memset(c->st, 0, rows * c->k * sizeof *c->st);
	memcpy(c->st, c->init, c->lag * c->k * sizeof *c->st);
	memcpy(c->ys, c->y, c->n * sizeof *c->ys);
	ces_pass(c, p);
	ces_reverse(c);
	ces_pass(c, p);
	ces_reverse(c);
	return ces_pass(c, p);
}

/* The parameters with the estimated ones x[0..c->opt) put in. */
static void
ces_params(const ces_ctx *c, const double *x, double *p)
{
	int i;

	memcpy(p, c->par, sizeof c->par);
	for (i = 0; i < c->opt; i++)
		p[i] = x[i];
}

/* The criterion: n log(SSE), at least -1e10; NaN counts as +inf. */
static double
ces_loss(const double *x, void *arg)
{
	ces_ctx *c = arg;
	double p[4], v;

	ces_params(c, x, p);
	v = (double)c->n * log(ces_run(c, p));
	if (v < -1e10)
		v = -1e10;
	return isnan(v) ? INFINITY : v;
}

static void
clamp(double *x, const double *lo, const double *hi, int n)
{
	int i;

	for (i = 0; i < n; i++)
		x[i] = x[i] < lo[i] ? lo[i] : x[i] > hi[i] ? hi[i] : x[i];
}

/* Indices of f[0..n] in increasing order of f, ties in index order. */
static void
order(const double *f, int n, int *idx)
{
	int i, j, t;

	for (i = 0; i <= n; i++)
		idx[i] = i;
	for (i = 1; i <= n; i++)
		for (j = i; j > 0 && f[idx[j]] < f[idx[j - 1]]; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
}

/* Population standard deviation of f[0..n]. */
static double
spread(const double *f, int n)
{
	double mean = 0, ss = 0;
	int i;

	for (i = 0; i <= n; i++)
		mean += f[i] / (n + 1);
	for (i = 0; i <= n; i++)
		ss += (f[i] - mean) * (f[i] - mean);
	return sqrt(ss / (n + 1));
}

/* Try a point: x = o + t (w - o), clamped; its value. */
static double
ces_try(ces_ctx *c, const double *o, const double *w, double t, int n,
	const double *lo, const double *hi, double *x)
{
	int j;

	for (j = 0; j < n; j++)
		x[j] = o[j] + t * (w[j] - o[j]);
	clamp(x, lo, hi, n);
	return ces_loss(x, c);
}

/*
 * Bounded adaptive Nelder-Mead over x[0..n) (n <= 4): the start simplex
 * steps 5% along each axis, every trial point is clamped to [lo, hi], the
 * search stops when the values' standard deviation falls below 1e-4 or
 * after 1000 iterations. x receives the best vertex.
 */
static void
ces_minimise(ces_ctx *c, double *x, int n, const double *lo,
	     const double *hi)
{
	double s[5][4], f[5], o[4], xr[4], xt[4], fr, ft;
	double gamma = 1 + 2.0 / n, rho = 0.75 - 1 / (2.0 * n);
	double sigma = 1 - 1.0 / n;
	int idx[5], i, j, it, best = 0, worst, second;

	clamp(x, lo, hi, n);
	for (i = 0; i <= n; i++) {
		memcpy(s[i], x, (size_t)n * sizeof *x);
		if (i < n)
			s[i][i] = s[i][i] == 0 ? 1e-4 : s[i][i] * 1.05;
		clamp(s[i], lo, hi, n);
		f[i] = ces_loss(s[i], c);
	}
	for (it = 0; it < 1000; it++) {
		order(f, n, idx);
		best = idx[0];
		worst = idx[n];
		second = idx[n - 1];
		if (spread(f, n) < 1e-4)
			break;
		for (j = 0; j < n; j++) {
			o[j] = 0;
			for (i = 0; i < n; i++)
				o[j] += s[idx[i]][j] / n;
		}
		fr = ces_try(c, o, s[worst], -1, n, lo, hi, xr);
		if (f[best] <= fr && fr < f[second]) {
			memcpy(s[worst], xr, sizeof xr);
			f[worst] = fr;
			continue;
		}
		if (fr < f[best]) {
			ft = ces_try(c, o, xr, gamma, n, lo, hi, xt);
			memcpy(s[worst], ft < fr ? xt : xr, sizeof xt);
			f[worst] = ft < fr ? ft : fr;
			continue;
		}
		if (f[second] <= fr && fr < f[worst]) {
			ft = ces_try(c, o, xr, rho, n, lo, hi, xt);
			if (ft <= fr) {
				memcpy(s[worst], xt, sizeof xt);
				f[worst] = ft;
				continue;
			}
		} else {
			ft = ces_try(c, o, xr, -rho, n, lo, hi, xt);
			if (ft < f[worst]) {
				memcpy(s[worst], xt, sizeof xt);
				f[worst] = ft;
				continue;
			}
		}
		for (i = 0; i <= n; i++) {
			if (i == best)
				continue;
			for (j = 0; j < n; j++)
				s[i][j] = s[best][j] + sigma * (s[i][j] - s[best][j]);
			clamp(s[i], lo, hi, n);
			f[i] = ces_loss(s[i], c);
		}
	}
	memcpy(x, s[best], (size_t)n * sizeof *x);
}

/* The initial states of the form into c->init; 0 or -1 (memory). */
static int
ces_init(ces_ctx *c)
{
	size_t L = c->lag, k = c->k, j, cnt = c->n < 10 ? c->n : 10;
	double mean = 0, *fig;

	if (c->season == NONE) {
		for (j = 0; j < cnt; j++)
			mean += c->y[j];
		c->init[0] = mean / (double)cnt;
		c->init[1] = c->init[0] / 1.1;
		return 0;
	}
	if (c->season == SIMPLE) {
		for (j = 0; j < L; j++) {
			c->init[j * k] = c->y[j];
			c->init[j * k + 1] = c->y[j] / 1.1;
		}
		return 0;
	}
	if ((fig = malloc(L * sizeof *fig)) == NULL ||
	    fc_decompose(c->y, c->n, (int)L, 0, fig) != 0) {
		free(fig);
		return -1;
	}
	for (j = 0; j < L; j++)
		mean += c->y[j] / (double)L;
	for (j = 0; j < L; j++) {
		c->init[j * k] = mean;
		c->init[j * k + 1] = mean / 1.1;
		c->init[j * k + 2] = fig[j];
		if (c->season == FULL)
			c->init[j * k + 3] = fig[j] / 1.1;
	}
	free(fig);
	return 0;
}

/* One fitted form. */
typedef struct {
	int season;
	double par[4];
	double sse, aicc, sigma2;
	size_t lag;
	double *last;	/* the last L state rows */
	double *fitted;
} ces_form;

/* Fit one form to y into *r (r->last and r->fitted new arrays);
 * 0, or -1 out of memory. */
static int
ces_fit_form(const double *y, size_t n, size_t m, int season, ces_form *r)
{
	static const double lo[4] = {0.01, 0.01, 0.01, 0.01};
	static const double hi[4] = {1.8, 1.9, 1.5, 1.5};
	ces_ctx c;
	double x[4], np1;
	size_t L = season == NONE ? 1 : m, k = (size_t)ncomp[season], t;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.y = y;
	c.n = n;
	c.season = season;
	c.lag = L;
	c.k = k;
	c.init = malloc(L * k * sizeof *c.init);
	c.st = malloc((n + 2 * L) * k * sizeof *c.st);
	c.e = malloc(n * sizeof *c.e);
	c.ys = malloc(n * sizeof *c.ys);
	r->last = malloc(L * k * sizeof *r->last);
	r->fitted = malloc(n * sizeof *r->fitted);
	if (!c.init || !c.st || !c.e || !c.ys || !r->last || !r->fitted ||
	    ces_init(&c) != 0)
		goto out;
	c.par[0] = 1.3;
	c.par[1] = 1;
	c.par[2] = season == PARTIAL ? 0.1 : season == FULL ? 1.3 : NAN;
	c.par[3] = season == FULL ? 1 : NAN;
	c.opt = season == PARTIAL ? 3 : season == FULL ? 4 : 2;
	memcpy(x, c.par, sizeof x);
	ces_minimise(&c, x, c.opt, lo, hi);
	ces_params(&c, x, r->par);
	r->season = season;
	r->lag = L;
	r->sse = ces_run(&c, r->par);
	/* statsforecast's criterion: n log(SSE) + the AICc penalty of
	 * k + 1 parameters */
	np1 = (double)k + 1;
	r->aicc = (double)n * log(r->sse) + 2 * np1;
	if ((double)n - np1 - 1 != 0)
		r->aicc += 2 * np1 * (np1 + 1) / ((double)n - np1 - 1);
	else
		r->aicc = INFINITY;
	r->sigma2 = r->sse / ((double)n - np1 - 1);
	memcpy(r->last, c.st + n * k, L * k * sizeof *r->last);
	for (t = 0; t < n; t++)
		r->fitted[t] = y[t] - c.e[t];
	rc = 0;
out:
	free(c.init);
	free(c.st);
	free(c.e);
	free(c.ys);
	return rc;
}

size_t
fc_ces_min(int m)
{
	(void)m;
	return 5;
}

static void
form_free(ces_form *r)
{
	free(r->last);
	free(r->fitted);
	r->last = r->fitted = NULL;
}

/* The fit of the chosen form r to y. */
static int
ces_store(const ces_form *r, const double *y, size_t n, fc_fit **fit,
	  fc_err *err)
{
	static const char *names[] = {"alpha0", "alpha1", "beta0", "beta1"};
	size_t k = (size_t)ncomp[r->season], i, npar;
	double np1 = (double)k + 1;

	npar = r->season == PARTIAL ? 3 : r->season == FULL ? 4 : 2;
	if ((*fit = fc_fit_alloc(NULL, npar, r->lag * k, err)) == NULL)
		return FC_EX_SOFTWARE;
	snprintf((*fit)->form, sizeof (*fit)->form, "CES(%c)",
		 forms[r->season]);
	for (i = 0; i < npar; i++)
		fc_fit_set_param(*fit, i, names[i], r->par[i]);
	memcpy((*fit)->state, r->last, r->lag * k * sizeof *r->last);
	(*fit)->sigma2 = r->sigma2;
	/* the Gaussian likelihood of the errors; its AICc differs from the
	 * criterion of the choice by a constant of n */
	(*fit)->loglik = -0.5 * (double)n *
			 (log(2 * M_PI * r->sse / (double)n) + 1);
	(*fit)->aicc = -2 * (*fit)->loglik + 2 * np1 +
		       2 * np1 * (np1 + 1) / ((double)n - np1 - 1);
	(*fit)->intervals = 1;
	if (fc_fit_keep(*fit, y, r->fitted, n) != 0)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	return 0;
}

/* A constant series: the naive forecast, without spread. */
static int
ces_constant(const double *y, size_t n, fc_fit **fit, fc_err *err)
{
	if ((*fit = fc_fit_alloc(NULL, 0, 1, err)) == NULL)
		return FC_EX_SOFTWARE;
	snprintf((*fit)->form, sizeof (*fit)->form, "naive");
	(*fit)->state[0] = y[n - 1];
	(*fit)->sigma2 = 0;
	(*fit)->intervals = 1;
	if (fc_fit_keep(*fit, y, y, n) != 0)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	return 0;
}

int
fc_ces_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	ces_form best, cur;
	int s, last = NONE, rc;
	size_t t;

	if (n < fc_ces_min(m))
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'ces': too short a series");
	for (t = 1; t < n && y[t] == y[0]; t++)
		;
	if (t == n)
		return ces_constant(y, n, fit, err);
	/* the seasonal forms need two full seasons and more values than
	 * the four weights */
	if (m > 1 && n >= 2 * (size_t)m && n > 4)
		last = FULL;
	memset(&best, 0, sizeof best);
	best.aicc = INFINITY;
	for (s = NONE; s <= last; s++) {
		memset(&cur, 0, sizeof cur);
		if (ces_fit_form(y, n, (size_t)m, s, &cur) != 0) {
			form_free(&cur);
			form_free(&best);
			return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
					  "out of memory");
		}
		if (!isnan(cur.aicc) && cur.aicc < best.aicc) {
			form_free(&best);
			best = cur;
		} else {
			form_free(&cur);
		}
	}
	if (best.last == NULL)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model 'ces': no form could be fitted");
	rc = ces_store(&best, y, n, fit, err);
	form_free(&best);
	return rc;
}

/* The season of a fit from its form; -1 when it is not one of ours. */
static int
ces_season(const fc_fit *fit)
{
	const char *p;

	if (strncmp(fit->form, "CES(", 4) != 0 || fit->form[4] == '\0' ||
	    strcmp(fit->form + 5, ")") != 0 ||
	    (p = strchr(forms, fit->form[4])) == NULL)
		return -1;
	return (int)(p - forms);
}

/* Zero-error forecasts f[0..h) from the L state rows `last` (L x k):
 * w is the work space of (L + h) x k values. */
static void
ces_path(const double *last, size_t L, size_t k, int season,
	 const double *p, size_t h, double *w, double *f)
{
	size_t j;

	memcpy(w, last, L * k * sizeof *w);
	for (j = 0; j < h; j++) {
		f[j] = ces_fcst(w, L + j, L, k, season);
		ces_update(w, L + j, L, k, season, p, f[j]);
	}
}

int
fc_ces_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		double *df, fc_err *err)
{
	double p[4], *w, *u, *g;
	int season = ces_season(fit);
	size_t k, L, j, i;

	*df = 0;
	if (strcmp(fit->form, "naive") == 0 && fit->nstate == 1) {
		for (j = 0; j < h; j++) {
			mean[j] = fit->state[0];
			sd[j] = 0;
		}
		return 0;
	}
	if (season < 0 || fit->nstate % (size_t)ncomp[season] != 0 ||
	    fit->nstate == 0)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'ces': bad fit");
	k = (size_t)ncomp[season];
	L = fit->nstate / k;
	p[0] = fc_fit_param(fit, "alpha0");
	p[1] = fc_fit_param(fit, "alpha1");
	p[2] = fc_fit_param(fit, "beta0");
	p[3] = fc_fit_param(fit, "beta1");
	w = malloc((L + h + 1) * k * sizeof *w);
	u = calloc(L * k, sizeof *u);
	g = malloc((h + 1) * sizeof *g);
	if (w == NULL || u == NULL || g == NULL) {
		free(w);
		free(u);
		free(g);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	ces_path(fit->state, L, k, season, p, h, w, mean);
	for (j = 0; j < h; j++)
		sd[j] = 0;
	/* the forecasts are linear in the final states: the response to
	 * each state, squared and summed, is the variance per sigma^2 */
	for (i = 0; i < L * k; i++) {
		u[i] = 1;
		ces_path(u, L, k, season, p, h, w, g);
		for (j = 0; j < h; j++)
			sd[j] += g[j] * g[j];
		u[i] = 0;
	}
	for (j = 0; j < h; j++)
		sd[j] = sqrt(fit->sigma2 * sd[j]);
	free(w);
	free(u);
	free(g);
	return 0;
}
