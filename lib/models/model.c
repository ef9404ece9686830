/* model - the model table, fitting and forecasting dispatch, fits as JSON */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "csvio.h"
#include "models/arima.h"
#include "models/impl.h"
#include "models/model.h"

static const fc_model_def models[] = {
	{"naive", fc_naive_fit, fc_naive_forecast, fc_naive_min, 1},
	{"snaive", fc_snaive_fit, fc_snaive_forecast, fc_snaive_min, 1},
	{"mean", fc_mean_fit, fc_mean_forecast, fc_mean_min, 1},
	{"drift", fc_drift_fit, fc_drift_forecast, fc_drift_min, 1},
	{"naive2", fc_naive2_fit, fc_naive2_forecast, fc_naive2_min, 1},
	{"ses", fc_ses_fit, fc_ets_model_forecast, fc_ses_min, 1},
	{"holt", fc_holt_fit, fc_ets_model_forecast, fc_holt_min, 1},
	{"damped", fc_damped_fit, fc_ets_model_forecast, fc_damped_min, 1},
	{"holt_winters", fc_hw_fit, fc_ets_model_forecast, fc_hw_min, 1},
	{"holt_winters_mul", fc_hwm_fit, fc_ets_model_forecast, fc_hw_min, 1},
	{"ets", fc_autoets_fit, fc_ets_model_forecast, fc_autoets_min, 1},
	{"ets_weighted", fc_ets_weighted_fit, fc_ets_weighted_forecast,
	 fc_autoets_min, 1},
	{"theta", fc_theta_fit, fc_theta_forecast, fc_theta_min, 1},
	{"croston", fc_croston_fit, fc_croston_forecast, fc_croston_min, 0},
	{"tsb", fc_tsb_fit, fc_tsb_forecast, fc_croston_min, 0},
	{"dotm", fc_dotm_fit, fc_dotm_forecast, fc_dotm_min, 1},
	{"mstl", fc_mstl_fit, fc_mstl_forecast, fc_mstl_min, 1},
	{"ensemble", fc_ensemble_fit, fc_ensemble_forecast, fc_ensemble_min, 1},
	{"regression", fc_regression_fit, fc_regression_forecast,
	 fc_regression_min, 1},
	{"arima", fc_arima_fit, fc_arima_forecast, fc_arima_min, 1},
	{"ces", fc_ces_fit, fc_ces_forecast, fc_ces_min, 1},
	{"auto", fc_auto_fit, fc_auto_forecast, fc_auto_min, 1},
	{"arimax", fc_arimax_fit, fc_arimax_forecast, fc_arima_min, 1},
};

#define NMODELS (sizeof models / sizeof models[0])

const fc_model_def *
fc_model_list(size_t *count)
{
	*count = NMODELS;
	return models;
}

/* Models with feature columns, by name. */
static const struct {
	const char *name;
	fc_xmodel_def x;
} xmodels[] = {
	{"regression", {fc_regression_xfit, fc_regression_xforecast,
			fc_regression_ncols, fc_regression_covar, NULL,
			fc_regression_coef}},
	{"arimax", {fc_arimax_xfit, fc_arimax_xforecast, fc_arimax_ncols,
		    fc_arimax_covar, fc_arimax_xfit_m, fc_arimax_coef}},
};

const fc_xmodel_def *
fc_model_x(const fc_model_def *def)
{
	size_t i;

	for (i = 0; def && i < sizeof xmodels / sizeof xmodels[0]; i++)
		if (strcmp(xmodels[i].name, def->name) == 0)
			return &xmodels[i].x;
	return NULL;
}

const fc_model_def *
fc_model_find(const char *name)
{
	size_t i;

	for (i = 0; i < NMODELS; i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

fc_fit *
fc_fit_new(const fc_model_def *def, size_t npar, size_t nstate)
{
	fc_fit *f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->def = def;
	f->npar = npar;
	f->nstate = nstate;
	f->par = calloc(npar ? npar : 1, sizeof *f->par);
	f->state = calloc(nstate ? nstate : 1, sizeof *f->state);
	if (f->par == NULL || f->state == NULL) {
		fc_fit_free(f);
		return NULL;
	}
	f->sigma2 = f->loglik = f->aicc = NAN;
	f->intervals = def ? def->intervals : 0;
	return f;
}

void
fc_fit_set_param(fc_fit *fit, size_t i, const char *name, double value)
{
	snprintf(fit->par[i].name, sizeof fit->par[i].name, "%s", name);
	fit->par[i].value = value;
}

void
fc_fit_free(fc_fit *fit)
{
	size_t i;

	if (fit == NULL)
		return;
	for (i = 0; i < fit->nmember; i++)
		fc_fit_free(fit->member[i]);
	free(fit->member);
	free(fit->par);
	free(fit->state);
	free(fit->fitted);
	free(fit->resid);
	free(fit);
}

double
fc_fit_param(const fc_fit *fit, const char *name)
{
	size_t i;

	for (i = 0; i < fit->npar; i++)
		if (strcmp(fit->par[i].name, name) == 0)
			return fit->par[i].value;
	return NAN;
}

int
fc_model_fit(const fc_model_def *def, const double *y, size_t n, int m,
	     fc_fit **fit, fc_err *err)
{
	size_t i, need;
	int rc;

	*fit = NULL;
	if (m < 1)
		m = 1;
	for (i = 0; i < n; i++)
		if (!isfinite(y[i]))
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model '%s': value %zu of the series "
					  "is not a finite number",
					  def->name, i + 1);
	need = def->min_length(m);
	if (n < need)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model '%s': series of %zu values is too "
				  "short, %zu needed for season length %d",
				  def->name, n, need, m);
	gsl_set_error_handler_off();
	rc = def->fit(y, n, m, fit, err);
	if (rc != 0) {
		fc_fit_free(*fit);
		*fit = NULL;
		return rc;
	}
	/* a fit that names its model keeps it (auto hands back the fit of
	 * the model it chose) */
	if ((*fit)->def == NULL)
		(*fit)->def = def;
	(*fit)->m = m;
	(*fit)->n = n;
	return 0;
}

/* lo and hi from mean, sd and df at each level. */
static void
bounds(const fc_fit *fit, size_t h, const double *levels, size_t nlevels,
       const double *mean, const double *sd, double df, double *lo,
       double *hi)
{
	size_t i, j;
	double q;

	for (i = 0; i < nlevels; i++) {
		double p = 0.5 + levels[i] / 200;

		q = df > 0 ? gsl_cdf_tdist_Pinv(p, df) : gsl_cdf_ugaussian_Pinv(p);
		for (j = 0; j < h; j++) {
			if (!fit->intervals || !isfinite(sd[j])) {
				lo[i * h + j] = hi[i * h + j] = NAN;
				continue;
			}
			lo[i * h + j] = mean[j] - q * sd[j];
			hi[i * h + j] = mean[j] + q * sd[j];
		}
	}
}

static int
check_levels(const double *levels, size_t nlevels, fc_err *err)
{
	size_t i;

	for (i = 0; i < nlevels; i++)
		if (!(levels[i] > 0 && levels[i] < 100))
			return fc_err_set(err, FC_EX_USAGE, NULL, 0,
					  "level '%g' is not between 0 and "
					  "100",
					  levels[i]);
	return 0;
}

/* Call the model's forecast (xf NULL: univariate) and set the bounds. */
static int
forecast_any(const fc_fit *fit, const double *xf, size_t h,
	     const double *levels, size_t nlevels, double *mean, double *lo,
	     double *hi, fc_err *err)
{
	double *sd, df = 0;
	size_t j;
	int rc;

	if ((rc = check_levels(levels, nlevels, err)) != 0)
		return rc;
	if (h == 0)
		return 0;
	if ((sd = malloc(h * sizeof *sd)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	gsl_set_error_handler_off();
	for (j = 0; j < h; j++)
		sd[j] = NAN;
	if (xf != NULL)
		rc = fc_model_x(fit->def)->forecast(fit, xf, h, mean, sd, &df, err);
	else
		rc = fit->def->forecast(fit, h, mean, sd, &df, err);
	if (rc == 0)
		bounds(fit, h, levels, nlevels, mean, sd, df, lo, hi);
	free(sd);
	return rc;
}

int
fc_model_forecast(const fc_fit *fit, size_t h, const double *levels,
		  size_t nlevels, double *mean, double *lo, double *hi,
		  fc_err *err)
{
	return forecast_any(fit, NULL, h, levels, nlevels, mean, lo, hi, err);
}

int
fc_model_xfit(const fc_model_def *def, const double *y, const double *x,
	      size_t n, size_t p, double ridge, fc_fit **fit, fc_err *err)
{
	return fc_model_xfit_m(def, y, x, n, p, 1, ridge, fit, err);
}

int
fc_model_xfit_m(const fc_model_def *def, const double *y, const double *x,
		size_t n, size_t p, int m, double ridge, fc_fit **fit,
		fc_err *err)
{
	const fc_xmodel_def *xd = fc_model_x(def);
	size_t i;
	int rc;

	*fit = NULL;
	if (fc_model_x(def) == NULL)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model '%s' takes no feature columns",
				  def->name);
	for (i = 0; i < n; i++)
		if (!isfinite(y[i]))
			return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
					  "model '%s': value %zu of the series "
					  "is not a finite number",
					  def->name, i + 1);
	gsl_set_error_handler_off();
	if (m < 1 || xd->fit_m == NULL)
		m = 1;
	if ((rc = xd->fit_m ? xd->fit_m(y, x, n, p, m, ridge, fit, err) :
		  xd->fit(y, x, n, p, ridge, fit, err)) != 0) {
		fc_fit_free(*fit);
		*fit = NULL;
		return rc;
	}
	(*fit)->def = def;
	(*fit)->m = m;
	(*fit)->n = n;
	return 0;
}

int
fc_model_xforecast(const fc_fit *fit, const double *xf, size_t h,
		   const double *levels, size_t nlevels, double *mean,
		   double *lo, double *hi, fc_err *err)
{
	if (fc_model_x(fit->def) == NULL)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model '%s' takes no feature columns",
				  fit->def->name);
	return forecast_any(fit, xf, h, levels, nlevels, mean, lo, hi, err);
}

/* JSON */

/*
 * cJSON prints a double with 15 digits when that reads back within an
 * epsilon, not exactly; write the shortest text that reads back to the
 * same double instead.
 */
static cJSON *
exact_number(double x)
{
	char buf[64];

	fc_num_format(x, buf);
	return cJSON_CreateRaw(buf);
}

static cJSON *
num_json(double x)
{
	if (isnan(x))
		return cJSON_CreateString("nan");
	if (isinf(x))
		return cJSON_CreateString(x > 0 ? "inf" : "-inf");
	return exact_number(x);
}

/* Read a number written by num_json, parsed or not; 0 or -1 when item is
 * no such value. */
static int
num_read(const cJSON *item, double *x)
{
	const char *s;

	char *end;

	if (cJSON_IsNumber(item)) {
		*x = item->valuedouble;
		return 0;
	}
	if (cJSON_IsRaw(item)) { /* not parsed: as fc_fit_to_json made it */
		*x = strtod(item->valuestring, &end);
		return *end == '\0' && end != item->valuestring ? 0 : -1;
	}
	if (!cJSON_IsString(item))
		return -1;
	s = item->valuestring;
	if (strcmp(s, "nan") == 0)
		*x = NAN;
	else if (strcmp(s, "inf") == 0)
		*x = INFINITY;
	else if (strcmp(s, "-inf") == 0)
		*x = -INFINITY;
	else
		return -1;
	return 0;
}

static cJSON *
array_json(const double *x, size_t n)
{
	cJSON *a;
	size_t i;

	if ((a = cJSON_CreateArray()) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!cJSON_AddItemToArray(a, num_json(x[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static int
add(cJSON *o, const char *name, cJSON *item)
{
	if (item == NULL)
		return -1;
	if (!cJSON_AddItemToObject(o, name, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

cJSON *
fc_fit_to_json(const fc_fit *fit)
{
	cJSON *o, *p;
	size_t i;
	int bad = 0;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	bad |= add(o, "model", cJSON_CreateString(fit->def->name));
	if (fit->form[0] != '\0')
		bad |= add(o, "form", cJSON_CreateString(fit->form));
	bad |= add(o, "season_length", cJSON_CreateNumber(fit->m));
	bad |= add(o, "n", cJSON_CreateNumber((double)fit->n));
	bad |= add(o, "sigma2", num_json(fit->sigma2));
	bad |= add(o, "loglik", num_json(fit->loglik));
	bad |= add(o, "aicc", num_json(fit->aicc));
	bad |= add(o, "intervals", cJSON_CreateBool(fit->intervals));
	if ((p = cJSON_CreateObject()) != NULL)
		for (i = 0; i < fit->npar; i++)
			bad |= add(p, fit->par[i].name,
				   num_json(fit->par[i].value));
	bad |= add(o, "params", p);
	bad |= add(o, "state", array_json(fit->state, fit->nstate));
	if (fit->resid != NULL)
		bad |= add(o, "residuals", array_json(fit->resid, fit->n));
	if (fit->nmember > 0) {
		cJSON *a = cJSON_CreateArray();

		for (i = 0; a && i < fit->nmember; i++) {
			cJSON *mj = fc_fit_to_json(fit->member[i]);

			if (mj == NULL || !cJSON_AddItemToArray(a, mj)) {
				cJSON_Delete(mj);
				bad = 1;
			}
		}
		bad |= add(o, "members", a);
	}
	if (bad) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int
bad_member(fc_err *err, const char *name)
{
	return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
			  "model json: member '%s' missing or invalid", name);
}

/* Read the number member `name` of o into *x; 0 or -1. */
static int
member_num(const cJSON *o, const char *name, double *x)
{
	return num_read(cJSON_GetObjectItemCaseSensitive(o, name), x);
}

/* Read the array `name` of o into a new array *x of *n values. */
static int
member_array(const cJSON *o, const char *name, double **x, size_t *n)
{
	const cJSON *a, *it;
	size_t i = 0;

	a = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsArray(a))
		return -1;
	*n = (size_t)cJSON_GetArraySize(a);
	if ((*x = calloc(*n ? *n : 1, sizeof **x)) == NULL)
		return -1;
	cJSON_ArrayForEach(it, a) if (num_read(it, &(*x)[i++]) != 0) return -1;
	return 0;
}

static int
read_params(const cJSON *o, fc_fit *f)
{
	const cJSON *p, *it;
	size_t i = 0;

	p = cJSON_GetObjectItemCaseSensitive(o, "params");
	if (!cJSON_IsObject(p))
		return -1;
	f->npar = (size_t)cJSON_GetArraySize(p);
	free(f->par);
	if ((f->par = calloc(f->npar ? f->npar : 1, sizeof *f->par)) == NULL)
		return -1;
	cJSON_ArrayForEach(it, p)
	{
		if (strlen(it->string) >= sizeof f->par[i].name ||
		    num_read(it, &f->par[i].value) != 0)
			return -1;
		snprintf(f->par[i].name, sizeof f->par[i].name, "%s",
			 it->string);
		i++;
	}
	return 0;
}

/* An ets_weighted's parameters: one weight a member, each finite and at
 * least 0, summing to 1. */
static int
check_weights(const fc_fit *f, fc_err *err)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < f->npar; i++) {
		if (!(f->par[i].value >= 0) || !isfinite(f->par[i].value))
			return bad_member(err, "params");
		sum += f->par[i].value;
	}
	return fabs(sum - 1) <= 1e-9 ? 0 : bad_member(err, "params");
}

/* An ensemble's "members": each a fit of its own (an mstl among them
 * with its own); an ets_weighted's, ets fits and one weight for each;
 * none for the others. No deeper: an ensemble holds no ensemble, an
 * mstl no ensemble or mstl, an ets_weighted nothing but ets fits. */
static int
read_members(const cJSON *obj, fc_fit *f, fc_err *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, "members"), *it;
	int n, rc, weighted = strcmp(f->def->name, "ets_weighted") == 0;

	if (strcmp(f->def->name, "ensemble") != 0 &&
	    strcmp(f->def->name, "mstl") != 0 && !weighted)
		return a ? bad_member(err, "members") : 0;
	if (!cJSON_IsArray(a) || (n = cJSON_GetArraySize(a)) < 1 ||
	    n > (weighted ? FC_ETS_FORMS : FC_ENSEMBLE_MAX) ||
	    (weighted && (size_t)n != f->npar))
		return bad_member(err, "members");
	if ((f->member = calloc((size_t)n, sizeof(fc_fit *))) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	cJSON_ArrayForEach(it, a)
	{
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(it, "model");

		if (cJSON_IsString(nm) &&
		    (strcmp(nm->valuestring, "ensemble") == 0 ||
		     (strcmp(nm->valuestring, "mstl") == 0 &&
		      strcmp(f->def->name, "mstl") == 0) ||
		     (weighted && strcmp(nm->valuestring, "ets") != 0)))
			return bad_member(err, "members");
		if ((rc = fc_fit_from_json(it, &f->member[f->nmember],
					   err)) != 0)
			return rc;
		f->nmember++;
	}
	return weighted ? check_weights(f, err) : 0;
}

int
fc_fit_from_json(const cJSON *obj, fc_fit **fit, fc_err *err)
{
	const cJSON *name, *iv, *form;
	const fc_model_def *def;
	fc_fit *f;
	double m = 0, n = 0;
	size_t nres;
	int rc = 0;

	*fit = NULL;
	name = cJSON_GetObjectItemCaseSensitive(obj, "model");
	if (!cJSON_IsString(name))
		return bad_member(err, "model");
	if ((def = fc_model_find(name->valuestring)) == NULL)
		return fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				  "model json: unknown model '%s'",
				  name->valuestring);
	if ((f = fc_fit_new(def, 0, 0)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	iv = cJSON_GetObjectItemCaseSensitive(obj, "intervals");
	form = cJSON_GetObjectItemCaseSensitive(obj, "form");
	if (form != NULL && (!cJSON_IsString(form) ||
			     strlen(form->valuestring) >= sizeof f->form))
		rc = bad_member(err, "form");
	else if (member_num(obj, "season_length", &m) != 0 || !(m >= 1) ||
	    m != floor(m) || m > 100000)
		rc = bad_member(err, "season_length");
	else if (member_num(obj, "n", &n) != 0 || !(n >= 0) || n != floor(n))
		rc = bad_member(err, "n");
	else if (member_num(obj, "sigma2", &f->sigma2) != 0)
		rc = bad_member(err, "sigma2");
	else if (member_num(obj, "loglik", &f->loglik) != 0)
		rc = bad_member(err, "loglik");
	else if (member_num(obj, "aicc", &f->aicc) != 0)
		rc = bad_member(err, "aicc");
	else if (!cJSON_IsBool(iv))
		rc = bad_member(err, "intervals");
	else if (read_params(obj, f) != 0)
		rc = bad_member(err, "params");
	else if (free(f->state), f->state = NULL,
		 member_array(obj, "state", &f->state, &f->nstate) != 0)
		rc = bad_member(err, "state");
	else if (cJSON_GetObjectItemCaseSensitive(obj, "residuals") &&
		 (member_array(obj, "residuals", &f->resid, &nres) != 0 ||
		  nres != (size_t)n))
		rc = bad_member(err, "residuals");
	if (rc == 0)
		rc = read_members(obj, f, err);
	if (rc != 0) {
		fc_fit_free(f);
		return rc;
	}
	if (form != NULL)
		snprintf(f->form, sizeof f->form, "%s", form->valuestring);
	f->m = (int)m;
	f->n = (size_t)n;
	f->intervals = cJSON_IsTrue(iv) && def->intervals;
	*fit = f;
	return 0;
}
