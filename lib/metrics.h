/* metrics - forecast accuracy measures: mase, smape, mae, rmse */
#ifndef FC_METRICS_H
#define FC_METRICS_H

#include <stddef.h>

typedef enum { FC_METRIC_MASE, FC_METRIC_SMAPE, FC_METRIC_MAE,
	       FC_METRIC_RMSE } fc_metric;

/* The metric called name ("mase" ...), or -1. */
int fc_metric_parse(const char *name);

/* The name of metric m. */
const char *fc_metric_name(fc_metric m);

/*
 * The in-sample scale of MASE: the mean absolute difference of x[0..n) at
 * lag m, or at lag 1 when n <= m. NaN when n < 2.
 */
double fc_mase_scale(const double *x, size_t n, int m);

/*
 * Score forecasts f[0..h) of actuals y[0..h). For MASE, train[0..ntrain)
 * is the series before the forecast origin and m its season length; the
 * other metrics ignore them. sMAPE is in percent, 200|y-f|/(|y|+|f|) per
 * step, a step where both are 0 counting as 0. A zero MASE scale gives 0
 * when every error is 0, else infinity. NaN when h is 0.
 */
double fc_metric_score(fc_metric metric, const double *y, const double *f,
		       size_t h, const double *train, size_t ntrain, int m);

#endif
