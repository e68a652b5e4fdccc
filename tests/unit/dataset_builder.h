/* Builds small kh_dataset structs in memory for the assess and render unit
 * tests, so they do not depend on the loader: townships, fields,
 * attributes, formula trees, indicators, tiers and monthly values by hand.
 *
 * Everything hangs off the dataset; db_free() frees it all. Month data
 * starts absent; db_month() makes a month's file present with a row for
 * every township and every cell empty (NAN). */
#ifndef KAOHE_TESTS_DATASET_BUILDER_H
#define KAOHE_TESTS_DATASET_BUILDER_H

#include <math.h>
#include <glib.h>
#include "kaohe/load.h"

/* ---- formulas ----------------------------------------------------------- */

static inline kh_expr *db_expr(kh_expr_kind kind, double number, int index,
                               kh_expr *a, kh_expr *b) {
  kh_expr *e = g_new0(kh_expr, 1);
  e->kind = kind;
  e->number = number;
  e->index = index;
  e->a = a;
  e->b = b;
  return e;
}
static inline kh_expr *db_num(double x) { return db_expr(KH_EXPR_NUMBER, x, 0, NULL, NULL); }
static inline kh_expr *db_field(int f) { return db_expr(KH_EXPR_FIELD, 0, f, NULL, NULL); }
static inline kh_expr *db_ytd(int f) { return db_expr(KH_EXPR_YTD, 0, f, NULL, NULL); }
static inline kh_expr *db_attr(int a) { return db_expr(KH_EXPR_ATTR, 0, a, NULL, NULL); }
static inline kh_expr *db_monthvar(void) { return db_expr(KH_EXPR_MONTH, 0, 0, NULL, NULL); }
static inline kh_expr *db_neg(kh_expr *a) { return db_expr(KH_EXPR_NEG, 0, 0, a, NULL); }
static inline kh_expr *db_add(kh_expr *a, kh_expr *b) { return db_expr(KH_EXPR_ADD, 0, 0, a, b); }
static inline kh_expr *db_sub(kh_expr *a, kh_expr *b) { return db_expr(KH_EXPR_SUB, 0, 0, a, b); }
static inline kh_expr *db_mul(kh_expr *a, kh_expr *b) { return db_expr(KH_EXPR_MUL, 0, 0, a, b); }
static inline kh_expr *db_div(kh_expr *a, kh_expr *b) { return db_expr(KH_EXPR_DIV, 0, 0, a, b); }

static inline void db_expr_free(kh_expr *e) {
  if (!e)
    return;
  db_expr_free(e->a);
  db_expr_free(e->b);
  g_free(e);
}

/* ---- the dataset -------------------------------------------------------- */

/* A dataset for `year` with the townships named in `names` (codes "01",
 * "02", ...), and the fields and attributes named in the NULL-terminated
 * lists (either may be NULL). No indicator, no tier, no month yet. */
static inline kh_dataset *db_new(int year, const char *const *names,
                                 const char *const *fields,
                                 const char *const *attrs) {
  kh_dataset *ds = g_new0(kh_dataset, 1);
  ds->dir = g_strdup("/nonexistent/dataset");
  ds->rules_path = g_strdup("/nonexistent/dataset/rules.ini");
  ds->rules.year = year;
  ds->rules.title = g_strdup("人口计生重点工作月考评");
  ds->rules.indicators = g_ptr_array_new();
  ds->rules.awards = g_ptr_array_new();
  ds->rules.penalties = g_ptr_array_new();
  ds->townships = g_ptr_array_new();
  for (int t = 0; names[t]; t++) {
    kh_township *tw = g_new0(kh_township, 1);
    tw->code = g_strdup_printf("%02d", t + 1);
    tw->name = g_strdup(names[t]);
    g_ptr_array_add(ds->townships, tw);
  }
  ds->fields = g_ptr_array_new();
  for (int f = 0; fields && fields[f]; f++) {
    kh_field *fd = g_new0(kh_field, 1);
    fd->id = g_strdup(fields[f]);
    fd->declared = true;
    g_ptr_array_add(ds->fields, fd);
  }
  ds->attr_names = g_ptr_array_new();
  for (int a = 0; attrs && attrs[a]; a++)
    g_ptr_array_add(ds->attr_names, g_strdup(attrs[a]));
  int n = kh_n_townships(ds) * kh_n_attrs(ds);
  ds->attrs = g_new(double, n + 1);
  for (int k = 0; k < n; k++)
    ds->attrs[k] = NAN;
  return ds;
}

static inline void db_set_attr(kh_dataset *ds, int t, int a, double v) {
  ds->attrs[t * kh_n_attrs(ds) + a] = v;
}

/* Makes month m (1..12) present: a row for every township, every cell
 * empty. */
static inline void db_month(kh_dataset *ds, int m) {
  kh_month_data *md = &ds->months[m - 1];
  int nt = kh_n_townships(ds), nf = kh_n_fields(ds);
  md->present = true;
  md->path = g_strdup_printf("%s/monthly/%04d-%02d.csv", ds->dir, ds->rules.year, m);
  md->row_line = g_new(int, nt + 1);
  md->values = g_new(double, nt * nf + 1);
  for (int t = 0; t < nt; t++)
    md->row_line[t] = t + 2; /* below a header line */
  for (int k = 0; k < nt * nf; k++)
    md->values[k] = NAN;
}

/* Sets one cell of month m (making the month present if needed). */
static inline void db_set(kh_dataset *ds, int m, int t, int f, double v) {
  if (!ds->months[m - 1].present)
    db_month(ds, m);
  ds->months[m - 1].values[t * kh_n_fields(ds) + f] = v;
}

/* Sets township t's whole row of month m: one value per field. */
static inline void db_row(kh_dataset *ds, int m, int t, const double *values) {
  for (int f = 0; f < kh_n_fields(ds); f++)
    db_set(ds, m, t, f, values[f]);
}

/* Township t has no row in month m. */
static inline void db_no_row(kh_dataset *ds, int m, int t) {
  if (!ds->months[m - 1].present)
    db_month(ds, m);
  ds->months[m - 1].row_line[t] = 0;
}

/* Adds an indicator (name = id, unit "", decimals 2, no veto); it owns the
 * two formulas. Returns it for further settings. */
static inline kh_indicator *db_indicator(kh_dataset *ds, const char *id,
                                         kh_expr *value, kh_op op,
                                         kh_expr *target, double weight,
                                         kh_method method, double points,
                                         double per) {
  kh_indicator *ind = g_new0(kh_indicator, 1);
  ind->id = g_strdup(id);
  ind->name = g_strdup(id);
  ind->unit = g_strdup("");
  ind->decimals = 2;
  ind->value_src = g_strdup("");
  ind->value = value;
  ind->op = op;
  ind->target_src = g_strdup("");
  ind->target = target;
  ind->weight = weight;
  ind->method = method;
  ind->points = points;
  ind->per = per;
  g_ptr_array_add(ds->rules.indicators, ind);
  return ind;
}

/* Adds an award or penalty tier with no condition; set them on the result. */
static inline kh_tier *db_tier(kh_dataset *ds, bool is_award, const char *name,
                               const char *action) {
  kh_tier *tier = g_new0(kh_tier, 1);
  tier->name = g_strdup(name);
  tier->is_award = is_award;
  tier->action = g_strdup(action);
  tier->label = g_strdup(is_award ? "一等奖" : "末位"); /* rules.c always gives one */
  g_ptr_array_add(is_award ? ds->rules.awards : ds->rules.penalties, tier);
  return tier;
}

static inline void db_tiers_free(GPtrArray *tiers) {
  for (guint k = 0; k < tiers->len; k++) {
    kh_tier *tier = g_ptr_array_index(tiers, k);
    g_free(tier->name);
    g_free(tier->action);
    g_free(tier->label);
    g_free(tier);
  }
  g_ptr_array_unref(tiers);
}

static inline void db_free(kh_dataset *ds) {
  for (guint i = 0; i < ds->rules.indicators->len; i++) {
    kh_indicator *ind = g_ptr_array_index(ds->rules.indicators, i);
    g_free(ind->id);
    g_free(ind->name);
    g_free(ind->unit);
    g_free(ind->value_src);
    g_free(ind->target_src);
    db_expr_free(ind->value);
    db_expr_free(ind->target);
    g_free(ind);
  }
  g_ptr_array_unref(ds->rules.indicators);
  db_tiers_free(ds->rules.awards);
  db_tiers_free(ds->rules.penalties);
  g_free(ds->rules.title);
  g_free(ds->rules.county);
  g_free(ds->rules.veto_action);
  for (guint t = 0; t < ds->townships->len; t++) {
    kh_township *tw = g_ptr_array_index(ds->townships, t);
    g_free(tw->code);
    g_free(tw->name);
    g_free(tw);
  }
  g_ptr_array_unref(ds->townships);
  for (guint f = 0; f < ds->fields->len; f++) {
    kh_field *fd = g_ptr_array_index(ds->fields, f);
    g_free(fd->id);
    g_free(fd);
  }
  g_ptr_array_unref(ds->fields);
  for (guint a = 0; a < ds->attr_names->len; a++)
    g_free(g_ptr_array_index(ds->attr_names, a));
  g_ptr_array_unref(ds->attr_names);
  g_free(ds->attrs);
  for (int m = 0; m < 12; m++) {
    g_free(ds->months[m].path);
    g_free(ds->months[m].row_line);
    g_free(ds->months[m].values);
  }
  g_free(ds->dir);
  g_free(ds->rules_path);
  g_free(ds);
}

#endif
