/* smooth - ses, holt, damped and Holt-Winters as ETS forms, as R fits them */
#include <string.h>

#include "models/ets.h"
#include "models/impl.h"

/*
 * R's ses(), holt(), holt(damped = TRUE) and hw() are ets() with the forms
 * ANN, AAN, AAdN, AAA and MAM and opt.crit = "mse": the parameters and
 * initial states minimise the mean squared one-step error. The fits
 * report the log-likelihood of the form at that optimum.
 */

static int
fit_form(const char *form, int crit, const double *y, size_t n, int m,
	 fc_fit **fit, fc_err *err)
{
	fc_ets_spec s;

	memset(&s, 0, sizeof s);
	s.error = form[0];
	s.trend = form[1];
	s.damped = form[2] == 'd';
	s.season = form[strlen(form) - 1];
	s.m = s.season == 'N' ? 1 : m;
	s.crit = crit;
	if (s.season != 'N' && m < 2)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "ets %s: a season length of at least 2 "
				  "is needed, not %d",
				  form, m);
	return fc_ets_fit(y, n, &s, fit, err);
}

static size_t
min_form(const char *form, int m)
{
	fc_ets_spec s;

	memset(&s, 0, sizeof s);
	s.trend = form[1];
	s.damped = form[2] == 'd';
	s.season = form[strlen(form) - 1];
	s.m = m;
	return fc_ets_min_length(&s);
}

int
fc_ses_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return fit_form("ANN", FC_ETS_MSE, y, n, m, fit, err);
}

int
fc_holt_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return fit_form("AAN", FC_ETS_MSE, y, n, m, fit, err);
}

int
fc_damped_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return fit_form("AAdN", FC_ETS_MSE, y, n, m, fit, err);
}

int
fc_hw_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return fit_form("AAA", FC_ETS_MSE, y, n, m, fit, err);
}

int
fc_hwm_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	return fit_form("MAM", FC_ETS_MSE, y, n, m, fit, err);
}

size_t
fc_ses_min(int m)
{
	return min_form("ANN", m);
}

size_t
fc_holt_min(int m)
{
	return min_form("AAN", m);
}

size_t
fc_damped_min(int m)
{
	return min_form("AAdN", m);
}

size_t
fc_hw_min(int m)
{
	return min_form("AAA", m < 2 ? 2 : m);
}

int
fc_ets_model_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		      double *df, fc_err *err)
{
	*df = 0;
	return fc_ets_forecast(fit, h, mean, sd, err);
}
