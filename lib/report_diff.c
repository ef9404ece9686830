/* report_diff - what changed between two run reports, as a table */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* One compared value: a dotted key, its text, its number (or NAN). */
typedef struct ent {
	char *key, *text;
	double num;
	int hash;
} ent;

typedef struct ents {
	ent *e;
	size_t n, cap;
} ents;

static cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void
push(ents *v, const char *a, const char *b, const char *c, const cJSON *x,
     int hash)
{
	char key[1024], text[64];
	ent *e;

	if (x == NULL || cJSON_IsNull(x))
		return;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		ent *p = realloc(v->e, cap * sizeof *p);

		if (p == NULL)
			return;
		v->e = p;
		v->cap = cap;
	}
	e = &v->e[v->n];
	snprintf(key, sizeof key, "%s%s%s%s%s", a, b ? "." : "", b ? b : "",
		 c ? "." : "", c ? c : "");
	e->hash = hash;
	e->num = NAN;
	if (cJSON_IsNumber(x)) {
		e->num = x->valuedouble;
		snprintf(text, sizeof text, "%.10g", x->valuedouble);
	} else if (cJSON_IsBool(x)) {
		snprintf(text, sizeof text, "%s",
			 cJSON_IsTrue(x) ? "true" : "false");
	}
	e->key = strdup(key);
	e->text = strdup(cJSON_IsString(x) ? x->valuestring : text);
	if (e->key == NULL || e->text == NULL) {
		free(e->key);
		free(e->text);
		return;
	}
	v->n++;
}

/* Each item of arr (objects with an id field `idk`): field f as key. */
static void
push_each(ents *v, const char *prefix, const cJSON *arr, const char *idk,
	  const char *f)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr) {
		const char *id = cJSON_GetStringValue(get(x, idk));

		if (id)
			push(v, prefix, id, f, get(x, f), 0);
	}
}

/* Flatten the values of a report that a diff compares. */
static void
flatten(const cJSON *r, ents *v)
{
	const cJSON *x, *m = get(r, "models"), *f = get(r, "forecast");

	push(v, "config.sha256", NULL, NULL, get(get(r, "config"), "sha256"),
	     1);
	cJSON_ArrayForEach(x, get(get(r, "config"), "values")) {
		push(v, "config", x->string, NULL, x, 0);
	}
	push_each(v, "layers", get(r, "layers"), "name", "sha256");
	push_each(v, "layers", get(r, "layers"), "name", "rows");
	for (size_t i = 0; i < v->n; i++)
		if (strncmp(v->e[i].key, "layers.", 7) == 0 &&
		    strstr(v->e[i].key, ".sha256"))
			v->e[i].hash = 1;
	push(v, "models.status", NULL, NULL, get(m, "status"), 0);
	push(v, "models.cv_mean", NULL, NULL, get(m, "cv_mean"), 0);
	cJSON_ArrayForEach(x, get(m, "counts")) {
		push(v, "models.counts", x->string, NULL, x, 0);
	}
	cJSON_ArrayForEach(x, get(m, "candidates")) {
		push(v, "models.candidates", x->string, "cv_mean",
		     get(x, "cv_mean"), 0);
	}
	push_each(v, "models.series", get(m, "per_series"), "id", "model");
	push_each(v, "models.series", get(m, "per_series"), "id", "cv");
	push(v, "forecast.rows", NULL, NULL, get(f, "rows"), 0);
	push(v, "forecast.series", NULL, NULL, get(f, "series"), 0);
	push_each(v, "forecast.series", get(f, "per_series"), "id",
		  "yhat_mean");
	push(v, "simulation.status", NULL, NULL,
	     get(get(r, "simulation"), "status"), 0);
	push(v, "monitoring.status", NULL, NULL,
	     get(get(r, "monitoring"), "status"), 0);
	push_each(v, "monitoring.columns", get(get(r, "monitoring"), "columns"),
		  "column", "score");
}

static void
ents_free(ents *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->e[i].key);
		free(v->e[i].text);
	}
	free(v->e);
}

static const ent *
find(const ents *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->e[i].key, key) == 0)
			return &v->e[i];
	return NULL;
}

/* A table row: four cells, owned. */
typedef struct row {
	char c[4][80];
} row;

static void
shown(char *dst, const ent *e)
{
	if (e == NULL)
		snprintf(dst, 80, "-");
	else if (e->hash)
		snprintf(dst, 80, "%.12s", e->text);
	else
		snprintf(dst, 80, "%s", e->text);
}

/* Fill row for key k from o (old) and n (new); 1 when they differ. */
static int
compare(row *r, const char *k, const ent *o, const ent *n)
{
	int same = o && n && strcmp(o->text, n->text) == 0;

	snprintf(r->c[0], sizeof r->c[0], "%s", k);
	shown(r->c[1], o);
	shown(r->c[2], n);
	if (same)
		snprintf(r->c[3], sizeof r->c[3], "-");
	else if (o == NULL)
		snprintf(r->c[3], sizeof r->c[3], "added");
	else if (n == NULL)
		snprintf(r->c[3], sizeof r->c[3], "removed");
	else if (isfinite(o->num) && isfinite(n->num))
		snprintf(r->c[3], sizeof r->c[3], "%+.6g", n->num - o->num);
	else
		snprintf(r->c[3], sizeof r->c[3], "changed");
	return !same;
}

static void
print_rows(FILE *fp, const row *rows, size_t n)
{
	static const char *const head[4] = { "Key", "Old", "New", "Change" };
	size_t w[4], i, j;

	for (j = 0; j < 4; j++) {
		w[j] = strlen(head[j]);
		for (i = 0; i < n; i++)
			if (strlen(rows[i].c[j]) > w[j])
				w[j] = strlen(rows[i].c[j]);
	}
	fprintf(fp, "%-*s  %-*s  %-*s  %s\n", (int)w[0], head[0], (int)w[1],
		head[1], (int)w[2], head[2], head[3]);
	for (i = 0; i < n; i++)
		fprintf(fp, "%-*s  %-*s  %-*s  %s\n", (int)w[0], rows[i].c[0],
			(int)w[1], rows[i].c[1], (int)w[2], rows[i].c[2],
			rows[i].c[3]);
}

size_t
fc_report_diff(const cJSON *old, const cJSON *new, int all, FILE *fp)
{
	ents a = { 0 }, b = { 0 };
	size_t i, n = 0, ndiff = 0;
	row *rows;

	flatten(old, &a);
	flatten(new, &b);
	rows = calloc(a.n + b.n + 1, sizeof *rows);
	for (i = 0; rows && i < b.n; i++) {
		int d = compare(&rows[n], b.e[i].key, find(&a, b.e[i].key),
				&b.e[i]);

		ndiff += d;
		if (d || all)
			n++;
	}
	for (i = 0; rows && i < a.n; i++)
		if (find(&b, a.e[i].key) == NULL) {
			compare(&rows[n++], a.e[i].key, &a.e[i], NULL);
			ndiff++;
		}
	if (n)
		print_rows(fp, rows, n);
	free(rows);
	ents_free(&a);
	ents_free(&b);
	return ndiff;
}
