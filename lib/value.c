/* value - typed cells: numbers, integers, booleans, dates; NA tokens */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvio.h"
#include "value.h"

static const char *const type_names[] = {
	"any", "string", "number", "integer", "boolean", "date", "datetime"
};

int
fc_type_parse(const char *s)
{
	size_t i;

	for (i = 1; i < sizeof type_names / sizeof *type_names; i++)
		if (strcmp(s, type_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
fc_type_name(fc_type t)
{
	return type_names[t];
}

const char *
fc_trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* Powers of ten a double holds exactly. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

int
fc_num_parse(const char *s, size_t len, double *out, int *canonical)
{
	const char *p = s, *end = s + len;
	unsigned long long mant = 0;
	int neg = 0, ndig = 0, sig = 0, frac = 0, exp = 0, canon = 1;
	int lead_zero = 0, have_exp = 0, dot = 0, nint = 0;
	char buf[512];
	double v;

	if (p < end && (*p == '+' || *p == '-')) {
		neg = *p == '-';
		canon = !(*p == '+');
		p++;
	}
	if (p < end && *p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
		lead_zero = 1;
	for (; p < end && *p >= '0' && *p <= '9'; p++, ndig++, nint++) {
		if (sig > 0 || *p != '0')
			sig++;
		if (sig <= 19)
			mant = mant * 10 + (unsigned)(*p - '0');
	}
	if (p < end && *p == '.') {
		dot = 1;
		p++;
		for (; p < end && *p >= '0' && *p <= '9'; p++, ndig++, frac++) {
			if (sig > 0 || *p != '0')
				sig++;
			if (sig <= 19)
				mant = mant * 10 + (unsigned)(*p - '0');
		}
		if (frac == 0 || nint == 0 || p[-1] == '0')
			canon = 0; /* "5.", ".5", "1.50" */
	}
	if (ndig == 0)
		return -1;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0, edig = 0;

		have_exp = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++, edig++)
			if (exp < 100000)
				exp = exp * 10 + (*p - '0');
		if (edig == 0)
			return -1;
		if (eneg)
			exp = -exp;
	}
	if (p != end)
		return -1;
	if (lead_zero || have_exp || sig > 15 || (dot && nint == 0))
		canon = 0;
	if (neg && sig == 0)
		canon = 0; /* "-0" */
	if (canonical)
		*canonical = canon;
	/* Exact fast path: mantissa and power of ten both exact doubles. */
	if (sig <= 15 && exp - frac >= -22 && exp - frac <= 22) {
		int e = exp - frac;

		v = (double)mant;
		v = e < 0 ? v / pow10_exact[-e] : v * pow10_exact[e];
		*out = neg ? -v : v;
		return 0;
	}
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, NULL);
	if (errno == ERANGE && isinf(v))
		return -2;
	*out = v;
	return 0;
}

int
fc_bool_parse(const char *s, size_t len)
{
	static const char *const yes[] = { "true", "yes", "y", "t", "1" };
	static const char *const no[] = { "false", "no", "n", "f", "0" };
	size_t i;

	for (i = 0; i < 5; i++) {
		if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0)
			return 1;
		if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0)
			return 0;
	}
	return -1;
}

void
fc_na_init(fc_na *na, const char *const *tok, size_t n)
{
	size_t i;

	na->n = n < FC_NA_MAX ? n : FC_NA_MAX;
	na->maxlen = 0;
	for (i = 0; i < na->n; i++) {
		na->tok[i] = tok[i];
		na->len[i] = strlen(tok[i]);
		if (na->len[i] > na->maxlen)
			na->maxlen = na->len[i];
	}
}

int
fc_na_is(const fc_na *na, const char *s, size_t len)
{
	size_t i;

	if (len > na->maxlen)
		return 0;
	for (i = 0; i < na->n; i++)
		if (na->len[i] == len && memcmp(na->tok[i], s, len) == 0)
			return 1;
	return 0;
}

/* Write "invalid TYPE 'text'" (text cut to fit) into out. */
static int
invalid(char *out, size_t *outlen, const char *what, const char *s,
	size_t len)
{
	int n = snprintf(out, len + 64, "%s '%.*s'", what,
			 (int)(len > 40 ? 40 : len), s);

	if (len > 40 && n > 0) {
		memcpy(out + n - 1, "...'", 5);
		n += 3;
	}
	*outlen = n > 0 ? (size_t)n : 0;
	return 65;
}

/*
 * Length of s without the trailing zeros of its fraction ("1.50" -> 3,
 * "2.0" -> 1), when that shorter text is canonical; else 0.
 */
static size_t
trim_zeros(const char *s, size_t len)
{
	size_t n = len;
	double v;
	int canon;

	if (memchr(s, '.', len) == NULL || memchr(s, 'e', len) ||
	    memchr(s, 'E', len))
		return 0;
	while (n > 0 && s[n - 1] == '0')
		n--;
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || fc_num_parse(s, n, &v, &canon) != 0 || !canon)
		return 0;
	return n;
}

static int
norm_number(fc_type t, const char *s, size_t len, char *out, size_t *outlen,
	    double *num)
{
	int canon, r = fc_num_parse(s, len, num, &canon);
	size_t n;

	if (r == -2)
		return invalid(out, outlen, "number out of range", s, len);
	if (r != 0)
		return invalid(out, outlen, t == FC_TYPE_INTEGER ?
			       "invalid integer" : "invalid number", s, len);
	if (t == FC_TYPE_INTEGER && (*num != floor(*num) ||
				     fabs(*num) > 9007199254740992.0))
		return invalid(out, outlen, "invalid integer", s, len);
	n = canon ? len : trim_zeros(s, len);
	if (n > 0) {
		/* already how fc writes it: keep the text */
		memcpy(out, s, n);
		*outlen = n;
	} else {
		*outlen = fc_num_format(*num, out);
	}
	return 0;
}

int
fc_value_normalize(fc_type t, const char *s, size_t len,
		   const char *time_format, char *out, size_t *outlen,
		   double *num)
{
	const char *why = NULL;
	fc_time tm;
	int b;

	*num = NAN;
	switch (t) {
	case FC_TYPE_NUMBER:
	case FC_TYPE_INTEGER:
		return norm_number(t, s, len, out, outlen, num);
	case FC_TYPE_BOOLEAN:
		if ((b = fc_bool_parse(s, len)) < 0)
			return invalid(out, outlen, "invalid boolean", s, len);
		*num = b;
		memcpy(out, b ? "true" : "false", b ? 5 : 6);
		*outlen = b ? 4 : 5;
		return 0;
	case FC_TYPE_DATE:
	case FC_TYPE_DATETIME:
		if (fc_time_parse(s, len, time_format, &tm, &why) != 0 ||
		    tm.kind == FC_TIME_INDEX) {
			int n = snprintf(out, len + 64, "invalid %s '%.*s'%s%s",
					 fc_type_name(t),
					 (int)(len > 40 ? 40 : len), s,
					 why ? ": " : "", why ? why : "");

			*outlen = n > 0 ? (size_t)n : 0;
			return 65;
		}
		if (t == FC_TYPE_DATETIME)
			tm.kind = FC_TIME_DATETIME;
		*outlen = fc_time_format(tm, out, len + 64);
		return 0;
	case FC_TYPE_ANY:
	case FC_TYPE_STRING:
		break;
	}
	memcpy(out, s, len);
	*outlen = len;
	return 0;
}
