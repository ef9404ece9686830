/* value - typed cells: numbers, integers, booleans, dates; NA tokens */
#ifndef FC_VALUE_H
#define FC_VALUE_H

#include <stddef.h>

#include "timeutil.h"

/* Column types of a data contract (load.columns). */
typedef enum {
	FC_TYPE_ANY,       /* not declared: text kept as it is */
	FC_TYPE_STRING,
	FC_TYPE_NUMBER,
	FC_TYPE_INTEGER,
	FC_TYPE_BOOLEAN,
	FC_TYPE_DATE,
	FC_TYPE_DATETIME
} fc_type;

/* The type named s ("number" ...), or -1. */
int fc_type_parse(const char *s);

/* The name of a type ("any" for FC_TYPE_ANY). */
const char *fc_type_name(fc_type t);

/*
 * Parse a decimal number s[0..len): [+-]digits[.digits][(e|E)[+-]digits]
 * (also ".5" and "5."), nothing else: no spaces, no thousands separators,
 * no inf or nan. Returns 0 and sets *out; -1 when s is not a number; -2
 * when its magnitude overflows a double (1e999). *canonical (may be NULL)
 * is set to 1 when the text is already how fc writes a number that reads
 * back to the same double: no '+', no leading zeros, no exponent, no
 * trailing '.', and at most 15 significant digits.
 */
int fc_num_parse(const char *s, size_t len, double *out, int *canonical);

/* Parse a boolean: true/false, yes/no, y/n, t/f, 1/0, any case. Returns
 * 1 or 0, or -1 when s is none of them. */
int fc_bool_parse(const char *s, size_t len);

/* Trim ASCII spaces and tabs from both ends of s[0..*len); returns the
 * new start and updates *len. */
const char *fc_trim(const char *s, size_t *len);

/*
 * A set of NA tokens (load.na_values): texts that mean "missing". Set it
 * up with fc_na_init over n strings that outlive it (at most 64 are
 * kept); fc_na_is tells whether s[0..len) (already trimmed) is one.
 */
#define FC_NA_MAX 64
typedef struct fc_na {
	const char *tok[FC_NA_MAX];
	size_t len[FC_NA_MAX];
	size_t n, maxlen;
} fc_na;
void fc_na_init(fc_na *na, const char *const *tok, size_t n);
int fc_na_is(const fc_na *na, const char *s, size_t len);

/*
 * Check and normalise one cell of type t. On success returns 0 and writes
 * the normalised text to out (capacity at least len + 64), its length to
 * *outlen, and for numeric types the value to *num (NaN for other types).
 * Dates are parsed with time_format (NULL or "" for ISO 8601) and written
 * as ISO 8601. On failure returns 65 and sets *why to a message such as
 * "invalid number 'abc'" built in out (so out holds the message).
 */
int fc_value_normalize(fc_type t, const char *s, size_t len,
		       const char *time_format, char *out, size_t *outlen,
		       double *num);

#endif
