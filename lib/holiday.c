/* holiday - dates of yearly holidays: fixed days, nth weekdays, Easter */
#include "holiday.h"
#include "timeutil.h"

int64_t
fc_easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100, d = b / 4;
	int e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return fc_days_from_civil(year, (unsigned)month, (unsigned)day);
}

/* Day of the week of a day count: 0 = Monday (1970-01-01 was a Thursday). */
static int
weekday_of(int64_t d)
{
	int64_t w = (d + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int
fc_nth_weekday(int year, int month, int weekday, int nth, int64_t *day)
{
	int len = fc_days_in_month(year, month);
	int64_t first, last, d;

	if (len == 0 || nth == 0 || nth > 5 || nth < -5)
		return 0;
	first = fc_days_from_civil(year, (unsigned)month, 1);
	last = first + len - 1;
	if (nth > 0) {
		d = first + (weekday - weekday_of(first) + 7) % 7 +
		    7 * (int64_t)(nth - 1);
		if (d > last)
			return 0;
	} else {
		d = last - (weekday_of(last) - weekday + 7) % 7 -
		    7 * (int64_t)(-nth - 1);
		if (d < first)
			return 0;
	}
	*day = d;
	return 1;
}

int
fc_holiday_in(const fc_holiday *h, int year, int64_t *day)
{
	switch (h->kind) {
	case FC_HOL_FIXED:
		if (year != h->year)
			return 0;
		/* FALLTHROUGH */
	case FC_HOL_YEARLY:
		if (h->day > fc_days_in_month(year, h->month))
			return 0;
		*day = fc_days_from_civil(year, (unsigned)h->month,
					  (unsigned)h->day);
		return 1;
	case FC_HOL_NTH:
		return fc_nth_weekday(year, h->month, h->weekday, h->nth, day);
	case FC_HOL_EASTER:
		*day = fc_easter(year) + h->offset;
		return 1;
	}
	return 0;
}

void
fc_holiday_near(const fc_holiday *h, int64_t d, int64_t *prev, int64_t *next)
{
	fc_civil c;
	fc_time t = { d * 86400, FC_TIME_DATE };
	int64_t o;
	int y, lo, hi;

	fc_time_civil(t, &c);
	*prev = *next = INT64_MIN;
	/* Easter offsets move a date by a year at most; Feb 29 by eight */
	lo = h->kind == FC_HOL_FIXED ? h->year : c.year - 9;
	hi = h->kind == FC_HOL_FIXED ? h->year : c.year + 9;
	for (y = lo; y <= hi; y++) {
		if (y < 1 || y > 9999 || !fc_holiday_in(h, y, &o))
			continue;
		if (o <= d && (*prev == INT64_MIN || o > *prev))
			*prev = o;
		if (o >= d && (*next == INT64_MIN || o < *next))
			*next = o;
	}
}
