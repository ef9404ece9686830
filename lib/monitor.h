/* monitor - drift and accuracy report of current data against a reference */
#ifndef FC_MONITOR_H
#define FC_MONITOR_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"

/* Status levels, in order: a report's status is the worst of its parts. */
enum { FC_MON_OK, FC_MON_WARN, FC_MON_ALERT };

/* "ok", "warn", "alert"; "none" for -1. */
const char *fc_monitor_level_name(int level);

/* The level called name ("none" is -1), or -2 when it is none of them. */
int fc_monitor_level_parse(const char *name);

/* What to compare. Streams are the caller's and are not closed. */
typedef struct fc_monitor_in {
	FILE *ref, *cur;         /* the reference and current tables */
	const char *ref_name, *cur_name;
	FILE *forecast;          /* NULL: no accuracy section */
	const char *forecast_name;
	const cJSON *model;      /* NULL: no cross-validation comparison */
	const char *model_name;
} fc_monitor_in;

/*
 * Compare the current table with the reference as the config's schema and
 * monitor blocks say (see fc-drift(1)): a drift test and the PSI of every
 * column but the id and the time, the dataset's drift, the target's, and
 * with a forecast the accuracy of its forecasts on the current actuals,
 * against the model file's cross-validation scores when there is one.
 * On success *report is the report (the caller frees it with cJSON_Delete),
 * *level its status, and 0 is returned; otherwise *report is NULL and the
 * status is returned with err filled: 65 bad data (an empty file, a
 * missing column, a non-number in a numeric column, a forecast file
 * without yhat), 74, 70.
 */
int fc_monitor(const fc_config *cfg, const fc_monitor_in *in,
	       cJSON **report, int *level, fc_err *err);

/* What fc_monitor_split wrote. */
typedef struct fc_split_stats {
	unsigned long long rows, ref_rows, cur_rows, dropped, series;
} fc_split_stats;

/*
 * Split the long table `in` (sorted by id, then time, as layers are) per
 * series: the rows with a target form the history, whose last `current`
 * rows go to cur and the `reference` rows before them to ref (0: all of
 * them); rows with an empty target (the horizon) are dropped. Both
 * outputs get the header. 0, or 65 (unsorted input, a missing column),
 * 74, 70 with err filled.
 */
int fc_monitor_split(const fc_config *cfg, FILE *in, const char *name,
		     long current, long reference, FILE *ref, FILE *cur,
		     fc_split_stats *st, fc_err *err);

#endif
