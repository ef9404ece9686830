/* csvio - streaming RFC 4180 reading on libcsv, and quoting writer */
#ifndef FC_CSVIO_H
#define FC_CSVIO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/*
 * A row as the reader hands it out: n fields, each NUL-terminated with its
 * length (a field may hold NUL bytes only if the input does), and the line
 * of the input on which the row starts. The row and its fields belong to
 * the reader and stay valid until the next fc_csv_next call.
 */
typedef struct fc_csv_row {
	size_t n;
	char **f;
	size_t *len;
	long line;
} fc_csv_row;

typedef struct fc_csv_reader fc_csv_reader;

/*
 * Hook that sees every byte the reader consumes, in order (fc-load uses it
 * to copy and hash the source exactly as read). May be NULL.
 */
typedef int (*fc_csv_tap)(void *ctx, const void *buf, size_t n);

/*
 * Start reading fp (not closed by the reader); name is used in error
 * records. delim is the field separator. Strict RFC 4180: a quote inside
 * an unquoted field, text after a closing quote and an unterminated quote
 * are errors; a UTF-8 byte order mark at the start and CRLF line ends are
 * accepted; blank lines are skipped; spaces around unquoted fields are
 * kept out of the field. Every row must have as many fields as the first
 * (the header). Returns NULL only when out of memory.
 */
fc_csv_reader *fc_csv_open(FILE *fp, const char *name, char delim);

/* Set a tap (see fc_csv_tap) before the first fc_csv_next. */
void fc_csv_set_tap(fc_csv_reader *r, fc_csv_tap tap, void *ctx);

/*
 * Read the next row. Returns 1 and sets *row, 0 at the end of the input,
 * or the error status (65 malformed or ragged row, 74 read error) with err
 * filled: "row has 3 fields, the header has 4", "unterminated quoted
 * field", "malformed quoted field".
 */
int fc_csv_next(fc_csv_reader *r, fc_csv_row **row, fc_err *err);

/* Bytes consumed so far (after the BOM). */
unsigned long long fc_csv_bytes(const fc_csv_reader *r);

/*
 * Read a whole layer: the header row to on_header, then every data row to
 * on_row, in order; rows are counted into *rows. An empty file ("empty
 * file: expected a header line") and a header without rows ("no data rows
 * after the header") are errors (65). A callback that returns non-zero
 * stops the reading, and its value is returned (FC_CSV_STOP stops without
 * an error and returns 0); callbacks fill err themselves.
 */
#define FC_CSV_STOP (-1)
int fc_csv_each(FILE *fp, const char *name, char delim,
		int (*on_header)(void *ctx, const fc_csv_row *row),
		int (*on_row)(void *ctx, const fc_csv_row *row), void *ctx,
		unsigned long long *rows, fc_err *err);

/* Index of the field of row that equals name exactly, or -1. */
long fc_csv_find(const fc_csv_row *row, const char *name);

/* Free the reader; NULL is a no-op. */
void fc_csv_close(fc_csv_reader *r);

/*
 * Writing: fields are quoted only when they hold the delimiter, a quote,
 * CR or LF, or start or end with a space. Writers go straight to a stdio
 * stream; errors surface through ferror() at flush or close.
 */
void fc_csv_put(FILE *fp, const char *s, size_t len, char delim);

/* Write a finite double in the shortest form that reads back to the same
 * double ("0.1", "12", "0.30000000000000004"); NaN is written as the
 * empty field. */
void fc_csv_put_num(FILE *fp, double x);

/* Format x as fc_csv_put_num does into buf (at least 32 bytes); returns
 * the length. */
size_t fc_num_format(double x, char *buf);

#endif
