/* source - where fc-load reads from: files, stdin, SQLite, PostgreSQL, HTTP */
#ifndef FC_SOURCE_H
#define FC_SOURCE_H

#include <stdio.h>

#include "err.h"

/*
 * A source hands fc-load a stream of CSV bytes. Every kind of source
 * opens behind this interface, the one place sources open:
 *
 *   PATH, file:PATH, -                     a CSV file or stdin, read as is
 *   sqlite:PATH?query=SQL | ?table=NAME    lib/source_sqlite.c
 *   postgresql://HOST[:PORT]/DB?query=SQL  lib/source_pg.c (also postgres://)
 *   http://... https://...                 lib/source_http.c
 *
 * A database's result is written as CSV (a header of column names, then
 * one line per row: NULL as the empty field, values as the database
 * gives their text, quoted as RFC 4180 says) into a temporary file; an
 * HTTP body is kept byte for byte in one. Either way the stream reads
 * like a file. Credentials come from the environment or the .env file of
 * the options, never from the spec: a spec holding a password is refused.
 * A source's name, for messages and sidecars, never holds a secret.
 */
typedef struct fc_source fc_source;

/*
 * How sources behave; fc_source_open takes NULL for the defaults given
 * here in brackets.
 */
typedef struct fc_source_opts {
	long timeout;           /* seconds a source may stay silent [30] */
	long retries;           /* attempts after a retryable failure [3] */
	char delim;             /* delimiter of database results [','] */
	const char *dotenv;     /* .env file for credentials [NULL: none] */
	/* Told of each failed attempt before the wait for the next one
	 * (msg: "HTTP 503 Service Unavailable: retry 1 of 3 in 1 s");
	 * may be NULL. */
	void (*notice)(void *ctx, const char *name, const char *msg);
	void *ctx;
} fc_source_opts;

/*
 * Open spec and, for databases and HTTP, run the query or the request
 * to its end. Returns 0 with *s set, or a status with err naming the
 * source (secret-free) and *s NULL:
 *   FC_EX_USAGE     a scheme fc does not know ("ftp:..."), a malformed
 *                   URL, a password in the URL
 *   FC_EX_NOINPUT   a missing file or SQLite database, a PostgreSQL
 *                   database that does not exist
 *   FC_EX_DATAERR   a bad SQL query, an HTTP error status (4xx but 401
 *                   and 403), a body that is not CSV
 *   FC_EX_TEMPFAIL  unreachable or timed out after every retry
 *   FC_EX_NOPERM    credentials refused (also HTTP 401, 403 and a
 *                   server certificate that does not verify)
 *   FC_EX_CONFIG    a malformed .env file
 *   FC_EX_IOERR     the temporary file cannot be written
 */
int fc_source_open(fc_source **s, const char *spec, const fc_source_opts *opts,
		   fc_err *err);

/* The CSV byte stream, owned by s. */
FILE *fc_source_stream(fc_source *s);

/*
 * The name to show in messages and sidecars: the spec as given ("-" for
 * stdin), without "file:", with user information and secret query
 * parameters removed (fc_url_redact), and cut to 300 bytes with "..." when
 * longer. Owned by s.
 */
const char *fc_source_name(const fc_source *s);

/* The kind of source: "file", "stdin", "sqlite", "postgresql", "http". */
const char *fc_source_kind(const fc_source *s);

/* The SQL a database source ran (a table= source: its SELECT); NULL for
 * the other kinds. Owned by s. */
const char *fc_source_query(const fc_source *s);

/* Close and free; NULL is a no-op. */
void fc_source_close(fc_source *s);

#endif
