/* contract - a data contract: required columns and their types */
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "names.h"

struct fc_contract {
	size_t n;               /* contract columns */
	const char *const *name;
	fc_type *type;
	size_t *col;            /* header index of each contract column */
	fc_na na;
	const char *time_format;
	char *buf;              /* scratch for normalised values */
	size_t bufcap;
};

int
fc_contract_new(fc_contract **out, const fc_config *cfg, fc_err *err)
{
	fc_contract *c = calloc(1, sizeof *c);
	const char *const *types;
	size_t i;

	if (c == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	c->n = fc_config_map(cfg, "load.columns", &c->name, &types);
	c->type = calloc(c->n + 1, sizeof *c->type);
	c->col = calloc(c->n + 1, sizeof *c->col);
	if (c->type == NULL || c->col == NULL) {
		fc_contract_free(c);
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	}
	for (i = 0; i < c->n; i++) {
		int t = fc_type_parse(types[i]);

		if (t < 0) {
			fc_err_set(err, FC_EX_CONFIG, fc_config_file(cfg), 0,
				   "key 'load.columns': unknown type '%s' for "
				   "column '%s'", types[i], c->name[i]);
			fc_contract_free(c);
			return FC_EX_CONFIG;
		}
		c->type[i] = (fc_type)t;
	}
	{
		const char *const *tok;
		size_t n = fc_config_list(cfg, "load.na_values", &tok);

		fc_na_init(&c->na, tok, n);
	}
	c->time_format = fc_config_str(cfg, "schema.time_format");
	*out = c;
	return 0;
}

void
fc_contract_free(fc_contract *c)
{
	if (c == NULL)
		return;
	free(c->type);
	free(c->col);
	free(c->buf);
	free(c);
}

/* Index of the header column named `want`, exactly or by snake_case. */
static long
find_column(const fc_csv_row *hdr, const char *want)
{
	char snake[1024];
	size_t i, n;

	long k = fc_csv_find(hdr, want);

	if (k >= 0)
		return k;
	for (i = 0; i < hdr->n; i++) {
		n = fc_snake_case(hdr->f[i], hdr->len[i], snake, sizeof snake);
		if (n != (size_t)-1 && n > 0 && strcmp(snake, want) == 0)
			return (long)i;
	}
	return -1;
}

int
fc_contract_header(fc_contract *c, const fc_csv_row *hdr, const char *file,
		   fc_err *err)
{
	char a[1024], b[1024];
	size_t i, j, maxlen = 0;
	long k;

	for (i = 0; i < hdr->n; i++) {
		if (hdr->len[i] == 0)
			return fc_err_set(err, FC_EX_DATAERR, file, hdr->line,
					  "column %zu has no name", i + 1);
		if (hdr->len[i] > maxlen)
			maxlen = hdr->len[i];
		for (j = 0; j < i; j++) {
			size_t na = fc_snake_case(hdr->f[i], hdr->len[i], a, sizeof a);
			size_t nb = fc_snake_case(hdr->f[j], hdr->len[j], b, sizeof b);

			if (strcmp(hdr->f[i], hdr->f[j]) == 0)
				return fc_err_set(err, FC_EX_DATAERR, file,
					hdr->line, "duplicate column '%s'",
					hdr->f[i]);
			if (na == nb && na != (size_t)-1 && strcmp(a, b) == 0)
				return fc_err_set(err, FC_EX_DATAERR, file,
					hdr->line, "columns '%s' and '%s' have "
					"the same snake_case name '%s'",
					hdr->f[j], hdr->f[i], a);
		}
	}
	for (i = 0; i < c->n; i++) {
		if ((k = find_column(hdr, c->name[i])) < 0)
			return fc_err_set(err, FC_EX_DATAERR, file, hdr->line,
					  "missing column '%s' (required by "
					  "load.columns)", c->name[i]);
		c->col[i] = (size_t)k;
	}
	return 0;
}

size_t
fc_contract_row(fc_contract *c, const fc_csv_row *row, const char *file,
		int (*report)(void *ctx, const fc_err *e), void *ctx)
{
	size_t i, bad = 0, outlen;
	double num;
	fc_err e;

	for (i = 0; i < c->n; i++) {
		size_t len = row->len[c->col[i]];
		const char *s = fc_trim(row->f[c->col[i]], &len);

		if (fc_na_is(&c->na, s, len) || c->type[i] == FC_TYPE_STRING)
			continue;
		if (len + 64 > c->bufcap) {
			char *nb = realloc(c->buf, len + 64);
			if (nb == NULL)
				return bad + 1;
			c->buf = nb;
			c->bufcap = len + 64;
		}
		if (fc_value_normalize(c->type[i], s, len, c->time_format,
				       c->buf, &outlen, &num) == 0)
			continue;
		bad++;
		fc_err_set(&e, FC_EX_DATAERR, file, row->line,
			   "column '%s': %.*s", c->name[i], (int)outlen, c->buf);
		if (report(ctx, &e) != 0)
			break;
	}
	return bad;
}
