/* fc-predict - forecasts and prediction intervals from a model file */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"
#include "forecast.h"
#include "io.h"
#include "meta.h"

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr,
			"Try 'fc-predict --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-predict [-c FILE] [-s KEY=VALUE]... -m MODEL [-o FILE] "
	       "[FUTURE]\n"
	       "Forecast every series of a model file written by fc-train, with\n"
	       "prediction intervals at predict.levels.\n"
	       "\n"
	       "  -m, --model FILE      model file (required)\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     forecast CSV (default stdout)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "Without FUTURE, predict.horizon steps follow each series' last\n"
	       "time. FUTURE is a CSV of the future rows (id and time, target\n"
	       "empty or absent) whose times are forecast instead; - is stdin.\n"
	       "See fc-predict(1).\n");
	exit(0);
}

static int
write_meta(fc_config *cfg, const char *model, const char *future,
	   const char *output, const fc_predict_stats *s, double secs,
	   fc_err *err)
{
	static const char *const blocks[] = { "schema", "predict" };
	size_t nb = fc_config_key("predict.horizon") ? 2 : 1;
	cJSON *m = fc_meta_new("fc-predict", cfg, blocks, nb), *io;
	char hex[65];
	int st;

	io = cJSON_AddObjectToObject(m, "input");
	cJSON_AddStringToObject(io, "path", model);
	if (fc_sha256_file(model, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	if (future) {
		io = cJSON_AddObjectToObject(m, "future");
		cJSON_AddStringToObject(io, "path", future);
		if (future[0] != '-' && fc_sha256_file(future, hex, NULL) == 0)
			cJSON_AddStringToObject(io, "sha256", hex);
		cJSON_AddNumberToObject(io, "rows", (double)s->future_rows);
	}
	io = cJSON_AddObjectToObject(m, "output");
	cJSON_AddStringToObject(io, "path", output);
	if (fc_sha256_file(output, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	cJSON_AddNumberToObject(io, "rows", (double)s->rows_out);
	cJSON_AddNumberToObject(io, "series", (double)s->series);
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

static int
run(fc_cli *cli, fc_config *cfg, const char *model, const char *future)
{
	double t0 = fc_cli_seconds(), levels[FC_LEVELS_MAX];
	fc_predict_opts po = { model, NULL, NULL, 0, levels, 0 };
	fc_predict_stats stats;
	cJSON *doc = NULL;
	fc_out *o = NULL;
	fc_err err;
	int st;

	fc_err_clear(&err);
	po.horizon = fc_horizon_of(cfg);
	if ((st = fc_levels_of(cfg, levels, &po.nlevels, &err)) != 0)
		goto out;
	if ((doc = fc_json_read(model)) == NULL) {
		FILE *fp = fopen(model, "r");

		if (fp == NULL)
			st = fc_err_set(&err, FC_EX_NOINPUT, model, 0,
					"cannot open the model file");
		else
			st = fc_err_set(&err, FC_EX_DATAERR, model, 0,
					"not a JSON file");
		if (fp)
			fclose(fp);
		goto out;
	}
	if ((st = fc_model_file_check(doc, model, cfg, "fc-predict",
				      &err)) != 0)
		goto out;
	if (future && (st = fc_in_open(&po.future, future, &err)) != 0)
		goto out;
	po.future_name = fc_in_name(future);
	if ((st = fc_out_open(&o, cli->output, &err)) != 0 ||
	    (st = fc_predict(doc, cfg, &po, fc_out_fp(o), &stats, &err)) != 0)
		goto out;
	st = fc_out_commit(o, &err);
	o = NULL;
	if (st == 0 && cli->output)
		st = write_meta(cfg, model, future ? po.future_name : NULL,
				cli->output, &stats, fc_cli_seconds() - t0, &err);
out:
	fc_out_abort(o);
	if (po.future)
		fc_in_close(po.future);
	cJSON_Delete(doc);
	if (st != 0)
		fc_cli_error(cli, &err);
	return st;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "model", required_argument, NULL, 'm' },
		FC_CLI_LONGOPTS
	};
	const char *model = NULL;
	fc_config *cfg = NULL;
	fc_cli cli;
	int c, st;

	fc_cli_init(&cli, "fc-predict");
	fc_io_signals();
	while ((c = getopt_long(argc, argv, "m:c:s:o:hV", opts, NULL)) != -1) {
		if (fc_cli_common(&cli, c, optarg))
			continue;
		if (c == 'm')
			model = optarg;
		else if (c == 'h')
			usage(0);
		else if (c == 'V')
			return fc_cli_finish(&cli, fc_cli_version(&cli));
		else
			usage(FC_EX_USAGE);
	}
	fc_cli_operands(&cli, argc - optind, 1, usage);
	if (model == NULL) {
		fc_cli_fail(&cli, FC_EX_USAGE, "missing model file (-m MODEL)");
		usage(FC_EX_USAGE);
	}
	if ((st = fc_cli_config(&cli, &cfg)) != 0)
		return fc_cli_finish(&cli, st);
	st = run(&cli, cfg, model, optind < argc ? argv[optind] : NULL);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}
