/* err - exit statuses and the error record that lib functions fill */
#ifndef FC_ERR_H
#define FC_ERR_H

/*
 * Exit statuses, from sysexits(3). Every tool exits with one of these and
 * every man page lists them under EXIT STATUS.
 */
enum fc_status {
	FC_OK = 0,
	FC_EX_USAGE = 64,     /* bad command line */
	FC_EX_DATAERR = 65,   /* bad input data */
	FC_EX_NOINPUT = 66,   /* input missing or unreadable */
	FC_EX_SOFTWARE = 70,  /* internal error */
	FC_EX_CANTCREAT = 73, /* cannot create the output */
	FC_EX_IOERR = 74,     /* read or write failed */
	FC_EX_TEMPFAIL = 75,  /* source unreachable: worth a retry */
	FC_EX_NOPERM = 77,    /* credentials refused */
	FC_EX_CONFIG = 78     /* bad configuration */
};

/*
 * The error record. lib/ never prints and never exits: a failing function
 * fills one of these and returns its status. `file` and `line` locate the
 * problem in the input (line 0: no line); `msg` is lowercase, without a
 * final period, with bad values quoted.
 */
typedef struct fc_err {
	int status;
	char file[512];
	long line;
	char msg[1024];
} fc_err;

/* Fill `e` (if not NULL) and return `status`. `file` may be NULL. */
int fc_err_set(fc_err *e, int status, const char *file, long line,
	       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Reset `e` to "no error". */
void fc_err_clear(fc_err *e);

/*
 * Format `e` as one line "PROG: FILE:LINE: msg" into buf (no newline);
 * FILE and LINE are left out when unknown. Returns buf.
 */
char *fc_err_format(const fc_err *e, const char *prog, char *buf, size_t n);

#endif
