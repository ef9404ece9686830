/* url_test - percent-decoding, query parameters and secret-free names */
#include <stdlib.h>
#include <string.h>

#include "url.h"

#include "check.h"

static int
decodes(const char *in, int plus, const char *want)
{
	char buf[256];

	strcpy(buf, in);
	return fc_url_decode(buf, plus) == 0 && strcmp(buf, want) == 0;
}

static int
redacts(const char *in, const char *want)
{
	char *r = fc_url_redact(in);
	int ok = r != NULL && strcmp(r, want) == 0;

	if (!ok)
		printf("# got '%s'\n", r ? r : "(null)");
	free(r);
	return ok;
}

static void
test_decode(void)
{
	char buf[16];

	CHECK(decodes("SELECT%20*%20FROM+t", 1, "SELECT * FROM t"),
	      "%%20 and + are spaces in a query");
	CHECK(decodes("a+b%2Bc", 0, "a+b+c"), "+ is kept in a path");
	CHECK(decodes("%27x%27%3d%3D", 1, "'x'=="), "hex digits in either case");
	strcpy(buf, "a%2");
	CHECK(fc_url_decode(buf, 1) == -1, "a truncated escape is an error");
	strcpy(buf, "a%zz");
	CHECK(fc_url_decode(buf, 1) == -1, "a non-hex escape is an error");
	strcpy(buf, "a%00b");
	CHECK(fc_url_decode(buf, 1) == -1, "an escaped NUL is an error");
}

static void
test_params(void)
{
	fc_url_param *p;
	fc_err e;
	size_t n;

	fc_err_clear(&e);
	CHECK(fc_url_params("host=/tmp/x&&query=SELECT+a%2Cb+FROM+t&flag", "src",
			    &p, &n, &e) == 0 && n == 3,
	      "three parameters, the empty piece skipped");
	CHECK(strcmp(p[0].name, "host") == 0 && strcmp(p[0].value, "/tmp/x") == 0,
	      "host");
	CHECK(strcmp(p[1].value, "SELECT a,b FROM t") == 0, "query decoded");
	CHECK(strcmp(p[2].name, "flag") == 0 && strcmp(p[2].value, "") == 0,
	      "a parameter without = has an empty value");
	fc_url_params_free(p, n);
	CHECK(fc_url_params("table=t%zz", "src", &p, &n, &e) == FC_EX_USAGE &&
	      strcmp(e.msg, "bad percent escape in parameter 'table'") == 0 &&
	      strcmp(e.file, "src") == 0, "a bad escape names the parameter");
	CHECK(fc_url_params("", "src", &p, &n, &e) == 0 && n == 0,
	      "an empty query has no parameters");
	fc_url_params_free(p, n);
}

static void
test_redact(void)
{
	size_t len;
	int pw;

	CHECK(fc_url_secret_name("api_key") && fc_url_secret_name("Token") &&
	      fc_url_secret_name("key") && fc_url_secret_name("X-Amz-Signature") &&
	      !fc_url_secret_name("keyword") && !fc_url_secret_name("query") &&
	      !fc_url_secret_name("monkey"),
	      "secret parameter names");
	CHECK(redacts("https://u:pw@h.example/x.csv?a=1&token=abc&b=2#f",
		      "https://h.example/x.csv?a=1&token=REDACTED&b=2#f"),
	      "user information dropped, a token redacted");
	CHECK(redacts("http://h/x?api%5Fkey=s3&q=x+y",
		      "http://h/x?api%5Fkey=REDACTED&q=x+y"),
	      "an escaped secret name is recognised, the rest kept as written");
	CHECK(redacts("http://h/x.csv", "http://h/x.csv"), "nothing to redact");
	CHECK(redacts("http://h/a@b?key=", "http://h/a@b?key=REDACTED"),
	      "an @ in the path is no user information");
	CHECK(fc_url_userinfo("postgresql://fc:pw@/db", &len, &pw) != NULL &&
	      len == 5 && pw == 1, "user:password found");
	CHECK(fc_url_userinfo("postgresql://fc@host/db", &len, &pw) != NULL &&
	      len == 2 && pw == 0, "a user alone has no password");
	CHECK(fc_url_userinfo("sqlite:a@b.db", &len, &pw) == NULL,
	      "no authority, no user information");
}

int
main(void)
{
	test_decode();
	test_params();
	test_redact();
	return check_done();
}
