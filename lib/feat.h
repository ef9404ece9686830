/* feat - the feature layer: calendar, Fourier, lags, rolling, holidays */
#ifndef FC_FEAT_H
#define FC_FEAT_H

#include <stdio.h>

#include "config.h"
#include "err.h"

/* What fc_feat_run did, for the sidecar. */
typedef struct fc_feat_stats {
	unsigned long long rows_in, rows_out, series, horizon_rows;
	unsigned long long exogenous_filled;   /* cells set from exogenous data */
} fc_feat_stats;

/*
 * A feature plan: the features block and predict.horizon read and checked.
 * Owns its memory; free with fc_feat_free.
 */
typedef struct fc_feat fc_feat;

/*
 * Read and check the features block of cfg (fc-feat(1) says what each key
 * holds). Returns 0 and sets *out, or FC_EX_CONFIG with err naming the
 * config file, the line and the key ("config.yaml:7: key
 * 'features.fourier': k 7 needs a period of at least 14"), or
 * FC_EX_SOFTWARE when out of memory. *out is NULL on failure.
 */
int fc_feat_new(fc_feat **out, const fc_config *cfg, fc_err *err);

/* Free a plan; NULL is a no-op. */
void fc_feat_free(fc_feat *f);

/*
 * Read the exogenous files the plan names. Returns 0, FC_EX_NOINPUT when
 * one cannot be opened, FC_EX_DATAERR when one lacks a column, holds a bad
 * time or the same key twice (err names the file and line).
 */
int fc_feat_load_exogenous(fc_feat *f, fc_err *err);

/*
 * Write the feature layer of the cleansed CSV on `in` (named `name` in
 * errors) to `out`: the input columns, then the generated ones, one series
 * at a time, with predict.horizon future rows after each series. The
 * input must be sorted by (id, time) on a regular grid. Returns 0, or 65
 * (bad or unsorted data, a named column missing) or 74 with err filled;
 * on failure what was written to out is to be discarded.
 */
int fc_feat_run(fc_feat *f, FILE *in, const char *name, FILE *out,
		fc_feat_stats *st, fc_err *err);

/* The generated columns of the last run, in output order; the names
 * belong to the plan. */
size_t fc_feat_columns(const fc_feat *f, const char *const **names);

#endif
