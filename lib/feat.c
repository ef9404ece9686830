/* feat - the feature layer: calendar, Fourier, lags, rolling, holidays */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "feat.h"
#include "holiday.h"
#include "timeutil.h"
#include "value.h"

static const char *const cal_names[] = {
	"year", "quarter", "month", "week_of_year", "day_of_week",
	"day_of_month", "day_of_year", "hour", "is_weekend", "is_month_end",
	NULL
};
enum { ST_MEAN, ST_STD, ST_MIN, ST_MAX, ST_SUM };
static const char *const stat_names[] = { "mean", "std", "min", "max", "sum",
	NULL };
static const char *const day_names[] = { "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday", "sunday", NULL };

/* With a whole period P of at most FOURIER_TABLE, a whole time index t
 * gives sin and cos at (j t mod P) / P only: their text, made once. */
#define FOURIER_TABLE 100000
#define FOURIER_CELL 32

typedef struct fourier {
	double period;
	long k;
	char *text;             /* P x {sin, cos} x FOURIER_CELL, or NULL */
} fourier;

/* Lags of one column; ecol is set when the header is read. */
typedef struct lagspec {
	const char *col;
	long *lag;
	size_t n, ecol;
} lagspec;

typedef struct rollspec {
	const char *col;
	long window;
	int stat[5];
	size_t nstat, ecol;
} rollspec;

typedef struct holspec {
	const char *name;
	fc_holiday h;
} holspec;

/* One row of an exogenous file. */
typedef struct xrow {
	char *id;
	fc_time t;
	char **val;
} xrow;

typedef struct exog {
	const char *path;
	int by_id;
	const char **col;       /* the columns joined, as the config says */
	char **name;            /* the columns joined, as read */
	size_t ncol;
	xrow *row;              /* sorted by (id, time) */
	size_t nrow;
	size_t *dest;           /* effective column of each joined column */
} exog;

struct fc_feat {
	int cal[10];
	size_t ncal;
	fourier *fou;
	size_t nfou;
	lagspec *lag;
	size_t nlag;
	rollspec *roll;
	size_t nroll;
	long *diff;
	size_t ndiff;
	holspec *hol;
	size_t nhol;
	exog *ex;
	size_t nex;
	long horizon;
	int threads;            /* runtime.threads, resolved */
	int have_freq;
	fc_freq freq;
	const char *id_name, *time_name, *target_name;
	char **names;           /* generated column names */
	size_t nnames;
};

/* The state of one run: the header and the rows of one series. */
typedef struct run {
	fc_feat *f;
	const char *name;
	FILE *out;
	fc_err *err;
	fc_feat_stats *st;
	size_t ncol, necol;     /* input columns; plus new exogenous ones */
	char **col;             /* effective column names (input, new) */
	size_t id_col, time_col, target_col;
	char *arena;            /* the cells of the series' rows */
	size_t alen, acap;
	size_t *off;            /* n x ncol offsets into arena */
	size_t ocap;
	long *line;
	fc_time *t;
	size_t n, cap;          /* rows held; capacity of t, line */
	const char **fill;      /* N x necol exogenous values */
	double *num;            /* N x necol numbers (needed columns) */
	unsigned char *canon;   /* N x necol: 1 when the cell's text is how
				   fc_num_format writes its number */
	char *ob;               /* the row being written, ol bytes of obcap */
	size_t ol, obcap;
	int ooom;               /* the row buffer could not grow */
	int batched;            /* a worker's run: rows stay in ob */
	int *need;              /* necol: numbers wanted */
	char id[1024];
	fc_freq freq;
} run;

/* ---- the plan ---- */

static int
lookup(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}


static int
nomem(fc_err *err)
{
	return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

/* An integer scalar in [lo, hi]; 0 or -1. */
static int
node_long(const fc_cnode *n, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (n == NULL || n->kind != FC_CN_SCALAR || n->text[0] == '\0')
		return -1;
	v = strtol(n->text, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
node_num(const fc_cnode *n, double *out)
{
	size_t len;

	if (n == NULL || n->kind != FC_CN_SCALAR)
		return -1;
	len = strlen(n->text);
	return fc_num_parse(n->text, len, out, NULL) == 0 ? 0 : -1;
}

static const char *
node_str(const fc_cnode *n)
{
	return n && n->kind == FC_CN_SCALAR && n->text[0] ? n->text : NULL;
}

/* Every key of map m must be one of `allowed` ("a|b|c"). */
static int
only_keys(const fc_config *cfg, fc_err *err, const char *key,
	  const fc_cnode *m, const char *const *allowed)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (lookup(allowed, m->key[i]) < 0)
			return fc_config_fail(cfg, err, key, &m->kid[i],
				     "unknown name '%s'", m->key[i]);
	return 0;
}

static void fourier_at(double t, double p, long j, double *s, double *c);

/* The text of sin and cos at each step of a whole period: a cell holds
 * its length, then the digits. */
static int
fourier_table(fourier *fo)
{
	long p = (long)fo->period, x;
	double s, c;

	if ((double)p != fo->period || p > FOURIER_TABLE)
		return 0;
	if ((fo->text = calloc((size_t)p * 2, FOURIER_CELL)) == NULL)
		return -1;
	for (x = 0; x < p; x++) {
		char *cell = fo->text + (size_t)x * 2 * FOURIER_CELL;

		fourier_at((double)x, fo->period, 1, &s, &c);
		cell[0] = (char)fc_num_format(s, cell + 1);
		cell[FOURIER_CELL] = (char)fc_num_format(c, cell + FOURIER_CELL +
							 1);
	}
	return 0;
}

static int
read_fourier(fc_feat *f, const fc_config *cfg, fc_err *err)
{
	static const char *const keys[] = { "period", "k", NULL };
	const char *key = "features.fourier";
	const fc_cnode *t = fc_config_tree(cfg, key);
	size_t i;

	if (t->n && (f->fou = calloc(t->n, sizeof *f->fou)) == NULL)
		return nomem(err);
	for (i = 0; i < t->n; i++) {
		const fc_cnode *m = &t->kid[i];
		fourier *fo = &f->fou[i];

		if (only_keys(cfg, err, key, m, keys))
			return err->status;
		if (node_num(fc_cnode_get(m, "period"), &fo->period) != 0 ||
		    !(fo->period > 1))
			return fc_config_fail(cfg, err, key, m, "period must be a "
				     "number above 1");
		if (node_long(fc_cnode_get(m, "k"), 1, 1000, &fo->k) != 0)
			return fc_config_fail(cfg, err, key, m, "k must be an integer "
				     "in 1-1000");
		if (2.0 * (double)fo->k > fo->period)
			return fc_config_fail(cfg, err, key, m, "k %ld needs a period "
				     "of at least %ld", fo->k, 2 * fo->k);
		f->nfou++;
		if (fourier_table(fo) != 0)
			return nomem(err);
	}
	return 0;
}

/* A list of integers (or one integer) in [1, 100000] into *v. */
static int
read_ints(const fc_config *cfg, fc_err *err, const char *key,
	  const fc_cnode *n, long **v, size_t *nv)
{
	size_t i, cnt = n->kind == FC_CN_LIST ? n->n : 1;

	if ((*v = calloc(cnt + 1, sizeof **v)) == NULL)
		return nomem(err);
	for (i = 0; i < cnt; i++) {
		const fc_cnode *e = n->kind == FC_CN_LIST ? &n->kid[i] : n;

		if (node_long(e, 1, 100000, &(*v)[i]) != 0)
			return fc_config_fail(cfg, err, key, e, "'%s' is not an "
				     "integer in 1-100000",
				     e->kind == FC_CN_SCALAR ? e->text : "");
	}
	*nv = cnt;
	return 0;
}

static int
read_lags(fc_feat *f, const fc_config *cfg, fc_err *err)
{
	const char *key = "features.lags";
	const fc_cnode *t = fc_config_tree(cfg, key);
	size_t i;

	if (t->n && (f->lag = calloc(t->n, sizeof *f->lag)) == NULL)
		return nomem(err);
	for (i = 0; i < t->n; i++, f->nlag++) {
		f->lag[i].col = t->key[i];
		if (read_ints(cfg, err, key, &t->kid[i], &f->lag[i].lag,
			      &f->lag[i].n))
			return err->status;
	}
	return 0;
}

static int
read_rolling(fc_feat *f, const fc_config *cfg, fc_err *err)
{
	static const char *const keys[] = { "column", "window", "stats", NULL };
	const char *key = "features.rolling";
	const fc_cnode *t = fc_config_tree(cfg, key), *s;
	size_t i, j;
	int k;

	if (t->n && (f->roll = calloc(t->n, sizeof *f->roll)) == NULL)
		return nomem(err);
	for (i = 0; i < t->n; i++, f->nroll++) {
		const fc_cnode *m = &t->kid[i];
		rollspec *r = &f->roll[i];

		if (only_keys(cfg, err, key, m, keys))
			return err->status;
		r->col = node_str(fc_cnode_get(m, "column"));
		if (r->col == NULL)
			r->col = f->target_name;
		if (node_long(fc_cnode_get(m, "window"), 1, 100000,
			      &r->window) != 0)
			return fc_config_fail(cfg, err, key, m, "window must be an "
				     "integer in 1-100000");
		s = fc_cnode_get(m, "stats");
		if (s == NULL || s->kind != FC_CN_LIST || s->n == 0 ||
		    s->n > 5)
			return fc_config_fail(cfg, err, key, m, "stats must be a list "
				     "of mean, std, min, max, sum");
		for (j = 0; j < s->n; j++) {
			const char *w = node_str(&s->kid[j]);

			if (w == NULL || (k = lookup(stat_names, w)) < 0)
				return fc_config_fail(cfg, err, key, &s->kid[j], "'%s' "
					     "is not one of mean|std|min|max|"
					     "sum", w ? w : "");
			r->stat[r->nstat++] = k;
		}
	}
	return 0;
}

/* "MM-DD" (yearly) or "YYYY-MM-DD" (once) into h; 0 or -1. */
static int
parse_date(const char *s, fc_holiday *h)
{
	int y = 0, m, d, n = 0;

	if (strlen(s) == 5 && sscanf(s, "%2d-%2d%n", &m, &d, &n) == 2 &&
	    n == 5) {
		h->kind = FC_HOL_YEARLY;
		y = 2000;
	} else if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d,
					     &n) == 3 && n == 10 && y >= 1) {
		h->kind = FC_HOL_FIXED;
	} else {
		return -1;
	}
	if (d < 1 || d > fc_days_in_month(y, m))
		return -1;
	h->year = y;
	h->month = m;
	h->day = d;
	return 0;
}

static int
read_rule(const fc_config *cfg, fc_err *err, const char *key,
	  const fc_cnode *r, fc_holiday *h)
{
	static const char *const keys[] = { "month", "weekday", "nth", NULL };
	const char *w = node_str(fc_cnode_get(r, "weekday"));
	long v;
	int d = -1;
	size_t i;
	char low[16];

	if (r->kind != FC_CN_MAP || only_keys(cfg, err, key, r, keys))
		return r->kind != FC_CN_MAP ? fc_config_fail(cfg, err, key, r, "rule "
			"must be a mapping {month, weekday, nth}") :
			err->status;
	h->kind = FC_HOL_NTH;
	if (node_long(fc_cnode_get(r, "month"), 1, 12, &v) != 0)
		return fc_config_fail(cfg, err, key, r, "rule: month must be 1-12");
	h->month = (int)v;
	if (w && strlen(w) < sizeof low) {
		for (i = 0; w[i]; i++)
			low[i] = (char)tolower((unsigned char)w[i]);
		low[i] = '\0';
		for (d = 0; day_names[d]; d++)
			if (strcmp(day_names[d], low) == 0 ||
			    (i == 3 && strncmp(day_names[d], low, 3) == 0))
				break;
		if (day_names[d] == NULL)
			d = -1;
	}
	if (d < 0)
		return fc_config_fail(cfg, err, key, r, "rule: weekday must be a day "
			     "name (monday ... sunday)");
	h->weekday = d;
	if (node_long(fc_cnode_get(r, "nth"), -5, 5, &v) != 0 || v == 0)
		return fc_config_fail(cfg, err, key, r, "rule: nth must be 1-5, or -1 "
			     "to -5 counting from the month's end");
	h->nth = (int)v;
	return 0;
}

static int
read_holiday(const fc_config *cfg, fc_err *err, const fc_cnode *m,
	     holspec *hs)
{
	static const char *const keys[] = { "name", "date", "rule", "easter",
		NULL };
	const char *key = "features.holidays", *p;
	const fc_cnode *date = fc_cnode_get(m, "date");
	const fc_cnode *rule = fc_cnode_get(m, "rule");
	const fc_cnode *easter = fc_cnode_get(m, "easter");
	long v;

	if (only_keys(cfg, err, key, m, keys))
		return err->status;
	if ((hs->name = node_str(fc_cnode_get(m, "name"))) == NULL)
		return fc_config_fail(cfg, err, key, m, "a holiday needs a name");
	for (p = hs->name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_')
			return fc_config_fail(cfg, err, key, m, "name '%s' must be "
				     "snake_case (a-z, 0-9, _)", hs->name);
	if ((date != NULL) + (rule != NULL) + (easter != NULL) != 1)
		return fc_config_fail(cfg, err, key, m, "holiday '%s' needs one of "
			     "date, rule or easter", hs->name);
	if (date && (node_str(date) == NULL ||
		     parse_date(node_str(date), &hs->h) != 0))
		return fc_config_fail(cfg, err, key, date, "date '%s' is not MM-DD or "
			     "YYYY-MM-DD", date->kind == FC_CN_SCALAR ?
			     date->text : "");
	if (rule)
		return read_rule(cfg, err, key, rule, &hs->h);
	if (easter) {
		if (node_long(easter, -200, 200, &v) != 0)
			return fc_config_fail(cfg, err, key, easter, "easter must be "
				     "an offset in days, -200-200");
		hs->h.kind = FC_HOL_EASTER;
		hs->h.offset = (int)v;
	}
	return 0;
}

static int
read_holidays(fc_feat *f, const fc_config *cfg, fc_err *err)
{
	const fc_cnode *t = fc_config_tree(cfg, "features.holidays");
	size_t i, j;

	if (t->n && (f->hol = calloc(t->n, sizeof *f->hol)) == NULL)
		return nomem(err);
	for (i = 0; i < t->n; i++, f->nhol++) {
		if (read_holiday(cfg, err, &t->kid[i], &f->hol[i]))
			return err->status;
		for (j = 0; j < i; j++)
			if (strcmp(f->hol[j].name, // NOLINT: set above
				   f->hol[i].name) == 0)
				return fc_config_fail(cfg, err, "features.holidays",
					     &t->kid[i], "holiday '%s' given "
					     "twice", f->hol[i].name);
	}
	return 0;
}

static int
read_exog(fc_feat *f, const fc_config *cfg, fc_err *err, const fc_cnode *m,
	  exog *e)
{
	static const char *const keys[] = { "path", "on", "columns", NULL };
	const char *key = "features.exogenous", *w;
	const fc_cnode *on = fc_cnode_get(m, "on");
	const fc_cnode *cols = fc_cnode_get(m, "columns");
	size_t i;
	int has_id = 0, has_time = 0;

	if (only_keys(cfg, err, key, m, keys))
		return err->status;
	if ((e->path = node_str(fc_cnode_get(m, "path"))) == NULL)
		return fc_config_fail(cfg, err, key, m, "an exogenous file needs a path");
	for (i = 0; on && on->kind == FC_CN_LIST && i < on->n; i++) {
		w = node_str(&on->kid[i]);
		if (w && (strcmp(w, "id") == 0 || strcmp(w, f->id_name) == 0))
			has_id++;
		else if (w && (strcmp(w, "time") == 0 ||
			       strcmp(w, f->time_name) == 0))
			has_time++;
		else
			has_time = 9;
	}
	if (on && (on->kind != FC_CN_LIST || has_time != 1 || has_id > 1))
		return fc_config_fail(cfg, err, key, on, "on must be [%s, %s] or [%s]",
			     f->id_name, f->time_name, f->time_name);
	e->by_id = on ? has_id : 1;
	if (cols && cols->kind != FC_CN_LIST)
		return fc_config_fail(cfg, err, key, cols, "columns must be a list");
	if (cols && cols->n &&
	    (e->col = calloc(cols->n, sizeof *e->col)) == NULL)
		return nomem(err);
	for (i = 0; cols && i < cols->n; i++, e->ncol++)
		if ((e->col[i] = node_str(&cols->kid[i])) == NULL)
			return fc_config_fail(cfg, err, key, &cols->kid[i], "a column "
				     "name must not be empty");
	return 0;
}

int
fc_feat_new(fc_feat **out, const fc_config *cfg, fc_err *err)
{
	const fc_cnode *t = fc_config_tree(cfg, "features.exogenous");
	const char *const *items;
	const char *fr = fc_config_str(cfg, "schema.frequency");
	fc_feat *f;
	size_t n, i;
	int st;

	*out = NULL;
	if ((f = calloc(1, sizeof *f)) == NULL)
		return nomem(err);
	f->id_name = fc_config_str(cfg, "schema.id");
	f->time_name = fc_config_str(cfg, "schema.time");
	f->target_name = fc_config_str(cfg, "schema.target");
	f->horizon = fc_config_int(cfg, "predict.horizon");
	f->threads = fc_config_threads(cfg);
	f->have_freq = fr[0] && fc_freq_parse(fr, &f->freq) == 0;
	n = fc_config_list(cfg, "features.calendar", &items);
	for (i = 0; i < n && f->ncal < 10; i++)
		f->cal[f->ncal++] = lookup(cal_names, items[i]);
	if ((st = read_fourier(f, cfg, err)) || (st = read_lags(f, cfg, err)) ||
	    (st = read_rolling(f, cfg, err)) ||
	    (st = read_holidays(f, cfg, err)))
		goto fail;
	n = fc_config_list(cfg, "features.diffs", &items);
	if ((f->diff = calloc(n + 1, sizeof *f->diff)) == NULL) {
		st = nomem(err);
		goto fail;
	}
	for (i = 0; i < n; i++, f->ndiff++) {
		char *end;

		f->diff[i] = strtol(items[i], &end, 10);
		if (*end || items[i][0] == '\0' || f->diff[i] < 1 ||
		    f->diff[i] > 100000) {
			st = fc_config_fail(cfg, err, "features.diffs", NULL, "'%s' is "
				   "not an integer in 1-100000", items[i]);
			goto fail;
		}
	}
	if (t->n && (f->ex = calloc(t->n, sizeof *f->ex)) == NULL) {
		st = nomem(err);
		goto fail;
	}
	for (i = 0; i < t->n; i++, f->nex++)
		if ((st = read_exog(f, cfg, err, &t->kid[i], &f->ex[i])) != 0)
			goto fail;
	*out = f;
	return 0;
fail:
	fc_feat_free(f);
	return st;
}

static void
exog_clear(exog *e)
{
	size_t i, j;

	for (i = 0; i < e->nrow; i++) {
		for (j = 0; j < e->ncol; j++)
			free(e->row[i].val[j]);
		free(e->row[i].val);
		free(e->row[i].id);
	}
	free(e->row);
	free(e->col);
	for (i = 0; e->name && i < e->ncol; i++)
		free(e->name[i]);
	free(e->name);
	free(e->dest);
}

void
fc_feat_free(fc_feat *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nfou; i++)
		free(f->fou[i].text);
	free(f->fou);
	for (i = 0; i < f->nlag; i++)
		free(f->lag[i].lag);
	free(f->lag);
	free(f->roll);
	free(f->diff);
	free(f->hol);
	for (i = 0; i < f->nex; i++)
		exog_clear(&f->ex[i]);
	free(f->ex);
	for (i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f);
}

size_t
fc_feat_columns(const fc_feat *f, const char *const **names)
{
	*names = (const char *const *)f->names;
	return f->nnames;
}

/* ---- exogenous files ---- */

static int
xrow_cmp(const void *pa, const void *pb)
{
	const xrow *a = pa, *b = pb;
	int d = strcmp(a->id ? a->id : "", b->id ? b->id : "");

	if (d)
		return d;
	return (a->t.v > b->t.v) - (a->t.v < b->t.v);
}

/* The column of header h named s, or -1. */
/* Take the header of an exogenous file: where its key and columns are. */
static int
exog_header(fc_feat *f, exog *e, const fc_csv_row *h, long *idc, long *tc,
	    long **vc, fc_err *err)
{
	size_t i;

	*idc = e->by_id ? fc_csv_find(h, f->id_name) : -1;
	*tc = fc_csv_find(h, f->time_name);
	if ((e->by_id && *idc < 0) || *tc < 0)
		return fc_err_set(err, FC_EX_DATAERR, e->path, h->line,
				  "missing column '%s'", *tc < 0 ?
				  f->time_name : f->id_name);
	if (e->ncol == 0) {
		if ((e->col = calloc(h->n, sizeof *e->col)) == NULL)
			return nomem(err);
		for (i = 0; i < h->n; i++)
			if ((long)i != *idc && (long)i != *tc)
				e->col[e->ncol++] = h->f[i];
	}
	if ((*vc = calloc(e->ncol + 1, sizeof **vc)) == NULL)
		return nomem(err);
	for (i = 0; i < e->ncol; i++)
		if (((*vc)[i] = fc_csv_find(h, e->col[i])) < 0)
			return fc_err_set(err, FC_EX_DATAERR, e->path, h->line,
					  "missing column '%s'", e->col[i]);
	return 0;
}

/* Store one data row of an exogenous file. */
static int
exog_row(exog *e, const fc_csv_row *r, long idc, long tc, const long *vc,
	 size_t *cap, fc_err *err)
{
	const char *why = NULL;
	xrow *x;
	fc_time t;
	size_t i;

	if (fc_time_parse(r->f[tc], r->len[tc], NULL, &t, &why) != 0)
		return fc_err_set(err, FC_EX_DATAERR, e->path, r->line,
				  "invalid time '%s'", r->f[tc]);
	if (e->nrow == *cap) {
		size_t nc = *cap ? 2 * *cap : 64;
		xrow *nr = realloc(e->row, nc * sizeof *nr);

		if (nr == NULL)
			return nomem(err);
		e->row = nr;
		*cap = nc;
	}
	x = &e->row[e->nrow];
	memset(x, 0, sizeof *x);
	x->t = t;
	if ((x->val = calloc(e->ncol + 1, sizeof *x->val)) == NULL ||
	    (idc >= 0 && (x->id = strdup(r->f[idc])) == NULL)) {
		free(x->val);
		return nomem(err);
	}
	e->nrow++;
	for (i = 0; i < e->ncol; i++)
		if ((x->val[i] = strdup(r->f[vc[i]])) == NULL)
			return nomem(err);
	return 0;
}

static int
exog_load(fc_feat *f, exog *e, fc_err *err)
{
	FILE *fp = fopen(e->path, "r");
	fc_csv_reader *r;
	fc_csv_row *row;
	long idc, tc, *vc = NULL;
	size_t cap = 0, i;
	int st;

	if (fp == NULL)
		return fc_err_set(err, FC_EX_NOINPUT, e->path, 0, "cannot open "
				  "exogenous file: %s", strerror(errno));
	if ((r = fc_csv_open(fp, e->path, ',')) == NULL) {
		fclose(fp);
		return nomem(err);
	}
	if ((st = fc_csv_next(r, &row, err)) != 1) {
		if (st == 0)
			st = fc_err_set(err, FC_EX_DATAERR, e->path, 0,
					"empty file: expected a header line");
		goto out;
	}
	if ((st = exog_header(f, e, row, &idc, &tc, &vc, err)) != 0)
		goto out;
	/* the header's names live only until the next row: keep copies */
	if ((e->name = calloc(e->ncol + 1, sizeof *e->name)) == NULL) {
		st = nomem(err);
		goto out;
	}
	for (i = 0; i < e->ncol; i++)
		if ((e->name[i] = strdup(row->f[vc[i]])) == NULL) { // NOLINT
			st = nomem(err);
			goto out;
		}
	while ((st = fc_csv_next(r, &row, err)) == 1)
		if ((st = exog_row(e, row, idc, tc, vc, &cap, err)) != 0)
			goto out;
	if (st != 0)
		goto out;
	qsort(e->row, e->nrow, sizeof *e->row, xrow_cmp);
	for (i = 1; i < e->nrow; i++)
		if (xrow_cmp(&e->row[i - 1], &e->row[i]) == 0) {
			char buf[64];

			fc_time_format(e->row[i].t, buf, sizeof buf);
			st = fc_err_set(err, FC_EX_DATAERR, e->path, 0,
					"%s%s%stime %s given twice",
					e->by_id ? "id '" : "",
					e->by_id ? e->row[i].id : "",
					e->by_id ? "', " : "", buf);
			goto out;
		}
out:
	free(vc);
	fc_csv_close(r);
	fclose(fp);
	return st;
}

int
fc_feat_load_exogenous(fc_feat *f, fc_err *err)
{
	size_t i;
	int st;

	for (i = 0; i < f->nex; i++)
		if ((st = exog_load(f, &f->ex[i], err)) != 0)
			return st;
	return 0;
}

/* The row of e keyed (id, t), or NULL. */
static const xrow *
exog_find(const exog *e, const char *id, int64_t t)
{
	size_t lo = 0, hi = e->nrow;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const xrow *x = &e->row[mid];
		int d = e->by_id ? strcmp(x->id, id) : 0;

		if (d == 0)
			d = (x->t.v > t) - (x->t.v < t);
		if (d == 0)
			return x;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- the header ---- */

static int
oom(run *r)
{
	return nomem(r->err);
}

static long
col_find(const run *r, const char *s)
{
	size_t j;

	for (j = 0; j < r->necol; j++)
		if (strcmp(r->col[j], s) == 0)
			return (long)j;
	return -1;
}

/* Add a column name (a copy) to the effective columns. */
static int
col_add(run *r, const char *s)
{
	char **nc = realloc(r->col, (r->necol + 1) * sizeof *nc);

	if (nc == NULL)
		return oom(r);
	r->col = nc;
	if ((r->col[r->necol] = strdup(s)) == NULL)
		return oom(r);
	r->necol++;
	return 0;
}

/* Add a generated column name, printf-style. */
static int
name_add(run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
name_add(run *r, const char *fmt, ...)
{
	fc_feat *f = r->f;
	char buf[1200], **nn;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (i = 0; i < r->ncol; i++)
		if (strcmp(r->col[i], buf) == 0)
			return fc_err_set(r->err, FC_EX_DATAERR, r->name, 1,
					  "column '%s' would be generated "
					  "twice", buf);
	for (i = 0; i < f->nnames; i++)
		if (strcmp(f->names[i], buf) == 0)
			return fc_err_set(r->err, FC_EX_DATAERR, r->name, 1,
					  "column '%s' would be generated "
					  "twice", buf);
	if ((nn = realloc(f->names, (f->nnames + 1) * sizeof *nn)) == NULL)
		return oom(r);
	f->names = nn;
	if ((f->names[f->nnames] = strdup(buf)) == NULL)
		return oom(r);
	f->nnames++;
	return 0;
}

/* A column a feature names must exist; marks it as numeric. */
static int
need_col(run *r, const char *s, const char *key, size_t *at, long line)
{
	long j = col_find(r, s);

	if (j < 0)
		return fc_err_set(r->err, FC_EX_DATAERR, r->name, line,
				  "unknown column '%s' in %s", s, key);
	*at = (size_t)j;
	r->need[j] = 1;
	return 0;
}

static int
role(run *r, const char *key, const char *want, size_t *at, long line)
{
	long j = col_find(r, want);

	if (j < 0)
		return fc_err_set(r->err, FC_EX_DATAERR, r->name, line,
				  "missing column '%s' (%s)", want, key);
	*at = (size_t)j;
	return 0;
}

/* The names of the generated columns, in output order. */
static int
make_names(run *r)
{
	fc_feat *f = r->f;
	size_t i, j;
	long k;
	char p[32];

	for (i = r->ncol; i < r->necol; i++)
		if (name_add(r, "%s", r->col[i]))
			return r->err->status;
	for (i = 0; i < f->ncal; i++)
		if (name_add(r, "%s", cal_names[f->cal[i]]))
			return r->err->status;
	for (i = 0; i < f->nfou; i++) {
		fc_num_format(f->fou[i].period, p);
		for (k = 1; k <= f->fou[i].k; k++)
			if (name_add(r, "fourier_%s_sin_%ld", p, k) ||
			    name_add(r, "fourier_%s_cos_%ld", p, k))
				return r->err->status;
	}
	for (i = 0; i < f->nlag; i++)
		for (j = 0; j < f->lag[i].n; j++)
			if (name_add(r, "%s_lag_%ld", f->lag[i].col,
				     f->lag[i].lag[j]))
				return r->err->status;
	for (i = 0; i < f->nroll; i++)
		for (j = 0; j < f->roll[i].nstat; j++)
			if (name_add(r, "%s_roll_%ld_%s", f->roll[i].col,
				     f->roll[i].window,
				     stat_names[f->roll[i].stat[j]]))
				return r->err->status;
	for (i = 0; i < f->ndiff; i++)
		if (name_add(r, "%s_diff_%ld", f->target_name, f->diff[i]))
			return r->err->status;
	for (i = 0; i < f->nhol; i++)
		if (name_add(r, "hol_%s", f->hol[i].name) ||
		    name_add(r, "hol_%s_days_to", f->hol[i].name) ||
		    name_add(r, "hol_%s_days_since", f->hol[i].name))
			return r->err->status;
	return 0;
}

static int
read_header(run *r, const fc_csv_row *h)
{
	fc_feat *f = r->f;
	size_t i, j;
	long d;

	for (i = 0; i < h->n; i++) {
		if (col_find(r, h->f[i]) >= 0)
			return fc_err_set(r->err, FC_EX_DATAERR, r->name,
					  h->line, "duplicate column '%s'",
					  h->f[i]);
		if (col_add(r, h->f[i]))
			return r->err->status;
	}
	r->ncol = h->n;
	if (role(r, "schema.id", f->id_name, &r->id_col, h->line) ||
	    role(r, "schema.time", f->time_name, &r->time_col, h->line) ||
	    role(r, "schema.target", f->target_name, &r->target_col, h->line))
		return r->err->status;
	for (i = 0; i < f->nex; i++) {
		exog *e = &f->ex[i];

		if ((e->dest = calloc(e->ncol + 1, sizeof *e->dest)) == NULL)
			return oom(r);
		for (j = 0; j < e->ncol; j++) {
			if ((d = col_find(r, e->name[j])) < 0) {
				if (col_add(r, e->name[j]))
					return r->err->status;
				d = (long)r->necol - 1;
			}
			if (d == (long)r->id_col || d == (long)r->time_col ||
			    d == (long)r->target_col)
				return fc_err_set(r->err, FC_EX_DATAERR,
						  e->path, 1, "column '%s' "
						  "cannot be joined", e->name[j]);
			e->dest[j] = (size_t)d;
		}
	}
	if ((r->need = calloc(r->necol + 1, sizeof *r->need)) == NULL)
		return oom(r);
	for (i = 0; i < f->nlag; i++)
		if (need_col(r, f->lag[i].col, "features.lags",
			     &f->lag[i].ecol, h->line))
			return r->err->status;
	for (i = 0; i < f->nroll; i++)
		if (need_col(r, f->roll[i].col, "features.rolling",
			     &f->roll[i].ecol, h->line))
			return r->err->status;
	r->need[r->target_col] = 1;
	return make_names(r);
}

static void
write_header(run *r)
{
	size_t j;

	for (j = 0; j < r->necol; j++) {
		if (j)
			putc(',', r->out);
		fc_csv_put(r->out, r->col[j], strlen(r->col[j]), ',');
	}
	for (j = r->necol - r->ncol; j < r->f->nnames; j++) {
		putc(',', r->out);
		fc_csv_put(r->out, r->f->names[j], strlen(r->f->names[j]),
			   ',');
	}
	putc('\n', r->out);
}

/* ---- one series ---- */

static int
grow(run *r, size_t need)
{
	size_t nc;
	void *p;

	if (need <= r->cap)
		return 0;
	nc = r->cap ? r->cap : 256;
	while (nc < need)
		nc *= 2;
	if ((p = realloc(r->t, nc * sizeof *r->t)) == NULL)
		return oom(r);
	r->t = p;
	if ((p = realloc(r->line, nc * sizeof *r->line)) == NULL)
		return oom(r);
	r->line = p;
	r->cap = nc;
	return 0;
}

static int
store_row(run *r, const fc_csv_row *row)
{
	const char *why = NULL;
	size_t j, need = 0;
	fc_time t;
	char a[64], b[64];

	if (fc_time_parse(row->f[r->time_col], row->len[r->time_col], NULL,
			  &t, &why) != 0)
		return fc_err_set(r->err, FC_EX_DATAERR, r->name, row->line,
				  "column '%s': invalid time '%s'",
				  r->col[r->time_col], // NOLINT: set
				  row->f[r->time_col]);
	if (r->n > 0 && t.v <= r->t[r->n - 1].v) {
		fc_time_format(r->t[r->n - 1], a, sizeof a);
		fc_time_format(t, b, sizeof b);
		return fc_err_set(r->err, FC_EX_DATAERR, r->name, row->line,
				  "time '%s' not after '%s': not sorted by "
				  "(id, time)", b, a);
	}
	if (grow(r, r->n + 1) || r->t == NULL || r->line == NULL)
		return r->err->status ? r->err->status : oom(r);
	for (j = 0; j < r->ncol; j++)
		need += row->len[j] + 1;
	if (r->alen + need > r->acap) {
		size_t nc = r->acap ? r->acap : 65536;
		char *p;

		while (nc < r->alen + need)
			nc *= 2;
		if ((p = realloc(r->arena, nc)) == NULL)
			return oom(r);
		r->arena = p;
		r->acap = nc;
	}
	if ((r->n + 1) * r->ncol > r->ocap) {
		size_t nc = r->ocap ? 2 * r->ocap : 256 * r->ncol;
		size_t *p = realloc(r->off, nc * sizeof *p);

		if (p == NULL)
			return oom(r);
		r->off = p;
		r->ocap = nc;
	}
	for (j = 0; j < r->ncol; j++) {
		r->off[r->n * r->ncol + j] = r->alen;
		memcpy(r->arena + r->alen, row->f[j], row->len[j]);
		r->alen += row->len[j];
		r->arena[r->alen++] = '\0';
	}
	r->t[r->n] = t;
	r->line[r->n] = row->line;
	r->n++;
	return 0;
}

/* The text of effective column j at row i ("" when there is none). */
static const char *
cell(const run *r, size_t i, size_t j)
{
	const char *s = NULL;

	if (i < r->n && j < r->ncol)
		s = r->arena + r->off[i * r->ncol + j];
	if ((s == NULL || s[0] == '\0') && r->fill[i * r->necol + j])
		s = r->fill[i * r->necol + j];
	return s ? s : "";
}

/* The frequency of the series and the check that its grid is regular. */
static int
series_freq(run *r)
{
	size_t i;
	int on;
	char a[64], b[64], fb[32];

	if (r->f->have_freq) {
		r->freq = r->f->freq;
	} else if (r->n < 2) {
		return fc_err_set(r->err, FC_EX_DATAERR, r->name, r->line[0],
				  "series '%s': one row, cannot infer the "
				  "frequency; set schema.frequency", r->id);
	} else if (fc_freq_infer(r->t, r->n, &r->freq) != 0) {
		return fc_err_set(r->err, FC_EX_DATAERR, r->name, r->line[0],
				  "series '%s': no regular frequency; set "
				  "schema.frequency", r->id);
	}
	for (i = 1; i < r->n; i++)
		if (fc_time_steps(r->t[i - 1], r->t[i], r->freq, &on) != 1 ||
		    !on) {
			fc_time_format(r->t[i - 1], a, sizeof a);
			fc_time_format(r->t[i], b, sizeof b);
			fc_freq_format(r->freq, fb, sizeof fb);
			return fc_err_set(r->err, FC_EX_DATAERR, r->name,
					  r->line[i], "time '%s' is not one "
					  "period (%s) after '%s': not a "
					  "regular grid", b, fb, a);
		}
	return 0;
}

/* Exogenous values of every row, and the numbers of needed columns. */
static int
join_and_parse(run *r, size_t n)
{
	fc_feat *f = r->f;
	size_t i, j, c;

	free(r->fill);
	free(r->num);
	free(r->canon);
	r->fill = calloc(n * r->necol + 1, sizeof *r->fill);
	r->num = malloc((n * r->necol + 1) * sizeof *r->num);
	r->canon = calloc(n * r->necol + 1, 1);
	if (r->fill == NULL || r->num == NULL || r->canon == NULL)
		return oom(r);
	for (j = 0; j < f->nex; j++) {
		const exog *e = &f->ex[j];

		for (i = 0; i < n; i++) {
			const xrow *x = exog_find(e, r->id, r->t[i].v);

			for (c = 0; x && c < e->ncol; c++) {
				const char **p = &r->fill[i * r->necol +
							   e->dest[c]];

				if (x->val[c][0] == '\0' || *p)
					continue;
				if (i < r->n && e->dest[c] < r->ncol &&
				    r->arena[r->off[i * r->ncol + e->dest[c]]])
					continue;
				*p = x->val[c];
				r->st->exogenous_filled++;
			}
		}
	}
	for (j = 0; j < r->necol; j++) {
		if (!r->need[j])
			continue;
		for (i = 0; i < n; i++) {
			const char *s = cell(r, i, j);
			double *v = &r->num[i * r->necol + j];
			int canon = 0;

			*v = NAN;
			if (s[0] && fc_num_parse(s, strlen(s), v, &canon) != 0)
				return fc_err_set(r->err, FC_EX_DATAERR,
						  r->name, i < r->n ?
						  r->line[i] : 0, "column '%s':"
						  " invalid number '%s'",
						  r->col[j], s);
			/* fc_num_format writes the others in exponent or
			 * integer form */
			r->canon[i * r->necol + j] = (unsigned char)(canon &&
				(*v == 0 || (fabs(*v) >= 1e-3 &&
					     fabs(*v) < 1e15)));
		}
	}
	return 0;
}

static double
num(const run *r, size_t i, size_t j)
{
	return r->num[i * r->necol + j];
}

/*
 * A row is built in r->ob and written with one fwrite: stdio's per-call
 * cost, not the bytes, is what a row of many short cells pays for.
 */
static int
ob_room(run *r, size_t k)
{
	char *p;
	size_t cap;

	if (r->ol + k <= r->obcap)
		return 1;
	cap = (r->obcap ? r->obcap : 256) * 2;
	while (cap < r->ol + k)
		cap *= 2;
	if ((p = realloc(r->ob, cap)) == NULL) {
		r->ooom = 1;
		return 0;
	}
	r->ob = p;
	r->obcap = cap;
	return 1;
}

static void
ob_put(run *r, const char *s, size_t len)
{
	if (ob_room(r, len)) {
		memcpy(r->ob + r->ol, s, len);
		r->ol += len;
	}
}

static void
ob_char(run *r, char c)
{
	if (ob_room(r, 1))
		r->ob[r->ol++] = c;
}

/* A cell, quoted as fc_csv_put quotes it. */
static void
ob_cell(run *r, const char *s, size_t len)
{
	size_t i;
	int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');

	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r')
			quote = 1;
	if (!quote) {
		ob_put(r, s, len);
		return;
	}
	ob_char(r, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			ob_char(r, '"');
		ob_char(r, s[i]);
	}
	ob_char(r, '"');
}

/* Write the row built in r->ob. */
static void
ob_flush(run *r)
{
	fwrite_unlocked(r->ob, 1, r->ol, r->out);
	r->ol = 0;
}

static void
put_num(run *r, double v)
{
	if (ob_room(r, 41)) {
		r->ob[r->ol++] = ',';
		r->ol += fc_num_format(v, r->ob + r->ol);
	}
}

static void
put_int(run *r, long long v)
{
	put_num(r, (double)v);
}

/* ISO 8601 week number of a civil date. */
static int
iso_week(const fc_civil *c)
{
	int64_t d = fc_days_from_civil(c->year, (unsigned)c->month,
				       (unsigned)c->day);
	int64_t thu = d - c->wday + 3;
	fc_civil tc;
	fc_time t = { thu * 86400, FC_TIME_DATE };

	fc_time_civil(t, &tc);
	return (tc.yday - 1) / 7 + 1;
}

static void
put_calendar(run *r, fc_time t)
{
	fc_civil c;
	size_t i;
	long long v = 0;

	memset(&c, 0, sizeof c);
	if (t.kind != FC_TIME_INDEX)
		fc_time_civil(t, &c);
	for (i = 0; i < r->f->ncal; i++) {
		if (t.kind == FC_TIME_INDEX) {
			ob_char(r, ',');
			continue;
		}
		switch (r->f->cal[i]) {
		case 0: v = c.year; break;
		case 1: v = (c.month - 1) / 3 + 1; break;
		case 2: v = c.month; break;
		case 3: v = iso_week(&c); break;
		case 4: v = c.wday; break;
		case 5: v = c.day; break;
		case 6: v = c.yday; break;
		case 7: v = c.hour; break;
		case 8: v = c.wday >= 5; break;
		default: v = c.day == fc_days_in_month(c.year, c.month); break;
		}
		put_int(r, v);
	}
}

/* Periods since 1970-01 (months) or the epoch (seconds, index). */
static double
period_index(fc_time t, fc_freq f)
{
	fc_civil c;

	if (f.unit == FC_FREQ_MONTHS && t.kind != FC_TIME_INDEX) {
		fc_time_civil(t, &c);
		return ((double)(c.year - 1970) * 12 + c.month - 1) /
		       (double)f.n;
	}
	return (double)t.v / (double)f.n;
}

/* sin and cos of 2 pi j t / p, exact at the quarter turns. */
static void
fourier_at(double t, double p, long j, double *s, double *c)
{
	double u = fmod(t, p), x, q;

	if (u < 0)
		u += p;
	x = fmod((double)j * u, p);
	q = 4.0 * x / p;
	if (q == floor(q)) {
		static const double sv[] = { 0, 1, 0, -1 }, cv[] = { 1, 0, -1,
								   0 };
		int k = (int)q & 3;

		*s = sv[k];
		*c = cv[k];
		return;
	}
	*s = sin(2.0 * M_PI * x / p);
	*c = cos(2.0 * M_PI * x / p);
}

/* ',' and the text of a table cell: a copy of fixed size, which is
 * cheaper than one of the text's own length. */
static void
ob_table(run *r, const char *cell)
{
	if (ob_room(r, FOURIER_CELL)) {
		r->ob[r->ol] = ',';
		memcpy(r->ob + r->ol + 1, cell + 1, FOURIER_CELL - 1);
		r->ol += 1 + (size_t)(unsigned char)cell[0];
	}
}

static void
put_fourier(run *r, size_t i)
{
	double t = period_index(r->t[i], r->freq), s, c;
	size_t k;
	long j;

	for (k = 0; k < r->f->nfou; k++) {
		const fourier *fo = &r->f->fou[k];

		if (fo->text && t == floor(t) && fabs(t) < 4503599627370496.0) {
			long long p = (long long)fo->period;
			long long u = (long long)t % p;

			if (u < 0)
				u += p;
			for (j = 1; j <= fo->k; j++) {
				const char *cell = fo->text + (size_t)((j * u) % p) *
							      2 * FOURIER_CELL;

				ob_table(r, cell);
				ob_table(r, cell + FOURIER_CELL);
			}
			continue;
		}
		for (j = 1; j <= fo->k; j++) {
			fourier_at(t, fo->period, j, &s, &c);
			put_num(r, s);
			put_num(r, c);
		}
	}
}

/* Column j's value l rows before row i: its own text when that is how
 * the number would be written, which saves formatting it again. */
static void
put_lag(run *r, size_t i, size_t l, size_t j)
{
	const char *s;

	if (i < l || !r->canon[(i - l) * r->necol + j]) {
		put_num(r, i >= l ? num(r, i - l, j) : NAN);
		return;
	}
	s = cell(r, i - l, j);
	ob_char(r, ',');
	ob_put(r, s, strlen(s));
}

/* Lags, rolling statistics and differences: values before row i only. */
static void
put_past(run *r, size_t i)
{
	fc_feat *f = r->f;
	size_t k, j;

	for (k = 0; k < f->nlag; k++)
		for (j = 0; j < f->lag[k].n; j++) {
			size_t l = (size_t)f->lag[k].lag[j];

			put_lag(r, i, l, f->lag[k].ecol);
		}
	for (k = 0; k < f->nroll; k++) {
		const rollspec *rs = &f->roll[k];
		size_t w = (size_t)rs->window, m;
		double sum = 0, mn = INFINITY, mx = -INFINITY, ss = 0, v;
		int ok = i >= w;

		for (m = 1; ok && m <= w; m++) {
			v = num(r, i - m, rs->ecol);
			ok = !isnan(v);
			sum += v;
			mn = v < mn ? v : mn;
			mx = v > mx ? v : mx;
		}
		for (m = 1; ok && m <= w; m++) {
			v = num(r, i - m, rs->ecol) - sum / (double)w;
			ss += v * v;
		}
		for (j = 0; j < rs->nstat; j++) {
			switch (rs->stat[j]) {
			case ST_MEAN: v = sum / (double)w; break;
			case ST_STD: v = w > 1 ? sqrt(ss / (double)(w - 1)) :
					 NAN; break;
			case ST_MIN: v = mn; break;
			case ST_MAX: v = mx; break;
			default: v = sum; break;
			}
			put_num(r, ok ? v : NAN);
		}
	}
	for (k = 0; k < f->ndiff; k++) {
		size_t d = (size_t)f->diff[k];

		put_num(r, i >= d + 1 ? num(r, i - 1, r->target_col) -
			num(r, i - 1 - d, r->target_col) : NAN);
	}
}

static int64_t
day_of(fc_time t)
{
	return t.v >= 0 ? t.v / 86400 : -((-t.v + 86399) / 86400);
}

static void
put_holidays(run *r, size_t i, size_t n)
{
	fc_time tn = i + 1 < n ? r->t[i + 1] : fc_time_add(r->t[i], r->freq,
							     1);
	int64_t d = day_of(r->t[i]), dn = day_of(tn), prev, next;
	size_t k;

	if (dn <= d)
		dn = d + 1;
	for (k = 0; k < r->f->nhol; k++) {
		if (r->t[i].kind == FC_TIME_INDEX) {
			ob_put(r, ",,,", 3);
			continue;
		}
		fc_holiday_near(&r->f->hol[k].h, d, &prev, &next);
		put_int(r, next != INT64_MIN && next < dn);
		if (next != INT64_MIN)
			put_int(r, next - d);
		else
			ob_char(r, ',');
		if (prev != INT64_MIN)
			put_int(r, d - prev);
		else
			ob_char(r, ',');
	}
}

static void
write_row(run *r, size_t i, size_t n)
{
	char buf[64];
	size_t j, len;

	for (j = 0; j < r->necol; j++) {
		const char *s;

		if (j)
			ob_char(r, ',');
		if (j == r->time_col && i >= r->n) {
			len = fc_time_format(r->t[i], buf, sizeof buf);
			ob_put(r, buf, len);
			continue;
		}
		s = j == r->id_col ? r->id : cell(r, i, j);
		ob_cell(r, s, strlen(s));
	}
	put_calendar(r, r->t[i]);
	put_fourier(r, i);
	put_past(r, i);
	put_holidays(r, i, n);
	ob_char(r, '\n');
	if (!r->batched)
		ob_flush(r);
}

static int
flush_series(run *r)
{
	size_t n, i;
	long k;
	int st;

	if (r->n == 0)
		return 0;
	if ((st = series_freq(r)) != 0)
		return st;
	n = r->n + (size_t)r->f->horizon;
	if (grow(r, n))
		return r->err->status;
	for (k = 1; k <= r->f->horizon; k++)
		r->t[r->n + (size_t)k - 1] = fc_time_add(r->t[r->n - 1],
							 r->freq, k);
	if ((st = join_and_parse(r, n)) != 0)
		return st;
	for (i = 0; i < n; i++)
		write_row(r, i, n);
	if (r->ooom)
		return oom(r);
	r->st->rows_out += n;
	r->st->horizon_rows += (unsigned long long)r->f->horizon;
	r->st->series++;
	r->n = r->alen = 0;
	return 0;
}

static void
run_free(run *r)
{
	size_t j;

	for (j = 0; j < r->necol; j++)
		free(r->col[j]);
	free(r->col);
	free(r->arena);
	free(r->off);
	free(r->line);
	free(r->t);
	free(r->fill);
	free(r->num);
	free(r->canon);
	free(r->ob);
	free(r->need);
}

/* Take one data row: a new id ends the series before it. */
static int
take_row(run *r, const fc_csv_row *row)
{
	const char *id = row->f[r->id_col];
	int d;
	int st;

	if (r->n > 0 && (d = strcmp(id, r->id)) != 0) {
		if (d < 0)
			return fc_err_set(r->err, FC_EX_DATAERR, r->name,
					  row->line, "id '%s' after '%s': not "
					  "sorted by (id, time)", id, r->id);
		if ((st = flush_series(r)) != 0)
			return st;
	}
	if (r->n == 0) {
		if (row->len[r->id_col] >= sizeof r->id)
			return fc_err_set(r->err, FC_EX_DATAERR, r->name,
					  row->line, "id longer than %zu bytes",
					  sizeof r->id - 1);
		memcpy(r->id, id, row->len[r->id_col] + 1);
	}
	return store_row(r, row);
}

static int
feat_header(void *ctx, const fc_csv_row *row)
{
	run *r = ctx;
	int s = read_header(r, row);

	if (s == 0)
		write_header(r);
	return s;
}

static int
feat_row(void *ctx, const fc_csv_row *row)
{
	return take_row(ctx, row);
}

/* ---- batches: the series of a stretch of input, on worker threads ----
 *
 * With more than one thread the reading thread parses the CSV and packs
 * whole series, about BATCH_BYTES at a time, into batches; a worker runs
 * the same per-series code on a batch into memory, and the reading thread
 * writes the batches' rows in input order. A batch ends only where the id
 * grows, so a series is never split and an id out of order stays inside
 * one batch for the worker to report. The output is byte for byte the
 * sequential one; memory holds `threads` batches, whatever the number of
 * series.
 */
#define BATCH_BYTES (1u << 20)

typedef struct batch {
	char *buf;              /* rows: line, field count, (len, bytes, NUL)... */
	size_t len, cap, nrows;
	run r;                  /* header fields shared with the reader's run */
	fc_feat_stats st;
	fc_err err;
	int status, busy, thread;
	pthread_t th;
} batch;

typedef struct reader {
	run *proto;             /* the header, read once */
	batch *b;
	size_t nb;              /* batches */
	size_t tofill;          /* index of the batch being filled */
	char last[1024];        /* id of the last row packed */
	int status;             /* first error of a batch, in input order */
	fc_err berr;            /* and its message */
	/* the writer: a thread that waits for the batches in input order,
	 * writes their rows and frees their slots */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t wth;
	int writer;             /* the writer thread runs */
	int ended;              /* no batch will be started any more */
	size_t towrite;         /* index of the next batch to write */
} reader;

static void *
batch_work(void *arg)
{
	batch *b = arg;
	fc_csv_row row;
	const char *p = b->buf, *end = b->buf + b->len;
	char **f = NULL;
	size_t *len = NULL, j, nf;
	int st = 0;

	f = malloc((b->r.ncol + 1) * sizeof *f);
	len = malloc((b->r.ncol + 1) * sizeof *len);
	if (f == NULL || len == NULL) {
		free(f);
		free(len);
		b->status = oom(&b->r);
		return NULL;
	}
	while (st == 0 && p < end) {
		memcpy(&row.line, p, sizeof row.line);
		p += sizeof row.line;
		memcpy(&nf, p, sizeof nf);
		p += sizeof nf;
		for (j = 0; j < nf; j++) {
			memcpy(&len[j], p, sizeof len[j]);
			p += sizeof len[j];
			f[j] = (char *)(uintptr_t)p;
			p += len[j] + 1;
		}
		row.n = nf;
		row.f = f;
		row.len = len;
		st = take_row(&b->r, &row);
	}
	if (st == 0)
		st = flush_series(&b->r);
	free(f);
	free(len);
	b->status = st;
	return NULL;
}

/* Wait for batch b's worker and write its rows; the first error is kept.
 * The output is written outside the lock: only this writer touches it. */
static void
batch_finish(reader *rd, batch *b)
{
	int ok;

	if (b->thread)
		pthread_join(b->th, NULL);
	b->thread = 0;
	pthread_mutex_lock(&rd->mu);
	if (rd->status == 0 && b->status != 0) {
		rd->status = b->status;
		rd->berr = b->err;
	}
	ok = rd->status == 0;
	pthread_mutex_unlock(&rd->mu);
	if (ok)
		fwrite_unlocked(b->r.ob, 1, b->r.ol, rd->proto->out);
	rd->proto->st->rows_out += b->st.rows_out;
	rd->proto->st->horizon_rows += b->st.horizon_rows;
	rd->proto->st->series += b->st.series;
	rd->proto->st->exogenous_filled += b->st.exogenous_filled;
	pthread_mutex_lock(&rd->mu);
	b->busy = 0;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
}

static void *
batch_writer(void *arg)
{
	reader *rd = arg;

	for (;;) {
		batch *b = &rd->b[rd->towrite];

		pthread_mutex_lock(&rd->mu);
		while (!b->busy && !rd->ended)
			pthread_cond_wait(&rd->cv, &rd->mu);
		if (!b->busy) {         /* ended, and nothing left */
			pthread_mutex_unlock(&rd->mu);
			return NULL;
		}
		pthread_mutex_unlock(&rd->mu);
		batch_finish(rd, b);
		rd->towrite = (rd->towrite + 1) % rd->nb;
	}
}

/* Start the batch being filled, on a thread, then wait for the slot to
 * fill next to be written and free. */
static int
batch_start(reader *rd)
{
	batch *b = &rd->b[rd->tofill], *next;
	int st;

	if (b->nrows == 0)
		return rd->status;
	b->r.ol = 0;
	b->r.n = b->r.alen = 0;
	b->status = 0;
	memset(&b->st, 0, sizeof b->st);
	b->thread = pthread_create(&b->th, NULL, batch_work, b) == 0;
	if (!b->thread)
		batch_work(b);  /* no thread to be had: here, then */
	pthread_mutex_lock(&rd->mu);
	b->busy = 1;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	if (!rd->writer)
		batch_finish(rd, b);    /* no writer thread: write it now */
	rd->tofill = (rd->tofill + 1) % rd->nb;
	next = &rd->b[rd->tofill];
	pthread_mutex_lock(&rd->mu);
	while (next->busy)
		pthread_cond_wait(&rd->cv, &rd->mu);
	st = rd->status;
	pthread_mutex_unlock(&rd->mu);
	next->len = next->nrows = 0;
	return st;
}

static int
batch_add(batch *b, const fc_csv_row *row)
{
	size_t need = sizeof row->line + sizeof row->n, j;
	char *p;

	for (j = 0; j < row->n; j++)
		need += sizeof row->len[j] + row->len[j] + 1;
	if (b->len + need > b->cap) {
		size_t cap = b->cap ? b->cap : BATCH_BYTES + BATCH_BYTES / 4;

		while (cap < b->len + need)
			cap *= 2;
		if ((p = realloc(b->buf, cap)) == NULL)
			return oom(&b->r);
		b->buf = p;
		b->cap = cap;
	}
	p = b->buf + b->len;
	memcpy(p, &row->line, sizeof row->line);
	p += sizeof row->line;
	memcpy(p, &row->n, sizeof row->n);
	p += sizeof row->n;
	for (j = 0; j < row->n; j++) {
		memcpy(p, &row->len[j], sizeof row->len[j]);
		p += sizeof row->len[j];
		memcpy(p, row->f[j], row->len[j]);
		p += row->len[j];
		*p++ = '\0';
	}
	b->len += need;
	b->nrows++;
	return 0;
}

static int
batch_header(void *ctx, const fc_csv_row *row)
{
	reader *rd = ctx;
	size_t i;
	int s = read_header(rd->proto, row);

	if (s != 0)
		return s;
	write_header(rd->proto);
	for (i = 0; i < rd->nb; i++) {
		batch *b = &rd->b[i];

		b->r = *rd->proto;
		b->r.arena = NULL;
		b->r.off = NULL;
		b->r.line = NULL;
		b->r.t = NULL;
		b->r.fill = NULL;
		b->r.num = NULL;
		b->r.canon = NULL;
		b->r.ob = NULL;
		b->r.alen = b->r.acap = b->r.ocap = b->r.ol = b->r.obcap = 0;
		b->r.n = b->r.cap = 0;
		b->r.batched = 1;
		b->r.err = &b->err;
		b->r.st = &b->st;
	}
	return 0;
}

static int
batch_row(void *ctx, const fc_csv_row *row)
{
	reader *rd = ctx;
	batch *b = &rd->b[rd->tofill];
	const char *id = row->f[rd->proto->id_col];

	/* a batch ends where the id grows, once it is big enough */
	if (b->len >= BATCH_BYTES && strcmp(id, rd->last) > 0) {
		if (batch_start(rd) != 0)
			return rd->status;
		b = &rd->b[rd->tofill];
	}
	if (row->len[rd->proto->id_col] < sizeof rd->last)
		memcpy(rd->last, id, row->len[rd->proto->id_col] + 1);
	else
		rd->last[0] = '\0';
	return batch_add(b, row);
}

/* Free a worker run's buffers; the header fields are the reader's. */
static void
batch_free(batch *b)
{
	free(b->buf);
	free(b->r.arena);
	free(b->r.off);
	free(b->r.line);
	free(b->r.t);
	free(b->r.fill);
	free(b->r.num);
	free(b->r.canon);
	free(b->r.ob);
}

static int
run_batched(run *r, FILE *in, int threads)
{
	reader rd;
	size_t i;
	int s;

	memset(&rd, 0, sizeof rd);
	rd.proto = r;
	/* one batch per worker, one being filled and one being written */
	rd.nb = (size_t)threads + 2;
	if ((rd.b = calloc(rd.nb, sizeof *rd.b)) == NULL)
		return oom(r);
	pthread_mutex_init(&rd.mu, NULL);
	pthread_cond_init(&rd.cv, NULL);
	rd.writer = pthread_create(&rd.wth, NULL, batch_writer, &rd) == 0;
	s = fc_csv_each(in, r->name, ',', batch_header, batch_row, &rd,
			&r->st->rows_in, r->err);
	/* the rows read before a reading error come first */
	if (rd.status == 0 && rd.b[rd.tofill].nrows > 0)
		batch_start(&rd);
	pthread_mutex_lock(&rd.mu);
	rd.ended = 1;
	pthread_cond_broadcast(&rd.cv);
	pthread_mutex_unlock(&rd.mu);
	if (rd.writer)
		pthread_join(rd.wth, NULL);
	if (rd.status != 0) {
		s = rd.status;
		*r->err = rd.berr;
	}
	for (i = 0; i < rd.nb; i++)
		batch_free(&rd.b[i]);
	pthread_cond_destroy(&rd.cv);
	pthread_mutex_destroy(&rd.mu);
	free(rd.b);
	return s;
}

int
fc_feat_run(fc_feat *f, FILE *in, const char *name, FILE *out,
	    fc_feat_stats *st, fc_err *err)
{
	run r;
	size_t i;
	int s;

	memset(st, 0, sizeof *st);
	memset(&r, 0, sizeof r);
	r.f = f;
	r.name = name;
	r.out = out;
	r.err = err;
	r.st = st;
	for (i = 0; i < f->nnames; i++)
		free(f->names[i]);
	f->nnames = 0;
	if (f->threads > 1) {
		s = run_batched(&r, in, f->threads);
	} else {
		s = fc_csv_each(in, name, ',', feat_header, feat_row, &r,
				&st->rows_in, err);
		if (s == 0)
			s = flush_series(&r);
	}
	if (s == 0 && (fflush(out) != 0 || ferror(out)))
		s = fc_err_set(err, FC_EX_IOERR, NULL, 0, "write error: %s",
			       strerror(errno));
	run_free(&r);
	return s;
}
