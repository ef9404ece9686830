/* common - what every tool does alike: options, config, errors, stdout */
#ifndef FC_TOOLS_COMMON_H
#define FC_TOOLS_COMMON_H

#include <stddef.h>

#include "config.h"
#include "err.h"

/* The options every tool shares: -c FILE, -s KEY=VALUE, -o FILE. */
typedef struct fc_cli {
	const char *prog;
	const char *config;     /* -c, NULL: ./config.yaml when present */
	char **overrides;       /* -s, in order */
	size_t noverrides;
	const char *output;     /* -o, NULL: stdout */
} fc_cli;

/* The long options every tool shares, and the end of a getopt_long
 * table: a tool's own options come first. */
#define FC_CLI_LONGOPTS                                          \
	{ "config", required_argument, NULL, 'c' },              \
	{ "set", required_argument, NULL, 's' },                 \
	{ "output", required_argument, NULL, 'o' },              \
	{ "help", no_argument, NULL, 'h' },                      \
	{ "version", no_argument, NULL, 'V' },                   \
	{ NULL, 0, NULL, 0 }

/* Start a cli record for program `prog` ("fc-clean"). */
void fc_cli_init(fc_cli *cli, const char *prog);

/* Release what fc_cli_common took. */
void fc_cli_free(fc_cli *cli);

/*
 * Handle one of the shared options (opt 'c', 's' or 'o' with its
 * argument). Returns 1 when handled, 0 when opt is not a shared option.
 */
int fc_cli_common(fc_cli *cli, int opt, const char *arg);

/*
 * Parse a command line of the shared options only (-c -s -o -h -V) and at
 * most one operand. --help calls usage(0); a bad option or a second
 * operand calls usage(64) after saying why; --version prints and exits.
 * Returns the index of the operand (argc when there is none).
 */
int fc_cli_parse(fc_cli *cli, int argc, char **argv, void (*usage)(int));

/* After the options: n operands, at most max; more is "too many
 * arguments" and usage(64). */
void fc_cli_operands(const fc_cli *cli, int n, int max, void (*usage)(int));

/* Load the config the options name; prints the error and returns its
 * status on failure, 0 on success. */
int fc_cli_config(fc_cli *cli, fc_config **cfg);

/* Print "PROG: FILE:LINE: msg" for e on stderr; returns e->status. */
int fc_cli_error(const fc_cli *cli, const fc_err *e);

/* Print "PROG: msg" on stderr and return status. */
int fc_cli_fail(const fc_cli *cli, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "Try 'PROG --help' for more information." on stderr; returns 64. */
int fc_cli_usage_error(const fc_cli *cli);

/* Print "PROG (fc) VERSION" on stdout; returns 0. */
int fc_cli_version(const fc_cli *cli);

/*
 * Flush and close stdout; a full disk or a closed pipe is an error
 * (74) even when everything else went well. Returns status unchanged when
 * stdout closes cleanly, else 74 after printing why. Frees what cli
 * holds: call it last, on every path out of main after option parsing.
 */
int fc_cli_finish(fc_cli *cli, int status);

/* Seconds on the monotonic clock, for the time a sidecar records. */
double fc_cli_seconds(void);

/*
 * The whole main() of a tool of one optional INPUT operand and the shared
 * options: parse, load the config, run(cli, cfg, input or NULL), finish.
 */
int fc_cli_main(int argc, char **argv, const char *prog, void (*usage)(int),
		int (*run)(fc_cli *cli, fc_config *cfg, const char *input));

#endif
