/* figures - the run's pictures: forecasts, accuracy, drift, one HTML page */
#ifndef FC_FIGURES_H
#define FC_FIGURES_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"

/*
 * Write the figures of a run report into dir (which must exist):
 * forecast_ID.svg for the report.figures.max_series series of largest
 * mean absolute target (history from the cleansed layer the report names,
 * forecast and interval bands from its forecast), cv_accuracy.svg (the
 * mean cross-validation score of every candidate model, and how often it
 * was chosen), drift.svg when the monitoring file lists columns, and
 * index.html, one page holding every figure inline with the report's key
 * numbers. Every file is written atomically; forecast figures of series
 * no longer drawn are removed. On success *svgs holds the paths of the
 * SVG files written (*nsvgs of them; free each and the array) and 0 is
 * returned; a malformed layer fails with FC_EX_DATAERR, an unwritable dir
 * with FC_EX_CANTCREAT.
 */
int fc_figures_write(const fc_config *cfg, const cJSON *report,
		     const char *dir, char ***svgs, size_t *nsvgs,
		     fc_err *err);

#endif
