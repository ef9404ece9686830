/* timeutil - timestamps, frequencies and calendar arithmetic */
#define _XOPEN_SOURCE 700       /* strptime */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE         /* tm_gmtoff */
#endif

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

#define DAY     INT64_C(86400)
#define WEEK    (7 * DAY)
/* 0001-01-01T00:00:00 and 9999-12-31T23:59:59 in seconds since 1970. */
#define T_MIN   (INT64_C(-719162) * DAY)
#define T_MAX   ((INT64_C(2932896) + 1) * DAY - 1)

/* The fields of a calendar time as written; off is seconds east of UTC. */
struct fields {
	int year, month, day, hour, min, sec;
	long off;
};

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static int64_t
floormod(int64_t a, int64_t b)
{
	return a - floordiv(a, b) * b;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Set *why (when not NULL) and return -1. */
static int
bad(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -1;
}

static int
is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int
fc_days_in_month(int64_t y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/*
 * Count in 400-year eras starting on March 1st, so that the leap day is
 * the last day of its year and the month lengths repeat in a 153-day
 * five-month pattern.
 */
int64_t
fc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	uint32_t yoe, doy, doe;

	if (m <= 2)
		y--;
	era = floordiv(y, 400);
	yoe = (uint32_t)(y - era * 400);                /* 0..399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* 0..146096 */
	return era * 146097 + doe - 719468;
}

/* The inverse of fc_days_from_civil. */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	uint32_t doe, yoe, doy, mp;     /* small and not negative: cheap */

	z += 719468;
	era = floordiv(z, 146097);
	doe = (uint32_t)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Split a calendar time into its date and its second of the day. */
static int64_t
split(int64_t v, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t days = floordiv(v, DAY);

	civil_from_days(days, y, m, d);
	return v - days * DAY;
}

void
fc_time_civil(fc_time t, fc_civil *c)
{
	int64_t days, sod, y;
	unsigned m, d;

	memset(c, 0, sizeof *c);
	if (t.kind == FC_TIME_INDEX)
		return;
	days = floordiv(t.v, DAY);
	sod = split(t.v, &y, &m, &d);
	c->year = (int)y;
	c->month = (int)m;
	c->day = (int)d;
	c->hour = (int)(sod / 3600);
	c->min = (int)(sod / 60 % 60);
	c->sec = (int)(sod % 60);
	c->wday = (int)floormod(days + 3, 7);   /* 1970-01-01 was a Thursday */
	c->yday = (int)(days - fc_days_from_civil(y, 1, 1) + 1);
}

/* ---- parsing ---- */

/* The value of the n digits at s, or -1 when one is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0, i;
	unsigned dg;

	for (i = 0; i < n; i++) {
		dg = (unsigned)(unsigned char)s[i] - '0';
		if (dg > 9)
			return -1;
		v = v * 10 + (int)dg;
	}
	return v;
}

/* The first complaint about f's ranges, or NULL when f is a real time. */
static const char *
check_fields(const struct fields *f)
{
	if (f->year < 1 || f->year > 9999)
		return "year out of range (1-9999)";
	if (f->month < 1 || f->month > 12)
		return "month out of range";
	if (f->day < 1 || f->day > fc_days_in_month(f->year, f->month))
		return "day out of range for the month";
	if (f->hour < 0 || f->hour > 23)
		return "hour out of range";
	if (f->min < 0 || f->min > 59)
		return "minute out of range";
	if (f->sec < 0 || f->sec > 59)
		return "second out of range";
	return NULL;
}

/* Validate f and store it in *out as UTC. */
static int
finish(const struct fields *f, fc_time_kind kind, fc_time *out,
       const char **why)
{
	const char *msg;
	int64_t v;

	if ((msg = check_fields(f)) != NULL)
		return bad(why, msg);
	v = fc_days_from_civil(f->year, (unsigned)f->month, (unsigned)f->day)
	    * DAY + f->hour * 3600 + f->min * 60 + f->sec - f->off;
	if (v < T_MIN || v > T_MAX)
		return bad(why, "year out of range (1-9999)");
	if (kind == FC_TIME_DATE && f->off != 0 && floormod(v, DAY) != 0)
		kind = FC_TIME_DATETIME;
	out->v = v;
	out->kind = kind;
	return 0;
}

/* YYYY-MM[-DD] at s; returns the length read, or -1. */
static int
parse_ymd(const char *s, size_t len, struct fields *f, const char **why)
{
	size_t k = 0;

	while (k < len && is_digit(s[k]))
		k++;
	if (k != 4)
		return bad(why, k > 4 ? "year out of range (1-9999)" :
			   "not a date");
	f->year = digits(s, 4);
	if (len < 7 || (f->month = digits(s + 5, 2)) < 0 ||
	    (len > 7 && is_digit(s[7])))
		return bad(why, "not a date");
	if (len == 7)
		return 7;
	if (s[7] != '-')
		return bad(why, "trailing characters");
	if (len < 10 || (f->day = digits(s + 8, 2)) < 0 ||
	    (len > 10 && is_digit(s[10])))
		return bad(why, "not a date");
	return 10;
}

/* Z, +hh:mm, -hh:mm, +hhmm or -hhmm at s + i; returns the new i or -1. */
static long
parse_offset(const char *s, size_t len, size_t i, struct fields *f,
	     const char **why)
{
	int hh, mm = -1, sign;

	if (i == len || (s[i] != 'Z' && s[i] != '+' && s[i] != '-'))
		return (long)i;
	if (s[i] == 'Z')
		return (long)i + 1;
	sign = s[i] == '-' ? -1 : 1;
	if (i + 3 > len || (hh = digits(s + i + 1, 2)) < 0)
		return bad(why, "bad utc offset");
	if (i + 6 <= len && s[i + 3] == ':') {
		mm = digits(s + i + 4, 2);
		i += 6;
	} else if (i + 5 <= len) {
		mm = digits(s + i + 3, 2);
		i += 5;
	}
	if (mm < 0)
		return bad(why, "bad utc offset");
	if (hh > 23 || mm > 59)
		return bad(why, "utc offset out of range");
	f->off = sign * (hh * 3600L + mm * 60L);
	return (long)i;
}

/* [T ]HH:MM[:SS[.fff]][offset] at s + i up to len; 0 or -1. */
static int
parse_clock(const char *s, size_t len, size_t i, struct fields *f,
	    const char **why)
{
	long j;

	if ((s[i] != 'T' && s[i] != ' ') ||
	    (s[i] == ' ' && (i + 1 == len || !is_digit(s[i + 1]))))
		return bad(why, "trailing characters");
	if (i + 6 > len || (f->hour = digits(s + i + 1, 2)) < 0 ||
	    s[i + 3] != ':' || (f->min = digits(s + i + 4, 2)) < 0)
		return bad(why, "not a time");
	i += 6;
	if (i < len && s[i] == ':') {
		if (i + 3 > len || (f->sec = digits(s + i + 1, 2)) < 0)
			return bad(why, "not a time");
		i += 3;
		if (i < len && s[i] == '.') {
			/* Fractions of a second are dropped, not rounded. */
			if (++i == len || !is_digit(s[i]))
				return bad(why, "not a time");
			while (i < len && is_digit(s[i]))
				i++;
		}
	}
	if ((j = parse_offset(s, len, i, f, why)) < 0)
		return -1;
	if ((size_t)j != len)
		return bad(why, "trailing characters");
	return 0;
}

static int
parse_iso(const char *s, size_t len, fc_time *out, const char **why)
{
	struct fields f = { 0, 0, 1, 0, 0, 0, 0 };
	int i;

	if ((i = parse_ymd(s, len, &f, why)) < 0)
		return -1;
	if ((size_t)i == len)
		return finish(&f, FC_TIME_DATE, out, why);
	if (parse_clock(s, len, (size_t)i, &f, why) != 0)
		return -1;
	return finish(&f, FC_TIME_DATETIME, out, why);
}

/* An optionally signed decimal integer that fits in int64_t. */
static int
parse_index(const char *s, size_t len, fc_time *out, const char **why)
{
	uint64_t v = 0, lim = INT64_MAX;
	unsigned dg;
	size_t i = 0;
	int neg = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		lim += neg;
		i++;
	}
	if (i == len)
		return bad(why, "not a date");
	for (; i < len; i++) {
		dg = (unsigned)(unsigned char)s[i] - '0';
		if (dg > 9)
			return bad(why, "not a date");
		if (v > (lim - dg) / 10)
			return bad(why, "integer out of range");
		v = v * 10 + dg;
	}
	out->v = neg && v > 0 ? -(int64_t)(v - 1) - 1 : (int64_t)v;
	out->kind = FC_TIME_INDEX;
	return 0;
}

/* Whether a strptime format mentions a time of day. */
static int
format_has_time(const char *fmt)
{
	const char *p;

	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == 'E' || *p == 'O')
			p++;
		if (*p == '\0')
			break;
		if (strchr("HMSTRIpcrz", *p) != NULL)
			return 1;
	}
	return 0;
}

static int
parse_format(const char *s, size_t len, const char *format, fc_time *out,
	     const char **why)
{
	char buf[256];
	const char *end;
	struct tm tm;
	struct fields f;

	if (len >= sizeof buf)
		return bad(why, "too long for the format");
	if (len > 0 && (is_space(s[0]) || is_space(s[len - 1])))
		return bad(why, "does not match format");
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 1;
	tm.tm_year = 70;
	end = strptime(buf, format, &tm);
	if (end == NULL || end != buf + len)
		return bad(why, "does not match format");
	f.year = tm.tm_year + 1900;
	f.month = tm.tm_mon + 1;
	f.day = tm.tm_mday;
	f.hour = tm.tm_hour;
	f.min = tm.tm_min;
	f.sec = tm.tm_sec;
	f.off = tm.tm_gmtoff;           /* set by %z */
	return finish(&f, format_has_time(format) ? FC_TIME_DATETIME :
		      FC_TIME_DATE, out, why);
}

/*
 * Leap seconds (:60) are rejected, fractions of a second truncated. Years
 * must have four digits; a run of digits followed by '-' is taken as a
 * date, anything else as an index.
 */
int
fc_time_parse(const char *s, size_t len, const char *format, fc_time *out,
	      const char **why)
{
	size_t k = 0;

	if (format != NULL && format[0] != '\0')
		return parse_format(s, len, format, out, why);
	while (k < len && is_digit(s[k]))
		k++;
	if (k > 0 && k < len && s[k] == '-')
		return parse_iso(s, len, out, why);
	return parse_index(s, len, out, why);
}

/* ---- formatting ---- */

static char *
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Write v in decimal at p, at least `width` digits; returns the end. */
static char *
put_int(char *p, int64_t v, int width)
{
	char tmp[24];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	int n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0 || n < width);
	if (v < 0)
		*p++ = '-';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Years outside 1-9999 print as a plain (maybe negative) integer. */
static char *
put_civil(char *p, fc_time t)
{
	int64_t y, sod;
	unsigned m, d;

	sod = split(t.v, &y, &m, &d);
	if (y >= 0 && y <= 9999) {
		p = put2(p, (unsigned)(y / 100));
		p = put2(p, (unsigned)(y % 100));
	} else {
		p = put_int(p, y, 4);
	}
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	if (t.kind == FC_TIME_DATE)
		return p;
	*p++ = 'T';
	p = put2(p, (unsigned)(sod / 3600));
	*p++ = ':';
	p = put2(p, (unsigned)(sod / 60 % 60));
	*p++ = ':';
	return put2(p, (unsigned)(sod % 60));
}

/* Copy the len bytes of src into buf like snprintf; returns len. */
static size_t
copy_out(char *buf, size_t n, const char *src, size_t len)
{
	size_t m;

	if (n > 0) {
		m = len < n ? len : n - 1;
		memcpy(buf, src, m);
		buf[m] = '\0';
	}
	return len;
}

/*
 * Like snprintf: buf is always NUL-terminated (when n > 0) and the return
 * value is the full length, which fits when it is below n. 21 bytes hold
 * any index and any time in years 1-9999; 32 bytes or more are written
 * in place, without a copy.
 */
size_t
fc_time_format(fc_time t, char *buf, size_t n)
{
	char tmp[32], *p = n >= sizeof tmp ? buf : tmp, *e;

	if (t.kind == FC_TIME_INDEX)
		e = put_int(p, t.v, 1);
	else
		e = put_civil(p, t);
	if (p == buf) {
		*e = '\0';
		return (size_t)(e - buf);
	}
	return copy_out(buf, n, tmp, (size_t)(e - tmp));
}

/* ---- frequencies ---- */

static const struct unit {
	const char *name;
	fc_freq_unit unit;
	int64_t mult;
} units[] = {
	{ "s", FC_FREQ_SECONDS, 1 },
	{ "min", FC_FREQ_SECONDS, 60 },
	{ "T", FC_FREQ_SECONDS, 60 },
	{ "H", FC_FREQ_SECONDS, 3600 },
	{ "h", FC_FREQ_SECONDS, 3600 },
	{ "D", FC_FREQ_SECONDS, DAY },
	{ "W", FC_FREQ_SECONDS, WEEK },
	{ "M", FC_FREQ_MONTHS, 1 },
	{ "MS", FC_FREQ_MONTHS, 1 },
	{ "Q", FC_FREQ_MONTHS, 3 },
	{ "QS", FC_FREQ_MONTHS, 3 },
	{ "Y", FC_FREQ_MONTHS, 12 },
	{ "A", FC_FREQ_MONTHS, 12 },
	{ "YS", FC_FREQ_MONTHS, 12 },
};

/* The canonical names, largest first within each unit. */
static const struct unit canon[] = {
	{ "W", FC_FREQ_SECONDS, WEEK },
	{ "D", FC_FREQ_SECONDS, DAY },
	{ "H", FC_FREQ_SECONDS, 3600 },
	{ "min", FC_FREQ_SECONDS, 60 },
	{ "s", FC_FREQ_SECONDS, 1 },
	{ "Y", FC_FREQ_MONTHS, 12 },
	{ "Q", FC_FREQ_MONTHS, 3 },
	{ "M", FC_FREQ_MONTHS, 1 },
};

/* A bare positive integer "k" is an index step of k. */
int
fc_freq_parse(const char *s, fc_freq *out)
{
	const char *p = s;
	int64_t n = 0;
	size_t i;

	if (s == NULL)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (p > s && n == 0)
		return -1;
	if (p > s && *p == '\0') {
		*out = (fc_freq){ FC_FREQ_INDEX, n };
		return 0;
	}
	if (p == s)
		n = 1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(p, units[i].name) != 0)
			continue;
		if (n > INT64_MAX / units[i].mult)
			return -1;
		*out = (fc_freq){ units[i].unit, n * units[i].mult };
		return 0;
	}
	return -1;
}

/*
 * Seconds print in the largest unit that divides them exactly, months as
 * Y, Q or M likewise; an index step as the bare integer.
 */
size_t
fc_freq_format(fc_freq f, char *buf, size_t n)
{
	char tmp[48], *e = tmp;
	const char *name = "";
	int64_t k = f.n;
	size_t i;

	for (i = 0; i < sizeof canon / sizeof canon[0]; i++) {
		if (canon[i].unit == f.unit && f.n % canon[i].mult == 0) {
			name = canon[i].name;
			k = f.n / canon[i].mult;
			break;
		}
	}
	if (k != 1 || name[0] == '\0')
		e = put_int(e, k, 1);
	memcpy(e, name, strlen(name));
	e += strlen(name);
	return copy_out(buf, n, tmp, (size_t)(e - tmp));
}

/*
 * Months: 12/n when n divides a year. Seconds: the periods in a day when
 * the step divides a day (so 15min gives 96), 7 for a day, 52 for a week.
 */
int
fc_freq_season_length(fc_freq f)
{
	if (f.n <= 0 || f.unit == FC_FREQ_INDEX)
		return 1;
	if (f.unit == FC_FREQ_MONTHS)
		return 12 % f.n == 0 ? (int)(12 / f.n) : 1;
	if (f.n < DAY && DAY % f.n == 0)
		return (int)(DAY / f.n);
	if (f.n == DAY)
		return 7;
	if (f.n == WEEK)
		return 52;
	return 1;
}

/* ---- arithmetic ---- */

static int64_t
month_number(int64_t v)
{
	int64_t y;
	unsigned m, d;

	split(v, &y, &m, &d);
	return y * 12 + m - 1;
}

static int64_t
add_months(int64_t v, int64_t months)
{
	int64_t y, ny, total, sod;
	unsigned m, d, nm, dim;

	sod = split(v, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	ny = floordiv(total, 12);
	nm = (unsigned)(total - ny * 12 + 1);
	dim = (unsigned)fc_days_in_month(ny, (int)nm);
	if (d == (unsigned)fc_days_in_month(y, (int)m) || d > dim)
		d = dim;
	return fc_days_from_civil(ny, nm, d) * DAY + sod;
}

/*
 * An index moves by k * f.n whatever f's unit. A date moved off midnight
 * (a date plus 15min) becomes a datetime, so that it prints in full.
 */
fc_time
fc_time_add(fc_time t, fc_freq f, int64_t k)
{
	fc_time r = t;

	if (f.unit == FC_FREQ_MONTHS && t.kind != FC_TIME_INDEX)
		r.v = add_months(t.v, k * f.n);
	else
		r.v = t.v + k * f.n;
	if (r.kind == FC_TIME_DATE && floormod(r.v, DAY) != 0)
		r.kind = FC_TIME_DATETIME;
	return r;
}

/*
 * The largest k with fc_time_add(a, f, k) <= b (so -1 for b just before
 * a); on_grid may be NULL. A frequency with n <= 0 gives 0, off the grid.
 */
int64_t
fc_time_steps(fc_time a, fc_time b, fc_freq f, int *on_grid)
{
	int64_t k, d;
	int exact;

	if (f.n <= 0) {
		if (on_grid != NULL)
			*on_grid = 0;
		return 0;
	}
	if (f.unit != FC_FREQ_MONTHS || a.kind == FC_TIME_INDEX) {
		d = b.v - a.v;
		k = floordiv(d, f.n);
		exact = d == k * f.n;
	} else {
		k = floordiv(month_number(b.v) - month_number(a.v), f.n);
		if (fc_time_add(a, f, k).v > b.v)
			k--;
		exact = fc_time_add(a, f, k).v == b.v;
	}
	if (on_grid != NULL)
		*on_grid = exact;
	return k;
}

/* ---- inference ---- */

/* Whether ts is strictly increasing and all index or all calendar. */
static int
increasing(const fc_time *ts, size_t n)
{
	size_t i;
	int index = ts[0].kind == FC_TIME_INDEX;

	for (i = 1; i < n; i++) {
		if (ts[i].v <= ts[i - 1].v ||
		    (ts[i].kind == FC_TIME_INDEX) != index)
			return 0;
	}
	return 1;
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	uint64_t r;

	while (b != 0) {
		r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* The gcd of the successive differences of increasing ts, as unit. */
static int
infer_gcd(const fc_time *ts, size_t n, fc_freq_unit unit, fc_freq *out)
{
	uint64_t g = 0;
	size_t i;

	for (i = 1; i < n; i++)
		g = gcd(g, (uint64_t)ts[i].v - (uint64_t)ts[i - 1].v);
	if (g == 0 || g > INT64_MAX)
		return -1;
	*out = (fc_freq){ unit, (int64_t)g };
	return 0;
}

/*
 * Whether every timestamp has ts[0]'s time of day and either ts[0]'s day
 * of month (clamped to shorter months) or always the month's last day.
 */
static int
same_day_of_month(const fc_time *ts, size_t n)
{
	int64_t y, sod0;
	unsigned m, d, d0, dim;
	int same = 1, last = 1;
	size_t i;

	sod0 = split(ts[0].v, &y, &m, &d0);
	for (i = 0; i < n && (same || last); i++) {
		if (split(ts[i].v, &y, &m, &d) != sod0)
			return 0;
		dim = (unsigned)fc_days_in_month(y, (int)m);
		same = same && d == (d0 < dim ? d0 : dim);
		last = last && d == dim;
	}
	return same || last;
}

/* A month grid from ts[0] that fc_time_add reproduces exactly. */
static int
infer_months(const fc_time *ts, size_t n, fc_freq *out)
{
	int64_t m0, g = 0;
	size_t i;
	fc_freq f;

	if (!same_day_of_month(ts, n))
		return -1;
	m0 = month_number(ts[0].v);
	for (i = 1; i < n; i++)
		g = (int64_t)gcd((uint64_t)g,
				 (uint64_t)(month_number(ts[i].v) - m0));
	if (g <= 0)
		return -1;
	f = (fc_freq){ FC_FREQ_MONTHS, g };
	for (i = 1; i < n; i++) {
		if (fc_time_add(ts[0], f, (month_number(ts[i].v) - m0) / g).v
		    != ts[i].v)
			return -1;
	}
	*out = f;
	return 0;
}

/*
 * When ts[0] is a month's last day but the others keep its day number
 * (Feb 29, Mar 29 ...), month steps from ts[0] would land on month ends,
 * so such a series falls back to the gcd in seconds. Mixed or irregular
 * days of month also fall back to seconds (1st and 15th give "D"). An
 * increasing calendar series always has a grid in seconds.
 */
int
fc_freq_infer(const fc_time *ts, size_t n, fc_freq *out)
{
	if (ts == NULL || n < 2 || !increasing(ts, n))
		return -1;
	if (ts[0].kind == FC_TIME_INDEX)
		return infer_gcd(ts, n, FC_FREQ_INDEX, out);
	if (infer_months(ts, n, out) == 0)
		return 0;
	return infer_gcd(ts, n, FC_FREQ_SECONDS, out);
}
