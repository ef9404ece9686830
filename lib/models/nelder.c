/* nelder - the Nelder-Mead simplex of Nash (1990), as R's optim uses it */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/nelder.h"

#define BIG 1.0e+35 /* what a non-finite value counts as */
#define REFLECT 1.0
#define CONTRACT 0.5
#define EXPAND 2.0

/*
 * The simplex is kept as n + 1 vertices v[j * n ...] with values fv[j].
 * One step size, a tenth of the largest |x_i|, builds it; the search stops
 * when the spread of the values falls within reltol of the first value,
 * after maxit evaluations, or when a shrink no longer shrinks.
 */
struct nm {
	size_t n;
	double *v, *fv, *c, *t;
	double (*f)(const double *x, void *arg);
	void *arg;
	size_t evals;
};

static double
eval(struct nm *s, const double *x)
{
	double f = s->f(x, s->arg);

	s->evals++;
	return isfinite(f) ? f : BIG;
}

static void
build(struct nm *s, const double *x0, double f0)
{
	size_t n = s->n, i, j;
	double step = 0, tr;

	for (i = 0; i < n; i++)
		step = fmax(step, 0.1 * fabs(x0[i]));
	if (step == 0)
		step = 0.1;
	memcpy(s->v, x0, n * sizeof *x0);
	s->fv[0] = f0;
	for (j = 1; j <= n; j++) {
		double *p = s->v + j * n;

		memcpy(p, x0, n * sizeof *x0);
		for (tr = step; p[j - 1] == x0[j - 1]; tr *= 10)
			p[j - 1] = x0[j - 1] + tr;
		s->fv[j] = eval(s, p);
	}
}

/* Replace vertex h by x with value f. */
static void
put(struct nm *s, size_t h, const double *x, double f)
{
	memcpy(s->v + h * s->n, x, s->n * sizeof *x);
	s->fv[h] = f;
}

/* Shrink towards vertex l; 0, or -1 when the simplex did not get smaller. */
static int
shrink(struct nm *s, size_t l, double *oldsize)
{
	size_t n = s->n, i, j;
	double size = 0, *pl = s->v + l * n;

	for (j = 0; j <= n; j++) {
		double *p = s->v + j * n;

		if (j == l)
			continue;
		for (i = 0; i < n; i++) {
			p[i] = CONTRACT * (p[i] - pl[i]) + pl[i];
			size += fabs(p[i] - pl[i]);
		}
	}
	if (size >= *oldsize)
		return -1;
	*oldsize = size;
	for (j = 0; j <= n; j++)
		if (j != l)
			s->fv[j] = eval(s, s->v + j * n);
	return 0;
}

/* One iteration given the lowest l and highest h vertex. */
static int
iterate(struct nm *s, size_t l, size_t h, double *oldsize)
{
	size_t n = s->n, i, j;
	double *ph = s->v + h * n, *c = s->c, *t = s->t, fr, fe, fc, vh;

	for (i = 0; i < n; i++) {
		c[i] = 0;
		for (j = 0; j <= n; j++)
			if (j != h)
				c[i] += s->v[j * n + i];
		c[i] /= (double)n;
	}
	for (i = 0; i < n; i++)
		t[i] = (1 + REFLECT) * c[i] - REFLECT * ph[i];
	fr = eval(s, t);
	if (fr < s->fv[l]) {
		double *r = malloc((n ? n : 1) * sizeof *r);

		if (r == NULL)
			return -1;
		memcpy(r, t, n * sizeof *t);
		for (i = 0; i < n; i++)
			t[i] = EXPAND * r[i] + (1 - EXPAND) * c[i];
		fe = eval(s, t);
		if (fe < fr)
			put(s, h, t, fe);
		else
			put(s, h, r, fr);
		free(r);
		return 0;
	}
	vh = s->fv[h];
	if (fr < vh)
		put(s, h, t, fr);
	for (i = 0; i < n; i++)
		t[i] = (1 - CONTRACT) * ph[i] + CONTRACT * c[i];
	fc = eval(s, t);
	if (fc < s->fv[h])
		put(s, h, t, fc);
	else if (fr >= vh)
		return shrink(s, l, oldsize);
	return 0;
}

int
fc_nelder_mead(double (*f)(const double *x, void *arg), void *arg,
	       double *x, size_t n, size_t maxit, double reltol, double *fmin)
{
	struct nm s = {n, NULL, NULL, NULL, NULL, f, arg, 0};
	double f0, tol, oldsize = 0;
	size_t j, l = 0, h;
	int rc = 0;

	f0 = f(x, arg);
	s.evals = 1;
	if (!isfinite(f0))
		return -1;
	s.v = malloc((n + 1) * n * sizeof *s.v);
	s.fv = malloc((n + 1) * sizeof *s.fv);
	s.c = malloc(n * sizeof *s.c);
	s.t = malloc(n * sizeof *s.t);
	if (s.v == NULL || s.fv == NULL || s.c == NULL || s.t == NULL) {
		rc = -2;
		goto out;
	}
	tol = reltol * (fabs(f0) + reltol);
	build(&s, x, f0);
	for (j = 1; j <= n; j++)
		for (size_t i = 0; i < n; i++)
			oldsize += fabs(s.v[j * n + i] - x[i]);
	while (s.evals <= maxit) {
		for (h = l, j = 0; j <= n; j++) {
			if (s.fv[j] < s.fv[l])
				l = j;
			if (s.fv[j] > s.fv[h])
				h = j;
		}
		if (s.fv[h] <= s.fv[l] + tol)
			break;
		if ((rc = iterate(&s, l, h, &oldsize)) != 0)
			break;
	}
	if (rc != -2) {
		for (j = 0; j <= n; j++)
			if (s.fv[j] < s.fv[l])
				l = j;
		memcpy(x, s.v + l * n, n * sizeof *x);
		*fmin = s.fv[l];
		rc = 0;
	}
out:
	free(s.v);
	free(s.fv);
	free(s.c);
	free(s.t);
	return rc;
}
