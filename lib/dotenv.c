/* dotenv - credentials from the environment or a .env file */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"

struct fc_dotenv {
	char **key, **val;
	size_t n;
};

static int
is_key_char(int c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static char *
skip_space(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Unquote a "double quoted" value in place from p (after the quote):
 * returns its start and sets *end after the closing quote, or returns
 * NULL when the quote is unterminated. */
static char *
double_quoted(char *p, char **end)
{
	char *w = p, *start = p;

	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			switch (*++p) {
			case 'n':
				*w++ = '\n';
				break;
			case 't':
				*w++ = '\t';
				break;
			case 'r':
				*w++ = '\r';
				break;
			case '"':
			case '\\':
			case '$':
				*w++ = *p;
				break;
			default: /* not an escape: keep both */
				*w++ = '\\';
				*w++ = *p;
			}
			continue;
		}
		*w++ = *p;
	}
	if (*p != '"')
		return NULL;
	*w = '\0';
	*end = p + 1;
	return start;
}

/* The value of a line from p (after "="), NUL-terminated in place, or
 * NULL when a quote is unterminated or text follows it. */
static char *
parse_value(char *p)
{
	char *v, *end, *q;

	p = skip_space(p);
	if (*p == '\'') {
		if ((end = strchr(p + 1, '\'')) == NULL)
			return NULL;
		*end++ = '\0';
		v = p + 1;
	} else if (*p == '"') {
		if ((v = double_quoted(p + 1, &end)) == NULL)
			return NULL;
	} else {
		for (q = p; *q != '\0'; q++)
			if (*q == '#' && (q == p || q[-1] == ' ' || q[-1] == '\t'))
				break;
		*q = '\0';
		while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
			*--q = '\0';
		return p;
	}
	end = skip_space(end);
	if (*end != '\0' && *end != '#')
		return NULL;
	return v;
}

static void
wipe(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Add or replace key. Returns 0 or -1 when out of memory. */
static int
put(fc_dotenv *env, const char *key, const char *val)
{
	char **k, **v, *vv;
	size_t i;

	if ((vv = strdup(val)) == NULL)
		return -1;
	for (i = 0; i < env->n; i++)
		if (strcmp(env->key[i], key) == 0) {
			wipe(env->val[i]);
			env->val[i] = vv;
			return 0;
		}
	k = realloc(env->key, (env->n + 1) * sizeof *k);
	if (k != NULL)
		env->key = k;
	v = realloc(env->val, (env->n + 1) * sizeof *v);
	if (v != NULL)
		env->val = v;
	if (k == NULL || v == NULL || (env->key[env->n] = strdup(key)) == NULL) {
		wipe(vv);
		return -1;
	}
	env->val[env->n++] = vv;
	return 0;
}

/* Parse one line (no newline) into env. Returns 0, 1 for a syntax error
 * or -1 when out of memory. */
static int
parse_line(fc_dotenv *env, char *line)
{
	char *p = skip_space(line), *key, *val;

	if (*p == '\0' || *p == '#')
		return 0;
	if (strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t'))
		p = skip_space(p + 6);
	key = p;
	if (!is_key_char((unsigned char)*p, 1))
		return 1;
	while (is_key_char((unsigned char)*p, 0))
		p++;
	val = skip_space(p);
	if (*val != '=')
		return 1;
	*p = '\0';
	if ((val = parse_value(val + 1)) == NULL)
		return 1;
	return put(env, key, val);
}

int
fc_dotenv_load(fc_dotenv **out, const char *path, fc_err *err)
{
	fc_dotenv *env;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	FILE *fp;
	int st = 0, r;

	*out = NULL;
	if ((env = calloc(1, sizeof *env)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, NULL, 0, "out of memory");
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT) {
			*out = env;
			return 0;
		}
		free(env);
		return fc_err_set(err, FC_EX_NOINPUT, path, 0,
				  "cannot open: %s", strerror(errno));
	}
	while (st == 0 && (len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if ((r = parse_line(env, line)) > 0)
			st = fc_err_set(err, FC_EX_CONFIG, path, lineno,
					"expected KEY=VALUE (a quote may be "
					"unterminated)");
		else if (r < 0)
			st = fc_err_set(err, FC_EX_SOFTWARE, path, lineno,
					"out of memory");
	}
	if (st == 0 && ferror(fp))
		st = fc_err_set(err, FC_EX_IOERR, path, 0, "read error: %s",
				strerror(errno ? errno : EIO));
	if (line != NULL)
		explicit_bzero(line, cap);
	free(line);
	fclose(fp);
	if (st != 0) {
		fc_dotenv_free(env);
		return st;
	}
	*out = env;
	return 0;
}

const char *
fc_dotenv_get(const fc_dotenv *env, const char *key)
{
	const char *v = getenv(key);
	size_t i;

	if (v != NULL || env == NULL)
		return v;
	for (i = 0; i < env->n; i++)
		if (strcmp(env->key[i], key) == 0)
			return env->val[i];
	return NULL;
}

void
fc_dotenv_free(fc_dotenv *env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; i < env->n; i++) {
		free(env->key[i]);
		wipe(env->val[i]);
	}
	free(env->key);
	free(env->val);
	free(env);
}
