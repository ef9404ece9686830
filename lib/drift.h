/* drift - two-sample statistics: Kolmogorov-Smirnov, Wasserstein, chi-square, PSI */
#ifndef FC_DRIFT_H
#define FC_DRIFT_H

#include <stddef.h>

/*
 * Every function here takes samples as arrays of finite doubles that the
 * caller owns; the ones that need sorted input say so. Nothing allocates
 * except where stated, nothing prints.
 */

/* The result of a two-sample Kolmogorov-Smirnov test. */
typedef struct fc_ks {
	double d;          /* statistic: the largest gap between the ECDFs */
	double p;          /* two-sided p-value */
	int exact;         /* 1: exact distribution, 0: asymptotic */
} fc_ks;

/*
 * Two-sided two-sample KS test of sorted a[0..na) and b[0..nb) (na, nb >
 * 0), as scipy.stats.ks_2samp(a, b) computes it with method='auto': the
 * exact distribution of the statistic (lattice paths, Hodges 1958) when
 * neither sample has more than 10000 values, its statistic rounded to a
 * multiple of 1/lcm(na, nb); otherwise the asymptotic distribution at
 * n = round(na nb / (na + nb)). Returns 0, or -1 when out of memory.
 */
int fc_ks_2samp(const double *a, size_t na, const double *b, size_t nb,
		fc_ks *out);

/*
 * The exact p-value P(D >= h / lcm(m, n)) of the two-sided two-sample
 * statistic for samples of m and n values. NaN when out of memory.
 */
double fc_ks_exact_p(size_t m, size_t n, unsigned long long h);

/*
 * P(D_n >= d) for the one-sample two-sided statistic of n values, the
 * asymptotic p-value of the two-sample test: 0 when n d^2 >= 370; 2 P(D+_n
 * >= d) by the exact Smirnov sum when n d^2 >= 2.2; else 1 - P(D_n < d)
 * by Durbin's matrix when n d <= 100; beyond, the Kolmogorov limit at
 * (sqrt(n) + 0.12 + 0.11 / sqrt(n)) d (Stephens 1970).
 */
double fc_ks_asymp_p(double n, double d);

/*
 * The first Wasserstein distance between the empirical distributions of
 * sorted a[0..na) and sorted b[0..nb): the area between their ECDFs, as
 * scipy.stats.wasserstein_distance(a, b).
 */
double fc_wasserstein(const double *a, size_t na, const double *b, size_t nb);

/* Population standard deviation (divisor n) of x[0..n); NaN when n = 0. */
double fc_std_pop(const double *x, size_t n);

/*
 * Quantile q in [0, 1] of sorted x[0..n) (n > 0) with linear interpolation
 * between order statistics at position (n - 1) q, as numpy.quantile and R's
 * type 7.
 */
double fc_quantile(const double *x, size_t n, double q);

/* The result of a chi-square goodness-of-fit test. */
typedef struct fc_chisq {
	double stat;       /* sum (observed - expected)^2 / expected */
	double df;         /* categories - 1 */
	double p;          /* P(chi2_df >= stat) */
} fc_chisq;

/*
 * Chi-square test of current counts cur[0..k) against the reference's
 * counts ref[0..k), scaled to the current total (Evidently's chisquare
 * test; scipy.stats.chisquare(cur, ref * ncur / nref)). A category absent
 * from the reference but present now gives an infinite statistic and p 0;
 * a single category gives stat 0, df 0 and p 1. The p-value comes from
 * GSL's gsl_cdf_chisq_Q.
 */
void fc_chisq_counts(const double *ref, const double *cur, size_t k,
		     fc_chisq *out);

/* Epsilon that replaces a share of 0 in the PSI sum. */
#define FC_PSI_EPS 1e-4

/*
 * The population stability index of two distributions over the same k
 * bins, given as counts: sum (c - r) ln(c / r) over the shares r and c
 * of each bin, a share of 0 taken as FC_PSI_EPS.
 */
double fc_psi_counts(const double *ref, const double *cur, size_t k);

/*
 * Count sorted x[0..n) into k bins cut at edges[0..k-1) (sorted): bin 0 is
 * (-inf, edges[0]], bin i (edges[i-1], edges[i]], bin k-1 (edges[k-2],
 * inf). counts[0..k) is overwritten.
 */
void fc_bin_counts(const double *x, size_t n, const double *edges, size_t k,
		   double *counts);

#endif
