/* drift - two-sample statistics: Kolmogorov-Smirnov, Wasserstein, chi-square, PSI */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "drift.h"

/* Above this many values in either sample, the KS p-value is asymptotic
 * (scipy's MAX_AUTO_N). */
#define KS_EXACT_MAX 10000

static unsigned long long
gcd(unsigned long long a, unsigned long long b)
{
	while (b) {
		unsigned long long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* The largest |F_a - F_b| over the pooled values, both ECDFs taken right
 * of each value. */
static double
ks_stat(const double *a, size_t na, const double *b, size_t nb)
{
	size_t i = 0, j = 0;
	double d = 0, x, g;

	while (i < na || j < nb) {
		if (j >= nb || (i < na && a[i] <= b[j]))
			x = a[i];
		else
			x = b[j];
		while (i < na && a[i] <= x)
			i++;
		while (j < nb && b[j] <= x)
			j++;
		g = fabs((double)i / (double)na - (double)j / (double)nb);
		if (g > d)
			d = g;
	}
	return d;
}

/* Equal sizes: P(D >= h/n) by the reflection principle, the alternating
 * sum 2 sum_k (-1)^(k+1) C(2n, n - kh) / C(2n, n) in nested form. */
static double
ks_square_p(size_t n, unsigned long long h)
{
	double p = 0, t;
	unsigned long long k, j;

	for (k = n / h + 1; k-- > 0;) {
		t = 1;
		for (j = 0; j < h; j++)
			t *= ((double)n - (double)(k * h + j)) /
			     ((double)n + (double)(k * h + j) + 1);
		p = t * (1 - p);
	}
	return 2 * p;
}

double
fc_ks_exact_p(size_t m, size_t n, unsigned long long h)
{
	unsigned long long g, mg, ng;
	double *w, prev;
	size_t x, y;
	long long dx;

	if (h == 0)
		return 1;
	if (m == n)
		return ks_square_p(n, h);
	if (m < n) {
		size_t t = m;

		m = n;
		n = t;
	}
	g = gcd(m, n);
	mg = m / g;
	ng = n / g;
	/* w[y]: the share of the lattice paths from (0, 0) to (x, y) that
	 * have left the band |x ng - y mg| < h, column by column; a sum of
	 * positive terms, so small p-values keep their digits */
	if ((w = malloc((n + 1) * sizeof *w)) == NULL)
		return NAN;
	for (y = 0; y <= n; y++)
		w[y] = y * mg >= h ? 1 : 0;
	for (x = 1; x <= m; x++) {
		prev = 0;
		for (y = 0; y <= n; y++) {
			dx = (long long)(x * ng) - (long long)(y * mg);
			if ((unsigned long long)llabs(dx) >= h)
				w[y] = 1;
			else
				w[y] = ((double)x * w[y] + (double)y * prev) /
				       (double)(x + y);
			prev = w[y];
		}
	}
	prev = w[n];
	free(w);
	return prev < 0 ? 0 : prev > 1 ? 1 : prev;
}

/* P(D+_n >= d), the one-sided Smirnov tail, by the Birnbaum-Tingey sum
 * d sum_j C(n, j) (1 - d - j/n)^(n - j) (d + j/n)^(j - 1), in logs. */
static double
smirnov_tail(unsigned long n, double d)
{
	unsigned long j, jmax = (unsigned long)floor((double)n * (1 - d));
	double s = 0, lc, a, b;

	for (j = 0; j <= jmax; j++) {
		a = 1 - d - (double)j / (double)n;
		b = d + (double)j / (double)n;
		if (a <= 0 && j < n)
			continue;
		lc = gsl_sf_lnchoose((unsigned)n, (unsigned)j);
		s += exp(lc + (double)(n - j) * (a > 0 ? log(a) : 0) +
			 (double)((long)j - 1) * log(b));
	}
	return d * s;
}

/* The Kolmogorov limit P(K >= z) = 2 sum (-1)^(k-1) exp(-2 k^2 z^2). */
static double
kolmogorov_q(double z)
{
	double s = 0, t;
	int k;

	if (z < 0.2)
		return 1;
	for (k = 1; k <= 100; k++) {
		t = exp(-2.0 * k * k * z * z);
		s += (k % 2 ? 2 : -2) * t;
		if (t < 1e-17)
			break;
	}
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

/* c = a b for m x m matrices. */
static void
mat_mul(const double *a, const double *b, double *c, size_t m)
{
	size_t i, j, k;
	double s;

	for (i = 0; i < m; i++)
		for (j = 0; j < m; j++) {
			s = 0;
			for (k = 0; k < m; k++)
				s += a[i * m + k] * b[k * m + j];
			c[i * m + j] = s;
		}
}

/* Largest k = ceil(n d) the Durbin matrix is used for: a matrix of 2k - 1
 * rows, some 400 x 400 multiplications at most. */
#define DURBIN_KMAX 100

/*
 * P(D_n < d) by Durbin's matrix (Marsaglia, Tsang and Wang 2003): with
 * k = ceil(n d) and h = k - n d, the k-th diagonal element of H^n times
 * n!/n^n, H of order 2k - 1 built from h. Powers are rescaled by 2^-512
 * as they grow, the exponent kept apart. NaN when out of memory.
 */
static double
durbin_cdf(unsigned long n, double d)
{
	size_t k = (size_t)ceil((double)n * d), m = 2 * k - 1, i, j, g;
	double h = (double)k - (double)n * d, *hm, *pw, *tmp, *t, s;
	long e = 0, he = 0;
	unsigned long nn;

	if (k == 0)
		return 0;
	hm = calloc(m * m, sizeof *hm);
	pw = calloc(m * m, sizeof *pw);
	tmp = calloc(m * m, sizeof *tmp);
	if (hm == NULL || pw == NULL || tmp == NULL) {
		free(hm);
		free(pw);
		free(tmp);
		return NAN;
	}
	for (i = 0; i < m; i++)
		for (j = 0; j < m; j++)
			hm[i * m + j] = i + 1 >= j ? 1 : 0;
	for (i = 0; i < m; i++) {
		hm[i * m] -= pow(h, (double)(i + 1));
		hm[(m - 1) * m + i] -= pow(h, (double)(m - i));
	}
	if (2 * h - 1 > 0)
		hm[(m - 1) * m] += pow(2 * h - 1, (double)m);
	for (i = 0; i < m; i++)
		for (j = 0; j <= i + 1 && j < m; j++)
			for (g = 2; g <= i + 1 - j; g++)
				hm[i * m + j] /= (double)g;
	/* pw = H^n by squaring; he counts the 2^512 scalings of hm */
	for (i = 0; i < m * m; i++)
		pw[i] = i % (m + 1) == 0 ? 1 : 0;
	for (nn = n; nn > 0; nn /= 2) {
		if (nn % 2) {
			mat_mul(pw, hm, tmp, m);
			t = pw, pw = tmp, tmp = t;
			e += he;
		}
		if (nn > 1) {
			mat_mul(hm, hm, tmp, m);
			t = hm, hm = tmp, tmp = t;
			he *= 2;
			if (fabs(hm[(k - 1) * m + k - 1]) > 0x1p512) {
				for (i = 0; i < m * m; i++)
					hm[i] *= 0x1p-512;
				he += 512;
			}
		}
		if (fabs(pw[(k - 1) * m + k - 1]) > 0x1p512) {
			for (i = 0; i < m * m; i++)
				pw[i] *= 0x1p-512;
			e += 512;
		}
	}
	s = pw[(k - 1) * m + k - 1];
	free(hm);
	free(pw);
	free(tmp);
	for (nn = 1; nn <= n; nn++) {
		s = s * (double)nn / (double)n;
		if (fabs(s) < 0x1p-512) {
			s *= 0x1p512;
			e -= 512;
		}
	}
	return ldexp(s, (int)e);
}

double
fc_ks_asymp_p(double n, double d)
{
	double p, sn = sqrt(n);

	if (d <= 0 || n * d <= 0.5)
		return 1;
	if (d >= 1)
		return 0;
	if (n * d * d >= 370)
		return 0;
	if (n * d * d >= 2.2 && n <= 4e9) {
		p = 2 * smirnov_tail((unsigned long)n, d);
		return p < 0 ? 0 : p > 1 ? 1 : p;
	}
	if (ceil(n * d) <= DURBIN_KMAX) {
		p = 1 - durbin_cdf((unsigned long)n, d);
		if (isfinite(p))
			return p < 0 ? 0 : p > 1 ? 1 : p;
	}
	return kolmogorov_q((sn + 0.12 + 0.11 / sn) * d);
}

int
fc_ks_2samp(const double *a, size_t na, const double *b, size_t nb,
	    fc_ks *out)
{
	unsigned long long g = gcd(na, nb), lcm = (na / g) * nb, h;
	double d = ks_stat(a, na, b, nb), m, n;

	if (na <= KS_EXACT_MAX && nb <= KS_EXACT_MAX) {
		h = (unsigned long long)llround(d * (double)lcm);
		out->d = (double)h / (double)lcm;
		out->p = fc_ks_exact_p(na, nb, h);
		out->exact = 1;
		if (isnan(out->p))
			return -1;
		if (out->p >= 0 && out->p <= 1)
			return 0;
	}
	m = (double)(na > nb ? na : nb);
	n = (double)(na > nb ? nb : na);
	out->d = d;
	out->p = fc_ks_asymp_p(round(m * n / (m + n)), d);
	out->exact = 0;
	return 0;
}

double
fc_wasserstein(const double *a, size_t na, const double *b, size_t nb)
{
	size_t i = 0, j = 0;
	double s = 0, x, next;

	/* walk the pooled sorted values; between two neighbours both ECDFs
	 * are constant */
	while (i < na || j < nb) {
		x = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
		while (i < na && a[i] <= x)
			i++;
		while (j < nb && b[j] <= x)
			j++;
		if (i >= na && j >= nb)
			break;
		next = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
		s += fabs((double)i / (double)na - (double)j / (double)nb) *
		     (next - x);
	}
	return s;
}

double
fc_std_pop(const double *x, size_t n)
{
	double mean = 0, s = 0;
	size_t i;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		s += (x[i] - mean) * (x[i] - mean);
	return sqrt(s / (double)n);
}

double
fc_quantile(const double *x, size_t n, double q)
{
	double pos = (double)(n - 1) * q, f = floor(pos);
	size_t i = (size_t)f;

	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + (pos - f) * (x[i + 1] - x[i]);
}

void
fc_chisq_counts(const double *ref, const double *cur, size_t k,
		fc_chisq *out)
{
	double nr = 0, nc = 0, e, s = 0;
	size_t i;

	for (i = 0; i < k; i++) {
		nr += ref[i];
		nc += cur[i];
	}
	for (i = 0; i < k; i++) {
		e = ref[i] * nc / nr;
		if (e == 0)
			s += cur[i] > 0 ? INFINITY : 0;
		else
			s += (cur[i] - e) * (cur[i] - e) / e;
	}
	out->stat = s;
	out->df = k > 0 ? (double)(k - 1) : 0;
	if (out->df == 0)
		out->p = 1;
	else if (isinf(s))
		out->p = 0;
	else
		out->p = gsl_cdf_chisq_Q(s, out->df);
}

double
fc_psi_counts(const double *ref, const double *cur, size_t k)
{
	double nr = 0, nc = 0, r, c, s = 0;
	size_t i;

	for (i = 0; i < k; i++) {
		nr += ref[i];
		nc += cur[i];
	}
	for (i = 0; i < k; i++) {
		r = ref[i] > 0 ? ref[i] / nr : FC_PSI_EPS;
		c = cur[i] > 0 ? cur[i] / nc : FC_PSI_EPS;
		s += (c - r) * log(c / r);
	}
	return s;
}

void
fc_bin_counts(const double *x, size_t n, const double *edges, size_t k,
	      double *counts)
{
	size_t i, b = 0;

	for (i = 0; i < k; i++)
		counts[i] = 0;
	for (i = 0; i < n; i++) {
		while (b + 1 < k && x[i] > edges[b])
			b++;
		counts[b]++;
	}
}
