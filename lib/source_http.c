/* source_http - http:// and https:// URLs whose body is CSV, on libcurl */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "dotenv.h"
#include "source_conn.h"
#include "url.h"

/* One transfer: where the body goes, what the headers said. */
struct http {
	fc_source *s;
	char reason[128];       /* reason phrase of the last status line */
	char errbuf[CURL_ERROR_SIZE];
};

static size_t
on_body(char *buf, size_t size, size_t n, void *ctx)
{
	struct http *h = ctx;

	return fwrite(buf, size, n, h->s->fp) * size;
}

/* Keep the reason phrase of "HTTP/1.1 404 Not Found" (the last
 * response's, after redirects). */
static size_t
on_header(char *buf, size_t size, size_t n, void *ctx)
{
	struct http *h = ctx;
	size_t len = size * n, i = 0, k;

	if (len > 5 && strncmp(buf, "HTTP/", 5) == 0) {
		while (i < len && buf[i] != ' ')
			i++;
		while (i < len && buf[i] == ' ')
			i++;
		while (i < len && isdigit((unsigned char)buf[i]))
			i++;
		while (i < len && buf[i] == ' ')
			i++;
		for (k = 0; i < len && buf[i] != '\r' && buf[i] != '\n' &&
			    k < sizeof h->reason - 1; i++)
			h->reason[k++] = isprint((unsigned char)buf[i]) ?
				buf[i] : '?';
		h->reason[k] = '\0';
	}
	return len;
}

/* Set up the handle: TLS verification always on (against cabundle
 * instead of the system's authorities when given), timeouts, redirects
 * never from https to http, the bearer token. */
static int
setup(CURL *c, struct http *h, const char *url, const fc_source_opts *o,
      const char *token, const char *cabundle)
{
	int https = strncmp(url, "https://", 8) == 0;
	int bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
				https ? "https" : "http,https");
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout);
	/* silence, not size, ends an attempt: less than a byte a second
	 * for load.timeout seconds, from the request on */
	bad |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->timeout);
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT, "fc-load/" FC_VERSION);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	bad |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	bad |= curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	if (cabundle != NULL && cabundle[0] != '\0')
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, cabundle);
	if (token != NULL && token[0] != '\0') {
		bad |= curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		bad |= curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, token);
	}
	return bad;
}

/* The error buffer's text (or curl's for rc), its first letter
 * lowercase unless it starts an acronym ("SSL"). */
static const char *
why(struct http *h, CURLcode rc)
{
	if (h->errbuf[0] == '\0')
		snprintf(h->errbuf, sizeof h->errbuf, "%s",
			 curl_easy_strerror(rc));
	if (!isupper((unsigned char)h->errbuf[1]))
		h->errbuf[0] = (char)tolower((unsigned char)h->errbuf[0]);
	return h->errbuf;
}

/* A transfer that failed before an HTTP status: 75 (to retry when
 * *retry), 77 for a certificate that does not verify, 74, 65 or 64. */
static int
transfer_error(struct http *h, CURLcode rc, long timeout, int *retry,
	       char *msg, size_t n)
{
	*retry = 0;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		*retry = 1;
		snprintf(msg, n, "timed out: no answer for %ld s (load.timeout)",
			 timeout);
		return FC_EX_TEMPFAIL;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		*retry = 1;
		snprintf(msg, n, "cannot connect: %s", why(h, rc));
		return FC_EX_TEMPFAIL;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		snprintf(msg, n, "certificate refused: %s", why(h, rc));
		return FC_EX_NOPERM;
	case CURLE_WRITE_ERROR:
		snprintf(msg, n, "cannot write the temporary file");
		return FC_EX_IOERR;
	case CURLE_URL_MALFORMAT:
		snprintf(msg, n, "malformed URL: %s", why(h, rc));
		return FC_EX_USAGE;
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(msg, n, "%s", why(h, rc));
		return FC_EX_DATAERR;
	default:
		snprintf(msg, n, "%s", why(h, rc));
		return FC_EX_TEMPFAIL;
	}
}

/* An HTTP status: 0 for 2xx, 77 for 401 and 403, 75 (to retry) for 429
 * and 5xx, 65 for the rest. */
static int
status_error(struct http *h, long code, const char *token, int *retry,
	     char *msg, size_t n)
{
	const char *sp = h->reason[0] ? " " : ""; /* HTTP/2 has no reason */

	*retry = 0;
	if (code >= 200 && code < 300)
		return 0;
	if (code == 401 || code == 403) {
		snprintf(msg, n, "HTTP %ld%s%s: %s", code, sp, h->reason,
			 token && token[0] ? "the server refused FC_HTTP_TOKEN" :
			 "set FC_HTTP_TOKEN in the environment or .env");
		return FC_EX_NOPERM;
	}
	snprintf(msg, n, "HTTP %ld%s%s", code, sp, h->reason);
	if (code == 429 || code >= 500) {
		*retry = 1;
		return FC_EX_TEMPFAIL;
	}
	return FC_EX_DATAERR;
}

/* Whether a Content-Type may hold CSV: none, text/ but HTML and XML,
 * and the names servers give CSV downloads. */
static int
csv_type(const char *ct)
{
	static const char *const ok[] = {
		"application/csv", "application/x-csv",
		"application/octet-stream", "application/vnd.ms-excel",
		"application/download", "application/force-download",
		"binary/octet-stream",
	};
	size_t n, i;

	if (ct == NULL)
		return 1;
	n = strcspn(ct, "; \t");
	if (strncasecmp(ct, "text/", 5) == 0)
		return !(n == 9 && strncasecmp(ct, "text/html", 9) == 0) &&
		       !(n == 8 && strncasecmp(ct, "text/xml", 8) == 0);
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strlen(ok[i]) == n && strncasecmp(ct, ok[i], n) == 0)
			return 1;
	return 0;
}

/* A 2xx body: refuse one that is no CSV by its Content-Type or by its
 * first byte ('<': HTML or XML). 0 or 65. */
static int
check_body(fc_source *s, CURL *c, char *msg, size_t n)
{
	unsigned char buf[64];
	const char *ct = NULL;
	size_t k, i = 0;

	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	if (!csv_type(ct)) {
		snprintf(msg, n, "not CSV: the server sent %.*s",
			 (int)strcspn(ct, "; \t"), ct);
		return FC_EX_DATAERR;
	}
	fflush(s->fp);
	rewind(s->fp);
	k = fread(buf, 1, sizeof buf, s->fp);
	if (k >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < k && isspace(buf[i]))
		i++;
	if (i < k && buf[i] == '<') {
		snprintf(msg, n, "not CSV: the body starts with '<', as HTML "
			 "and XML do");
		return FC_EX_DATAERR;
	}
	return 0;
}

/* One attempt. 0, or a status with msg set and *retry, *retry_after. */
static int
attempt(struct http *h, CURL *c, const fc_source_opts *o, const char *token,
	int *retry, long *retry_after, char *msg, size_t n)
{
	curl_off_t ra = 0;
	CURLcode rc;
	long code = 0;
	int st;

	h->errbuf[0] = '\0';
	h->reason[0] = '\0';
	rc = curl_easy_perform(c);
	*retry_after = 0;
	if (rc != CURLE_OK)
		return transfer_error(h, rc, o->timeout, retry, msg, n);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if ((st = status_error(h, code, token, retry, msg, n)) != 0) {
		if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) ==
		    CURLE_OK && ra > 0)
			*retry_after = ra > 3600 ? 3600 : (long)ra;
		return st;
	}
	return check_body(h->s, c, msg, n);
}

/* Fetch url into the spool, retrying what is worth a retry. */
static int
fetch(fc_source *s, const char *url, const fc_source_opts *o,
      const fc_dotenv *env, fc_err *err)
{
	const char *token = fc_dotenv_get(env, "FC_HTTP_TOKEN");
	struct http h = { .s = s };
	char msg[900];
	long retry_after;
	int n, st, retry;
	CURL *c;

	if ((c = curl_easy_init()) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
				  "cannot start libcurl");
	if (setup(c, &h, url, o, token,
		  fc_dotenv_get(env, "CURL_CA_BUNDLE")) != 0) {
		curl_easy_cleanup(c);
		return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
				  "libcurl lacks an option fc needs");
	}
	for (n = 1;; n++) {
		st = attempt(&h, c, o, token, &retry, &retry_after, msg,
			     sizeof msg);
		if (st == 0 || !retry || n > o->retries)
			break;
		fc_source_wait(s, o, n, retry_after, msg);
		if ((st = fc_source_respool(s, err)) != 0) {
			curl_easy_cleanup(c);
			return st;
		}
	}
	curl_easy_cleanup(c);
	if (st == 0)
		return fc_source_rewind(s, err);
	if (retry && n > 1)
		return fc_err_set(err, st, s->name, 0, "%s (%d attempts)", msg,
				  n);
	return fc_err_set(err, st, s->name, 0, "%s", msg);
}

int
fc_source_http(fc_source *s, const char *spec, const fc_source_opts *opts,
	       fc_err *err)
{
	fc_dotenv *env = NULL;
	size_t ulen;
	int st, pw;

	s->kind = "http";
	if (fc_url_userinfo(spec, &ulen, &pw) != NULL)
		return fc_source_no_password(s, "FC_HTTP_TOKEN", err);
	if (opts->dotenv && (st = fc_dotenv_load(&env, opts->dotenv, err)) != 0)
		return st;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fc_dotenv_free(env);
		return fc_err_set(err, FC_EX_SOFTWARE, s->name, 0,
				  "cannot start libcurl");
	}
	if ((st = fc_source_spool(s, err)) == 0)
		st = fetch(s, spec, opts, env, err);
	curl_global_cleanup();
	fc_dotenv_free(env);
	return st;
}
