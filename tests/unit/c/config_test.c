/* config_test - the getters, overrides and error records of lib/config */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "check.h"

/* Load the defaults and `n` overrides; returns the status. */
static int
load(fc_config **c, char **ov, size_t n, fc_err *e)
{
	fc_err_clear(e);
	return fc_config_load(c, "", ov, n, e);
}

static void
test_defaults(void)
{
	const char *const *items;
	const char *const *k, *const *v;
	fc_config *c;
	fc_err e;

	CHECK(load(&c, NULL, 0, &e) == 0, "defaults load");
	CHECK(strcmp(fc_config_file(c), "") == 0, "no file");
	CHECK(strcmp(fc_config_str(c, "project.name"), "fc") == 0,
	      "project.name is fc");
	CHECK(fc_config_int(c, "load.max_errors") == 20, "max_errors is 20");
	CHECK(fc_config_num(c, "clean.outliers.iqr_k") == 1.5, "iqr_k is 1.5");
	CHECK(fc_config_bool(c, "clean.reindex") == 1, "reindex is true");
	CHECK(fc_config_list(c, "load.na_values", &items) == 9 &&
	      strcmp(items[0], "") == 0 && strcmp(items[8], "-") == 0,
	      "na_values has 9 items, '' first and '-' last");
	CHECK(fc_config_map(c, "load.columns", &k, &v) == 0, "no columns");
	fc_config_free(c);
}

static void
test_overrides(void)
{
	char *ov[] = {
		"load.columns={y: number, ds: date, id: string}",
		"load.na_values=[NA, '']",
		"clean.outliers.threshold=2.5",
		"clean.reindex=off",
		"load.source=-",
	};
	const char *const *items;
	const char *const *k, *const *v;
	fc_config *c;
	fc_err e;
	size_t n;

	CHECK(load(&c, ov, 5, &e) == 0, "overrides load: %s", e.msg);
	n = fc_config_map(c, "load.columns", &k, &v);
	CHECK(n == 3 && strcmp(k[0], "y") == 0 && strcmp(v[0], "number") == 0 &&
	      strcmp(k[2], "id") == 0 && strcmp(v[2], "string") == 0,
	      "a map keeps its pairs in file order");
	CHECK(fc_config_list(c, "load.na_values", &items) == 2 &&
	      strcmp(items[1], "") == 0, "a list from -s");
	CHECK(fc_config_num(c, "clean.outliers.threshold") == 2.5,
	      "a number from -s");
	CHECK(fc_config_bool(c, "clean.reindex") == 0, "off is false");
	CHECK(strcmp(fc_config_str(c, "load.source"), "-") == 0,
	      "a string from -s is literal");
	fc_config_free(c);
	fc_config_free(NULL);
}

static void
test_errors(void)
{
	char *bad_key[] = { "clean.imputee=zero" };
	char *bad_int[] = { "load.max_errors=0" };
	char *no_eq[] = { "clean.reindex" };
	fc_config *c = (fc_config *)&c;
	char *s;
	fc_err e;

	CHECK(load(&c, bad_key, 1, &e) == FC_EX_CONFIG && c == NULL &&
	      strcmp(e.file, "-s") == 0 && e.line == 0 &&
	      strcmp(e.msg, "unknown key 'clean.imputee' (did you mean "
		     "'clean.impute'?)") == 0,
	      "unknown key: %s", e.msg);
	CHECK(load(&c, bad_int, 1, &e) == FC_EX_CONFIG &&
	      strcmp(e.msg, "key 'load.max_errors': 0 is out of range "
		     "(1-1000000)") == 0, "out of range: %s", e.msg);
	CHECK(load(&c, no_eq, 1, &e) == FC_EX_USAGE, "no '=' is a usage error");
	fc_err_clear(&e);
	CHECK(fc_config_load(&c, "/nonexistent/config.yaml", NULL, 0, &e) ==
	      FC_EX_NOINPUT && strcmp(e.file, "/nonexistent/config.yaml") == 0,
	      "a missing file is FC_EX_NOINPUT");
	CHECK(load(&c, NULL, 0, &e) == 0, "defaults load again");
	s = fc_config_show(c, "cleen", &e);
	CHECK(s == NULL && e.status == FC_EX_CONFIG &&
	      strcmp(e.msg, "unknown block 'cleen'") == 0, "unknown block");
	s = fc_config_text(c, "load.na_values", &e);
	CHECK(s && strcmp(s, "['', NA, N/A, NaN, nan, 'null', 'NULL', None, "
			  "'-']") == 0, "text of a list: %s", s ? s : "NULL");
	free(s);
	fc_config_free(c);
}

static void
test_table(void)
{
	size_t n, i, bad = 0;
	const fc_ckey *k = fc_config_keys(&n);

	for (i = 0; i < n; i++)
		if (fc_config_key(k[i].key) != &k[i] || k[i].doc == NULL ||
		    k[i].doc[0] == '\0' ||
		    ((k[i].type == FC_CT_INT || k[i].type == FC_CT_NUMBER ||
		      k[i].type == FC_CT_ENUM) && k[i].range == NULL))
			bad++;
	CHECK(n > 0 && bad == 0, "every row is findable, documented, ranged");
	CHECK(fc_config_key("clean.impute") == NULL, "a group is not a key");
}

int
main(void)
{
	test_defaults();
	test_overrides();
	test_errors();
	test_table();
	return check_done();
}
