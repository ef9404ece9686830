/* sim - what-if scenarios, sensitivity and sample paths of fc-sim */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "csvio.h"
#include "sim.h"
#include "timeutil.h"
#include "value.h"

#define MAX_SCEN 256
#define MAX_CHANGES 256
#define MAX_SENS 64
#define MAX_WARN 256

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SET };

/* One change of a scenario. */
typedef struct change {
	const char *column;
	int op;
	double value;
	const fc_cnode *ids;    /* NULL: every series */
	fc_time from, to;
	int has_from, has_to;
	int target;             /* column is the target: a shock */
	size_t missing;         /* series whose model lacks the column */
	int warned;             /* out of range, once */
} change;

typedef struct scenario {
	const char *name;
	change *ch;
	size_t nch;
} scenario;

struct fc_sim {
	scenario sc[MAX_SCEN];
	size_t nsc;
	const char *target;
	const char *sens_col;
	double sens[MAX_SENS];
	size_t nsens;
	long paths;
	unsigned long seed;
	const fc_cnode *thresholds;
	/* during a run */
	const fc_predict_opts *o;
	FILE *out;
	cJSON *warnings, *sens_json, *paths_json;
	size_t nwarn;
};

/* ---- config ---- */


static const char *
node_str(const fc_cnode *n)
{
	return n && n->kind == FC_CN_SCALAR && n->text[0] ? n->text : NULL;
}

static int
node_num(const fc_cnode *n, double *x)
{
	if (n == NULL || n->kind != FC_CN_SCALAR ||
	    fc_num_parse(n->text, strlen(n->text), x, NULL) != 0)
		return -1;
	return isfinite(*x) ? 0 : -1;
}

/* Every key of map m is one of allowed (NULL-terminated). */
static int
only_keys(const fc_config *cfg, fc_err *err, const char *key,
	  const fc_cnode *m, const char *const *allowed)
{
	size_t i, j;

	for (i = 0; i < m->n; i++) {
		for (j = 0; allowed[j] && strcmp(allowed[j], m->key[i]) != 0; j++)
			;
		if (allowed[j] == NULL)
			return fc_config_fail(cfg, err, key, &m->kid[i],
				     "unknown name '%s'", m->key[i]);
	}
	return 0;
}

static int
read_time(const fc_config *cfg, fc_err *err, const char *key,
	  const fc_cnode *n, fc_time *t, int *has)
{
	const char *s = node_str(n);

	*has = 0;
	if (n == NULL)
		return 0;
	if (s == NULL || fc_time_parse(s, strlen(s), NULL, t, NULL) != 0)
		return fc_config_fail(cfg, err, key, n, "'%s' is not a date",
			     n->text ? n->text : "");
	*has = 1;
	return 0;
}

static int
read_where(const fc_config *cfg, fc_err *err, const char *key,
	   const fc_cnode *w, change *c)
{
	static const char *const keys[] = { "unique_id", "from", "to", NULL };
	const fc_cnode *ids;
	size_t i;

	if (w == NULL)
		return 0;
	if (w->kind != FC_CN_MAP)
		return fc_config_fail(cfg, err, key, w, "where must be a map");
	if (only_keys(cfg, err, key, w, keys))
		return err->status;
	if ((ids = fc_cnode_get(w, "unique_id")) != NULL) {
		if (ids->kind == FC_CN_MAP)
			return fc_config_fail(cfg, err, key, ids, "unique_id must be "
				     "a list of ids");
		for (i = 0; ids->kind == FC_CN_LIST && i < ids->n; i++)
			if (ids->kid[i].kind != FC_CN_SCALAR)
				return fc_config_fail(cfg, err, key, &ids->kid[i],
					     "unique_id must be a list of "
					     "ids");
		c->ids = ids;
	}
	if (read_time(cfg, err, key, fc_cnode_get(w, "from"), &c->from,
		      &c->has_from) ||
	    read_time(cfg, err, key, fc_cnode_get(w, "to"), &c->to,
		      &c->has_to))
		return err->status;
	return 0;
}

static int
read_change(const fc_config *cfg, fc_err *err, const char *key,
	    const fc_cnode *m, change *c, const char *target)
{
	static const char *const keys[] = { "column", "op", "value", "where",
					    NULL };
	static const char *const ops[] = { "add", "sub", "mul", "div", "set" };
	const char *op;
	size_t i;

	if (m->kind != FC_CN_MAP)
		return fc_config_fail(cfg, err, key, m, "a change must be a map");
	if (only_keys(cfg, err, key, m, keys))
		return err->status;
	if ((c->column = node_str(fc_cnode_get(m, "column"))) == NULL)
		return fc_config_fail(cfg, err, key, m, "a change needs a column");
	op = node_str(fc_cnode_get(m, "op"));
	for (i = 0; op && i < 5 && strcmp(op, ops[i]) != 0; i++)
		;
	if (op == NULL || i == 5)
		return fc_config_fail(cfg, err, key, fc_cnode_get(m, "op") ?
			     fc_cnode_get(m, "op") : m, "op '%s' is not one "
			     "of add|sub|mul|div|set", op ? op : "");
	c->op = (int)i;
	if (node_num(fc_cnode_get(m, "value"), &c->value) != 0)
		return fc_config_fail(cfg, err, key, fc_cnode_get(m, "value") ?
			     fc_cnode_get(m, "value") : m,
			     "value must be a number");
	if (c->op == OP_DIV && c->value == 0)
		return fc_config_fail(cfg, err, key, fc_cnode_get(m, "value"),
			     "division by 0");
	c->target = strcmp(c->column, target) == 0 ||
		    strcmp(c->column, "target") == 0;
	return read_where(cfg, err, key, fc_cnode_get(m, "where"), c);
}

static int
read_scenario(const fc_config *cfg, fc_err *err, const char *key,
	      const fc_cnode *m, scenario *s, const char *target)
{
	static const char *const keys[] = { "name", "changes", NULL };
	const fc_cnode *ch;
	size_t i;

	if (only_keys(cfg, err, key, m, keys))
		return err->status;
	if ((s->name = node_str(fc_cnode_get(m, "name"))) == NULL)
		return fc_config_fail(cfg, err, key, m, "a scenario needs a name");
	if (strcmp(s->name, "baseline") == 0)
		return fc_config_fail(cfg, err, key, fc_cnode_get(m, "name"),
			     "'baseline' is the scenario without changes");
	ch = fc_cnode_get(m, "changes");
	if (ch == NULL || ch->kind != FC_CN_LIST || ch->n == 0 ||
	    ch->n > MAX_CHANGES)
		return fc_config_fail(cfg, err, key, ch ? ch : m, "scenario '%s': "
			     "changes must be a list of 1-%d changes",
			     s->name, MAX_CHANGES);
	if ((s->ch = calloc(ch->n, sizeof *s->ch)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	for (i = 0; i < ch->n; i++, s->nch++)
		if (read_change(cfg, err, key, &ch->kid[i], &s->ch[i], target))
			return err->status;
	return 0;
}

static int
read_sensitivity(fc_sim *s, const fc_config *cfg, fc_err *err)
{
	static const char *const keys[] = { "column", "values", NULL };
	const char *key = "simulate.sensitivity";
	const fc_cnode *t = fc_config_tree(cfg, key), *v;
	size_t i;

	if (t->n == 0)
		return 0;
	if (only_keys(cfg, err, key, t, keys))
		return err->status;
	if ((s->sens_col = node_str(fc_cnode_get(t, "column"))) == NULL)
		return fc_config_fail(cfg, err, key, t, "a column is needed");
	v = fc_cnode_get(t, "values");
	if (v == NULL || v->kind != FC_CN_LIST || v->n == 0 ||
	    v->n > MAX_SENS)
		return fc_config_fail(cfg, err, key, v ? v : t, "values must be a "
			     "list of 1-%d relative changes", MAX_SENS);
	for (i = 0; i < v->n; i++, s->nsens++)
		if (node_num(&v->kid[i], &s->sens[i]) != 0 ||
		    s->sens[i] == 0 || !(s->sens[i] > -1))
			return fc_config_fail(cfg, err, key, &v->kid[i], "'%s' is not "
				     "a relative change above -1 and not 0",
				     v->kid[i].text ? v->kid[i].text : "");
	return 0;
}

static int
read_thresholds(fc_sim *s, const fc_config *cfg, fc_err *err)
{
	const char *key = "simulate.thresholds";
	const fc_cnode *t = fc_config_tree(cfg, key);
	double x;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (node_num(&t->kid[i], &x) != 0)
			return fc_config_fail(cfg, err, key, &t->kid[i], "threshold of "
				     "'%s' must be a number", t->key[i]);
	s->thresholds = t;
	return 0;
}

int
fc_sim_new(const fc_config *cfg, fc_sim **out, fc_err *err)
{
	const char *key = "simulate.scenarios";
	const fc_cnode *t = fc_config_tree(cfg, key);
	fc_sim *s;
	size_t i, j;

	*out = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	s->target = fc_config_str(cfg, "schema.target");
	s->paths = fc_config_int(cfg, "simulate.paths");
	s->seed = (unsigned long)fc_config_int(cfg, "project.seed");
	if (t->n > MAX_SCEN) {
		fc_sim_free(s);
		return fc_config_fail(cfg, err, key, t, "more than %d scenarios",
			     MAX_SCEN);
	}
	for (i = 0; i < t->n; i++, s->nsc++) {
		if (read_scenario(cfg, err, key, &t->kid[i], &s->sc[i],
				  s->target)) {
			s->nsc++;
			fc_sim_free(s);
			return err->status;
		}
		for (j = 0; j < i; j++)
			if (s->sc[j].name && s->sc[i].name &&
			    strcmp(s->sc[j].name, s->sc[i].name) == 0) {
				int rc = fc_config_fail(cfg, err, key, &t->kid[i],
					       "scenario '%s' given twice",
					       s->sc[i].name);

				s->nsc++;
				fc_sim_free(s);
				return rc;
			}
	}
	if (read_sensitivity(s, cfg, err) || read_thresholds(s, cfg, err)) {
		fc_sim_free(s);
		return err->status;
	}
	*out = s;
	return 0;
}

void
fc_sim_free(fc_sim *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nsc; i++)
		free(s->sc[i].ch);
	free(s);
}

/* ---- one series ---- */

static cJSON *
num(double x)
{
	char buf[64];

	if (!isfinite(x))
		return cJSON_CreateNull();
	fc_num_format(x, buf);
	return cJSON_CreateRaw(buf);
}

static void
warn(fc_sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(fc_sim *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (s->nwarn++ >= MAX_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(s->warnings, cJSON_CreateString(msg));
}

static int
applies(const change *c, const char *id, fc_time t)
{
	size_t i;

	if (c->has_from && t.v < c->from.v)
		return 0;
	if (c->has_to && t.v > c->to.v)
		return 0;
	if (c->ids == NULL)
		return 1;
	if (c->ids->kind == FC_CN_SCALAR)
		return strcmp(c->ids->text, id) == 0;
	for (i = 0; i < c->ids->n; i++)
		if (strcmp(c->ids->kid[i].text, id) == 0)
			return 1;
	return 0;
}

static double
apply_op(int op, double x, double v)
{
	switch (op) {
	case OP_ADD: return x + v;
	case OP_SUB: return x - v;
	case OP_MUL: return x * v;
	case OP_DIV: return x / v;
	default: return v;
	}
}

static size_t
column_of(const fc_pred *p, const char *name)
{
	size_t j;

	for (j = 0; j < p->p && strcmp(p->xname[j], name) != 0; j++)
		;
	return j;
}

static void
range_check(fc_sim *s, const scenario *sc, change *c, const fc_pred *p,
	    size_t j, double v)
{
	char a[64], lo[64], hi[64];

	if (c->warned || !(v < p->xmin[j] || v > p->xmax[j]))
		return;
	c->warned = 1;
	fc_num_format(v, a);
	fc_num_format(p->xmin[j], lo);
	fc_num_format(p->xmax[j], hi);
	warn(s, "scenario '%s': column '%s' value %s outside the training "
	     "range [%s, %s]", sc->name, c->column, a, lo, hi);
}

/* The drivers of scenario sc for series p into xs; 1 when one changed. */
static int
scenario_drivers(fc_sim *s, scenario *sc, const fc_pred *p, double *xs)
{
	size_t k, i, j;
	int changed = 0;

	if (p->p > 0)
		memcpy(xs, p->xf, p->h * p->p * sizeof *xs);
	for (k = 0; k < sc->nch; k++) {
		change *c = &sc->ch[k];
		int hit = 0;

		if (c->target)
			continue;
		j = column_of(p, c->column);
		for (i = 0; i < p->h; i++) {
			if (!applies(c, p->id, p->t[i]))
				continue;
			hit = 1;
			if (j == p->p)
				continue;
			xs[i * p->p + j] = apply_op(c->op, xs[i * p->p + j],
						    c->value);
			range_check(s, sc, c, p, j, xs[i * p->p + j]);
			changed = 1;
		}
		if (hit && j == p->p)
			c->missing++;
	}
	return changed;
}

/* Shocks of the target: on the forecast path and its bounds. */
static void
shocks(const scenario *sc, const fc_pred *p, size_t nl, double *mean,
       double *lo, double *hi)
{
	size_t k, i, l;
	double m0;

	for (k = 0; k < sc->nch; k++) {
		const change *c = &sc->ch[k];

		if (!c->target)
			continue;
		for (i = 0; i < p->h; i++) {
			if (!applies(c, p->id, p->t[i]))
				continue;
			m0 = mean[i];
			mean[i] = apply_op(c->op, m0, c->value);
			for (l = 0; l < nl; l++) {
				double *a = &lo[l * p->h + i];
				double *b = &hi[l * p->h + i];

				if (c->op == OP_MUL || c->op == OP_DIV) {
					*a = apply_op(c->op, *a, c->value);
					*b = apply_op(c->op, *b, c->value);
					if (*a > *b) {
						double t = *a;

						*a = *b;
						*b = t;
					}
				} else {
					*a += mean[i] - m0;
					*b += mean[i] - m0;
				}
			}
		}
	}
}

static void
write_rows(fc_sim *s, const fc_pred *p, const char *name,
	   const double *mean, const double *lo, const double *hi,
	   const double *base)
{
	size_t i, l, nl = s->o->nlevels, len;
	char tb[48];
	FILE *out = s->out;

	for (i = 0; i < p->h; i++) {
		fc_csv_put(out, p->id, strlen(p->id), ',');
		fputc(',', out);
		len = fc_time_format(p->t[i], tb, sizeof tb);
		fc_csv_put(out, tb, len, ',');
		fputc(',', out);
		fc_csv_put(out, name, strlen(name), ',');
		fputc(',', out);
		fc_csv_put_num(out, mean[i]);
		for (l = 0; l < nl; l++) {
			fputc(',', out);
			fc_csv_put_num(out, lo[l * p->h + i]);
			fputc(',', out);
			fc_csv_put_num(out, hi[l * p->h + i]);
		}
		fputc(',', out);
		fc_csv_put_num(out, base[i]);
		fputc(',', out);
		fc_csv_put_num(out, mean[i] - base[i]);
		fputc(',', out);
		fc_csv_put_num(out, base[i] != 0 ? 100 * (mean[i] - base[i]) /
				    base[i] : NAN);
		fputc('\n', out);
	}
}

static double
total(const double *x, size_t h)
{
	double t = 0;
	size_t i;

	for (i = 0; i < h; i++)
		t += x[i];
	return t;
}

/* %Δ of the horizon total per relative change of the sensitivity column. */
static int
sensitivity(fc_sim *s, const fc_pred *p, const double *base, double *xs,
	    double *mean, double *sd, fc_err *err)
{
	cJSON *o = cJSON_CreateObject(), *a;
	size_t j = p->p ? column_of(p, s->sens_col) : 0, k, i;
	double t0 = total(base, p->h), t1, pct, df;

	cJSON_AddStringToObject(o, "unique_id", p->id);
	cJSON_AddStringToObject(o, "model", p->model);
	cJSON_AddBoolToObject(o, "driver", p->p > 0 && j < p->p);
	a = cJSON_AddArrayToObject(o, "changes");
	cJSON_AddItemToArray(s->sens_json, o);
	for (k = 0; k < s->nsens; k++) {
		cJSON *c = cJSON_CreateObject();

		if (p->p > 0)
			memcpy(xs, p->xf, p->h * p->p * sizeof *xs);
		for (i = 0; p->p > 0 && j < p->p && i < p->h; i++)
			xs[i * p->p + j] *= 1 + s->sens[k];
		if (fc_pred_forecast(p, xs, NULL, 0, mean, sd, &df, NULL,
				     NULL, err) != 0)
			return err->status;
		t1 = total(mean, p->h);
		pct = t0 != 0 ? 100 * (t1 - t0) / t0 : NAN;
		cJSON_AddItemToObject(c, "change", num(s->sens[k]));
		cJSON_AddItemToObject(c, "total_pct", num(pct));
		cJSON_AddItemToObject(c, "elasticity",
				      num(pct / (100 * s->sens[k])));
		cJSON_AddItemToArray(a, c);
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* R's default quantile (type 7) of sorted x[0..n). */
static double
quantile(const double *x, size_t n, double q)
{
	double h = (double)(n - 1) * q, f = floor(h);
	size_t i = (size_t)f;

	return i + 1 < n ? x[i] + (h - f) * (x[i + 1] - x[i]) : x[n - 1];
}

static unsigned long
seed_of(unsigned long seed, const char *id)
{
	uint32_t h = 2166136261u;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return (seed * 2654435761u) ^ h;
}

static const fc_cnode *
threshold_of(const fc_sim *s, const char *id)
{
	const fc_cnode *t = fc_cnode_get(s->thresholds, id);

	return t ? t : fc_cnode_get(s->thresholds, "*");
}

/* Sample paths of the baseline. A regression's own recursion: one draw
 * of the coefficients' error per path, shared by its steps, and
 * independent normal noise per step. Other models: independent steps from
 * the forecast distribution (normal, or Student t where the model says). */
static int
sample_paths(fc_sim *s, const fc_pred *p, const double *mean,
	     const double *sd, double df, fc_err *err)
{
	size_t n = (size_t)s->paths, k, i;
	double *tot = malloc(n * sizeof *tot), z, thr, s2 = NAN, cv = NAN;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	cJSON *o, *a;
	const fc_cnode *tn;
	int dist = 1;

	if (tot == NULL || r == NULL) {
		free(tot);
		gsl_rng_free(r);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	}
	for (i = 0; i < p->h; i++)
		dist &= isfinite(sd[i]);
	gsl_rng_set(r, seed_of(s->seed, p->id));
	if (p->p > 0)
		cv = fc_pred_total_covar(p, p->xf, &s2);
	for (k = 0; dist && isfinite(cv) && cv >= 0 && s2 >= 0 && k < n; k++) {
		tot[k] = total(mean, p->h) + sqrt(cv) * gsl_ran_ugaussian(r);
		for (i = 0; i < p->h; i++)
			tot[k] += sqrt(s2) * gsl_ran_ugaussian(r);
	}
	for (; k < n; k++) {
		tot[k] = 0;
		for (i = 0; i < p->h; i++) {
			z = !dist ? 0 : df > 0 ? gsl_ran_tdist(r, df) :
			    gsl_ran_ugaussian(r);
			tot[k] += mean[i] + (dist ? sd[i] * z : 0);
		}
	}
	qsort(tot, n, sizeof *tot, cmp_double);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "unique_id", p->id);
	cJSON_AddBoolToObject(o, "distribution", dist);
	cJSON_AddStringToObject(o, "paths", !dist ? "point forecast" :
				isfinite(cv) ? "regression" :
				"independent steps");
	cJSON_AddItemToObject(o, "total_mean", num(total(mean, p->h)));
	cJSON_AddItemToObject(o, "q5", num(quantile(tot, n, 0.05)));
	cJSON_AddItemToObject(o, "q50", num(quantile(tot, n, 0.5)));
	cJSON_AddItemToObject(o, "q95", num(quantile(tot, n, 0.95)));
	if ((tn = threshold_of(s, p->id)) != NULL &&
	    node_num(tn, &thr) == 0) {
		for (k = 0; k < n && tot[k] <= thr; k++)
			;
		a = cJSON_AddObjectToObject(o, "threshold");
		cJSON_AddItemToObject(a, "value", num(thr));
		cJSON_AddItemToObject(a, "p_exceed",
				      num((double)(n - k) / (double)n));
	}
	cJSON_AddItemToArray(s->paths_json, o);
	free(tot);
	gsl_rng_free(r);
	return 0;
}

static int
one_series(void *ctx, const fc_pred *p, fc_err *err)
{
	fc_sim *s = ctx;
	size_t h = p->h, nl = s->o->nlevels, k;
	double *b = calloc(h * 4 + 2 * nl * h * 2 + h * p->p + 1, sizeof *b);
	double *bsd, *m, *sd, *blo, *bhi, *lo, *hi, *xs, df = 0, df1;
	int rc = 0;

	if (b == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	bsd = b + h, m = bsd + h, sd = m + h, blo = sd + h;
	bhi = blo + nl * h, lo = bhi + nl * h, hi = lo + nl * h;
	xs = hi + nl * h;
	if ((rc = fc_pred_forecast(p, p->xf, s->o->levels, nl, b, bsd, &df,
				   blo, bhi, err)) != 0)
		goto out;
	write_rows(s, p, "baseline", b, blo, bhi, b);
	for (k = 0; k < s->nsc; k++) {
		scenario *sc = &s->sc[k];

		if (p->p > 0 && scenario_drivers(s, sc, p, xs)) {
			if ((rc = fc_pred_forecast(p, xs, s->o->levels, nl, m,
						   sd, &df1, lo, hi, err)))
				goto out;
		} else {
			if (p->p == 0)
				scenario_drivers(s, sc, p, xs);
			memcpy(m, b, h * sizeof *m);
			memcpy(lo, blo, nl * h * sizeof *lo);
			memcpy(hi, bhi, nl * h * sizeof *hi);
		}
		shocks(sc, p, nl, m, lo, hi);
		write_rows(s, p, sc->name, m, lo, hi, b);
	}
	if (s->sens_col &&
	    (rc = sensitivity(s, p, b, xs, m, sd, err)) != 0)
		goto out;
	if (s->paths > 0)
		rc = sample_paths(s, p, b, bsd, df, err);
out:
	free(b);
	return rc;
}

static void
write_header(FILE *out, const fc_predict_opts *o)
{
	char b[32];
	size_t i;

	fputs("unique_id,ds,scenario,yhat", out);
	for (i = 0; i < o->nlevels; i++) {
		fc_num_format(o->levels[i], b);
		fprintf(out, ",lo_%s,hi_%s", b, b);
	}
	fputs(",baseline,delta,delta_pct\n", out);
}

/* One warning per scenario and column that is no driver of some model. */
static void
driver_warnings(fc_sim *s)
{
	size_t k, c;

	for (k = 0; k < s->nsc; k++)
		for (c = 0; c < s->sc[k].nch; c++)
			if (s->sc[k].ch[c].missing > 0)
				warn(s, "scenario '%s': column '%s' is not a "
				     "driver of the model of %zu series "
				     "(univariate, or a regression without "
				     "it): their forecast does not change",
				     s->sc[k].name, s->sc[k].ch[c].column,
				     s->sc[k].ch[c].missing);
}

int
fc_sim_run(fc_sim *s, const cJSON *model, const fc_config *cfg,
	   const fc_predict_opts *o, FILE *out, cJSON **summary,
	   fc_predict_stats *st, fc_err *err)
{
	fc_predict_hook hook = { s, one_series };
	cJSON *sum = cJSON_CreateObject(), *a, *x;
	size_t k;
	int rc;

	*summary = NULL;
	if (sum == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0,
				  "out of memory");
	s->o = o;
	s->out = out;
	a = cJSON_AddArrayToObject(sum, "scenarios");
	cJSON_AddItemToArray(a, cJSON_CreateString("baseline"));
	for (k = 0; k < s->nsc; k++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s->sc[k].name));
	s->warnings = cJSON_AddArrayToObject(sum, "warnings");
	if (s->sens_col) {
		x = cJSON_AddObjectToObject(sum, "sensitivity");
		cJSON_AddStringToObject(x, "column", s->sens_col);
		s->sens_json = cJSON_AddArrayToObject(x, "series");
	}
	x = cJSON_AddObjectToObject(sum, "paths");
	cJSON_AddNumberToObject(x, "n", (double)s->paths);
	cJSON_AddNumberToObject(x, "seed", (double)s->seed);
	cJSON_AddStringToObject(x, "rng", "mt19937");
	s->paths_json = cJSON_AddArrayToObject(x, "series");
	write_header(out, o);
	rc = fc_predict_each(model, cfg, o, &hook, st, err);
	if (rc != 0) {
		cJSON_Delete(sum);
		return rc;
	}
	driver_warnings(s);
	*summary = sum;
	return 0;
}
