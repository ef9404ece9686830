/* check - the TAP-printing CHECK of the C unit tests */
#ifndef FC_TEST_CHECK_H
#define FC_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int ntests, nfailed;

/* Print "ok N - what" or "not ok N - what" and count a failure. */
static void __attribute__((format(printf, 2, 3), unused))
check(int ok, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", ntests, what);
}

#define CHECK(cond, ...) check((cond), __VA_ARGS__)

/* Print the plan; the exit status of main: 1 when a check failed. */
static int __attribute__((unused))
check_done(void)
{
	printf("1..%d\n", ntests);
	return nfailed > 0;
}

#endif
