/*
 * auto - the default model: the most accurate one fc has for the season
 * length.
 *
 * No season, and 50 values or more: the mean of ets_weighted and arima.
 * With that many values arima can tell its orders apart (Box and Jenkins
 * asked for at least 50), and it sees the short-term dynamics the
 * smoothing models miss; on shorter series, yearly ones mostly, theta's
 * global trend is worth more. On the 174 M3 "other" and the 359 M4 weekly
 * series as M4 gives them (63 to 2597 values) this mean scores an sMAPE
 * of 4.38 and 8.43, against 4.40 and 8.87 for the ensemble; no bench
 * series without a season has 44 to 62 values, so any bound in that
 * range chooses alike.
 *
 * Any other season of fewer than 24 periods (none on a shorter series,
 * quarters, months, days of the week): the ensemble
 * (train.ensemble.members, by default the mean of ets_weighted, theta and
 * dotm).
 *
 * A long season, 24 periods or more (hours of the day, weeks of the year,
 * half hours ...): the median of models that see the series differently,
 * each left out when it cannot take the series:
 *   - mstl, with the day and the week (24 and 168) for a season of 24,
 *     else the season (train.mstl.periods when it names others), when
 *     the series has two seasons;
 *   - snaive, the last season repeated;
 *   - arima without a season, for the short-term dynamics;
 *   - for a season longer than the 24 ets fits, ets_weighted without a
 *     season and arima with the season: a seasonal ets of 24 costs twice
 *     the others together, and neither it nor a seasonal arima of 24
 *     helped on the M4 hourly series (11.68 -> 11.82 and 11.81), where on
 *     the M4 weekly ones the seasonal arima did (6.57 -> 6.34).
 * A median of four is the mean of the middle two at each step. ETS,
 * theta and dotm cannot model a season of 52 weeks or of 168 hours; on the
 * M4 weekly (season 52) and hourly series this median scores an sMAPE of
 * 6.34 and 11.68, against 7.47 and 16.93 for the ensemble (of ets, theta
 * and dotm, when it was measured).
 *
 * ets_weighted rather than ets: on every split of M3, M4 weekly and
 * tourism yearly its forecasts score better alone, and in these
 * combinations on all but M3 other (4.36 -> 4.38).
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
#define ARIMA_LENGTH 50 /* without a season this long: ets_weighted, arima */

/* The members after mstl: the model, whether it is told the season, and
 * the season it joins above (0: any). */
static const struct {
	const char *model;
	int seasonal;
	int above;
} members[] = {
	{ "snaive", 1, 0 },
	{ "arima", 0, 0 },
	{ "ets_weighted", 0, FC_ETS_MAX_SEASON },
	{ "arima", 1, FC_ETS_MAX_SEASON },
};

#define NMEMBER (1 + sizeof members / sizeof members[0])

/* mstl with the day and the week for hourly data, else the season; 0, or
 * non-zero when it cannot (fewer than two seasons). */
static int
mstl_member(const double *y, size_t n, int m, fc_fit **fit, fc_err *skip)
{
	static const int day_week[] = { HOURLY, 7 * HOURLY };
	int rc;

	if ((double)m >= (double)n / 2)
		return -1;
	rc = m == HOURLY ?
		fc_mstl_fit_periods(y, n, m, day_week, 2, fit, skip) :
		fc_mstl_fit(y, n, m, fit, skip);
	if (rc == 0) {
		(*fit)->def = fc_model_find("mstl");
		(*fit)->m = m;
		(*fit)->n = n;
	}
	return rc;
}

/* Fit model with season m as member mf[*k], counting it in; a member
 * that cannot take the series is left out. */
static void
add_member(const char *model, const double *y, size_t n, int m,
	   fc_fit **mf, size_t *k)
{
	fc_err skip;

	memset(&skip, 0, sizeof skip);
	if (fc_model_fit(fc_model_find(model), y, n, m, &mf[*k], &skip) == 0)
		(*k)++;
}

int
fc_auto_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	fc_fit *mf[NMEMBER];
	fc_err skip;
	size_t j, k = 0;

	if (m == 1 && n >= ARIMA_LENGTH) {
		add_member("ets_weighted", y, n, 1, mf, &k);
		add_member("arima", y, n, 1, mf, &k);
		return fc_ensemble_of(mf, k, 0, y, n, fit, err);
	}
	if (m < LONG_SEASON)
		return fc_model_fit(fc_model_find("ensemble"), y, n, m, fit,
				    err);
	memset(&skip, 0, sizeof skip);
	if (mstl_member(y, n, m, &mf[k], &skip) == 0)
		k++;
	for (j = 0; j < NMEMBER - 1; j++)
		if (m > members[j].above)
			add_member(members[j].model, y, n,
				   members[j].seasonal ? m : 1, mf, &k);
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
