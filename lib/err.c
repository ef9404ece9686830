/* err - the error record that lib functions fill instead of printing */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int
fc_err_set(fc_err *e, int status, const char *file, long line,
	   const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return status;
	e->status = status;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return status;
}

void
fc_err_clear(fc_err *e)
{
	if (e == NULL)
		return;
	memset(e, 0, sizeof *e);
}

char *
fc_err_format(const fc_err *e, const char *prog, char *buf, size_t n)
{
	if (e->file[0] != '\0' && e->line > 0)
		snprintf(buf, n, "%s: %s:%ld: %s", prog, e->file, e->line,
			 e->msg);
	else if (e->file[0] != '\0')
		snprintf(buf, n, "%s: %s: %s", prog, e->file, e->msg);
	else
		snprintf(buf, n, "%s: %s", prog, e->msg);
	return buf;
}
