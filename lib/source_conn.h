/* source_conn - what lib/source.c and its connectors share (lib only) */
#ifndef FC_SOURCE_CONN_H
#define FC_SOURCE_CONN_H

#include <stddef.h>
#include <stdio.h>

#include "source.h"

/*
 * An open source. A connector fills kind, and query for databases, and
 * leaves fp at the start of its spooled CSV (from fc_source_spool); the
 * name is set before the connector runs. All strings are malloc'd and
 * owned by the source.
 */
struct fc_source {
	FILE *fp;
	int own_fp;             /* fp is closed by fc_source_close */
	char *name;
	const char *kind;
	char *query;
};

/*
 * The connectors. spec is the whole spec ("sqlite:a.db?table=t"), opts
 * never NULL, s->name set. Each returns 0 or a status with err filled
 * and s->name as the file of the error.
 */
int fc_source_sqlite(fc_source *s, const char *spec,
		     const fc_source_opts *opts, fc_err *err);
int fc_source_pg(fc_source *s, const char *spec, const fc_source_opts *opts,
		 fc_err *err);
int fc_source_http(fc_source *s, const char *spec, const fc_source_opts *opts,
		   fc_err *err);

/*
 * s->query from the query= or table= parameter of a database spec (the
 * other NULL): the query as given, or SELECT * FROM "NAME" for a table,
 * a dotted name quoted part by part ("public"."sales"). FC_EX_USAGE when
 * both or neither are given, or one is empty.
 */
int fc_source_sql(fc_source *s, const char *query, const char *table,
		  fc_err *err);

/* A new temporary file for a source's CSV into s->fp (removed when
 * closed). 0 or FC_EX_IOERR. */
int fc_source_spool(fc_source *s, fc_err *err);

/* Empty the spool for another attempt. 0 or FC_EX_IOERR. */
int fc_source_respool(fc_source *s, fc_err *err);

/* Flush the spool, check it was written whole and rewind it for
 * reading. 0 or FC_EX_IOERR ("cannot write the temporary file: ..."). */
int fc_source_rewind(fc_source *s, fc_err *err);

/*
 * Write one field of a database row to the spool: quoted as RFC 4180
 * says (fc_csv_put with opts->delim), and as "" when it is empty and the
 * only column, so that the row is no blank line a reader skips.
 */
void fc_source_put(fc_source *s, const fc_source_opts *opts, const char *v,
		   size_t len, size_t ncols);

/*
 * Wait before attempt `attempt` + 1 (attempt counts from 1): 1, 2, 4 ...
 * seconds (at most 60), or retry_after seconds (at most 60) when the
 * server asked for a wait (> 0). Tells opts->notice first, "WHY: retry
 * ATTEMPT of RETRIES in N s".
 */
void fc_source_wait(const fc_source *s, const fc_source_opts *opts,
		    int attempt, long retry_after, const char *why);

/*
 * Refuse credentials written into a spec: FC_EX_USAGE with "credentials
 * in the URL are refused: set WHERE in the environment or .env" (WHERE:
 * the variables to use instead).
 */
int fc_source_no_password(const fc_source *s, const char *where, fc_err *err);

#endif
