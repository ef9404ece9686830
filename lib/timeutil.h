/* timeutil - timestamps, frequencies and calendar arithmetic */
#ifndef FC_TIMEUTIL_H
#define FC_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A timestamp is either a calendar time or a plain integer index (1, 2, 3
 * ... for series without a calendar). Calendar times are seconds since
 * 1970-01-01T00:00:00 on the proleptic Gregorian calendar, years 1 to 9999;
 * an explicit UTC offset in the input ("Z", "+02:00") is converted to UTC.
 * FC_TIME_DATE values fall on midnight and print as YYYY-MM-DD;
 * FC_TIME_DATETIME print as YYYY-MM-DDTHH:MM:SS. Nothing here allocates.
 */
typedef enum { FC_TIME_DATE, FC_TIME_DATETIME, FC_TIME_INDEX } fc_time_kind;

typedef struct fc_time {
	int64_t v;          /* seconds since the epoch, or the index */
	fc_time_kind kind;
} fc_time;

/*
 * Parse s[0..len) (not necessarily NUL-terminated). format NULL or "":
 * ISO 8601 - YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+hh:mm|-hh:mm]
 * (a space instead of T accepted), YYYY-MM (first of the month), or an
 * optionally signed integer (FC_TIME_INDEX). Otherwise format is a
 * strptime(3) format. Returns 0, or -1 for an invalid or impossible time
 * (2024-02-30, 25:00, year 0 or above 9999) with a short lowercase reason
 * in *why (a static string) when why is not NULL.
 */
int fc_time_parse(const char *s, size_t len, const char *format, fc_time *out,
		  const char **why);

/* Write t as ISO 8601 (or the integer) into buf; returns the length. */
size_t fc_time_format(fc_time t, char *buf, size_t n);

/* Calendar fields of a calendar time; yday 1-366, wday 0 = Monday. */
typedef struct fc_civil {
	int year, month, day, hour, min, sec, wday, yday;
} fc_civil;
void fc_time_civil(fc_time t, fc_civil *c);

/* Days since 1970-01-01 of a civil date (any valid y-m-d). */
int64_t fc_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Days in a month; 0 for an invalid month. */
int fc_days_in_month(int64_t y, int m);

/*
 * A frequency: a multiple of a fixed length in seconds (min, H, D, W), of
 * months (M, Q = 3 months, Y = 12 months), or of index steps.
 */
typedef enum { FC_FREQ_SECONDS, FC_FREQ_MONTHS, FC_FREQ_INDEX } fc_freq_unit;

typedef struct fc_freq {
	fc_freq_unit unit;
	int64_t n;          /* seconds, months or index steps per period, > 0 */
} fc_freq;

/*
 * Parse "[N]UNIT": UNIT one of s, min, H, D, W, M, Q, Y (also the aliases
 * T for min, h for H, A for Y, MS for M, QS for Q, YS for Y) or "1" for an
 * integer index, N a positive integer (default 1): "15min", "2W", "M".
 * Returns 0, or -1 when s is not a frequency.
 */
int fc_freq_parse(const char *s, fc_freq *out);

/* Canonical text of f ("15min", "D", "2W", "M", "Q", "Y") into buf. */
size_t fc_freq_format(fc_freq f, char *buf, size_t n);

/* The usual seasonal period of f: 12 for M, 4 for Q, 7 for D, 24 for H,
 * 52 for W, 1 when there is none. */
int fc_freq_season_length(fc_freq f);

/*
 * t plus k periods of f (k may be negative). For months: when t is the
 * last day of its month the result is the last day of the target month
 * (Jan 31 + 1M = Feb 29 in a leap year), otherwise the day is clamped to
 * the target month's length; the time of day is kept. Always count from a
 * fixed anchor (t0 + k), never step by step, so clamping does not drift.
 */
fc_time fc_time_add(fc_time t, fc_freq f, int64_t k);

/*
 * The number of whole periods from a to b (b >= a or not); *on_grid is
 * set to 1 when fc_time_add(a, f, k) == b exactly, else 0.
 */
int64_t fc_time_steps(fc_time a, fc_time b, fc_freq f, int *on_grid);

/*
 * Infer the frequency of n strictly increasing timestamps (n >= 2): the
 * largest regular step that puts every timestamp on one grid from ts[0]
 * (month-based when the day of month is constant or always the month's
 * last day; else the gcd of the differences in seconds, named by its unit).
 * Returns 0, or -1 when n < 2 or no regular grid exists.
 */
int fc_freq_infer(const fc_time *ts, size_t n, fc_freq *out);

#endif
