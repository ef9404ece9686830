/* value_test - number parsing and formatting, CSV reading edge cases */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "names.h"
#include "value.h"

#include "check.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int
parses(const char *s, double want, int canon_want)
{
	double v;
	int canon;

	return fc_num_parse(s, strlen(s), &v, &canon) == 0 && v == want &&
	       canon == canon_want;
}

static void
test_parse(void)
{
	double v;
	int i, bad = 0;

	CHECK(parses("107", 107, 1), "integer is canonical");
	CHECK(parses("0.1029718118", 0.1029718118, 1), "decimal is canonical");
	CHECK(parses("-2.5", -2.5, 1), "negative decimal");
	CHECK(parses("+1.5", 1.5, 0), "leading plus is not canonical");
	CHECK(parses("1.50", 1.5, 0), "trailing zero is not canonical");
	CHECK(parses("007", 7, 0), "leading zeros are not canonical");
	CHECK(parses("1e3", 1000, 0), "exponent is not canonical");
	CHECK(parses(".5", 0.5, 0), "no integer digits");
	CHECK(parses("5.", 5, 0), "no fraction digits");
	CHECK(parses("-0", 0, 0), "minus zero is not canonical");
	CHECK(parses("0.1234567890123456", 0.1234567890123456, 0),
	      "16 significant digits go through strtod");
	CHECK(fc_num_parse("1e999", 5, &v, NULL) == -2, "overflow is -2");
	CHECK(fc_num_parse("abc", 3, &v, NULL) == -1, "text is -1");
	CHECK(fc_num_parse("1,5", 3, &v, NULL) == -1, "comma is -1");
	CHECK(fc_num_parse("", 0, &v, NULL) == -1, "empty is -1");
	CHECK(fc_num_parse("1e", 2, &v, NULL) == -1, "bare exponent is -1");
	CHECK(fc_num_parse("nan", 3, &v, NULL) == -1, "nan is not a number");
	CHECK(fc_num_parse("inf", 3, &v, NULL) == -1, "inf is not a number");
	/* the fast path must agree with strtod bit for bit */
	for (i = 0; i < 200000; i++) {
		char buf[64];
		long long ip = (long long)(next() % 1000000000ULL);
		int fd = (int)(next() % 8), e = (int)(next() % 30) - 15;
		double want;

		snprintf(buf, sizeof buf, "%lld.%0*llu%s%d", ip, fd + 1,
			 (unsigned long long)(next() % 100000000ULL) %
				 (unsigned long long)pow(10, fd + 1),
			 "e", e);
		want = strtod(buf, NULL);
		if (fc_num_parse(buf, strlen(buf), &v, NULL) != 0 || v != want)
			bad++;
	}
	CHECK(bad == 0, "200000 random decimals parse as strtod does (%d off)",
	      bad);
}

static void
test_format(void)
{
	char buf[40];
	int i, bad = 0;

	fc_num_format(0.1, buf);
	CHECK(strcmp(buf, "0.1") == 0, "0.1 formats as 0.1 (%s)", buf);
	fc_num_format(12, buf);
	CHECK(strcmp(buf, "12") == 0, "12 formats as 12");
	fc_num_format(-0.0, buf);
	CHECK(strcmp(buf, "0") == 0, "-0 formats as 0");
	fc_num_format(11.0 / 3.0, buf);
	CHECK(strcmp(buf, "3.6666666666666665") == 0, "11/3 needs 17 digits");
	CHECK(fc_num_format(NAN, buf) == 0, "NaN formats as empty");
	for (i = 0; i < 200000; i++) {
		uint64_t bits = next();
		double x;

		memcpy(&x, &bits, sizeof x);
		if (!isfinite(x))
			continue;
		fc_num_format(x, buf);
		if (strtod(buf, NULL) != x)
			bad++;
	}
	CHECK(bad == 0, "200000 random doubles read back exactly (%d off)",
	      bad);
}

/* The shortest of %.15g, %.16g, %.17g that reads back: the reference. */
static void
shortest_ref(double x, char *buf)
{
	int p;

	for (p = 15; p < 17; p++) {
		sprintf(buf, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			return;
	}
	sprintf(buf, "%.17g", x);
}

static void
test_format_shortest(void)
{
	char a[40], b[40];
	int i, bad = 0;

	for (i = 0; i < 300000; i++) {
		/* spread over 1e-4 .. 1e16, with 4-decimal data among them */
		double mant = (double)(next() >> 11) / 9007199254740992.0;
		int ex = (int)(next() % 21) - 4;
		double x = (mant + 0.1) * pow(10, ex);

		if (i % 3 == 0)
			x = (double)(long long)(x * 1e4) / 1e4;
		if (next() & 1)
			x = -x;
		if (x == (double)(long long)x)
			continue;
		fc_num_format(x, a);
		shortest_ref(x, b);
		if (strcmp(a, b) != 0 && bad++ < 3)
			printf("# %.17g: '%s', printf gives '%s'\n", x, a, b);
	}
	CHECK(bad == 0, "300000 doubles format as the shortest of %%.15g, %%.16g, %%.17g (%d off)", bad);
}

/* Decimals of 1 to 16 digits, many of them nines (the top of a decade,
 * where 16-digit decimals lie closer than an ulp), as strtod reads them. */
static void
test_format_short_decimals(void)
{
	char a[40], b[40], s[64], digs[24];
	int i, bad = 0;

	for (i = 0; i < 200000; i++) {
		int nd = 1 + (int)(next() % 16), ex = (int)(next() % 19) - 4;
		double x;

		snprintf(digs, sizeof digs, "%019llu",
			 (unsigned long long)(next() % 10000000000000000000ULL));
		if (i % 3 == 0)
			memset(digs, '9', (size_t)nd);
		if (digs[0] == '0')
			digs[0] = '7';
		digs[nd] = '\0';
		snprintf(s, sizeof s, "%c.%se%d", digs[0], digs + 1, ex);
		x = strtod(s, NULL);
		if (x == (double)(long long)x)
			continue;
		fc_num_format(x, a);
		shortest_ref(x, b);
		if (strcmp(a, b) != 0 && bad++ < 3)
			printf("# %s: '%s', printf gives '%s'\n", s, a, b);
	}
	CHECK(bad == 0, "short decimals format as the shortest of %%.15g, %%.16g, %%.17g (%d off)", bad);
}

static void
test_names(void)
{
	static const char *const cases[][2] = {
		{ "Units Sold", "units_sold" }, { "UnitsSold", "units_sold" },
		{ "unique_id", "unique_id" },   { "HTTPCode", "http_code" },
		{ "Price ($)", "price" },       { "petrol-price", "petrol_price" },
		{ "ID", "id" },                 { "  a  b ", "a_b" },
		{ "DriversKilled", "drivers_killed" }, { "año", "año" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		fc_snake_case(cases[i][0], strlen(cases[i][0]), out, sizeof out);
		CHECK(strcmp(out, cases[i][1]) == 0, "snake_case '%s' -> '%s' (%s)",
		      cases[i][0], cases[i][1], out);
	}
	CHECK(fc_snake_case("$$", 2, out, sizeof out) == 0,
	      "nothing left of '$$'");
}

static void
test_csv(void)
{
	const char *text = "\xEF\xBB\xBF" "a,b\r\n\"x\ny\",2\r\n\r\n3,\"q\"\"\"\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	fc_csv_reader *r = fc_csv_open(fp, "t.csv", ',');
	fc_csv_row *row;
	fc_err e;
	long lines[3];
	int n = 0;

	while (fc_csv_next(r, &row, &e) == 1 && n < 3) {
		lines[n] = row->line;
		if (n == 1)
			CHECK(strcmp(row->f[0], "x\ny") == 0,
			      "quoted newline kept in the field");
		if (n == 2)
			CHECK(strcmp(row->f[1], "q\"") == 0, "doubled quote");
		n++;
	}
	CHECK(n == 3, "three rows (BOM, CRLF, blank line)");
	CHECK(n == 3 && lines[0] == 1 && lines[1] == 2 && lines[2] == 5, "rows start on lines 1, 2 and 5 (%ld %ld %ld)", lines[0], lines[1], lines[2]); if (0) CHECK(1,
	      "rows start on lines 1, 2 and 5");
	fc_csv_close(r);
	fclose(fp);
}

int
main(void)
{
	test_parse();
	test_format();
	test_format_shortest();
	test_format_short_decimals();
	test_names();
	test_csv();
	return check_done();
}
