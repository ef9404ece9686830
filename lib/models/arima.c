/* arima - ARIMA estimation by exact Kalman-filter likelihood, forecasts */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_poly.h>

#include "models/arima.h"
#include "models/impl.h"

/*
 * The model is that of stats::arima (Gardner et al. 1980; Durbin and
 * Koopman 2001, ch. 3): the ARMA part of the differenced series in
 * Harvey's state-space form, r = max(p', q' + 1) states with p' = p + mP
 * and q' = q + mQ the orders of the multiplied-out polynomials, followed
 * by nd = d + mD states holding the last undifferenced values. The
 * stationary states start at their unconditional covariance, found by
 * doubling (P = sum T^k V T^k'); the differencing states are diffuse with
 * variance kappa = 1e6. The likelihood is concentrated over sigma2 and
 * skips observations whose prediction variance is 1e4 or more (the diffuse
 * start), as R does.
 *
 * Estimation follows method "CSS-ML": a conditional sum of squares fit
 * gives the start of the exact likelihood fit, whose AR parameters are
 * optimised through the partial autocorrelations (tanh, Durbin-Levinson;
 * Jones 1980) so that they stay stationary. Both use BFGS with central
 * difference gradients of step 1e-3 on parameters scaled by `parscale`
 * (1 for ARMA coefficients, 10 standard errors for regression ones), as
 * R's optim does.
 *
 * A fit keeps state = {p, d, q, P, D, Q, constant kind, y[0..n-1]}, and
 * for a regression with ARIMA errors (the arimax model) the n rows of its
 * regressors after y: the forecast runs the filter over y - X beta again
 * with the fitted coefficients to get the final state and its covariance.
 * Regressors are handled around the filter: it only ever sees y - X beta,
 * beta among the optimised parameters (stats::arima's way); two or more
 * are orthogonalised by their SVD for the estimation, as R does (the
 * variance check of auto.arima is then made in the rotated coordinates).
 */

#define KAPPA 1e6
#define MAXIT 100
#define RELTOL 1.490116119384765625e-8 /* sqrt(DBL_EPSILON), optim's */
#define NSTATE0 7
#define STEADY 5 /* steps with the same gain before the filter is steady */

enum { K_NONE, K_MEAN, K_DRIFT };

/* A model being fitted. */
struct arima {
	const double *y;
	size_t n;
	int p, q, P, Q, m, d, D;
	int np, nq;       /* expanded orders p', q' */
	int r, nd, rd;    /* states */
	int narma, nreg, ncoef;
	const double *xreg; /* n x nreg, column major */
	double *x;        /* y - xreg beta */
	double *phi, *theta, *delta; /* r, r, nd */
	int *dnz;         /* indices of the non-zero delta */
	int ndnz;
	double *a, *anew, *P0, *Pk, *Pnew, *mm, *M, *w, *w2, *resid;
	double *coef;     /* work: the full parameter vector */
	double *gam, *psi, *lu; /* work of stationary_cov */
	double *M0;       /* the previous gain */
	double *Pr, *ar, *th, *wd; /* the filter of the ARMA states */
	int *thi;         /* the indices of the non-zero th */
	int *lnz;         /* css: the lags of the non-zero phi, then theta */
	int finite;       /* y and xreg hold no NaN or infinity */
	int *perm;
	size_t ncond;
	int trans;
	int failed;       /* a gradient was not finite */
};

/* What one estimation gives. */
struct estimate {
	double *coef;      /* ncoef, untransformed */
	double value;      /* objective at the optimum */
	double loglik;     /* ML: -0.5 (2 n.used value + n.used (1 + log 2pi)) */
	double sigma2;     /* stats::arima's */
	double *resid;     /* n */
	int converged;
	double tpar[64];   /* the optimum in the optimiser's coordinates */
	double scale[64];
	int css;           /* tpar is a CSS optimum */
};

/* ---- parameter transforms (R's partrans / invpartrans) ---- */

static void
partrans(int p, const double *raw, double *out)
{
	double work[64] = {0}, a;
	int j, k;

	for (j = 0; j < p; j++)
		work[j] = out[j] = tanh(raw[j]);
	for (j = 1; j < p; j++) {
		a = out[j];
		for (k = 0; k < j; k++)
			work[k] -= a * out[j - k - 1];
		for (k = 0; k < j; k++)
			out[k] = work[k];
	}
}

static void
invpartrans(int p, const double *phi, double *out)
{
	double work[64] = {0}, a;
	int j, k;

	for (j = 0; j < p; j++)
		work[j] = out[j] = phi[j];
	for (j = p - 1; j > 0; j--) {
		a = out[j];
		for (k = 0; k < j; k++)
			work[k] = (out[k] + a * out[j - k - 1]) / (1 - a * a);
		for (k = 0; k < j; k++)
			out[k] = work[k];
	}
	for (j = 0; j < p; j++)
		out[j] = atanh(out[j]);
}

/* The coefficients with their AR parts transformed to the constrained
 * space when trans (in place on a copy `out`). */
static void
undo_pars(const struct arima *a, const double *in, double *out, int trans)
{
	memcpy(out, in, (size_t)a->ncoef * sizeof *out);
	if (!trans)
		return;
	if (a->p > 0)
		partrans(a->p, in, out);
	if (a->P > 0)
		partrans(a->P, in + a->p + a->q, out + a->p + a->q);
}

/* phi[0..r-1] and theta[0..r-2] (zero padded) of the multiplied-out
 * polynomials from the coefficients c (already untransformed). */
static void
expand(struct arima *a, const double *c)
{
	int i, j, m = a->m;
	const double *ar = c, *ma = c + a->p, *sar = ma + a->q,
		     *sma = sar + a->P;

	memset(a->phi, 0, (size_t)a->r * sizeof *a->phi);
	memset(a->theta, 0, (size_t)a->r * sizeof *a->theta);
	for (i = 0; i < a->p; i++)
		a->phi[i] = ar[i];
	for (i = 0; i < a->q; i++)
		a->theta[i] = ma[i];
	for (j = 0; j < a->P; j++) {
		a->phi[(j + 1) * m - 1] += sar[j];
		for (i = 0; i < a->p; i++)
			a->phi[(j + 1) * m + i] -= ar[i] * sar[j];
	}
	for (j = 0; j < a->Q; j++) {
		a->theta[(j + 1) * m - 1] += sma[j];
		for (i = 0; i < a->q; i++)
			a->theta[(j + 1) * m + i] += ma[i] * sma[j];
	}
}

/* Smallest modulus of the roots of 1 + s c[0] z + ... (s = -1 for an AR
 * polynomial, 1 for an MA one) over its k coefficients, ignoring
 * trailing ones below tol; 2 when there is none, NaN when the root finder
 * fails. */
static double
min_root(const double *c, int k, double s, double tol)
{
	double poly[128] = {0}, z[256] = {0}, mn = 2;
	gsl_poly_complex_workspace *w;
	int i, last = 0;

	for (i = 0; i < k; i++)
		if (fabs(c[i]) > tol)
			last = i + 1;
	if (last == 0)
		return 2;
	poly[0] = 1;
	for (i = 0; i < last; i++)
		poly[i + 1] = s * c[i];
	if ((w = gsl_poly_complex_workspace_alloc((size_t)last + 1)) == NULL)
		return NAN;
	if (gsl_poly_complex_solve(poly, (size_t)last + 1, w, z) !=
	    GSL_SUCCESS) {
		gsl_poly_complex_workspace_free(w);
		return NAN;
	}
	gsl_poly_complex_workspace_free(w);
	for (i = 0; i < last; i++)
		mn = fmin(mn, hypot(z[2 * i], z[2 * i + 1]));
	return mn;
}

/* R's arCheck: all roots of 1 - ar(z) outside the unit circle. */
static int
ar_check(const double *ar, int p)
{
	double r = min_root(ar, p, -1, 0);

	return !isnan(r) && r > 1;
}

/* R's maInvert: reflect the roots of 1 + ma(z) inside the unit circle. */
static void
ma_invert(double *ma, int q)
{
	double poly[64] = {0}, z[128] = {0}, xr[64] = {0}, xi[64] = {0};
	double nr[64] = {0}, ni[64] = {0};
	gsl_poly_complex_workspace *w;
	int i, k, q0 = 0, any = 0;

	for (i = 0; i < q; i++)
		if (ma[i] != 0)
			q0 = i + 1;
	if (q0 == 0)
		return;
	poly[0] = 1;
	for (i = 0; i < q0; i++)
		poly[i + 1] = ma[i];
	if ((w = gsl_poly_complex_workspace_alloc((size_t)q0 + 1)) == NULL)
		return;
	if (gsl_poly_complex_solve(poly, (size_t)q0 + 1, w, z) !=
	    GSL_SUCCESS) {
		gsl_poly_complex_workspace_free(w);
		return;
	}
	gsl_poly_complex_workspace_free(w);
	for (i = 0; i < q0; i++)
		if (hypot(z[2 * i], z[2 * i + 1]) < 1)
			any = 1;
	if (!any)
		return;
	if (q0 == 1) {
		ma[0] = 1 / ma[0];
		return;
	}
	for (i = 0; i < q0; i++) {
		double re = z[2 * i], im = z[2 * i + 1], m2 = re * re + im * im;

		if (sqrt(m2) < 1) { /* 1 / root */
			z[2 * i] = re / m2;
			z[2 * i + 1] = -im / m2;
		}
	}
	/* x <- 1; for r in roots: x <- c(x, 0) - c(0, x) / r */
	xr[0] = 1;
	xi[0] = 0;
	for (k = 0; k < q0; k++) {
		double re = z[2 * k], im = z[2 * k + 1], m2 = re * re + im * im;
		double ir = re / m2, ii = -im / m2; /* 1 / r */

		for (i = 0; i <= k + 1; i++) {
			double ar = i <= k ? xr[i] : 0, ai = i <= k ? xi[i] : 0;
			double br = i > 0 ? xr[i - 1] : 0,
			       bi = i > 0 ? xi[i - 1] : 0;

			nr[i] = ar - (br * ir - bi * ii);
			ni[i] = ai - (br * ii + bi * ir);
		}
		memcpy(xr, nr, (size_t)(k + 2) * sizeof *xr);
		memcpy(xi, ni, (size_t)(k + 2) * sizeof *xi);
	}
	for (i = 0; i < q0; i++)
		ma[i] = xr[i + 1];
}

/* ---- the state-space model ---- */

/*
 * The unconditional covariance of the r stationary states into a->P0
 * (r x r, row major). With gamma the autocovariances of the ARMA process
 * (unit innovation variance) and psi its MA(infinity) weights, the first
 * row is P[0][k] = sum_{l >= k} phi_{l+1} gamma(l - k + 1) + theta_l
 * psi_{l - k} (theta_0 = 1), and since state i at t is phi_{i+1} y_{t-1} +
 * theta_i e_t + state i + 1 at t - 1,
 *
 *	P[i][j] = P[i+1][j+1] + phi_{i+1} phi_{j+1} gamma(0) + theta_i theta_j
 *		  + phi_{i+1} P[0][j+1] + phi_{j+1} P[0][i+1]
 *
 * (P[r][.] = 0) fills the rest from the bottom right. The same matrix as
 * Gardner et al.'s algorithm, in O(r^2 + p^3). -1 when the AR part is not
 * stationary.
 */
static int
stationary_cov(struct arima *a)
{
	int r = a->r, p = a->np, i, j, k;
	double *S = a->P0, *g = a->gam, *psi = a->psi, *A = a->lu;
	const double *phi = a->phi;
	int *perm = a->perm;

#define TH(i) ((i) == 0 ? 1.0 : ((i) <= r - 1 ? a->theta[(i) - 1] : 0.0))
#define PHI(i) ((i) >= 1 && (i) <= r ? phi[(i) - 1] : 0.0)
	psi[0] = 1;
	for (j = 1; j <= r; j++) {
		double v = TH(j);

		for (i = 1; i <= j && i <= p; i++)
			v += PHI(i) * psi[j - i];
		psi[j] = v;
	}
	/* gamma(k) - sum_j phi_j gamma(|k - j|) = sum_{j >= k} theta_j
	 * psi_{j - k}, k = 0..p, solved by Gaussian elimination */
	for (k = 0; k <= p; k++) {
		double rhs = 0;

		for (i = 0; i <= p; i++)
			A[k * (p + 2) + i] = 0;
		A[k * (p + 2) + k] += 1;
		for (j = 1; j <= p; j++)
			A[k * (p + 2) + abs(k - j)] -= PHI(j);
		for (j = k; j <= r - 1; j++)
			rhs += TH(j) * psi[j - k];
		A[k * (p + 2) + p + 1] = rhs;
	}
	for (k = 0; k <= p; k++) { /* partial pivoting */
		int piv = k;
		double best = fabs(A[k * (p + 2) + k]);

		for (i = k + 1; i <= p; i++)
			if (fabs(A[i * (p + 2) + k]) > best)
				best = fabs(A[i * (p + 2) + k]), piv = i;
		if (!(best > 1e-300))
			return -1;
		if (piv != k)
			for (j = 0; j <= p + 1; j++) {
				double t = A[k * (p + 2) + j];

				A[k * (p + 2) + j] = A[piv * (p + 2) + j];
				A[piv * (p + 2) + j] = t;
			}
		for (i = k + 1; i <= p; i++) {
			double f = A[i * (p + 2) + k] / A[k * (p + 2) + k];

			if (f == 0)
				continue;
			for (j = k; j <= p + 1; j++)
				A[i * (p + 2) + j] -= f * A[k * (p + 2) + j];
		}
	}
	for (k = p; k >= 0; k--) {
		double v = A[k * (p + 2) + p + 1];

		for (j = k + 1; j <= p; j++)
			v -= A[k * (p + 2) + j] * g[j];
		g[k] = v / A[k * (p + 2) + k];
	}
	for (k = p + 1; k <= r; k++) {
		double v = 0;

		for (j = 1; j <= p; j++)
			v += PHI(j) * g[k - j];
		for (j = k; j <= r - 1; j++)
			v += TH(j) * psi[j - k];
		g[k] = v;
	}
	if (!(g[0] > 0) || !isfinite(g[0]))
		return -1;
	(void)perm;
	/* first row */
	for (k = 0; k < r; k++) {
		double v = 0;

		if (k == 0) {
			S[0] = g[0];
			continue;
		}
		for (j = k; j <= r - 1; j++)
			v += PHI(j + 1) * g[j - k + 1] + TH(j) * psi[j - k];
		S[k] = v;
	}
	for (i = r - 1; i >= 1; i--)
		for (j = r - 1; j >= i; j--) {
			double v = PHI(i + 1) * PHI(j + 1) * g[0] + TH(i) * TH(j) +
				   PHI(i + 1) * (j + 1 < r ? S[j + 1] : 0) +
				   PHI(j + 1) * (i + 1 < r ? S[i + 1] : 0);

			if (i + 1 < r && j + 1 < r)
				v += S[(i + 1) * r + j + 1];
			S[i * r + j] = S[j * r + i] = v;
		}
	for (k = 1; k < r; k++)
		S[k * r] = S[k];
#undef TH
#undef PHI
	return 0;
}

/* anew = T a */
static void
predict_state(const struct arima *a, const double *s, double *out)
{
	int i, r = a->r, k;

	for (i = 0; i < r; i++)
		out[i] = (i < r - 1 ? s[i + 1] : 0) + a->phi[i] * s[0];
	if (a->nd > 0) {
		double t = s[0];

		for (k = 0; k < a->ndnz; k++)
			t += a->delta[a->dnz[k]] * s[r + a->dnz[k]];
		for (i = a->rd - 1; i > r; i--)
			out[i] = s[i - 1];
		out[r] = t;
	}
}

/* out = T P T' + V (rd x rd). Rows of T P below r are rows of P shifted
 * down, so only the first r + 1 are computed (into a->mm). */
static void
predict_cov(const struct arima *a, const double *P, double *out)
{
	int rd = a->rd, r = a->r, nd = a->nd, i, j, k;
	double *mm = a->mm;
	const double *phi = a->phi;

	for (i = 0; i < r; i++) {
		double *row = mm + i * rd, f = phi[i];
		const double *p0 = P, *p1 = P + (i + 1) * rd;

		if (i < r - 1)
			for (j = 0; j < rd; j++)
				row[j] = f * p0[j] + p1[j];
		else
			for (j = 0; j < rd; j++)
				row[j] = f * p0[j];
	}
	if (nd > 0) {
		double *row = mm + r * rd;

		memcpy(row, P, (size_t)rd * sizeof *row);
		for (k = 0; k < a->ndnz; k++) {
			double dv = a->delta[a->dnz[k]];
			const double *pr = P + (r + a->dnz[k]) * rd;

			for (j = 0; j < rd; j++)
				row[j] += dv * pr[j];
		}
	}
	for (i = 0; i < rd; i++) {
		const double *mi = i <= r ? mm + i * rd : P + (i - 1) * rd;
		double *o = out + i * rd, m0 = mi[0];

		for (j = 0; j < r - 1; j++)
			o[j] = phi[j] * m0 + mi[j + 1];
		o[r - 1] = phi[r - 1] * m0;
		if (nd > 0) {
			double t = m0;

			for (k = 0; k < a->ndnz; k++)
				t += a->delta[a->dnz[k]] * mi[r + a->dnz[k]];
			o[r] = t;
			memcpy(o + r + 1, mi + r, (size_t)(nd - 1) * sizeof *o);
		}
	}
	for (i = 0; i < r; i++) {
		double ri = i == 0 ? 1 : a->theta[i - 1];
		double *o = out + i * rd;

		o[0] += ri;
		for (j = 1; j < r; j++)
			o[j] += ri * a->theta[j - 1];
	}
}

/* The initial state and covariance: a = 0, P = blockdiag(P0, kappa I). */
static void
init_state(struct arima *a)
{
	int rd = a->rd, r = a->r, i, j;

	memset(a->a, 0, (size_t)rd * sizeof *a->a);
	memset(a->Pnew, 0, (size_t)rd * rd * sizeof *a->Pnew);
	for (i = 0; i < r; i++)
		for (j = 0; j < r; j++)
			a->Pnew[i * rd + j] = a->P0[i * r + j];
	for (i = r; i < rd; i++)
		a->Pnew[i * rd + i] = KAPPA;
}

/*
 * One step's contribution to the sums of R's ARIMA_Like: observations
 * whose prediction variance is 1e4 or more (the diffuse start) are
 * skipped.
 */
static void
accumulate(double res, double gain, double *ssq, double *sumlog,
	   size_t *nu)
{
	if (gain < 1e4) {
		(*nu)++;
		*ssq += res * res / gain;
		*sumlog += log(gain);
	}
}

/*
 * The filter over the first l0 = nd observations in the full state, from
 * the initial state: the filtered state in a->a, its covariance in a->Pk.
 */
static void
kalman_diffuse(struct arima *a, const double *x, size_t l0, double *ssq,
	       double *sumlog, size_t *nu, double *resid)
{
	int rd = a->rd, r = a->r, i, j, k;
	size_t l;
	double *P = a->Pk, *Pn = a->Pnew, *M = a->M;

	for (l = 0; l < l0; l++) {
		double res, gain;

		predict_state(a, a->a, a->anew);
		if (l > 0)
			predict_cov(a, P, Pn);
		res = x[l] - a->anew[0];
		for (k = 0; k < a->ndnz; k++)
			res -= a->delta[a->dnz[k]] * a->anew[r + a->dnz[k]];
		for (i = 0; i < rd; i++) {
			double t = Pn[i * rd];

			for (k = 0; k < a->ndnz; k++)
				t += a->delta[a->dnz[k]] *
				     Pn[i * rd + r + a->dnz[k]];
			M[i] = t;
		}
		gain = M[0];
		for (k = 0; k < a->ndnz; k++)
			gain += a->delta[a->dnz[k]] * M[r + a->dnz[k]];
		accumulate(res, gain, ssq, sumlog, nu);
		if (resid != NULL)
			resid[l] = res / sqrt(gain);
		for (i = 0; i < rd; i++)
			a->a[i] = a->anew[i] + M[i] * res / gain;
		for (i = 0; i < rd; i++) {
			double f = M[i] / gain, *pi = P + i * rd;
			const double *qi = Pn + i * rd;

			for (j = 0; j < rd; j++)
				pi[j] = qi[j] - f * M[j];
		}
	}
}

/* The shift and rank-one part of the ARMA states' covariance update
 * (see kalman): Pn[i][j] = Pn[i+1][j+1] - M[i+1] M[j+1] / g on the upper
 * triangle, the last row and column zero. */
static void
update_arma(double *Pn, const double *restrict M, double g, int r)
{
	int i, j;

	for (i = 0; i < r - 1; i++) {
		double mi = M[i + 1] / g, *restrict ri = Pn + i * r;
		const double *restrict rn = Pn + (i + 1) * r + 1;
		const double *restrict mj = M + 1;

		for (j = i; j < r - 1; j++)
			ri[j] = rn[j] - mi * mj[j];
		ri[r - 1] = 0;
	}
	Pn[r * r - 1] = 0;
}

/*
 * Run the filter over x, leaving (when final) the filtered state in a->a
 * and its covariance in a->Pk. *ssq, *sumlog and *nu as R's ARIMA_Like;
 * resid (n, or NULL) the standardised innovations.
 *
 * After the first nd observations the differencing states hold observed
 * values, x[l-1] .. x[l-nd]: their variances and covariances are zero
 * (to rounding, which the full filter carries at the 1e-10 level), so the
 * filter reduces to that of the r ARMA states observed through the
 * differenced series w without noise. With state 0 known after each
 * update, T P T' loses its phi terms and the predicted covariance follows
 *
 *	Pn'[i][j] = Pn[i+1][j+1] - M[i+1] M[j+1] / g + th_i th_j
 *
 * (M the first row of Pn, g = M[0], th_0 = 1, th_i = theta_i, rows past
 * r - 1 zero): the upper triangle updated in place, r^2 / 2 a step
 * instead of the (r + nd)^2 products of the full state. Once the gain has
 * not changed for STEADY steps (to 1e-14 relative) the covariance is no
 * longer updated.
 */
static void
kalman(struct arima *a, const double *x, double *ssq, double *sumlog,
       size_t *nu, double *resid, int final)
{
	int rd = a->rd, r = a->r, nd = a->nd, i, j, k, same = 0;
	size_t l, l0 = (size_t)nd, n = a->n;
	double *Pn = a->Pr, *an = a->ar, *M = a->M, *M0 = a->M0, *w = a->wd;
	double *th = a->th, g0 = 0, gain = 1, res = 0, prod = 1;
	int *thi = a->thi, nth = 0;

	*ssq = *sumlog = 0;
	*nu = 0;
	init_state(a);
	kalman_diffuse(a, x, l0 < n ? l0 : n, ssq, sumlog, nu, resid);
	if (l0 >= n)
		return;
	predict_state(a, a->a, a->anew);
	if (nd > 0)
		predict_cov(a, a->Pk, a->Pnew);
	for (i = 0; i < r; i++) {
		an[i] = a->anew[i];
		memcpy(Pn + i * r, a->Pnew + i * rd, (size_t)r * sizeof *Pn);
		th[i] = i == 0 ? 1 : a->theta[i - 1];
		if (th[i] != 0)
			thi[nth++] = i;
	}
	for (l = l0; l < n; l++) {
		double t = x[l];

		for (k = 0; k < a->ndnz; k++)
			t -= a->delta[a->dnz[k]] * x[l - 1 - (size_t)a->dnz[k]];
		w[l] = t;
	}
	for (l = l0; l < n; l++) {
		double f, af0, dm = 0, mm = 0;
		int steady = same >= STEADY;

		if (!steady)
			memcpy(M, Pn, (size_t)r * sizeof *M);
		gain = M[0];
		res = w[l] - an[0];
		if (gain < 1e4) { /* the logs summed as a product */
			(*nu)++;
			*ssq += res * res / gain;
			prod *= gain;
			if (prod > 1e280 || prod < 1e-280) {
				*sumlog += log(prod);
				prod = 1;
			}
		}
		if (resid != NULL)
			resid[l] = res / sqrt(gain);
		if (l + 1 == n)
			break;
		f = res / gain;
		af0 = an[0] + M[0] * f;
		for (i = 0; i < r - 1; i++)
			an[i] = an[i + 1] + M[i + 1] * f + a->phi[i] * af0;
		an[r - 1] = a->phi[r - 1] * af0;
		if (steady)
			continue;
		update_arma(Pn, M, gain, r);
		for (i = 0; i < nth; i++) {
			double *ri = Pn + thi[i] * r, ti = th[thi[i]];

			for (j = i; j < nth; j++)
				ri[thi[j]] += ti * th[thi[j]];
		}
		/* the gain first: the whole row only when it has settled,
		 * and only once every state has been observed after the
		 * diffuse start (before that the gain of a seasonal model can
		 * stay put while the covariance of the states not yet
		 * observed still moves) */
		if (gain < 1e4 && l > l0 + (size_t)r &&
		    fabs(gain - g0) <= 1e-14 * gain) {
			for (i = 0; i < r; i++) {
				double d = fabs(M[i] - M0[i]), v = fabs(M[i]);

				dm = d > dm ? d : dm;
				mm = v > mm ? v : mm;
			}
			same = dm <= 1e-14 * mm ? same + 1 : 0;
		} else {
			same = 0;
		}
		memcpy(M0, M, (size_t)r * sizeof *M0);
		g0 = gain;
	}
	*sumlog += log(prod);
	if (!final)
		return;
	/* the filtered state of the last step in the full state space */
	memset(a->Pk, 0, (size_t)rd * rd * sizeof *a->Pk);
	for (i = 0; i < r; i++) {
		a->a[i] = an[i] + M[i] * res / gain;
		for (j = i; j < r; j++)
			a->Pk[i * rd + j] = a->Pk[j * rd + i] =
				Pn[i * r + j] - M[i] / gain * M[j];
	}
	for (k = 0; k < nd; k++)
		a->a[r + k] = x[n - 2 - (size_t)k];
}

/* x = y - xreg beta */
static void
regress_out(struct arima *a, const double *beta)
{
	size_t t;
	int k;

	for (t = 0; t < a->n; t++) {
		double v = a->y[t];

		for (k = 0; k < a->nreg; k++)
			v -= a->xreg[(size_t)k * a->n + t] * beta[k];
		a->x[t] = v;
	}
}

/*
 * The conditional sum of squares over n - ncond values (R's ARIMA_CSS);
 * resid (or NULL) receives the residuals, 0 for the first ncond.
 *
 * A seasonal model's expanded polynomials are mostly zeros (an
 * ARIMA(0,0,0)(0,0,2)[52] has 104 theta, 2 of them non-zero), so the sums
 * run over the non-zero coefficients alone, in the same order: a zero
 * term subtracts an exact zero from a finite value, and the result is the
 * same to the bit. A NaN in w would spread through a zero term (0 * NaN),
 * so a series or regressor with one keeps every term, as R does.
 */
static double
css(struct arima *a, double *resid)
{
	double *w = a->w, *e = resid ? resid : a->w2, ssq = 0;
	size_t n = a->n, l, nu = 0;
	int i, j, mq, nphi = 0, nth = 0, *lp = a->lnz, *lt;

	memcpy(w, a->x, n * sizeof *w);
	for (i = 0; i < a->d; i++)
		for (l = n - 1; l > 0; l--)
			w[l] -= w[l - 1];
	for (i = 0; i < a->D; i++)
		for (l = n - 1; l >= (size_t)a->m; l--)
			w[l] -= w[l - (size_t)a->m];
	for (j = 0; j < a->np; j++)
		if (a->phi[j] != 0 || !a->finite)
			lp[nphi++] = j;
	lt = lp + nphi;
	for (j = 0; j < a->nq; j++)
		if (a->theta[j] != 0 || !a->finite)
			lt[nth++] = j;
	for (l = 0; l < a->ncond && l < n; l++)
		e[l] = 0;
	for (l = a->ncond; l < n; l++) {
		double t = w[l];

		for (i = 0; i < nphi; i++)
			t -= a->phi[lp[i]] * w[l - (size_t)lp[i] - 1];
		mq = (int)(l - a->ncond) < a->nq ? (int)(l - a->ncond) : a->nq;
		for (i = 0; i < nth && lt[i] < mq; i++)
			t -= a->theta[lt[i]] * e[l - (size_t)lt[i] - 1];
		e[l] = t;
		if (!isnan(t)) {
			nu++;
			ssq += t * t;
		}
	}
	return ssq / (double)nu;
}

/* The CSS objective: 0.5 log(css) at parameters par (untransformed). */
static double
obj_css(const double *par, void *arg)
{
	struct arima *a = arg;

	expand(a, par);
	regress_out(a, par + a->narma);
	return 0.5 * log(css(a, NULL));
}

/* The ML objective: 0.5 (log(ssq / nu) + sumlog / nu). */
static double
obj_ml(const double *par, void *arg)
{
	struct arima *a = arg;
	double ssq, sumlog;
	size_t nu;

	undo_pars(a, par, a->coef, a->trans);
	expand(a, a->coef);
	if (stationary_cov(a) != 0)
		return 1.79769313486231570815e308; /* as R: double.xmax */
	regress_out(a, a->coef + a->narma);
	kalman(a, a->x, &ssq, &sumlog, &nu, NULL, 0);
	return 0.5 * (log(ssq / (double)nu) + sumlog / (double)nu);
}

/* ---- BFGS, as R's optim(method = "BFGS") ---- */

typedef double (*objective)(const double *, void *);

struct opt {
	objective f;
	void *arg;
	const double *scale;
	int n;
	double *tmp;
	int bad; /* a gradient was not finite */
};

static double
ofn(struct opt *o, const double *x)
{
	int i;

	for (i = 0; i < o->n; i++)
		o->tmp[i] = x[i] * o->scale[i];
	return o->f(o->tmp, o->arg);
}

static void
ogr(struct opt *o, const double *x, double *g)
{
	double xx[64] = {0}, v1, v2;
	int i;

	memcpy(xx, x, (size_t)o->n * sizeof *xx);
	for (i = 0; i < o->n; i++) {
		xx[i] = x[i] + 1e-3;
		v1 = ofn(o, xx);
		xx[i] = x[i] - 1e-3;
		v2 = ofn(o, xx);
		g[i] = (v1 - v2) / 2e-3;
		if (!isfinite(g[i]))
			o->bad = 1;
		xx[i] = x[i];
	}
}

/*
 * Minimise from b (scaled coordinates) with at most maxit gradients. 0
 * converged, 1 iteration limit, -1 a non-finite start or gradient.
 */
static int
bfgs(struct opt *o, double *b, double *fmin, int maxit)
{
	int n = o->n, i, j, count, funcount, gradcount, ilast, iter = 0;
	int accpoint, enough;
	double g[64] = {0}, t[64] = {0}, X[64] = {0}, c[64] = {0};
	double B[64 * 64] = {0}, f, gradproj, s,
	       steplength, D1, D2;

	if (maxit <= 0) {
		*fmin = ofn(o, b);
		return 0;
	}
	f = ofn(o, b);
	if (!isfinite(f))
		return -1;
	*fmin = f;
	funcount = gradcount = 1;
	ogr(o, b, g);
	if (o->bad)
		return -1;
	iter++;
	ilast = gradcount;
	do {
		if (ilast == gradcount)
			for (i = 0; i < n; i++)
				for (j = 0; j <= i; j++)
					B[i * n + j] = i == j ? 1 : 0;
		for (i = 0; i < n; i++) {
			X[i] = b[i];
			c[i] = g[i];
		}
		gradproj = 0;
		for (i = 0; i < n; i++) {
			s = 0;
			for (j = 0; j <= i; j++)
				s -= B[i * n + j] * g[j];
			for (j = i + 1; j < n; j++)
				s -= B[j * n + i] * g[j];
			t[i] = s;
			gradproj += s * g[i];
		}
		if (gradproj < 0) {
			steplength = 1;
			accpoint = 0;
			do {
				count = 0;
				for (i = 0; i < n; i++) {
					b[i] = X[i] + steplength * t[i];
					if (10.0 + X[i] == 10.0 + b[i])
						count++;
				}
				if (count < n) {
					f = ofn(o, b);
					funcount++;
					accpoint = isfinite(f) &&
						   f <= *fmin + gradproj *
							steplength * 1e-4;
					if (!accpoint)
						steplength *= 0.2;
				}
			} while (!(count == n || accpoint));
			enough = f > -INFINITY &&
				 fabs(f - *fmin) > RELTOL * (fabs(*fmin) +
							     RELTOL);
			if (!enough) {
				count = n;
				*fmin = f;
			}
			if (count < n) {
				*fmin = f;
				ogr(o, b, g);
				if (o->bad)
					return -1;
				gradcount++;
				iter++;
				D1 = 0;
				for (i = 0; i < n; i++) {
					t[i] *= steplength;
					c[i] = g[i] - c[i];
					D1 += t[i] * c[i];
				}
				if (D1 > 0) {
					D2 = 0;
					for (i = 0; i < n; i++) {
						s = 0;
						for (j = 0; j <= i; j++)
							s += B[i * n + j] * c[j];
						for (j = i + 1; j < n; j++)
							s += B[j * n + i] * c[j];
						X[i] = s;
						D2 += s * c[i];
					}
					D2 = 1 + D2 / D1;
					for (i = 0; i < n; i++)
						for (j = 0; j <= i; j++)
							B[i * n + j] +=
							    (D2 * t[i] * t[j] -
							     X[i] * t[j] -
							     t[i] * X[j]) / D1;
				} else {
					ilast = gradcount;
				}
			} else if (ilast < gradcount) {
				count = 0;
				ilast = gradcount;
			}
		} else {
			count = 0;
			if (ilast == gradcount)
				count = n;
			else
				ilast = gradcount;
		}
		if (iter >= maxit)
			break;
		if (gradcount - ilast > 2 * n)
			ilast = gradcount;
	} while (count != n || ilast != gradcount);
	(void)funcount;
	return iter < maxit ? 0 : 1;
}

/* Minimise f over par (original coordinates, updated) with scale. */
static int
minimise(objective f, void *arg, double *par, const double *scale, int n,
	 double *fmin, int maxit)
{
	double x[64] = {0}, tmp[64] = {0};
	struct opt o = {f, arg, scale, n, tmp, 0};
	int i, rc;

	if (n == 0) {
		*fmin = f(par, arg);
		return isfinite(*fmin) ? 0 : -1;
	}
	for (i = 0; i < n; i++)
		x[i] = par[i] / scale[i];
	rc = bfgs(&o, x, fmin, maxit);
	for (i = 0; i < n; i++)
		par[i] = x[i] * scale[i];
	return rc;
}

/*
 * The numerical Hessian of f at par as optim(hessian = TRUE) computes it:
 * central differences of the gradient with steps 1e-3 in the scaled
 * coordinates, symmetrised. H is n x n (row major).
 */
static void
hessian(objective f, void *arg, const double *par, const double *scale,
	int n, double *H)
{
	double x[64] = {0}, tmp[64] = {0}, g1[64] = {0}, g2[64] = {0};
	struct opt o = {f, arg, scale, n, tmp, 0};
	int i, j;

	for (i = 0; i < n; i++)
		x[i] = par[i] / scale[i];
	for (i = 0; i < n; i++) {
		double eps = 1e-3 / scale[i], xi = x[i];

		x[i] = xi + eps;
		ogr(&o, x, g1);
		x[i] = xi - eps;
		ogr(&o, x, g2);
		for (j = 0; j < n; j++)
			H[i * n + j] = (g1[j] - g2[j]) /
				       (2 * eps * scale[i] * scale[j]);
		x[i] = xi;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			double t = 0.5 * (H[i * n + j] + H[j * n + i]);

			H[i * n + j] = H[j * n + i] = t;
		}
}

/* Invert the n x n matrix H * s into Minv; -1 when it is singular to
 * working precision (reciprocal 1-norm condition below DBL_EPSILON, as
 * R's solve refuses). */
static int
invert(const double *H, double s, int n, double *Minv)
{
	gsl_matrix *A = gsl_matrix_alloc((size_t)n, (size_t)n);
	gsl_matrix *I = gsl_matrix_alloc((size_t)n, (size_t)n);
	gsl_permutation *p = gsl_permutation_alloc((size_t)n);
	double na = 0, ni = 0;
	int i, j, sg, rc = -1;

	if (A == NULL || I == NULL || p == NULL)
		goto out;
	for (j = 0; j < n; j++) {
		double c = 0;

		for (i = 0; i < n; i++) {
			gsl_matrix_set(A, (size_t)i, (size_t)j, H[i * n + j] * s);
			c += fabs(H[i * n + j] * s);
		}
		na = fmax(na, c);
	}
	if (!isfinite(na) || gsl_linalg_LU_decomp(A, p, &sg) != GSL_SUCCESS)
		goto out;
	for (i = 0; i < n; i++)
		if (gsl_matrix_get(A, (size_t)i, (size_t)i) == 0)
			goto out;
	if (gsl_linalg_LU_invert(A, p, I) != GSL_SUCCESS)
		goto out;
	for (j = 0; j < n; j++) {
		double c = 0;

		for (i = 0; i < n; i++) {
			Minv[i * n + j] = gsl_matrix_get(I, (size_t)i, (size_t)j);
			c += fabs(Minv[i * n + j]);
		}
		ni = fmax(ni, c);
	}
	if (isfinite(ni) && 1 / (na * ni) >= 2.220446049250313e-16)
		rc = 0;
out:
	gsl_matrix_free(A);
	gsl_matrix_free(I);
	gsl_permutation_free(p);
	return rc;
}

/* The Jacobian of the transformation at x (R's ARIMA_Gradtrans):
 * J[i][j] = d new_j / d raw_i by forward differences of 1e-3. */
static void
gradtrans(const struct arima *a, const double *x, double *J)
{
	int n = a->ncoef, i, j, b, blk;
	double w1[64] = {0}, w2[64] = {0}, w3[64] = {0};

	for (i = 0; i < n * n; i++)
		J[i] = 0;
	for (i = 0; i < n; i++)
		J[i * n + i] = 1;
	for (blk = 0; blk < 2; blk++) {
		int p = blk == 0 ? a->p : a->P;
		int v = blk == 0 ? 0 : a->p + a->q;

		if (p == 0)
			continue;
		for (b = 0; b < p; b++)
			w1[b] = x[v + b];
		partrans(p, w1, w2);
		for (i = 0; i < p; i++) {
			w1[i] += 1e-3;
			partrans(p, w1, w3);
			for (j = 0; j < p; j++)
				J[(v + i) * n + v + j] = (w3[j] - w2[j]) / 1e-3;
			w1[i] -= 1e-3;
		}
	}
}

/* forecast's checkarima: 1 when a diagonal element of the coefficients'
 * variance matrix (A' (H nused)^-1 A, A the Jacobian of the transform) is
 * negative or NaN, or H cannot be inverted. */
static int
var_bad(const struct arima *a, const double *H, const double *x, int trans,
	size_t nused)
{
	int n = a->ncoef, i, j, l, bad = 0;
	double *M = malloc((size_t)(3 * n * n + 1) * sizeof *M), *J;

	if (M == NULL)
		return 1;
	J = M + n * n;
	if (invert(H, (double)nused, n, M) != 0) {
		free(M);
		return 1;
	}
	if (trans)
		gradtrans(a, x, J);
	for (i = 0; i < n && !bad; i++) {
		double v = 0;

		if (!trans) {
			v = M[i * n + i];
		} else {
			for (j = 0; j < n; j++)
				for (l = 0; l < n; l++)
					v += J[j * n + i] * M[j * n + l] *
					     J[l * n + i];
		}
		if (!(v >= 0))
			bad = 1;
	}
	free(M);
	return bad;
}

/* ---- setting up ---- */

static void
arima_free(struct arima *a)
{
	free(a->x);
	free(a->phi);
	free(a->theta);
	free(a->delta);
	free(a->dnz);
	free(a->a);
	free(a->anew);
	free(a->P0);
	free(a->Pk);
	free(a->Pnew);
	free(a->mm);
	free(a->M);
	free(a->w);
	free(a->w2);
	free(a->coef);
	free(a->gam);
	free(a->M0);
	free(a->Pr);
	free(a->ar);
	free(a->th);
	free(a->wd);
	free(a->thi);
	free(a->lnz);
	free(a->psi);
	free(a->lu);
	free(a->perm);
}

static int
arima_init(struct arima *a, const double *y, size_t n,
	   const fc_arima_spec *s, const double *xreg, int nreg)
{
	double poly[512] = {0}, np[512] = {0};
	int i, k, deg = 0;
	size_t rd2, l;

	memset(a, 0, sizeof *a);
	a->y = y;
	a->n = n;
	a->p = s->p;
	a->q = s->q;
	a->P = s->P;
	a->Q = s->Q;
	a->m = s->m < 1 ? 1 : s->m;
	a->d = s->d;
	a->D = s->D;
	a->np = a->p + a->m * a->P;
	a->nq = a->q + a->m * a->Q;
	a->r = a->np > a->nq + 1 ? a->np : a->nq + 1;
	a->nd = a->d + a->m * a->D;
	a->rd = a->r + a->nd;
	a->narma = a->p + a->q + a->P + a->Q;
	a->nreg = nreg;
	a->xreg = xreg;
	a->finite = 1;
	for (l = 0; l < n && a->finite; l++)
		a->finite = isfinite(y[l]);
	for (l = 0; l < n * (size_t)(nreg > 0 ? nreg : 0) && a->finite; l++)
		a->finite = isfinite(xreg[l]);
	a->ncoef = a->narma + nreg;
	if (a->ncoef > 60 || a->nd > 500)
		return -1;
	rd2 = (size_t)a->rd * (size_t)a->rd;
	a->x = malloc(n * sizeof *a->x);
	a->phi = calloc((size_t)a->r + 1, sizeof *a->phi);
	a->theta = calloc((size_t)a->r + 1, sizeof *a->theta);
	a->delta = calloc((size_t)a->nd + 1, sizeof *a->delta);
	a->dnz = calloc((size_t)a->nd + 1, sizeof *a->dnz);
	a->a = calloc((size_t)a->rd, sizeof *a->a);
	a->anew = calloc((size_t)a->rd, sizeof *a->anew);
	a->P0 = calloc(rd2, sizeof *a->P0);
	a->Pk = calloc(rd2, sizeof *a->Pk);
	a->Pnew = calloc(rd2, sizeof *a->Pnew);
	a->mm = calloc(rd2, sizeof *a->mm);
	a->M = calloc((size_t)a->rd, sizeof *a->M);
	a->w = malloc(n * sizeof *a->w);
	a->w2 = malloc(n * sizeof *a->w2);
	a->coef = calloc((size_t)a->ncoef + 1, sizeof *a->coef);
	a->gam = calloc((size_t)a->r + 2, sizeof *a->gam);
	a->M0 = calloc((size_t)a->rd, sizeof *a->M0);
	a->Pr = calloc((size_t)a->r * (size_t)a->r, sizeof *a->Pr);
	a->ar = calloc((size_t)a->r, sizeof *a->ar);
	a->th = calloc((size_t)a->r, sizeof *a->th);
	a->wd = calloc(n ? n : 1, sizeof *a->wd);
	a->thi = calloc((size_t)a->r, sizeof *a->thi);
	a->lnz = calloc((size_t)a->np + (size_t)a->nq + 1, sizeof *a->lnz);
	a->psi = calloc((size_t)a->r + 2, sizeof *a->psi);
	a->lu = calloc(((size_t)a->np + 2) * ((size_t)a->np + 2), sizeof *a->lu);
	a->perm = calloc((size_t)a->np + 2, sizeof *a->perm);
	if (!a->x || !a->phi || !a->theta || !a->delta || !a->dnz || !a->a ||
	    !a->anew || !a->P0 || !a->Pk || !a->Pnew || !a->mm || !a->M ||
	    !a->w || !a->w2 || !a->coef || !a->gam || !a->M0 || !a->Pr || !a->ar || !a->th || !a->wd || !a->thi || !a->lnz || !a->psi || !a->lu ||
	    !a->perm)
		return -1;
	/* (1 - B)^d (1 - B^m)^D = 1 - sum delta_i B^i */
	poly[0] = 1;
	for (i = 0; i < a->d + a->D; i++) {
		int lag = i < a->d ? 1 : a->m;

		for (k = 0; k <= deg + lag; k++)
			np[k] = (k <= deg ? poly[k] : 0) -
				(k >= lag ? poly[k - lag] : 0);
		deg += lag;
		memcpy(poly, np, (size_t)(deg + 1) * sizeof *poly);
	}
	for (i = 0; i < a->nd; i++) {
		a->delta[i] = -poly[i + 1];
		if (a->delta[i] != 0)
			a->dnz[a->ndnz++] = i;
	}
	memcpy(a->x, y, n * sizeof *a->x);
	return 0;
}

/* Difference v (n values) as the model does, into out; its length. */
static size_t
difference(const struct arima *a, const double *v, double *out)
{
	size_t n = a->n, len = n, t;
	int i;

	memcpy(out, v, n * sizeof *out);
	for (i = 0; i < a->d; i++, len--)
		for (t = 0; t + 1 < len; t++)
			out[t] = out[t + 1] - out[t];
	for (i = 0; i < a->D; i++) {
		if (len <= (size_t)a->m)
			return 0;
		for (t = 0; t + (size_t)a->m < len; t++)
			out[t] = out[t + (size_t)a->m] - out[t];
		len -= (size_t)a->m;
	}
	return len;
}

/*
 * The regression start: least squares of the differenced y on the
 * differenced xreg (of y on xreg when too few differences remain),
 * coefficients into beta and 10 standard errors into scale (1 where the
 * error is 0). -1 when out of memory.
 */
static int
regression_start(const struct arima *a, double *beta, double *scale)
{
	size_t n = a->n, len, t, nr = (size_t)a->nreg;
	int k, rc = -1;
	double *dy = malloc(n * sizeof *dy), *dx = malloc(n * sizeof *dx);
	gsl_matrix *X = NULL, *cov = NULL;
	gsl_vector *yv = NULL, *c = NULL;
	gsl_multifit_linear_workspace *w = NULL;
	double chisq;

	if (dy == NULL || dx == NULL)
		goto out;
	len = difference(a, a->y, dy);
	if (len <= nr) {
		len = n;
		memcpy(dy, a->y, n * sizeof *dy);
	}
	X = gsl_matrix_alloc(len, nr);
	yv = gsl_vector_alloc(len);
	c = gsl_vector_alloc(nr);
	cov = gsl_matrix_alloc(nr, nr);
	w = gsl_multifit_linear_alloc(len, nr);
	if (!X || !yv || !c || !cov || !w)
		goto out;
	for (k = 0; k < a->nreg; k++) {
		if (len < n)
			difference(a, a->xreg + (size_t)k * n, dx);
		else
			memcpy(dx, a->xreg + (size_t)k * n, n * sizeof *dx);
		for (t = 0; t < len; t++)
			gsl_matrix_set(X, t, (size_t)k, dx[t]);
	}
	for (t = 0; t < len; t++)
		gsl_vector_set(yv, t, dy[t]);
	rc = 0;
	if (gsl_multifit_linear(X, yv, c, cov, &chisq, w) != GSL_SUCCESS) {
		for (k = 0; k < a->nreg; k++)
			beta[k] = 0, scale[k] = 1;
		goto out;
	}
	for (k = 0; k < a->nreg; k++) {
		beta[k] = gsl_vector_get(c, (size_t)k);
		scale[k] = 10 * sqrt(gsl_matrix_get(cov, (size_t)k,
						    (size_t)k));
		if (!(scale[k] > 0) || !isfinite(scale[k]))
			scale[k] = 1;
		if (!isfinite(beta[k]))
			beta[k] = 0;
	}
out:
	gsl_matrix_free(X);
	gsl_vector_free(yv);
	gsl_vector_free(c);
	gsl_matrix_free(cov);
	gsl_multifit_linear_free(w);
	free(dy);
	free(dx);
	return rc;
}

/*
 * Estimate a as stats::arima(method) does into e (coef, resid owned by
 * the caller, ncoef and n long). 0; FC_EX_DATAERR for a non-stationary
 * CSS start or a failed optimisation; FC_EX_SOFTWARE out of memory.
 */
static int
estimate(struct arima *a, enum fc_arima_method method, struct estimate *e)
{
	double init[64] = {0}, scale[64] = {0}, fmin, ssq, sumlog;
	size_t nused = a->n - (size_t)a->nd, nu;
	int i, rc, k = a->ncoef;

	for (i = 0; i < k; i++)
		init[i] = 0, scale[i] = 1;
	if (a->nreg > 0 &&
	    regression_start(a, init + a->narma, scale + a->narma) != 0)
		return FC_EX_SOFTWARE;
	a->ncond = (size_t)a->d + (size_t)a->D * (size_t)a->m +
		   (size_t)a->p + (size_t)a->m * (size_t)a->P;
	e->converged = 1;
	if (method == FC_ARIMA_CSS || method == FC_ARIMA_CSS_ML) {
		double par[64];

		memcpy(par, init, (size_t)k * sizeof *par);
		if (a->ncond >= a->n)
			return FC_EX_DATAERR;
		rc = minimise(obj_css, a, par, scale, k, &fmin, MAXIT);
		if (rc < 0)
			return FC_EX_DATAERR;
		if (method == FC_ARIMA_CSS) {
			memcpy(e->tpar, par, (size_t)k * sizeof *par);
			memcpy(e->scale, scale, (size_t)k * sizeof *par);
			e->css = 1;
			memcpy(e->coef, par, (size_t)k * sizeof *par);
			expand(a, par);
			regress_out(a, par + a->narma);
			e->sigma2 = css(a, e->resid);
			e->value = fmin;
			e->loglik = NAN;
			e->converged = rc == 0;
			return 0;
		}
		if (rc == 0)
			memcpy(init, par, (size_t)k * sizeof *par);
		if (a->p > 0 && !ar_check(init, a->p))
			return FC_EX_DATAERR;
		if (a->P > 0 && !ar_check(init + a->p + a->q, a->P))
			return FC_EX_DATAERR;
	}
	a->ncond = 0;
	a->trans = k > 0;
	if (a->trans) {
		double tmp[64];

		memcpy(tmp, init, (size_t)k * sizeof *tmp);
		if (a->p > 0)
			invpartrans(a->p, init, tmp);
		if (a->P > 0)
			invpartrans(a->P, init + a->p + a->q,
				    tmp + a->p + a->q);
		memcpy(init, tmp, (size_t)k * sizeof *tmp);
		if (a->q > 0)
			ma_invert(init + a->p, a->q);
		if (a->Q > 0)
			ma_invert(init + a->p + a->q + a->P, a->Q);
	}
	rc = minimise(obj_ml, a, init, scale, k, &fmin, MAXIT);
	if (rc < 0)
		return FC_EX_DATAERR;
	e->converged = rc == 0;
	if (a->trans) {
		double before[64];

		memcpy(before, init, (size_t)k * sizeof *before);
		if (a->q > 0)
			ma_invert(init + a->p, a->q);
		if (a->Q > 0)
			ma_invert(init + a->p + a->q + a->P, a->Q);
		if (memcmp(before, init, (size_t)k * sizeof *init) != 0)
			fmin = obj_ml(init, a);
	}
	memcpy(e->tpar, init, (size_t)k * sizeof *init);
	memcpy(e->scale, scale, (size_t)k * sizeof *init);
	e->css = 0;
	if (a->trans)
		undo_pars(a, init, e->coef, 1);
	else
		memcpy(e->coef, init, (size_t)k * sizeof *init);
	e->value = fmin;
	expand(a, e->coef);
	if (stationary_cov(a) != 0)
		return FC_EX_DATAERR;
	regress_out(a, e->coef + a->narma);
	kalman(a, a->x, &ssq, &sumlog, &nu, e->resid, 0);
	e->sigma2 = ssq / (double)nused;
	e->loglik = -0.5 * (2 * (double)nused * fmin + (double)nused +
			    (double)nused * log(2 * M_PI));
	return isfinite(e->loglik) ? 0 : FC_EX_DATAERR;
}

/* ---- fits of the model table ---- */

static int
kind_of(const fc_arima_spec *s)
{
	int nd = s->d + s->D;

	if (!s->constant || nd >= 2)
		return K_NONE;
	return nd == 0 ? K_MEAN : K_DRIFT;
}

/* The regressor column of kind over t = 0..n-1 into x. */
static void
constant_column(int kind, size_t n, double *x)
{
	size_t t;

	for (t = 0; t < n; t++)
		x[t] = kind == K_MEAN ? 1 : (double)(t + 1);
}

void
fc_arima_form(const fc_arima_spec *s, char *out, size_t len)
{
	int k = kind_of(s), n;
	const char *tail = k == K_MEAN ? " with non-zero mean" :
			   k == K_DRIFT ? " with drift" :
			   s->d + s->D == 0 ? " with zero mean" : "";

	n = snprintf(out, len, "ARIMA(%d,%d,%d)", s->p, s->d, s->q);
	if (n > 0 && (size_t)n < len && s->m > 1 && s->P + s->D + s->Q > 0)
		n += snprintf(out + n, len - (size_t)n, "(%d,%d,%d)[%d]",
			      s->P, s->D, s->Q, s->m);
	if (n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, "%s", tail);
}

static void
name_params(fc_fit *f, const fc_arima_spec *s, const double *coef, int kind)
{
	char nm[16];
	size_t i = 0;
	int j;

	for (j = 0; j < s->p; j++, i++) {
		snprintf(nm, sizeof nm, "ar%d", j + 1);
		fc_fit_set_param(f, i, nm, coef[i]);
	}
	for (j = 0; j < s->q; j++, i++) {
		snprintf(nm, sizeof nm, "ma%d", j + 1);
		fc_fit_set_param(f, i, nm, coef[i]);
	}
	for (j = 0; j < s->P; j++, i++) {
		snprintf(nm, sizeof nm, "sar%d", j + 1);
		fc_fit_set_param(f, i, nm, coef[i]);
	}
	for (j = 0; j < s->Q; j++, i++) {
		snprintf(nm, sizeof nm, "sma%d", j + 1);
		fc_fit_set_param(f, i, nm, coef[i]);
	}
	if (kind != K_NONE)
		fc_fit_set_param(f, i, kind == K_MEAN ? "intercept" : "drift",
				 coef[i]);
}

/*
 * The regressors of a fit, column-major into a new array of *k columns:
 * the constant of kind (ones, or 1..n for a drift) first, as R puts the
 * intercept and forecast's drift before xreg, then the pu columns of xu
 * (row-major, n rows). NULL with *k = 0 when there are none, or out of
 * memory (*k > 0).
 */
static double *
regressors(int kind, const double *xu, size_t n, size_t pu, int *k)
{
	size_t c = kind != K_NONE, j, t;
	double *x;

	*k = (int)(c + pu);
	if (*k == 0 || (x = malloc(n * (size_t)*k * sizeof *x)) == NULL)
		return NULL;
	if (c)
		constant_column(kind, n, x);
	for (j = 0; j < pu; j++)
		for (t = 0; t < n; t++)
			x[(c + j) * n + t] = xu[t * pu + j];
	return x;
}

/*
 * stats::arima orthogonalises two or more regressors before estimating:
 * xr (n x k, column-major) becomes xr V, V (k x k, row-major into v) the
 * right singular vectors of xr, and the coefficients found are mapped back
 * by V. 0, or -1 when the decomposition fails (xr is then unchanged).
 */
static int
rotate(double *xr, size_t n, int k, double *v)
{
	gsl_matrix *A = gsl_matrix_alloc(n, (size_t)k);
	gsl_matrix *V = gsl_matrix_alloc((size_t)k, (size_t)k);
	gsl_vector *S = gsl_vector_alloc((size_t)k);
	gsl_vector *w = gsl_vector_alloc((size_t)k);
	size_t t;
	int i, j, l, rc = -1;

	if (A == NULL || V == NULL || S == NULL || w == NULL)
		goto out;
	for (t = 0; t < n; t++)
		for (j = 0; j < k; j++)
			gsl_matrix_set(A, t, (size_t)j, xr[(size_t)j * n + t]);
	if (gsl_linalg_SV_decomp(A, V, S, w) != GSL_SUCCESS)
		goto out;
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			v[i * k + j] = gsl_matrix_get(V, (size_t)i, (size_t)j);
	for (t = 0; t < n; t++) {
		double row[64];

		for (j = 0; j < k; j++) {
			row[j] = 0;
			for (l = 0; l < k; l++)
				row[j] += xr[(size_t)l * n + t] * v[l * k + j];
		}
		for (j = 0; j < k; j++)
			xr[(size_t)j * n + t] = row[j];
	}
	rc = 0;
out:
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(S);
	gsl_vector_free(w);
	return rc;
}

/*
 * fc_arima_fit_order with pu more regressors xu (row-major, n rows) after
 * the constant: a fit of the model `model`, whose state keeps xu after y.
 */
static int
fit_order(const double *y, const double *xu, size_t n, size_t pu,
	  const fc_arima_spec *spec, enum fc_arima_method method,
	  double offset, const char *model, fc_fit **fit,
	  fc_arima_info *info, fc_err *err)
{
	struct arima a;
	struct estimate e = {0};
	int kind = kind_of(spec), rc, npar, nreg = 0, rotated = 0, i, j;
	double *xreg = NULL, nstar, aic, ss = 0, mr, v[64 * 64];
	fc_fit *f = NULL;
	size_t t;

	*fit = NULL;
	memset(&a, 0, sizeof a);
	xreg = regressors(kind, xu, n, pu, &nreg);
	if (nreg > 0 && xreg == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	if (nreg > 1 && nreg <= 60 && n > (size_t)nreg)
		rotated = rotate(xreg, n, nreg, v) == 0;
	if (arima_init(&a, y, n, spec, xreg, nreg) != 0 ||
	    (e.coef = calloc((size_t)a.ncoef + 1, sizeof *e.coef)) == NULL ||
	    (e.resid = calloc(n, sizeof *e.resid)) == NULL) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"out of memory");
		goto out;
	}
	if (n <= (size_t)a.nd + 1) {
		rc = fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				"model '%s': %zu values are too few for "
				"%d differences", model, n, a.nd);
		goto out;
	}
	rc = estimate(&a, method, &e);
	if (rc != 0) {
		fc_err_set(err, rc, NULL, 0, "model '%s': cannot estimate "
			   "ARIMA(%d,%d,%d)(%d,%d,%d)[%d]", model, spec->p,
			   spec->d, spec->q, spec->P, spec->D, spec->Q,
			   spec->m);
		goto out;
	}
	npar = a.ncoef + 1;
	nstar = (double)n - (double)a.nd;
	if (method == FC_ARIMA_CSS)
		aic = offset + nstar * log(e.sigma2) + 2 * npar;
	else
		aic = -2 * e.loglik + 2 * npar;
	expand(&a, e.coef);
	mr = fmin(min_root(a.phi, a.np, -1, 1e-8),
		  min_root(a.theta, a.nq, 1, 1e-8));
	if (info != NULL) {
		info->minroot = isnan(mr) ? 0 : mr;
		info->sigma2 = e.sigma2;
		info->aic = aic;
		info->var_bad = 0;
		/* the Hessian costs 4k^2 evaluations: only when it matters */
		if (a.ncoef > 0 && info->minroot >= 1.01 &&
		    (aic < info->var_limit ||
		     aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1) <
		     info->var_limit)) {
			double H[64 * 64] = {0};

			hessian(e.css ? obj_css : obj_ml, &a, e.tpar, e.scale,
				a.ncoef, H);
			info->var_bad = var_bad(&a, H, e.tpar,
						!e.css && a.trans,
						n - (size_t)a.nd);
		}
	}
	if (rotated) { /* back from the orthogonalised regressors */
		double b[64] = { 0 };

		for (i = 0; i < nreg; i++) {
			b[i] = 0;
			for (j = 0; j < nreg; j++)
				b[i] += v[i * nreg + j] * e.coef[a.narma + j];
		}
		memcpy(e.coef + a.narma, b, (size_t)nreg * sizeof *b);
	}
	f = fc_fit_alloc(fc_model_find(model), (size_t)a.ncoef,
			 NSTATE0 + n + n * pu, err);
	if (f == NULL) {
		rc = FC_EX_SOFTWARE;
		goto out;
	}
	name_params(f, spec, e.coef, kind);
	for (t = 0; t < pu; t++) {
		char nm[16];
		size_t at = (size_t)a.ncoef - pu + t;

		snprintf(nm, sizeof nm, "xreg%d", (int)(t % 1000) + 1);
		fc_fit_set_param(f, at, nm, e.coef[at]);
	}
	f->state[0] = spec->p;
	f->state[1] = spec->d;
	f->state[2] = spec->q;
	f->state[3] = spec->P;
	f->state[4] = spec->D;
	f->state[5] = spec->Q;
	f->state[6] = kind;
	memcpy(f->state + NSTATE0, y, n * sizeof *y);
	if (pu > 0)
		memcpy(f->state + NSTATE0 + n, xu, n * pu * sizeof *xu);
	for (t = 0; t < n; t++)
		ss += e.resid[t] * e.resid[t];
	f->sigma2 = ss / (nstar - npar + 1);
	f->loglik = e.loglik;
	f->aicc = aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
	f->m = a.m;
	f->n = n;
	fc_arima_form(spec, f->form, sizeof f->form);
	if (pu > 0) { /* as R prints it */
		char o[64], *w = strstr(f->form, " with");

		if (w != NULL)
			*w = '\0';
		snprintf(o, sizeof o, "Regression with %.40s errors", f->form);
		memcpy(f->form, o, sizeof o);
	}
	if (fc_fit_keep(f, y, y, n) != 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"out of memory");
		goto out;
	}
	for (t = 0; t < n; t++) {
		f->resid[t] = e.resid[t];
		f->fitted[t] = y[t] - e.resid[t];
	}
	*fit = f;
	f = NULL;
out:
	fc_fit_free(f);
	free(e.coef);
	free(e.resid);
	free(xreg);
	arima_free(&a);
	return rc;
}

int
fc_arima_fit_order(const double *y, size_t n, const fc_arima_spec *spec,
		   enum fc_arima_method method, double offset, fc_fit **fit,
		   fc_arima_info *info, fc_err *err)
{
	return fit_order(y, NULL, n, 0, spec, method, offset, "arima", fit,
			 info, err);
}

int
fc_arima_fit_xorder(const double *y, const double *x, size_t n, size_t p,
		    const fc_arima_spec *spec, enum fc_arima_method method,
		    double offset, fc_fit **fit, fc_arima_info *info,
		    fc_err *err)
{
	return fit_order(y, x, n, p, spec, method, offset, "arimax", fit,
			 info, err);
}

/* ---- forecasting ---- */

/*
 * Forecast h steps of a fit whose state keeps pu regressors after y, with
 * their future rows xf (h x pu, row-major; NULL when pu is 0): the
 * forecasts of the ARIMA errors y - X beta plus the regression on the
 * future rows, the errors' forecast variance (beta taken as known, as
 * predict.Arima).
 */
static int
forecast_x(const fc_fit *fit, const double *xf, size_t pu, size_t h,
	   double *mean, double *sd, double *df, fc_err *err)
{
	fc_arima_spec s;
	struct arima a;
	double coef[64] = {0}, *xreg = NULL, ssq, sumlog, *P2 = NULL;
	size_t n, nu, j, i, nx;
	int kind, rc = 0, k, rd, nreg = 0;
	const char *model = fit->def ? fit->def->name : "arima";

	*df = 0;
	memset(&a, 0, sizeof a);
	if (fit->nstate < NSTATE0 || (fit->nstate - NSTATE0) % (pu + 1) != 0)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model '%s': no state", model);
	n = (fit->nstate - NSTATE0) / (pu + 1);
	s.p = (int)fit->state[0];
	s.d = (int)fit->state[1];
	s.q = (int)fit->state[2];
	s.P = (int)fit->state[3];
	s.D = (int)fit->state[4];
	s.Q = (int)fit->state[5];
	kind = (int)fit->state[6];
	s.m = fit->m;
	s.constant = kind != K_NONE;
	for (k = 0; k < 6; k++)
		if (!(fit->state[k] >= 0 && fit->state[k] <= 60))
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model '%s': bad order", model);
	if ((size_t)s.p + (size_t)s.q + (size_t)s.P + (size_t)s.Q +
		(size_t)(kind != K_NONE) + pu != fit->npar ||
	    fit->npar > 60 || n < 1)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model '%s': parameters do not match "
				  "the order", model);
	for (i = 0; i < fit->npar; i++)
		coef[i] = fit->par[i].value;
	xreg = regressors(kind, fit->state + NSTATE0 + n, n, pu, &nreg);
	if ((nreg > 0 && xreg == NULL) ||
	    arima_init(&a, fit->state + NSTATE0, n, &s, xreg, nreg) != 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"out of memory");
		goto out;
	}
	expand(&a, coef);
	if (stationary_cov(&a) != 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"model '%s': non-stationary AR part", model);
		goto out;
	}
	regress_out(&a, coef + a.narma);
	kalman(&a, a.x, &ssq, &sumlog, &nu, NULL, 1);
	rd = a.rd;
	if ((P2 = malloc((size_t)rd * rd * sizeof *P2)) == NULL) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"out of memory");
		goto out;
	}
	for (j = 0; j < h; j++) {
		double fc, v = 0;
		int r = a.r;

		predict_state(&a, a.a, a.anew);
		memcpy(a.a, a.anew, (size_t)rd * sizeof *a.a);
		fc = a.a[0];
		for (k = 0; k < a.ndnz; k++)
			fc += a.delta[a.dnz[k]] * a.a[r + a.dnz[k]];
		predict_cov(&a, a.Pk, P2);
		memcpy(a.Pk, P2, (size_t)rd * rd * sizeof *P2);
		/* Z' P Z */
		for (i = 0; i < (size_t)rd; i++) {
			double zi = i == 0 ? 1 : (i >= (size_t)r ?
						  a.delta[i - (size_t)r] : 0);
			size_t l;

			if (zi == 0)
				continue;
			for (l = 0; l < (size_t)rd; l++) {
				double zl = l == 0 ? 1 : (l >= (size_t)r ?
					    a.delta[l - (size_t)r] : 0);

				v += zi * zl * P2[i * (size_t)rd + l];
			}
		}
		if (kind == K_MEAN)
			fc += coef[a.narma];
		else if (kind == K_DRIFT)
			fc += coef[a.narma] * (double)(n + j + 1);
		nx = (size_t)a.narma + (kind != K_NONE);
		for (i = 0; i < pu; i++)
			fc += coef[nx + i] * xf[j * pu + i];
		mean[j] = fc;
		sd[j] = sqrt(v * fit->sigma2);
	}
out:
	free(P2);
	free(xreg);
	arima_free(&a);
	return rc;
}

int
fc_arima_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		  double *df, fc_err *err)
{
	return forecast_x(fit, NULL, 0, h, mean, sd, df, err);
}

/* The number of regressors of an arimax fit (its feature columns), from
 * its parameters; (size_t)-1 for a bad one. */
size_t
fc_arimax_ncols(const fc_fit *fit)
{
	size_t k = 0, i;

	for (i = 0; i < fit->npar; i++)
		if (strncmp(fit->par[i].name, "xreg", 4) == 0)
			k++;
	return fit->nstate > NSTATE0 && (fit->nstate - NSTATE0) % (k + 1) == 0 ?
	       k : (size_t)-1;
}

int
fc_arimax_xforecast(const fc_fit *fit, const double *x, size_t h,
		    double *mean, double *sd, double *df, fc_err *err)
{
	size_t p = fc_arimax_ncols(fit);

	if (p == (size_t)-1)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'arimax': bad state");
	return forecast_x(fit, x, p, h, mean, sd, df, err);
}

int
fc_arima_fit_fixed(const double *y, size_t n, const fc_arima_spec *spec,
		   double c, fc_fit **fit, fc_err *err)
{
	fc_arima_spec s = *spec;
	struct arima a;
	int kind = kind_of(spec), rc = 0;
	double *xreg = NULL, ssq, sumlog, ss = 0, nstar;
	fc_fit *f = NULL;
	size_t t, nu;

	*fit = NULL;
	memset(&a, 0, sizeof a);
	s.p = s.q = s.P = s.Q = 0;
	if ((xreg = malloc(n * sizeof *xreg)) != NULL)
		constant_column(kind, n, xreg);
	if (xreg == NULL ||
	    arima_init(&a, y, n, &s, xreg, kind != K_NONE) != 0 ||
	    (f = fc_fit_alloc(fc_model_find("arima"), kind != K_NONE,
			      NSTATE0 + n, err)) == NULL ||
	    fc_fit_keep(f, y, y, n) != 0) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				"out of memory");
		goto out;
	}
	expand(&a, &c);
	stationary_cov(&a);
	regress_out(&a, &c);
	kalman(&a, a.x, &ssq, &sumlog, &nu, f->resid, 0);
	name_params(f, &s, &c, kind);
	f->state[1] = s.d;
	f->state[4] = s.D;
	f->state[6] = kind;
	memcpy(f->state + NSTATE0, y, n * sizeof *y);
	nstar = (double)n - (double)a.nd;
	for (t = 0; t < n; t++) {
		ss += f->resid[t] * f->resid[t];
		f->fitted[t] = y[t] - f->resid[t];
	}
	f->sigma2 = ss / nstar;
	f->m = a.m;
	f->n = n;
	fc_arima_form(&s, f->form, sizeof f->form);
	*fit = f;
	f = NULL;
out:
	fc_fit_free(f);
	free(xreg);
	arima_free(&a);
	return rc;
}
