/* ensemble - a combination of models: the median or mean of their forecasts
 *
 * The members are fitted to the same series, each as it would be alone; a
 * member that cannot take the series (too short, values it cannot model)
 * is left out. The forecast at each step is the median (or mean) of the
 * members' means, and the standard deviation of its error the median (or
 * mean) of theirs, so the intervals are those of a typical member centred
 * on the combined forecast; they exist only when every member has them.
 * The fit keeps the members' fits, so a model file holds all of them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/impl.h"

static struct {
	const fc_model_def *member[FC_ENSEMBLE_MAX];
	size_t n;
	int median;
	int set;
} conf;

/* The default members: see fc-config(5), train.ensemble.members. */
static const char *const default_members[] = { "ets_weighted", "theta",
						 "dotm" };

static void
configure_default(void)
{
	size_t i;

	if (conf.set)
		return;
	conf.n = 0;
	for (i = 0; i < sizeof default_members / sizeof *default_members; i++)
		if ((conf.member[conf.n] = fc_model_find(default_members[i])))
			conf.n++;
	conf.median = 0;
	conf.set = 1;
}

int
fc_ensemble_configure(const char *const *names, size_t n, int median,
		      fc_err *err)
{
	size_t i;

	if (n == 0 || n > FC_ENSEMBLE_MAX)
		return fc_err_set(err, FC_EX_CONFIG, NULL, 0,
				  "key 'train.ensemble.members': 1 to %d "
				  "models", FC_ENSEMBLE_MAX);
	for (i = 0; i < n; i++) {
		const fc_model_def *d = fc_model_find(names[i]);

		if (d == NULL || strcmp(d->name, "ensemble") == 0 ||
		    strcmp(d->name, "auto") == 0)
			return fc_err_set(err, FC_EX_CONFIG, NULL, 0,
					  "key 'train.ensemble.members': "
					  "'%s' cannot be a member",
					  names[i]);
		if (fc_model_x(d) != NULL)
			return fc_err_set(err, FC_EX_CONFIG, NULL, 0,
					  "key 'train.ensemble.members': "
					  "'%s' cannot be a member (it needs "
					  "feature columns)", names[i]);
		conf.member[i] = d;
	}
	conf.n = n;
	conf.median = median;
	conf.set = 1;
	return 0;
}

/* The median or mean of x[0..n), n >= 1; x is reordered. NaN when any
 * value is NaN. */
static double
combine(double *x, size_t n, int median)
{
	size_t i, j;
	double s = 0, t;

	for (i = 0; i < n; i++)
		if (isnan(x[i]))
			return NAN;
	if (!median) {
		for (i = 0; i < n; i++)
			s += x[i];
		return s / (double)n;
	}
	for (i = 1; i < n; i++) /* n is small: insertion sort */
		for (j = i; j > 0 && x[j - 1] > x[j]; j--) {
			t = x[j];
			x[j] = x[j - 1];
			x[j - 1] = t;
		}
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

size_t
fc_ensemble_min(int m)
{
	size_t i, need = (size_t)-1, k;

	configure_default();
	for (i = 0; i < conf.n; i++)
		if ((k = conf.member[i]->min_length(m)) < need)
			need = k;
	return need == (size_t)-1 ? 1 : need;
}

int
fc_ensemble_of(fc_fit **members, size_t k, int median, const double *y,
	       size_t n, fc_fit **fit, fc_err *err)
{
	fc_fit *f;
	double *fitted = NULL, v[FC_ENSEMBLE_MAX];
	size_t i, t;
	int rc = 0, all_iv = 1;

	if ((f = fc_fit_alloc(fc_model_find("ensemble"), 0, 0, err)) == NULL ||
	    (f->member = calloc(k ? k : 1, sizeof(fc_fit *))) == NULL) {
		for (i = 0; i < k; i++)
			fc_fit_free(members[i]);
		fc_fit_free(f);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	for (i = 0; i < k; i++) {
		f->member[f->nmember++] = members[i];
		all_iv &= members[i]->intervals;
	}
	if (k == 0 || k > FC_ENSEMBLE_MAX) {
		rc = k ? fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				    "model 'ensemble': %zu members", k) :
			 fc_err_set(err, FC_EX_DATAERR, NULL, 0,
				    "model 'ensemble': no member fits a "
				    "series of %zu values", n);
		goto out;
	}
	snprintf(f->form, sizeof f->form, "%s", median ? "median" : "mean");
	if ((fitted = malloc((n ? n : 1) * sizeof *fitted)) == NULL)
		goto oom;
	for (t = 0; t < n; t++) {
		for (i = 0; i < k; i++)
			v[i] = members[i]->fitted ? members[i]->fitted[t] : NAN;
		fitted[t] = combine(v, k, median);
	}
	if (fc_fit_keep(f, y, fitted, n) != 0)
		goto oom;
	f->intervals = all_iv;
	f->sigma2 = fc_resid_ms(f->resid, n);
	goto out;
oom:
	rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
out:
	free(fitted);
	if (rc != 0) {
		fc_fit_free(f);
		return rc;
	}
	*fit = f;
	return 0;
}

int
fc_ensemble_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	fc_fit *mf[FC_ENSEMBLE_MAX];
	size_t i, k = 0;
	fc_err skip;

	configure_default();
	for (i = 0; i < conf.n; i++) {
		memset(&skip, 0, sizeof skip);
		if (fc_model_fit(conf.member[i], y, n, m, &mf[k], &skip) == 0)
			k++;
	}
	return fc_ensemble_of(mf, k, conf.median, y, n, fit, err);
}

int
fc_ensemble_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		     double *df, fc_err *err)
{
	double *mm, *ss, v[FC_ENSEMBLE_MAX], dfk;
	size_t k, j;
	int rc = 0, med = strcmp(fit->form, "median") == 0;

	*df = 0;
	if (fit->nmember == 0 || fit->nmember > FC_ENSEMBLE_MAX)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'ensemble': %zu members",
				  fit->nmember);
	mm = malloc(fit->nmember * h * sizeof *mm);
	ss = malloc(fit->nmember * h * sizeof *ss);
	if (mm == NULL || ss == NULL) {
		rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	for (k = 0; k < fit->nmember && rc == 0; k++) {
		const fc_fit *g = fit->member[k];

		for (j = 0; j < h; j++)
			ss[k * h + j] = NAN;
		rc = g->def->forecast(g, h, mm + k * h, ss + k * h, &dfk, err);
		if (!g->intervals)
			for (j = 0; j < h; j++)
				ss[k * h + j] = NAN;
	}
	for (j = 0; rc == 0 && j < h; j++) {
		for (k = 0; k < fit->nmember; k++)
			v[k] = mm[k * h + j];
		mean[j] = combine(v, fit->nmember, med);
		for (k = 0; k < fit->nmember; k++)
			v[k] = ss[k * h + j];
		sd[j] = combine(v, fit->nmember, med);
	}
out:
	free(mm);
	free(ss);
	return rc;
}
