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
 * (2008, ch. 6); NaN for the others. 0 or FC_EX_SOFTWARE.
 */
int fc_ets_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		    fc_err *err);

#endif
