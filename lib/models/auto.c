/*
 * auto - the default model: the most accurate one fc has for the season
 * length.
 *
 * A season of fewer than 24 periods (none, quarters, months, days of the
 * week): the ensemble (train.ensemble.members, by default the mean of
 * ets, theta and dotm).
 *
 * A long season, 24 periods or more (hours of the day, weeks of the year,
 * half hours ...): the median of models that see the series differently,
 * each left out when it cannot take the series:
 *   - mstl, with the day and the week (24 and 168) for a season of 24,
 *     else the season (train.mstl.periods when it names others), when
 *     the series has two seasons;
 *   - snaive, the last season repeated;
 *   - arima without a season, for the short-term dynamics;
 *   - for a season longer than the 24 ets fits, ets without a season and
 *     arima with the season: a seasonal ets of 24 costs twice the others
 *     together, and neither it nor a seasonal arima of 24 helped on the
 *     M4 hourly series (11.68 -> 11.82 and 11.81), where on the M4
 *     weekly ones the seasonal arima did (6.57 -> 6.34).
 * A median of four is the mean of the middle two at each step. ETS,
 * theta and dotm cannot model a season of 52 weeks or of 168 hours; on the
 * M4 weekly (season 52) and hourly series this median scores an sMAPE of
 * 6.34 and 11.68, against 7.47 and 16.93 for the ensemble.
 *
 * The fit handed back is the chosen model's, so a model file names
 * ensemble, never auto.
 */
#include <string.h>

#include "err.h"
#include "models/impl.h"
#include "models/model.h"

#define HOURLY 24
#define LONG_SEASON 24

enum { MSTL, SNAIVE, ARIMA, ETS, SARIMA, NMEMBER };

/* Fit member j of a long season; 0, or non-zero when it cannot. */
static int
long_member(int j, const double *y, size_t n, int m, fc_fit **fit)
{
	static const int day_week[] = { HOURLY, 7 * HOURLY };
	const fc_model_def *d;
	fc_err skip;
	int rc;

	memset(&skip, 0, sizeof skip);
	switch (j) {
	case MSTL:
		d = fc_model_find("mstl");
		if ((double)m >= (double)n / 2) /* not two seasons */
			return -1;
		rc = m == HOURLY ?
			fc_mstl_fit_periods(y, n, m, day_week, 2, fit, &skip) :
			fc_mstl_fit(y, n, m, fit, &skip);
		if (rc == 0) {
			(*fit)->def = d;
			(*fit)->m = m;
			(*fit)->n = n;
		}
		return rc;
	case SNAIVE:
		return fc_model_fit(fc_model_find("snaive"), y, n, m, fit,
				    &skip);
	case ARIMA:
		return fc_model_fit(fc_model_find("arima"), y, n, 1, fit,
				    &skip);
	case ETS: /* only where ets cannot fit the season */
		if (m <= FC_ETS_MAX_SEASON)
			return -1;
		return fc_model_fit(fc_model_find("ets"), y, n, 1, fit, &skip);
	default: /* arima with the season, as long as ets joins */
		if (m <= FC_ETS_MAX_SEASON)
			return -1;
		return fc_model_fit(fc_model_find("arima"), y, n, m, fit,
				    &skip);
	}
}

int
fc_auto_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	fc_fit *mf[NMEMBER];
	size_t k = 0;
	int j;

	if (m < LONG_SEASON)
		return fc_model_fit(fc_model_find("ensemble"), y, n, m, fit,
				    err);
	for (j = 0; j < NMEMBER; j++)
		if (long_member(j, y, n, m, &mf[k]) == 0)
			k++;
	return fc_ensemble_of(mf, k, 1, y, n, fit, err);
}

int
fc_auto_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		 double *df, fc_err *err)
{
	(void)fit;
	(void)h;
	(void)mean;
	(void)sd;
	(void)df;
	return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
			  "model 'auto' hands back the fit of the model it "
			  "chose and has no forecast of its own");
}

size_t
fc_auto_min(int m)
{
	const fc_model_def *d = fc_model_find("arima");

	/* the shortest series one member takes: arima's, without a season */
	return m < LONG_SEASON ? fc_ensemble_min(m) : d->min_length(1);
}
