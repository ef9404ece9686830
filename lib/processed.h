/* processed - the processed layer: columns kept, aggregation, windows */
#ifndef FC_PROCESSED_H
#define FC_PROCESSED_H

#include <stdio.h>

#include "config.h"
#include "err.h"

/* What fc_processed did, for the sidecar. */
typedef struct fc_proc_stats {
	unsigned long long rows_in, rows_out, series, columns;
	unsigned long long rows_aggregated;     /* input rows merged */
	unsigned long long incomplete_dropped, incomplete_filled;
	unsigned long long window_dropped;
} fc_proc_stats;

/*
 * Write the processed layer of the feature layer on `in` (named `name`
 * in errors) to `out`, as the config's schema and processed blocks say
 * (see fc-feat(1)), one series at a time. Returns 0, or 65 (bad or
 * unsorted data, a named column missing) or 74 with err filled; on
 * failure what was written to out is to be discarded.
 */
int fc_processed(const fc_config *cfg, FILE *in, const char *name, FILE *out,
		 fc_proc_stats *st, fc_err *err);

#endif
