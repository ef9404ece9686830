/* io - atomic output files, sha256, small file helpers */
#ifndef FC_IO_H
#define FC_IO_H

#include <stdio.h>

#include "err.h"

/*
 * An output that appears whole or not at all: data goes to a temporary
 * file in the target's folder and fc_out_commit fsyncs it and renames it
 * over the target. A path of NULL or "-" means stdout, written directly;
 * so is a device or a FIFO (fc_path_regular).
 * Temporary files are removed on fc_out_abort, and also when the process
 * is killed by SIGINT, SIGTERM, SIGHUP or SIGPIPE (see fc_io_signals).
 */
typedef struct fc_out fc_out;

/*
 * Open an output. Fails with FC_EX_CANTCREAT when the folder is missing
 * or not writable. On success *out is owned by the caller and must end in
 * fc_out_commit or fc_out_abort.
 */
int fc_out_open(fc_out **out, const char *path, fc_err *err);

/*
 * The same, keeping a sha256 of the bytes written as they are written,
 * which fc_out_commit_hashed returns: a large output is not read again
 * to fill its sidecar. The stream must only be written in order (no
 * seeks).
 */
int fc_out_open_hashed(fc_out **out, const char *path, fc_err *err);

/* The stream to write to (buffered, 1 MiB). */
FILE *fc_out_fp(fc_out *o);

/*
 * Whether path is a regular file, or nothing yet. Anything else (a
 * device such as /dev/null, a FIFO) an output is written to in place,
 * with no temporary file, rename or sidecar.
 */
int fc_path_regular(const char *path);

/* Set the mode the file gets on commit (default 0666 & ~umask). */
void fc_out_mode(fc_out *o, unsigned mode);

/*
 * Flush, fsync, rename into place and free o. On a write error (a full
 * disk, a closed pipe) the temporary file is removed, the target is left
 * as it was, and FC_EX_IOERR is returned. For stdout only flushes.
 */
int fc_out_commit(fc_out *o, fc_err *err);

/* fc_out_commit; hex gets the sha256 of the bytes written when o was
 * opened by fc_out_open_hashed on a file, else "". */
int fc_out_commit_hashed(fc_out *o, char hex[65], fc_err *err);

/* Remove the temporary file and free o; NULL is a no-op. */
void fc_out_abort(fc_out *o);

/* Install the handlers that remove pending temporary files when the
 * process is killed; call once at start. */
void fc_io_signals(void);

/* sha256 of a whole regular file as 64 lowercase hex digits into hex[65];
 * anything else (a pipe, a device) is refused with FC_EX_NOINPUT. */
int fc_sha256_file(const char *path, char hex[65], fc_err *err);

/* Incremental sha256. */
typedef struct fc_sha256 {
	unsigned char state[128]; /* holds a struct sha256_ctx */
} fc_sha256;
void fc_sha256_init(fc_sha256 *h);
void fc_sha256_update(fc_sha256 *h, const void *buf, size_t n);
void fc_sha256_hex(fc_sha256 *h, char hex[65]);

/* sha256 of a buffer, as hex. */
void fc_sha256_buf(const void *buf, size_t n, char hex[65]);

/* Open path for reading ("-" or NULL: stdin). FC_EX_NOINPUT on failure. */
int fc_in_open(FILE **fp, const char *path, fc_err *err);

/* Close what fc_in_open opened (stdin is left open). */
void fc_in_close(FILE *fp);

/* The name to use in messages for an input path ("-" or NULL: "-"). */
const char *fc_in_name(const char *path);

/* Current time as "YYYY-MM-DDTHH:MM:SSZ" (buf >= 21 bytes). */
char *fc_utc_now(char *buf);

#endif
