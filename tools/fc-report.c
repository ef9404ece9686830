/* fc-report - the run report, what changed between two runs, the figures */
#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "figures.h"
#include "io.h"
#include "meta.h"
#include "report.h"

extern char **environ;

static void
usage(int status)
{
	if (status != 0) {
		fprintf(stderr, "Try 'fc-report --help' for more information.\n");
		exit(status);
	}
	printf("usage: fc-report [-c FILE] [-s KEY=VALUE]... [-o PATH] [-a] "
	       "COMMAND [ARG]...\n"
	       "Report a pipeline run, compare two runs, draw the figures.\n"
	       "\n"
	       "Commands:\n"
	       "  run                collect the run report of the layers the\n"
	       "                     config names; with -o FILE, also a copy in\n"
	       "                     the folder history/ beside FILE\n"
	       "  diff OLD NEW       what changed between two reports\n"
	       "  figures [REPORT]   SVG figures and index.html of a report\n"
	       "                     (default OUTPUTS/reports/latest.json)\n"
	       "\n"
	       "  -c, --config FILE     config file (default ./config.yaml)\n"
	       "  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	       "  -o, --output PATH     run: the report file (default stdout);\n"
	       "                        figures: the folder (default\n"
	       "                        OUTPUTS/figures)\n"
	       "  -a, --all             diff: list unchanged values too\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n"
	       "\n"
	       "See fc-report(1).\n");
	exit(0);
}

/* The first line a command prints, or NULL. Caller frees. */
static char *
command_line(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char buf[256], *nl;
	int got;

	if (p == NULL)
		return NULL;
	got = fgets(buf, sizeof buf, p) != NULL;
	if (pclose(p) != 0 || !got)
		return NULL;
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	return buf[0] ? strdup(buf) : NULL;
}

/* The project's git commit and whether the tree has changes. */
static char *
git_state(int *dirty)
{
	char *c = command_line("git rev-parse HEAD 2>/dev/null"), *d;

	*dirty = -1;
	if (c == NULL)
		return NULL;
	d = command_line("git status --porcelain --untracked-files=no "
			 "2>/dev/null | wc -l");
	if (d)
		*dirty = atoi(d) > 0;
	free(d);
	return c;
}

/* Write text to path atomically. */
static int
put(const char *path, const char *text, fc_err *err)
{
	fc_out *o;
	int st;

	if ((st = fc_out_open(&o, path, err)) != 0)
		return st;
	fputs(text, fc_out_fp(o));
	return fc_out_commit(o, err);
}

/* history/ID.json beside the report file. */
static int
put_history(const char *output, const char *id, const char *text,
	    fc_err *err)
{
	char dir[4096], path[4200];
	const char *slash = strrchr(output, '/');

	if (slash)
		snprintf(dir, sizeof dir, "%.*s/history",
			 (int)(slash - output), output);
	else
		snprintf(dir, sizeof dir, "history");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return fc_err_set(err, FC_EX_CANTCREAT, dir, 0,
				  "cannot create: %s", strerror(errno));
	snprintf(path, sizeof path, "%s/%s.json", dir, id);
	return put(path, text, err);
}

static int
cmd_run(fc_cli *cli, fc_config *cfg)
{
	fc_report_opts o = { NULL, -1, NULL };
	cJSON *prev = NULL, *r = NULL;
	char *commit, *text = NULL;
	size_t len;
	fc_err err;
	int st;

	fc_err_clear(&err);
	if (cli->output && (prev = fc_json_read(cli->output)) != NULL &&
	    fc_report_check(prev, cli->output, NULL) == 0)
		o.previous = prev;
	o.commit = commit = git_state(&o.dirty);
	if ((st = fc_report_build(cfg, &o, &r, &err)) != 0)
		goto out;
	if ((text = cJSON_Print(r)) == NULL) {
		st = fc_err_set(&err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto out;
	}
	len = strlen(text);
	text[len] = '\0';
	if (cli->output == NULL || strcmp(cli->output, "-") == 0) {
		puts(text);
		goto out;
	}
	/* the same bytes in both files, the history copy first */
	{
		char *full = malloc(len + 2);

		if (full == NULL) {
			st = fc_err_set(&err, FC_EX_SOFTWARE, NULL, 0,
					"out of memory");
			goto out;
		}
		memcpy(full, text, len);
		memcpy(full + len, "\n", 2);
		if (fc_config_bool(cfg, "report.history"))
			st = put_history(cli->output, fc_report_id(r), full,
					 &err);
		if (st == 0)
			st = put(cli->output, full, &err);
		free(full);
	}
out:
	if (st != 0)
		fc_cli_error(cli, &err);
	cJSON_free(text);
	cJSON_Delete(r);
	cJSON_Delete(prev);
	free(commit);
	return st;
}

/* Read a report file: 66 when missing, 65 when not a report. */
static int
read_report(const char *path, cJSON **r, fc_err *err)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open: %s", strerror(errno));
	if ((*r = fc_json_read(path)) == NULL)
		return fc_err_set(err, FC_EX_DATAERR, path, 0,
				  "not a JSON file");
	return fc_report_check(*r, path, err);
}

static int
cmd_diff(fc_cli *cli, const char *a, const char *b, int all)
{
	cJSON *old = NULL, *new = NULL;
	fc_err err;
	int st;

	fc_err_clear(&err);
	if ((st = read_report(a, &old, &err)) == 0 &&
	    (st = read_report(b, &new, &err)) == 0)
		fc_report_diff(old, new, all, stdout);
	if (st != 0)
		fc_cli_error(cli, &err);
	cJSON_Delete(old);
	cJSON_Delete(new);
	return st;
}

/* Is prog an executable in PATH? */
static int
in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
		if (n > 0 && access(buf, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* One rsvg-convert job: svg to png through a temporary file. */
typedef struct png_job {
	const char *svg;
	pid_t pid;
	char png[4200], tmp[4300];
} png_job;

static int
png_start(png_job *j, const char *svg, fc_err *err)
{
	char *argv[] = { "rsvg-convert", "-o", j->tmp, (char *)svg, NULL };
	size_t n = strlen(svg);

	j->svg = svg;
	snprintf(j->png, sizeof j->png, "%.*s.png", (int)(n > 4 ? n - 4 : n),
		 svg);
	snprintf(j->tmp, sizeof j->tmp, "%.4199s.tmp%ld", j->png,
		 (long)getpid());
	if (posix_spawnp(&j->pid, "rsvg-convert", NULL, NULL, argv,
			 environ) != 0)
		return fc_err_set(err, FC_EX_SOFTWARE, svg, 0,
				  "cannot run rsvg-convert");
	return 0;
}

static int
png_finish(png_job *j, int st, fc_err *err)
{
	int ws;

	if (waitpid(j->pid, &ws, 0) < 0 || !WIFEXITED(ws) ||
	    WEXITSTATUS(ws) != 0) {
		unlink(j->tmp);
		return st ? st : fc_err_set(err, FC_EX_SOFTWARE, j->svg, 0,
					    "rsvg-convert failed");
	}
	if (st != 0) {
		unlink(j->tmp);
		return st;
	}
	if (rename(j->tmp, j->png) != 0) {
		unlink(j->tmp);
		return fc_err_set(err, FC_EX_CANTCREAT, j->png, 0,
				  "cannot create: %s", strerror(errno));
	}
	return 0;
}

/* Every svg to png, four rsvg-convert at a time. */
static int
to_png(char **svgs, size_t n, fc_err *err)
{
	png_job jobs[4];
	size_t i, k, m;
	int st = 0;

	for (i = 0; i < n && st == 0; i += m) {
		for (m = 0; m < 4 && i + m < n; m++)
			if ((st = png_start(&jobs[m], svgs[i + m], err)) != 0)
				break;
		for (k = 0; k < m; k++)
			st = png_finish(&jobs[k], st, err);
	}
	return st;
}

static int
cmd_figures(fc_cli *cli, fc_config *cfg, const char *report)
{
	char dir[4096], rpath[4096], **svgs = NULL;
	const char *out = fc_config_str(cfg, "paths.outputs");
	cJSON *r = NULL;
	size_t n = 0, i;
	fc_err err;
	int st;

	fc_err_clear(&err);
	snprintf(dir, sizeof dir, "%s", cli->output ? cli->output : "");
	if (dir[0] == '\0')
		snprintf(dir, sizeof dir, "%s/figures", out);
	if (report == NULL) {
		snprintf(rpath, sizeof rpath, "%s/reports/latest.json", out);
		report = rpath;
	}
	if ((st = read_report(report, &r, &err)) != 0)
		goto out;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		st = fc_err_set(&err, FC_EX_CANTCREAT, dir, 0,
				"cannot create: %s", strerror(errno));
		goto out;
	}
	if ((st = fc_figures_write(cfg, r, dir, &svgs, &n, &err)) != 0)
		goto out;
	if (fc_config_bool(cfg, "report.figures.png") &&
	    in_path("rsvg-convert"))
		st = to_png(svgs, n, &err);
out:
	if (st != 0)
		fc_cli_error(cli, &err);
	for (i = 0; i < n; i++)
		free(svgs[i]);
	free(svgs);
	cJSON_Delete(r);
	return st;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		FC_CLI_LONGOPTS
	};
	fc_config *cfg = NULL;
	const char *cmd;
	int c, st, all = 0, nargs;
	fc_cli cli;

	fc_cli_init(&cli, "fc-report");
	fc_io_signals();
	while ((c = getopt_long(argc, argv, "c:s:o:ahV", opts, NULL)) != -1) {
		if (fc_cli_common(&cli, c, optarg))
			continue;
		if (c == 'a')
			all = 1;
		else if (c == 'h')
			usage(0);
		else if (c == 'V')
			return fc_cli_finish(&cli, fc_cli_version(&cli));
		else
			usage(FC_EX_USAGE);
	}
	if (optind >= argc) {
		fc_cli_fail(&cli, FC_EX_USAGE, "missing command");
		usage(FC_EX_USAGE);
	}
	cmd = argv[optind++];
	nargs = argc - optind;
	if (strcmp(cmd, "diff") == 0) {
		if (nargs != 2) {
			fc_cli_fail(&cli, FC_EX_USAGE,
				    "diff takes two reports: OLD NEW");
			usage(FC_EX_USAGE);
		}
		return fc_cli_finish(&cli, cmd_diff(&cli, argv[optind],
						    argv[optind + 1], all));
	}
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "figures") != 0) {
		fc_cli_fail(&cli, FC_EX_USAGE, "unknown command '%s'", cmd);
		usage(FC_EX_USAGE);
	}
	fc_cli_operands(&cli, nargs, strcmp(cmd, "figures") == 0 ? 1 : 0,
			usage);
	if ((st = fc_cli_config(&cli, &cfg)) != 0)
		return fc_cli_finish(&cli, st);
	if (strcmp(cmd, "run") == 0)
		st = cmd_run(&cli, cfg);
	else
		st = cmd_figures(&cli, cfg, nargs ? argv[optind] : NULL);
	fc_config_free(cfg);
	return fc_cli_finish(&cli, st);
}
