/* ets - exponential smoothing state space models: fitting and forecasting */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "models/ets.h"
#include "models/impl.h"
#include "models/nelder.h"

/*
 * The state at time t is x = (l, b, s1 ... sm): level, slope (when the
 * form has a trend) and the last m seasonal terms, s1 the latest and sm
 * the one the next value uses. With T = l + phi b (phi = 1 undamped), the
 * one-step forecast is yhat = T, T + sm or T sm and, with u = y - yhat,
 *
 *	season N, A:	l' = T + alpha u	b' = phi b + beta u
 *			s' = sm + gamma u
 *	season M:	l' = T + alpha u / sm	b' = phi b + beta u / sm
 *			s' = sm + gamma u / T
 *
 * which is the same for additive errors (e = u) and multiplicative ones
 * (e = u / yhat): the error form only changes the likelihood,
 * n log(sum e^2), plus 2 sum log|yhat| for multiplicative errors.
 */

#define B_LO 1e-4   /* usual bounds of alpha, beta, gamma */
#define B_HI 0.9999
#define PHI_LO 0.8  /* and of phi */
#define PHI_HI 0.98
#define PENALTY HUGE_VAL
#define MAXIT 2000  /* Nelder-Mead evaluations, as R's ets */

struct par {
	double alpha, beta, gamma, phi;
};

/* A fitting problem. */
struct ets {
	fc_ets_spec s;
	const double *y;
	size_t n;
	size_t m;     /* seasonal states (0 without season) */
	size_t ns;    /* states */
	size_t nsm;   /* smoothing parameters optimised */
	size_t np;    /* parameters optimised: smoothing and initial states */
	double scale; /* of the states in the optimiser's coordinates */
	double *x;    /* work state */
	double *g, *w; /* of the linear form, ns each */
	gsl_matrix *d;
	gsl_vector_complex *ev;
	gsl_eigen_nonsymm_workspace *ew;
};

/* What one pass over the data gives. */
struct pass {
	double sse;  /* sum of squared errors e */
	double sseu; /* sum of squared y - yhat */
	double slog; /* sum of log |yhat| */
};

static int
has_b(const fc_ets_spec *s)
{
	return s->trend != 'N';
}

/* Index of the first seasonal state. */
static size_t
s0(const fc_ets_spec *s)
{
	return has_b(s) ? 2 : 1;
}

/*
 * One step from state x with observation y (NAN: a forecast step, u = 0);
 * *yhat receives the forecast. -1 when a multiplicative component or the
 * forecast comes too close to 0.
 */
static int
step(const fc_ets_spec *s, const struct par *p, double *x, size_t m,
     double y, double *yhat)
{
	double phi = s->damped ? p->phi : 1, b = has_b(s) ? x[1] : 0;
	double t = x[0] + phi * b, sm = 0, u, snew = 0;
	size_t k = s0(s), i;

	if (m > 0)
		sm = x[k + m - 1];
	*yhat = s->season == 'A' ? t + sm : s->season == 'M' ? t * sm : t;
	if ((s->error == 'M' && fabs(*yhat) < 1e-10) ||
	    (s->season == 'M' && (fabs(sm) < 1e-10 || fabs(t) < 1e-10)))
		return -1;
	u = isnan(y) ? 0 : y - *yhat;
	if (s->season == 'M') {
		x[0] = t + p->alpha * u / sm;
		if (has_b(s))
			x[1] = phi * b + p->beta * u / sm;
		snew = sm + p->gamma * u / t;
	} else {
		x[0] = t + p->alpha * u;
		if (has_b(s))
			x[1] = phi * b + p->beta * u;
		snew = sm + p->gamma * u;
	}
	for (i = m; i > 1; i--)
		x[k + i - 1] = x[k + i - 2];
	if (m > 0)
		x[k] = snew;
	return 0;
}

/* Run over the data from the state in x (left at the final state);
 * fitted (n values) may be NULL. 0 or -1 as step. */
static int
run(const struct ets *e, const struct par *p, double *x, struct pass *r,
    double *fitted)
{
	double yhat, u, err;
	size_t t;

	memset(r, 0, sizeof *r);
	for (t = 0; t < e->n; t++) {
		if (step(&e->s, p, x, e->m, e->y[t], &yhat) != 0)
			return -1;
		u = e->y[t] - yhat;
		err = e->s.error == 'M' ? u / yhat : u;
		r->sse += err * err;
		r->sseu += u * u;
		r->slog += log(fabs(yhat));
		if (fitted != NULL)
			fitted[t] = yhat;
	}
	return 0;
}

/* minus twice the log-likelihood, up to constants, as R's ets reports */
static double
lik(const struct ets *e, const struct pass *r)
{
	double l = (double)e->n * log(r->sse);

	return e->s.error == 'M' ? l + 2 * r->slog : l;
}

/* Split an optimiser vector v into smoothing parameters and the initial
 * state e->x (the last seasonal state from the normalisation). */
static void
unpack(const struct ets *e, const double *v, struct par *p)
{
	size_t i = 0, j, k = s0(&e->s);
	double sum = 0;

	p->alpha = v[i++];
	p->beta = has_b(&e->s) ? v[i++] : 0;
	p->gamma = e->m > 0 ? v[i++] : 0;
	p->phi = e->s.damped ? v[i++] : 1;
	e->x[0] = v[i++] * e->scale;
	if (has_b(&e->s))
		e->x[1] = v[i++] * e->scale;
	for (j = 0; j + 1 < e->m; j++) {
		e->x[k + j] = e->s.season == 'M' ? v[i++] : v[i++] * e->scale;
		sum += e->x[k + j];
	}
	if (e->m > 0)
		e->x[k + e->m - 1] = (e->s.season == 'M' ? (double)e->m : 0) - sum;
}

/* A multiplicative season starts from indices that are all >= 0, as R's
 * ets asks of its initial states. */
static int
season_ok(const struct ets *e)
{
	size_t k = s0(&e->s), j;

	for (j = 0; e->s.season == 'M' && j < e->m; j++)
		if (e->x[k + j] < 0)
			return 0;
	return 1;
}

static int
in_bounds(const struct ets *e, const struct par *p)
{
	if (p->alpha < B_LO || p->alpha > B_HI)
		return 0;
	if (has_b(&e->s) && (p->beta < B_LO || p->beta > p->alpha))
		return 0;
	if (e->m > 0 && (p->gamma < B_LO || p->gamma > 1 - p->alpha))
		return 0;
	if (e->s.damped && (p->phi < PHI_LO || p->phi > PHI_HI))
		return 0;
	return 1;
}

/*
 * Admissible: the discount matrix D = F - g w' of the linear form has its
 * eigenvalues inside the unit circle, but for the one at 1 that a seasonal
 * form always has (level up, every season down by as much).
 */
static int
admissible(struct ets *e, const struct par *p)
{
	size_t ns = e->ns, k = s0(&e->s), i, j, skip = ns;
	double phi = e->s.damped ? p->phi : 1, *g = e->g, *w = e->w;
	double near = INFINITY;
	gsl_matrix *d = e->d;

	if (e->m == 0 && !e->s.damped)
		return 1;
	gsl_matrix_set_zero(d);
	memset(g, 0, ns * sizeof g[0]);
	memset(w, 0, ns * sizeof w[0]);
	gsl_matrix_set(d, 0, 0, 1);
	g[0] = p->alpha;
	w[0] = 1;
	if (has_b(&e->s)) {
		gsl_matrix_set(d, 0, 1, phi);
		gsl_matrix_set(d, 1, 1, phi);
		g[1] = p->beta;
		w[1] = phi;
	}
	if (e->m > 0) {
		gsl_matrix_set(d, k, k + e->m - 1, 1);
		for (i = 1; i < e->m; i++)
			gsl_matrix_set(d, k + i, k + i - 1, 1);
		g[k] = p->gamma;
		w[k + e->m - 1] = 1;
	}
	for (i = 0; i < ns; i++)
		for (j = 0; j < ns; j++)
			gsl_matrix_set(d, i, j,
				       gsl_matrix_get(d, i, j) - g[i] * w[j]);
	if (gsl_eigen_nonsymm(d, e->ev, e->ew) != GSL_SUCCESS)
		return 0;
	for (i = 0; e->m > 0 && i < ns; i++) {
		gsl_complex z = gsl_vector_complex_get(e->ev, i);
		double dist = hypot(GSL_REAL(z) - 1, GSL_IMAG(z));

		if (dist < near) {
			near = dist;
			skip = i;
		}
	}
	for (i = 0; i < ns; i++) {
		gsl_complex z = gsl_vector_complex_get(e->ev, i);

		if (i != skip && hypot(GSL_REAL(z), GSL_IMAG(z)) > 1 + 1e-10)
			return 0;
	}
	return 1;
}

static double
objective(const gsl_vector *v, void *arg)
{
	struct ets *e = arg;
	struct par p;
	struct pass r;
	double f;

	unpack(e, v->data, &p);
	if (!in_bounds(e, &p) || !season_ok(e))
		return PENALTY;
	if (!admissible(e, &p))
		return PENALTY;
	if (run(e, &p, e->x, &r, NULL) != 0)
		return PENALTY;
	f = e->s.crit == FC_ETS_MSE ? r.sseu / (double)e->n : lik(e, &r);
	return isfinite(f) ? f : PENALTY;
}

/* Least squares line through (1, y[0]) ... (k, y[k-1]): *a + *b t. */
static void
line(const double *y, size_t k, double *a, double *b)
{
	double tm = ((double)k + 1) / 2, ym = 0, sxy = 0, sxx = 0;
	size_t t;

	for (t = 0; t < k; t++)
		ym += y[t] / (double)k;
	for (t = 0; t < k; t++) {
		sxy += ((double)t + 1 - tm) * (y[t] - ym);
		sxx += ((double)t + 1 - tm) * ((double)t + 1 - tm);
	}
	*b = sxx > 0 ? sxy / sxx : 0;
	*a = ym - *b * tm;
}

/*
 * Detrended values of a series too short for a classical decomposition
 * (n < 3m): the intercept and slope of a regression on time and one pair
 * of Fourier terms removed (divided out when mult). 0 or -1.
 */
static int
fourier_detrend(const double *y, size_t n, int m, int mult, double *sea)
{
	size_t p = m == 2 ? 3 : 4, t;
	gsl_matrix *x = gsl_matrix_alloc(n, p), *cov = gsl_matrix_alloc(p, p);
	gsl_vector *c = gsl_vector_alloc(p);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p);
	gsl_vector_const_view yv = gsl_vector_const_view_array(y, n);
	double chisq, a, b;
	int rc = -1;

	if (x == NULL || cov == NULL || c == NULL || w == NULL)
		goto out;
	for (t = 0; t < n; t++) {
		double ang = 2 * M_PI * (double)(t + 1) / m;

		gsl_matrix_set(x, t, 0, 1);
		gsl_matrix_set(x, t, 1, (double)(t + 1));
		gsl_matrix_set(x, t, 2, cos(ang));
		if (p == 4)
			gsl_matrix_set(x, t, 3, sin(ang));
	}
	if (gsl_multifit_linear(x, &yv.vector, c, cov, &chisq, w) !=
	    GSL_SUCCESS)
		goto out;
	a = gsl_vector_get(c, 0);
	b = gsl_vector_get(c, 1);
	for (t = 0; t < n; t++)
		sea[t] = mult ? y[t] / (a + b * (double)(t + 1))
			      : y[t] - a - b * (double)(t + 1);
	rc = 0;
out:
	gsl_matrix_free(x);
	gsl_matrix_free(cov);
	gsl_vector_free(c);
	gsl_multifit_linear_free(w);
	return rc;
}

/*
 * The heuristic initial state of Hyndman et al. (2008, sec. 2.6.1), as
 * R's ets starts from: seasonal terms from a classical decomposition (a
 * Fourier regression when n < 3m), then level and slope from a line
 * through the first max(10, 2m) seasonally adjusted values (their mean
 * without trend). v receives l, b, s0 ... s(m-2) in the optimiser's
 * coordinates. 0 or -1.
 */
static int
init_states(const struct ets *e, double *v)
{
	size_t n = e->n, m = e->m, t, k, i = 0;
	int mult = e->s.season == 'M';
	double *sea, *sa, a, b, sum = 0;

	sea = malloc((n + m) * sizeof *sea);
	sa = malloc(n * sizeof *sa);
	if (sea == NULL || sa == NULL)
		goto fail;
	for (t = 0; t < n; t++)
		sea[t] = mult;
	if (m > 0) {
		if (n < 3 * m) {
			if (fourier_detrend(e->y, n, (int)m, mult, sea) != 0)
				goto fail;
		} else {
			if (fc_decompose(e->y, n, (int)m, mult, sea) != 0)
				goto fail;
			for (t = m; t < n; t++)
				sea[t] = sea[t - m];
		}
		for (t = 0; mult && t < n; t++)
			sea[t] = fmax(sea[t], 1e-2);
		for (t = 1; t < m; t++)
			sum += sea[t];
		for (t = 1; t < m; t++)
			sea[n + t] = mult && sum > (double)m
					     ? sea[t] / (sum + (double)(m - 1) * 1e-2)
					     : sea[t];
	}
	for (t = 0; t < n; t++)
		sa[t] = mult ? e->y[t] / sea[t] : m ? e->y[t] - sea[t] : e->y[t];
	k = n < (m * 2 > 10 ? m * 2 : 10) ? n : (m * 2 > 10 ? m * 2 : 10);
	if (has_b(&e->s)) {
		line(sa, k, &a, &b);
		if (fabs(a + b) < 1e-8) {
			a *= 1 + 1e-3;
			b *= 1 - 1e-3;
		}
	} else {
		for (a = 0, t = 0; t < k; t++)
			a += sa[t] / (double)k;
		b = 0;
	}
	v[i++] = a / e->scale;
	if (has_b(&e->s))
		v[i++] = b / e->scale;
	for (t = m; t > 1; t--)
		v[i++] = mult ? sea[n + t - 1] : sea[n + t - 1] / e->scale;
	free(sea);
	free(sa);
	return 0;
fail:
	free(sea);
	free(sa);
	return -1;
}

/* Starting smoothing parameters, as R's ets picks them. */
static size_t
init_par(const struct ets *e, double *v)
{
	double alpha, beta, gamma, m = e->m ? (double)e->m : 1;
	size_t i = 0;

	alpha = B_LO + 0.2 * (B_HI - B_LO) / m;
	v[i++] = alpha;
	if (has_b(&e->s)) {
		beta = B_LO + 0.1 * (fmin(B_HI, alpha) - B_LO);
		v[i++] = beta;
	}
	if (e->m > 0) {
		gamma = B_LO + 0.05 * (fmin(B_HI, 1 - alpha) - B_LO);
		v[i++] = gamma;
	}
	if (e->s.damped)
		v[i++] = PHI_LO + 0.99 * (PHI_HI - PHI_LO);
	return i;
}

static double
objective_nm(const double *v, void *arg)
{
	gsl_vector_const_view vv = gsl_vector_const_view_array(v, ((struct ets *)arg)->np);

	return objective(&vv.vector, arg);
}

/* Minimise the criterion from v as R's ets does; 0, or -1 when the start
 * is not admissible, -2 out of memory. */
static int
optimise(struct ets *e, double *v)
{
	double fmin;
	int rc;

	if (objective_nm(v, e) >= PENALTY)
		return -1;
	rc = fc_nelder_mead(objective_nm, e, v, e->np, MAXIT, 1e-8, &fmin);
	return rc;
}

size_t
fc_ets_min_length(const fc_ets_spec *s)
{
	size_t np = 2;

	if (has_b(s))
		np += 2;
	if (s->season != 'N')
		np += (size_t)s->m;
	if (s->damped)
		np++;
	return np + 5;
}

static void
form_name(const fc_ets_spec *s, char *buf)
{
	size_t i = 0;

	buf[i++] = s->error;
	buf[i++] = s->trend;
	if (s->damped)
		buf[i++] = 'd';
	buf[i++] = s->season;
	buf[i] = '\0';
}

int
fc_ets_spec_of(const fc_fit *fit, fc_ets_spec *s)
{
	const char *f = fit->form;
	size_t len = strlen(f);

	memset(s, 0, sizeof *s);
	if (len < 3 || len > 4 || (len == 4 && f[2] != 'd'))
		return -1;
	s->error = f[0];
	s->trend = f[1];
	s->damped = len == 4;
	s->season = f[len - 1];
	s->m = s->season == 'N' ? 1 : fit->m;
	if (!strchr("AM", s->error) || !strchr("NA", s->trend) ||
	    !strchr("NAM", s->season) || (s->damped && s->trend == 'N') ||
	    (s->season != 'N' && (s->m < 2 || fit->nstate != 1 + (size_t)has_b(s) + (size_t)s->m)) ||
	    (s->season == 'N' && fit->nstate != 1 + (size_t)has_b(s)))
		return -1;
	return 0;
}

static void
ets_free(struct ets *e)
{
	free(e->x);
	free(e->g);
	free(e->w);
	gsl_matrix_free(e->d);
	gsl_vector_complex_free(e->ev);
	gsl_eigen_nonsymm_free(e->ew);
}

static int
ets_init(struct ets *e, const double *y, size_t n, const fc_ets_spec *s)
{
	memset(e, 0, sizeof *e);
	e->s = *s;
	e->y = y;
	e->n = n;
	e->m = s->season == 'N' ? 0 : (size_t)s->m;
	e->ns = 1 + (size_t)has_b(s) + e->m;
	e->nsm = 1 + (size_t)has_b(s) + (e->m > 0) + (size_t)(s->damped != 0);
	e->np = e->nsm + 1 + (size_t)has_b(s) + (e->m ? e->m - 1 : 0);
	e->scale = 1;
	e->x = calloc(e->ns, sizeof *e->x);
	e->g = calloc(e->ns, sizeof *e->g);
	e->w = calloc(e->ns, sizeof *e->w);
	e->d = gsl_matrix_alloc(e->ns, e->ns);
	e->ev = gsl_vector_complex_alloc(e->ns);
	e->ew = gsl_eigen_nonsymm_alloc(e->ns);
	return e->x && e->g && e->w && e->d && e->ev && e->ew ? 0 : -1;
}

/* Fill fit from the optimum v of e. 0 or -1. */
static int
keep(struct ets *e, const double *v, fc_fit *fit)
{
	static const char *names[] = {"alpha", "beta", "gamma", "phi"};
	struct par p;
	struct pass r;
	double *f, k = (double)e->np + 1, aic, nn = (double)e->n;
	size_t i = 0, j, np = 0;
	char nm[32];
	int rc;

	unpack(e, v, &p);
	fc_fit_set_param(fit, np++, names[0], p.alpha);
	if (has_b(&e->s))
		fc_fit_set_param(fit, np++, names[1], p.beta);
	if (e->m > 0)
		fc_fit_set_param(fit, np++, names[2], p.gamma);
	if (e->s.damped)
		fc_fit_set_param(fit, np++, names[3], p.phi);
	fc_fit_set_param(fit, np++, "l", e->x[0]);
	if (has_b(&e->s))
		fc_fit_set_param(fit, np++, "b", e->x[1]);
	for (j = 0; j + 1 < e->m; j++) {
		snprintf(nm, sizeof nm, "s%u", (unsigned)(j % 100000));
		fc_fit_set_param(fit, np++, nm, e->x[s0(&e->s) + j]);
	}
	if ((f = malloc(e->n * sizeof *f)) == NULL)
		return -1;
	rc = run(e, &p, e->x, &r, f);
	for (i = 0; i < e->ns; i++)
		fit->state[i] = e->x[i];
	fit->loglik = -0.5 * lik(e, &r);
	aic = -2 * fit->loglik + 2 * k;
	fit->aicc = aic + 2 * k * (k + 1) / (nn - k - 1);
	fit->sigma2 = r.sse / (nn - (double)e->np);
	form_name(&e->s, fit->form);
	if (rc == 0)
		rc = fc_fit_keep(fit, e->y, f, e->n);
	for (i = 0; rc == 0 && e->s.error == 'M' && i < e->n; i++)
		fit->resid[i] /= f[i];
	free(f);
	return rc;
}

int
fc_ets_fit(const double *y, size_t n, const fc_ets_spec *s, fc_fit **fit,
	   fc_err *err)
{
	struct ets e;
	double *v = NULL;
	size_t t, i;
	int rc = 0;

	*fit = NULL;
	for (t = 0; s->error == 'M' || s->season == 'M' ? t < n : 0; t++)
		if (!(y[t] > 0))
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "ets %c%c%s%c: value '%g' is not "
					  "positive",
					  s->error, s->trend,
					  s->damped ? "d" : "", s->season,
					  y[t]);
	if (n < fc_ets_min_length(s))
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets: series of %zu values is too short",
				  n);
	if (ets_init(&e, y, n, s) != 0 ||
	    (v = calloc(e.np, sizeof *v)) == NULL ||
	    (*fit = fc_fit_alloc(NULL, e.np, e.ns, err)) == NULL) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	i = init_par(&e, v);
	if (init_states(&e, v + i) != 0)
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"ets: initial states failed");
	else if (optimise(&e, v) != 0)
		rc = fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				"ets: no admissible start for the optimiser");
	else if (keep(&e, v, *fit) != 0)
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	(*fit)->intervals = s->error == 'M' || s->season != 'M';
out:
	free(v);
	ets_free(&e);
	return rc;
}

/* Forecasting */

/* The parameters of fit. */
static void
fit_par(const fc_fit *fit, struct par *p)
{
	p->alpha = fc_fit_param(fit, "alpha");
	p->beta = fc_fit_param(fit, "beta");
	p->gamma = fc_fit_param(fit, "gamma");
	p->phi = fc_fit_param(fit, "phi");
	if (isnan(p->beta))
		p->beta = 0;
	if (isnan(p->gamma))
		p->gamma = 0;
	if (isnan(p->phi))
		p->phi = 1;
}

/*
 * c[0..h-2]: c_j = w' F^(j-1) g of the linear form, the weights of the
 * past errors in the forecast of step j + 1 (Hyndman et al. 2008, ch. 6).
 */
static void
weights(const fc_ets_spec *s, const struct par *p, size_t h, double *c)
{
	double phi = s->damped ? p->phi : 1, b = p->beta, phij = phi, sum = 0;
	size_t j;

	for (j = 1; j < h; j++) {
		sum += phij;
		c[j - 1] = p->alpha + (s->trend != 'N' ? b * sum : 0) +
			   (s->season != 'N' && j % (size_t)s->m == 0
				    ? p->gamma
				    : 0);
		phij *= phi;
	}
}

/* n x n products: c = a b (c may not alias). */
static void
mul(const double *a, const double *b, double *c, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			double x = 0;

			for (k = 0; k < n; k++)
				x += a[i * n + k] * b[k * n + j];
			c[i * n + j] = x;
		}
}

/* c = a b' */
static void
mul_t(const double *a, const double *b, double *c, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			double x = 0;

			for (k = 0; k < n; k++)
				x += a[i * n + k] * b[j * n + k];
			c[i * n + j] = x;
		}
}

/* Kronecker product of p x p a and q x q b into (pq) x (pq) c. */
static void
kron(const double *a, size_t p, const double *b, size_t q, double *c)
{
	size_t i, j, k, l, n = p * q;

	for (i = 0; i < p; i++)
		for (j = 0; j < p; j++)
			for (k = 0; k < q; k++)
				for (l = 0; l < q; l++)
					c[(i * q + k) * n + j * q + l] =
						a[i * p + j] * b[k * q + l];
}

/*
 * Class 3 (multiplicative error and season): with x the level and slope,
 * z the seasonal terms, x' = F1 x + G1 x e, z' = F2 z + G2 z e and
 * y = (H1 x)(H2 z)(1 + e), the moments of w = vec(x z') follow
 * w' = A w + K w e + G w e^2 (A = F2 (x) F1, K = F2 (x) G1 + G2 (x) F1,
 * G = G2 (x) G1), exactly for normal e; Var y = (1 + s2) H V H' + s2 mu^2.
 */
static int
class3(const fc_fit *fit, const fc_ets_spec *s, const struct par *p,
       size_t h, double *sd)
{
	size_t p1 = 1 + (s->trend != 'N'), m = (size_t)s->m, n = p1 * m, i, j;
	double f1[4] = {0}, g1[4] = {0}, *f2, *g2, *a, *k, *g, *mu, *v, *sm,
	       *t1, *t2, *t3, *hv, s2 = fit->sigma2, phi = s->damped ? p->phi : 1;
	double *buf;
	int rc = -1;

	buf = calloc(2 * m * m + 8 * n * n + 3 * n, sizeof *buf);
	if (buf == NULL)
		return -1;
	f2 = buf;
	g2 = f2 + m * m;
	a = g2 + m * m;
	k = a + n * n;
	g = k + n * n;
	v = g + n * n;
	sm = v + n * n;
	t1 = sm + n * n;
	t2 = t1 + n * n;
	t3 = t2 + n * n;
	mu = t3 + n * n;
	hv = mu + n;
	if (p1 == 1) {
		f1[0] = 1;
		g1[0] = p->alpha;
	} else {
		f1[0] = 1, f1[1] = phi, f1[3] = phi;
		g1[0] = p->alpha, g1[1] = p->alpha * phi;
		g1[2] = p->beta, g1[3] = p->beta * phi;
	}
	f2[m - 1] = 1;
	for (i = 1; i < m; i++)
		f2[i * m + i - 1] = 1;
	g2[m - 1] = p->gamma;
	kron(f2, m, f1, p1, a);
	kron(g2, m, g1, p1, g);
	kron(f2, m, g1, p1, k);
	kron(g2, m, f1, p1, t1);
	for (i = 0; i < n * n; i++)
		k[i] += t1[i];
	/* w = z (x) x; H = H2 (x) H1 picks z_m times (x_l + phi x_b) */
	for (j = 0; j < m; j++)
		for (i = 0; i < p1; i++)
			mu[j * p1 + i] = fit->state[p1 + j] * fit->state[i];
	for (i = 0; i < n; i++)
		hv[i] = 0;
	hv[(m - 1) * p1] = 1;
	if (p1 == 2)
		hv[(m - 1) * p1 + 1] = phi;
	for (size_t st = 0; st < h; st++) {
		double hm = 0, hvh = 0, *nmu = t3;

		for (i = 0; i < n; i++) {
			hm += hv[i] * mu[i];
			for (j = 0; j < n; j++)
				hvh += hv[i] * v[i * n + j] * hv[j];
		}
		sd[st] = sqrt((1 + s2) * hvh + s2 * hm * hm);
		if (st + 1 == h)
			break;
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				sm[i * n + j] = v[i * n + j] + mu[i] * mu[j];
		/* V' = A S A' + s2 K S K' + 3 s2^2 G S G'
		 *	+ s2 (A S G' + G S A') - mu' mu'' */
		mul(a, sm, t1, n);
		mul_t(t1, a, v, n);
		mul_t(t1, g, t2, n);
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				v[i * n + j] += s2 * (t2[i * n + j] +
						      t2[j * n + i]);
		mul(k, sm, t1, n);
		mul_t(t1, k, t2, n);
		for (i = 0; i < n * n; i++)
			v[i] += s2 * t2[i];
		mul(g, sm, t1, n);
		mul_t(t1, g, t2, n);
		for (i = 0; i < n * n; i++)
			v[i] += 3 * s2 * s2 * t2[i];
		for (i = 0; i < n; i++) {
			nmu[i] = 0;
			for (j = 0; j < n; j++)
				nmu[i] += (a[i * n + j] + s2 * g[i * n + j]) *
					  mu[j];
		}
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				v[i * n + j] -= nmu[i] * nmu[j];
		memcpy(mu, nmu, n * sizeof *mu);
	}
	rc = 0;
	free(buf);
	return rc;
}

int
fc_ets_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		fc_err *err)
{
	fc_ets_spec s;
	struct par p;
	double *x, *c, *th, yhat, s2 = fit->sigma2;
	size_t j, i;
	int bad = 0;

	if (fc_ets_spec_of(fit, &s) != 0)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "ets: bad form '%s'", fit->form);
	fit_par(fit, &p);
	x = malloc(fit->nstate * sizeof *x);
	c = malloc(h * sizeof *c);
	th = malloc(h * sizeof *th);
	if (x == NULL || c == NULL || th == NULL) {
		free(x), free(c), free(th);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	memcpy(x, fit->state, fit->nstate * sizeof *x);
	for (j = 0; j < h; j++) {
		bad |= step(&s, &p, x, s.season == 'N' ? 0 : (size_t)s.m, NAN,
			    &yhat) != 0;
		mean[j] = yhat;
		sd[j] = NAN;
	}
	weights(&s, &p, h, c);
	if (s.error == 'A' && s.season != 'M') {
		double v = s2;

		for (j = 0; j < h; j++) {
			sd[j] = sqrt(v);
			if (j + 1 < h)
				v += s2 * c[j] * c[j];
		}
	} else if (s.error == 'M' && s.season != 'M') {
		for (j = 0; j < h; j++) {
			th[j] = mean[j] * mean[j];
			for (i = 1; i <= j; i++)
				th[j] += s2 * c[i - 1] * c[i - 1] * th[j - i];
			sd[j] = sqrt((1 + s2) * th[j] - mean[j] * mean[j]);
		}
	} else if (s.error == 'M' && class3(fit, &s, &p, h, sd) != 0) {
		bad = 1;
	}
	free(x), free(c), free(th);
	if (bad)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "ets: forecast left the model's range");
	return 0;
}
