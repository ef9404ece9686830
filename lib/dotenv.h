/* dotenv - credentials from the environment or a .env file */
#ifndef FC_DOTENV_H
#define FC_DOTENV_H

#include "err.h"

/*
 * The variables of a .env file, looked up behind the real environment:
 * a variable set in the environment wins over the file. Values are never
 * put into the environment, so they reach no child process and no
 * listing. The object owns its strings; fc_dotenv_free wipes them before
 * freeing. Messages about the file name its line, never its text.
 *
 * The file holds KEY=VALUE lines. Blank lines and lines starting with #
 * are skipped; "export " before KEY is allowed; spaces around KEY, = and
 * an unquoted VALUE are dropped, and an unquoted VALUE ends at " #".
 * 'single quotes' keep their text as it is; "double quotes" understand
 * \n, \t, \r, \", \\ and \$ (any other backslash is kept). KEY is
 * letters, digits and _, not starting with a digit. A later line for the
 * same KEY replaces the earlier one.
 */
typedef struct fc_dotenv fc_dotenv;

/*
 * Read path. A missing file is no error: *env is then empty. A line that
 * is not KEY=VALUE or an unterminated quote is FC_EX_CONFIG with
 * err->file and err->line set; an unreadable file FC_EX_NOINPUT. On
 * failure *env is NULL. The caller frees *env with fc_dotenv_free.
 */
int fc_dotenv_load(fc_dotenv **env, const char *path, fc_err *err);

/*
 * The value of key: the environment's when set there, else the file's,
 * else NULL. env may be NULL (the environment alone). The string belongs
 * to the environment or to env.
 */
const char *fc_dotenv_get(const fc_dotenv *env, const char *key);

/* Wipe and free; NULL is a no-op. */
void fc_dotenv_free(fc_dotenv *env);

#endif
