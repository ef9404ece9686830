/*
 * auto - the default model: the most accurate one fc has for the season
 * length. Hourly series (a season length of 24) get mstl with the day and
 * the week, 24 and 168 (train.mstl.periods when it names others); every
 * other series the ensemble (train.ensemble.members, by default the mean
 * of ets, theta and dotm). The fit handed back is the chosen model's, so
 * a model file names mstl or ensemble, never auto.
 */
#include <string.h>

#include "err.h"
#include "models/impl.h"
#include "models/model.h"

#define HOURLY 24

int
fc_auto_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	static const int day_week[] = { HOURLY, 7 * HOURLY };
	int rc;

	if (m != HOURLY)
		return fc_model_fit(fc_model_find("ensemble"), y, n, m, fit,
				    err);
	rc = fc_mstl_fit_periods(y, n, m, day_week, 2, fit, err);
	if (rc == 0)
		(*fit)->def = fc_model_find("mstl");
	return rc;
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
	return m == HOURLY ? fc_mstl_min(m) : fc_ensemble_min(m);
}
