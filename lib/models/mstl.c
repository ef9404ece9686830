/* mstl - forecasting after a decomposition by one or more STL seasons
 *
 * As R's forecast::mstl and stlf: the seasonal periods (train.mstl.periods,
 * else the schema's season length) are taken in increasing order, those
 * of two periods or more of data kept; each is estimated by STL on the
 * series less the other seasons (s.window 11, 15, 19 ... for the first,
 * second, third period; twice round when there are several). The
 * seasonally adjusted series is forecast by a non-seasonal model
 * (train.mstl.model), and each season continues as its last period
 * repeats; the intervals are the model's, moved by the seasons.
 *
 * The fit has the adjusted series' model as its one member; state = {k,
 * the k periods, then the last period of values of each season}.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/impl.h"

#define MAXP 8

static struct {
	int period[MAXP];
	size_t np;
	const fc_model_def *model;
	int set;
} conf;

static void
configure_default(void)
{
	if (conf.set)
		return;
	conf.np = 0;
	conf.model = fc_model_find("ses");
	conf.set = 1;
}

int
fc_mstl_configure(const long *periods, size_t np, const char *model,
		  fc_err *err)
{
	const fc_model_def *d = fc_model_find(model);
	size_t i;

	if (d == NULL || strcmp(model, "mstl") == 0 ||
	    strcmp(model, "ensemble") == 0 || strcmp(model, "auto") == 0 ||
	    fc_model_x(d) != NULL)
		return fc_err_set(err, FC_EX_CONFIG, NULL, 0,
				  "key 'train.mstl.model': '%s' cannot "
				  "forecast the adjusted series", model);
	if (np > MAXP)
		return fc_err_set(err, FC_EX_CONFIG, NULL, 0,
				  "key 'train.mstl.periods': more than %d "
				  "periods", MAXP);
	for (i = 0; i < np; i++) {
		if (periods[i] < 2 || periods[i] > 100000)
			return fc_err_set(err, FC_EX_CONFIG, NULL, 0,
					  "key 'train.mstl.periods': %ld is "
					  "not a period of 2 or more",
					  periods[i]);
		conf.period[i] = (int)periods[i];
	}
	conf.np = np;
	conf.model = d;
	conf.set = 1;
	return 0;
}

size_t
fc_mstl_min(int m)
{
	(void)m;
	configure_default();
	return conf.model->min_length(1);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* mstl with the periods per[0..np) (sorted here; np <= MAXP). */
static int
mstl_fit(const double *y, size_t n, int *per, size_t np, fc_fit **fit,
	 fc_err *err)
{
	size_t i, t, it, iterate, nstate = 1, off;
	double *seas = NULL, *deseas = NULL, *trend = NULL, *tmp = NULL;
	fc_fit *f = NULL, *inner = NULL;
	int rc = 0;

	qsort(per, np, sizeof *per, cmp_int);
	for (i = t = 0; i < np; i++) /* two full periods at least */
		if ((double)per[i] < (double)n / 2 && (t == 0 ||
						       per[i] != per[t - 1]))
			per[t++] = per[i];
	np = t;
	iterate = np > 1 ? 2 : 1;
	seas = calloc(np * n + 1, sizeof *seas);
	deseas = malloc((n + 1) * sizeof *deseas);
	trend = malloc((n + 1) * sizeof *trend);
	tmp = malloc((n + 1) * sizeof *tmp);
	if (seas == NULL || deseas == NULL || trend == NULL || tmp == NULL)
		goto oom;
	memcpy(deseas, y, n * sizeof *y);
	for (it = 0; it < iterate; it++)
		for (i = 0; i < np; i++) {
			double *s = seas + i * n;

			for (t = 0; t < n; t++)
				deseas[t] += s[t];
			if (fc_stl(deseas, n, per[i], 7 + 4 * (int)(i + 1), s,
				   trend) != 0)
				goto oom;
			for (t = 0; t < n; t++)
				deseas[t] -= s[t];
		}
	if ((rc = fc_model_fit(conf.model, deseas, n, 1, &inner, err)) != 0)
		goto out;
	for (i = 0; i < np; i++)
		nstate += 1 + (size_t)per[i];
	if ((f = fc_fit_alloc(NULL, 0, nstate, err)) == NULL ||
	    (f->member = calloc(1, sizeof(fc_fit *))) == NULL)
		goto oom;
	f->member[0] = inner;
	f->nmember = 1;
	inner = NULL;
	f->state[0] = (double)np;
	off = 1 + np;
	for (i = 0; i < np; i++) {
		f->state[1 + i] = per[i];
		memcpy(f->state + off, seas + i * n + (n - (size_t)per[i]),
		       (size_t)per[i] * sizeof *seas);
		off += (size_t)per[i];
	}
	snprintf(f->form, sizeof f->form, "%s", f->member[0]->def->name);
	for (t = 0; t < n; t++) {
		tmp[t] = f->member[0]->fitted ? f->member[0]->fitted[t] : NAN;
		for (i = 0; i < np; i++)
			tmp[t] += seas[i * n + t];
	}
	if (fc_fit_keep(f, y, tmp, n) != 0)
		goto oom;
	f->sigma2 = f->member[0]->sigma2;
	f->loglik = f->member[0]->loglik;
	f->aicc = f->member[0]->aicc;
	f->intervals = f->member[0]->intervals;
	goto out;
oom:
	rc = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
out:
	fc_fit_free(inner);
	free(seas);
	free(deseas);
	free(trend);
	free(tmp);
	if (rc != 0) {
		fc_fit_free(f);
		return rc;
	}
	*fit = f;
	return 0;
}

int
fc_mstl_fit(const double *y, size_t n, int m, fc_fit **fit, fc_err *err)
{
	int per[MAXP];
	size_t np = 0, i;

	configure_default();
	if (conf.np > 0)
		for (i = 0; i < conf.np; i++)
			per[np++] = conf.period[i];
	else if (m > 1)
		per[np++] = m;
	return mstl_fit(y, n, per, np, fit, err);
}

int
fc_mstl_fit_periods(const double *y, size_t n, int m, const int *periods,
		    size_t np, fc_fit **fit, fc_err *err)
{
	int per[MAXP];
	size_t i;

	configure_default();
	if (conf.np > 0 || np > MAXP)
		return fc_mstl_fit(y, n, m, fit, err);
	for (i = 0; i < np; i++)
		per[i] = periods[i];
	return mstl_fit(y, n, per, np, fit, err);
}

int
fc_mstl_forecast(const fc_fit *fit, size_t h, double *mean, double *sd,
		 double *df, fc_err *err)
{
	const fc_fit *in;
	size_t np, i, j, off, p, need;
	int rc;

	if (fit->nmember != 1 || fit->nstate < 1)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'mstl': bad fit");
	np = (size_t)fit->state[0];
	need = 1 + np;
	for (i = 0; i < np && need <= fit->nstate; i++)
		need += (size_t)fit->state[1 + i];
	if (np > MAXP || need != fit->nstate)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "model 'mstl': bad state");
	in = fit->member[0];
	rc = in->def->forecast(in, h, mean, sd, df, err);
	if (rc != 0)
		return rc;
	if (!in->intervals)
		for (j = 0; j < h; j++)
			sd[j] = NAN;
	off = 1 + np;
	for (i = 0; i < np; i++) {
		p = (size_t)fit->state[1 + i];
		for (j = 0; j < h; j++)
			mean[j] += fit->state[off + j % p];
		off += p;
	}
	return 0;
}
