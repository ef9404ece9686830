/* fc-load - check a source against its data contract; snapshot it as raw */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "contract.h"
#include "csvio.h"
#include "io.h"
#include "meta.h"
#include "source.h"

static const char *const blocks[] = { "load", "schema" };

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-load --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-load [-c FILE] [-s KEY=VALUE]... [-o FILE] [SOURCE]\n"
	       "Check a CSV source against its data contract (load.columns) and\n"
	       "write it unchanged as the raw layer, with FILE.meta.json beside it.\n"
	       "\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output FILE     raw layer file (default stdout)\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "SOURCE (default load.source) is a CSV file, - for stdin, or\n"
	       "  sqlite:PATH?query=SQL        (or ?table=NAME)\n"
	       "  postgresql://HOST/DB?query=SQL\n"
	       "  http://... or https://...    a body that is CSV\n"
	       "Credentials come from the environment or ./.env, never the URL.\n"
	       "See fc-load(1).\n");
	exit(0);
}

/* What a run of fc-load carries between its steps. */
struct load {
	fc_cli *cli;
	const char *src_name;
	FILE *spool;            /* output being written (temp or spool) */
	fc_sha256 hash;
	long max_errors, nerrors;
	char delim;
	unsigned long long rows;
};

static int
tap(void *ctx, const void *buf, size_t n)
{
	struct load *ld = ctx;

	fc_sha256_update(&ld->hash, buf, n);
	return fwrite(buf, 1, n, ld->spool) == n ? 0 : -1;
}

static int
report(void *ctx, const fc_err *e)
{
	struct load *ld = ctx;

	if (++ld->nerrors <= ld->max_errors)
		fc_cli_error(ld->cli, e);
	return ld->nerrors >= ld->max_errors;
}

/* Read the whole source through the contract. Returns 0 or a status. */
static int
check_source(struct load *ld, FILE *in, fc_contract *ct, cJSON *columns,
	     fc_err *err)
{
	fc_csv_reader *r = fc_csv_open(in, ld->src_name, ld->delim);
	fc_csv_row *row;
	size_t i;
	int st;

	if (r == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	fc_csv_set_tap(r, tap, ld);
	if ((st = fc_csv_next(r, &row, err)) <= 0) {
		fc_csv_close(r);
		return st < 0 || st > 1 ? st : fc_err_set(err, FC_EX_DATAERR,
			ld->src_name, 0, "empty file: expected a header line");
	}
	if ((st = fc_contract_header(ct, row, ld->src_name, err)) != 0) {
		fc_csv_close(r);
		return st;
	}
	for (i = 0; i < row->n; i++)
		cJSON_AddItemToArray(columns, cJSON_CreateString(row->f[i]));
	while ((st = fc_csv_next(r, &row, err)) == 1) {
		ld->rows++;
		fc_contract_row(ct, row, ld->src_name, report, ld);
		if (ld->nerrors >= ld->max_errors)
			break;
	}
	fc_csv_close(r);
	if (st > 1)
		return st;
	if (ld->nerrors > 0)
		return fc_err_set(err, FC_EX_DATAERR, ld->src_name, 0,
				  "%ld bad value%s%s: nothing written",
				  ld->nerrors, ld->nerrors == 1 ? "" : "s",
				  ld->nerrors >= ld->max_errors ?
				  " (load.max_errors reached)" : "");
	if (ld->rows == 0)
		return fc_err_set(err, FC_EX_DATAERR, ld->src_name, 0,
				  "no data rows after the header");
	return 0;
}

/* Copy the spooled bytes to o (stdout, a device or a FIFO) and commit
 * it, which reports a write error. */
static int
copy_out(FILE *spool, fc_out *o, fc_err *err)
{
	char buf[1 << 16];
	size_t n;

	rewind(spool);
	while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
		if (fwrite(buf, 1, n, fc_out_fp(o)) != n)
			break;
	if (ferror(spool)) {
		fc_out_abort(o);
		return fc_err_set(err, FC_EX_IOERR, NULL, 0,
				  "spool read error: %s",
				  strerror(errno ? errno : EIO));
	}
	return fc_out_commit(o, err);
}

/*
 * Move the previous snapshot at path (and its sidecar) into
 * DIR/history/NAME.STAMP.EXT, STAMP from its sidecar's loaded_at or its
 * mtime.
 */
static int
keep_history(const char *path, fc_err *err)
{
	char dir[PATH_MAX], base[PATH_MAX], hist[PATH_MAX], dst[PATH_MAX * 2];
	char meta[PATH_MAX + 16], dmeta[PATH_MAX * 2 + 16], stamp[32] = "";
	const char *dot;
	struct stat st;
	cJSON *m;
	int i, j;

	snprintf(dir, sizeof dir, "%s", path);
	snprintf(base, sizeof base, "%s", path);
	snprintf(hist, sizeof hist, "%s/history", dirname(dir));
	snprintf(meta, sizeof meta, "%s.meta.json", path);
	if ((m = fc_json_read(meta)) != NULL) {
		const char *at = cJSON_GetStringValue(
			cJSON_GetObjectItem(m, "loaded_at"));

		for (i = j = 0; at && at[i] && j < 20; i++)
			if (at[i] != '-' && at[i] != ':')
				stamp[j++] = at[i];
		stamp[j] = '\0';
		cJSON_Delete(m);
	}
	if (stamp[0] == '\0' && stat(path, &st) == 0) {
		struct tm tm;

		gmtime_r(&st.st_mtime, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	}
	if (mkdir(hist, 0777) != 0 && errno != EEXIST)
		return fc_err_set(err, FC_EX_CANTCREAT, hist, 0,
				  "cannot create: %s", strerror(errno));
	{
		char *b = basename(base);

		dot = strrchr(b, '.');
		if (dot == NULL)
			dot = b + strlen(b);
		snprintf(dst, sizeof dst, "%s/%.*s.%s%s", hist,
			 (int)(dot - b), b, stamp, dot);
	}
	if (rename(path, dst) != 0)
		return fc_err_set(err, FC_EX_CANTCREAT, path, 0,
				  "cannot move to history: %s", strerror(errno));
	snprintf(dmeta, sizeof dmeta, "%s.meta.json", dst);
	if (access(meta, F_OK) == 0 && rename(meta, dmeta) != 0)
		return fc_err_set(err, FC_EX_CANTCREAT, meta, 0,
				  "cannot move to history: %s", strerror(errno));
	return 0;
}

/* Put the checked snapshot in place: unchanged source, nothing to do. */
static int
commit_raw(fc_out *o, const char *path, const char *hex, cJSON *meta,
	   fc_err *err)
{
	char old[65];
	int st;

	if (access(path, F_OK) == 0 && fc_sha256_file(path, old, NULL) == 0) {
		if (strcmp(old, hex) == 0) {
			fc_out_abort(o);
			return 0;
		}
		if ((st = keep_history(path, err)) != 0) {
			fc_out_abort(o);
			return st;
		}
	}
	fc_out_mode(o, 0444);
	if ((st = fc_out_commit(o, err)) != 0)
		return st;
	return fc_meta_write(meta, path, err);
}

/* A source's note on a failed attempt it will retry. */
static void
notice(void *ctx, const char *name, const char *msg)
{
	const fc_cli *cli = ctx;

	fprintf(stderr, "%s: %s: %s\n", cli->prog, name, msg);
}

static int
run(fc_cli *cli, fc_config *cfg, const char *spec)
{
	struct load ld = { .cli = cli };
	fc_contract *ct = NULL;
	fc_source *src = NULL;
	fc_out *o = NULL;
	cJSON *meta = NULL, *columns;
	char hex[65], now[32];
	struct timespec t0, t1;
	fc_err err;
	int st, spooled = 0, opened = 0;

	fc_source_opts so = {
		.timeout = fc_config_int(cfg, "load.timeout"),
		.retries = fc_config_int(cfg, "load.retries"),
		.delim = fc_config_str(cfg, "load.delimiter")[0],
		.dotenv = ".env",
		.notice = notice,
		.ctx = cli,
	};

	fc_err_clear(&err);
	ld.max_errors = fc_config_int(cfg, "load.max_errors");
	ld.delim = so.delim;
	fc_sha256_init(&ld.hash);
	fc_utc_now(now);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((st = fc_contract_new(&ct, cfg, &err)) != 0 ||
	    (st = fc_source_open(&src, spec, &so, &err)) != 0)
		goto out;
	ld.src_name = fc_source_name(src);
	/* a snapshot file is written beside its target and renamed into
	 * place; stdout, a device or a FIFO gets the bytes once checked */
	spooled = cli->output == NULL || strcmp(cli->output, "-") == 0 ||
		  !fc_path_regular(cli->output);
	if (!spooled) {
		if ((st = fc_out_open(&o, cli->output, &err)) != 0)
			goto out;
		ld.spool = fc_out_fp(o);
	} else if ((ld.spool = tmpfile()) == NULL) {
		st = fc_err_set(&err, FC_EX_CANTCREAT, NULL, 0,
				"cannot create a spool file: %s", strerror(errno));
		goto out;
	}
	meta = fc_meta_new("fc-load", cfg, blocks, 2);
	cJSON_AddStringToObject(meta, "source", ld.src_name);
	cJSON_AddStringToObject(meta, "source_kind", fc_source_kind(src));
	if (fc_source_query(src) != NULL)
		cJSON_AddStringToObject(meta, "query", fc_source_query(src));
	columns = cJSON_AddArrayToObject(meta, "columns");
	if ((st = check_source(&ld, fc_source_stream(src), ct, columns,
			       &err)) != 0)
		goto out;
	fc_sha256_hex(&ld.hash, hex);
	cJSON_AddStringToObject(meta, "sha256", hex);
	cJSON_AddNumberToObject(meta, "rows", (double)ld.rows);
	cJSON_AddStringToObject(meta, "loaded_at", now);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fc_json_num(meta, "seconds", (double)(t1.tv_sec - t0.tv_sec) +
				     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (!spooled) {
		st = commit_raw(o, cli->output, hex, meta, &err);
		o = NULL;
	} else if ((st = fc_out_open(&o, cli->output, &err)) == 0) {
		st = copy_out(ld.spool, o, &err);
		o = NULL;
		opened = 1;
	}
out:
	if (st != 0 && (err.msg[0] || err.file[0]))
		fc_cli_error(cli, &err);
	/* a FIFO's reader, which got nothing, is told the end of it */
	if (st != 0 && spooled && !opened && cli->output) {
		fc_err ignored;

		if (fc_out_open(&o, cli->output, &ignored) != 0)
			o = NULL;
	}
	fc_out_abort(o);
	if (spooled && ld.spool)
		fclose(ld.spool);
	cJSON_Delete(meta);
	fc_source_close(src);
	fc_contract_free(ct);
	return st;
}

int
main(int argc, char **argv)
{
	fc_config *cfg = NULL;
	const char *spec;
	fc_cli cli;
	int arg, st;

	fc_cli_init(&cli, "fc-load");
	fc_io_signals();
	arg = fc_cli_parse(&cli, argc, argv, usage);
	if ((st = fc_cli_config(&cli, &cfg)) != 0)
		return fc_cli_finish(&cli, st);
	spec = arg < argc ? argv[arg] : fc_config_str(cfg, "load.source");
	if (spec == NULL || spec[0] == '\0') {
		fc_config_free(cfg);
		fc_cli_fail(&cli, FC_EX_USAGE,
			    "no source: give SOURCE or set load.source");
		usage(FC_EX_USAGE);
	}
	st = run(&cli, cfg, spec);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}
