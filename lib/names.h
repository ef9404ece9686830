/* names - column names to snake_case */
#ifndef FC_NAMES_H
#define FC_NAMES_H

#include <stddef.h>

/*
 * Write the snake_case form of name[0..len) into out (size n): ASCII
 * letters lowercased, a word break before an upper-case letter that
 * follows a lower-case letter or digit ("UnitsSold" -> "units_sold") or
 * that starts a word after an acronym ("HTTPCode" -> "http_code"), every
 * run of other ASCII characters (spaces, punctuation) made one '_', none
 * at either end; bytes of UTF-8 characters kept as they are. Returns the
 * length, 0 when nothing is left ("$$"), or (size_t)-1 when out is too
 * small.
 */
size_t fc_snake_case(const char *name, size_t len, char *out, size_t n);

#endif
