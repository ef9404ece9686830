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
 * The simplex is kept as n + 1 vertices v[j * n ...] with values fv[j],
 * and c, the centroid of all but the highest. The arithmetic follows
 * Nash's algorithm 19 step for step (the centroid summed from minus the
 * highest vertex, the shrink measured against the size of the start), so
 * that the same function walks the same path as in R's optim.
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

/* The start simplex: one step along each axis; the size of the start. */
static double
build(struct nm *s, const double *x0, double f0)
{
	size_t n = s->n, i, j;
	double step = 0, tr = 0, size = 0;

	for (i = 0; i < n; i++)
		if (0.1 * fabs(x0[i]) > step)
			step = 0.1 * fabs(x0[i]);
	if (step == 0)
		step = 0.1;
	memcpy(s->v, x0, n * sizeof *x0);
	s->fv[0] = f0;
	for (j = 1; j <= n; j++) {
		double *p = s->v + j * n;

		memcpy(p, x0, n * sizeof *x0);
		for (tr = step; p[j - 1] == x0[j - 1]; tr *= 10)
			p[j - 1] = x0[j - 1] + tr;
		size += tr;
	}
	for (j = 1; j <= n; j++)
		s->fv[j] = eval(s, s->v + j * n);
	return size;
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

/* One iteration given the lowest l and highest h vertex; 0, or -1 when a
 * shrink failed. */
static int
iterate(struct nm *s, size_t l, size_t h, double *oldsize)
{
	size_t n = s->n, i, j;
	double *ph = s->v + h * n, *c = s->c, *t = s->t, fr, fe, fc, vh;

	for (i = 0; i < n; i++) {
		double sum = -ph[i];

		for (j = 0; j <= n; j++)
			sum += s->v[j * n + i];
		c[i] = sum / (double)n;
	}
	for (i = 0; i < n; i++)
		t[i] = (1 + REFLECT) * c[i] - REFLECT * ph[i];
	fr = eval(s, t);
	if (fr < s->fv[l]) {
		/* c keeps the reflected point, t gets the expanded one */
		for (i = 0; i < n; i++) {
			double x = EXPAND * t[i] + (1 - EXPAND) * c[i];

			c[i] = t[i];
			t[i] = x;
		}
		fe = eval(s, t);
		if (fe < fr)
			put(s, h, t, fe);
		else
			put(s, h, c, fr);
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
	double f0, tol, oldsize;
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
	oldsize = build(&s, x, f0);
	while (s.evals <= maxit) {
		double vl = s.fv[l], vh = vl;

		for (h = l, j = 0; j <= n; j++) {
			if (j == l)
				continue;
			if (s.fv[j] < vl) {
				l = j;
				vl = s.fv[j];
			}
			if (s.fv[j] > vh) {
				h = j;
				vh = s.fv[j];
			}
		}
		if (vh <= vl + tol)
			break;
		if (iterate(&s, l, h, &oldsize) != 0)
			break;
	}
	memcpy(x, s.v + l * n, n * sizeof *x); /* the lowest of the last scan */
	*fmin = s.fv[l];
out:
	free(s.v);
	free(s.fv);
	free(s.c);
	free(s.t);
	return rc;
}
