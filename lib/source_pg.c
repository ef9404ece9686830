/* source_pg - postgresql://HOST/DB?query=SQL: a query's result as CSV */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "dotenv.h"
#include "source_conn.h"
#include "url.h"

/* The connection keywords fc passes to libpq, and their variables in
 * the environment or .env (the same names libpq reads itself). */
static const struct {
	const char *kw, *var;
} vars[] = {
	{ "host", "PGHOST" },
	{ "hostaddr", "PGHOSTADDR" },
	{ "port", "PGPORT" },
	{ "dbname", "PGDATABASE" },
	{ "user", "PGUSER" },
	{ "password", "PGPASSWORD" },
	{ "passfile", "PGPASSFILE" },
	{ "service", "PGSERVICE" },
	{ "servicefile", "PGSERVICEFILE" },
	{ "options", "PGOPTIONS" },
	{ "application_name", "PGAPPNAME" },
	{ "sslmode", "PGSSLMODE" },
	{ "sslcert", "PGSSLCERT" },
	{ "sslkey", "PGSSLKEY" },
	{ "sslrootcert", "PGSSLROOTCERT" },
	{ "sslcrl", "PGSSLCRL" },
	{ "channel_binding", "PGCHANNELBINDING" },
	{ "gssencmode", "PGGSSENCMODE" },
	{ "krbsrvname", "PGKRBSRVNAME" },
	{ "target_session_attrs", "PGTARGETSESSIONATTRS" },
};

#define NVARS (sizeof vars / sizeof vars[0])

/* The URL parameters that are connection keywords. */
static const char *const url_kws[] = {
	"host", "port", "dbname", "user", "sslmode", "sslrootcert",
	"application_name", "target_session_attrs",
};

/* Keywords and values for PQconnectdbParams; NULL-terminated. The
 * strings belong to the spec's decoded copies, .env or the environment. */
struct conninfo {
	const char *kw[NVARS + 8];
	const char *val[NVARS + 8];
	size_t n;
	char timeout[24];
};

/* Set kw to val, replacing an earlier value. */
static void
set(struct conninfo *ci, const char *kw, const char *val)
{
	size_t i;

	for (i = 0; i < ci->n; i++)
		if (strcmp(ci->kw[i], kw) == 0) {
			ci->val[i] = val;
			return;
		}
	ci->kw[ci->n] = kw;
	ci->val[ci->n++] = val;
	ci->kw[ci->n] = ci->val[ci->n] = NULL;
}

/* What the URL says, decoded: authority parts and parameters. */
struct pgurl {
	char *buf;              /* user, host, port, db: one block */
	char *user, *host, *port, *db;
	fc_url_param *p;
	size_t np;
};

static void
pgurl_free(struct pgurl *u)
{
	free(u->buf);
	fc_url_params_free(u->p, u->np);
}

/* Split HOST[:PORT] (or [V6]:PORT) of the authority at a, decoded. */
static int
split_host(struct pgurl *u, char *a)
{
	char *colon;

	if (a[0] == '[' && (colon = strchr(a, ']')) != NULL) {
		*colon++ = '\0';
		u->host = a + 1;
		if (*colon == ':')
			u->port = colon + 1;
	} else if ((colon = strrchr(a, ':')) != NULL) {
		*colon = '\0';
		u->host = a;
		u->port = colon + 1;
	} else {
		u->host = a;
	}
	return fc_url_decode(a, 0);
}

/* Parse "postgresql://[USER@]HOST[:PORT][/DB][?PARAMS]". 0 or 64. */
static int
parse(fc_source *s, const char *spec, struct pgurl *u, fc_err *err)
{
	const char *rest = strstr(spec, "://") + 3, *q;
	size_t ulen, alen;
	char *a, *slash;
	int pw;

	if (fc_url_userinfo(spec, &ulen, &pw) != NULL && pw)
		return fc_source_no_password(s, "PGPASSWORD", err);
	q = strchr(rest, '?');
	if ((u->buf = strndup(rest, q ? (size_t)(q - rest) : strlen(rest))) ==
	    NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
				  "out of memory");
	a = u->buf;
	if ((slash = strchr(a, '/')) != NULL) {
		*slash = '\0';
		u->db = slash + 1;
	}
	alen = strlen(a);
	if (memchr(a, '@', alen) != NULL) {
		char *at = strrchr(a, '@');

		*at = '\0';
		u->user = a;
		a = at + 1;
	}
	if ((u->user && fc_url_decode(u->user, 0) != 0) ||
	    split_host(u, a) != 0 || (u->db && fc_url_decode(u->db, 0) != 0))
		return fc_err_set(err, FC_EX_USAGE, s->name, 0,
				  "bad percent escape in the URL");
	if (q != NULL)
		return fc_url_params(q + 1, s->name, &u->p, &u->np, err);
	return 0;
}

/* The keywords of .env, the environment and the URL, in that order of
 * strength; s->query from query= or table=. 0, 64 or 78. */
static int
conninfo(fc_source *s, const struct pgurl *u, const fc_dotenv *env,
	 long timeout, struct conninfo *ci, fc_err *err)
{
	const char *query = NULL, *table = NULL, *v;
	size_t i, k;

	ci->n = 0;
	for (i = 0; i < NVARS; i++)
		if ((v = fc_dotenv_get(env, vars[i].var)) != NULL)
			set(ci, vars[i].kw, v);
	if (u->host && u->host[0])
		set(ci, "host", u->host);
	if (u->port && u->port[0])
		set(ci, "port", u->port);
	if (u->db && u->db[0])
		set(ci, "dbname", u->db);
	if (u->user && u->user[0])
		set(ci, "user", u->user);
	for (i = 0; i < u->np; i++) {
		const char *name = u->p[i].name;

		if (strcmp(name, "query") == 0) {
			query = u->p[i].value;
			continue;
		}
		if (strcmp(name, "table") == 0) {
			table = u->p[i].value;
			continue;
		}
		if (strcmp(name, "password") == 0 ||
		    strcmp(name, "passfile") == 0)
			return fc_source_no_password(s, "PGPASSWORD", err);
		for (k = 0; k < sizeof url_kws / sizeof url_kws[0]; k++)
			if (strcmp(name, url_kws[k]) == 0)
				break;
		if (k == sizeof url_kws / sizeof url_kws[0])
			return fc_err_set(err, FC_EX_USAGE, s->name, 0,
					  "unknown parameter '%s': postgresql: "
					  "takes query, table, host, port, "
					  "dbname, user, sslmode, sslrootcert, "
					  "application_name and "
					  "target_session_attrs", name);
		set(ci, url_kws[k], u->p[i].value);
	}
	snprintf(ci->timeout, sizeof ci->timeout, "%ld", timeout);
	set(ci, "connect_timeout", ci->timeout);
	set(ci, "client_encoding", "UTF8");
	set(ci, "fallback_application_name", "fc-load");
	return fc_source_sql(s, query, table, err);
}

/* The first line of libpq's message, without its newline. */
static void
first_line(const char *msg, char *buf, size_t n)
{
	snprintf(buf, n, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/*
 * Why a connection failed: credentials refused (77, also a server
 * certificate that does not verify), a database that does not exist
 * (66), or else the server cannot be reached (75). libpq
 * gives no code for a failed connection: besides what libpq knows (a
 * password was asked for, or used), this reads the server's message, so
 * a server that translates its messages may turn a 66 or 77 into 75.
 */
static int
connect_status(PGconn *conn)
{
	const char *m = PQerrorMessage(conn);

	if (PQconnectionNeedsPassword(conn))
		return FC_EX_NOPERM;
	/* refusals that pass with time, even after a good password */
	if (strstr(m, "too many clients") || strstr(m, "starting up") ||
	    strstr(m, "shutting down") || strstr(m, "recovery mode") ||
	    strstr(m, "too many connections"))
		return FC_EX_TEMPFAIL;
	if (strstr(m, "database \"") && strstr(m, "\" does not exist"))
		return FC_EX_NOINPUT;
	if (PQconnectionUsedPassword(conn) ||
	    strstr(m, "authentication failed") || strstr(m, "pg_hba.conf") ||
	    strstr(m, "permission denied") || strstr(m, "certificate") ||
	    (strstr(m, "role \"") && strstr(m, "\" does not exist")))
		return FC_EX_NOPERM;
	return FC_EX_TEMPFAIL;
}

/* Connect, retrying what is worth a retry. 0 with *out, or a status. */
static int
connect_db(fc_source *s, const fc_source_opts *o, const struct conninfo *ci,
	   PGconn **out, fc_err *err)
{
	char line[800];
	PGconn *conn;
	int attempt, st, needs;

	for (attempt = 1;; attempt++) {
		conn = PQconnectdbParams(ci->kw, ci->val, 0);
		if (conn == NULL)
			return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
					  "out of memory");
		if (PQstatus(conn) == CONNECTION_OK) {
			*out = conn;
			return 0;
		}
		first_line(PQerrorMessage(conn), line, sizeof line);
		st = connect_status(conn);
		needs = PQconnectionNeedsPassword(conn);
		PQfinish(conn);
		if (needs)
			return fc_err_set(err, st, s->name, 0,
					  "credentials refused: no password: "
					  "set PGPASSWORD in the environment "
					  "or .env");
		if (st == FC_EX_NOPERM)
			return fc_err_set(err, st, s->name, 0,
					  "credentials refused: %s", line);
		if (st != FC_EX_TEMPFAIL)
			return fc_err_set(err, st, s->name, 0, "%s", line);
		if (attempt > o->retries)
			return attempt > 1 ?
				fc_err_set(err, st, s->name, 0,
					   "cannot connect (%d attempts): %s",
					   attempt, line) :
				fc_err_set(err, st, s->name, 0,
					   "cannot connect: %s", line);
		fc_source_wait(s, o, attempt, 0, line);
	}
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg, (void)msg;
}

/* The status of a failed query, by its SQLSTATE class. */
static int
query_status(PGconn *conn, const PGresult *res)
{
	const char *code = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (PQstatus(conn) != CONNECTION_OK || code == NULL)
		return FC_EX_TEMPFAIL;
	if (strncmp(code, "28", 2) == 0 || strcmp(code, "42501") == 0)
		return FC_EX_NOPERM;
	if (strncmp(code, "08", 2) == 0 || strncmp(code, "53", 2) == 0 ||
	    strncmp(code, "57", 2) == 0 || strncmp(code, "40", 2) == 0)
		return FC_EX_TEMPFAIL;
	return FC_EX_DATAERR;
}

/* Write one result row, or the header when row is -1. */
static void
put_row(fc_source *s, const fc_source_opts *o, const PGresult *res, int row)
{
	int n = PQnfields(res), i;

	for (i = 0; i < n; i++) {
		const char *v = row < 0 ? PQfname(res, i) :
			PQgetisnull(res, row, i) ? "" : PQgetvalue(res, row, i);

		if (i > 0)
			putc(o->delim, s->fp);
		fc_source_put(s, o, v, row < 0 || PQgetisnull(res, row, i) ?
			      strlen(v) : (size_t)PQgetlength(res, row, i),
			      (size_t)n);
	}
	putc('\n', s->fp);
}

/* Run s->query, one row at a time, into the spool. */
static int
run_query(fc_source *s, const fc_source_opts *o, PGconn *conn, fc_err *err)
{
	PGresult *res;
	int st = 0, header = 0, ok;
	char line[900];

	res = PQexec(conn, "SET SESSION CHARACTERISTICS AS TRANSACTION "
			   "READ ONLY");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok || !PQsendQueryParams(conn, s->query, 0, NULL, NULL, NULL,
				      NULL, 0) || !PQsetSingleRowMode(conn)) {
		first_line(PQerrorMessage(conn), line, sizeof line);
		return fc_err_set(err, FC_EX_TEMPFAIL, s->name, 0,
				  "query failed: %s", line);
	}
	while ((res = PQgetResult(conn)) != NULL) {
		ExecStatusType rs = PQresultStatus(res);

		if (st == 0 && (rs == PGRES_SINGLE_TUPLE ||
				rs == PGRES_TUPLES_OK)) {
			if (!header++)
				put_row(s, o, res, -1);
			if (rs == PGRES_SINGLE_TUPLE)
				put_row(s, o, res, 0);
		} else if (st == 0 && rs != PGRES_COMMAND_OK) {
			int q = query_status(conn, res);
			const char *m = PQresultErrorField(
				res, PG_DIAG_MESSAGE_PRIMARY);

			first_line(m ? m : PQerrorMessage(conn), line,
				   sizeof line);
			st = fc_err_set(err, q, s->name, 0, "%s: %s",
					q == FC_EX_DATAERR ? "bad query" :
					q == FC_EX_NOPERM ? "query refused" :
					"query failed", line);
		}
		PQclear(res);
	}
	if (st == 0 && !header)
		st = fc_err_set(err, FC_EX_DATAERR, s->name, 0,
				"bad query: it returns no columns");
	return st ? st : fc_source_rewind(s, err);
}

int
fc_source_pg(fc_source *s, const char *spec, const fc_source_opts *opts,
	     fc_err *err)
{
	struct pgurl u = { 0 };
	struct conninfo ci;
	fc_dotenv *env = NULL;
	PGconn *conn = NULL;
	int st;

	s->kind = "postgresql";
	if ((st = parse(s, spec, &u, err)) != 0 ||
	    (opts->dotenv &&
	     (st = fc_dotenv_load(&env, opts->dotenv, err)) != 0) ||
	    (st = conninfo(s, &u, env, opts->timeout, &ci, err)) != 0 ||
	    (st = connect_db(s, opts, &ci, &conn, err)) != 0)
		goto out;
	PQsetNoticeProcessor(conn, quiet, NULL);
	if ((st = fc_source_spool(s, err)) == 0)
		st = run_query(s, opts, conn, err);
out:
	PQfinish(conn);
	fc_dotenv_free(env);
	pgurl_free(&u);
	return st;
}
