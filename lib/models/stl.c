/* stl - seasonal-trend decomposition by loess (Cleveland, Cleveland,
 * McRae and Terpenning, 1990), as R's stats::stl computes it without
 * robustness weights: the same windows, degrees, jumps, inner loop and
 * end extrapolation, so that the components agree with R's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/impl.h"

/*
 * The loess estimate at xs (1-based) from y[nleft..nright] (1-based), a
 * window of len points, degree 0 or 1; 0 and *ys unset when every weight
 * is zero.
 */
static int
est(const double *y, long n, long len, int deg, double xs, double *ys,
    long nleft, long nright, double *w)
{
	double range = (double)n - 1, h, h9, h1, a = 0, b, c, r;
	long j;

	h = fmax(xs - (double)nleft, (double)nright - xs);
	if (len > n) /* halved in integers, as R's stl does */
		h += (double)((len - n) / 2); /* NOLINT(bugprone-integer-division) */
	h9 = 0.999 * h;
	h1 = 0.001 * h;
	for (j = nleft; j <= nright; j++) {
		w[j] = 0;
		r = fabs((double)j - xs);
		if (r <= h9) {
			if (r <= h1)
				w[j] = 1;
			else
				w[j] = pow(1 - pow(r / h, 3), 3);
			a += w[j];
		}
	}
	if (a <= 0)
		return 0;
	for (j = nleft; j <= nright; j++)
		w[j] /= a;
	if (h > 0 && deg > 0) {
		a = 0;
		for (j = nleft; j <= nright; j++)
			a += w[j] * (double)j;
		b = xs - a;
		c = 0;
		for (j = nleft; j <= nright; j++)
			c += w[j] * ((double)j - a) * ((double)j - a);
		if (sqrt(c) > 0.001 * range) {
			b /= c;
			for (j = nleft; j <= nright; j++)
				w[j] *= b * ((double)j - a) + 1;
		}
	}
	*ys = 0;
	for (j = nleft; j <= nright; j++)
		*ys += w[j] * y[j];
	return 1;
}

/* Loess smoothing of y[1..n] into ys[1..n], evaluated every njump points
 * and interpolated linearly between them. w has n + 1 places. */
static void
ess(const double *y, long n, long len, int deg, long njump, double *ys,
    double *w)
{
	long newnj, nleft = 1, nright = n, nsh, i, j, k;
	double delta;

	if (n < 2) {
		ys[1] = y[1];
		return;
	}
	newnj = njump < n - 1 ? njump : n - 1;
	if (len >= n) {
		nleft = 1;
		nright = n;
		for (i = 1; i <= n; i += newnj)
			if (!est(y, n, len, deg, (double)i, &ys[i], nleft,
				 nright, w))
				ys[i] = y[i];
	} else if (newnj == 1) {
		nsh = (len + 1) / 2;
		nleft = 1;
		nright = len;
		for (i = 1; i <= n; i++) {
			if (i > nsh && nright != n) {
				nleft++;
				nright++;
			}
			if (!est(y, n, len, deg, (double)i, &ys[i], nleft,
				 nright, w))
				ys[i] = y[i];
		}
	} else {
		nsh = (len + 1) / 2;
		for (i = 1; i <= n; i += newnj) {
			if (i < nsh) {
				nleft = 1;
				nright = len;
			} else if (i >= n - nsh + 1) {
				nleft = n - len + 1;
				nright = n;
			} else {
				nleft = i - nsh + 1;
				nright = len + i - nsh;
			}
			if (!est(y, n, len, deg, (double)i, &ys[i], nleft,
				 nright, w))
				ys[i] = y[i];
		}
	}
	if (newnj == 1)
		return;
	for (i = 1; i <= n - newnj; i += newnj) {
		delta = (ys[i + newnj] - ys[i]) / (double)newnj;
		for (j = i + 1; j <= i + newnj - 1; j++)
			ys[j] = ys[i] + delta * (double)(j - i);
	}
	k = ((n - 1) / newnj) * newnj + 1;
	if (k != n) {
		if (!est(y, n, len, deg, (double)n, &ys[n], nleft, nright, w))
			ys[n] = y[n];
		if (k != n - 1) {
			delta = (ys[n] - ys[k]) / (double)(n - k);
			for (j = k + 1; j <= n - 1; j++)
				ys[j] = ys[k] + delta * (double)(j - k);
		}
	}
}

/* Moving average of length len of x[1..n] into ave[1..n-len+1]. */
static void
ma(const double *x, long n, long len, double *ave)
{
	long newn = n - len + 1, j, k = len, m = 0;
	double v = 0, flen = (double)len;

	for (j = 1; j <= len; j++)
		v += x[j];
	ave[1] = v / flen;
	for (j = 2; j <= newn; j++) {
		k++;
		m++;
		v = v - x[m] + x[k];
		ave[j] = v / flen;
	}
}

static long
next_odd(double x)
{
	long k = lround(x);

	return k % 2 == 0 ? k + 1 : k;
}

int
fc_stl(const double *y0, size_t n0, int period, int s_window, double *season,
       double *trend)
{
	long n = (long)n0, np = period < 2 ? 2 : period, ns, nt, nl, i, j, m;
	long nsjump, ntjump, nljump, k, nn = n + 2 * np, it;
	double *y, *c, *w1, *w2, *w3, *w4, *w5, *buf, xs;
	int ok;

	/* R's stl: periodic false, degrees 0, 1, 1; inner 2, outer 0 */
	ns = s_window;
	nt = next_odd(ceil(1.5 * (double)np / (1 - 1.5 / (double)ns)));
	nl = next_odd((double)np);
	nsjump = (long)ceil((double)ns / 10);
	ntjump = (long)ceil((double)nt / 10);
	nljump = (long)ceil((double)nl / 10);
	/* stl.f: windows odd and at least 3 */
	if (ns < 3)
		ns = 3;
	if (ns % 2 == 0)
		ns++;
	if (nt < 3)
		nt = 3;
	if (nt % 2 == 0)
		nt++;
	if (nl < 3)
		nl = 3;
	if (nl % 2 == 0)
		nl++;
	if ((buf = calloc((size_t)(7 * (nn + 2)), sizeof *buf)) == NULL)
		return -1;
	y = buf;                /* 1-based views, nn + 2 places each */
	c = buf + (nn + 2);
	w1 = buf + 2 * (nn + 2);
	w2 = buf + 3 * (nn + 2);
	w3 = buf + 4 * (nn + 2);
	w4 = buf + 5 * (nn + 2);
	w5 = buf + 6 * (nn + 2);
	for (i = 1; i <= n; i++) {
		y[i] = y0[i - 1];
		trend[i - 1] = 0;
	}
	for (it = 0; it < 2; it++) {
		for (i = 1; i <= n; i++)
			w1[i] = y[i] - trend[i - 1];
		/* cycle-subseries smoothing, one period beyond each end */
		for (j = 1; j <= np; j++) {
			k = (n - j) / np + 1;
			for (i = 1; i <= k; i++)
				w2[i] = w1[(i - 1) * np + j];
			/* smoothed values into w3[2..k+1] */
			ess(w2, k, ns, 0, nsjump, w3 + 1, w5);
			xs = 0;
			ok = est(w2, k, ns, 0, xs, &w3[1], 1, ns < k ? ns : k,
				 w5);
			if (!ok)
				w3[1] = w3[2];
			xs = (double)(k + 1);
			ok = est(w2, k, ns, 0, xs, &w3[k + 2],
				 k - ns + 1 > 1 ? k - ns + 1 : 1, k, w5);
			if (!ok)
				w3[k + 2] = w3[k + 1];
			for (m = 1; m <= k + 2; m++)
				c[(m - 1) * np + j] = w3[m];
		}
		/* low-pass: moving averages np, np, 3, then loess */
		ma(c, nn, np, w3);
		ma(w3, nn - np + 1, np, w4);
		ma(w4, nn - 2 * np + 2, 3, w3);
		ess(w3, n, nl, 1, nljump, w1, w5);
		for (i = 1; i <= n; i++) {
			season[i - 1] = c[np + i] - w1[i];
			w1[i] = y[i] - season[i - 1];
		}
		ess(w1, n, nt, 1, ntjump, w2, w5);
		for (i = 1; i <= n; i++)
			trend[i - 1] = w2[i];
	}
	free(buf);
	return 0;
}
