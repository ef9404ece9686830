/* drift_test - the two-sample statistics of lib/drift.c against scipy */
#include <math.h>
#include <stdio.h>

#include "drift.h"

#include "check.h"

/* |got - want| within rel of want, or within 1e-300 */
static int
close_to(double got, double want, double rel)
{
	return fabs(got - want) <= rel * fabs(want) + 1e-300;
}

/*
 * scipy 1.10.1, /usr/bin/python3:
 *   from scipy.stats import _stats_py as sp
 *   sp._attempt_exact_2kssamp(m, n, gcd(m, n), h / lcm(m, n), 'two-sided')
 */
static const struct {
	size_t m, n;
	unsigned long long h;
	double p;
} exact[] = {
	{ 5, 5, 3, 0.35714285714285715 },
	{ 8, 8, 1, 1.0 },
	{ 10, 7, 30, 0.3206499382969971 },
	{ 12, 30, 24, 0.10331272797810202 },
	{ 100, 100, 40, 1.5550790371345692e-07 },
	{ 60, 45, 90, 2.4107803908894342e-06 },
	{ 200, 150, 20, 0.9999452510570918 },
	{ 200, 150, 300, 5.534302274175276e-20 },
	{ 1000, 12, 600, 0.6600339743297975 },
};

/* scipy.stats.kstwo.sf(d, n), at points where scipy is exact too
 * (Durbin matrix, Pomeranz, Smirnov; not its Pelz-Good approximation,
 * used when n > 140 and n d^1.5 > 1.4 below n d^2 = 2.2) */
static const struct {
	double n, d, p;
} asymp[] = {
	{ 20, 0.1, 0.976255094592155 },
	{ 50, 0.2, 0.03143877776953241 },
	{ 100, 0.05, 0.9532159710635725 },
	{ 140, 0.3, 1.1370251710737309e-11 },
	{ 300, 0.01, 0.9999999999999992 },
	{ 500, 0.09, 0.0005653758236787942 },
	{ 1500, 0.009, 0.9996487299479272 },
	{ 2000, 0.04, 0.0032305680961256145 },
	{ 1000, 0.3, 2.590715705736845e-80 },
};

static void
test_ks(void)
{
	size_t i;
	double p;

	for (i = 0; i < sizeof exact / sizeof exact[0]; i++) {
		p = fc_ks_exact_p(exact[i].m, exact[i].n, exact[i].h);
		CHECK(close_to(p, exact[i].p, 1e-9),
		      "exact KS p of m=%zu n=%zu h=%llu: %.17g, scipy %.17g",
		      exact[i].m, exact[i].n, exact[i].h, p, exact[i].p);
	}
	for (i = 0; i < sizeof asymp / sizeof asymp[0]; i++) {
		p = fc_ks_asymp_p(asymp[i].n, asymp[i].d);
		CHECK(close_to(p, asymp[i].p, 1e-9),
		      "asymptotic KS p of n=%g d=%g: %.17g, scipy %.17g",
		      asymp[i].n, asymp[i].d, p, asymp[i].p);
	}
}

static void
test_others(void)
{
	/* sorted [3,1,4,1,5,9,2,6] and [2,7,1,8,2,8] */
	static const double a[] = { 1, 1, 2, 3, 4, 5, 6, 9 },
			    b[] = { 1, 2, 2, 7, 8, 8 };
	static const double q[] = { 0, 0.1, 0.25, 0.5, 0.9, 1 },
			    qv[] = { 1, 1, 1.75, 3.5, 6.8999999999999995, 9 };
	double ref[] = { 20, 20, 20 }, cur[] = { 10, 20, 30 };
	double one[] = { 5 }, r2[] = { 3, 0 }, c2[] = { 1, 2 };
	fc_chisq chi;
	size_t i;

	/* scipy.stats.wasserstein_distance: 1.2916666666666667 */
	CHECK(close_to(fc_wasserstein(a, 8, b, 6), 1.2916666666666667, 1e-15),
	      "wasserstein distance with ties");
	CHECK(fc_wasserstein(a, 8, a, 8) == 0, "wasserstein of a sample "
	      "with itself is 0");
	/* numpy.quantile */
	for (i = 0; i < 6; i++)
		CHECK(close_to(fc_quantile(a, 8, q[i]), qv[i], 1e-15),
		      "quantile %g", q[i]);
	/* scipy.stats.chisquare([10, 20, 30], [20, 20, 20]) */
	fc_chisq_counts(ref, cur, 3, &chi);
	CHECK(chi.stat == 10 && chi.df == 2 &&
	      close_to(chi.p, 0.006737946999085468, 1e-12),
	      "chi-square statistic, df and p");
	fc_chisq_counts(one, one, 1, &chi);
	CHECK(chi.stat == 0 && chi.df == 0 && chi.p == 1,
	      "chi-square of one category: p 1");
	fc_chisq_counts(r2, c2, 2, &chi);
	CHECK(isinf(chi.stat) && chi.p == 0,
	      "chi-square of a new category: infinite, p 0");
	/* PSI: shares 1/2 1/2 against 3/8 5/8 */
	{
		double r[] = { 5, 5 }, c[] = { 3, 5 };

		CHECK(close_to(fc_psi_counts(r, c, 2), -0.125 * log(0.75) +
			       0.125 * log(1.25), 1e-15), "psi");
	}
}

int
main(void)
{
	test_ks();
	test_others();
	return check_done();
}
