/* processed - the processed layer: columns kept, aggregation, windows */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "processed.h"
#include "timeutil.h"
#include "value.h"

enum { AG_MEAN, AG_SUM, AG_LAST };
enum { INC_DROP, INC_FILL, INC_KEEP };

/* One row of a series: its kept cells, NUL-terminated, in one block. */
typedef struct prow {
	char *buf;
	size_t *off;
	fc_time t;
	long line;
} prow;

typedef struct proc {
	const fc_config *cfg;
	const char *name;
	FILE *out;
	fc_err *err;
	fc_proc_stats *st;
	size_t *keep;           /* input column of each kept column */
	int *agg;               /* aggregation of each kept column */
	size_t nkeep;           /* 0 id, 1 time, 2 target, then features */
	int have_freq, incomplete;
	fc_freq freq;
	double fill;
	long window;
	prow *row;
	size_t n, cap;
	char id[1024];
} proc;

static int
oom(proc *p)
{
	return fc_err_set(p->err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
}

static int
in_list(const char *const *items, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(items[i], s) == 0)
			return 1;
	return 0;
}

/* Every name of list `key` must be a column of h. */
static int
check_names(proc *p, const fc_csv_row *h, const char *key, int map)
{
	const char *const *items, *const *vals;
	size_t n, i;

	n = map ? fc_config_map(p->cfg, key, &items, &vals) :
		  fc_config_list(p->cfg, key, &items);
	for (i = 0; i < n; i++)
		if (fc_csv_find(h, items[i]) < 0)
			return fc_err_set(p->err, FC_EX_DATAERR, p->name,
					  h->line, "unknown column '%s' in %s",
					  items[i], key);
	return 0;
}

static int
add_keep(proc *p, size_t col)
{
	size_t i;

	for (i = 0; i < p->nkeep; i++)
		if (p->keep[i] == col)
			return 0;
	p->keep[p->nkeep++] = col;
	return 0;
}

static int
read_header(proc *p, const fc_csv_row *h)
{
	static const char *const roles[] = { "schema.id", "schema.time",
		"schema.target" };
	const char *const *cols, *const *drop, *const *ak, *const *av;
	size_t ncols, ndrop, na, i, j;
	long c;

	if (check_names(p, h, "processed.columns", 0) ||
	    check_names(p, h, "processed.drop", 0) ||
	    check_names(p, h, "processed.aggregate", 1))
		return p->err->status;
	if ((p->keep = calloc(h->n + 1, sizeof *p->keep)) == NULL ||
	    (p->agg = calloc(h->n + 1, sizeof *p->agg)) == NULL)
		return oom(p);
	ncols = fc_config_list(p->cfg, "processed.columns", &cols);
	ndrop = fc_config_list(p->cfg, "processed.drop", &drop);
	for (i = 0; i < 3; i++) {
		const char *want = fc_config_str(p->cfg, roles[i]);

		if ((c = fc_csv_find(h, want)) < 0)
			return fc_err_set(p->err, FC_EX_DATAERR, p->name,
					  h->line, "missing column '%s' (%s)",
					  want, roles[i]);
		if (in_list(drop, ndrop, want))
			return fc_err_set(p->err, FC_EX_DATAERR, p->name,
					  h->line, "processed.drop names '%s' "
					  "(%s), which is always kept", want,
					  roles[i]);
		p->keep[p->nkeep++] = (size_t)c;
	}
	for (i = 0; i < (ncols ? ncols : h->n); i++) {
		const char *s = ncols ? cols[i] : h->f[i];

		if (!in_list(drop, ndrop, s))
			add_keep(p, (size_t)fc_csv_find(h, s));
	}
	na = fc_config_map(p->cfg, "processed.aggregate", &ak, &av);
	for (i = 0; i < p->nkeep; i++)
		for (j = 0; j < na; j++)
			if (strcmp(h->f[p->keep[i]], ak[j]) == 0)
				p->agg[i] = strcmp(av[j], "sum") == 0 ? AG_SUM :
					    strcmp(av[j], "last") == 0 ?
					    AG_LAST : AG_MEAN;
	p->st->columns = p->nkeep;
	for (i = 0; i < p->nkeep; i++) {
		if (i)
			putc(',', p->out);
		fc_csv_put(p->out, h->f[p->keep[i]], h->len[p->keep[i]], ',');
	}
	putc('\n', p->out);
	return 0;
}

static const char *
cellp(const proc *p, const prow *r, size_t k)
{
	(void)p;
	return r->buf + r->off[k]; // NOLINT: off has nkeep entries
}

static int
store(proc *p, const fc_csv_row *row)
{
	const char *why;
	size_t k, len = 0, at = 0;
	prow *r;

	if (p->n == p->cap) {
		size_t nc = p->cap ? 2 * p->cap : 256;
		prow *nr = realloc(p->row, nc * sizeof *nr);

		if (nr == NULL)
			return oom(p);
		p->row = nr;
		p->cap = nc;
	}
	r = &p->row[p->n];
	for (k = 0; k < p->nkeep; k++)
		len += row->len[p->keep[k]] + 1;
	r->buf = malloc(len + 1);
	r->off = malloc((p->nkeep + 1) * sizeof *r->off);
	if (r->buf == NULL || r->off == NULL) {
		free(r->buf);
		free(r->off);
		return oom(p);
	}
	p->n++;
	for (k = 0; k < p->nkeep; k++) {
		size_t j = p->keep[k];

		r->off[k] = at;
		memcpy(r->buf + at, row->f[j], row->len[j] + 1);
		at += row->len[j] + 1;
	}
	r->line = row->line;
	if (fc_time_parse(cellp(p, r, 1), strlen(cellp(p, r, 1)), NULL, &r->t,
			  &why) != 0)
		return fc_err_set(p->err, FC_EX_DATAERR, p->name, row->line,
				  "column '%s': invalid time '%s'",
				  row->f[p->keep[1]], cellp(p, r, 1));
	if (p->n > 1 && r->t.v <= p->row[p->n - 2].t.v)
		return fc_err_set(p->err, FC_EX_DATAERR, p->name, row->line,
				  "time '%s' not after the row before: not "
				  "sorted by (id, time)", cellp(p, r, 1));
	return 0;
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return q - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* The start of the period of p->freq that holds t. */
static fc_time
bucket(const proc *p, fc_time t)
{
	fc_time b = t;
	fc_civil c;
	int64_t m, d, w;

	if (t.kind == FC_TIME_INDEX) {
		b.v = floordiv(t.v, p->freq.n) * p->freq.n;
	} else if (p->freq.unit == FC_FREQ_MONTHS) {
		fc_time_civil(t, &c);
		m = (int64_t)c.year * 12 + c.month - 1;
		m = floordiv(m, p->freq.n) * p->freq.n;
		b.v = fc_days_from_civil(m / 12, (unsigned)(m % 12 + 1), 1) *
		      86400;
	} else if (p->freq.n % 604800 == 0) {
		/* weeks start on Monday; 1970-01-05 was one */
		w = p->freq.n / 86400;
		d = floordiv(t.v, 86400) - 4;
		b.v = (floordiv(d, w) * w + 4) * 86400;
	} else {
		b.v = floordiv(t.v, p->freq.n) * p->freq.n;
	}
	return b;
}

/* Aggregate column k over rows [a, z) and write it. */
static void
put_agg(proc *p, size_t k, size_t a, size_t z)
{
	double sum = 0, v;
	size_t i;
	const char *s;

	if (p->agg[k] == AG_LAST || k == 0) {
		s = cellp(p, &p->row[z - 1], k);
		fc_csv_put(p->out, s, strlen(s), ',');
		return;
	}
	for (i = a; i < z; i++) {
		s = cellp(p, &p->row[i], k);
		if (s[0] == '\0')
			return;         /* one value missing: unknown */
		if (fc_num_parse(s, strlen(s), &v, NULL) != 0) {
			s = cellp(p, &p->row[z - 1], k);
			fc_csv_put(p->out, s, strlen(s), ',');
			return;         /* text: the last value */
		}
		sum += v;
	}
	fc_csv_put_num(p->out, p->agg[k] == AG_SUM ? sum :
		       sum / (double)(z - a));
}

/* Merge the rows of each period into one, in place of the first. */
static int
aggregate(proc *p, size_t *out_n)
{
	size_t a, z, k, n = 0;
	char *buf;
	size_t len;
	FILE *mem;

	for (a = 0; a < p->n; a = z) {
		fc_time b = bucket(p, p->row[a].t);
		char tb[64];

		for (z = a + 1; z < p->n && bucket(p, p->row[z].t).v == b.v;
		     z++)
			;
		if ((mem = open_memstream(&buf, &len)) == NULL)
			return oom(p);
		fc_time_format(b, tb, sizeof tb);
		for (k = 0; k < p->nkeep; k++) {
			FILE *o = p->out;

			p->out = mem;
			if (k == 1)
				fputs(tb, mem);
			else
				put_agg(p, k, a, z);
			p->out = o;
			putc('\0', mem);
		}
		if (fclose(mem) != 0)
			return oom(p);
		p->st->rows_aggregated += z - a;
		/* rebuild row n from the merged text */
		free(p->row[n].buf);
		if (n != a) {
			free(p->row[a].buf);
			p->row[a].buf = NULL;
		}
		p->row[n].buf = buf;
		p->row[n].t = b;
		for (k = 0, len = 0; k < p->nkeep; k++) {
			p->row[n].off[k] = len;
			len += strlen(buf + len) + 1;
		}
		for (k = a + 1; k < z; k++) {
			free(p->row[k].buf);
			p->row[k].buf = NULL;
		}
		n++;
	}
	for (k = n; k < p->n; k++) {
		free(p->row[k].buf);
		free(p->row[k].off);
	}
	*out_n = n;
	return 0;
}

/* 1 when a feature cell of row r is empty. */
static int
incomplete(const proc *p, const prow *r)
{
	size_t k;

	for (k = 3; k < p->nkeep; k++)
		if (cellp(p, r, k)[0] == '\0')
			return 1;
	return 0;
}

static void
write_row(proc *p, const prow *r, int fill)
{
	size_t k;

	for (k = 0; k < p->nkeep; k++) {
		const char *s = k == 0 ? p->id : cellp(p, r, k);

		if (k)
			putc(',', p->out);
		if (fill && k >= 3 && s[0] == '\0')
			fc_csv_put_num(p->out, p->fill);
		else
			fc_csv_put(p->out, s, strlen(s), ',');
	}
	putc('\n', p->out);
}

static int
flush(proc *p)
{
	size_t n = p->n, i, lead = 0, hist, from;
	int st;

	if (n == 0)
		return 0;
	if (p->have_freq && (st = aggregate(p, &n)) != 0)
		return st;
	p->n = n;
	/* history: up to the trailing rows with an empty target */
	for (hist = n; hist > 0 && cellp(p, &p->row[hist - 1], 2)[0] == '\0';
	     hist--)
		;
	while (lead < hist && cellp(p, &p->row[lead], 2)[0] != '\0' &&
	       incomplete(p, &p->row[lead]))
		lead++;
	from = p->incomplete == INC_DROP ? lead : 0;
	p->st->incomplete_dropped += p->incomplete == INC_DROP ? lead : 0;
	p->st->incomplete_filled += p->incomplete == INC_FILL ? lead : 0;
	if (p->window > 0 && hist > from && hist - from > (size_t)p->window) {
		p->st->window_dropped += hist - from - (size_t)p->window;
		from = hist - (size_t)p->window;
	}
	for (i = from; i < n; i++)
		write_row(p, &p->row[i], p->incomplete == INC_FILL && i < lead);
	p->st->rows_out += n - from;
	p->st->series++;
	for (i = 0; i < n; i++) {
		free(p->row[i].buf);
		free(p->row[i].off);
	}
	p->n = 0;
	return 0;
}

static int
take(proc *p, const fc_csv_row *row)
{
	const char *id = row->f[p->keep[0]]; // NOLINT: set by the header
	int d;
	int st;

	if (p->n > 0 && (d = strcmp(id, p->id)) != 0) {
		if (d < 0)
			return fc_err_set(p->err, FC_EX_DATAERR, p->name,
					  row->line, "id '%s' after '%s': not "
					  "sorted by (id, time)", id, p->id);
		if ((st = flush(p)) != 0)
			return st;
	}
	if (p->n == 0) {
		if (row->len[p->keep[0]] >= sizeof p->id)
			return fc_err_set(p->err, FC_EX_DATAERR, p->name,
					  row->line, "id longer than %zu bytes",
					  sizeof p->id - 1);
		memcpy(p->id, id, row->len[p->keep[0]] + 1);
	}
	return store(p, row);
}

static int
proc_header(void *ctx, const fc_csv_row *row)
{
	return read_header(ctx, row);
}

static int
proc_row(void *ctx, const fc_csv_row *row)
{
	return take(ctx, row);
}

int
fc_processed(const fc_config *cfg, FILE *in, const char *name, FILE *out,
	     fc_proc_stats *st, fc_err *err)
{
	const char *f = fc_config_str(cfg, "processed.frequency");
	const char *inc = fc_config_str(cfg, "processed.incomplete");
	proc p;
	size_t i;
	int s;

	memset(st, 0, sizeof *st);
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.name = name;
	p.out = out;
	p.err = err;
	p.st = st;
	p.have_freq = f[0] && fc_freq_parse(f, &p.freq) == 0;
	p.incomplete = strcmp(inc, "fill") == 0 ? INC_FILL :
		       strcmp(inc, "keep") == 0 ? INC_KEEP : INC_DROP;
	p.fill = fc_config_num(cfg, "processed.fill_value");
	p.window = fc_config_int(cfg, "processed.window");
	if ((s = fc_csv_each(in, name, ',', proc_header, proc_row, &p,
			     &st->rows_in, err)) != 0)
		goto out;
	s = flush(&p);
	if (s == 0 && (fflush(out) != 0 || ferror(out)))
		s = fc_err_set(err, FC_EX_IOERR, NULL, 0, "write error: %s",
			       strerror(errno));
out:
	for (i = 0; i < p.n; i++) {
		free(p.row[i].buf);
		free(p.row[i].off);
	}
	free(p.row);
	free(p.keep);
	free(p.agg);
	return s;
}
