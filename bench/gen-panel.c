/* gen-panel - write a deterministic, slightly messy daily panel as CSV */
/*
 * usage: gen-panel [-u] SERIES DAYS [SEED]
 *
 * Writes `unique_id,ds,y,price,promo` to stdout: SERIES daily series of
 * DAYS days from 2020-01-01, ids s000001 ... zero-padded so that byte
 * order is numeric order. y is a positive weekly-seasonal series with a
 * trend and noise, price a number, promo 0 or 1. The mess is controlled:
 * about 1% of rows are left out (gaps to reindex), 1% have an empty y
 * (values to impute) and 0.1% are written twice (exact duplicates). The
 * first and last day of every series are always present with a y, so each
 * series spans the whole range and every missing y lies inside it.
 *
 * Rows are grouped by id and sorted by date; -u/--unsorted writes the same
 * rows ordered by date, then id. Every random number is a hash of (seed,
 * series, day, stream) -- splitmix64 used as a counter-based generator --
 * so both orders hold exactly the same rows, whatever the order of
 * generation.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P_DROP  0.01    /* row left out */
#define P_DUP   0.001   /* row written twice */
#define P_NA    0.01    /* y left empty */
#define P_PROMO 0.10    /* promo on */
#define DAY0    18262   /* 2020-01-01, days since 1970-01-01 */

enum { ST_DROP, ST_DUP, ST_NA, ST_NOISE1, ST_NOISE2, ST_PROMO,
       SP_LEVEL, SP_AMP, SP_SLOPE, SP_PHASE, SP_PRICE };

/* The per-series parameters of y and price. */
typedef struct {
	double level, amp, slope, sd, price;
	int phase;
} series;

static const char *prog = "gen-panel";
static uint64_t seed;

static void
usage(int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp, "usage: %s [-u] SERIES DAYS [SEED]\n", prog);
	if (status == 0)
		fprintf(fp, "Write a deterministic daily panel as CSV to stdout.\n"
			"\n"
			"  -u, --unsorted   order rows by date, then id\n"
			"  -h, --help       show this help\n");
	exit(status);
}

/* splitmix64's output function: a bijective 64-bit mixer. */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1) for (series s, day d, stream k). */
static double
uniform(uint64_t s, uint64_t d, uint64_t k)
{
	uint64_t h = mix(seed + 0x9e3779b97f4a7c15ULL * (s + 1));

	h = mix(h ^ (d * 0x9e3779b97f4a7c15ULL + k * 0xd1b54a32d192ed03ULL));
	return (double)(h >> 11) * 0x1.0p-53;
}

/* Standard normal by Box-Muller from two streams. */
static double
normal(uint64_t s, uint64_t d)
{
	double u = uniform(s, d, ST_NOISE1), v = uniform(s, d, ST_NOISE2);

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

static void
series_init(series *p, uint64_t s)
{
	uint64_t d = UINT64_MAX;   /* a day no row uses */

	p->level = 20.0 + 980.0 * uniform(s, d, SP_LEVEL);
	p->amp = 0.1 + 0.3 * uniform(s, d, SP_AMP);
	p->slope = p->level * 0.0005 * (uniform(s, d, SP_SLOPE) - 0.4);
	p->sd = 0.05 * p->level;
	p->phase = (int)(7.0 * uniform(s, d, SP_PHASE));
	p->price = 1.0 + 49.0 * uniform(s, d, SP_PRICE);
}

/* Civil date of a day number (days since 1970-01-01), Hinnant's method. */
static void
civil(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Print x with at most `dec` decimals and no trailing zeros. */
static int
put_num(char *buf, size_t size, double x, int dec)
{
	int n = snprintf(buf, size, "%.*f", dec, x);

	if (strchr(buf, '.') != NULL) {
		while (buf[n - 1] == '0')
			n--;
		if (buf[n - 1] == '.')
			n--;
	}
	buf[n] = '\0';
	return n;
}

/* Write the row(s) of series s on day d (0-based), if any. */
static void
write_row(const series *p, long s, long d, long days, int width)
{
	int edge = d == 0 || d == days - 1, promo, yy, mm, dd, copies = 1;
	double y, price;
	char ybuf[32], pbuf[32];

	if (!edge && uniform(s, d, ST_DROP) < P_DROP)
		return;
	if (uniform(s, d, ST_DUP) < P_DUP)
		copies = 2;
	promo = uniform(s, d, ST_PROMO) < P_PROMO;
	y = p->level * (1.0 + p->amp * sin(2.0 * M_PI * (d + p->phase) / 7.0)) +
	    p->slope * d + p->sd * normal(s, d);
	if (promo)
		y *= 1.25;
	if (y < 0.01)
		y = 0.01;
	price = p->price * (promo ? 0.8 : 1.0);
	if (!edge && uniform(s, d, ST_NA) < P_NA)
		ybuf[0] = '\0';
	else
		put_num(ybuf, sizeof ybuf, y, 4);
	put_num(pbuf, sizeof pbuf, price, 2);
	civil(DAY0 + d, &yy, &mm, &dd);
	while (copies-- > 0)
		printf("s%0*ld,%04d-%02d-%02d,%s,%s,%d\n", width, s + 1, yy, mm,
		       dd, ybuf, pbuf, promo);
}

/* Parse a decimal argument in [lo, hi] or exit with a usage error. */
static long
arg_long(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "%s: %s '%s': expected an integer in %ld-%ld\n",
			prog, what, s, lo, hi);
		usage(64);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unsorted", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static char obuf[1 << 20];
	long nser, days, s, d;
	int unsorted = 0, width = 6, ch;
	series *p;

	while ((ch = getopt_long(argc, argv, "uh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			unsorted = 1;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(64);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc > 3)
		usage(64);
	nser = arg_long(argv[0], "SERIES", 1, 99999999);
	days = arg_long(argv[1], "DAYS", 1, 100000);
	seed = argc == 3 ? (uint64_t)arg_long(argv[2], "SEED", 0, 0x7fffffff) : 42;
	for (s = nser; s >= 1000000; s /= 10)
		width++;
	if ((p = malloc((size_t)nser * sizeof *p)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 71;
	}
	for (s = 0; s < nser; s++)
		series_init(&p[s], (uint64_t)s);
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	printf("unique_id,ds,y,price,promo\n");
	if (unsorted) {
		for (d = 0; d < days; d++)
			for (s = 0; s < nser; s++)
				write_row(&p[s], s, d, days, width);
	} else {
		for (s = 0; s < nser; s++)
			for (d = 0; d < days; d++)
				write_row(&p[s], s, d, days, width);
	}
	free(p);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
		return 74;
	}
	return 0;
}
