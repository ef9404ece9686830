/* report - the run report: every layer, the models, the forecast, timings */
#ifndef FC_REPORT_H
#define FC_REPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"

/*
 * A run report is one JSON object (format "fc-report", format_version 1)
 * built from what the pipeline left on disk: the layer files the config's
 * paths name, their sidecars, the model file, the forecast, and the
 * simulation and monitoring files when they exist. Objects returned here
 * belong to the caller (cJSON_Delete); inputs are never modified.
 */

/* What the caller knows that the files do not. */
typedef struct fc_report_opts {
	const char *commit;     /* the project's git commit, or NULL */
	int dirty;              /* 1 uncommitted changes, 0 none, -1 unknown */
	const cJSON *previous;  /* the report this run follows, or NULL */
} fc_report_opts;

/*
 * Build the report of the layers named by cfg. A layer file that is
 * missing is recorded as not run; a sidecar, model file, simulation or
 * monitoring file that is not JSON, or a forecast that is not a CSV of
 * the forecast's columns, fails with FC_EX_DATAERR naming the file. A
 * layer "ran" in this run when its sidecar differs from the one the
 * previous report recorded. On success *out owns the report and 0 is
 * returned.
 */
int fc_report_build(const fc_config *cfg, const fc_report_opts *o,
		    cJSON **out, fc_err *err);

/*
 * The run id of a report ("20261126T214148.123Z"), a string owned by the
 * report, or NULL when it has none.
 */
const char *fc_report_id(const cJSON *report);

/*
 * Write what changed from old to new as a table on fp: "key old new
 * change", one line per config key, layer hash and row count, accuracy,
 * model count and verdict that differs (every one of them with all set).
 * Hashes are shortened to 12 digits; numbers get their difference, other
 * values "changed", "added" or "removed". Nothing is written when nothing
 * changed. Returns the number of differences.
 */
size_t fc_report_diff(const cJSON *old, const cJSON *new, int all, FILE *fp);

/*
 * Check that j looks like a run report (an object with format
 * "fc-report"); else FC_EX_DATAERR naming path.
 */
int fc_report_check(const cJSON *j, const char *path, fc_err *err);

#endif
