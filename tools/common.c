/* common - what every tool does alike: options, config, errors, stdout */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "io.h"

void
fc_cli_init(fc_cli *cli, const char *prog)
{
	memset(cli, 0, sizeof *cli);
	cli->prog = prog;
}

void
fc_cli_free(fc_cli *cli)
{
	free(cli->overrides);
	cli->overrides = NULL;
	cli->noverrides = 0;
}

int
fc_cli_common(fc_cli *cli, int opt, const char *arg)
{
	char **o;

	switch (opt) {
	case 'c':
		cli->config = arg;
		return 1;
	case 'o':
		cli->output = arg;
		return 1;
	case 's':
		o = realloc(cli->overrides,
			    (cli->noverrides + 1) * sizeof *cli->overrides);
		if (o == NULL) {
			perror(cli->prog);
			exit(FC_EX_SOFTWARE);
		}
		cli->overrides = o;
		cli->overrides[cli->noverrides++] = (char *)arg;
		return 1;
	default:
		return 0;
	}
}

int
fc_cli_parse(fc_cli *cli, int argc, char **argv, void (*usage)(int))
{
	static const struct option opts[] = {
		FC_CLI_LONGOPTS
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:s:o:hV", opts, NULL)) != -1) {
		if (fc_cli_common(cli, c, optarg))
			continue;
		if (c == 'h')
			usage(0);
		if (c == 'V')
			exit(fc_cli_finish(cli, fc_cli_version(cli)));
		usage(FC_EX_USAGE);
	}
	fc_cli_operands(cli, argc - optind, 1, usage);
	return optind;
}

int
fc_cli_config(fc_cli *cli, fc_config **cfg)
{
	fc_err e;

	fc_err_clear(&e);
	if (fc_config_load(cfg, cli->config, cli->overrides, cli->noverrides,
			   &e) != 0)
		return fc_cli_error(cli, &e);
	return 0;
}

int
fc_cli_error(const fc_cli *cli, const fc_err *e)
{
	char buf[2048];

	fputs(fc_err_format(e, cli->prog, buf, sizeof buf), stderr);
	fputc('\n', stderr);
	return e->status ? e->status : FC_EX_SOFTWARE;
}

int
fc_cli_fail(const fc_cli *cli, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int
fc_cli_usage_error(const fc_cli *cli)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", cli->prog);
	return FC_EX_USAGE;
}

int
fc_cli_version(const fc_cli *cli)
{
	printf("%s (fc) %s\n", cli->prog, FC_VERSION);
	return 0;
}

int
fc_cli_finish(fc_cli *cli, int status)
{
	int ferr = ferror(stdout);
	int cerr = fclose(stdout) != 0;

	fc_cli_free(cli);

	if (ferr || cerr) {
		if (status == 0)
			fprintf(stderr, "%s: write error: %s\n", cli->prog,
				strerror(cerr && errno ? errno : EIO));
		return status ? status : FC_EX_IOERR;
	}
	return status;
}

int
fc_cli_main(int argc, char **argv, const char *prog, void (*usage)(int),
	    int (*run)(fc_cli *cli, fc_config *cfg, const char *input))
{
	fc_config *cfg = NULL;
	fc_cli cli;
	int arg, st;

	fc_cli_init(&cli, prog);
	fc_io_signals();
	arg = fc_cli_parse(&cli, argc, argv, usage);
	if ((st = fc_cli_config(&cli, &cfg)) != 0)
		return fc_cli_finish(&cli, st);
	st = run(&cli, cfg, arg < argc ? argv[arg] : NULL);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}

double
fc_cli_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
fc_cli_operands(const fc_cli *cli, int n, int max, void (*usage)(int))
{
	if (n > max) {
		fc_cli_fail(cli, FC_EX_USAGE, "too many arguments");
		usage(FC_EX_USAGE);
	}
}
