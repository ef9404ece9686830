/* series - read a long CSV layer one series at a time */
#ifndef FC_SERIES_H
#define FC_SERIES_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "io.h"
#include "timeutil.h"

/*
 * A reader hands out the rows of one series id at a time from a CSV that
 * is sorted by (id, time), as the layers from 02_cleansed on are. The
 * reader owns the series it fills; it stays valid until the next
 * fc_series_next or fc_series_close. fc_series_take moves its arrays to
 * the caller instead.
 */
typedef struct fc_series {
	char *id;
	size_t n;               /* rows */
	fc_time *t;
	double *y;              /* NaN where the target cell is empty */
	long *line;             /* input line of each row */
	size_t cap;
	/* With fc_series_opts.features: the other columns of each row,
	 * x[i * nx + j] the value of feature j in row i (NaN when empty or
	 * not a number), and xbad[j] 1 when feature j holds a cell that is
	 * not a number in this series. Else nx is 0, x and xbad NULL. */
	size_t nx;
	double *x;
	unsigned char *xbad;
} fc_series;

typedef struct fc_series_reader fc_series_reader;

/* Which columns hold what. target NULL: the target column may be absent. */
typedef struct fc_series_opts {
	const char *id, *time, *target;
	const char *time_format;   /* NULL or "": ISO 8601 */
	int target_optional;       /* 1: a missing target column is fine */
	int features;              /* 1: read every other column as numbers */
} fc_series_opts;

/*
 * Start reading fp (named `name` in errors; not closed by the reader) and
 * read its header. On success *r is a new reader and 0 is returned; on
 * failure *r is NULL and the status is returned with err filled: 65 for
 * an empty file or a missing column, 74 for a read error, 70 out of
 * memory. The strings in opts must outlive the reader. When hash is not
 * NULL every byte read is fed to it.
 */
int fc_series_open(fc_series_reader **r, FILE *fp, const char *name,
		   const fc_series_opts *opts, fc_sha256 *hash, fc_err *err);

/*
 * Read the next series into *s (owned by the reader). Returns 1, 0 at the
 * end of the input, or a status with err filled: 65 for a malformed row,
 * an invalid number or time, or input not sorted by (id, time) ("input is
 * not sorted by (id, time): series 'a' after 'b'", "... time 'T' of series
 * 'a' is not after 'U'"); 74, 70.
 */
int fc_series_next(fc_series_reader *r, fc_series **s, fc_err *err);

/* With opts.features: the names of the feature columns, in the order of
 * fc_series.x (owned by the reader), their number in *n. */
const char *const *fc_series_features(const fc_series_reader *r, size_t *n);

/* Data rows read so far. */
unsigned long long fc_series_rows(const fc_series_reader *r);

/* Free the reader; NULL is a no-op. */
void fc_series_close(fc_series_reader *r);

/* Move the rows of src (the reader's) into dst, with a copy of its id;
 * the caller then owns dst and frees it with fc_series_free_data. 0, or
 * -1 when out of memory (src unchanged). */
int fc_series_take(fc_series *src, fc_series *dst);

/* Free what a series holds (not the struct itself); NULL is a no-op. */
void fc_series_free_data(fc_series *s);

#endif
