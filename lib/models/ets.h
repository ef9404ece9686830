/* ets - exponential smoothing state space models (error, trend, season) */
#ifndef FC_ETS_H
#define FC_ETS_H

#include <stddef.h>

#include "err.h"
#include "models/model.h"

/*
 * An ETS form in the taxonomy of Hyndman et al. (2008): error A or M,
 * trend N or A (damped or not), season N, A or M, season length m.
 * Components are the letters 'N', 'A', 'M'. crit is what the optimiser
 * minimises: FC_ETS_LIK, minus twice the log-likelihood (up to constants),
 * or FC_ETS_MSE, the mean squared one-step error (what R's ses, holt and hw
 * use).
 */
enum { FC_ETS_LIK, FC_ETS_MSE };

typedef struct fc_ets_spec {
	char error, trend, season;
	int damped;
	int m;
	int crit;
	int any_length; /* 1: fit whenever the estimated values are fewer
			   than n - 1, as R's ets does for each candidate of
			   its search, instead of fc_ets_min_length */
} fc_ets_spec;

/*
 * Fit the ETS form spec to y[0..n-1]: smoothing parameters and initial
 * states by minimising spec->crit with the Nelder-Mead simplex, started
 * from the heuristic of Hyndman et al. (2008, sec. 2.6.1) and kept within
 * the usual bounds (alpha, beta, gamma in [1e-4, 0.9999], beta <= alpha,
 * gamma <= 1 - alpha, phi in [0.8, 0.98]) and the admissible region.
 * *fit receives a new fit: parameters alpha, beta, gamma, phi (those of the
 * form), l, b, s0 ... s(m-2) (the initial states, s0 the latest season);
 * state the final states l, b, s1 ... sm (s1 the latest); loglik, aicc and
 * sigma2 as R's ets reports them; form the name ("AAdN"). 0, or
 * FC_EX_DATAERR (too short, values <= 0 for a multiplicative form),
 * FC_EX_SOFTWARE (memory).
 */
int fc_ets_fit(const double *y, size_t n, const fc_ets_spec *spec,
	       fc_fit **fit, fc_err *err);

/* Number of values the form needs: the estimated parameters plus 5. */
size_t fc_ets_min_length(const fc_ets_spec *spec);

/* Read the form of fit (its "form" string) into spec; 0 or -1. */
int fc_ets_spec_of(const fc_fit *fit, fc_ets_spec *spec);

/*
 * Forecasts of an ETS fit and the standard deviations of their errors:
 * analytic for error A with season N or A (class 1), error M with season
 * N or A (class 2) and error M with season M (class 3) of Hyndman et al.
 * (2008, ch. 6); NaN for the others. For class 3 the means are the
 * expected values of the class 3 moments, as R's forecast.ets gives them
 * (its damped form carries the slope into the level undamped). 0 or
 * FC_EX_SOFTWARE.
 */
int fc_ets_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		    fc_err *err);

/*
 * The automatic choice of R's ets() with its defaults: every admissible
 * form (error A or M, trend N, A or Ad, season N, A or M; no
 * multiplicative trend; additive error never with a multiplicative season;
 * multiplicative components only for positive data; a season only for
 * 2 <= m <= 24 and n > m) fitted by maximum likelihood, the least AICc
 * kept. A constant series gets simple exponential smoothing with alpha
 * 0.99999; a series of 6 values or fewer R's fallback, Holt's or simple
 * exponential smoothing by least squares, whichever fits closer. *fit as
 * fc_ets_fit; 0, FC_EX_DATAERR when no form fits, FC_EX_SOFTWARE.
 */
int fc_ets_auto(const double *y, size_t n, int m, fc_fit **fit, fc_err *err);

#endif
