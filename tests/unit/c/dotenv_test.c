/* dotenv_test - .env parsing and the environment winning over the file */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dotenv.h"

#include "check.h"

/* Write text to a fresh file and load it; returns the status. */
static int
load_text(const char *text, fc_dotenv **env, fc_err *e)
{
	char path[] = "/tmp/fc-dotenv-XXXXXX";
	int fd = mkstemp(path), st;
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");

	if (fp == NULL)
		return -1;
	fputs(text, fp);
	fclose(fp);
	fc_err_clear(e);
	st = fc_dotenv_load(env, path, e);
	unlink(path);
	return st;
}

static int
is(const fc_dotenv *env, const char *key, const char *want)
{
	const char *v = fc_dotenv_get(env, key);

	return v != NULL && strcmp(v, want) == 0;
}

static void
test_syntax(void)
{
	fc_dotenv *env;
	fc_err e;

	CHECK(load_text("# a comment\n"
			"\n"
			"PGUSER=fc\n"
			"  PGHOST = /tmp/sock  \n"
			"export PGPORT=5433\n"
			"A='single # kept \\n'\n"
			"B=\"double \\\"q\\\" \\n\\t\\$ \\x\"  # note\n"
			"C=plain value # comment\n"
			"D=a#b\n"
			"E=\n"
			"F=first\r\n"
			"F=second\n",
			&env, &e) == 0, "a well-formed file loads: %s", e.msg);
	CHECK(is(env, "PGUSER", "fc"), "KEY=VALUE");
	CHECK(is(env, "PGHOST", "/tmp/sock"), "spaces around key, = and value");
	CHECK(is(env, "PGPORT", "5433"), "export prefix");
	CHECK(is(env, "A", "single # kept \\n"), "single quotes are literal");
	CHECK(is(env, "B", "double \"q\" \n\t$ \\x"),
	      "double quotes unescape, unknown escapes kept, comment after");
	CHECK(is(env, "C", "plain value"), "unquoted value ends at ' #'");
	CHECK(is(env, "D", "a#b"), "a # inside a word is part of the value");
	CHECK(is(env, "E", ""), "an empty value");
	CHECK(is(env, "F", "second"), "a later line wins; CRLF accepted");
	CHECK(fc_dotenv_get(env, "FC_DOTENV_TEST_UNSET") == NULL,
	      "an unknown key is NULL");
	fc_dotenv_free(env);
}

static void
test_errors(void)
{
	fc_dotenv *env = (fc_dotenv *)1;
	fc_err e;

	CHECK(load_text("A=1\nPGPASSWORD secret-value\n", &env, &e) ==
	      FC_EX_CONFIG && e.line == 2 && env == NULL,
	      "a line without = is a config error at its line");
	CHECK(strstr(e.msg, "secret-value") == NULL,
	      "the message does not quote the line");
	CHECK(load_text("A=\"open\n", &env, &e) == FC_EX_CONFIG && e.line == 1,
	      "an unterminated double quote");
	CHECK(load_text("A='x' y\n", &env, &e) == FC_EX_CONFIG,
	      "text after a closing quote");
	CHECK(load_text("1A=x\n", &env, &e) == FC_EX_CONFIG,
	      "a key starting with a digit");
	fc_err_clear(&e);
	CHECK(fc_dotenv_load(&env, "/nonexistent/.env", &e) == 0 && env != NULL,
	      "a missing file is an empty one");
	fc_dotenv_free(env);
	fc_dotenv_free(NULL);
}

static void
test_environment_wins(void)
{
	fc_dotenv *env;
	fc_err e;

	setenv("FC_DOTENV_TEST", "from-env", 1);
	CHECK(load_text("FC_DOTENV_TEST=from-file\nOTHER=x\n", &env, &e) == 0,
	      "loads");
	CHECK(is(env, "FC_DOTENV_TEST", "from-env"),
	      "the environment wins over the file");
	CHECK(getenv("OTHER") == NULL, "the file does not touch the environment");
	CHECK(is(NULL, "FC_DOTENV_TEST", "from-env"), "NULL env: environment only");
	unsetenv("FC_DOTENV_TEST");
	CHECK(is(env, "FC_DOTENV_TEST", "from-file"), "else the file");
	fc_dotenv_free(env);
}

int
main(void)
{
	test_syntax();
	test_errors();
	test_environment_wins();
	return check_done();
}
