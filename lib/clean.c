/* clean - make a raw layer regular: names, types, duplicates, gaps, nulls */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "clean.h"
#include "csvio.h"
#include "names.h"
#include "timeutil.h"
#include "value.h"

enum { DUP_ERROR, DUP_FIRST, DUP_LAST, DUP_MEAN, DUP_SUM };
enum { IMP_NONE, IMP_ZERO, IMP_FFILL, IMP_BFILL, IMP_LINEAR, IMP_SEASONAL,
       IMP_MEAN };
enum { OUT_NONE, OUT_IQR, OUT_HAMPEL };

/* Reindexing may add at most this many rows per kept row (plus slack):
 * beyond it a timestamp is more likely a typo than a gap. */
#define MAX_FILL_RATIO 10
#define MAX_FILL_SLACK 1000

typedef struct opts {
	const char *name;
	char delim;             /* of the input; the output uses ',' */
	fc_na na;
	const char *time_format;
	fc_freq freq;
	int have_freq, season;
	int dup, reindex, imp_target, imp_feat, out_method, out_null;
	long max_gap, window;
	double iqr_k, threshold;
} opts;

typedef struct column {
	char *name;             /* snake_case */
	fc_type type;
	int role;               /* 0 feature, 1 id, 2 time, 3 target */
} column;

/* One stored cell: normalised text in the arena, numeric value if any. */
typedef struct cell {
	size_t off;
	uint32_t len;
	uint8_t na, nonnum;
	double num;
} cell;

typedef struct rec {
	size_t id_off;
	uint32_t id_len;
	fc_time t;
	long line;
	size_t cell0;
} rec;

typedef struct cleaner {
	opts o;
	const fc_config *cfg;
	column *col;
	size_t ncol, id_col, time_col, target_col;

	char *arena;
	size_t alen, acap;
	rec *recs;
	size_t nrec, rcap;
	cell *cells;
	size_t ncell, ccap;

	char *scratch;
	size_t scap;
	FILE *out;
	fc_clean_stats *st;
	fc_err *err;

	/* Per-series work arrays. */
	size_t *idx;
	size_t icap;
	long *tl;               /* timeline: rec index or -1 */
	fc_time *tlt;
	double *val;            /* ncol x n values */
	uint8_t *mod;           /* ncol x n: value changed */
	size_t tcap;
} cleaner;

static const char *const dup_names[] = { "error", "first", "last", "mean",
					 "sum", NULL };
static const char *const imp_names[] = { "none", "zero", "ffill", "bfill",
					 "linear", "seasonal", "mean", NULL };
static const char *const out_names[] = { "none", "iqr", "hampel", NULL };

static int
lookup(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return 0;
}

static int
oom(cleaner *c)
{
	return fc_err_set(c->err, FC_EX_SOFTWARE, c->o.name, 0,
			  "out of memory");
}

static int
reserve(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n * size)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int
read_opts(cleaner *c, const fc_config *cfg, const char *name)
{
	opts *o = &c->o;
	const char *f = fc_config_str(cfg, "schema.frequency");

	o->name = name;
	o->delim = fc_config_str(cfg, "load.delimiter")[0];
	{
		const char *const *tok;
		size_t n = fc_config_list(cfg, "load.na_values", &tok);

		fc_na_init(&o->na, tok, n);
	}
	o->time_format = fc_config_str(cfg, "schema.time_format");
	/* the config has checked that it parses */
	o->have_freq = f[0] != '\0' && fc_freq_parse(f, &o->freq) == 0;
	o->season = (int)fc_config_int(cfg, "schema.season_length");
	o->dup = lookup(dup_names, fc_config_str(cfg, "clean.duplicates"));
	o->reindex = fc_config_bool(cfg, "clean.reindex");
	o->imp_target = lookup(imp_names,
			       fc_config_str(cfg, "clean.impute.target"));
	o->imp_feat = lookup(imp_names,
			     fc_config_str(cfg, "clean.impute.features"));
	o->max_gap = fc_config_int(cfg, "clean.impute.max_gap");
	o->out_method = lookup(out_names,
			       fc_config_str(cfg, "clean.outliers.method"));
	o->out_null = strcmp(fc_config_str(cfg, "clean.outliers.action"),
			     "null") == 0;
	o->iqr_k = fc_config_num(cfg, "clean.outliers.iqr_k");
	o->window = fc_config_int(cfg, "clean.outliers.window");
	o->threshold = fc_config_num(cfg, "clean.outliers.threshold");
	return 0;
}

/* The declared type of a snake_case column, from load.columns. */
static fc_type
declared_type(const fc_config *cfg, const char *snake)
{
	const char *const *k, *const *v;
	size_t n = fc_config_map(cfg, "load.columns", &k, &v), i;
	char buf[1024];

	for (i = 0; i < n; i++) {
		size_t len = fc_snake_case(k[i], strlen(k[i]), buf, sizeof buf);
		int t;

		if (len != (size_t)-1 && strcmp(buf, snake) == 0 &&
		    (t = fc_type_parse(v[i])) >= 0)
			return (fc_type)t;
	}
	return FC_TYPE_ANY;
}

static int
find_role(cleaner *c, const char *key, int role, size_t *at, long line)
{
	const char *want = fc_config_str(c->cfg, key);
	size_t i;

	for (i = 0; i < c->ncol; i++)
		if (strcmp(c->col[i].name, want) == 0) {
			c->col[i].role = role;
			*at = i;
			return 0;
		}
	return fc_err_set(c->err, FC_EX_DATAERR, c->o.name, line,
			  "missing column '%s' (%s)", want, key);
}

static int
read_header(cleaner *c, const fc_csv_row *h)
{
	char buf[1024];
	size_t i, j, n;

	if ((c->col = calloc(h->n, sizeof *c->col)) == NULL)
		return oom(c);
	c->ncol = h->n;
	for (i = 0; i < h->n; i++) {
		n = fc_snake_case(h->f[i], h->len[i], buf, sizeof buf);
		if (n == 0 || n == (size_t)-1)
			return fc_err_set(c->err, FC_EX_DATAERR, c->o.name,
					  h->line, "column %zu: cannot make a "
					  "name of '%s'", i + 1, h->f[i]);
		if ((c->col[i].name = strdup(buf)) == NULL)
			return oom(c);
		if (strcmp(buf, h->f[i]) != 0)
			c->st->renamed_columns++;
		for (j = 0; j < i; j++)
			if (strcmp(c->col[j].name, buf) == 0)
				return fc_err_set(c->err, FC_EX_DATAERR,
					c->o.name, h->line, "duplicate column "
					"'%s'", buf);
		c->col[i].type = declared_type(c->cfg, buf);
	}
	if (find_role(c, "schema.id", 1, &c->id_col, h->line) ||
	    find_role(c, "schema.time", 2, &c->time_col, h->line) ||
	    find_role(c, "schema.target", 3, &c->target_col, h->line))
		return c->err->status;
	if (c->col[c->target_col].type != FC_TYPE_NUMBER &&
	    c->col[c->target_col].type != FC_TYPE_INTEGER)
		c->col[c->target_col].type = FC_TYPE_NUMBER;
	return 0;
}

static int
arena_put(cleaner *c, const char *s, size_t n, size_t *off)
{
	if (reserve((void **)&c->arena, &c->acap, c->alen + n + 1, 1))
		return -1;
	memcpy(c->arena + c->alen, s, n);
	c->arena[c->alen + n] = '\0';
	*off = c->alen;
	c->alen += n + 1;
	return 0;
}

static int
cell_error(cleaner *c, long line, size_t col, const char *msg, size_t n)
{
	return fc_err_set(c->err, FC_EX_DATAERR, c->o.name, line,
			  "column '%s': %.*s", c->col[col].name, (int)n, msg);
}

/* Parse, type and store one cell. */
static int
store_cell(cleaner *c, const fc_csv_row *row, size_t j, cell *ce)
{
	size_t len = row->len[j], olen;
	const char *s = fc_trim(row->f[j], &len);
	fc_type t = c->col[j].type;
	int canon;

	memset(ce, 0, sizeof *ce);
	ce->num = NAN;
	if (fc_na_is(&c->o.na, s, len)) {
		ce->na = 1;
		return 0;
	}
	if (reserve((void **)&c->scratch, &c->scap, len + 64, 1))
		return oom(c);
	if (t == FC_TYPE_ANY || t == FC_TYPE_STRING) {
		if (t == FC_TYPE_ANY &&
		    (fc_num_parse(s, len, &ce->num, &canon) != 0))
			ce->nonnum = 1, ce->num = NAN;
		if (arena_put(c, s, len, &ce->off))
			return oom(c);
		ce->len = (uint32_t)len;
		return 0;
	}
	if (fc_value_normalize(t, s, len, c->o.time_format, c->scratch, &olen,
			       &ce->num) != 0)
		return cell_error(c, row->line, j, c->scratch, olen);
	if (arena_put(c, c->scratch, olen, &ce->off))
		return oom(c);
	ce->len = (uint32_t)olen;
	return 0;
}

/* Parse and store one data row; the id cell and time become the rec's. */
static int
store_row(cleaner *c, const fc_csv_row *row)
{
	size_t idlen = row->len[c->id_col], tlen = row->len[c->time_col], j;
	const char *id = fc_trim(row->f[c->id_col], &idlen);
	const char *ts = fc_trim(row->f[c->time_col], &tlen);
	const char *why = NULL;
	rec *r;
	int stt;

	if (reserve((void **)&c->recs, &c->rcap, c->nrec + 1, sizeof *c->recs) ||
	    reserve((void **)&c->cells, &c->ccap, c->ncell + c->ncol,
		    sizeof *c->cells))
		return oom(c);
	r = &c->recs[c->nrec];
	r->line = row->line;
	if (idlen == 0 || fc_na_is(&c->o.na, id, idlen))
		return fc_err_set(c->err, FC_EX_DATAERR, c->o.name, row->line,
				  "column '%s': missing series id",
				  c->col[c->id_col].name);
	if (tlen == 0 || fc_na_is(&c->o.na, ts, tlen))
		return fc_err_set(c->err, FC_EX_DATAERR, c->o.name, row->line,
				  "column '%s': missing time",
				  c->col[c->time_col].name);
	if (fc_time_parse(ts, tlen, c->o.time_format, &r->t, &why) != 0)
		return fc_err_set(c->err, FC_EX_DATAERR, c->o.name, row->line,
				  "column '%s': invalid time '%.*s'%s%s",
				  c->col[c->time_col].name,
				  (int)(tlen > 40 ? 40 : tlen), ts,
				  why ? ": " : "", why ? why : "");
	if (arena_put(c, id, idlen, &r->id_off))
		return oom(c);
	r->id_len = (uint32_t)idlen;
	r->cell0 = c->ncell;
	for (j = 0; j < c->ncol; j++) {
		cell *ce = &c->cells[c->ncell + j];

		if (j == c->id_col || j == c->time_col) {
			memset(ce, 0, sizeof *ce);
			continue;
		}
		if ((stt = store_cell(c, row, j, ce)) != 0)
			return stt;
	}
	c->ncell += c->ncol;
	c->nrec++;
	return 0;
}

static const char *
rec_id(const cleaner *c, const rec *r)
{
	return c->arena + r->id_off;
}

static int
id_cmp(const cleaner *c, const rec *a, const rec *b)
{
	size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
	int d = memcmp(rec_id(c, a), rec_id(c, b), n);

	if (d)
		return d;
	return (a->id_len > b->id_len) - (a->id_len < b->id_len);
}

/* qsort has no context argument: the cleaner being sorted. */
static const cleaner *sorting;

static int
cmp_time(const void *pa, const void *pb)
{
	const rec *a = &sorting->recs[*(const size_t *)pa];
	const rec *b = &sorting->recs[*(const size_t *)pb];

	if (a->t.v != b->t.v)
		return a->t.v < b->t.v ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

static int
cmp_id_line(const void *pa, const void *pb)
{
	const rec *a = &sorting->recs[*(const size_t *)pa];
	const rec *b = &sorting->recs[*(const size_t *)pb];
	int d = id_cmp(sorting, a, b);

	if (d)
		return d;
	return (a->line > b->line) - (a->line < b->line);
}

static cell *
rec_cell(cleaner *c, size_t r, size_t j)
{
	return &c->cells[c->recs[r].cell0 + j];
}

/*
 * Resolve rows with the same time, in place on idx[0..*n) sorted by time.
 * Numeric columns are merged (mean, sum) into the first row's values.
 */
static int
resolve_duplicates(cleaner *c, size_t *idx, size_t *n)
{
	size_t i = 0, k = 0, j, r, m;

	while (i < *n) {
		size_t e = i + 1;

		while (e < *n && c->recs[idx[e]].t.v == c->recs[idx[i]].t.v)
			e++;
		m = e - i;
		if (m > 1) {
			const rec *a = &c->recs[idx[i]], *b = &c->recs[idx[i + 1]];
			char tb[64];

			if (c->o.dup == DUP_ERROR) {
				fc_time_format(a->t, tb, sizeof tb);
				return fc_err_set(c->err, FC_EX_DATAERR,
					c->o.name, b->line, "duplicate row for "
					"series '%s' at %s (first at line %ld); "
					"set clean.duplicates to resolve it",
					rec_id(c, a), tb, a->line);
			}
			c->st->duplicates_dropped += m - 1;
			if (c->o.dup == DUP_LAST)
				idx[i] = idx[e - 1];
			if (c->o.dup == DUP_MEAN || c->o.dup == DUP_SUM) {
				c->st->duplicates_merged++;
				for (j = 0; j < c->ncol; j++) {
					double s = 0;
					size_t cnt = 0;
					cell *dst = rec_cell(c, idx[i], j);

					for (r = i; r < e; r++) {
						cell *ce = rec_cell(c, idx[r], j);

						if (!ce->na && !isnan(ce->num)) {
							s += ce->num;
							cnt++;
						}
					}
					if (cnt == 0 || dst->nonnum ||
					    c->col[j].type == FC_TYPE_BOOLEAN)
						continue;
					dst->num = c->o.dup == DUP_MEAN ?
						s / (double)cnt : s;
					dst->na = 0;
					dst->len = UINT32_MAX; /* reformat */
				}
			}
		}
		idx[k++] = idx[i];
		i = e;
	}
	*n = k;
	return 0;
}

static int
grow_series(cleaner *c, size_t n)
{
	size_t cap = c->tcap;

	if (n <= cap)
		return 0;
	while (cap < n)
		cap = cap ? cap * 2 : 256;
	if ((c->tl = realloc(c->tl, cap * sizeof *c->tl)) == NULL ||
	    (c->tlt = realloc(c->tlt, cap * sizeof *c->tlt)) == NULL ||
	    (c->val = realloc(c->val, cap * c->ncol * sizeof *c->val)) == NULL ||
	    (c->mod = realloc(c->mod, cap * c->ncol)) == NULL)
		return -1;
	c->tcap = cap;
	return 0;
}

/* Build the timeline: kept rows, and the grid's missing timestamps. */
static int
build_timeline(cleaner *c, const size_t *idx, size_t n, size_t *out_n)
{
	fc_time t0 = c->recs[idx[0]].t;
	fc_freq f = c->o.freq;
	int have = c->o.have_freq, on;
	size_t i, total;
	int64_t k;

	if (!c->o.reindex || n < 2) {
		if (grow_series(c, n))
			return oom(c);
		for (i = 0; i < n; i++) {
			c->tl[i] = (long)idx[i];
			c->tlt[i] = c->recs[idx[i]].t;
		}
		*out_n = n;
		return 0;
	}
	if (!have) {
		fc_time *ts = malloc(n * sizeof *ts);

		if (ts == NULL)
			return oom(c);
		for (i = 0; i < n; i++)
			ts[i] = c->recs[idx[i]].t;
		have = fc_freq_infer(ts, n, &f) == 0;
		free(ts);
		if (!have)
			return fc_err_set(c->err, FC_EX_DATAERR, c->o.name,
				c->recs[idx[0]].line, "series '%s': the "
				"timestamps are not on a regular grid; set "
				"schema.frequency or clean.reindex: false",
				rec_id(c, &c->recs[idx[0]]));
	}
	k = fc_time_steps(t0, c->recs[idx[n - 1]].t, f, &on);
	total = (size_t)k + 1;
	if (total > n * MAX_FILL_RATIO + MAX_FILL_SLACK) {
		char a[64], b[64], fb[32];

		fc_time_format(t0, a, sizeof a);
		fc_time_format(c->recs[idx[n - 1]].t, b, sizeof b);
		fc_freq_format(f, fb, sizeof fb);
		return fc_err_set(c->err, FC_EX_DATAERR, c->o.name,
			c->recs[idx[n - 1]].line, "series '%s': reindexing "
			"%s to %s at frequency %s would insert %zu rows for %zu "
			"present; check the timestamps or set clean.reindex: "
			"false", rec_id(c, &c->recs[idx[0]]), a, b, fb,
			total - n, n);
	}
	if (grow_series(c, total))
		return oom(c);
	for (i = 0; i < total; i++) {
		c->tl[i] = -1;
		c->tlt[i] = fc_time_add(t0, f, (int64_t)i);
		if (f.unit == FC_FREQ_SECONDS && f.n % 86400 != 0 &&
		    c->tlt[i].kind == FC_TIME_DATE)
			c->tlt[i].kind = FC_TIME_DATETIME;
	}
	for (i = 0; i < n; i++) {
		const rec *r = &c->recs[idx[i]];
		char tb[64], fb[32];

		k = fc_time_steps(t0, r->t, f, &on);
		if (!on || k < 0 || (size_t)k >= total) {
			fc_time_format(r->t, tb, sizeof tb);
			fc_freq_format(f, fb, sizeof fb);
			return fc_err_set(c->err, FC_EX_DATAERR, c->o.name,
				r->line, "column '%s': '%s' is not on the %s "
				"grid of series '%s'", c->col[c->time_col].name,
				tb, fb, rec_id(c, r));
		}
		c->tl[k] = (long)idx[i];
		c->tlt[k] = r->t;
	}
	c->st->rows_inserted += total - n;
	*out_n = total;
	return 0;
}

/* Fill val/mod for column j; returns 1 when the column is numeric. */
static int
load_values(cleaner *c, size_t j, size_t n)
{
	double *v = c->val + j * c->tcap;
	uint8_t *m = c->mod + j * c->tcap;
	int numeric = c->col[j].type == FC_TYPE_NUMBER ||
		      c->col[j].type == FC_TYPE_INTEGER ||
		      c->col[j].type == FC_TYPE_ANY;
	size_t i;

	for (i = 0; i < n; i++) {
		v[i] = NAN;
		m[i] = 0;
		if (c->tl[i] >= 0) {
			cell *ce = rec_cell(c, (size_t)c->tl[i], j);

			if (ce->nonnum)
				numeric = 0;
			if (!ce->na)
				v[i] = ce->num;
			if (ce->len == UINT32_MAX)
				m[i] = 1;
		}
	}
	return numeric;
}

static double
median_of(double *w, size_t k)
{
	gsl_sort(w, 1, k);
	return gsl_stats_median_from_sorted_data(w, 1, k);
}

/* Mark outliers of the target: clip them or make them missing. */
static void
outliers(cleaner *c, double *v, uint8_t *m, size_t n)
{
	double *w = malloc((n + 1) * sizeof *w), lo = 0, hi = 0;
	size_t i, k = 0, half = (size_t)c->o.window / 2;

	if (w == NULL)
		return;
	if (c->o.out_method == OUT_IQR) {
		double q1, q3;

		for (i = 0; i < n; i++)
			if (!isnan(v[i]))
				w[k++] = v[i];
		if (k < 4) {
			free(w);
			return;
		}
		gsl_sort(w, 1, k);
		q1 = gsl_stats_quantile_from_sorted_data(w, 1, k, 0.25);
		q3 = gsl_stats_quantile_from_sorted_data(w, 1, k, 0.75);
		lo = q1 - c->o.iqr_k * (q3 - q1);
		hi = q3 + c->o.iqr_k * (q3 - q1);
	}
	for (i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (c->o.out_method == OUT_HAMPEL) {
			size_t a = i > half ? i - half : 0;
			size_t b = i + half + 1 < n ? i + half + 1 : n, q;
			double med, mad;

			for (k = 0, q = a; q < b; q++)
				if (!isnan(v[q]))
					w[k++] = v[q];
			med = median_of(w, k);
			for (q = 0; q < k; q++)
				w[q] = fabs(w[q] - med);
			mad = 1.4826 * median_of(w, k);
			lo = med - c->o.threshold * mad;
			hi = med + c->o.threshold * mad;
		}
		if (v[i] < lo || v[i] > hi) {
			c->st->outliers++;
			v[i] = c->o.out_null ? NAN : (v[i] < lo ? lo : hi);
			m[i] = 1;
		}
	}
	free(w);
}

static int
season_of(const cleaner *c)
{
	if (c->o.season > 0)
		return c->o.season;
	return c->o.have_freq ? fc_freq_season_length(c->o.freq) : 1;
}

/* Fill the run v[a..b) of missing values by `method`. */
static size_t
fill_run(const cleaner *c, double *v, uint8_t *m, size_t n, size_t a,
	 size_t b, int method, double mean)
{
	size_t i, filled = 0, s = (size_t)season_of(c);

	for (i = a; i < b; i++) {
		double x = NAN;

		switch (method) {
		case IMP_ZERO:
			x = 0;
			break;
		case IMP_FFILL:
			x = a > 0 ? v[a - 1] : NAN;
			break;
		case IMP_BFILL:
			x = b < n ? v[b] : NAN;
			break;
		case IMP_LINEAR:
			if (a > 0 && b < n)
				x = v[a - 1] + (v[b] - v[a - 1]) *
				    (double)(i - a + 1) / (double)(b - a + 1);
			break;
		case IMP_SEASONAL:
			if (i >= s && !isnan(v[i - s]))
				x = v[i - s];
			else if (i + s < n && !isnan(v[i + s]))
				x = v[i + s];
			break;
		case IMP_MEAN:
			x = mean;
			break;
		}
		if (!isnan(x)) {
			v[i] = x;
			m[i] = 1;
			filled++;
		}
	}
	return filled;
}

static size_t
impute(const cleaner *c, double *v, uint8_t *m, size_t n, int method)
{
	double sum = 0, mean;
	size_t i, cnt = 0, filled = 0;

	if (method == IMP_NONE)
		return 0;
	for (i = 0; i < n; i++)
		if (!isnan(v[i])) {
			sum += v[i];
			cnt++;
		}
	mean = cnt ? sum / (double)cnt : NAN;
	for (i = 0; i < n;) {
		size_t e = i;

		if (!isnan(v[i])) {
			i++;
			continue;
		}
		while (e < n && isnan(v[e]))
			e++;
		if (c->o.max_gap == 0 || (long)(e - i) <= c->o.max_gap)
			filled += fill_run(c, v, m, n, i, e, method, mean);
		i = e;
	}
	return filled;
}

static void
write_row(cleaner *c, size_t i)
{
	long r = c->tl[i];
	char buf[64];
	size_t j, n;

	for (j = 0; j < c->ncol; j++) {
		double *v = c->val + j * c->tcap;
		uint8_t *m = c->mod + j * c->tcap;

		if (j)
			putc_unlocked(',', c->out);
		if (j == c->id_col) {
			const rec *rr = &c->recs[c->tl[0] >= 0 ? (size_t)c->tl[0] :
						 0];
			fc_csv_put(c->out, rec_id(c, rr), rr->id_len,
				   ',');
		} else if (j == c->time_col) {
			n = fc_time_format(c->tlt[i], buf, sizeof buf);
			fwrite_unlocked(buf, 1, n, c->out);
		} else if (m[i]) {
			fc_csv_put_num(c->out, v[i]);
		} else if (r >= 0) {
			cell *ce = rec_cell(c, (size_t)r, j);

			if (!ce->na)
				fc_csv_put(c->out, c->arena + ce->off, ce->len,
					   ',');
		}
	}
	putc_unlocked('\n', c->out);
}

/* Clean one series: the recs idx[0..n), all of one id. */
static int
clean_series(cleaner *c, size_t *idx, size_t n)
{
	size_t i, j, total = 0;
	int st;

	sorting = c;
	for (i = 1; i < n && cmp_time(&idx[i - 1], &idx[i]) <= 0; i++)
		;
	if (i < n)
		qsort(idx, n, sizeof *idx, cmp_time);
	if ((st = resolve_duplicates(c, idx, &n)) != 0 ||
	    (st = build_timeline(c, idx, n, &total)) != 0)
		return st;
	for (j = 0; j < c->ncol; j++) {
		double *v = c->val + j * c->tcap;
		uint8_t *m = c->mod + j * c->tcap;

		if (j == c->id_col || j == c->time_col)
			continue;
		if (!load_values(c, j, total))
			continue;
		if (j == c->target_col) {
			if (c->o.out_method != OUT_NONE)
				outliers(c, v, m, total);
			c->st->target_imputed += impute(c, v, m, total,
							c->o.imp_target);
			for (i = 0; i < total; i++)
				c->st->target_missing += isnan(v[i]);
		} else {
			c->st->features_imputed += impute(c, v, m, total,
							  c->o.imp_feat);
		}
	}
	for (i = 0; i < total; i++)
		write_row(c, i);
	c->st->rows_out += total;
	c->st->series++;
	return 0;
}

static void
write_header(cleaner *c)
{
	size_t j;

	for (j = 0; j < c->ncol; j++) {
		if (j)
			putc_unlocked(',', c->out);
		/* names are set for every column by read_header */
		fc_csv_put(c->out, c->col[j].name,
			   strlen(c->col[j].name), // NOLINT
			   ',');
	}
	putc_unlocked('\n', c->out);
}

static void
reset_store(cleaner *c)
{
	c->alen = c->nrec = c->ncell = 0;
}

/* Clean the buffered rows of one series and drop them. */
static int
flush_series(cleaner *c)
{
	size_t i;
	int st;

	if (c->nrec == 0)
		return 0;
	if (reserve((void **)&c->idx, &c->icap, c->nrec, sizeof *c->idx))
		return oom(c);
	for (i = 0; i < c->nrec; i++)
		c->idx[i] = i;
	st = clean_series(c, c->idx, c->nrec);
	reset_store(c);
	return st;
}

/* Sort every stored row by (id, line) and clean each series. */
static int
clean_all(cleaner *c)
{
	size_t i, s;
	int st;

	if (reserve((void **)&c->idx, &c->icap, c->nrec, sizeof *c->idx))
		return oom(c);
	for (i = 0; i < c->nrec; i++)
		c->idx[i] = i;
	sorting = c;
	qsort(c->idx, c->nrec, sizeof *c->idx, cmp_id_line);
	for (s = 0; s < c->nrec; s = i) {
		for (i = s + 1; i < c->nrec &&
		     id_cmp(c, &c->recs[c->idx[s]], &c->recs[c->idx[i]]) == 0;
		     i++)
			;
		if ((st = clean_series(c, c->idx + s, i - s)) != 0)
			return st;
	}
	return 0;
}

/* Keep a copy of what the reader consumes (for an input that is a pipe). */
static int
spool_tap(void *ctx, const void *buf, size_t n)
{
	return fwrite(buf, 1, n, ctx) == n ? 0 : -1;
}

/*
 * One pass over the input. Streaming (memory == 0): a series is cleaned
 * when the next id starts; an id lower than the previous one ends the
 * pass with *unsorted set. In memory: everything is stored, then sorted.
 */
static int
pass(cleaner *c, FILE *in, FILE *spool, int memory, int *unsorted)
{
	fc_csv_reader *r = fc_csv_open(in, c->o.name, c->o.delim);
	fc_csv_row *row;
	int st;

	if (r == NULL)
		return oom(c);
	if (spool)
		fc_csv_set_tap(r, spool_tap, spool);
	if ((st = fc_csv_next(r, &row, c->err)) != 1) {
		fc_csv_close(r);
		if (st == 0)
			return fc_err_set(c->err, FC_EX_DATAERR, c->o.name, 0,
					  "empty file: expected a header line");
		return st;
	}
	if ((st = read_header(c, row)) != 0)
		goto out;
	write_header(c);
	while ((st = fc_csv_next(r, &row, c->err)) == 1) {
		c->st->rows_in++;
		if ((st = store_row(c, row)) != 0)
			goto out;
		if (!memory && c->nrec > 1) {
			const rec *a = &c->recs[c->nrec - 2];
			rec b = c->recs[c->nrec - 1];
			int d = id_cmp(c, a, &b);

			if (d > 0) {
				*unsorted = 1;
				st = 0;
				goto out;
			}
			if (d < 0) {
				/* keep the new row: clean the ones before */
				c->nrec--;
				c->ncell -= c->ncol;
				if ((st = flush_series(c)) != 0)
					goto out;
				if ((st = store_row(c, row)) != 0)
					goto out;
			}
		}
	}
	if (st == 0 && c->st->rows_in == 0)
		st = fc_err_set(c->err, FC_EX_DATAERR, c->o.name, 0,
				"no data rows after the header");
	if (st == 0)
		st = memory ? clean_all(c) : flush_series(c);
out:
	fc_csv_close(r);
	return st;
}

static void
cleaner_free(cleaner *c)
{
	size_t j;

	for (j = 0; j < c->ncol && c->col; j++)
		free(c->col[j].name);
	free(c->col);
	free(c->arena);
	free(c->recs);
	free(c->cells);
	free(c->scratch);
	free(c->idx);
	free(c->tl);
	free(c->tlt);
	free(c->val);
	free(c->mod);
}

/* Start a pass again from scratch. */
static void
cleaner_reset(cleaner *c)
{
	size_t j;

	for (j = 0; j < c->ncol; j++)
		free(c->col[j].name);
	free(c->col);
	c->col = NULL;
	c->ncol = 0;
	reset_store(c);
	memset(c->st, 0, sizeof *c->st);
}

static int
seekable(FILE *fp)
{
	struct stat sb;

	return fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
	       ftello(fp) >= 0;
}

int
fc_clean(const fc_config *cfg, FILE *in, const char *name, FILE *out,
	 fc_clean_stats *stats, fc_err *err)
{
	cleaner c;
	FILE *spool = NULL, *hold = NULL, *dst = out;
	off_t in0 = -1, out0 = -1;
	int st, unsorted = 0;
	char buf[1 << 16];
	size_t n;

	memset(&c, 0, sizeof c);
	memset(stats, 0, sizeof *stats);
	c.cfg = cfg;
	c.st = stats;
	c.err = err;
	if ((st = read_opts(&c, cfg, name)) != 0)
		return st;
	if (seekable(in))
		in0 = ftello(in);
	if (seekable(out))
		out0 = ftello(out);
	else if ((hold = tmpfile()) == NULL)
		return fc_err_set(err, FC_EX_CANTCREAT, NULL, 0,
				  "cannot create a temporary file: %s",
				  strerror(errno));
	else
		dst = hold;
	c.out = dst;
	if (in0 < 0 && (spool = tmpfile()) == NULL) {
		st = fc_err_set(err, FC_EX_CANTCREAT, NULL, 0,
				"cannot create a temporary file: %s",
				strerror(errno));
		goto out;
	}
	st = pass(&c, in, spool, 0, &unsorted);
	if (st == 0 && unsorted) {
		cleaner_reset(&c);
		fflush(dst);
		if (hold) {
			rewind(hold);
			st = ftruncate(fileno(hold), 0);
		} else {
			st = fseeko(dst, out0, SEEK_SET) ||
			     ftruncate(fileno(dst), out0);
		}
		if (st != 0) {
			st = fc_err_set(err, FC_EX_IOERR, NULL, 0,
					"cannot rewind the output: %s",
					strerror(errno));
			goto out;
		}
		if (in0 >= 0) {
			fseeko(in, in0, SEEK_SET);
			st = pass(&c, in, NULL, 1, &unsorted);
		} else {
			/* the rest of the pipe joins what was read */
			while ((n = fread(buf, 1, sizeof buf, in)) > 0)
				fwrite(buf, 1, n, spool);
			rewind(spool);
			st = pass(&c, spool, NULL, 1, &unsorted);
		}
		stats->sorted_in_memory = 1;
	}
	if (st == 0 && hold) {
		rewind(hold);
		while ((n = fread(buf, 1, sizeof buf, hold)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				break;
		if (ferror(hold) || ferror(out))
			st = fc_err_set(err, FC_EX_IOERR, NULL, 0,
					"write error: %s", strerror(errno));
	}
out:
	if (hold)
		fclose(hold);
	if (spool)
		fclose(spool);
	cleaner_free(&c);
	return st;
}
