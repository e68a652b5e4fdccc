/* The small value syntaxes of rules.ini (docs/reference/rules.md), internal to the load
 * stage. Each parser takes the whole value (blanks already trimmed at both
 * ends); on failure it points *bad at the offending character, so the
 * error's column is that character's. */
#ifndef KAOHE_LOAD_RULES_VALUES_H
#define KAOHE_LOAD_RULES_VALUES_H

#include "kaohe/load.h"

/* Removes the blanks (space, tab, U+3000, U+00A0) at the end of s, in
 * place, and returns s. GLib has already removed the ASCII ones at the
 * start; an ideographic space typed there stays and is reported where it
 * is. */
char *kh_ini_trim_end(char *s);

/* [a-z_][a-z0-9_]* */
bool kh_is_identifier(const char *s);

/* A non-negative decimal: digits, optionally a point and more digits. */
bool kh_ini_decimal(const char *s, double *out, const char **bad);

/* Digits only, within lo..hi. */
bool kh_ini_int(const char *s, int lo, int hi, int *out, const char **bad);

/* The parsers below return NULL on success, else a message (in Chinese,
 * for the user) that the caller frees with g_free(). */

/* "true" or "false". */
char *kh_ini_bool(const char *s, bool *out, const char **bad);

/* A real date written YYYY-MM-DD. */
char *kh_ini_date(const char *s, int *year, int *month, int *day,
                  const char **bad);

/* ">= FORMULA" or "<= FORMULA": the operator, and where the formula starts
 * (after blanks; it may be empty, which the formula parser reports). */
char *kh_ini_target(const char *s, kh_op *op, const char **formula,
                    const char **bad);

/* all-or-nothing | proportional | deduct P per U | rank P, with P and U
 * non-negative decimals, U > 0; *points and *per are 0 where unused. */
char *kh_ini_method(const char *s, kh_method *method, double *points,
                    double *per, const char **bad);

/* "A" or "A-B" with 1 <= A <= B (blanks allowed around "-"). */
char *kh_ini_ranks(const char *s, int *lo, int *hi, const char **bad);

#endif
