/* config - config.yaml: one typed schema table, defaults, overrides */
#ifndef FC_CONFIG_H
#define FC_CONFIG_H

#include <stddef.h>

#include "err.h"

/*
 * Every key fc knows is one row of a schema table in config.c: its dotted
 * path, type, default, range and one-line doc. The table is the only
 * source of defaults; fc-config(5) documents it and `fc-config keys`
 * prints it. A loaded config holds a value for every key: absent keys take
 * their defaults. Strings returned by the getters belong to the config and
 * live until fc_config_free.
 *
 * Getters take a full dotted key ("clean.impute.target"). Asking for a key
 * that is not in the table, or with the wrong type, is a programming error:
 * the getter aborts (assert) rather than return a made-up value.
 */
typedef struct fc_config fc_config;

typedef enum {
	FC_CT_STRING,   /* any string */
	FC_CT_ENUM,     /* one string out of a fixed list */
	FC_CT_INT,      /* integer in [min, max] */
	FC_CT_NUMBER,   /* finite double in [min, max] */
	FC_CT_BOOL,
	FC_CT_LIST,     /* list of strings (or numbers, kept as text) */
	FC_CT_MAP,      /* map of string to string, e.g. load.columns */
	FC_CT_TREE      /* any YAML below the key: lists of maps and so on */
} fc_ctype;

/* One row of the schema table, as `fc-config keys` and the man page show. */
typedef struct fc_ckey {
	const char *key;       /* "clean.impute.target" */
	fc_ctype type;
	const char *def;       /* default: literal text for STRING and
				  ENUM, YAML text for the others */
	const char *range;     /* enum values "a|b|c", "0-1000", MAP value
				  types, "model names", "non-empty",
				  "one byte", TREE "list of maps" or "map",
				  or NULL */
	double min, max;       /* INT and NUMBER bounds; STRING length
				  bounds in bytes (max 0: no bound) */
	const char *doc;       /* one line, lowercase, no final period */
} fc_ckey;

/* The schema table and its length. */
const fc_ckey *fc_config_keys(size_t *n);

/* The row of `key` ("clean.impute.target"), or NULL when there is none. */
const fc_ckey *fc_config_key(const char *key);

/* runtime.threads resolved: 0 is the number of CPUs online; at least 1. */
int fc_config_threads(const fc_config *cfg);

/* The name of a type as `fc-config keys` prints it: "string", "int" ... */
const char *fc_config_type_name(fc_ctype t);

/*
 * Load `path` (NULL: "config.yaml" when it exists, else defaults only;
 * "": defaults only), then apply each override "key.path=value" in order.
 * The value of a STRING or ENUM key is taken literally ("load.source=-");
 * any other value is parsed as YAML, so "load.na_values=[NA,-]" gives a
 * list; "clean.impute={target: zero}" sets keys of a group. Unknown keys,
 * wrong types, values out of range and YAML syntax errors fail with
 * FC_EX_CONFIG and an error naming file, line and key ("config.yaml:12:
 * unknown key 'clean.imputee'"; overrides name the file "-s", no line); an
 * override without '=' fails with FC_EX_USAGE; a missing or unreadable
 * file fails with FC_EX_NOINPUT. On success *out owns the config (free
 * with fc_config_free) and 0 is returned; on failure *out is NULL.
 */
int fc_config_load(fc_config **out, const char *path,
		   char *const *overrides, size_t noverrides, fc_err *err);

/* Free a config; NULL is a no-op. */
void fc_config_free(fc_config *c);

/* The file the config came from ("" for defaults only). */
const char *fc_config_file(const fc_config *c);

const char *fc_config_str(const fc_config *c, const char *key); /* STRING/ENUM */
long fc_config_int(const fc_config *c, const char *key);
double fc_config_num(const fc_config *c, const char *key);
int fc_config_bool(const fc_config *c, const char *key);

/* LIST: number of items; *items points at them (owned by the config). */
size_t fc_config_list(const fc_config *c, const char *key,
		      const char *const **items);

/* MAP: number of pairs, in file order; keys and values owned by config. */
size_t fc_config_map(const fc_config *c, const char *key,
		     const char *const **keys, const char *const **values);

/*
 * A TREE value: the YAML below a key, kept with the line each node was
 * read from. A scalar has text; a list has n kids; a map has n keys and
 * n kids, in file order (no key twice). Nodes belong to the config.
 */
typedef enum { FC_CN_SCALAR, FC_CN_LIST, FC_CN_MAP } fc_cn_kind;

typedef struct fc_cnode {
	fc_cn_kind kind;
	char *text;             /* SCALAR: the text ("" for null) */
	size_t n;               /* LIST, MAP: number of kids */
	char **key;             /* MAP: the keys */
	struct fc_cnode *kid;   /* LIST, MAP: the kids */
	long line;              /* line in the config file; 0: default or -s */
} fc_cnode;

/* TREE: the root node (a LIST or MAP, maybe with no kids). */
const fc_cnode *fc_config_tree(const fc_config *c, const char *key);

/* The kid of map node m under `key`, or NULL (also when m is no map). */
const fc_cnode *fc_cnode_get(const fc_cnode *m, const char *key);

/*
 * Where a key's value came from, for error records: the config file's
 * name when the file set it, "-s" for an override, "" for the default.
 */
const char *fc_config_origin(const fc_config *c, const char *key);

/*
 * A config error of key `key`, at node n's line (n NULL: no line) of the
 * file it came from: "key 'KEY': MESSAGE". Sets err and returns
 * FC_EX_CONFIG.
 */
int fc_config_fail(const fc_config *cfg, fc_err *err, const char *key,
		   const fc_cnode *n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * The canonical text of one block ("clean"; a group such as
 * "clean.impute" works too) or of the whole config (block NULL) with every
 * default filled in: YAML in block style, two-space indent; blocks in
 * schema-table order, the keys of a block sorted by name at every level;
 * lists in flow style in their order, maps in flow style sorted by key;
 * strings quoted only where YAML needs it; numbers in the shortest form
 * that reads back to the same double - the same bytes whatever the file's
 * formatting, key order or comments. Returns a malloc'd string the caller
 * frees, or NULL with FC_EX_CONFIG for an unknown block.
 */
char *fc_config_show(const fc_config *c, const char *block, fc_err *err);

/*
 * The canonical YAML of one key's value, as fc_config_show writes it
 * ("linear", "'NA'", "[a, b]", "{a: number}"). Returns a malloc'd string
 * the caller frees, or NULL with FC_EX_CONFIG for an unknown key.
 */
char *fc_config_text(const fc_config *c, const char *key, fc_err *err);

#endif
