/* A small county built in memory for the workbook tests (test_xlsx.c):
 * a kh_dataset with four indicators and four townships, and the month and
 * quarter results the engine would hand the renderers, with every status
 * (ok met, ok missed, missing, na), a warning, a veto, and names that
 * Excel's sheet-name rules and file systems dislike. The numbers are
 * consistent with docs/reference/rules.md but written out, not computed, so these tests
 * need neither the loader nor the engine. */
#ifndef KAOHE_TESTS_XLSX_FIXTURE_H
#define KAOHE_TESTS_XLSX_FIXTURE_H

#include <math.h>
#include <glib.h>
#include "kaohe/render.h"

#define FX_T 4 /* townships */
#define FX_I 4 /* indicators */

static inline void fx_indicator_free(kh_indicator *ind) {
  g_free(ind->id);
  g_free(ind->name);
  g_free(ind->unit);
  g_free(ind);
}

static inline void fx_township_free(kh_township *tw) {
  g_free(tw->code);
  g_free(tw->name);
  g_free(tw);
}

static inline kh_indicator *fx_indicator(const char *id, const char *name, const char *unit,
                                  int decimals, kh_op op, double weight,
                                  kh_method method, double points, double per) {
  kh_indicator *ind = g_new0(kh_indicator, 1);
  ind->id = g_strdup(id);
  ind->name = g_strdup(name);
  ind->unit = g_strdup(unit);
  ind->decimals = decimals;
  ind->op = op;
  ind->weight = weight;
  ind->method = method;
  ind->points = points;
  ind->per = per;
  return ind;
}

/* Caller frees with fx_dataset_free(). */
static inline kh_dataset *fx_dataset(void) {
  kh_dataset *ds = g_new0(kh_dataset, 1);
  ds->rules.title = g_strdup("人口计生重点工作月考评");
  ds->rules.county = g_strdup("某某县");
  ds->rules.issuer = g_strdup("某某县人口和计划生育局");
  ds->rules.year = 2013;
  ds->rules.indicators = g_ptr_array_new_with_free_func((GDestroyNotify)fx_indicator_free);
  ds->rules.awards = g_ptr_array_new();
  ds->rules.penalties = g_ptr_array_new();
  g_ptr_array_add(ds->rules.indicators,
                  fx_indicator("sex_ratio", "出生人口性别比", "", 1, KH_OP_LE, 20,
                               KH_METHOD_DEDUCT, 2, 1));
  g_ptr_array_add(ds->rules.indicators,
                  fx_indicator("id_rate", "身份证号码录入率", "%", 2, KH_OP_GE, 30,
                               KH_METHOD_PROPORTIONAL, 0, 0));
  kh_indicator *fee = fx_indicator("fee", "独生子女保健费兑现率", "%", 2, KH_OP_GE, 0,
                                   KH_METHOD_ALL_OR_NOTHING, 0, 0);
  fee->veto = true;
  fee->has_deadline = true;
  fee->deadline_year = 2013, fee->deadline_month = 9, fee->deadline_day = 15;
  g_ptr_array_add(ds->rules.indicators, fee);
  /* Longer than 31 characters, with every character a sheet name forbids. */
  g_ptr_array_add(ds->rules.indicators,
                  fx_indicator("info", "人口/计生:信息[化]*建设?\\综合评价（含流动人口服务管理和“两非”整治工作）",
                               "人", 0, KH_OP_GE, 50, KH_METHOD_RANK, 5, 0));
  ds->townships = g_ptr_array_new_with_free_func((GDestroyNotify)fx_township_free);
  static const char *const codes[FX_T] = {"01", "02", "03", "04"};
  static const char *const names[FX_T] = {"城关镇", "河口乡", "东风镇", "新*乡/&<测试>"};
  for (int t = 0; t < FX_T; t++) {
    kh_township *tw = g_new0(kh_township, 1);
    tw->code = g_strdup(codes[t]);
    tw->name = g_strdup(names[t]);
    g_ptr_array_add(ds->townships, tw);
  }
  ds->attr_names = g_ptr_array_new();
  ds->fields = g_ptr_array_new();
  return ds;
}

static inline void fx_dataset_free(kh_dataset *ds) {
  g_free(ds->rules.title);
  g_free(ds->rules.county);
  g_free(ds->rules.issuer);
  g_ptr_array_unref(ds->rules.indicators);
  g_ptr_array_unref(ds->rules.awards);
  g_ptr_array_unref(ds->rules.penalties);
  g_ptr_array_unref(ds->townships);
  g_ptr_array_unref(ds->attr_names);
  g_ptr_array_unref(ds->fields);
  g_free(ds);
}

/* One row of cells: status, value, target, gap, met, score, warning, vetoes. */
typedef struct {
  kh_status st;
  double value, target, gap;
  bool met;
  double score;
  bool warning, vetoes;
} fx_cell;

#define OK(v, tg, gap, met, score) {KH_STATUS_OK, v, tg, gap, met, score, false, false}
#define MISSING {KH_STATUS_MISSING, NAN, NAN, NAN, false, 0, false, false}
#define NA(score) {KH_STATUS_NA, NAN, NAN, NAN, false, score, false, false}

/* July: township 2 is missing on sex ratio; township 3 divides by zero on
 * the id rate; the fee is short in 1 (a warning before September). In
 * September (`late`) the same shortfall vetoes township 1. */
static inline kh_month_result *fx_month(const kh_dataset *ds, int month) {
  bool late = month >= 9;
  fx_cell rows[FX_T][FX_I] = {
      {OK(108.3, 107, 1.3, false, 17.4), OK(96.5, 95, 0, true, 30),
       OK(100, 100, 0, true, 0), OK(1250, 1000, 0, true, 50)},
      {OK(125.5, 107, 18.5, false, 0), OK(84.71, 95, 10.29, false, 26.75),
       OK(94.5, 100, 5.5, false, 0), OK(980, 1000, 20, false, 45)},
      {MISSING, OK(73.15, 95, 21.85, false, 23.1), OK(100, 100, 0, true, 0),
       OK(800, 900, 100, false, 40)},
      {OK(104, 107, 0, true, 20), NA(30), OK(100, 100, 0, true, 0), MISSING},
  };
  rows[1][2].warning = !late;
  rows[1][2].vetoes = late;
  static const double totals[FX_T] = {97.4, 71.75, 63.1, 50};
  static const int ranks[FX_T] = {1, 2, 3, 4};
  static const int ind_ranks[FX_T][FX_I] = {
      {2, 1, 1, 1}, {3, 2, 4, 2}, {0, 3, 1, 3}, {1, 0, 1, 0}};

  kh_month_result *r = g_new0(kh_month_result, 1);
  r->ds = ds;
  r->year = 2013;
  r->month = month;
  r->n_townships = FX_T;
  r->n_indicators = FX_I;
  r->indicators = g_new(const kh_indicator *, FX_I);
  for (int i = 0; i < FX_I; i++)
    r->indicators[i] = kh_indicator_at(ds, i);
  r->cells = g_new0(kh_cell, FX_T * FX_I);
  r->totals = g_new(double, FX_T);
  r->ranks = g_new(int, FX_T);
  r->indicator_ranks = g_new(int, FX_T * FX_I);
  r->vetoed = g_new0(bool, FX_T);
  r->warned = g_new0(bool, FX_T);
  r->county = g_new0(kh_county_cell, FX_I);
  for (int t = 0; t < FX_T; t++) {
    for (int i = 0; i < FX_I; i++) {
      const fx_cell *f = &rows[t][i];
      kh_cell *c = &r->cells[t * FX_I + i];
      *c = (kh_cell){f->st, f->value, f->target, f->gap, f->met, f->score, f->warning,
                     f->vetoes};
      r->indicator_ranks[t * FX_I + i] = ind_ranks[t][i];
      r->vetoed[t] = r->vetoed[t] || f->vetoes;
      r->warned[t] = r->warned[t] || f->warning;
    }
    r->totals[t] = totals[t];
    r->ranks[t] = ranks[t];
  }
  r->county[0] = (kh_county_cell){KH_STATUS_OK, 112.4, 107, 5.4, false, 1};
  r->county[1] = (kh_county_cell){KH_STATUS_OK, 86.12, 95, 8.88, false, 0};
  r->county[2] = (kh_county_cell){KH_STATUS_OK, 98.61, 100, 1.39, false, 0};
  r->county[3] = (kh_county_cell){KH_STATUS_OK, 3030, 2900, 0, true, 1};
  return r;
}

static inline void fx_month_free(kh_month_result *r) {
  if (!r)
    return;
  g_free(r->indicators);
  g_free(r->cells);
  g_free(r->totals);
  g_free(r->ranks);
  g_free(r->indicator_ranks);
  g_free(r->vetoed);
  g_free(r->warned);
  g_free(r->county);
  g_free(r);
}

/* Q3 with July, August (July's figures again) and September. */
static inline kh_quarter_result *fx_quarter(const kh_dataset *ds, kh_tier *award,
                                     kh_tier *penalty) {
  kh_quarter_result *q = g_new0(kh_quarter_result, 1);
  q->ds = ds;
  q->year = 2013;
  q->quarter = 3;
  q->n_months = 3;
  q->n_townships = FX_T;
  for (int k = 0; k < 3; k++) {
    q->months[k] = 7 + k;
    q->month_results[k] = fx_month(ds, 7 + k);
  }
  q->monthly = g_new(double, FX_T * 3);
  q->scores = g_new(double, FX_T);
  q->ranks = g_new(int, FX_T);
  q->vetoed = g_new0(bool, FX_T);
  q->awards = g_new0(const kh_tier *, FX_T);
  q->penalties = g_new0(const kh_tier *, FX_T);
  q->actions = g_new0(const char *, FX_T);
  static const double scores[FX_T] = {97.4, 71.75, 63.1, 50};
  static const int ranks[FX_T] = {1, 0, 2, 3};
  for (int t = 0; t < FX_T; t++) {
    for (int k = 0; k < 3; k++)
      q->monthly[t * 3 + k] = q->month_results[k]->totals[t];
    q->scores[t] = scores[t];
    q->ranks[t] = ranks[t];
    q->vetoed[t] = q->month_results[2]->vetoed[t];
  }
  q->awards[0] = award;
  q->actions[0] = award->action;
  q->actions[1] = "取消本季度评先评优资格,通报批评";
  q->penalties[3] = penalty;
  q->actions[3] = penalty->action;
  return q;
}

static inline void fx_quarter_free(kh_quarter_result *q) {
  for (int k = 0; k < 3; k++)
    fx_month_free(q->month_results[k]);
  g_free(q->monthly);
  g_free(q->scores);
  g_free(q->ranks);
  g_free(q->vetoed);
  g_free(q->awards);
  g_free(q->penalties);
  g_free(q->actions);
  g_free(q);
}

#undef OK
#undef MISSING
#undef NA

#endif
