/* figures - the run's pictures: forecasts, accuracy, drift, one HTML page */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "figures.h"
#include "io.h"
#include "svg.h"
#include "timeutil.h"

#define MAXLEV 8

/* One series: its size, and for a drawn one its history and forecast. */
typedef struct fser {
	char *id;
	double sum;
	size_t cnt;
	int sel;
	double *ht, *hy, *ft, *fy, *lo[MAXLEV], *hi[MAXLEV];
	size_t nh, caph, nf, capf;
	char model[64];
	char file[256];
} fser;

typedef fser *fser_ptr;

/* The state of one figures run. */
typedef struct figs {
	const fc_config *cfg;
	fser *s;
	size_t n, cap;
	fser **sel;             /* drawn series, sorted by id */
	size_t nsel;
	fc_time_kind kind;
	double levels[MAXLEV];
	size_t nlev;
	/* reading */
	const char *path;
	long cid, ct, cy, cmodel, clo[MAXLEV], chi[MAXLEV];
	int pass;
	fser *last;
	fc_err *err;
} figs;

static cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int
grow(double **a, size_t n, size_t *cap, size_t k)
{
	if (n < *cap)
		return 0;
	for (size_t i = 0; i < k; i++) {
		double *p = realloc(a[i], (*cap ? *cap * 2 : 64) * sizeof *p);

		if (p == NULL)
			return -1;
		a[i] = p;
	}
	*cap = *cap ? *cap * 2 : 64;
	return 0;
}

static double
num(const char *s)
{
	char *end;
	double x;

	if (*s == '\0')
		return NAN;
	x = strtod(s, &end);
	return *end == '\0' ? x : NAN;
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp((*(fser *const *)a)->id, (*(fser *const *)b)->id);
}

/* The drawn series of id, or NULL. */
static fser *
lookup(figs *f, const char *id)
{
	fser key = { .id = (char *)id }, *kp = &key, **hit;

	if (f->last && strcmp(f->last->id, id) == 0)
		return f->last;
	hit = bsearch(&kp, f->sel, f->nsel, sizeof(fser_ptr), cmp_id);
	f->last = hit ? *hit : NULL;
	return f->last;
}

static int
need(figs *f, long col, const fc_csv_row *row, const char *name)
{
	if (col >= 0)
		return 0;
	return fc_err_set(f->err, FC_EX_DATAERR, f->path, row->line,
			  "no column '%s'", name);
}

/* Header of the history layer (pass 1 and 2). */
static int
hist_header(void *ctx, const fc_csv_row *row)
{
	figs *f = ctx;
	const char *id = fc_config_str(f->cfg, "schema.id");
	const char *t = fc_config_str(f->cfg, "schema.time");
	const char *y = fc_config_str(f->cfg, "schema.target");
	int st;

	f->cid = fc_csv_find(row, id);
	f->ct = fc_csv_find(row, t);
	f->cy = fc_csv_find(row, y);
	if ((st = need(f, f->cid, row, id)) || (st = need(f, f->ct, row, t)) ||
	    (st = need(f, f->cy, row, y)))
		return st;
	return 0;
}

/* Pass 1: every series and the sum of its absolute target. */
static int
size_row(void *ctx, const fc_csv_row *row)
{
	figs *f = ctx;
	const char *id = row->f[f->cid];
	double y = num(row->f[f->cy]);
	fser *s = f->n ? &f->s[f->n - 1] : NULL;

	if (s == NULL || strcmp(s->id, id) != 0) {
		if (f->n == f->cap || f->s == NULL) {
			size_t cap = f->cap ? f->cap * 2 : 64;
			fser *p = realloc(f->s, cap * sizeof *p);

			if (p == NULL)
				return fc_err_set(f->err, FC_EX_SOFTWARE, NULL,
						  0, "out of memory");
			f->s = p;
			f->cap = cap;
		}
		s = &f->s[f->n++];
		memset(s, 0, sizeof *s);
		if ((s->id = strdup(id)) == NULL)
			return fc_err_set(f->err, FC_EX_SOFTWARE, NULL, 0,
					  "out of memory");
	}
	if (isfinite(y)) {
		s->sum += fabs(y);
		s->cnt++;
	}
	return 0;
}

/* Parse a time field; NAN when it is not one. */
static double
when(figs *f, const char *s)
{
	fc_time t;

	if (fc_time_parse(s, strlen(s), NULL, &t, NULL) != 0)
		return NAN;
	f->kind = t.kind;
	return (double)t.v;
}

/* Pass 2: the history of the drawn series. */
static int
hist_row(void *ctx, const fc_csv_row *row)
{
	figs *f = ctx;
	fser *s = lookup(f, row->f[f->cid]);
	double *a[2];
	int st;

	if (s == NULL)
		return 0;
	a[0] = s->ht;
	a[1] = s->hy;
	st = grow(a, s->nh, &s->caph, 2);
	s->ht = a[0];
	s->hy = a[1];
	if (st != 0)
		return fc_err_set(f->err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	s->ht[s->nh] = when(f, row->f[f->ct]);
	s->hy[s->nh++] = num(row->f[f->cy]);
	return 0;
}

static int
fc_header(void *ctx, const fc_csv_row *row)
{
	figs *f = ctx;
	size_t i;
	int st;

	f->cid = fc_csv_find(row, "unique_id");
	f->ct = fc_csv_find(row, "ds");
	f->cy = fc_csv_find(row, "yhat");
	f->cmodel = fc_csv_find(row, "model");
	if ((st = need(f, f->cid, row, "unique_id")) ||
	    (st = need(f, f->ct, row, "ds")) ||
	    (st = need(f, f->cy, row, "yhat")))
		return st;
	f->nlev = 0;
	for (i = 0; i < row->n && f->nlev < MAXLEV; i++) {
		char hi[64];
		long h;

		if (strncmp(row->f[i], "lo_", 3) != 0)
			continue;
		snprintf(hi, sizeof hi, "hi_%s", row->f[i] + 3);
		if ((h = fc_csv_find(row, hi)) < 0)
			continue;
		f->levels[f->nlev] = num(row->f[i] + 3);
		f->clo[f->nlev] = (long)i;
		f->chi[f->nlev++] = h;
	}
	return 0;
}

/* The forecast rows of the drawn series. */
static int
fc_row(void *ctx, const fc_csv_row *row)
{
	figs *f = ctx;
	fser *s;
	double *a[2 + 2 * MAXLEV];
	size_t i, k = 2 + 2 * f->nlev;
	int st;

	if (f->pass == 1)
		return size_row(ctx, row);
	if ((s = lookup(f, row->f[f->cid])) == NULL)
		return 0;
	a[0] = s->ft;
	a[1] = s->fy;
	for (i = 0; i < f->nlev; i++) {
		a[2 + 2 * i] = s->lo[i];
		a[3 + 2 * i] = s->hi[i];
	}
	st = grow(a, s->nf, &s->capf, k);
	s->ft = a[0];
	s->fy = a[1];
	for (i = 0; i < f->nlev; i++) {
		s->lo[i] = a[2 + 2 * i];
		s->hi[i] = a[3 + 2 * i];
	}
	if (st != 0)
		return fc_err_set(f->err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	for (i = 0; i < f->nlev; i++) {
		s->lo[i][s->nf] = num(row->f[f->clo[i]]);
		s->hi[i][s->nf] = num(row->f[f->chi[i]]);
	}
	s->ft[s->nf] = when(f, row->f[f->ct]);
	s->fy[s->nf++] = num(row->f[f->cy]);
	if (f->cmodel >= 0)
		snprintf(s->model, sizeof s->model, "%s", row->f[f->cmodel]);
	return 0;
}

/* Read a CSV file through the callbacks; a missing file reads nothing. */
static int
read_csv(figs *f, const char *path, int (*hd)(void *, const fc_csv_row *),
	 int (*rw)(void *, const fc_csv_row *))
{
	unsigned long long rows;
	FILE *fp;
	int st;

	if (path == NULL || (fp = fopen(path, "rb")) == NULL)
		return 0;
	f->path = path;
	f->last = NULL;
	st = fc_csv_each(fp, path, ',', hd, rw, f, &rows, f->err);
	fclose(fp);
	return st;
}

/* Larger mean absolute target first, then by id. */
static int
cmp_size(const void *a, const void *b)
{
	const fser *x = *(fser *const *)a, *y = *(fser *const *)b;
	double mx = x->cnt ? x->sum / (double)x->cnt : 0;
	double my = y->cnt ? y->sum / (double)y->cnt : 0;

	if (mx != my)
		return mx > my ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Pick the drawn series and give each its file name. */
static int
select_series(figs *f, size_t max)
{
	fser **all = malloc((f->n ? f->n : 1) * sizeof(fser_ptr));
	size_t i, j;

	if (all == NULL)
		return fc_err_set(f->err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	for (i = 0; i < f->n; i++)
		all[i] = &f->s[i];
	qsort(all, f->n, sizeof(fser_ptr), cmp_size);
	f->nsel = f->n < max ? f->n : max;
	for (i = 0; i < f->nsel; i++) {
		char *p;

		all[i]->sel = 1;
		snprintf(all[i]->file, sizeof all[i]->file, "forecast_%.200s",
			 all[i]->id);
		for (p = all[i]->file + 9; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '-' ||
			      *p == '_'))
				*p = '_';
		for (j = 0; j < i; j++)
			if (strcmp(all[j]->file, all[i]->file) == 0) {
				size_t l = strlen(all[i]->file);

				snprintf(all[i]->file + l,
					 sizeof all[i]->file - l, "_%zu", i + 1);
				break;
			}
		j = strlen(all[i]->file);
		snprintf(all[i]->file + j, sizeof all[i]->file - j, ".svg");
	}
	f->sel = all;
	qsort(f->sel, f->nsel, sizeof(fser_ptr), cmp_id);
	return 0;
}

/* Drop the history before the last h points. */
static void
trim_history(fser *s, size_t h)
{
	size_t drop;

	if (h == 0 || s->nh <= h)
		return;
	drop = s->nh - h;
	memmove(s->ht, s->ht + drop, h * sizeof *s->ht);
	memmove(s->hy, s->hy + drop, h * sizeof *s->hy);
	s->nh = h;
}

static void
range(const double *a, size_t n, double *lo, double *hi)
{
	for (size_t i = 0; i < n; i++)
		if (isfinite(a[i])) {
			if (a[i] < *lo)
				*lo = a[i];
			if (a[i] > *hi)
				*hi = a[i];
		}
}

/* The time labels under a plot: years when it spans two or more. */
static void
x_axis(FILE *fp, const figs *f, const fc_plot *p)
{
	double span = p->x1 - p->x0, years = span / (365.2425 * 86400);
	char buf[40];
	int i;

	if (f->kind != FC_TIME_INDEX && years >= 2) {
		fc_civil a, b;
		int step = 1, y;

		fc_time_civil((fc_time){ (int64_t)p->x0, f->kind }, &a);
		fc_time_civil((fc_time){ (int64_t)p->x1, f->kind }, &b);
		while ((b.year - a.year) / step > 8)
			step = step == 1 ? 2 : step == 2 ? 5 : step * 2;
		for (y = a.year + 1; y <= b.year; y++) {
			double x;

			if (y % step)
				continue;
			x = (double)fc_days_from_civil(y, 1, 1) * 86400.0;
			snprintf(buf, sizeof buf, "%d", y);
			fc_svg_seg(fp, fc_plot_x(p, x), p->top + p->height,
				   fc_plot_x(p, x), p->top + p->height + 4,
				   "axis");
			fc_svg_text(fp, fc_plot_x(p, x), p->top + p->height + 16,
				    "middle", NULL, buf);
		}
		return;
	}
	for (i = 0; i <= 4; i++) {
		double x = p->x0 + span * i / 4;

		fc_time_format((fc_time){ (int64_t)llround(x), f->kind }, buf,
			       sizeof buf);
		fc_svg_text(fp, fc_plot_x(p, x), p->top + p->height + 16,
			    i == 0 ? "start" : i == 4 ? "end" : "middle", NULL,
			    buf);
	}
}

/* The forecast figure of one series. */
static void
draw_series(FILE *fp, const figs *f, const fser *s)
{
	fc_plot p = { .left = 64, .top = 34, .width = 636, .height = 240 };
	double lo = INFINITY, hi = -INFINITY, ticks[16];
	char title[512], legend[160];
	size_t nt, i;
	int l;

	p.x0 = INFINITY;
	p.x1 = -INFINITY;
	range(s->ht, s->nh, &p.x0, &p.x1);
	range(s->ft, s->nf, &p.x0, &p.x1);
	range(s->hy, s->nh, &lo, &hi);
	range(s->fy, s->nf, &lo, &hi);
	for (i = 0; i < f->nlev; i++) {
		range(s->lo[i], s->nf, &lo, &hi);
		range(s->hi[i], s->nf, &lo, &hi);
	}
	nt = fc_svg_ticks(&lo, &hi, 7, ticks);
	p.y0 = lo;
	p.y1 = hi;
	snprintf(title, sizeof title, "%s: %s forecast", s->id,
		 s->model[0] ? s->model : "no");
	fc_svg_begin(fp, 720, 310, title);
	fc_svg_text(fp, p.left, 20, "start", "title", title);
	fc_svg_yaxis(fp, &p, ticks, nt);
	if (isfinite(p.x0) && isfinite(p.x1))
		x_axis(fp, f, &p);
	/* widest interval first, so the narrower ones sit on top */
	for (l = (int)f->nlev - 1, i = 0; l >= 0; l--, i++) {
		char cls[16];

		snprintf(cls, sizeof cls, "band%zu", i < 3 ? i : 2);
		fc_svg_band(fp, &p, s->ft, s->lo[l], s->hi[l], s->nf, cls);
	}
	fc_svg_line(fp, &p, s->ht, s->hy, s->nh, "history");
	if (s->nf > 0 && isfinite(s->ft[0]))
		fc_svg_seg(fp, fc_plot_x(&p, s->ft[0]), p.top,
			   fc_plot_x(&p, s->ft[0]), p.top + p.height, "origin");
	fc_svg_line(fp, &p, s->ft, s->fy, s->nf, "forecast");
	snprintf(legend, sizeof legend, "history (%zu), forecast (%zu)", s->nh,
		 s->nf);
	for (i = 0; i < f->nlev; i++) {
		size_t k = strlen(legend);

		snprintf(legend + k, sizeof legend - k, "%s%g%%",
			 i ? ", " : ", intervals ", f->levels[i]);
	}
	fc_svg_text(fp, p.left + p.width, 20, "end", NULL, legend);
	fc_svg_end(fp);
}

/* A horizontal bar chart of named values. */
static void
draw_bars(FILE *fp, const char *title, const char *const *names,
	  const double *vals, const char *const *notes,
	  const char *const *classes, size_t n)
{
	double max = 0, h = 24;
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++)
		if (isfinite(vals[i]) && vals[i] > max)
			max = vals[i];
	fc_svg_begin(fp, 720, (int)(50 + h * (double)n), title);
	fc_svg_text(fp, 10, 20, "start", "title", title);
	for (i = 0; i < n; i++) {
		double y = 36 + h * (double)i;
		double w = isfinite(vals[i]) && max > 0 ? vals[i] / max * 420 : 0;

		fc_svg_text(fp, 150, y + 14, "end", NULL, names[i]);
		fc_svg_rect(fp, 160, y + 3, w, h - 8, classes[i]);
		if (isfinite(vals[i]))
			snprintf(buf, sizeof buf, "%.4g%s%s", vals[i],
				 notes[i][0] ? "  " : "", notes[i]);
		else
			snprintf(buf, sizeof buf, "no score%s%s",
				 notes[i][0] ? "  " : "", notes[i]);
		fc_svg_text(fp, 166 + w, y + 14, "start", NULL, buf);
	}
	fc_svg_end(fp);
}

/* Cross-validated accuracy of every candidate model. */
static void
draw_cv(FILE *fp, const cJSON *models)
{
	const cJSON *c, *cands = get(models, "candidates");
	size_t n = (size_t)cJSON_GetArraySize(cands), i = 0;
	const char **names = calloc(n + 1, sizeof *names);
	const char **classes = calloc(n + 1, sizeof *classes);
	char (*notes)[48] = calloc(n + 1, sizeof *notes);
	const char **np = calloc(n + 1, sizeof *np);
	double *vals = calloc(n + 1, sizeof *vals);
	const char *metric = cJSON_GetStringValue(get(models, "metric"));
	char title[128];

	if (names && classes && notes && np && vals) {
		cJSON_ArrayForEach(c, cands) {
			const cJSON *v = get(c, "cv_mean");
			double ch = cJSON_GetNumberValue(get(c, "chosen"));

			names[i] = c->string;
			vals[i] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
			snprintf(notes[i], sizeof notes[i], "chosen for %g",
				 isfinite(ch) ? ch : 0);
			np[i] = notes[i];
			classes[i] = ch > 0 ? "bar chosen" : "bar";
			i++;
		}
		snprintf(title, sizeof title,
			 "Cross-validated %s of each candidate, mean over series",
			 metric ? metric : "score");
		draw_bars(fp, title, names, vals, np, classes, i);
	}
	free(names);
	free(classes);
	free(notes);
	free(np);
	free(vals);
}

/* Drift score of every monitored column. */
static void
draw_drift(FILE *fp, const cJSON *cols)
{
	size_t n = (size_t)cJSON_GetArraySize(cols), i = 0;
	const char **names = calloc(n + 1, sizeof *names);
	const char **classes = calloc(n + 1, sizeof *classes);
	const char **notes = calloc(n + 1, sizeof *notes);
	double *vals = calloc(n + 1, sizeof *vals);
	const cJSON *c;

	if (names && classes && notes && vals) {
		cJSON_ArrayForEach(c, cols) {
			const cJSON *d = get(c, "drift");

			names[i] = cJSON_GetStringValue(get(c, "column"));
			if (names[i] == NULL)
				continue;
			vals[i] = cJSON_IsNumber(get(c, "score"))
					  ? get(c, "score")->valuedouble
					  : NAN;
			notes[i] = cJSON_IsTrue(d) ? "drift" : "";
			classes[i] = cJSON_IsTrue(d) ? "bar drift" : "bar";
			i++;
		}
		draw_bars(fp, "Drift per column (PSI)", names, vals, notes, classes,
			  i);
	}
	free(names);
	free(classes);
	free(notes);
	free(vals);
}

/* A picture drawn into memory, then written to dir/name. */
typedef struct pic {
	char name[256];
	char *text;
	size_t len;
	char caption[512];
} pic;

static int
write_file(const char *dir, const char *name, const char *head,
	   const char *text, fc_err *err)
{
	char path[4096];
	fc_out *o;
	int st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((st = fc_out_open(&o, path, err)) != 0)
		return st;
	fputs(head, fc_out_fp(o));
	fputs(text, fc_out_fp(o));
	return fc_out_commit(o, err);
}

/* Remove forecast figures of series no longer drawn. */
static void
remove_stale(const char *dir, const pic *pics, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name), i;
		char path[4096];
		int keep = 0;

		if (strncmp(e->d_name, "forecast_", 9) != 0 || l < 5 ||
		    (strcmp(e->d_name + l - 4, ".svg") != 0 &&
		     strcmp(e->d_name + l - 4, ".png") != 0))
			continue;
		for (i = 0; i < n && !keep; i++)
			keep = strncmp(pics[i].name, e->d_name, l - 4) == 0 &&
			       strlen(pics[i].name) == l;
		if (!keep) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
	}
	closedir(d);
}

static void
html_text(FILE *fp, const char *s)
{
	fc_svg_escape(fp, s ? s : "");
}

/* One row of the key numbers table. */
static void
html_row(FILE *fp, const char *k, const char *v)
{
	fputs("<tr><th>", fp);
	html_text(fp, k);
	fputs("</th><td>", fp);
	html_text(fp, v);
	fputs("</td></tr>\n", fp);
}

static const char *
str(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = get(o, a);
	const char *s;

	if (b)
		x = get(x, b);
	s = cJSON_GetStringValue(x);
	return s ? s : "";
}

static const char *
numtext(const cJSON *o, const char *a, const char *b, char *buf, size_t n)
{
	const cJSON *x = get(get(o, a), b);

	if (cJSON_IsNumber(x))
		snprintf(buf, n, "%.6g", x->valuedouble);
	else
		snprintf(buf, n, "-");
	return buf;
}

/* The key numbers of the report. */
static void
html_numbers(FILE *fp, const cJSON *r)
{
	const cJSON *x, *m = get(r, "models");
	char buf[512], b2[64];
	size_t k = 0;

	fputs("<table class=\"numbers\">\n", fp);
	html_row(fp, "run", str(r, "run", "id"));
	html_row(fp, "started", str(r, "run", "started"));
	html_row(fp, "finished", str(r, "run", "finished"));
	html_row(fp, "seconds", numtext(r, "run", "seconds", b2, sizeof b2));
	html_row(fp, "git commit", cJSON_IsString(get(get(r, "project"),
						       "git_commit"))
					   ? str(r, "project", "git_commit")
					   : "none");
	html_row(fp, "config", str(r, "config", "file"));
	html_row(fp, "config sha256", str(r, "config", "sha256"));
	html_row(fp, "series", numtext(r, "models", "series", b2, sizeof b2));
	buf[0] = '\0';
	cJSON_ArrayForEach(x, get(m, "counts")) {
		snprintf(buf + k, sizeof buf - k, "%s%s %g", k ? ", " : "",
			 x->string, x->valuedouble);
		k = strlen(buf);
	}
	html_row(fp, "models chosen", buf);
	snprintf(buf, sizeof buf, "cross-validated %s, mean",
		 str(m, "metric", NULL)[0] ? str(m, "metric", NULL) : "score");
	html_row(fp, buf, numtext(r, "models", "cv_mean", b2, sizeof b2));
	html_row(fp, "forecast rows",
		 numtext(r, "forecast", "rows", b2, sizeof b2));
	html_row(fp, "simulation", str(r, "simulation", "status"));
	html_row(fp, "monitoring", str(r, "monitoring", "status"));
	fputs("</table>\n", fp);
}

/* Every stage: program, whether it ran, its seconds. */
static void
html_stages(FILE *fp, const cJSON *r)
{
	const cJSON *s;

	fputs("<table class=\"stages\">\n<tr><th>stage</th><th>program</th>"
	      "<th>ran</th><th>seconds</th></tr>\n", fp);
	cJSON_ArrayForEach(s, get(r, "stages")) {
		const cJSON *sec = get(s, "seconds");

		fputs("<tr><td>", fp);
		html_text(fp, str(s, "name", NULL));
		fputs("</td><td>", fp);
		html_text(fp, str(s, "program", NULL));
		fprintf(fp, "</td><td>%s</td><td>", cJSON_IsTrue(get(s, "ran"))
							   ? "yes" : "no");
		if (cJSON_IsNumber(sec))
			fprintf(fp, "%.3f", sec->valuedouble);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static const char page_style[] =
	"<style>body{font-family:sans-serif;margin:2em;color:#222;"
	"max-width:760px}table{border-collapse:collapse;margin:1em 0}"
	"th,td{text-align:left;padding:2px 10px;border-bottom:1px solid #eee;"
	"font-size:13px}figure{margin:1.5em 0}figcaption{font-size:12px;"
	"color:#555}</style>\n";

/* Counts the forecast lines the browser actually laid out. */
static const char page_script[] =
	"<script>\n"
	"(function () {\n"
	"  var n = 0;\n"
	"  document.querySelectorAll('svg path.forecast').forEach(function (p) {\n"
	"    var b = p.getBBox();\n"
	"    if (b.width > 0 && p.getTotalLength() > 0) n++;\n"
	"  });\n"
	"  document.body.setAttribute('data-forecasts-drawn', String(n));\n"
	"})();\n"
	"</script>\n";

static void
html_figure(FILE *fp, const pic *p)
{
	fputs("<figure>\n<a href=\"", fp);
	html_text(fp, p->name);
	fputs("\">\n", fp);
	fputs(p->text, fp);
	fputs("</a>\n<figcaption>", fp);
	html_text(fp, p->caption);
	fputs("</figcaption>\n</figure>\n", fp);
}

/* index.html: the numbers, the stages, every figure inline. */
static int
write_html(const char *dir, const cJSON *r, const figs *f, const pic *pics,
	   size_t npics, fc_err *err)
{
	char *text = NULL, path[4096];
	size_t len = 0, i;
	fc_out *o;
	FILE *fp = open_memstream(&text, &len);
	int st;

	if (fp == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>", fp);
	html_text(fp, str(r, "project", "name"));
	fputs(": run ", fp);
	html_text(fp, str(r, "run", "id"));
	fputs("</title>\n", fp);
	fputs(page_style, fp);
	fputs("</head>\n<body>\n<h1>", fp);
	html_text(fp, str(r, "project", "name"));
	fputs(": run ", fp);
	html_text(fp, str(r, "run", "id"));
	fputs("</h1>\n", fp);
	html_numbers(fp, r);
	fputs("<h2>Stages</h2>\n", fp);
	html_stages(fp, r);
	fputs("<h2>Forecasts</h2>\n", fp);
	for (i = 0; i < npics; i++)
		if (strncmp(pics[i].name, "forecast_", 9) == 0)
			html_figure(fp, &pics[i]);
	if (f->n > f->nsel)
		fprintf(fp, "<p>%zu of %zu series drawn, the largest first "
			    "(report.figures.max_series).</p>\n",
			f->nsel, f->n);
	if (f->nsel == 0)
		fputs("<p>No forecast to draw.</p>\n", fp);
	fputs("<h2>Accuracy</h2>\n", fp);
	for (i = 0; i < npics; i++)
		if (strcmp(pics[i].name, "cv_accuracy.svg") == 0)
			html_figure(fp, &pics[i]);
	fputs("<h2>Drift</h2>\n", fp);
	for (i = 0; i < npics && strcmp(pics[i].name, "drift.svg") != 0; i++)
		;
	if (i < npics)
		html_figure(fp, &pics[i]);
	else
		fprintf(fp, "<p>Monitoring: %s.</p>\n",
			str(r, "monitoring", "status")[0]
				? str(r, "monitoring", "status")
				: "not run");
	fputs(page_script, fp);
	fputs("</body>\n</html>\n", fp);
	if (fclose(fp) != 0) {
		free(text);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	snprintf(path, sizeof path, "%s/index.html", dir);
	if ((st = fc_out_open(&o, path, err)) == 0) {
		fputs(text, fc_out_fp(o));
		st = fc_out_commit(o, err);
	}
	free(text);
	return st;
}

/* Start a picture in memory. */
static FILE *
pic_open(pic *p, const char *name)
{
	snprintf(p->name, sizeof p->name, "%s", name);
	p->caption[0] = '\0';
	return open_memstream(&p->text, &p->len);
}

static const char *
layer_of(const cJSON *r, const char *name)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, get(r, "layers"))
		if (strcmp(str(l, "name", NULL), name) == 0 &&
		    cJSON_IsTrue(get(l, "exists")))
			return str(l, "path", NULL);
	return NULL;
}

/* Read the series: sizes, then the history and forecast of those drawn. */
static int
read_series(figs *f, const cJSON *r)
{
	const char *hist = layer_of(r, "02_cleansed");
	const char *fc = layer_of(r, "forecast");
	size_t max = (size_t)fc_config_int(f->cfg, "report.figures.max_series");
	size_t h = (size_t)fc_config_int(f->cfg, "report.figures.history");
	size_t i;
	int st;

	f->pass = 1;
	if (hist)
		st = read_csv(f, hist, hist_header, size_row);
	else
		st = read_csv(f, fc, fc_header, fc_row);
	if (st != 0 || (st = select_series(f, max)) != 0)
		return st;
	f->pass = 2;
	if ((hist && (st = read_csv(f, hist, hist_header, hist_row)) != 0) ||
	    (st = read_csv(f, fc, fc_header, fc_row)) != 0)
		return st;
	for (i = 0; i < f->nsel; i++)
		trim_history(f->sel[i], h);
	return 0;
}

static void
figs_free(figs *f)
{
	for (size_t i = 0; i < f->n; i++) {
		fser *s = &f->s[i];

		free(s->id);
		free(s->ht);
		free(s->hy);
		free(s->ft);
		free(s->fy);
		for (size_t l = 0; l < MAXLEV; l++) {
			free(s->lo[l]);
			free(s->hi[l]);
		}
	}
	free(f->s);
	free(f->sel);
}

/* Draw every picture into pics; returns how many. */
static size_t
draw_all(figs *f, const cJSON *r, pic *pics)
{
	const cJSON *cols = get(get(r, "monitoring"), "columns");
	size_t n = 0, i;
	FILE *fp;

	for (i = 0; i < f->nsel; i++) {
		const fser *s = f->sel[i];

		if ((fp = pic_open(&pics[n], s->file)) == NULL)
			continue;
		draw_series(fp, f, s);
		snprintf(pics[n].caption, sizeof pics[n].caption,
			 "%s: history and %s forecast with prediction "
			 "intervals",
			 s->id, s->model[0] ? s->model : "no");
		fclose(fp);
		n++;
	}
	if (cJSON_IsObject(get(get(r, "models"), "candidates")) &&
	    (fp = pic_open(&pics[n], "cv_accuracy.svg")) != NULL) {
		draw_cv(fp, get(r, "models"));
		snprintf(pics[n].caption, sizeof pics[n].caption,
			 "Cross-validation score of each candidate model "
			 "(lower is better); orange: chosen for some series");
		fclose(fp);
		n++;
	}
	if (cJSON_GetArraySize(cols) > 0 &&
	    (fp = pic_open(&pics[n], "drift.svg")) != NULL) {
		draw_drift(fp, cols);
		snprintf(pics[n].caption, sizeof pics[n].caption,
			 "Drift score of each column; red: drift found");
		fclose(fp);
		n++;
	}
	return n;
}

int
fc_figures_write(const fc_config *cfg, const cJSON *report, const char *dir,
		 char ***svgs, size_t *nsvgs, fc_err *err)
{
	static const char head[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	figs f = { .cfg = cfg, .err = err, .kind = FC_TIME_DATE };
	pic *pics = NULL;
	size_t n = 0, i;
	char **out = NULL;
	int st;

	*svgs = NULL;
	*nsvgs = 0;
	if (access(dir, W_OK) != 0) {
		st = fc_err_set(err, FC_EX_CANTCREAT, dir, 0,
				"not a writable folder");
		goto done;
	}
	if ((st = read_series(&f, report)) != 0)
		goto done;
	pics = calloc(f.nsel + 3, sizeof *pics);
	out = calloc(f.nsel + 3, sizeof *out);
	if (pics == NULL || out == NULL) {
		st = fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
		goto done;
	}
	n = draw_all(&f, report, pics);
	for (i = 0; i < n && st == 0; i++) {
		char path[4096];

		st = write_file(dir, pics[i].name, head, pics[i].text, err);
		snprintf(path, sizeof path, "%s/%s", dir, pics[i].name);
		if (st == 0 && (out[*nsvgs] = strdup(path)) != NULL)
			(*nsvgs)++;
	}
	if (st == 0)
		st = write_html(dir, report, &f, pics, n, err);
	if (st == 0)
		remove_stale(dir, pics, n);
done:
	for (i = 0; pics && i < n; i++)
		free(pics[i].text);
	free(pics);
	figs_free(&f);
	*svgs = out;
	return st;
}
