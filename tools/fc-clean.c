/* fc-clean - make a raw layer regular: types, duplicates, gaps, nulls */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clean.h"
#include "common.h"
#include "io.h"
#include "meta.h"

static const char *const blocks[] = { "load", "schema", "clean" };

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-clean --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-clean [-c FILE] [-s KEY=VALUE]... [-o FILE] [INPUT]\n"
	       "Make a raw layer regular: snake_case names, typed values, ISO 8601\n"
	       "times, duplicates resolved, rows sorted by (id, time), gaps\n"
	       "reindexed, missing values imputed, outliers handled.\n"
	       "\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     cleansed layer (default stdout)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "INPUT is a raw layer file or - for stdin (the default).\n"
	       "See fc-clean(1).\n");
	exit(0);
}

static cJSON *
stats_json(const fc_clean_stats *s)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddNumberToObject(j, "series", (double)s->series);
	cJSON_AddNumberToObject(j, "columns_renamed", (double)s->renamed_columns);
	cJSON_AddNumberToObject(j, "duplicates_dropped",
				(double)s->duplicates_dropped);
	cJSON_AddNumberToObject(j, "duplicates_merged",
				(double)s->duplicates_merged);
	cJSON_AddNumberToObject(j, "rows_inserted", (double)s->rows_inserted);
	cJSON_AddNumberToObject(j, "target_imputed", (double)s->target_imputed);
	cJSON_AddNumberToObject(j, "features_imputed",
				(double)s->features_imputed);
	cJSON_AddNumberToObject(j, "target_missing", (double)s->target_missing);
	cJSON_AddNumberToObject(j, "outliers", (double)s->outliers);
	cJSON_AddBoolToObject(j, "sorted_in_memory", s->sorted_in_memory);
	return j;
}

/* Write the sidecar of a cleansed file. */
static int
write_meta(fc_config *cfg, const char *input, const char *output,
	   const fc_clean_stats *s, double secs, fc_err *err)
{
	cJSON *m = fc_meta_new("fc-clean", cfg, blocks, 3), *io;
	char hex[65];
	int st;

	io = cJSON_AddObjectToObject(m, "input");
	cJSON_AddStringToObject(io, "path", input);
	if (input[0] != '-' && fc_sha256_file(input, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	cJSON_AddNumberToObject(io, "rows", (double)s->rows_in);
	io = cJSON_AddObjectToObject(m, "output");
	cJSON_AddStringToObject(io, "path", output);
	if (fc_sha256_file(output, hex, NULL) == 0)
		cJSON_AddStringToObject(io, "sha256", hex);
	cJSON_AddNumberToObject(io, "rows", (double)s->rows_out);
	cJSON_AddItemToObject(m, "changes", stats_json(s));
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

static int
run(fc_cli *cli, fc_config *cfg, const char *input)
{
	double t0 = fc_cli_seconds();
	fc_clean_stats stats;
	fc_out *o = NULL;
	FILE *in = NULL;
	fc_err err;
	int st;

	fc_err_clear(&err);
	if ((st = fc_in_open(&in, input, &err)) != 0 ||
	    (st = fc_out_open(&o, cli->output, &err)) != 0)
		goto out;
	if ((st = fc_clean(cfg, in, fc_in_name(input), fc_out_fp(o), &stats,
			   &err)) != 0)
		goto out;
	st = fc_out_commit(o, &err);
	o = NULL;
	if (st == 0 && cli->output)
		st = write_meta(cfg, fc_in_name(input), cli->output, &stats,
				fc_cli_seconds() - t0, &err);
out:
	fc_out_abort(o);
	fc_in_close(in);
	if (st != 0)
		fc_cli_error(cli, &err);
	return st;
}

int
main(int argc, char **argv)
{
	return fc_cli_main(argc, argv, "fc-clean", usage, run);
}
