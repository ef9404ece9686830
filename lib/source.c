/* source - where fc-load reads from: a CSV file or stdin (more to come) */
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "source.h"

struct fc_source {
	FILE *fp;
	char *name;
	const char *kind;
};

/* A "scheme:" prefix of two or more letters (a Windows drive is one). */
static int
has_scheme(const char *spec)
{
	size_t n = strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789+.-");

	return n >= 2 && spec[n] == ':';
}

int
fc_source_open(fc_source **out, const char *spec, fc_err *err)
{
	fc_source *s;
	int st;

	if (has_scheme(spec) && strncmp(spec, "file:", 5) != 0)
		return fc_err_set(err, FC_EX_USAGE, NULL, 0,
				  "unsupported source '%.*s': fc-load reads "
				  "CSV files and stdin",
				  (int)(strchr(spec, ':') - spec + 1), spec);
	if (strncmp(spec, "file:", 5) == 0)
		spec += 5;
	if ((s = calloc(1, sizeof *s)) == NULL || (s->name = strdup(spec)) == NULL) {
		free(s);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	}
	s->kind = strcmp(spec, "-") == 0 ? "stdin" : "file";
	if ((st = fc_in_open(&s->fp, spec, err)) != 0) {
		free(s->name);
		free(s);
		return st;
	}
	*out = s;
	return 0;
}

FILE *
fc_source_stream(fc_source *s)
{
	return s->fp;
}

const char *
fc_source_name(const fc_source *s)
{
	return s->name;
}

const char *
fc_source_kind(const fc_source *s)
{
	return s->kind;
}

void
fc_source_close(fc_source *s)
{
	if (s == NULL)
		return;
	fc_in_close(s->fp);
	free(s->name);
	free(s);
}
