/* source_sqlite - sqlite:PATH?query=SQL: a query's result as CSV */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "source_conn.h"
#include "url.h"

/* The path and the SQL of "sqlite:PATH?PARAMS" into *path (malloc'd)
 * and s->query. 0 or FC_EX_USAGE. */
static int
parse(fc_source *s, const char *spec, char **path, fc_err *err)
{
	const char *rest = spec + strlen("sqlite:"), *q = strchr(rest, '?');
	const char *query = NULL, *table = NULL;
	fc_url_param *p = NULL;
	size_t n = 0, i;
	int st = 0;

	*path = strndup(rest, q ? (size_t)(q - rest) : strlen(rest));
	if (*path == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
				  "out of memory");
	if (fc_url_decode(*path, 0) != 0)
		return fc_err_set(err, FC_EX_USAGE, s->name, 0,
				  "bad percent escape in the path");
	if ((*path)[0] == '\0')
		return fc_err_set(err, FC_EX_USAGE, s->name, 0,
				  "no database: write sqlite:PATH?query=SQL");
	if (q != NULL && (st = fc_url_params(q + 1, s->name, &p, &n, err)) != 0)
		return st;
	for (i = 0; i < n && st == 0; i++) {
		if (strcmp(p[i].name, "query") == 0)
			query = p[i].value;
		else if (strcmp(p[i].name, "table") == 0)
			table = p[i].value;
		else
			st = fc_err_set(err, FC_EX_USAGE, s->name, 0,
					"unknown parameter '%s': sqlite: takes "
					"query or table", p[i].name);
	}
	if (st == 0)
		st = fc_source_sql(s, query, table, err);
	fc_url_params_free(p, n);
	return st;
}

/* The status of a failing SQLite call: a locked database is worth a
 * retry, anything else is the query's or the file's fault. */
static int
fail(fc_source *s, sqlite3 *db, int rc, const char *what, fc_err *err)
{
	int st = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? FC_EX_TEMPFAIL :
		 rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN ? FC_EX_NOINPUT :
		 FC_EX_DATAERR;

	if (rc == SQLITE_NOTADB)
		return fc_err_set(err, FC_EX_DATAERR, s->name, 0,
				  "not a SQLite database");
	return fc_err_set(err, st, s->name, 0, "%s: %s", what,
			  sqlite3_errmsg(db));
}

/* Prepare the one read-only statement of s->query. */
static int
prepare(fc_source *s, sqlite3 *db, sqlite3_stmt **stmt, fc_err *err)
{
	const char *tail;
	int rc;

	rc = sqlite3_prepare_v2(db, s->query, -1, stmt, &tail);
	if (rc != SQLITE_OK)
		return fail(s, db, rc, "bad query", err);
	if (*stmt == NULL)
		return fc_err_set(err, FC_EX_DATAERR, s->name, 0,
				  "bad query: no statement");
	tail += strspn(tail, " \t\r\n;");
	if (*tail != '\0')
		return fc_err_set(err, FC_EX_DATAERR, s->name, 0,
				  "bad query: one statement only, found more "
				  "after the first");
	if (!sqlite3_stmt_readonly(*stmt))
		return fc_err_set(err, FC_EX_DATAERR, s->name, 0,
				  "bad query: it would write to the database");
	if (sqlite3_column_count(*stmt) == 0)
		return fc_err_set(err, FC_EX_DATAERR, s->name, 0,
				  "bad query: it returns no columns");
	return 0;
}

/* Run the statement into the spool: header, then the rows. */
static int
spool_rows(fc_source *s, const fc_source_opts *o, sqlite3 *db,
	   sqlite3_stmt *stmt, fc_err *err)
{
	size_t n = (size_t)sqlite3_column_count(stmt), i;
	const char *v;
	int rc;

	for (i = 0; i < n; i++) {
		v = sqlite3_column_name(stmt, (int)i);
		if (i > 0)
			putc(o->delim, s->fp);
		fc_source_put(s, o, v ? v : "", v ? strlen(v) : 0, n);
	}
	putc('\n', s->fp);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			v = (const char *)sqlite3_column_text(stmt, (int)i);
			if (i > 0)
				putc(o->delim, s->fp);
			fc_source_put(s, o, v ? v : "",
				      v ? (size_t)sqlite3_column_bytes(stmt,
								       (int)i) :
					  0, n);
		}
		putc('\n', s->fp);
	}
	if (rc != SQLITE_DONE)
		return fail(s, db, rc, "query failed", err);
	return fc_source_rewind(s, err);
}

int
fc_source_sqlite(fc_source *s, const char *spec, const fc_source_opts *opts,
		 fc_err *err)
{
	sqlite3_stmt *stmt = NULL;
	sqlite3 *db = NULL;
	struct stat sb;
	char *path = NULL;
	int st, e;

	s->kind = "sqlite";
	if ((st = parse(s, spec, &path, err)) != 0)
		goto out;
	/* read-only, so a missing file is never created empty */
	e = stat(path, &sb) != 0 ? errno : S_ISDIR(sb.st_mode) ? EISDIR : 0;
	if (e != 0) {
		st = fc_err_set(err, FC_EX_NOINPUT, s->name, 0,
				"cannot open: %s", strerror(e));
		goto out;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		st = fc_err_set(err, FC_EX_NOINPUT, s->name, 0,
				"cannot open: %s",
				db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, (int)(opts->timeout * 1000));
	if ((st = prepare(s, db, &stmt, err)) == 0 &&
	    (st = fc_source_spool(s, err)) == 0)
		st = spool_rows(s, opts, db, stmt, err);
out:
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(path);
	return st;
}
