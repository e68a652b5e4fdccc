/* The formula language of docs/reference/formulas.md, internal to the load stage:
 * numbers, + - * /, unary minus, parentheses, and the names month, FIELD,
 * ytd(FIELD) and ATTRIBUTE. */
#ifndef KAOHE_LOAD_FORMULA_H
#define KAOHE_LOAD_FORMULA_H

#include "kaohe/load.h"

/* Looks a name up: returns its field index (is_field = true) or attribute
 * index (is_field = false), or -1 when unknown. */
typedef int (*kh_name_lookup)(void *user, const char *name, bool *is_field);

/* Parses src. On success returns the tree (caller frees with
 * kh_expr_free()); on failure returns NULL and sets *err_col (1-based, in
 * characters of src) and *err_msg (caller frees with g_free()). */
kh_expr *kh_formula_parse(const char *src, kh_name_lookup lookup, void *user,
                          int *err_col, char **err_msg);
void kh_expr_free(kh_expr *e); /* NULL-safe */

/* The same for one side of an audit rule (docs/reference/audits.md): prev(FIELD) is
 * allowed and ytd() is not. */
kh_expr *kh_audit_formula_parse(const char *src, kh_name_lookup lookup, void *user,
                                int *err_col, char **err_msg);

/* Marks fields[f] for each field e reads, alone, in ytd() or in prev(). */
void kh_expr_fields(const kh_expr *e, bool *fields);

/* True when e reads ytd() of some field; marks ytd_fields[f] for each. */
bool kh_expr_ytd_fields(const kh_expr *e, bool *ytd_fields);

#endif
