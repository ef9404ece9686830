/* fc-feat - the feature layer and, with --processed, the processed layer */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "feat.h"
#include "io.h"
#include "meta.h"
#include "processed.h"

static const char *const feat_blocks[] = { "schema", "features", "predict" };
static const char *const proc_blocks[] = { "schema", "processed" };

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-feat --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-feat [-p] [-c FILE] [-s KEY=VALUE]... [-o FILE] [INPUT]\n"
	       "Add calendar, Fourier, lag, rolling, difference, holiday and\n"
	       "exogenous features to a cleansed layer, with predict.horizon\n"
	       "future rows per series; with -p, make the processed layer of\n"
	       "a feature layer instead.\n"
	       "\n"
	       "  -p, --processed       write the processed layer (processed block)\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     output layer (default stdout)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "INPUT is a cleansed layer (a feature layer with -p) or - for\n"
	       "stdin (the default). See fc-feat(1).\n");
	exit(0);
}

/*
 * The sha256 of the input file, computed beside the run (the file is read
 * twice, the second time from the cache) and of the output as it is
 * written: neither is a serial pass at the end.
 */
typedef struct hashes {
	const char *input;
	char in[65], out[65];
	int ok;
	pthread_t th;
	int started;
} hashes;

static void *
hash_input(void *arg)
{
	hashes *h = arg;

	h->ok = fc_sha256_file(h->input, h->in, NULL) == 0;
	return NULL;
}

static void
hashes_start(hashes *h, const char *input)
{
	memset(h, 0, sizeof *h);
	h->input = input;
	if (input == NULL || strcmp(input, "-") == 0)
		return;
	h->started = pthread_create(&h->th, NULL, hash_input, h) == 0;
	if (!h->started)
		hash_input(h);
}

/* Wait for the input's hash; "" when there is none. */
static void
hashes_join(hashes *h)
{
	if (h->started)
		pthread_join(h->th, NULL);
	h->started = 0;
	if (!h->ok)
		h->in[0] = '\0';
}

/* The sidecar's common part: program, config, input and output. */
static cJSON *
meta_io(fc_config *cfg, int processed, const char *input, const char *output,
	const hashes *h, unsigned long long rows_in, unsigned long long rows_out)
{
	cJSON *m = processed ? fc_meta_new("fc-feat", cfg, proc_blocks, 2) :
			       fc_meta_new("fc-feat", cfg, feat_blocks, 3);
	cJSON *io;

	cJSON_AddStringToObject(m, "mode", processed ? "processed" :
				"features");
	io = cJSON_AddObjectToObject(m, "input");
	cJSON_AddStringToObject(io, "path", input);
	if (h->in[0])
		cJSON_AddStringToObject(io, "sha256", h->in);
	cJSON_AddNumberToObject(io, "rows", (double)rows_in);
	io = cJSON_AddObjectToObject(m, "output");
	cJSON_AddStringToObject(io, "path", output);
	if (h->out[0])
		cJSON_AddStringToObject(io, "sha256", h->out);
	cJSON_AddNumberToObject(io, "rows", (double)rows_out);
	return m;
}

static int
write_feat_meta(fc_config *cfg, const fc_feat *f, const char *input,
		const char *output, const hashes *h, const fc_feat_stats *s,
		double secs, fc_err *err)
{
	cJSON *m = meta_io(cfg, 0, input, output, h, s->rows_in, s->rows_out);
	cJSON *ch = cJSON_AddObjectToObject(m, "changes"), *cols;
	const char *const *names;
	size_t n = fc_feat_columns(f, &names), i;
	int st;

	cJSON_AddNumberToObject(ch, "series", (double)s->series);
	cJSON_AddNumberToObject(ch, "horizon_rows", (double)s->horizon_rows);
	cJSON_AddNumberToObject(ch, "exogenous_filled",
				(double)s->exogenous_filled);
	cols = cJSON_AddArrayToObject(ch, "columns_added");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(cols, cJSON_CreateString(names[i]));
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

static int
write_proc_meta(fc_config *cfg, const char *input, const char *output,
		const hashes *h, const fc_proc_stats *s, double secs,
		fc_err *err)
{
	cJSON *m = meta_io(cfg, 1, input, output, h, s->rows_in, s->rows_out);
	cJSON *ch = cJSON_AddObjectToObject(m, "changes");
	int st;

	cJSON_AddNumberToObject(ch, "series", (double)s->series);
	cJSON_AddNumberToObject(ch, "columns_kept", (double)s->columns);
	cJSON_AddNumberToObject(ch, "rows_aggregated",
				(double)s->rows_aggregated);
	cJSON_AddNumberToObject(ch, "incomplete_dropped",
				(double)s->incomplete_dropped);
	cJSON_AddNumberToObject(ch, "incomplete_filled",
				(double)s->incomplete_filled);
	cJSON_AddNumberToObject(ch, "window_dropped", (double)s->window_dropped);
	fc_json_num(m, "seconds", secs);
	st = fc_meta_write(m, output, err);
	cJSON_Delete(m);
	return st;
}

/* The feature layer. */
static int
run_features(fc_cli *cli, fc_config *cfg, const char *input, fc_err *err)
{
	double t0 = fc_cli_seconds();
	fc_feat_stats stats;
	fc_feat *f = NULL;
	fc_out *o = NULL;
	FILE *in = NULL;
	hashes h;
	int st;

	hashes_start(&h, cli->output ? input : NULL);
	if ((st = fc_feat_new(&f, cfg, err)) != 0 ||
	    (st = fc_feat_load_exogenous(f, err)) != 0 ||
	    (st = fc_in_open(&in, input, err)) != 0 ||
	    (st = fc_out_open_hashed(&o, cli->output, err)) != 0 ||
	    (st = fc_feat_run(f, in, fc_in_name(input), fc_out_fp(o), &stats,
			      err)) != 0)
		goto out;
	st = fc_out_commit_hashed(o, h.out, err);
	o = NULL;
	hashes_join(&h);
	if (st == 0 && cli->output)
		st = write_feat_meta(cfg, f, fc_in_name(input), cli->output,
				     &h, &stats, fc_cli_seconds() - t0, err);
out:
	hashes_join(&h);
	fc_out_abort(o);
	fc_in_close(in);
	fc_feat_free(f);
	return st;
}

/* The processed layer. */
static int
run_processed(fc_cli *cli, fc_config *cfg, const char *input, fc_err *err)
{
	double t0 = fc_cli_seconds();
	fc_proc_stats stats;
	fc_out *o = NULL;
	FILE *in = NULL;
	hashes h;
	int st;

	hashes_start(&h, cli->output ? input : NULL);
	if ((st = fc_in_open(&in, input, err)) != 0 ||
	    (st = fc_out_open_hashed(&o, cli->output, err)) != 0 ||
	    (st = fc_processed(cfg, in, fc_in_name(input), fc_out_fp(o),
			       &stats, err)) != 0)
		goto out;
	st = fc_out_commit_hashed(o, h.out, err);
	o = NULL;
	hashes_join(&h);
	if (st == 0 && cli->output)
		st = write_proc_meta(cfg, fc_in_name(input), cli->output,
				     &h, &stats, fc_cli_seconds() - t0, err);
out:
	hashes_join(&h);
	fc_out_abort(o);
	fc_in_close(in);
	return st;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "processed", no_argument, NULL, 'p' },
		FC_CLI_LONGOPTS
	};
	fc_config *cfg = NULL;
	const char *input;
	fc_cli cli;
	fc_err err;
	int c, st, processed = 0;

	fc_cli_init(&cli, "fc-feat");
	fc_io_signals();
	while ((c = getopt_long(argc, argv, "pc:s:o:hV", opts, NULL)) != -1) {
		if (fc_cli_common(&cli, c, optarg))
			continue;
		if (c == 'p') {
			processed = 1;
			continue;
		}
		if (c == 'h')
			usage(0);
		if (c == 'V')
			return fc_cli_finish(&cli, fc_cli_version(&cli));
		usage(FC_EX_USAGE);
	}
	fc_cli_operands(&cli, argc - optind, 1, usage);
	if ((st = fc_cli_config(&cli, &cfg)) != 0)
		return fc_cli_finish(&cli, st);
	input = optind < argc ? argv[optind] : NULL;
	fc_err_clear(&err);
	st = processed ? run_processed(&cli, cfg, input, &err) :
			 run_features(&cli, cfg, input, &err);
	if (st != 0)
		fc_cli_error(&cli, &err);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}
