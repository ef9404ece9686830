/* source - where fc-load reads from: a CSV file or stdin (more to come) */
#ifndef FC_SOURCE_H
#define FC_SOURCE_H

#include <stdio.h>

#include "err.h"

/*
 * A source hands fc-load a stream of CSV bytes. Every kind of source
 * (file, stdin; later databases and HTTP) opens behind this interface and
 * names itself for messages and sidecars without any secret in the name.
 */
typedef struct fc_source fc_source;

/*
 * Open spec: a file path, or "-" for stdin. FC_EX_NOINPUT when the file
 * cannot be read; FC_EX_USAGE for a scheme fc does not know ("ftp:...").
 */
int fc_source_open(fc_source **s, const char *spec, fc_err *err);

/* The CSV byte stream. */
FILE *fc_source_stream(fc_source *s);

/* The name to show in messages and sidecars ("-" for stdin). */
const char *fc_source_name(const fc_source *s);

/* The kind of source: "file" or "stdin". */
const char *fc_source_kind(const fc_source *s);

/* Close and free; NULL is a no-op. */
void fc_source_close(fc_source *s);

#endif
