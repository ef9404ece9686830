/* io - atomic output files, sha256, small file helpers */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io.h"

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((fc_sha256 *)0)->state),
	       "fc_sha256 too small for nettle's context");

#define MAX_PENDING 16

struct fc_out {
	FILE *fp;
	char *path;
	char tmp[PATH_MAX];
	int is_stdout;
	int direct;             /* a device or a FIFO, written in place */
	int slot;
	int fd;                 /* the temporary file */
	int hashed;             /* fp hashes what it writes to fd */
	off_t written, flushed; /* bytes written; handed to writeback */
	fc_sha256 sha;
	mode_t mode;
	char *buf;
};

/* Temporary files to remove if the process is killed. */
static char pending[MAX_PENDING][PATH_MAX];
static volatile sig_atomic_t pending_used[MAX_PENDING];

static void
on_signal(int sig)
{
	int i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending_used[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
fc_io_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, on_signal);
}

static int
pending_add(const char *path)
{
	int i;

	for (i = 0; i < MAX_PENDING; i++)
		if (!pending_used[i]) {
			snprintf(pending[i], sizeof pending[i], "%s", path);
			pending_used[i] = 1;
			return i;
		}
	return -1;
}

static void
pending_del(int slot)
{
	if (slot >= 0)
		pending_used[slot] = 0;
}

static mode_t
default_mode(void)
{
	mode_t m = umask(0);

	umask(m);
	return 0666 & ~m;
}

/* The write function of a hashed output: every byte that reaches the
 * file passes through the sha256 on its way. */
static ssize_t
hashed_write(void *cookie, const char *buf, size_t n)
{
	fc_out *o = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(o->fd, buf + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return done > 0 ? (ssize_t)done : -1;
		fc_sha256_update(&o->sha, buf + done, (size_t)k);
		done += (size_t)k;
	}
	/* start the disk writes of every 8 MiB as it is done, so that the
	 * fsync of the commit finds little left to wait for */
	o->written += (off_t)n;
	if (!o->direct && o->written - o->flushed >= (off_t)8 << 20) {
		sync_file_range(o->fd, o->flushed, o->written - o->flushed,
				SYNC_FILE_RANGE_WRITE);
		o->flushed = o->written;
	}
	return (ssize_t)n;
}

static int
hashed_close(void *cookie)
{
	(void)cookie;
	return 0;       /* the file is closed by its owner */
}

static int
out_open(fc_out **out, const char *path, int hashed, fc_err *err)
{
	fc_out *o = calloc(1, sizeof *o);
	const char *slash;
	int fd, n;

	if (o == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, path, 0, "out of memory");
	o->slot = -1;
	o->mode = default_mode();
	if (path == NULL || strcmp(path, "-") == 0) {
		o->is_stdout = 1;
		o->fp = stdout;
		*out = o;
		return 0;
	}
	/* a device or a FIFO (/dev/null, a named pipe) is written in place:
	 * renaming a temporary file over it would replace it */
	o->direct = !fc_path_regular(path);
	slash = strrchr(path, '/');
	if (slash)
		n = snprintf(o->tmp, sizeof o->tmp, "%.*s/.%s.XXXXXX",
			     (int)(slash - path), path, slash + 1);
	else
		n = snprintf(o->tmp, sizeof o->tmp, ".%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof o->tmp || (o->path = strdup(path)) == NULL) {
		free(o);
		return fc_err_set(err, FC_EX_CANTCREAT, path, 0,
				  "path too long");
	}
	fd = o->direct ? open(path, O_WRONLY | O_CLOEXEC) : mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno, direct = o->direct;
		free(o->path);
		free(o);
		return fc_err_set(err, FC_EX_CANTCREAT, path, 0,
				  "cannot %s: %s", direct ? "open" : "create",
				  strerror(e));
	}
	if (!o->direct)
		o->slot = pending_add(o->tmp);
	o->fd = fd;
	if (hashed) {
		cookie_io_functions_t io = { NULL, hashed_write, NULL,
					     hashed_close };

		fc_sha256_init(&o->sha);
		o->hashed = 1;
		o->fp = fopencookie(o, "w", io);
	} else {
		o->fp = fdopen(fd, "w");
	}
	if (o->fp == NULL) {
		close(fd);
		o->fd = -1;
		fc_out_abort(o);
		return fc_err_set(err, FC_EX_CANTCREAT, path, 0,
				  "cannot create: %s", strerror(errno));
	}
	if ((o->buf = malloc(1 << 20)) != NULL)
		setvbuf(o->fp, o->buf, _IOFBF, 1 << 20);
	*out = o;
	return 0;
}

int
fc_out_open(fc_out **out, const char *path, fc_err *err)
{
	return out_open(out, path, 0, err);
}

int
fc_out_open_hashed(fc_out **out, const char *path, fc_err *err)
{
	return out_open(out, path, 1, err);
}

FILE *
fc_out_fp(fc_out *o)
{
	return o->fp;
}

void
fc_out_mode(fc_out *o, unsigned mode)
{
	o->mode = (mode_t)mode;
}

static void
out_free(fc_out *o)
{
	pending_del(o->slot);
	free(o->path);
	free(o->buf);
	free(o);
}

int
fc_out_commit(fc_out *o, fc_err *err)
{
	return fc_out_commit_hashed(o, NULL, err);
}

int
fc_out_commit_hashed(fc_out *o, char hex[65], fc_err *err)
{
	int e = 0;

	if (hex)
		hex[0] = '\0';
	if (o->is_stdout) {
		if (fflush(stdout) != 0 || ferror(stdout))
			e = errno ? errno : EIO;
		out_free(o);
		if (e)
			return fc_err_set(err, FC_EX_IOERR, "-", 0,
					  "write error: %s", strerror(e));
		return 0;
	}
	errno = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp) ||
	    (!o->direct && (fsync(o->fd) != 0 || fchmod(o->fd, o->mode) != 0)))
		e = errno ? errno : EIO;
	if (fclose(o->fp) != 0 && e == 0)
		e = errno ? errno : EIO;
	if (o->hashed && close(o->fd) != 0 && e == 0)
		e = errno ? errno : EIO;
	o->fp = NULL;
	o->fd = -1;
	if (e == 0 && o->hashed && hex)
		fc_sha256_hex(&o->sha, hex);
	if (e == 0 && !o->direct && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e) {
		char path[PATH_MAX];

		snprintf(path, sizeof path, "%s", o->path);
		if (!o->direct)
			unlink(o->tmp);
		out_free(o);
		return fc_err_set(err, FC_EX_IOERR, path, 0,
				  "write error: %s", strerror(e));
	}
	out_free(o);
	return 0;
}

void
fc_out_abort(fc_out *o)
{
	if (o == NULL)
		return;
	if (!o->is_stdout) {
		if (o->fp)
			fclose(o->fp);
		if (o->hashed && o->fd >= 0)
			close(o->fd);
		if (!o->direct)
			unlink(o->tmp);
	}
	out_free(o);
}

void
fc_sha256_init(fc_sha256 *h)
{
	sha256_init((struct sha256_ctx *)(void *)h->state);
}

void
fc_sha256_update(fc_sha256 *h, const void *buf, size_t n)
{
	sha256_update((struct sha256_ctx *)(void *)h->state, n, buf);
}

void
fc_sha256_hex(fc_sha256 *h, char hex[65])
{
	unsigned char d[SHA256_DIGEST_SIZE];
	int i;

	sha256_digest((struct sha256_ctx *)(void *)h->state, sizeof d, d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	hex[64] = '\0';
}

void
fc_sha256_buf(const void *buf, size_t n, char hex[65])
{
	fc_sha256 h;

	fc_sha256_init(&h);
	fc_sha256_update(&h, buf, n);
	fc_sha256_hex(&h, hex);
}

int
fc_path_regular(const char *path)
{
	struct stat sb;

	return stat(path, &sb) != 0 || S_ISREG(sb.st_mode);
}

int
fc_sha256_file(const char *path, char hex[65], fc_err *err)
{
	static char buf[1 << 16];
	fc_sha256 h;
	FILE *fp;
	size_t n;
	int bad;

	/* a pipe would be read again from where its reader left it, a FIFO
	 * would wait for a writer: only a regular file has a hash to give */
	if (!fc_path_regular(path))
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "not a regular file");
	if ((fp = fopen(path, "rb")) == NULL)
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open: %s", strerror(errno));
	fc_sha256_init(&h);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		fc_sha256_update(&h, buf, n);
	bad = ferror(fp);
	fclose(fp);
	if (bad)
		return fc_err_set(err, FC_EX_IOERR, path, 0, "read error");
	fc_sha256_hex(&h, hex);
	return 0;
}

int
fc_in_open(FILE **fp, const char *path, fc_err *err)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0) {
		*fp = stdin;
		return 0;
	}
	*fp = fopen(path, "rb");
	if (*fp == NULL)
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open: %s", strerror(errno));
	if (fstat(fileno(*fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(*fp);
		*fp = NULL;
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open: %s", strerror(EISDIR));
	}
	return 0;
}

void
fc_in_close(FILE *fp)
{
	if (fp != NULL && fp != stdin)
		fclose(fp);
}

const char *
fc_in_name(const char *path)
{
	return path == NULL ? "-" : path;
}

char *
fc_utc_now(char *buf)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}
