/* fc-train - choose and fit a model per series by cross-validation */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "forecast.h"
#include "io.h"
#include "meta.h"
#include "models/model.h"
#include "train.h"

static void
usage(int status)
{
	const fc_model_def *list;
	size_t i, n, col;

	if (status != 0) {
		fprintf(stderr, "Try 'fc-train --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-train [-c FILE] [-s KEY=VALUE]... [-o FILE] [INPUT]\n"
	       "Fit every model of train.models to each series of a long CSV,\n"
	       "pick the best by rolling-origin cross-validation, refit it on\n"
	       "the whole series and write the model file (JSON).\n"
	       "\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     model file (default stdout)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "INPUT is a processed (or cleansed) layer, or - for stdin (the\n"
	       "default). Models:");
	list = fc_model_list(&n);
	for (i = 0, col = 17; i < n; i++) {
		size_t w = strlen(list[i].name) + 1;

		if (col + w > 72) {
			printf("\n");
			col = 0;
		}
		printf(" %s", list[i].name);
		col += w;
	}
	printf(".\nSee fc-train(1).\n");
	exit(0);
}

/* Write the sidecar of a model file. */
static int
write_meta(fc_config *cfg, const char *input, const char *output,
	   const fc_train_stats *s, double secs, fc_err *err)
{
	size_t nb;
	const char *const *blocks = fc_model_blocks(&nb);
	cJSON *m = fc_meta_new("fc-train", cfg, blocks, nb), *io;
	char hex[65];
	int st;

	io = cJSON_AddObjectToObject(m, "input");
	cJSON_AddStringToObject(io, "path", input);
	cJSON_AddStringToObject(io, "sha256", s->sha256);
	cJSON_AddNumberToObject(io, "rows", (double)s->rows);
	io = cJSON_AddObjectToObject(m, "output");
	cJSON_AddStringToObject(io, "path", output);
	if (fc_sha256_file(output, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	cJSON_AddNumberToObject(io, "series", (double)s->series);
	io = cJSON_AddObjectToObject(m, "changes");
	cJSON_AddNumberToObject(io, "future_rows_ignored",
				(double)s->future_rows);
	cJSON_AddNumberToObject(io, "fallbacks", (double)s->fallbacks);
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

static int
run(fc_cli *cli, fc_config *cfg, const char *input)
{
	double t0 = fc_cli_seconds();
	fc_train_stats stats;
	cJSON *doc = NULL;
	fc_out *o = NULL;
	FILE *in = NULL;
	char *text = NULL;
	fc_err err;
	int st;

	fc_err_clear(&err);
	if ((st = fc_in_open(&in, input, &err)) != 0 ||
	    (st = fc_out_open(&o, cli->output, &err)) != 0 ||
	    (st = fc_train(cfg, in, fc_in_name(input), &doc, &stats,
			   &err)) != 0)
		goto out;
	if ((text = cJSON_Print(doc)) == NULL) {
		st = fc_err_set(&err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	fputs(text, fc_out_fp(o));
	fputc('\n', fc_out_fp(o));
	st = fc_out_commit(o, &err);
	o = NULL;
	if (st == 0 && cli->output)
		st = write_meta(cfg, fc_in_name(input), cli->output, &stats,
				fc_cli_seconds() - t0, &err);
out:
	cJSON_free(text);
	cJSON_Delete(doc);
	fc_out_abort(o);
	fc_in_close(in);
	if (st != 0)
		fc_cli_error(cli, &err);
	return st;
}

int
main(int argc, char **argv)
{
	return fc_cli_main(argc, argv, "fc-train", usage, run);
}
