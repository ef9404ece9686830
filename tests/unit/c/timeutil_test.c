/* timeutil_test - parsing, formatting, calendar arithmetic and inference */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "timeutil.h"
#include "check.h"

/* Parse s (ISO when fmt is NULL); kind -1 on failure. */
static fc_time
parse(const char *s, const char *fmt)
{
	fc_time t = { 0, (fc_time_kind)-1 };

	if (fc_time_parse(s, strlen(s), fmt, &t, NULL) != 0)
		t.kind = (fc_time_kind)-1;
	return t;
}

static const char *
fmt(fc_time t)
{
	static char buf[8][32];
	static int i;

	i = (i + 1) % 8;
	if ((int)t.kind == -1)
		return "(invalid)";
	fc_time_format(t, buf[i], sizeof buf[i]);
	return buf[i];
}

static void
ok_parse(const char *in, const char *format, const char *want,
	 fc_time_kind kind)
{
	fc_time t = parse(in, format);

	CHECK(strcmp(fmt(t), want) == 0 && t.kind == kind,
	      "'%s'%s%s parses as %s (got %s)", in, format ? " with " : "",
	      format ? format : "", want, fmt(t));
}

static void
bad_parse(const char *in, const char *format, const char *why)
{
	const char *got = "(none)";
	fc_time t;
	int rc;

	rc = fc_time_parse(in, strlen(in), format, &t, &got);
	CHECK(rc == -1 && strcmp(got, why) == 0, "'%s' is rejected: %s (got %s)",
	      in, why, rc == 0 ? fmt(t) : got);
}

static fc_freq
freq(const char *s)
{
	fc_freq f = { FC_FREQ_INDEX, 0 };

	fc_freq_parse(s, &f);
	return f;
}

static const char *
freqname(fc_freq f)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	fc_freq_format(f, buf[i], sizeof buf[i]);
	return buf[i];
}

static void
ok_add(const char *start, const char *f, int64_t k, const char *want)
{
	fc_time t = fc_time_add(parse(start, NULL), freq(f), k);

	CHECK(strcmp(fmt(t), want) == 0, "%s %+lld*%s = %s (got %s)", start,
	      (long long)k, f, want, fmt(t));
}

static void
ok_steps(const char *a, const char *b, const char *f, int64_t want,
	 int want_grid)
{
	int grid = -1;
	int64_t k = fc_time_steps(parse(a, NULL), parse(b, NULL), freq(f),
				  &grid);

	CHECK(k == want && grid == want_grid,
	      "%s to %s is %lld %s steps, on grid %d (got %lld, %d)", a, b,
	      (long long)want, f, want_grid, (long long)k, grid);
}

/* Infer the frequency of the NULL-terminated list; "" means rejected. */
static void
ok_infer(const char *want, const char **list)
{
	fc_time ts[64] = { { 0, FC_TIME_DATE } };
	fc_freq f;
	size_t n = 0;
	const char *got;

	while (list[n] != NULL) {
		ts[n] = parse(list[n], NULL);
		n++;
	}
	got = fc_freq_infer(ts, n, &f) == 0 ? freqname(f) : "";
	CHECK(strcmp(got, want) == 0, "infer %s ... (%zu stamps) = '%s' (got '%s')",
	      n ? list[0] : "", n, want, got);
}

static void
test_calendar(void)
{
	fc_civil c;

	CHECK(fc_days_in_month(2000, 2) == 29, "2000 is a leap year");
	CHECK(fc_days_in_month(1900, 2) == 28, "1900 is not a leap year");
	CHECK(fc_days_in_month(2024, 2) == 29, "2024 is a leap year");
	CHECK(fc_days_in_month(2023, 2) == 28, "2023 is not a leap year");
	CHECK(fc_days_in_month(2023, 13) == 0 && fc_days_in_month(2023, 0) == 0,
	      "month 0 and 13 have no days");
	CHECK(fc_days_from_civil(1970, 1, 1) == 0, "1970-01-01 is day 0");
	CHECK(fc_days_from_civil(2000, 3, 1) == 11017, "2000-03-01 is day 11017");
	CHECK(fc_days_from_civil(1, 1, 1) == -719162, "0001-01-01 is day -719162");
	fc_time_civil(parse("2024-01-01", NULL), &c);
	CHECK(c.wday == 0 && c.yday == 1, "2024-01-01 is a Monday, day 1");
	fc_time_civil(parse("2024-12-31", NULL), &c);
	CHECK(c.yday == 366 && c.wday == 1, "2024-12-31 is day 366, a Tuesday");
	fc_time_civil(parse("1969-12-31T23:59:58", NULL), &c);
	CHECK(c.year == 1969 && c.month == 12 && c.day == 31 &&
	      c.hour == 23 && c.min == 59 && c.sec == 58 && c.wday == 2,
	      "1969-12-31T23:59:58 splits into its fields (negative seconds)");
	fc_time_civil(parse("2024-03-10T07:08:09", NULL), &c);
	CHECK(c.hour == 7 && c.min == 8 && c.sec == 9 && c.wday == 6,
	      "2024-03-10T07:08:09 is a Sunday at 07:08:09");
}

static void
test_parse_dates(void)
{
	ok_parse("2024-02-29", NULL, "2024-02-29", FC_TIME_DATE);
	ok_parse("2000-02-29", NULL, "2000-02-29", FC_TIME_DATE);
	ok_parse("0001-01-01", NULL, "0001-01-01", FC_TIME_DATE);
	ok_parse("9999-12-31", NULL, "9999-12-31", FC_TIME_DATE);
	ok_parse("1969-07-20", NULL, "1969-07-20", FC_TIME_DATE);
	ok_parse("2024-05", NULL, "2024-05-01", FC_TIME_DATE);
	bad_parse("2023-02-29", NULL, "day out of range for the month");
	bad_parse("1900-02-29", NULL, "day out of range for the month");
	bad_parse("2024-02-30", NULL, "day out of range for the month");
	bad_parse("2024-04-31", NULL, "day out of range for the month");
	bad_parse("2024-01-00", NULL, "day out of range for the month");
	bad_parse("2024-13-01", NULL, "month out of range");
	bad_parse("2024-00", NULL, "month out of range");
	bad_parse("0000-01-01", NULL, "year out of range (1-9999)");
	bad_parse("10000-01-01", NULL, "year out of range (1-9999)");
	bad_parse("2024-05-17x", NULL, "trailing characters");
	bad_parse("2024-05-17 ", NULL, "trailing characters");
	bad_parse("2024-05x", NULL, "trailing characters");
	bad_parse("2024-5-17", NULL, "not a date");
	bad_parse("2024-05-1", NULL, "not a date");
	bad_parse("24-05-17", NULL, "not a date");
	bad_parse(" 2024-05-17", NULL, "not a date");
	bad_parse("", NULL, "not a date");
	bad_parse("abc", NULL, "not a date");
	bad_parse("2024/05/17", NULL, "not a date");
}

static void
test_parse_times(void)
{
	ok_parse("2024-05-17T13:45:10", NULL, "2024-05-17T13:45:10",
		 FC_TIME_DATETIME);
	ok_parse("2024-05-17 13:45", NULL, "2024-05-17T13:45:00",
		 FC_TIME_DATETIME);
	ok_parse("2024-05-17T00:00:00", NULL, "2024-05-17T00:00:00",
		 FC_TIME_DATETIME);
	ok_parse("2024-05-17T13:45:10.999", NULL, "2024-05-17T13:45:10",
		 FC_TIME_DATETIME);
	ok_parse("2024-05-17T13:45:10Z", NULL, "2024-05-17T13:45:10",
		 FC_TIME_DATETIME);
	ok_parse("2024-05-17T13:45:10.5Z", NULL, "2024-05-17T13:45:10",
		 FC_TIME_DATETIME);
	ok_parse("2024-01-01T01:30:00+01:30", NULL, "2024-01-01T00:00:00",
		 FC_TIME_DATETIME);
	ok_parse("2024-01-01T01:30+0130", NULL, "2024-01-01T00:00:00",
		 FC_TIME_DATETIME);
	ok_parse("2023-12-31T22:00:00-02:00", NULL, "2024-01-01T00:00:00",
		 FC_TIME_DATETIME);
	ok_parse("2024-01-01T00:00:00+00:00", NULL, "2024-01-01T00:00:00",
		 FC_TIME_DATETIME);
	ok_parse("9999-12-31T23:59:59", NULL, "9999-12-31T23:59:59",
		 FC_TIME_DATETIME);
	CHECK(parse("2024-01-01T01:30:00+01:30", NULL).v ==
	      parse("2024-01-01T00:00:00", NULL).v &&
	      parse("2024-01-01T00:00:00Z", NULL).v ==
	      parse("2024-01-01", NULL).v,
	      "offsets and Z name the same instant as UTC");
	bad_parse("2024-05-17T24:00", NULL, "hour out of range");
	bad_parse("2024-05-17T25:00:00", NULL, "hour out of range");
	bad_parse("2024-05-17T23:60", NULL, "minute out of range");
	bad_parse("2024-05-17T23:59:60", NULL, "second out of range");
	bad_parse("2024-05-17T23:59:61", NULL, "second out of range");
	bad_parse("2024-05-17T", NULL, "not a time");
	bad_parse("2024-05-17T1:00", NULL, "not a time");
	bad_parse("2024-05-17T10:00:5", NULL, "not a time");
	bad_parse("2024-05-17T10:00:05.", NULL, "not a time");
	bad_parse("2024-05-17T10:00:05Zx", NULL, "trailing characters");
	bad_parse("2024-05-17T10:00:05 ", NULL, "trailing characters");
	bad_parse("2024-05-17T10:00+1", NULL, "bad utc offset");
	bad_parse("2024-05-17T10:00+01:3", NULL, "bad utc offset");
	bad_parse("2024-05-17T10:00+24:00", NULL, "utc offset out of range");
	bad_parse("0001-01-01T00:30:00+01:00", NULL,
		  "year out of range (1-9999)");
	bad_parse("9999-12-31T23:30:00-01:00", NULL,
		  "year out of range (1-9999)");
}

static void
test_parse_index(void)
{
	ok_parse("42", NULL, "42", FC_TIME_INDEX);
	ok_parse("-7", NULL, "-7", FC_TIME_INDEX);
	ok_parse("+7", NULL, "7", FC_TIME_INDEX);
	ok_parse("0", NULL, "0", FC_TIME_INDEX);
	ok_parse("20240517", NULL, "20240517", FC_TIME_INDEX);
	ok_parse("9223372036854775807", NULL, "9223372036854775807",
		 FC_TIME_INDEX);
	ok_parse("-9223372036854775808", NULL, "-9223372036854775808",
		 FC_TIME_INDEX);
	bad_parse("9223372036854775808", NULL, "integer out of range");
	bad_parse("-9223372036854775809", NULL, "integer out of range");
	bad_parse("-", NULL, "not a date");
	bad_parse("12a", NULL, "not a date");
	bad_parse("1.5", NULL, "not a date");
	bad_parse(" 12", NULL, "not a date");
}

static void
test_parse_format(void)
{
	ok_parse("17/05/2024", "%d/%m/%Y", "2024-05-17", FC_TIME_DATE);
	ok_parse("20240517 1345", "%Y%m%d %H%M", "2024-05-17T13:45:00",
		 FC_TIME_DATETIME);
	ok_parse("20240517 0000", "%Y%m%d %H%M", "2024-05-17T00:00:00",
		 FC_TIME_DATETIME);
	ok_parse("0001-01-01", "%Y-%m-%d", "0001-01-01", FC_TIME_DATE);
	ok_parse("9999-12-31 23:59:59", "%Y-%m-%d %T", "9999-12-31T23:59:59",
		 FC_TIME_DATETIME);
	ok_parse("29/02/2024", "%d/%m/%Y", "2024-02-29", FC_TIME_DATE);
	ok_parse("2024-05", "", "2024-05-01", FC_TIME_DATE);
	bad_parse("30/02/2024", "%d/%m/%Y", "day out of range for the month");
	bad_parse("29/02/2023", "%d/%m/%Y", "day out of range for the month");
	bad_parse("17/05/2024x", "%d/%m/%Y", "does not match format");
	bad_parse("17-05-2024", "%d/%m/%Y", "does not match format");
	bad_parse("17/13/2024", "%d/%m/%Y", "does not match format");
	bad_parse("17/05/0000", "%d/%m/%Y", "year out of range (1-9999)");
	bad_parse("2024-05-17 23:59:60", "%Y-%m-%d %H:%M:%S",
		  "second out of range");
	bad_parse(" 17/05/2024", "%d/%m/%Y", "does not match format");
	{
		char big[400];

		memset(big, '1', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		bad_parse(big, "%Y", "too long for the format");
	}
}

/* Every day from year 1 to 9999 follows the one before it. */
static void
test_every_day(void)
{
	int y = 1, m = 1, d = 1, bad = 0;
	int64_t z, last = fc_days_from_civil(9999, 12, 31);
	fc_civil c;
	fc_time t;

	for (z = fc_days_from_civil(1, 1, 1); z <= last && bad < 5; z++) {
		t = (fc_time){ z * 86400, FC_TIME_DATE };
		fc_time_civil(t, &c);
		if (c.year != y || c.month != m || c.day != d ||
		    fc_days_from_civil(y, (unsigned)m, (unsigned)d) != z)
			bad++;
		if (++d <= fc_days_in_month(y, m))
			continue;
		d = 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	CHECK(bad == 0 && y == 10000,
	      "days and civil dates agree on every day of years 1-9999");
}

/* Random times in range print and parse back to themselves. */
static void
test_random_roundtrip(void)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	int64_t lo = -62135596800, span = 253402300799 - lo + 1, v;
	char buf[32];
	int i, bad = 0;
	fc_time t, u;

	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = lo + (int64_t)(x % (uint64_t)span);
		t = (fc_time){ v, i % 2 ? FC_TIME_DATETIME : FC_TIME_DATE };
		if (t.kind == FC_TIME_DATE)
			t.v -= ((v - lo) % 86400);
		fc_time_format(t, buf, sizeof buf);
		if (fc_time_parse(buf, strlen(buf), NULL, &u, NULL) != 0 ||
		    u.v != t.v || u.kind != t.kind)
			bad++;
	}
	CHECK(bad == 0, "200000 random times round-trip through text");
}

static void
test_format(void)
{
	char buf[32];
	size_t n;

	n = fc_time_format(parse("2024-05-17T01:02:03", NULL), buf, 8);
	CHECK(n == 19 && strcmp(buf, "2024-05") == 0,
	      "a short buffer gets a truncated, terminated prefix");
	n = fc_time_format(parse("2024-05-17", NULL), buf, sizeof buf);
	CHECK(n == 10 && strcmp(buf, "2024-05-17") == 0,
	      "a date prints in 10 characters");
}

static void
ok_freq(const char *s, const char *canon, int season)
{
	fc_freq f;
	int rc = fc_freq_parse(s, &f);

	CHECK(rc == 0 && strcmp(freqname(f), canon) == 0 &&
	      fc_freq_season_length(f) == season,
	      "frequency '%s' is '%s' with season %d (got '%s', %d)", s, canon,
	      season, rc == 0 ? freqname(f) : "(error)",
	      rc == 0 ? fc_freq_season_length(f) : 0);
}

static void
test_freq(void)
{
	fc_freq f;

	ok_freq("s", "s", 86400);
	ok_freq("30s", "30s", 2880);
	ok_freq("60s", "min", 1440);
	ok_freq("min", "min", 1440);
	ok_freq("T", "min", 1440);
	ok_freq("15min", "15min", 96);
	ok_freq("15T", "15min", 96);
	ok_freq("90min", "90min", 16);
	ok_freq("7min", "7min", 1);
	ok_freq("H", "H", 24);
	ok_freq("h", "H", 24);
	ok_freq("2H", "2H", 12);
	ok_freq("24H", "D", 7);
	ok_freq("D", "D", 7);
	ok_freq("2D", "2D", 1);
	ok_freq("7D", "W", 52);
	ok_freq("W", "W", 52);
	ok_freq("2W", "2W", 1);
	ok_freq("M", "M", 12);
	ok_freq("MS", "M", 12);
	ok_freq("2M", "2M", 6);
	ok_freq("3M", "Q", 4);
	ok_freq("5M", "5M", 1);
	ok_freq("6M", "2Q", 2);
	ok_freq("Q", "Q", 4);
	ok_freq("QS", "Q", 4);
	ok_freq("12M", "Y", 1);
	ok_freq("Y", "Y", 1);
	ok_freq("A", "Y", 1);
	ok_freq("YS", "Y", 1);
	ok_freq("2Y", "2Y", 1);
	ok_freq("1", "1", 1);
	ok_freq("5", "5", 1);
	CHECK(fc_freq_parse("1", &f) == 0 && f.unit == FC_FREQ_INDEX &&
	      f.n == 1, "'1' is an index step of 1");
	CHECK(fc_freq_parse("15min", &f) == 0 && f.unit == FC_FREQ_SECONDS &&
	      f.n == 900, "'15min' is 900 seconds");
	CHECK(fc_freq_parse("Q", &f) == 0 && f.unit == FC_FREQ_MONTHS &&
	      f.n == 3, "'Q' is 3 months");
	CHECK(fc_freq_parse("", &f) == -1 && fc_freq_parse("0", &f) == -1 &&
	      fc_freq_parse("0D", &f) == -1 && fc_freq_parse("-1D", &f) == -1 &&
	      fc_freq_parse("m", &f) == -1 && fc_freq_parse("D2", &f) == -1 &&
	      fc_freq_parse("2 D", &f) == -1 && fc_freq_parse("days", &f) == -1,
	      "malformed frequencies are rejected");
	CHECK(fc_freq_parse("99999999999999999999D", &f) == -1 &&
	      fc_freq_parse("9223372036854775807W", &f) == -1,
	      "frequencies that overflow are rejected");
}

static void
test_add(void)
{
	ok_add("2024-01-31", "M", 1, "2024-02-29");
	ok_add("2024-01-31", "M", 2, "2024-03-31");
	ok_add("2024-01-31", "M", 3, "2024-04-30");
	ok_add("2023-01-31", "M", 1, "2023-02-28");
	ok_add("2024-01-30", "M", 1, "2024-02-29");
	ok_add("2024-01-30", "M", 2, "2024-03-30");
	ok_add("2024-02-29", "M", 1, "2024-03-31");
	ok_add("2024-03-31", "M", -1, "2024-02-29");
	ok_add("2024-03-15", "M", -3, "2023-12-15");
	ok_add("2024-01-15", "M", -25, "2021-12-15");
	ok_add("2024-01-15T10:30:00", "M", 1, "2024-02-15T10:30:00");
	ok_add("2024-01-01", "Q", 1, "2024-04-01");
	ok_add("2024-03-31", "Q", 1, "2024-06-30");
	ok_add("2024-01-01", "Q", -1, "2023-10-01");
	ok_add("2024-02-29", "Y", 1, "2025-02-28");
	ok_add("2024-02-29", "Y", 4, "2028-02-29");
	ok_add("2023-06-15", "Y", -2, "2021-06-15");
	ok_add("2024-01-01", "2W", 1, "2024-01-15");
	ok_add("2024-01-01", "W", -1, "2023-12-25");
	ok_add("2024-02-28", "D", 1, "2024-02-29");
	ok_add("2024-12-31", "D", 1, "2025-01-01");
	ok_add("2024-01-01T23:45:00", "15min", 1, "2024-01-02T00:00:00");
	ok_add("2024-01-01T23:45:00", "15min", 3, "2024-01-02T00:30:00");
	ok_add("2024-01-02T00:00:00", "15min", -1, "2024-01-01T23:45:00");
	ok_add("2024-01-01", "H", 1, "2024-01-01T01:00:00");
	ok_add("5", "1", 3, "8");
	ok_add("5", "2", -3, "-1");
	CHECK(fc_time_add(parse("2024-01-01", NULL), freq("D"), 1).kind ==
	      FC_TIME_DATE &&
	      fc_time_add(parse("2024-01-01T00:00:00", NULL), freq("D"), 1)
	      .kind == FC_TIME_DATETIME,
	      "adding days keeps the kind");
}

static void
test_steps(void)
{
	ok_steps("2024-01-01", "2024-01-31", "D", 30, 1);
	ok_steps("2024-01-01", "2024-01-01", "D", 0, 1);
	ok_steps("2024-01-31", "2024-01-01", "D", -30, 1);
	ok_steps("2024-01-01", "2024-01-01T12:00:00", "D", 0, 0);
	ok_steps("2024-01-01T12:00:00", "2024-01-01", "D", -1, 0);
	ok_steps("2024-01-01", "2024-01-02T01:00:00", "15min", 100, 1);
	ok_steps("2024-01-01", "2024-01-02T01:05:00", "15min", 100, 0);
	ok_steps("2024-01-31", "2024-02-29", "M", 1, 1);
	ok_steps("2024-01-31", "2024-03-31", "M", 2, 1);
	ok_steps("2024-01-31", "2024-03-30", "M", 1, 0);
	ok_steps("2024-01-15", "2024-03-14", "M", 1, 0);
	ok_steps("2024-01-15", "2024-03-16", "M", 2, 0);
	ok_steps("2024-01-15", "2023-12-15", "M", -1, 1);
	ok_steps("2024-01-15", "2023-12-16", "M", -1, 0);
	ok_steps("2024-01-15", "2023-12-14", "M", -2, 0);
	ok_steps("2024-01-01", "2025-01-01", "Q", 4, 1);
	ok_steps("2024-01-01", "2024-12-31", "Q", 3, 0);
	ok_steps("2020-02-29", "2024-02-29", "Y", 4, 1);
	ok_steps("2020-02-29", "2023-02-28", "Y", 3, 1);
	ok_steps("1", "10", "3", 3, 1);
	ok_steps("1", "11", "3", 3, 0);
	ok_steps("1", "-1", "3", -1, 0);
}

static void
test_infer(void)
{
	ok_infer("M", (const char *[]){ "2024-01-01", "2024-02-01",
		 "2024-03-01", "2024-04-01", NULL });
	ok_infer("M", (const char *[]){ "2024-01-01", "2024-02-01",
		 "2024-04-01", "2024-05-01", NULL });
	ok_infer("2M", (const char *[]){ "2024-01-15", "2024-03-15",
		 "2024-07-15", NULL });
	ok_infer("M", (const char *[]){ "2024-01-31", "2024-02-29",
		 "2024-03-31", "2024-04-30", "2024-06-30", NULL });
	ok_infer("M", (const char *[]){ "2023-01-30", "2023-02-28",
		 "2023-03-30", NULL });
	ok_infer("Q", (const char *[]){ "2023-01-01", "2023-04-01",
		 "2023-07-01", "2023-10-01", "2024-01-01", NULL });
	ok_infer("Q", (const char *[]){ "2023-03-31", "2023-06-30",
		 "2023-09-30", "2023-12-31", NULL });
	ok_infer("Y", (const char *[]){ "2020-01-01", "2021-01-01",
		 "2023-01-01", NULL });
	ok_infer("M", (const char *[]){ "2024-01-01T06:00:00",
		 "2024-02-01T06:00:00", "2024-03-01T06:00:00", NULL });
	ok_infer("D", (const char *[]){ "2024-01-01", "2024-01-02",
		 "2024-01-05", "2024-01-06", NULL });
	ok_infer("2D", (const char *[]){ "2024-01-01", "2024-01-03",
		 "2024-01-07", NULL });
	ok_infer("W", (const char *[]){ "2024-01-01", "2024-01-08",
		 "2024-01-15", "2024-01-29", NULL });
	ok_infer("H", (const char *[]){ "2024-01-01T00:00:00",
		 "2024-01-01T01:00:00", "2024-01-01T03:00:00", NULL });
	ok_infer("15min", (const char *[]){ "2024-01-01T23:30:00",
		 "2024-01-01T23:45:00", "2024-01-02T00:00:00",
		 "2024-01-02T00:30:00", NULL });
	ok_infer("1", (const char *[]){ "1", "2", "3", "5", NULL });
	ok_infer("5", (const char *[]){ "0", "10", "15", NULL });
	/* Month starts mixed with mid-month: no month grid, days remain. */
	ok_infer("D", (const char *[]){ "2024-01-01", "2024-01-15",
		 "2024-02-01", NULL });
	/* The same day of month at another hour: no month grid, hours. */
	ok_infer("H", (const char *[]){ "2024-01-01T00:00:00",
		 "2024-01-01T01:00:00", "2024-02-01T01:00:00", NULL });
	/* Two stamps: the single difference is the step. */
	ok_infer("745H", (const char *[]){ "2024-01-01T00:00:00",
		 "2024-02-01T01:00:00", NULL });
	/* A month end kept as a day number (Feb 29, Mar 29): from Feb 29 a
	 * month step lands on Mar 31, so the grid falls back to days. */
	ok_infer("D", (const char *[]){ "2024-02-29", "2024-03-29",
		 "2024-04-29", NULL });
	ok_infer("", (const char *[]){ "2024-01-01", NULL });
	ok_infer("", (const char *[]){ "2024-01-02", "2024-01-01", NULL });
	ok_infer("", (const char *[]){ "2024-01-01", "2024-01-01", NULL });
	ok_infer("", (const char *[]){ "2024-01-01", "5", NULL });
}

int
main(void)
{
	test_calendar();
	test_parse_dates();
	test_parse_times();
	test_parse_index();
	test_parse_format();
	test_every_day();
	test_random_roundtrip();
	test_format();
	test_freq();
	test_add();
	test_steps();
	test_infer();
	return check_done();
}
