/* nelder - Nelder-Mead minimisation without derivatives */
#ifndef FC_NELDER_H
#define FC_NELDER_H

#include <stddef.h>

/*
 * Minimise f over x[0..n-1] from x with the Nelder-Mead simplex in the
 * variant of Nash (1990, algorithm 19) that R's optim uses: reflection 1,
 * contraction 0.5, expansion 2, a start simplex of one step (a tenth of
 * the largest |x_i|) along each axis, a stop when the values of the
 * simplex agree within reltol * (|f(x0)| + reltol) or after maxit
 * evaluations. Non-finite values count as 1e35. x receives the best point
 * and *fmin its value. 0, -1 when f(x0) is not finite, -2 out of memory.
 */
int fc_nelder_mead(double (*f)(const double *x, void *arg), void *arg,
		   double *x, size_t n, size_t maxit, double reltol,
		   double *fmin);

#endif
