/* csvio - streaming RFC 4180 reading on libcsv, and quoting writer */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"

#define READ_CHUNK (256 * 1024)

struct fc_csv_reader {
	FILE *fp;
	const char *name;
	struct csv_parser p;
	char delim;
	fc_csv_tap tap;
	void *tap_ctx;

	char *in;               /* read buffer */
	size_t in_len, in_pos;
	int started, eof, finished;
	long cur_line;          /* line of the segment being parsed */
	unsigned long long bytes;

	/* Field text of ready rows and of the row being assembled. */
	char *data;
	size_t data_len, data_cap;
	size_t *off, *flen;
	size_t nfields, fields_cap;

	/* Completed rows, first field index and count, waiting to be read. */
	size_t *r_first, *r_n;
	long *r_line;
	size_t nrows, rows_cap, next_row;

	size_t part_first;      /* first field of the row being assembled */
	long part_line;
	long row_start;         /* line where the row being read began */
	size_t expect;          /* fields per row, from the header */

	int cb_status;          /* error found inside a callback */
	long cb_line;
	size_t cb_got;
	int oom;

	fc_csv_row row;
	char **row_f;
	size_t *row_len;
	size_t row_cap;
};

static int
is_space(unsigned char c)
{
	return c == CSV_SPACE;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

fc_csv_reader *
fc_csv_open(FILE *fp, const char *name, char delim)
{
	fc_csv_reader *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->in = malloc(READ_CHUNK);
	if (r->in == NULL ||
	    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r->in);
		free(r);
		return NULL;
	}
	csv_set_delim(&r->p, (unsigned char)delim);
	if (delim == CSV_TAB || delim == CSV_SPACE)
		csv_set_space_func(&r->p, is_space);
	r->fp = fp;
	r->name = name;
	r->delim = delim;
	r->cur_line = 1;
	return r;
}

void
fc_csv_set_tap(fc_csv_reader *r, fc_csv_tap tap, void *ctx)
{
	r->tap = tap;
	r->tap_ctx = ctx;
}

/* Make room for `need` fields (off and flen grow together). */
static int
grow_fields(fc_csv_reader *r, size_t need)
{
	size_t cap = r->fields_cap;
	size_t *fl;

	if (grow((void **)&r->off, &cap, need, sizeof *r->off))
		return -1;
	if (cap != r->fields_cap) {
		fl = realloc(r->flen, cap * sizeof *fl);
		if (fl == NULL)
			return -1;
		r->flen = fl;
		r->fields_cap = cap;
	}
	return 0;
}

/* Make room for `need` ready rows (three parallel arrays). */
static int
grow_rows(fc_csv_reader *r, size_t need)
{
	size_t cap = r->rows_cap;
	size_t *n;
	long *l;

	if (grow((void **)&r->r_first, &cap, need, sizeof *r->r_first))
		return -1;
	if (cap != r->rows_cap) {
		if ((n = realloc(r->r_n, cap * sizeof *n)) == NULL)
			return -1;
		r->r_n = n;
		if ((l = realloc(r->r_line, cap * sizeof *l)) == NULL)
			return -1;
		r->r_line = l;
		r->rows_cap = cap;
	}
	return 0;
}

static void
on_field(void *s, size_t len, void *ctx)
{
	fc_csv_reader *r = ctx;
	size_t i = r->nfields;

	if (r->oom)
		return;
	if (i == r->part_first)
		r->part_line = r->row_start;
	if (grow((void **)&r->data, &r->data_cap, r->data_len + len + 1, 1) ||
	    grow_fields(r, i + 1)) {
		r->oom = 1;
		return;
	}
	if (len)
		memcpy(r->data + r->data_len, s, len);
	r->data[r->data_len + len] = '\0';
	r->off[i] = r->data_len;
	r->flen[i] = len;
	r->data_len += len + 1;
	r->nfields++;
}

static void
on_row(int c, void *ctx)
{
	fc_csv_reader *r = ctx;
	size_t n = r->nfields - r->part_first;
	size_t k = r->nrows;

	(void)c;
	if (r->oom || r->cb_status)
		return;
	if (r->expect == 0)
		r->expect = n;
	else if (n != r->expect) {
		r->cb_status = FC_EX_DATAERR;
		r->cb_line = r->part_line;
		r->cb_got = n;
		return;
	}
	if (grow_rows(r, k + 1)) {
		r->oom = 1;
		return;
	}
	r->r_first[k] = r->part_first;
	r->r_n[k] = n;
	r->r_line[k] = r->part_line;
	r->nrows++;
	r->part_first = r->nfields;
}

/* Drop the rows already handed out; keep the row being assembled. */
static void
compact(fc_csv_reader *r)
{
	size_t first = r->part_first, base, i;

	if (r->next_row < r->nrows || first == 0) {
		if (r->next_row >= r->nrows)
			r->nrows = r->next_row = 0;
		return;
	}
	base = first < r->nfields ? r->off[first] : r->data_len;
	memmove(r->data, r->data + base, r->data_len - base);
	r->data_len -= base;
	for (i = first; i < r->nfields; i++) {
		r->off[i - first] = r->off[i] - base;
		r->flen[i - first] = r->flen[i];
	}
	r->nfields -= first;
	r->part_first = 0;
	r->nrows = r->next_row = 0;
}

static int
cb_error(fc_csv_reader *r, fc_err *err)
{
	if (r->oom)
		return fc_err_set(err, FC_EX_SOFTWARE, r->name, r->cur_line,
				  "out of memory");
	return fc_err_set(err, r->cb_status, r->name, r->cb_line,
			  "row has %zu field%s, the header has %zu",
			  r->cb_got, r->cb_got == 1 ? "" : "s", r->expect);
}

/* Feed one line (or the tail of the buffer) to libcsv. */
static int
feed(fc_csv_reader *r, const char *s, size_t len, fc_err *err)
{
	/* pstate 0: libcsv is between rows, so a row starts on this line */
	if (r->p.pstate == 0)
		r->row_start = r->cur_line;
	if (csv_parse(&r->p, s, len, on_field, on_row, r) != len)
		return fc_err_set(err, FC_EX_DATAERR, r->name, r->cur_line,
				  "malformed quoted field");
	if (r->oom || r->cb_status)
		return cb_error(r, err);
	return 0;
}

/*
 * A whole line that libcsv would parse exactly as a split on the
 * delimiter: no quote, no CR but the one before the LF, and a delimiter
 * that is not one of the spaces libcsv trims around fields.
 */
static int
plain_line(const fc_csv_reader *r, const char *s, size_t n)
{
	const char *cr;

	if (r->delim == ' ' || r->delim == '\t' || memchr(s, '"', n))
		return 0;
	cr = memchr(s, '\r', n);
	return cr == NULL || cr == s + n - 2;
}

/*
 * Split a plain line (see plain_line) into fields as libcsv would: spaces
 * and tabs around a field left out, a line of nothing but spaces skipped.
 */
static int
split_line(fc_csv_reader *r, const char *s, size_t n, fc_err *err)
{
	const char *end = s + n, *p;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = s; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p == end)
		return 0;
	r->row_start = r->cur_line;
	for (p = s;; p++) {
		const char *a = p, *b;

		while (p < end && *p != r->delim)
			p++;
		b = p;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		on_field((void *)a, (size_t)(b - a), r);
		if (p >= end)
			break;
	}
	on_row('\n', r);
	if (r->oom || r->cb_status)
		return cb_error(r, err);
	return 0;
}

static int
fill(fc_csv_reader *r, fc_err *err)
{
	r->in_len = fread(r->in, 1, READ_CHUNK, r->fp);
	r->in_pos = 0;
	if (r->in_len == 0) {
		if (ferror(r->fp))
			return fc_err_set(err, FC_EX_IOERR, r->name, 0,
					  "read error: %s", strerror(errno));
		r->eof = 1;
		return 0;
	}
	if (r->tap && r->tap(r->tap_ctx, r->in, r->in_len) != 0)
		return fc_err_set(err, FC_EX_IOERR, r->name, 0,
				  "write error: %s", strerror(errno));
	if (!r->started) {
		r->started = 1;
		if (r->in_len >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0)
			r->in_pos = 3;
	}
	return 0;
}

/* Parse input until at least one row is ready or the input ends. */
static int
parse_more(fc_csv_reader *r, fc_err *err)
{
	int st;

	while (r->next_row >= r->nrows && !r->finished) {
		compact(r);
		if (r->in_pos >= r->in_len) {
			if ((st = fill(r, err)) != 0)
				return st;
			if (r->eof) {
				r->finished = 1;
				if (csv_fini(&r->p, on_field, on_row, r) != 0)
					return fc_err_set(err, FC_EX_DATAERR,
						r->name, r->row_start,
						"unterminated quoted field");
				if (r->oom || r->cb_status)
					return cb_error(r, err);
				break;
			}
		}
		while (r->in_pos < r->in_len && r->next_row >= r->nrows) {
			const char *s = r->in + r->in_pos;
			size_t left = r->in_len - r->in_pos;
			const char *nl = memchr(s, '\n', left);
			size_t n = nl ? (size_t)(nl - s) + 1 : left;

			if (nl && r->p.pstate == 0 && plain_line(r, s, n))
				st = split_line(r, s, n, err);
			else
				st = feed(r, s, n, err);
			if (st != 0)
				return st;
			r->in_pos += n;
			r->bytes += n;
			if (nl)
				r->cur_line++;
		}
	}
	return 0;
}

int
fc_csv_next(fc_csv_reader *r, fc_csv_row **row, fc_err *err)
{
	size_t k, i, first;
	int st;

	if ((st = parse_more(r, err)) != 0)
		return st;
	if (r->next_row >= r->nrows)
		return 0;
	k = r->next_row++;
	first = r->r_first[k];
	if (r->r_n[k] + 1 > r->row_cap) {
		size_t cap = r->r_n[k] + 1;
		char **f = realloc(r->row_f, cap * sizeof *f);
		size_t *l = f ? realloc(r->row_len, cap * sizeof *l) : NULL;

		if (f)
			r->row_f = f;
		if (l == NULL)
			return fc_err_set(err, FC_EX_SOFTWARE, r->name,
					  r->r_line[k], "out of memory");
		r->row_len = l;
		r->row_cap = cap;
	}
	for (i = 0; i < r->r_n[k]; i++) {
		r->row_f[i] = r->data + r->off[first + i];
		r->row_len[i] = r->flen[first + i];
	}
	r->row.n = r->r_n[k];
	r->row.f = r->row_f;
	r->row.len = r->row_len;
	r->row.line = r->r_line[k];
	*row = &r->row;
	return 1;
}

int
fc_csv_each(FILE *fp, const char *name, char delim,
	    int (*on_header)(void *ctx, const fc_csv_row *row),
	    int (*on_row)(void *ctx, const fc_csv_row *row), void *ctx,
	    unsigned long long *rows, fc_err *err)
{
	fc_csv_reader *r = fc_csv_open(fp, name, delim);
	fc_csv_row *row = NULL;
	int st;

	if (r == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, name, 0, "out of memory");
	if ((st = fc_csv_next(r, &row, err)) != 1) {
		fc_csv_close(r);
		if (st == 0)
			return fc_err_set(err, FC_EX_DATAERR, name, 0,
					  "empty file: expected a header line");
		return st;
	}
	if (row == NULL || (st = on_header(ctx, row)) != 0)
		goto out;
	while ((st = fc_csv_next(r, &row, err)) == 1) {
		(*rows)++;
		if ((st = on_row(ctx, row)) != 0)
			goto out;
	}
	if (st == 0 && *rows == 0)
		st = fc_err_set(err, FC_EX_DATAERR, name, 0,
				"no data rows after the header");
out:
	fc_csv_close(r);
	return st == FC_CSV_STOP ? 0 : st;
}

long
fc_csv_find(const fc_csv_row *row, const char *name)
{
	size_t i;

	for (i = 0; i < row->n; i++)
		if (strcmp(row->f[i], name) == 0)
			return (long)i;
	return -1;
}

unsigned long long
fc_csv_bytes(const fc_csv_reader *r)
{
	return r->bytes;
}

void
fc_csv_close(fc_csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->p);
	free(r->in);
	free(r->data);
	free(r->off);
	free(r->flen);
	free(r->r_first);
	free(r->r_n);
	free(r->r_line);
	free(r->row_f);
	free(r->row_len);
	free(r);
}

void
fc_csv_put(FILE *fp, const char *s, size_t len, char delim)
{
	size_t i;
	int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');

	for (i = 0; i < len && !quote; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r')
			quote = 1;
	if (!quote) {
		fwrite_unlocked(s, 1, len, fp);
		return;
	}
	putc_unlocked('"', fp);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			putc_unlocked('"', fp);
		putc_unlocked(s[i], fp);
	}
	putc_unlocked('"', fp);
}

static size_t
format_int(long long v, char *buf)
{
	char tmp[24];
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
				       (unsigned long long)v;
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return k;
}

typedef unsigned __int128 u128;

/* 10^k for 0 <= k <= 19. */
static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL
};

/*
 * x = m 2^-s rounded to p significant digits (round half to even on the
 * exact value, as printf does): q with *d the decimal exponent of its
 * first digit. Returns 1 when q 10^(d-p+1) reads back as x. The callers
 * keep 0 <= p - 1 - *d <= 19 (p <= 17, -3 <= *d <= 15).
 */
static int
round_digits(uint64_t m, int s, int p, int *d, uint64_t *q)
{
	uint64_t ten = pow10_u64[p - 1 - *d], v;
	u128 n = (u128)m * ten, half, r, dd;

	v = (uint64_t)(n >> s);
	r = n - ((u128)v << s);
	half = (u128)1 << (s - 1);
	if (r > half || (r == half && (v & 1)))
		v++;
	/* distance from x, in units of 2^-s 10^-k, against half an ulp */
	dd = ((u128)v << s) > n ? ((u128)v << s) - n : n - ((u128)v << s);
	if (v == pow10_u64[p]) {
		v /= 10;
		(*d)++;
	}
	*q = v;
	if (m == (1ULL << 52) && ((u128)v << s) < n)
		return 4 * dd <= ten;
	return 2 * dd < ten || (2 * dd == ten && (m & 1) == 0);
}

/* Write q (p digits, first digit at decimal exponent d) in fixed form. */
static size_t
put_fixed(char *buf, int neg, uint64_t q, int p, int d)
{
	static const char two[] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	char dig[24], *e = dig + sizeof dig, *t = e;
	size_t k = 0;
	int i;

	/* trailing zeros of a fraction go; d < p: no integer digit does
	 * (eight at a time first, as a 15-digit short number has many) */
	while (p - 8 >= d + 1 && p > 8 && q % 100000000 == 0) {
		q /= 100000000;
		p -= 8;
	}
	while (p > d + 1 && p > 1 && q % 10 == 0) {
		q /= 10;
		p--;
	}
	while (q >= 100) {
		t -= 2;
		memcpy(t, two + 2 * (q % 100), 2);
		q /= 100;
	}
	if (q >= 10) {
		t -= 2;
		memcpy(t, two + 2 * q, 2);
	} else {
		*--t = (char)('0' + q);
	}
	if (neg)
		buf[k++] = '-';
	if (d < 0) {
		buf[k++] = '0';
		buf[k++] = '.';
		for (i = -1; i > d; i--)
			buf[k++] = '0';
		memcpy(buf + k, t, (size_t)p);
		k += (size_t)p;
	} else {
		memcpy(buf + k, t, (size_t)d + 1);
		k += (size_t)d + 1;
		if (p > d + 1) {
			buf[k++] = '.';
			memcpy(buf + k, t + d + 1, (size_t)(p - d - 1));
			k += (size_t)(p - d - 1);
		}
	}
	(void)e;
	buf[k] = '\0';
	return k;
}

/*
 * The shortest of 15, 16 or 17 significant digits for a non-integer x
 * with 1e-3 <= |x| < 1e15, by exact integer arithmetic; 0 when x is out
 * of that range.
 */
static size_t
format_fast(double x, char *buf)
{
	/* 10^-4 .. 10^16, index k + 4 */
	static const double p10[] = {
		1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
		1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16
	};
	double a = fabs(x);
	uint64_t m, q, bits;
	int e, s, d, p, t;

	if (!(a >= 1e-3 && a < 1e15))
		return 0;
	/* a = m 2^(e-53), m with 53 bits (a is normal here) */
	memcpy(&bits, &a, sizeof bits);
	e = (int)(bits >> 52) - 1022;
	m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
	s = 53 - e;
	if (s <= 0 || s > 64)
		return 0;
	/* 2^(e-1) <= a < 2^e: floor(log10(a)) is floor((e-1) log10(2))
	 * (78913 / 2^18 for log10(2), exact for |e| < 1000) or one more */
	t = (e - 1) * 78913;
	d = t >= 0 ? t / 262144 : -((-t + 262143) / 262144);
	/* 10^(d+1) <= a, exactly: m 10^-(d+1) >= 2^s below 1 */
	if (d + 1 >= 0 ? a >= p10[d + 5] :
	    (u128)m * pow10_u64[-(d + 1)] >= (u128)1 << s)
		d++;
	if (d < -3 || d > 14)
		return 0;       /* round_digits' table ends at 10^19 */
	/*
	 * When 16-digit decimals lie more than an ulp apart (10^(15-d) <
	 * 2^s), at most one reads back as x; if 15 digits read back, that
	 * one is them with a zero added, which put_fixed trims: 16 digits
	 * alone decide between the shortest of 15 or 16, and 17.
	 */
	p = ((u128)1 << s) > pow10_u64[15 - d] ? 16 : 15;
	for (; p < 17; p++) {
		int dp = d;

		if (round_digits(m, s, p, &dp, &q))
			return put_fixed(buf, x < 0, q, p, dp);
	}
	round_digits(m, s, 17, &d, &q);
	return put_fixed(buf, x < 0, q, 17, d);
}

size_t
fc_num_format(double x, char *buf)
{
	size_t n;
	int prec;

	if (isnan(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (x == 0)
		x = 0; /* no "-0" */
	if (fabs(x) < 9007199254740992.0 && x == (double)(long long)x)
		return format_int((long long)x, buf);
	if ((n = format_fast(x, buf)) > 0)
		return n;
	for (prec = 15; prec < 17; prec++) {
		sprintf(buf, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return strlen(buf);
	}
	return (size_t)sprintf(buf, "%.17g", x);
}

void
fc_csv_put_num(FILE *fp, double x)
{
	char buf[40];
	size_t n = fc_num_format(x, buf);

	fwrite_unlocked(buf, 1, n, fp);
}
