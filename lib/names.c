/* names - column names to snake_case */
#include "names.h"

static int
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_lower_or_digit(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
is_word(int c)
{
	return is_upper(c) || is_lower_or_digit(c) || (c & 0x80);
}

size_t
fc_snake_case(const char *name, size_t len, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i, k = 0;
	int gap = 0;

	for (i = 0; i < len; i++) {
		int c = s[i], prev = i ? s[i - 1] : 0;
		int next = i + 1 < len ? s[i + 1] : 0;
		int brk;

		if (!is_word(c)) {
			gap = 1;
			continue;
		}
		brk = is_upper(c) && i > 0 &&
		      (is_lower_or_digit(prev) ||
		       (is_upper(prev) && next >= 'a' && next <= 'z'));
		if ((gap || brk) && k > 0) {
			if (k + 1 >= n)
				return (size_t)-1;
			out[k++] = '_';
		}
		gap = 0;
		if (k + 1 >= n)
			return (size_t)-1;
		out[k++] = (char)(is_upper(c) ? c - 'A' + 'a' : c);
	}
	if (n > 0)
		out[k] = '\0';
	return k;
}
