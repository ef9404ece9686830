/* fc-sim - what-if scenarios, sensitivity and sample paths of a model */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"
#include "forecast.h"
#include "io.h"
#include "meta.h"
#include "sim.h"

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-sim --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-sim [-c FILE] [-s KEY=VALUE]... -m MODEL [-o FILE] "
	       "[--summary FILE] [FUTURE]\n"
	       "Forecast every series of a model file under the scenarios of\n"
	       "simulate.scenarios beside the baseline; sensitivity and sample\n"
	       "paths go to the summary.\n"
	       "\n"
	       "  -m, --model FILE      model file (required)\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     scenario CSV (default stdout)\n"
	       "      --summary FILE    summary JSON (sensitivity, paths, "
	       "warnings)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "FUTURE is a CSV of the future rows with their drivers (such as\n"
	       "the processed layer); - is stdin. See fc-sim(1).\n");
	exit(0);
}

static int
write_meta(fc_config *cfg, const char *model, const char *output,
	   const fc_predict_stats *s, double secs, fc_err *err)
{
	static const char *const blocks[] = { "schema", "predict", "simulate" };
	cJSON *m = fc_meta_new("fc-sim", cfg, blocks, 3), *io;
	char hex[65];
	int st;

	io = cJSON_AddObjectToObject(m, "input");
	cJSON_AddStringToObject(io, "path", model);
	if (fc_sha256_file(model, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	io = cJSON_AddObjectToObject(m, "output");
	cJSON_AddStringToObject(io, "path", output);
	if (fc_sha256_file(output, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	cJSON_AddNumberToObject(io, "series", (double)s->series);
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

static int
read_model(const char *model, cJSON **doc, fc_err *err)
{
	FILE *fp;

	if ((*doc = fc_json_read(model)) != NULL)
		return 0;
	if ((fp = fopen(model, "r")) == NULL)
		return fc_err_set(err, FC_EX_NOINPUT, model, 0,
				  "cannot open the model file");
	fclose(fp);
	return fc_err_set(err, FC_EX_DATAERR, model, 0, "not a JSON file");
}

static void
print_warnings(const fc_cli *cli, const cJSON *sum)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(sum, "warnings");
	const cJSON *w;

	for (w = a ? a->child : NULL; w != NULL; w = w->next)
		if (cJSON_IsString(w))
			fprintf(stderr, "%s: warning: %s\n", cli->prog,
				w->valuestring);
}

static int
run(fc_cli *cli, fc_config *cfg, const char *model, const char *future,
    const char *summary)
{
	double t0 = fc_cli_seconds(), levels[FC_LEVELS_MAX];
	fc_predict_opts po = { model, NULL, NULL, 0, levels, 0 };
	fc_predict_stats stats;
	cJSON *doc = NULL, *sum = NULL;
	fc_sim *sim = NULL;
	fc_out *o = NULL;
	fc_err err;
	int st;

	fc_err_clear(&err);
	po.horizon = fc_horizon_of(cfg);
	if ((st = fc_levels_of(cfg, levels, &po.nlevels, &err)) != 0 ||
	    (st = fc_sim_new(cfg, &sim, &err)) != 0 ||
	    (st = read_model(model, &doc, &err)) != 0 ||
	    (st = fc_model_file_check(doc, model, cfg, "fc-sim", &err)) != 0)
		goto out;
	if (future && (st = fc_in_open(&po.future, future, &err)) != 0)
		goto out;
	po.future_name = fc_in_name(future);
	if ((st = fc_out_open(&o, cli->output, &err)) != 0 ||
	    (st = fc_sim_run(sim, doc, cfg, &po, fc_out_fp(o), &sum, &stats,
			     &err)) != 0)
		goto out;
	if (summary && (st = fc_json_write(sum, summary, &err)) != 0)
		goto out;
	st = fc_out_commit(o, &err);
	o = NULL;
	if (st == 0 && cli->output)
		st = write_meta(cfg, model, cli->output, &stats,
				fc_cli_seconds() - t0, &err);
	if (st == 0)
		print_warnings(cli, sum);
out:
	fc_out_abort(o);
	if (po.future)
		fc_in_close(po.future);
	cJSON_Delete(doc);
	cJSON_Delete(sum);
	fc_sim_free(sim);
	if (st != 0)
		fc_cli_error(cli, &err);
	return st;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "summary", required_argument, NULL, 'S' },
		FC_CLI_LONGOPTS
	};
	const char *model = NULL, *summary = NULL;
	fc_config *cfg = NULL;
	fc_cli cli;
	int c, st;

	fc_cli_init(&cli, "fc-sim");
	fc_io_signals();
	while ((c = getopt_long(argc, argv, "m:c:s:o:hV", opts, NULL)) != -1) {
		if (fc_cli_common(&cli, c, optarg))
			continue;
		if (c == 'm')
			model = optarg;
		else if (c == 'S')
			summary = optarg;
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
	st = run(&cli, cfg, model, optind < argc ? argv[optind] : NULL,
		 summary);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}
