/* fc-config - check config.yaml, print a block canonically, list the keys */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-config --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-config [-c FILE] [-s KEY=VALUE]... COMMAND [ARG]\n"
	       "Check the config, print it canonically, list its keys.\n"
	       "\n"
	       "Commands:\n"
	       "  check        load and validate the config; silent when good\n"
	       "  show [BLOCK] print a block (or the whole config) with every\n"
	       "               default filled in, in canonical form\n"
	       "  get KEY      print the value of one key\n"
	       "  keys         print every key: key, type, default, range, doc\n"
	       "\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "See fc-config(1) and, for the keys, fc-config(5).\n");
	exit(0);
}

/* Print the schema table, one tab-separated row per key. */
static int
cmd_keys(fc_cli *cli)
{
	const fc_ckey *k;
	fc_config *d;
	fc_err e;
	size_t n, i;

	fc_err_clear(&e);
	if (fc_config_load(&d, "", NULL, 0, &e) != 0)
		return fc_cli_error(cli, &e);
	k = fc_config_keys(&n);
	for (i = 0; i < n; i++) {
		char *def = fc_config_text(d, k[i].key, &e);

		if (def == NULL) {
			fc_config_free(d);
			return fc_cli_error(cli, &e);
		}
		printf("%s\t%s\t%s\t%s\t%s\n", k[i].key,
		       fc_config_type_name(k[i].type), def,
		       k[i].range ? k[i].range : "", k[i].doc);
		free(def);
	}
	fc_config_free(d);
	return 0;
}

/* show [BLOCK] and get KEY: print canonical text. */
static int
cmd_print(fc_cli *cli, const char *cmd, const char *arg)
{
	const fc_ckey *k = NULL;
	fc_config *cfg;
	char *s;
	fc_err e;
	int st;

	if ((st = fc_cli_config(cli, &cfg)) != 0)
		return st;
	fc_err_clear(&e);
	if (strcmp(cmd, "show") == 0) {
		s = fc_config_show(cfg, arg, &e);
	} else if ((k = fc_config_key(arg)) != NULL &&
		   (k->type == FC_CT_STRING || k->type == FC_CT_ENUM)) {
		/* strings as they are, for $(fc-config get ...) */
		s = strdup(fc_config_str(cfg, arg));
	} else {
		s = fc_config_text(cfg, arg, &e);
	}
	fc_config_free(cfg);
	if (s == NULL)
		return fc_cli_error(cli, &e);
	fputs(s, stdout);
	if (strcmp(cmd, "get") == 0)
		putchar('\n');
	free(s);
	return 0;
}

/* Say what is wrong with an option getopt refused, and exit 64. */
static void
bad_option(fc_cli *cli, const char *arg)
{
	if (optopt && strchr("cs", optopt) && strncmp(arg, "--", 2) == 0)
		fc_cli_fail(cli, FC_EX_USAGE,
			    "option '%s' requires an argument", arg);
	else if (optopt && strchr("cs", optopt))
		fc_cli_fail(cli, FC_EX_USAGE,
			    "option requires an argument -- '%c'", optopt);
	else if (optopt)
		fc_cli_fail(cli, FC_EX_USAGE, "invalid option -- '%c'", optopt);
	else
		fc_cli_fail(cli, FC_EX_USAGE, "unrecognized option '%s'", arg);
	usage(FC_EX_USAGE);
}

/* Check that a command got between min and max arguments. */
static void
want_args(fc_cli *cli, const char *cmd, int n, int min, int max)
{
	if (n < min) {
		fc_cli_fail(cli, FC_EX_USAGE, "%s: missing argument", cmd);
		usage(FC_EX_USAGE);
	}
	if (n > max) {
		fc_cli_fail(cli, FC_EX_USAGE, "%s: too many arguments", cmd);
		usage(FC_EX_USAGE);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	fc_config *cfg;
	const char *cmd;
	fc_cli cli;
	int c, n, st;

	fc_cli_init(&cli, "fc-config");
	opterr = 0;
	while ((c = getopt_long(argc, argv, "c:s:hV", opts, NULL)) != -1) {
		if (fc_cli_common(&cli, c, optarg))
			continue;
		if (c == 'h')
			usage(0);
		if (c == 'V')
			return fc_cli_finish(&cli, fc_cli_version(&cli));
		bad_option(&cli, argv[optind - 1]);
	}
	if (optind == argc) {
		fc_cli_fail(&cli, FC_EX_USAGE, "missing command");
		usage(FC_EX_USAGE);
	}
	cmd = argv[optind];
	n = argc - optind - 1;
	if (strcmp(cmd, "check") == 0) {
		want_args(&cli, cmd, n, 0, 0);
		if ((st = fc_cli_config(&cli, &cfg)) == 0)
			fc_config_free(cfg);
	} else if (strcmp(cmd, "show") == 0) {
		want_args(&cli, cmd, n, 0, 1);
		st = cmd_print(&cli, cmd, n ? argv[optind + 1] : NULL);
	} else if (strcmp(cmd, "get") == 0) {
		want_args(&cli, cmd, n, 1, 1);
		st = cmd_print(&cli, cmd, argv[optind + 1]);
	} else if (strcmp(cmd, "keys") == 0) {
		want_args(&cli, cmd, n, 0, 0);
		st = cmd_keys(&cli);
	} else {
		fc_cli_fail(&cli, FC_EX_USAGE, "unknown command '%s'", cmd);
		usage(FC_EX_USAGE);
		st = FC_EX_USAGE;
	}
	return fc_cli_finish(&cli, st);
}
