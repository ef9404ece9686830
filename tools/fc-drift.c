/* fc-drift - data drift and forecast accuracy of current data against a reference */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "common.h"
#include "forecast.h"
#include "io.h"
#include "meta.h"
#include "monitor.h"

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-drift --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-drift [-c FILE] [-s KEY=VALUE]... -r REFERENCE "
	       "[-f FORECAST] [-m MODEL] [-F LEVEL] [-o FILE] [CURRENT]\n"
	       "       fc-drift --split [-c FILE] [-s KEY=VALUE]... -r REFERENCE "
	       "[-o FILE] [INPUT]\n"
	       "Test every column of CURRENT for drift from REFERENCE, and with\n"
	       "a forecast its accuracy on the actuals of CURRENT; write the\n"
	       "report (JSON) with a status ok, warn or alert.\n"
	       "\n"
	       "  -r, --reference FILE  reference table (required); with --split\n"
	       "                        the reference part written\n"
	       "  -f, --forecast FILE   forecast CSV of fc-predict to score\n"
	       "  -m, --model FILE      model file of fc-train: compare with its\n"
	       "                        cross-validation scores\n"
	       "  -F, --fail-on LEVEL   exit 1 when the status reaches LEVEL:\n"
	       "                        none, warn or alert (monitor.fail_on)\n"
	       "  -S, --split           split INPUT per series into the last\n"
	       "                        monitor.current_periods rows (-o) and\n"
	       "                        the rows before them (-r)\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     report (default stdout); with --split\n"
	       "                        the current part\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "CURRENT and INPUT are CSV files, or - for stdin (the default).\n"
	       "See fc-drift(1).\n");
	exit(0);
}

typedef struct args {
	const char *reference, *forecast, *model, *fail_on, *input;
	int split;
} args;

static void
add_file(cJSON *m, const char *key, const char *path)
{
	cJSON *io = cJSON_AddObjectToObject(m, key);
	char hex[65];

	cJSON_AddStringToObject(io, "path", path);
	if (strcmp(path, "-") != 0 && fc_sha256_file(path, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
}

static int
write_meta(fc_config *cfg, const args *a, const char *output, double secs,
	   fc_err *err)
{
	static const char *const blocks[] = { "schema", "monitor" };
	cJSON *m = fc_meta_new("fc-drift", cfg, blocks, 2);
	int st;

	add_file(m, a->split ? "input" : "current", fc_in_name(a->input));
	add_file(m, "reference", a->reference);
	if (a->forecast)
		add_file(m, "forecast", a->forecast);
	if (a->model)
		add_file(m, "model", a->model);
	add_file(m, "output", output);
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

static int
read_model(const char *path, const fc_config *cfg, cJSON **doc, fc_err *err)
{
	FILE *fp;

	if ((*doc = fc_json_read(path)) != NULL)
		return fc_model_file_check(*doc, path, cfg, "fc-drift", err);
	if ((fp = fopen(path, "r")) == NULL)
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open the model file");
	fclose(fp);
	return fc_err_set(err, FC_EX_DATAERR, path, 0, "not a JSON file");
}

/* --split: the reference part to -r, the current part to -o. */
static int
run_split(fc_cli *cli, fc_config *cfg, const args *a)
{
	long cur = fc_config_int(cfg, "monitor.current_periods"),
	     ref = fc_config_int(cfg, "monitor.reference_periods");
	double t0 = fc_cli_seconds();
	fc_out *or = NULL, *oc = NULL;
	fc_split_stats ss;
	FILE *in = NULL;
	fc_err err;
	int st;

	fc_err_clear(&err);
	if (cur == 0)
		cur = fc_config_int(cfg, "predict.horizon");
	if ((st = fc_in_open(&in, a->input, &err)) != 0 ||
	    (st = fc_out_open(&or, a->reference, &err)) != 0 ||
	    (st = fc_out_open(&oc, cli->output, &err)) != 0 ||
	    (st = fc_monitor_split(cfg, in, fc_in_name(a->input), cur, ref,
				   fc_out_fp(or), fc_out_fp(oc), &ss,
				   &err)) != 0)
		goto out;
	st = fc_out_commit(or, &err);
	or = NULL;
	if (st == 0) {
		st = fc_out_commit(oc, &err);
		oc = NULL;
	}
	if (st == 0 && cli->output)
		st = write_meta(cfg, a, cli->output, fc_cli_seconds() - t0, &err);
out:
	fc_out_abort(or);
	fc_out_abort(oc);
	if (in)
		fc_in_close(in);
	if (st != 0)
		fc_cli_error(cli, &err);
	return st;
}

static int
run(fc_cli *cli, fc_config *cfg, const args *a)
{
	fc_monitor_in in = { NULL, NULL, a->reference, fc_in_name(a->input),
			     NULL, a->forecast, NULL, a->model };
	const char *fail = a->fail_on ? a->fail_on :
			   fc_config_str(cfg, "monitor.fail_on");
	double t0 = fc_cli_seconds();
	cJSON *rep = NULL, *model = NULL;
	int st, level = 0, fl = fc_monitor_level_parse(fail);
	char *text = NULL;
	fc_out *o = NULL;
	fc_err err;

	fc_err_clear(&err);
	if (a->model && (st = read_model(a->model, cfg, &model, &err)) != 0)
		goto out;
	in.model = model;
	if ((st = fc_in_open(&in.ref, a->reference, &err)) != 0 ||
	    (st = fc_in_open(&in.cur, a->input, &err)) != 0 ||
	    (a->forecast &&
	     (st = fc_in_open(&in.forecast, a->forecast, &err)) != 0) ||
	    (st = fc_monitor(cfg, &in, &rep, &level, &err)) != 0)
		goto out;
	cJSON_AddStringToObject(rep, "fail_on", fail);
	cJSON_AddBoolToObject(rep, "failed", fl >= 0 && level >= fl);
	if (model) {
		cJSON *m = cJSON_CreateObject();

		cJSON_AddStringToObject(m, "path", a->model);
		cJSON_AddItemToObject(rep, "model", m);
	}
	if ((text = cJSON_Print(rep)) == NULL) {
		st = fc_err_set(&err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	if ((st = fc_out_open(&o, cli->output, &err)) != 0)
		goto out;
	fputs(text, fc_out_fp(o));
	fputc('\n', fc_out_fp(o));
	st = fc_out_commit(o, &err);
	o = NULL;
	if (st == 0 && cli->output)
		st = write_meta(cfg, a, cli->output, fc_cli_seconds() - t0, &err);
	if (st == 0 && fl >= 0 && level >= fl)
		st = 1;
out:
	fc_out_abort(o);
	cJSON_free(text);
	cJSON_Delete(rep);
	cJSON_Delete(model);
	if (in.ref)
		fc_in_close(in.ref);
	if (in.cur)
		fc_in_close(in.cur);
	if (in.forecast)
		fc_in_close(in.forecast);
	if (st > 1)
		fc_cli_error(cli, &err);
	return st;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reference", required_argument, NULL, 'r' },
		{ "forecast", required_argument, NULL, 'f' },
		{ "model", required_argument, NULL, 'm' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "split", no_argument, NULL, 'S' },
		FC_CLI_LONGOPTS
	};
	args a = { NULL, NULL, NULL, NULL, NULL, 0 };
	fc_config *cfg = NULL;
	fc_cli cli;
	int c, st;

	fc_cli_init(&cli, "fc-drift");
	fc_io_signals();
	gsl_set_error_handler_off();
	while ((c = getopt_long(argc, argv, "r:f:m:F:Sc:s:o:hV", opts,
				NULL)) != -1) {
		if (fc_cli_common(&cli, c, optarg))
			continue;
		if (c == 'r')
			a.reference = optarg;
		else if (c == 'f')
			a.forecast = optarg;
		else if (c == 'm')
			a.model = optarg;
		else if (c == 'F')
			a.fail_on = optarg;
		else if (c == 'S')
			a.split = 1;
		else if (c == 'h')
			usage(0);
		else if (c == 'V')
			return fc_cli_finish(&cli, fc_cli_version(&cli));
		else
			usage(FC_EX_USAGE);
	}
	fc_cli_operands(&cli, argc - optind, 1, usage);
	if (a.reference == NULL) {
		fc_cli_fail(&cli, FC_EX_USAGE,
			    "missing reference file (-r REFERENCE)");
		usage(FC_EX_USAGE);
	}
	if (a.fail_on && (fc_monitor_level_parse(a.fail_on) < -1 ||
			  fc_monitor_level_parse(a.fail_on) == 0)) {
		fc_cli_fail(&cli, FC_EX_USAGE, "invalid --fail-on '%s': "
			    "expected none, warn or alert", a.fail_on);
		usage(FC_EX_USAGE);
	}
	if (a.split && (a.forecast || a.model || a.fail_on)) {
		fc_cli_fail(&cli, FC_EX_USAGE, "--split takes no -f, -m or -F");
		usage(FC_EX_USAGE);
	}
	a.input = optind < argc ? argv[optind] : NULL;
	if ((st = fc_cli_config(&cli, &cfg)) != 0)
		return fc_cli_finish(&cli, st);
	st = a.split ? run_split(&cli, cfg, &a) : run(&cli, cfg, &a);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}
