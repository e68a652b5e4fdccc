/* Data audits (审核, docs/reference/audits.md): the rules of rules.ini's [audit.NAME]
 * groups and the built-in ones, checked on every township row of a month
 * once it is loaded. A broken error-level rule is an error of the data like
 * any other, so every command that writes documents refuses to run.
 *
 * Rules are evaluated here, in the load stage, over one township's row:
 * fields of the month, attributes, month, prev(FIELD) and (for the
 * built-in check of percentages) ytd(FIELD). A rule that reads a missing
 * value, or divides by zero, is skipped: missing data has its own
 * warnings (month_checks.c). */
#include "load/dataset_parts.h"

#include <math.h>
#include <string.h>

#include "load/formula.h"
#include "load/number.h"

typedef struct {
  const kh_dataset *ds;
  int month; /* 1..12 */
  int t;     /* township */
  int first; /* ytd() sums from this month */
} row_ctx;

static bool value_in(const kh_dataset *ds, int m, int t, int f, double *out) {
  const kh_month_data *md = &ds->months[m - 1];
  if (!kh_month_has_row(md, t))
    return false;
  *out = md->values[t * kh_n_fields(ds) + f];
  return !isnan(*out);
}

/* The township's latest value of f reported before `month` in the year:
 * months without a file, a row or a value are skipped. */
static bool prev_value(const kh_dataset *ds, int month, int t, int f, double *out, int *at) {
  for (int m = month - 1; m >= 1; m--)
    if (value_in(ds, m, t, f, out)) {
      if (at)
        *at = m;
      return true;
    }
  return false;
}

/* Evaluates e for the row; false when it reads a missing value or divides
 * by zero. */
static bool eval(const row_ctx *c, const kh_expr *e, double *out) {
  double a = 0, b = 0;
  switch (e->kind) {
  case KH_EXPR_NUMBER:
    *out = e->number;
    return true;
  case KH_EXPR_MONTH:
    *out = c->month;
    return true;
  case KH_EXPR_FIELD:
    return value_in(c->ds, c->month, c->t, e->index, out);
  case KH_EXPR_PREV:
    return prev_value(c->ds, c->month, c->t, e->index, out, NULL);
  case KH_EXPR_YTD:
    *out = 0;
    for (int m = MAX(c->first, 1); m <= c->month; m++) {
      if (!value_in(c->ds, m, c->t, e->index, &a))
        return false;
      *out += a;
    }
    return true;
  case KH_EXPR_ATTR:
    *out = c->ds->attrs[c->t * kh_n_attrs(c->ds) + e->index];
    return !isnan(*out);
  case KH_EXPR_NEG:
    if (!eval(c, e->a, &a))
      return false;
    *out = -a;
    return true;
  case KH_EXPR_ADD:
  case KH_EXPR_SUB:
  case KH_EXPR_MUL:
  case KH_EXPR_DIV: {
    bool ok_a = eval(c, e->a, &a), ok_b = eval(c, e->b, &b);
    if (!ok_a || !ok_b || (e->kind == KH_EXPR_DIV && b == 0))
      return false;
    *out = e->kind == KH_EXPR_ADD   ? a + b
           : e->kind == KH_EXPR_SUB ? a - b
           : e->kind == KH_EXPR_MUL ? a * b
                                    : a / b;
    return isfinite(*out);
  }
  }
  return false;
}

static bool holds(kh_audit_op op, double l, double r) {
  switch (op) {
  case KH_AUDIT_LE: return l <= r;
  case KH_AUDIT_GE: return l >= r;
  case KH_AUDIT_LT: return l < r;
  case KH_AUDIT_GT: return l > r;
  case KH_AUDIT_EQ: return l == r;
  case KH_AUDIT_NE: return l != r;
  }
  return true;
}

/* The leftmost cell of the row that e reads in the month itself (a field,
 * or this month's part of its ytd()); NULL when it reads none. */
static const kh_place *first_cell(const row_ctx *c, const kh_expr *e, const kh_place *best) {
  if (!e)
    return best;
  if (e->kind == KH_EXPR_FIELD || e->kind == KH_EXPR_YTD) {
    const kh_month_data *md = &c->ds->months[c->month - 1];
    const kh_place *p = &md->places[c->t * kh_n_fields(c->ds) + e->index];
    if (p->line > 0 && (!best || p->column < best->column))
      best = p;
  }
  best = first_cell(c, e->a, best);
  return first_cell(c, e->b, best);
}

/* What a side of a rule is called in a message: a field's label (上次报送的
 * for prev), an attribute's name; NULL for anything else. */
static char *side_name(const kh_dataset *ds, const kh_expr *e) {
  if (e->kind == KH_EXPR_FIELD)
    return g_strdup(kh_field_label(kh_field_at(ds, e->index)));
  if (e->kind == KH_EXPR_PREV)
    return g_strdup_printf("上次报送的%s", kh_field_label(kh_field_at(ds, e->index)));
  if (e->kind == KH_EXPR_ATTR)
    return g_strdup(g_ptr_array_index(ds->attr_names, e->index));
  return NULL;
}

/* A side's name, else its formula as written. Caller frees with g_free(). */
static char *side_text(const kh_dataset *ds, const kh_expr *e, const char *src) {
  char *name = side_name(ds, e);
  return name ? name : g_strstrip(g_strdup(src));
}

/* Inserts "（value）" after the first place in msg where the side's name
 * appears; returns whether it did. */
static bool insert_value(GString *msg, const kh_dataset *ds, const kh_expr *e, double v) {
  char *name = side_name(ds, e);
  const char *at = name ? strstr(msg->str, name) : NULL;
  if (at) {
    char *num = kh_number_grouped(v);
    char *text = g_strdup_printf("（%s）", num);
    g_string_insert(msg, (gssize)((gsize)(at - msg->str) + strlen(name)), text);
    g_free(text);
    g_free(num);
  }
  g_free(name);
  return at != NULL;
}

static void report_rule(const row_ctx *c, const kh_audit *a, double l, double r,
                        const kh_csv_table *t, kh_diags *diags) {
  const kh_month_data *md = &c->ds->months[c->month - 1];
  const kh_place *p = first_cell(c, a->left, NULL);
  if (!p)
    p = first_cell(c, a->right, NULL);
  if (!p)
    p = &md->key_places[c->t];
  /* The numbers go after the names of what they are, when the message
   * names both sides; else after the message, each with its name. */
  GString *msg = g_string_new(a->message);
  if (!a->message || !insert_value(msg, c->ds, a->left, l) ||
      !insert_value(msg, c->ds, a->right, r)) {
    g_string_assign(msg, a->message ? a->message : "");
    if (!a->message)
      g_string_append_printf(msg, "不符合审核规则“%s”", a->rule_src);
    char *ln = side_text(c->ds, a->left, a->left_src), *rn = side_text(c->ds, a->right, a->right_src);
    char *ls = kh_number_grouped(l), *rs = kh_number_grouped(r);
    g_string_append_printf(msg, "（%s 为 %s，%s 为 %s）", ln, ls, rn, rs);
    g_free(ln);
    g_free(rn);
    g_free(ls);
    g_free(rs);
  }
  kh_csv_cell at = kh_place_cell(p);
  kh_csv_cell_diag(t, diags, a->level, &at, "%s：%s［审核 %s］",
                   kh_township_at(c->ds, c->t)->name, msg->str, a->name);
  g_string_free(msg, TRUE);
}

/* Built in: a running total (cumulative) may not fall below the township's
 * latest earlier report; a whole-number field (integer) has no fraction. */
static void check_fields(const row_ctx *c, const kh_csv_table *t, kh_diags *diags) {
  const kh_dataset *ds = c->ds;
  const kh_month_data *md = &ds->months[c->month - 1];
  for (int f = 0; f < kh_n_fields(ds); f++) {
    const kh_field *fd = kh_field_at(ds, f);
    const kh_place *p = &md->places[c->t * kh_n_fields(ds) + f];
    double v, before;
    int month_before = 0;
    if ((!fd->integer && !fd->cumulative) || p->line <= 0 || !value_in(ds, c->month, c->t, f, &v))
      continue;
    kh_csv_cell at = kh_place_cell(p);
    const char *name = kh_township_at(ds, c->t)->name;
    if (fd->integer && v != floor(v)) {
      char *num = kh_number_grouped(v);
      kh_csv_cell_diag(t, diags, KH_ERROR, &at, "%s：“%s”应为整数，而不是 %s［审核 整数］", name,
                       kh_field_label(fd), num);
      g_free(num);
    }
    if (fd->cumulative && prev_value(ds, c->month, c->t, f, &before, &month_before) && v < before) {
      char *now = kh_number_grouped(v), *then = kh_number_grouped(before);
      kh_csv_cell_diag(t, diags, KH_ERROR, &at,
                       "%s：“%s”是累计数，本月（%s）不能少于 %d 月（%s）［审核 累计数］", name,
                       kh_field_label(fd), now, month_before, then);
      g_free(now);
      g_free(then);
    }
  }
}

/* Built in: an indicator in % whose township value exceeds 100 is a
 * warning — a share of records cannot, a task completion rate may, so
 * real limits belong in [audit.*]. Compared at the indicator's decimals. */
static void check_percentages(row_ctx *c, const kh_csv_table *t, kh_diags *diags) {
  const kh_month_data *md = &c->ds->months[c->month - 1];
  for (int i = 0; i < kh_n_indicators(c->ds); i++) {
    const kh_indicator *ind = kh_indicator_at(c->ds, i);
    double v;
    c->first = ind->from_month;
    if (!kh_indicator_in_force(ind, c->month) || strcmp(ind->unit, "%") != 0 || !ind->value ||
        !eval(c, ind->value, &v))
      continue;
    char text[64];
    g_snprintf(text, sizeof text, "%.*f", ind->decimals, v);
    if (g_ascii_strtod(text, NULL) <= 100)
      continue;
    const kh_place *p = first_cell(c, ind->value, NULL);
    if (!p)
      p = &md->key_places[c->t];
    kh_csv_cell at = kh_place_cell(p);
    kh_csv_cell_diag(t, diags, KH_WARNING, &at,
                     "%s：本月“%s”为 %s%%，超过 100%%：请核对本行数据是否填错列或颠倒［审核 百分比］",
                     kh_township_at(c->ds, c->t)->name, ind->name, text);
  }
}

void kh_month_audits(const kh_dataset *ds, int month, const kh_csv_table *t, kh_diags *diags) {
  const kh_month_data *md = &ds->months[month - 1];
  for (int tw = 0; tw < kh_n_townships(ds); tw++) {
    if (!kh_month_has_row(md, tw))
      continue;
    row_ctx c = {ds, month, tw, 1};
    check_fields(&c, t, diags);
    for (guint k = 0; ds->rules.audits && k < ds->rules.audits->len; k++) {
      const kh_audit *a = g_ptr_array_index(ds->rules.audits, k);
      double l, r;
      if (a->left && a->right && eval(&c, a->left, &l) && eval(&c, a->right, &r) &&
          !holds(a->op, l, r))
        report_rule(&c, a, l, r, t, diags);
    }
    check_percentages(&c, t, diags);
  }
}
