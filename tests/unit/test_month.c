/* kh_assess_month (docs/reference/scoring.md): statuses, rounding, met and gap, the
 * four methods in both directions, scores and totals, ranks, vetoes and
 * warnings, townships without a row, and the county line. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kaohe/assess.h"
#include "dataset_builder.h"

#define GE KH_OP_GE
#define LE KH_OP_LE
#define AON KH_METHOD_ALL_OR_NOTHING
#define PROP KH_METHOD_PROPORTIONAL
#define DEDUCT KH_METHOD_DEDUCT
#define OK KH_STATUS_OK
#define MISS KH_STATUS_MISSING
#define NA KH_STATUS_NA

/* One township, value = (v - v_shift) / (na ? 0 : 1), target = tg - tg_shift. */
typedef struct {
  const char *what;
  kh_method method;
  kh_op op;
  double w, p, u;
  int decimals;
  double v, v_shift, tg, tg_shift;
  bool na;
  kh_status status;
  double value, target, gap, score;
  bool met;
} method_case;

static const method_case method_cases[] = {
    /* all-or-nothing */
    {"aon >= met", AON, GE, 10, 0, 0, 2, 96, 0, 95, 0, false, OK, 96, 95, 0, 10, true},
    {"aon >= on target", AON, GE, 10, 0, 0, 2, 95, 0, 95, 0, false, OK, 95, 95, 0, 10, true},
    {"aon >= missed", AON, GE, 10, 0, 0, 2, 94.5, 0, 95, 0, false, OK, 94.5, 95, 0.5, 0, false},
    {"aon <= on target", AON, LE, 10, 0, 0, 1, 107, 0, 107, 0, false, OK, 107, 107, 0, 10, true},
    {"aon <= missed", AON, LE, 10, 0, 0, 2, 107.01, 0, 107, 0, false, OK, 107.01, 107, 0.01, 0, false},
    {"aon: met after rounding", AON, GE, 10, 0, 0, 2, 94.995, 0, 95, 0, false, OK, 95, 95, 0, 10, true},
    {"aon <=: met after rounding", AON, LE, 10, 0, 0, 1, 107.04, 0, 107, 0, false, OK, 107, 107, 0, 10, true},
    {"aon na scores W", AON, GE, 10, 0, 0, 2, 1, 0, 95, 0, true, NA, NAN, NAN, NAN, 10, false},
    {"aon missing scores 0", AON, GE, 10, 0, 0, 2, NAN, 0, 95, 0, false, MISS, NAN, NAN, NAN, 0, false},
    {"missing target", AON, GE, 10, 0, 0, 2, 96, 0, NAN, 0, false, MISS, NAN, NAN, NAN, 0, false},
    {"missing target beats na value", AON, GE, 10, 0, 0, 2, 96, 0, NAN, 0, true, MISS, NAN, NAN, NAN, 0, false},
    /* proportional */
    {"prop >= missed", PROP, GE, 10, 0, 0, 2, 84.71, 0, 95, 0, false, OK, 84.71, 95, 10.29, 8.92, false},
    {"prop >= met", PROP, GE, 10, 0, 0, 2, 96, 0, 95, 0, false, OK, 96, 95, 0, 10, true},
    {"prop >= half-point score", PROP, GE, 10, 0, 0, 2, 0.5, 0, 8, 0, false, OK, 0.5, 8, 7.5, 0.63, false},
    {"prop <= missed", PROP, LE, 10, 0, 0, 1, 125.5, 0, 107, 0, false, OK, 125.5, 107, 18.5, 8.53, false},
    {"prop <= met", PROP, LE, 10, 0, 0, 1, 100, 0, 107, 0, false, OK, 100, 107, 0, 10, true},
    {"prop <= 0 on 0", PROP, LE, 10, 0, 0, 2, 0, 0, 0, 0, false, OK, 0, 0, 0, 10, true},
    {"prop >= 0 on 0", PROP, GE, 10, 0, 0, 2, 0, 0, 0, 0, false, OK, 0, 0, 0, 10, true},
    {"prop >= zero target after a miss", PROP, GE, 10, 0, 0, 2, 2, 5, 0, 0, false, OK, -3, 0, 3, 0, false},
    {"prop <= zero value after a miss", PROP, LE, 10, 0, 0, 2, 0, 0, 0, 1, false, OK, 0, -1, 1, 0, false},
    {"prop >= negative clamps to 0", PROP, GE, 10, 0, 0, 2, 2, 5, 10, 0, false, OK, -3, 10, 13, 0, false},
    {"prop <= negative target clamps to 0", PROP, LE, 10, 0, 0, 2, 5, 0, 0, 1, false, OK, 5, -1, 6, 0, false},
    {"prop na scores W", PROP, LE, 10, 0, 0, 2, 1, 0, 95, 0, true, NA, NAN, NAN, NAN, 10, false},
    /* deduct P per U */
    {"deduct <= spec example", DEDUCT, LE, 20, 2, 1, 1, 108.3, 0, 107, 0, false, OK, 108.3, 107, 1.3, 17.4, false},
    {"deduct <= floors at 0", DEDUCT, LE, 20, 2, 1, 1, 125.5, 0, 107, 0, false, OK, 125.5, 107, 18.5, 0, false},
    {"deduct <= met", DEDUCT, LE, 20, 2, 1, 1, 106.9, 0, 107, 0, false, OK, 106.9, 107, 0, 20, true},
    {"deduct continuous, not per whole unit", DEDUCT, GE, 20, 1, 0.5, 2, 94.75, 0, 95, 0, false, OK, 94.75, 95, 0.25, 19.5, false},
    {"deduct >= on the rounded gap", DEDUCT, GE, 20, 3, 1, 1, 94.94, 0, 95, 0, false, OK, 94.9, 95, 0.1, 19.7, false},
    {"deduct half-point score", DEDUCT, GE, 10, 0.25, 1, 1, 94.9, 0, 95, 0, false, OK, 94.9, 95, 0.1, 9.98, false},
    {"deduct exactly to 0", DEDUCT, GE, 10, 1, 1, 2, 85, 0, 95, 0, false, OK, 85, 95, 10, 0, false},
    {"deduct na scores W", DEDUCT, GE, 20, 2, 1, 2, 1, 0, 95, 0, true, NA, NAN, NAN, NAN, 20, false},
    /* rounding of value and target at the indicator's decimals */
    {"value rounds half away from zero", AON, GE, 10, 0, 0, 2, 2.675, 0, 2.68, 0, false, OK, 2.68, 2.68, 0, 10, true},
    {"decimals 0", AON, GE, 10, 0, 0, 0, 94.5, 0, 95.4, 0, false, OK, 95, 95, 0, 10, true},
    {"gap rounds", PROP, GE, 10, 0, 0, 2, 84.709999999999994, 0, 95, 0, false, OK, 84.71, 95, 10.29, 8.92, false},
};

static bool same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

static void test_methods(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof method_cases / sizeof method_cases[0]; k++) {
    const method_case *c = &method_cases[k];
    kh_dataset *ds = db_new(2013, (const char *[]){"城关镇", NULL},
                            (const char *[]){"v", "tg", NULL}, NULL);
    db_row(ds, 7, 0, (double[]){c->v, c->tg});
    kh_indicator *ind = db_indicator(
        ds, "x", db_div(db_sub(db_field(0), db_num(c->v_shift)), db_num(c->na ? 0 : 1)),
        c->op, db_sub(db_field(1), db_num(c->tg_shift)), c->w, c->method, c->p, c->u);
    ind->decimals = c->decimals;
    kh_month_result *r = kh_assess_month(ds, 7);
    const kh_cell *cell = kh_cell_at(r, 0, 0);
    if (cell->status != c->status || !same(cell->value, c->value) ||
        !same(cell->target, c->target) || !same(cell->gap, c->gap) ||
        cell->score != c->score || cell->met != c->met)
      fail_msg("%s: status %d value %.17g target %.17g gap %.17g score %.17g met %d",
               c->what, cell->status, cell->value, cell->target, cell->gap,
               cell->score, cell->met);
    assert_true(r->totals[0] == c->score);
    kh_month_result_free(r);
    db_free(ds);
  }
}

/* ---- rank method -------------------------------------------------------- */

/* Six townships with value v (field 0) against 90; a missing one and an
 * na one (field 1 = 0 divides). */
static kh_dataset *rank_dataset(kh_op op, double w, double p) {
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", "丙", "丁", "戊", "己", NULL},
                          (const char *[]){"v", "d", NULL}, NULL);
  const double v[] = {90.004, 95, 94.996, 80, NAN, 70};
  const double d[] = {1, 1, 1, 1, 1, 0};
  for (int t = 0; t < 6; t++)
    db_row(ds, 7, t, (double[]){v[t], d[t]});
  db_indicator(ds, "r", db_div(db_field(0), db_field(1)), op, db_num(90), w,
               KH_METHOD_RANK, p, 0);
  return ds;
}

static void test_rank_method(void **state) {
  (void)state;
  /* >=: 95 and 95.00 (94.996 rounded) tie for 1; 90.00 is 3; 80 is 4. */
  kh_dataset *ds = rank_dataset(GE, 10, 2);
  kh_month_result *r = kh_assess_month(ds, 7);
  const int ranks[] = {3, 1, 1, 4, 0, 0};
  const double scores[] = {6, 10, 10, 4, 0, 10};
  const bool met[] = {true, true, true, false, false, false};
  for (int t = 0; t < 6; t++) {
    assert_int_equal(r->indicator_ranks[t], ranks[t]);
    assert_true(kh_cell_at(r, t, 0)->score == scores[t]);
    assert_int_equal(kh_cell_at(r, t, 0)->met, met[t]);
  }
  assert_true(kh_cell_at(r, 3, 0)->gap == 10); /* met and gap still reported */
  kh_month_result_free(r);
  db_free(ds);

  /* <=: ascending; P large enough to floor at 0. */
  ds = rank_dataset(LE, 10, 4);
  r = kh_assess_month(ds, 7);
  const int le_ranks[] = {2, 3, 3, 1, 0, 0};
  const double le_scores[] = {6, 2, 2, 10, 0, 10};
  for (int t = 0; t < 6; t++) {
    assert_int_equal(r->indicator_ranks[t], le_ranks[t]);
    assert_true(kh_cell_at(r, t, 0)->score == le_scores[t]);
  }
  kh_month_result_free(r);
  db_free(ds);

  ds = rank_dataset(GE, 10, 4);
  r = kh_assess_month(ds, 7);
  assert_true(kh_cell_at(r, 3, 0)->score == 0); /* 10 - 4 * 3 < 0 */
  kh_month_result_free(r);
  db_free(ds);
}

/* A vetoed township still takes its place in the rank method's order. */
static void test_rank_includes_vetoed(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", "丙", NULL},
                          (const char *[]){"v", "fee", NULL}, NULL);
  const double v[] = {99, 98, 97}, fee[] = {100, 50, 100};
  for (int t = 0; t < 3; t++)
    db_row(ds, 7, t, (double[]){v[t], fee[t]});
  db_indicator(ds, "r", db_field(0), GE, db_num(0), 10, KH_METHOD_RANK, 1, 0);
  db_indicator(ds, "fee", db_field(1), GE, db_num(100), 0, AON, 0, 0)->veto = true;
  kh_month_result *r = kh_assess_month(ds, 7);
  assert_true(r->vetoed[1]);
  assert_true(kh_cell_at(r, 2, 0)->score == 8);
  assert_int_equal(r->indicator_ranks[2 * 2 + 0], 3);
  kh_month_result_free(r);
  db_free(ds);
}

/* ---- totals and ranks ---------------------------------------------------- */

/* The total adds the rounded scores: 8.92 + 0.63 = 9.55, where the
 * unrounded 8.9168... + 0.625 would round to 9.54. */
static void test_total_of_rounded_scores(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", NULL},
                          (const char *[]){"a", "b", NULL}, NULL);
  db_row(ds, 7, 0, (double[]){84.71, 0.5});
  db_indicator(ds, "a", db_field(0), GE, db_num(95), 10, PROP, 0, 0);
  db_indicator(ds, "b", db_field(1), GE, db_num(8), 10, PROP, 0, 0);
  kh_month_result *r = kh_assess_month(ds, 7);
  assert_true(kh_cell_at(r, 0, 0)->score == 8.92);
  assert_true(kh_cell_at(r, 0, 1)->score == 0.63);
  assert_true(r->totals[0] == 9.55);
  kh_month_result_free(r);
  db_free(ds);
}

/* Competition ranking of totals, 1 2 2 4, exact ties on rounded totals. */
static void test_total_ranks(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", "丙", "丁", "戊", NULL},
                          (const char *[]){"a", NULL}, NULL);
  const double a[] = {80, 90, 80.001, 70, 80};
  for (int t = 0; t < 5; t++)
    db_set(ds, 7, t, 0, a[t]);
  db_indicator(ds, "a", db_field(0), GE, db_num(100), 100, PROP, 0, 0);
  kh_month_result *r = kh_assess_month(ds, 7);
  const int ranks[] = {2, 1, 2, 5, 2};
  for (int t = 0; t < 5; t++)
    assert_int_equal(r->ranks[t], ranks[t]);
  kh_month_result_free(r);
  db_free(ds);
}

/* ---- townships without a row --------------------------------------------- */

static void test_no_row(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", NULL},
                          (const char *[]){"a", NULL}, (const char *[]){"task", NULL});
  db_set_attr(ds, 0, 0, 5);
  db_set_attr(ds, 1, 0, 5);
  db_set(ds, 7, 0, 0, 1);
  db_no_row(ds, 7, 1);
  /* An indicator that reads only an attribute and month, and a veto one. */
  db_indicator(ds, "attr", db_mul(db_attr(0), db_monthvar()), GE, db_num(0), 10, AON, 0, 0);
  db_indicator(ds, "a", db_field(0), GE, db_num(0), 10, AON, 0, 0)->veto = true;
  kh_month_result *r = kh_assess_month(ds, 7);
  assert_int_equal(kh_cell_at(r, 0, 0)->status, OK);
  assert_true(r->totals[0] == 20);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(kh_cell_at(r, 1, i)->status, MISS);
    assert_true(kh_cell_at(r, 1, i)->score == 0);
  }
  assert_true(r->totals[1] == 0);
  assert_int_equal(r->ranks[1], 2);
  assert_true(r->vetoed[1]); /* missing on a veto item, no deadline */
  assert_int_equal(r->county[0].left_out, 1);
  assert_true(r->county[0].value == 35); /* 5 * 7, township 1 left out */
  kh_month_result_free(r);

  /* A month whose file is absent: every township has no row. */
  r = kh_assess_month(ds, 8);
  assert_int_equal(kh_cell_at(r, 0, 0)->status, MISS);
  assert_true(r->totals[0] == 0 && r->totals[1] == 0);
  assert_int_equal(r->ranks[0], 1);
  assert_int_equal(r->ranks[1], 1);
  assert_int_equal(r->county[0].status, MISS);
  assert_int_equal(r->county[0].left_out, 2);
  kh_month_result_free(r);
  assert_null(kh_assess_month(ds, 0));
  assert_null(kh_assess_month(ds, 13));
  db_free(ds);
}

/* An indicator with `from` (docs/reference/dataset.md) is no part of earlier months: not
 * in the month's indicators, its weight not in the totals; from its month
 * on its ytd() sums start there, so an earlier gap does not make it
 * missing. */
static void test_from(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", NULL},
                          (const char *[]){"a", NULL}, NULL);
  for (int m = 1; m <= 4; m++)
    for (int t = 0; t < 2; t++)
      db_set(ds, m, t, 0, m == 2 && t == 1 ? NAN : 10 * m + t);
  db_indicator(ds, "old", db_field(0), GE, db_num(0), 60, AON, 0, 0);
  kh_indicator *late = db_indicator(ds, "late", db_ytd(0), GE, db_num(65), 40, AON, 0, 0);
  late->from_month = 3;
  kh_month_result *r = kh_assess_month(ds, 2);
  assert_int_equal(r->n_indicators, 1);
  assert_string_equal(kh_result_indicator(r, 0)->id, "old");
  assert_true(r->totals[0] == 60);
  kh_month_result_free(r);
  r = kh_assess_month(ds, 4);
  assert_int_equal(r->n_indicators, 2);
  assert_string_equal(kh_result_indicator(r, 1)->id, "late");
  /* ytd from March: 30 + 40 for 甲, 31 + 41 for 乙 (February's gap is
   * before it) */
  assert_int_equal(kh_cell_at(r, 0, 1)->status, OK);
  assert_true(kh_cell_at(r, 0, 1)->value == 70);
  assert_true(kh_cell_at(r, 1, 1)->value == 72);
  assert_true(r->totals[0] == 100 && r->totals[1] == 100);
  assert_true(r->county[1].value == 142);
  kh_month_result_free(r);
  db_free(ds);
}

/* ---- veto and warnings ---------------------------------------------------- */

typedef struct {
  const char *what;
  int month;
  double fee;      /* the fee rate, NAN = missing; divided by `due` */
  double due;
  bool has_deadline;
  bool warning, vetoes;
} veto_case;

static const veto_case veto_cases[] = {
    {"short before the deadline's month: warning", 8, 90, 1, true, true, false},
    {"short in the deadline's month: veto", 9, 90, 1, true, false, true},
    {"short after the deadline's month: veto", 10, 90, 1, true, false, true},
    {"missing before the deadline: warning", 8, NAN, 1, true, true, false},
    {"missing at the deadline: veto", 9, NAN, 1, true, false, true},
    {"na before the deadline: neither", 8, 90, 0, true, false, false},
    {"na after the deadline: neither", 10, 90, 0, true, false, false},
    {"met: neither", 10, 100, 1, true, false, false},
    {"met before the deadline: neither", 7, 100, 1, true, false, false},
    {"no deadline: veto in any month", 1, 90, 1, false, false, true},
};

static void test_veto(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof veto_cases / sizeof veto_cases[0]; k++) {
    const veto_case *c = &veto_cases[k];
    kh_dataset *ds = db_new(2013, (const char *[]){"甲", NULL},
                            (const char *[]){"fee", "due", NULL}, NULL);
    db_row(ds, c->month, 0, (double[]){c->fee, c->due});
    kh_indicator *ind = db_indicator(ds, "fee", db_div(db_field(0), db_field(1)), GE,
                                     db_num(100), 5, AON, 0, 0);
    ind->veto = true;
    ind->has_deadline = c->has_deadline;
    ind->deadline_year = 2013;
    ind->deadline_month = 9;
    ind->deadline_day = 15;
    kh_month_result *r = kh_assess_month(ds, c->month);
    const kh_cell *cell = kh_cell_at(r, 0, 0);
    if (cell->warning != c->warning || cell->vetoes != c->vetoes ||
        r->warned[0] != c->warning || r->vetoed[0] != c->vetoes)
      fail_msg("%s: warning %d vetoes %d", c->what, cell->warning, cell->vetoes);
    assert_int_equal(r->ranks[0], 1); /* a vetoed township keeps its rank */
    kh_month_result_free(r);
    db_free(ds);
  }
}

/* A deadline in another year compares by year and month. */
static void test_veto_deadline_other_year(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", NULL}, (const char *[]){"fee", NULL}, NULL);
  db_set(ds, 12, 0, 0, 50);
  kh_indicator *ind = db_indicator(ds, "fee", db_field(0), GE, db_num(100), 0, AON, 0, 0);
  ind->veto = ind->has_deadline = true;
  ind->deadline_year = 2014;
  ind->deadline_month = 1;
  kh_month_result *r = kh_assess_month(ds, 12);
  assert_true(r->warned[0] && !r->vetoed[0]);
  kh_month_result_free(r);
  ind->deadline_year = 2012;
  ind->deadline_month = 12;
  r = kh_assess_month(ds, 12);
  assert_true(!r->warned[0] && r->vetoed[0]);
  kh_month_result_free(r);
  db_free(ds);
}

/* ---- county ---------------------------------------------------------------- */

/* ratio = ytd(boys) / ytd(girls) * 100 <= 107; target from an attribute in
 * another indicator. Township 1 has an empty cell (left out), township 2
 * has girls = 0 (na, stays in). */
static void test_county(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", "丙", "丁", NULL},
                          (const char *[]){"boys", "girls", "done", NULL},
                          (const char *[]){"task", NULL});
  const double boys[] = {60, 50, 5, 40}, girls[] = {50, 40, 0, 30};
  const double done[] = {8, NAN, 9, 7}, task[] = {10, 100, 10, 10};
  for (int t = 0; t < 4; t++) {
    db_row(ds, 7, t, (double[]){boys[t], girls[t], done[t]});
    db_set_attr(ds, t, 0, task[t]);
  }
  db_set(ds, 7, 1, 1, NAN);
  kh_indicator *ratio = db_indicator(
      ds, "ratio", db_mul(db_div(db_field(0), db_field(1)), db_num(100)), LE, db_num(107),
      20, DEDUCT, 2, 1);
  ratio->decimals = 1;
  db_indicator(ds, "done", db_mul(db_div(db_field(2), db_attr(0)), db_num(100)), GE,
               db_num(80), 10, PROP, 0, 0);
  kh_month_result *r = kh_assess_month(ds, 7);

  assert_int_equal(kh_cell_at(r, 1, 0)->status, MISS);
  assert_int_equal(kh_cell_at(r, 2, 0)->status, NA);
  assert_true(kh_cell_at(r, 2, 0)->score == 20);
  const kh_county_cell *c = &r->county[0];
  assert_int_equal(c->status, OK);
  assert_int_equal(c->left_out, 1);
  assert_true(c->value == kh_round((60.0 + 5 + 40) / (50.0 + 0 + 30) * 100, 1)); /* 131.3 */
  assert_true(c->value == 131.3);
  assert_true(c->target == 107);
  assert_false(c->met);
  assert_true(c->gap == 24.3);

  /* The target sums leave the same township out: (8 + 9 + 7) / 30. */
  c = &r->county[1];
  assert_int_equal(c->left_out, 1);
  assert_true(c->value == 80);
  assert_true(c->met);
  assert_true(c->gap == 0);
  kh_month_result_free(r);
  db_free(ds);
}

/* The county target is summed over the same townships as its value. */
static void test_county_target_sums(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", NULL},
                          (const char *[]){"done", NULL}, (const char *[]){"task", NULL});
  db_set(ds, 7, 0, 0, 50);
  db_set(ds, 7, 1, 0, NAN);
  db_set_attr(ds, 0, 0, 60);
  db_set_attr(ds, 1, 0, 1000);
  db_indicator(ds, "d", db_field(0), GE, db_mul(db_attr(0), db_num(0.8)), 10, AON, 0, 0);
  kh_month_result *r = kh_assess_month(ds, 7);
  assert_true(r->county[0].target == 48);
  assert_true(r->county[0].value == 50 && r->county[0].met);
  kh_month_result_free(r);
  db_free(ds);
}

/* Every township na on the county's own sums: the county is na. */
static void test_county_na(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", NULL},
                          (const char *[]){"a", "b", NULL}, NULL);
  db_row(ds, 7, 0, (double[]){1, 0});
  db_row(ds, 7, 1, (double[]){2, 0});
  db_indicator(ds, "r", db_div(db_field(0), db_field(1)), GE, db_num(1), 10, AON, 0, 0);
  kh_month_result *r = kh_assess_month(ds, 7);
  assert_int_equal(r->county[0].status, NA);
  assert_int_equal(r->county[0].left_out, 0);
  assert_true(isnan(r->county[0].value) && isnan(r->county[0].gap));
  assert_false(r->county[0].met);
  kh_month_result_free(r);
  db_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_methods),
      cmocka_unit_test(test_rank_method),
      cmocka_unit_test(test_rank_includes_vetoed),
      cmocka_unit_test(test_total_of_rounded_scores),
      cmocka_unit_test(test_total_ranks),
      cmocka_unit_test(test_no_row),
      cmocka_unit_test(test_from),
      cmocka_unit_test(test_veto),
      cmocka_unit_test(test_veto_deadline_other_year),
      cmocka_unit_test(test_county),
      cmocka_unit_test(test_county_target_sums),
      cmocka_unit_test(test_county_na),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
