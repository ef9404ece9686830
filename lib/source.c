/* source - where fc-load reads from: files, stdin, SQLite, PostgreSQL, HTTP */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csvio.h"
#include "io.h"
#include "source_conn.h"
#include "url.h"

#define NAME_MAX_BYTES 300

static const fc_source_opts defaults = { 30, 3, ',', NULL, NULL, NULL };

/* The schemes fc reads, and their connectors. */
static const struct {
	const char *prefix;
	int (*open)(fc_source *, const char *, const fc_source_opts *,
		    fc_err *);
} schemes[] = {
	{ "sqlite:", fc_source_sqlite },
	{ "postgresql://", fc_source_pg },
	{ "postgres://", fc_source_pg },
	{ "http://", fc_source_http },
	{ "https://", fc_source_http },
};

/* A "scheme:" prefix of two or more letters (a Windows drive is one). */
static int
has_scheme(const char *spec)
{
	size_t n = strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789+.-");

	return n >= 2 && spec[n] == ':';
}

/* s->name: spec without secrets, cut to NAME_MAX_BYTES. */
static int
set_name(fc_source *s, const char *spec, int url)
{
	size_t n;

	s->name = url ? fc_url_redact(spec) : strdup(spec);
	if (s->name == NULL)
		return -1;
	if (strlen(s->name) > NAME_MAX_BYTES) {
		n = NAME_MAX_BYTES - 3;
		/* never cut a UTF-8 sequence */
		while (n > 0 && ((unsigned char)s->name[n] & 0xC0) == 0x80)
			n--;
		memcpy(s->name + n, "...", 4);
	}
	return 0;
}

static int
open_file(fc_source *s, const char *spec, fc_err *err)
{
	s->kind = strcmp(spec, "-") == 0 ? "stdin" : "file";
	s->own_fp = strcmp(spec, "-") != 0;
	return fc_in_open(&s->fp, spec, err);
}

int
fc_source_open(fc_source **out, const char *spec, const fc_source_opts *opts,
	       fc_err *err)
{
	fc_source *s;
	size_t i, n = sizeof schemes / sizeof schemes[0];
	int st;

	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	for (i = 0; i < n; i++)
		if (strncmp(spec, schemes[i].prefix,
			    strlen(schemes[i].prefix)) == 0)
			break;
	if (i == n && has_scheme(spec) && strncmp(spec, "file:", 5) != 0)
		return fc_err_set(err, FC_EX_USAGE, NULL, 0,
				  "unsupported source '%.*s': fc-load reads "
				  "files, stdin, sqlite:, postgresql:// and "
				  "http(s)://",
				  (int)(strchr(spec, ':') - spec + 1), spec);
	if (i == n && strncmp(spec, "file:", 5) == 0)
		spec += 5;
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    set_name(s, spec, i < n) != 0) {
		free(s);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	}
	st = i < n ? schemes[i].open(s, spec, opts, err) :
		     open_file(s, spec, err);
	if (st != 0) {
		fc_source_close(s);
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

const char *
fc_source_query(const fc_source *s)
{
	return s->query;
}

void
fc_source_close(fc_source *s)
{
	if (s == NULL)
		return;
	if (s->fp != NULL && s->own_fp)
		fclose(s->fp);
	free(s->name);
	free(s->query);
	free(s);
}

int
fc_source_spool(fc_source *s, fc_err *err)
{
	if ((s->fp = tmpfile()) == NULL)
		return fc_err_set(err, FC_EX_IOERR, s->name, 0,
				  "cannot create a temporary file: %s",
				  strerror(errno));
	s->own_fp = 1;
	return 0;
}

int
fc_source_respool(fc_source *s, fc_err *err)
{
	fflush(s->fp);
	rewind(s->fp);
	if (ftruncate(fileno(s->fp), 0) != 0)
		return fc_err_set(err, FC_EX_IOERR, s->name, 0,
				  "cannot empty the temporary file: %s",
				  strerror(errno));
	return 0;
}

int
fc_source_rewind(fc_source *s, fc_err *err)
{
	if (fflush(s->fp) != 0 || ferror(s->fp))
		return fc_err_set(err, FC_EX_IOERR, s->name, 0,
				  "cannot write the temporary file: %s",
				  strerror(errno ? errno : EIO));
	rewind(s->fp);
	return 0;
}

void
fc_source_put(fc_source *s, const fc_source_opts *opts, const char *v,
	      size_t len, size_t ncols)
{
	if (len == 0 && ncols == 1)
		fputs("\"\"", s->fp);
	else
		fc_csv_put(s->fp, v, len, opts->delim);
}

void
fc_source_wait(const fc_source *s, const fc_source_opts *opts, int attempt,
	       long retry_after, const char *why)
{
	long secs = retry_after > 0 ? retry_after :
		    1L << (attempt - 1 < 6 ? attempt - 1 : 6);
	struct timespec ts;
	char msg[1200];

	if (secs > 60)
		secs = 60;
	if (opts->notice != NULL) {
		snprintf(msg, sizeof msg, "%s: retry %d of %ld in %ld s", why,
			 attempt, opts->retries, secs);
		opts->notice(opts->ctx, s->name, msg);
	}
	ts.tv_sec = secs;
	ts.tv_nsec = 0;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
fc_source_no_password(const fc_source *s, const char *where, fc_err *err)
{
	return fc_err_set(err, FC_EX_USAGE, s->name, 0,
			  "credentials in the URL are refused: set %s in "
			  "the environment or .env", where);
}

/* Append identifier part [p, p + n) to w as "part", doubling quotes. */
static char *
quote_ident(char *w, const char *p, size_t n)
{
	*w++ = '"';
	for (; n > 0; n--, p++) {
		if (*p == '"')
			*w++ = '"';
		*w++ = *p;
	}
	*w++ = '"';
	return w;
}

int
fc_source_sql(fc_source *s, const char *query, const char *table, fc_err *err)
{
	static const char select[] = "SELECT * FROM ";
	const char *p;
	char *w;
	size_t n;

	if (query != NULL && table != NULL)
		return fc_err_set(err, FC_EX_USAGE, s->name, 0,
				  "give query= or table=, not both");
	if (query == NULL && table == NULL)
		return fc_err_set(err, FC_EX_USAGE, s->name, 0,
				  "no query: add ?query=SQL or ?table=NAME");
	if ((query != NULL && query[0] == '\0') ||
	    (table != NULL && table[0] == '\0'))
		return fc_err_set(err, FC_EX_USAGE, s->name, 0,
				  "empty %s=", query ? "query" : "table");
	if (query != NULL) {
		if ((s->query = strdup(query)) == NULL)
			return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
					  "out of memory");
		return 0;
	}
	/* SELECT * FROM "schema"."table": at most every byte doubled plus
	 * two quotes a part */
	n = sizeof select + 3 * strlen(table) + 2;
	if ((s->query = w = malloc(n)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
				  "out of memory");
	w = stpcpy(w, select);
	for (p = table;; p += n + 1) {
		n = strcspn(p, ".");
		w = quote_ident(w, p, n);
		if (p[n] == '\0')
			break;
		*w++ = '.';
	}
	*w = '\0';
	return 0;
}
