/* holiday - dates of yearly holidays: fixed days, nth weekdays, Easter */
#ifndef FC_HOLIDAY_H
#define FC_HOLIDAY_H

#include <stdint.h>

/*
 * A holiday rule. Dates are days since 1970-01-01 (fc_days_from_civil).
 * Nothing here allocates; an impossible date (Feb 29 of a common year, a
 * fifth Monday a month lacks) is "no date" and reported as 0 by
 * fc_holiday_in.
 */
typedef enum {
	FC_HOL_FIXED,    /* one date: year, month, day */
	FC_HOL_YEARLY,   /* every year on month-day */
	FC_HOL_NTH,      /* the nth weekday of a month; nth < 0 counts back */
	FC_HOL_EASTER    /* Western (Gregorian) Easter plus offset days */
} fc_hol_kind;

typedef struct fc_holiday {
	fc_hol_kind kind;
	int year, month, day;  /* FIXED, YEARLY (day of month) */
	int weekday;           /* NTH: 0 = Monday ... 6 = Sunday */
	int nth;               /* NTH: 1..5 or -1..-5 */
	int offset;            /* EASTER: days after Easter Sunday */
} fc_holiday;

/* The day of Easter Sunday of `year` (1583-9999 and beyond), as days
 * since 1970-01-01 (anonymous Gregorian algorithm). */
int64_t fc_easter(int year);

/* The nth (1..5, or -1..-5 from the end) weekday (0 = Monday) of a month;
 * sets *day and returns 1, or returns 0 when the month has no such day. */
int fc_nth_weekday(int year, int month, int weekday, int nth, int64_t *day);

/* The date of h in `year`: 1 and *day, or 0 when it has none that year
 * (a FIXED holiday of another year, Feb 29 of a common year). */
int fc_holiday_in(const fc_holiday *h, int year, int64_t *day);

/*
 * The occurrences of h nearest to day d: *next the first on or after d,
 * *prev the last on or before d (both d when d is one). Each is set to
 * INT64_MIN when there is none within nine years (for FIXED: at all).
 */
void fc_holiday_near(const fc_holiday *h, int64_t d, int64_t *prev,
		     int64_t *next);

#endif
