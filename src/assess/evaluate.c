/* Formula evaluation (docs/reference/formulas.md to scoring.md): a kh_expr tree over one township's
 * data in one month, or over county totals.
 *
 * Every operand is evaluated, so a missing value anywhere in the formula
 * makes it missing even where a division by zero (na) happens first:
 * missing wins over na. Arithmetic is IEEE double in the tree's order
 * (the parser makes equal precedence left-associative). */
#include "kaohe/assess.h"

#include <math.h>

typedef struct {
  const kh_dataset *ds;
  int t;               /* township, or < 0 for the county */
  int month;           /* 1..12 */
  int first;           /* ytd() sums from this month (an indicator's from) */
  const bool *included;/* county mode: townships summed; NULL = all */
} eval_ctx;

/* A township's value of field f in month m (1..12); false when missing:
 * no file, no row, or an empty cell. */
static bool field_value(const kh_dataset *ds, int t, int f, int m, double *out) {
  const kh_month_data *md = &ds->months[m - 1];
  if (!kh_month_has_row(md, t))
    return false;
  double v = md->values[t * kh_n_fields(ds) + f];
  if (isnan(v))
    return false;
  *out = v;
  return true;
}

/* A township's ytd(f): first..m, summed from `first` on (January unless
 * the indicator counts from a later month). */
static bool ytd_value(const kh_dataset *ds, int t, int f, int first, int m, double *out) {
  double sum = 0;
  for (int k = MAX(first, 1); k <= m; k++) {
    double v;
    if (!field_value(ds, t, f, k, &v))
      return false;
    sum += v;
  }
  *out = sum;
  return true;
}

static bool attr_value(const kh_dataset *ds, int t, int a, double *out) {
  double v = ds->attrs[t * kh_n_attrs(ds) + a];
  if (isnan(v))
    return false;
  *out = v;
  return true;
}

/* One leaf (field, ytd or attribute) for the context's township, or summed
 * over the included townships in registry order for the county. */
static kh_status leaf(const eval_ctx *c, const kh_expr *e, double *out) {
  bool county = c->t < 0;
  int first = county ? 0 : c->t, last = county ? kh_n_townships(c->ds) - 1 : c->t;
  double sum = 0;
  for (int t = first; t <= last; t++) {
    if (county && c->included && !c->included[t])
      continue;
    double v = 0;
    bool ok = e->kind == KH_EXPR_FIELD  ? field_value(c->ds, t, e->index, c->month, &v)
              : e->kind == KH_EXPR_YTD ? ytd_value(c->ds, t, e->index, c->first, c->month, &v)
                                       : attr_value(c->ds, t, e->index, &v);
    if (!ok)
      return KH_STATUS_MISSING;
    sum += v;
  }
  *out = sum;
  return KH_STATUS_OK;
}

static kh_status eval_node(const eval_ctx *c, const kh_expr *e, double *out) {
  switch (e->kind) {
  case KH_EXPR_NUMBER:
    *out = e->number;
    return KH_STATUS_OK;
  case KH_EXPR_MONTH:
    *out = c->month;
    return KH_STATUS_OK;
  case KH_EXPR_FIELD:
  case KH_EXPR_YTD:
  case KH_EXPR_ATTR:
    return leaf(c, e, out);
  case KH_EXPR_PREV: /* audit rules only: the parser keeps it out of indicators */
    return KH_STATUS_MISSING;
  case KH_EXPR_NEG: {
    kh_status s = eval_node(c, e->a, out);
    *out = -*out;
    return s;
  }
  case KH_EXPR_ADD:
  case KH_EXPR_SUB:
  case KH_EXPR_MUL:
  case KH_EXPR_DIV: {
    double a = 0, b = 0;
    kh_status sa = eval_node(c, e->a, &a);
    kh_status sb = eval_node(c, e->b, &b);
    if (sa == KH_STATUS_MISSING || sb == KH_STATUS_MISSING)
      return KH_STATUS_MISSING;
    if (sa == KH_STATUS_NA || sb == KH_STATUS_NA)
      return KH_STATUS_NA;
    if (e->kind == KH_EXPR_DIV && b == 0)
      return KH_STATUS_NA;
    *out = e->kind == KH_EXPR_ADD   ? a + b
           : e->kind == KH_EXPR_SUB ? a - b
           : e->kind == KH_EXPR_MUL ? a * b
                                    : a / b;
    return KH_STATUS_OK;
  }
  }
  return KH_STATUS_MISSING;
}

kh_status kh_eval(const kh_dataset *ds, const kh_expr *e, int t, int month,
                  const bool *included, double *out) {
  return kh_eval_since(ds, e, t, month, 1, included, out);
}

kh_status kh_eval_since(const kh_dataset *ds, const kh_expr *e, int t, int month,
                        int first, const bool *included, double *out) {
  eval_ctx c = {ds, t, month, first, included};
  double v = 0;
  kh_status s = eval_node(&c, e, &v);
  /* An overflow to infinity is not a number anyone can be assessed on:
   * treated as not assessable (docs/scoring.md). */
  if (s == KH_STATUS_OK && !isfinite(v))
    s = KH_STATUS_NA;
  *out = s == KH_STATUS_OK ? v : NAN;
  return s;
}
