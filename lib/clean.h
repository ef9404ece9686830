/* clean - make a raw layer regular: names, types, duplicates, gaps, nulls */
#ifndef FC_CLEAN_H
#define FC_CLEAN_H

#include <stdio.h>

#include "config.h"
#include "err.h"

/* What fc_clean changed, for the sidecar. */
typedef struct fc_clean_stats {
	unsigned long long rows_in, rows_out, series;
	unsigned long long duplicates_dropped, duplicates_merged;
	unsigned long long rows_inserted;      /* reindexed timestamps */
	unsigned long long target_imputed, features_imputed;
	unsigned long long target_missing;     /* still empty afterwards */
	unsigned long long outliers;
	unsigned long long renamed_columns;
	int sorted_in_memory;                  /* input was not sorted */
} fc_clean_stats;

/*
 * Clean the CSV on `in` (named `name` in errors) into `out`, as the
 * config's schema, load and clean blocks say (see fc-clean(1)). When the
 * input turns out not to be sorted by id, the rows are sorted in memory:
 * a seekable `in` is read again from its start; otherwise what was read
 * has been kept in a temporary file. `out` must be seekable (a regular
 * file) or is written in one go at the end. Returns 0 or a status with
 * err filled (65 bad data, 74 I/O, 78 config); on failure the content of
 * `out` is undefined and the caller discards it.
 */
int fc_clean(const fc_config *cfg, FILE *in, const char *name, FILE *out,
	     fc_clean_stats *stats, fc_err *err);

#endif
