/* metrics - forecast accuracy measures: mase, smape, mae, rmse */
#include <math.h>
#include <string.h>

#include "metrics.h"

static const char *const names[] = { "mase", "smape", "mae", "rmse" };

int
fc_metric_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
fc_metric_name(fc_metric m)
{
	return names[m];
}

double
fc_mase_scale(const double *x, size_t n, int m)
{
	size_t lag = m > 1 && n > (size_t)m ? (size_t)m : 1, i;
	double s = 0;

	if (n < 2)
		return NAN;
	for (i = lag; i < n; i++)
		s += fabs(x[i] - x[i - lag]);
	return s / (double)(n - lag);
}

double
fc_metric_score(fc_metric metric, const double *y, const double *f,
		size_t h, const double *train, size_t ntrain, int m)
{
	double s = 0, d, scale;
	size_t j;

	if (h == 0)
		return NAN;
	for (j = 0; j < h; j++) {
		d = fabs(y[j] - f[j]);
		switch (metric) {
		case FC_METRIC_SMAPE:
			s += d == 0 ? 0 : 200 * d / (fabs(y[j]) + fabs(f[j]));
			break;
		case FC_METRIC_RMSE:
			s += d * d;
			break;
		default:
			s += d;
		}
	}
	s /= (double)h;
	if (metric == FC_METRIC_RMSE)
		return sqrt(s);
	if (metric != FC_METRIC_MASE)
		return s;
	scale = fc_mase_scale(train, ntrain, m);
	if (scale == 0)
		return s == 0 ? 0 : INFINITY;
	return s / scale;
}
