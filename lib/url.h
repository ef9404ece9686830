/* url - source URLs: percent-decoding, query parameters, secret-free names */
#ifndef FC_URL_H
#define FC_URL_H

#include <stddef.h>

#include "err.h"

/*
 * Decode %XX escapes of s in place; with plus set, '+' is a space (form
 * encoding). Returns 0, or -1 on a bad escape ("%" not followed by two
 * hex digits) or an escaped NUL, leaving s undefined.
 */
int fc_url_decode(char *s, int plus);

/* One parameter of a query string, decoded. */
typedef struct fc_url_param {
	char *name, *value;
} fc_url_param;

/*
 * Split a query string ("a=1&b=x+y", the text after '?') into its
 * parameters, decoded with '+' as a space, in order. A parameter without
 * '=' has an empty value; empty pieces ("a=1&&b=2") are skipped. Returns
 * 0 with *params (free with fc_url_params_free) and *n set, or
 * FC_EX_USAGE for a bad escape, with err naming `name` (a source name
 * for messages) and the parameter.
 */
int fc_url_params(const char *query, const char *name, fc_url_param **params,
		  size_t *n, fc_err *err);

/* Free what fc_url_params returned; NULL is a no-op. */
void fc_url_params_free(fc_url_param *params, size_t n);

/*
 * Whether a parameter name is one that carries secrets: it is key, sig
 * or code, or holds token, secret, passw, pwd, apikey, api_key, auth,
 * signature, credential or session, in any case.
 */
int fc_url_secret_name(const char *name);

/*
 * A copy of url fit for messages and sidecars: the user information of
 * "scheme://user:password@host" is dropped and the value of every query
 * parameter with a secret name (fc_url_secret_name) becomes REDACTED.
 * Returns a malloc'd string the caller frees, or NULL when out of memory.
 */
char *fc_url_redact(const char *url);

/*
 * The start and length of the user information of "scheme://USERINFO@host"
 * in url, or NULL when there is none. *has_password says whether it holds
 * a ':' (user:password).
 */
const char *fc_url_userinfo(const char *url, size_t *len, int *has_password);

#endif
