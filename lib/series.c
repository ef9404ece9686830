/* series - read a long CSV layer one series at a time */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "series.h"
#include "value.h"

struct fc_series_reader {
	fc_csv_reader *csv;
	const char *name;
	fc_series_opts o;
	size_t id_col, time_col, target_col;
	int has_target;
	fc_series cur;
	char *prev_id;          /* id of the series handed out last */
	/* the first row of the next series, read ahead */
	int pending;
	char *p_id;
	fc_time p_t;
	double p_y;
	long p_line;
	unsigned long long rows;
	/* features: their names, columns, the pending row's values */
	size_t nx;
	char **xname;
	size_t *xcol;
	double *p_x;
	unsigned char *p_bad;
	double *rx;             /* the row being parsed */
	unsigned char *rbad;
};

static int
hash_tap(void *ctx, const void *buf, size_t n)
{
	fc_sha256_update(ctx, buf, n);
	return 0;
}

static int
oom(fc_err *err)
{
	return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

static int
find_col(const fc_csv_row *h, const char *want, const char *key,
	 size_t *at, const char *name, fc_err *err)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->f[i], want) == 0) {
			*at = i;
			return 0;
		}
	return fc_err_set(err, FC_EX_DATAERR, name, h->line,
			  "missing column '%s' (%s)", want, key);
}

/* Every column but id, time and target is a feature. */
static int
find_features(fc_series_reader *r, const fc_csv_row *h, fc_err *err)
{
	size_t i, k = 0, n = h->n;

	r->xname = calloc(n ? n : 1, sizeof *r->xname);
	r->xcol = calloc(n ? n : 1, sizeof *r->xcol);
	r->p_x = calloc(n ? n : 1, sizeof *r->p_x);
	r->rx = calloc(n ? n : 1, sizeof *r->rx);
	r->p_bad = calloc(n ? n : 1, 1);
	r->rbad = calloc(n ? n : 1, 1);
	if (!r->xname || !r->xcol || !r->p_x || !r->rx || !r->p_bad ||
	    !r->rbad)
		return oom(err);
	for (i = 0; i < n; i++) {
		if (i == r->id_col || i == r->time_col ||
		    (r->has_target && i == r->target_col))
			continue;
		if ((r->xname[k] = strdup(h->f[i])) == NULL)
			return oom(err);
		r->xcol[k++] = i;
	}
	r->nx = k;
	return 0;
}

const char *const *
fc_series_features(const fc_series_reader *r, size_t *n)
{
	*n = r->nx;
	return (const char *const *)r->xname;
}

int
fc_series_open(fc_series_reader **out, FILE *fp, const char *name,
	       const fc_series_opts *opts, fc_sha256 *hash, fc_err *err)
{
	fc_series_reader *r;
	fc_csv_row *h;
	int st;

	*out = NULL;
	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->csv = fc_csv_open(fp, name, ',')) == NULL) {
		free(r);
		return oom(err);
	}
	r->name = name;
	r->o = *opts;
	if (hash)
		fc_csv_set_tap(r->csv, hash_tap, hash);
	if ((st = fc_csv_next(r->csv, &h, err)) != 1) {
		fc_series_close(r);
		if (st == 0)
			return fc_err_set(err, FC_EX_DATAERR, name, 0,
					  "empty file: expected a header line");
		return st;
	}
	st = find_col(h, opts->id, "schema.id", &r->id_col, name, err);
	if (st == 0)
		st = find_col(h, opts->time, "schema.time", &r->time_col, name,
			      err);
	if (st == 0) {
		st = find_col(h, opts->target, "schema.target", &r->target_col,
			      name, err);
		r->has_target = st == 0;
		if (st != 0 && opts->target_optional)
			st = 0;
	}
	if (st == 0 && opts->features)
		st = find_features(r, h, err);
	if (st != 0) {
		fc_series_close(r);
		return st;
	}
	*out = r;
	return 0;
}

/* Parse the time and target of row into *t and *y. */
static int
parse_row(fc_series_reader *r, const fc_csv_row *row, fc_time *t, double *y,
	  fc_err *err)
{
	const char *why = NULL, *s;
	size_t len, i;

	if (fc_time_parse(row->f[r->time_col], row->len[r->time_col],
			  r->o.time_format, t, &why) != 0)
		return fc_err_set(err, FC_EX_DATAERR, r->name, row->line,
				  "column '%s': invalid time '%s'%s%s",
				  r->o.time, row->f[r->time_col],
				  why ? ": " : "", why ? why : "");
	for (i = 0; i < r->nx; i++) {
		len = row->len[r->xcol[i]];
		s = fc_trim(row->f[r->xcol[i]], &len);
		r->rx[i] = NAN;
		r->rbad[i] = len > 0 && fc_num_parse(s, len, &r->rx[i],
						     NULL) != 0;
		if (r->rbad[i])
			r->rx[i] = NAN;
	}
	*y = NAN;
	if (!r->has_target)
		return 0;
	len = row->len[r->target_col];
	s = fc_trim(row->f[r->target_col], &len);
	if (len > 0 && fc_num_parse(s, len, y, NULL) != 0)
		return fc_err_set(err, FC_EX_DATAERR, r->name, row->line,
				  "column '%s': invalid number '%s'",
				  r->o.target, row->f[r->target_col]);
	return 0;
}

static int
push(fc_series *s, fc_time t, double y, long line)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		fc_time *nt = realloc(s->t, cap * sizeof *nt);
		double *ny;
		long *nl;

		if (nt == NULL)
			return -1;
		s->t = nt;
		if ((ny = realloc(s->y, cap * sizeof *ny)) == NULL)
			return -1;
		s->y = ny;
		if ((nl = realloc(s->line, cap * sizeof *nl)) == NULL)
			return -1;
		s->line = nl;
		s->cap = cap;
	}
	s->t[s->n] = t;
	s->y[s->n] = y;
	s->line[s->n] = line;
	s->n++;
	return 0;
}

/* push, and the feature values x[0..nx) with their not-a-number flags. */
static int
push_row(fc_series *s, size_t nx, fc_time t, double y, long line,
	 const double *x, const unsigned char *bad)
{
	size_t cap = s->cap, i;
	double *nxs;

	if (push(s, t, y, line) != 0)
		return -1;
	if (nx == 0)
		return 0;
	if (s->xbad == NULL && (s->xbad = calloc(nx, 1)) == NULL)
		return -1;
	s->nx = nx;
	if (s->x == NULL || cap != s->cap) {
		if ((nxs = realloc(s->x, s->cap * nx * sizeof *nxs)) == NULL)
			return -1;
		s->x = nxs;
	}
	memcpy(s->x + (s->n - 1) * nx, x, nx * sizeof *x);
	for (i = 0; i < nx; i++)
		s->xbad[i] |= bad[i];
	return 0;
}

static int
unsorted_time(fc_series_reader *r, long line, fc_time a, fc_time b,
	      fc_err *err)
{
	char ta[48], tb[48];

	fc_time_format(a, ta, sizeof ta);
	fc_time_format(b, tb, sizeof tb);
	return fc_err_set(err, FC_EX_DATAERR, r->name, line,
			  "input is not sorted by (id, time): time '%s' of "
			  "series '%s' is not after '%s'", tb, r->cur.id, ta);
}

/* The parsed row's features become the pending row's. */
static void
keep_pending(fc_series_reader *r)
{
	if (r->nx == 0)
		return;
	memcpy(r->p_x, r->rx, r->nx * sizeof *r->rx);
	memcpy(r->p_bad, r->rbad, r->nx);
}

/* Start the current series with the pending row. */
static int
start_series(fc_series_reader *r, fc_err *err)
{
	free(r->prev_id);
	r->prev_id = r->cur.id;
	r->cur.id = r->p_id;
	r->p_id = NULL;
	r->cur.n = 0;
	r->pending = 0;
	if (r->cur.xbad)
		memset(r->cur.xbad, 0, r->nx);
	if (push_row(&r->cur, r->nx, r->p_t, r->p_y, r->p_line, r->p_x,
		     r->p_bad) != 0)
		return oom(err);
	return 0;
}

int
fc_series_next(fc_series_reader *r, fc_series **out, fc_err *err)
{
	fc_time t = { 0, FC_TIME_INDEX };
	fc_csv_row *row;
	double y = NAN;
	int st;

	*out = NULL;
	if (!r->pending) {      /* the first series, or the end */
		if ((st = fc_csv_next(r->csv, &row, err)) != 1)
			return st;
		r->rows++;
		if ((st = parse_row(r, row, &r->p_t, &r->p_y, err)) != 0)
			return st;
		if ((r->p_id = strdup(row->f[r->id_col])) == NULL)
			return oom(err);
		r->p_line = row->line;
		r->pending = 1;
		keep_pending(r);
	}
	if ((st = start_series(r, err)) != 0)
		return st;
	if (r->prev_id && strcmp(r->cur.id, r->prev_id) <= 0)
		return fc_err_set(err, FC_EX_DATAERR, r->name, r->cur.line[0],
				  "input is not sorted by (id, time): series "
				  "'%s' after '%s'", r->cur.id, r->prev_id);
	while ((st = fc_csv_next(r->csv, &row, err)) == 1) {
		r->rows++;
		if ((st = parse_row(r, row, &t, &y, err)) != 0)
			return st;
		if (strcmp(row->f[r->id_col], r->cur.id) != 0) {
			if ((r->p_id = strdup(row->f[r->id_col])) == NULL)
				return oom(err);
			r->p_t = t;
			r->p_y = y;
			r->p_line = row->line;
			r->pending = 1;
			keep_pending(r);
			break;
		}
		if (t.v <= r->cur.t[r->cur.n - 1].v)
			return unsorted_time(r, row->line,
					     r->cur.t[r->cur.n - 1], t, err);
		if (push_row(&r->cur, r->nx, t, y, row->line, r->rx,
			     r->rbad) != 0)
			return oom(err);
	}
	if (st < 0 || st > 1)
		return st;
	*out = &r->cur;
	return 1;
}

unsigned long long
fc_series_rows(const fc_series_reader *r)
{
	return r->rows;
}

void
fc_series_free_data(fc_series *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->t);
	free(s->y);
	free(s->line);
	free(s->x);
	free(s->xbad);
	memset(s, 0, sizeof *s);
}

int
fc_series_take(fc_series *src, fc_series *dst)
{
	char *id = strdup(src->id);

	if (id == NULL)
		return -1;
	*dst = *src;
	dst->id = id;
	src->t = NULL;
	src->y = NULL;
	src->line = NULL;
	src->x = NULL;
	src->xbad = NULL;
	src->n = src->cap = 0;
	return 0;
}

void
fc_series_close(fc_series_reader *r)
{
	if (r == NULL)
		return;
	fc_csv_close(r->csv);
	fc_series_free_data(&r->cur);
	free(r->prev_id);
	free(r->p_id);
	for (size_t i = 0; r->xname && i < r->nx; i++)
		free(r->xname[i]);
	free(r->xname);
	free(r->xcol);
	free(r->p_x);
	free(r->p_bad);
	free(r->rx);
	free(r->rbad);
	free(r);
}
