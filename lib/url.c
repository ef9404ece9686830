/* url - source URLs: percent-decoding, query parameters, secret-free names */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
fc_url_decode(char *s, int plus)
{
	char *w = s;
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '%') {
			if ((hi = hex((unsigned char)s[1])) < 0 ||
			    (lo = hex((unsigned char)s[2])) < 0 ||
			    hi * 16 + lo == 0)
				return -1;
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*w++ = plus && *s == '+' ? ' ' : *s;
		}
	}
	*w = '\0';
	return 0;
}

void
fc_url_params_free(fc_url_param *p, size_t n)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < n; i++)
		free(p[i].name); /* value lives in the same block */
	free(p);
}

/* Decode one "name=value" piece of len bytes into p. 0, -1 out of
 * memory, 1 bad escape. */
static int
param(const char *piece, size_t len, fc_url_param *p)
{
	char *buf = malloc(len + 2), *eq;

	if (buf == NULL)
		return -1;
	memcpy(buf, piece, len);
	buf[len] = '\0';
	buf[len + 1] = '\0';
	p->name = buf;
	if ((eq = strchr(buf, '=')) != NULL) {
		*eq = '\0';
		p->value = eq + 1;
	} else {
		p->value = buf + len + 1;
	}
	return fc_url_decode(p->name, 1) != 0 || fc_url_decode(p->value, 1) != 0;
}

int
fc_url_params(const char *query, const char *name, fc_url_param **out,
	      size_t *n, fc_err *err)
{
	fc_url_param *p = NULL, *np;
	const char *s = query, *amp;
	size_t k = 0, len;
	int r;

	*out = NULL;
	*n = 0;
	for (; *s != '\0'; s = *amp ? amp + 1 : amp) {
		amp = s + strcspn(s, "&");
		if ((len = (size_t)(amp - s)) == 0)
			continue;
		if ((np = realloc(p, (k + 1) * sizeof *p)) == NULL) {
			fc_url_params_free(p, k);
			return fc_err_set(err, FC_EX_SOFTWARE, name, 0,
					  "out of memory");
		}
		p = np;
		r = param(s, len, &p[k]);
		if (r < 0) {
			fc_url_params_free(p, k);
			return fc_err_set(err, FC_EX_SOFTWARE, name, 0,
					  "out of memory");
		}
		k++;
		if (r > 0) {
			fc_url_params_free(p, k);
			return fc_err_set(err, FC_EX_USAGE, name, 0,
					  "bad percent escape in parameter "
					  "'%.*s'", (int)strcspn(s, "=&"), s);
		}
	}
	*out = p;
	*n = k;
	return 0;
}

int
fc_url_secret_name(const char *name)
{
	static const char *const exact[] = { "key", "sig", "code" };
	static const char *const part[] = {
		"token", "secret", "passw", "pwd", "apikey", "api_key",
		"auth", "signature", "credential", "session"
	};
	char low[64];
	size_t i;

	for (i = 0; i < sizeof low - 1 && name[i] != '\0'; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(low, exact[i]) == 0)
			return 1;
	for (i = 0; i < sizeof part / sizeof part[0]; i++)
		if (strstr(low, part[i]) != NULL)
			return 1;
	return 0;
}

const char *
fc_url_userinfo(const char *url, size_t *len, int *has_password)
{
	const char *auth = strstr(url, "://"), *end, *at = NULL, *p;

	if (auth == NULL)
		return NULL;
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return NULL;
	*len = (size_t)(at - auth);
	*has_password = memchr(auth, ':', *len) != NULL;
	return auth;
}

/* Append n bytes of s to the buffer at *w. */
static char *
put(char *w, const char *s, size_t n)
{
	memcpy(w, s, n);
	return w + n;
}

char *
fc_url_redact(const char *url)
{
	static const char redacted[] = "REDACTED";
	size_t ulen, n = strlen(url), len, nlen;
	const char *ui, *q, *s, *amp, *hash;
	char *out, *w, name[64];
	int pw;

	/* every value could become REDACTED: at most n pieces */
	if ((out = malloc(n * (sizeof redacted) + 1)) == NULL)
		return NULL;
	w = out;
	if ((ui = fc_url_userinfo(url, &ulen, &pw)) != NULL) {
		w = put(w, url, (size_t)(ui - url));
		url = ui + ulen + 1;
	}
	q = strchr(url, '?');
	hash = strchr(url, '#');
	if (q == NULL || (hash != NULL && hash < q)) {
		memcpy(w, url, strlen(url) + 1);
		return out;
	}
	w = put(w, url, (size_t)(q - url) + 1);
	for (s = q + 1; *s != '\0' && *s != '#'; s = amp) {
		amp = s + strcspn(s, "&#");
		len = (size_t)(amp - s);
		nlen = strcspn(s, "=&#");
		snprintf(name, sizeof name, "%.*s", (int)nlen, s);
		fc_url_decode(name, 1);
		if (nlen < len && fc_url_secret_name(name)) {
			w = put(w, s, nlen + 1);
			w = put(w, redacted, sizeof redacted - 1);
		} else {
			w = put(w, s, len);
		}
		if (*amp == '&')
			*w++ = *amp++;
	}
	memcpy(w, s, strlen(s) + 1);
	return out;
}
