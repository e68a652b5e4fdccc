/* kh_assess_quarter (docs/reference/scoring.md): the mean of the monthly totals, partial
 * quarters, vetoes in any month, the quarter ranking and every tier
 * condition, ties at the bottom included. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kaohe/assess.h"
#include "dataset_builder.h"

/* n townships scored by one proportional indicator "s" whose score is the
 * field value itself (target 100, weight 100), and a veto indicator "fee"
 * (>= 100, weight 0, no deadline). The quarter
 * is Q3; totals[t][k] give the month totals (NAN: no row), fee_short[t]
 * the month index (0..2) with a fee shortfall or -1. */
static kh_dataset *quarter_dataset(int n, const double totals[][3],
                                   const int *fee_short) {
  static const char *names[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", NULL};
  const char *list[9] = {NULL};
  for (int t = 0; t < n; t++)
    list[t] = names[t];
  kh_dataset *ds = db_new(2013, list, (const char *[]){"s", "fee", NULL}, NULL);
  ds->rules.veto_action = g_strdup("取消本季度评先评优资格,通报批评");
  for (int k = 0; k < 3; k++)
    db_month(ds, 7 + k);
  for (int t = 0; t < n; t++)
    for (int k = 0; k < 3; k++) {
      if (isnan(totals[t][k])) {
        db_no_row(ds, 7 + k, t);
        continue;
      }
      db_row(ds, 7 + k, t,
             (double[]){totals[t][k], fee_short && fee_short[t] == k ? 90 : 100});
    }
  db_indicator(ds, "s", db_field(0), KH_OP_GE, db_num(100), 100,
               KH_METHOD_PROPORTIONAL, 0, 0);
  kh_indicator *fee = db_indicator(ds, "fee", db_field(1), KH_OP_GE, db_num(100), 0,
                                   KH_METHOD_ALL_OR_NOTHING, 0, 0);
  fee->veto = true;
  return ds;
}

/* The docs/reference/rules.md tiers: first = rank 1; second = ranks 2-3 and score >= 80;
 * last = bottom 1; low = below 60. */
static void spec_tiers(kh_dataset *ds) {
  kh_tier *t = db_tier(ds, true, "first", "通报表扬,奖励工作经费3000元");
  t->rank_lo = t->rank_hi = 1;
  t = db_tier(ds, true, "second", "通报表扬,奖励工作经费2000元");
  t->rank_lo = 2;
  t->rank_hi = 3;
  t->has_min_score = true;
  t->min_score = 80;
  t = db_tier(ds, false, "last", "通报批评,约谈分管领导");
  t->bottom = 1;
  t = db_tier(ds, false, "low", "黄牌警告");
  t->has_below = true;
  t->below = 60;
}

static const char *tier_name(const kh_tier *t) { return t ? t->name : "-"; }

/* Checks rank, award and penalty of every township. */
static void expect_tiers(const kh_quarter_result *q, const int *ranks,
                         const char *const *awards, const char *const *penalties) {
  for (int t = 0; t < q->n_townships; t++) {
    if (q->ranks[t] != ranks[t] || strcmp(tier_name(q->awards[t]), awards[t]) ||
        strcmp(tier_name(q->penalties[t]), penalties[t]))
      fail_msg("township %d: rank %d award %s penalty %s; expected %d %s %s", t,
               q->ranks[t], tier_name(q->awards[t]), tier_name(q->penalties[t]),
               ranks[t], awards[t], penalties[t]);
    const char *action = q->awards[t] ? q->awards[t]->action
                         : q->penalties[t] ? q->penalties[t]->action
                                           : NULL;
    if (!q->vetoed[t])
      assert_ptr_equal(q->actions[t], action);
  }
}

static void test_mean_and_tiers(void **state) {
  (void)state;
  const double totals[][3] = {
      {87.25, 90, 85.5},  /* 87.58 */
      {95, 95, 95},       /* 95 */
      {80, 80, 79.97},    /* 79.99: rank 3 but below min_score 80 */
      {70, 70, 70},       /* 70 */
      {50, 60, 55},       /* 55: bottom */
  };
  kh_dataset *ds = quarter_dataset(5, totals, NULL);
  spec_tiers(ds);
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  assert_non_null(q);
  assert_int_equal(diags->n_errors, 0);
  assert_false(q->partial);
  assert_int_equal(q->n_months, 3);
  assert_int_equal(q->months[0], 7);
  assert_int_equal(q->months[2], 9);
  assert_true(q->monthly[0 * 3 + 1] == 90);
  assert_true(q->scores[0] == 87.58);
  assert_true(q->scores[2] == 79.99);
  assert_true(q->scores[4] == 55);
  expect_tiers(q, (const int[]){2, 1, 3, 4, 5},
               (const char *[]){"second", "first", "-", "-", "-"},
               (const char *[]){"-", "-", "-", "-", "last"});
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* Ties: two share rank 1 (both first); two tie last (both in bottom 1);
 * below 60 catches the one above them. */
static void test_ties(void **state) {
  (void)state;
  const double totals[][3] = {
      {90, 90, 90}, {90, 90, 90}, {85, 85, 85}, {59, 59, 59}, {40, 40, 40}, {40, 40, 40},
  };
  kh_dataset *ds = quarter_dataset(6, totals, NULL);
  spec_tiers(ds);
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  expect_tiers(q, (const int[]){1, 1, 3, 4, 5, 5},
               (const char *[]){"first", "first", "second", "-", "-", "-"},
               (const char *[]){"-", "-", "-", "low", "last", "last"});
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* bottom = 2 with a tie in second-to-last place: fewer than 2 rank
 * strictly below each of the three. */
static void test_bottom_n(void **state) {
  (void)state;
  const double totals[][3] = {{90, 90, 90}, {50, 50, 50}, {50, 50, 50}, {40, 40, 40}, {70, 70, 70}};
  kh_dataset *ds = quarter_dataset(5, totals, NULL);
  db_tier(ds, false, "bottom2", "末位")->bottom = 2;
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  expect_tiers(q, (const int[]){1, 3, 3, 5, 2},
               (const char *[]){"-", "-", "-", "-", "-"},
               (const char *[]){"-", "bottom2", "bottom2", "bottom2", "-"});
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* A tier with no condition matches every ranked township; tiers are taken
 * in file order; an award may use any condition. */
static void test_tier_order_and_conditions(void **state) {
  (void)state;
  const double totals[][3] = {{90, 90, 90}, {80, 80, 80}, {70, 70, 70}, {75, 75, 75}};
  kh_dataset *ds = quarter_dataset(4, totals, NULL);
  kh_tier *t = db_tier(ds, true, "top_or_last", "a");
  t->bottom = 1;           /* an award on a bottom condition */
  t = db_tier(ds, true, "score_80", "b");
  t->has_min_score = true; /* min_score is inclusive */
  t->min_score = 80;
  db_tier(ds, true, "everyone", "c");
  db_tier(ds, false, "never_reached", "d");
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  expect_tiers(q, (const int[]){1, 2, 4, 3},
               (const char *[]){"score_80", "score_80", "top_or_last", "everyone"},
               (const char *[]){"-", "-", "-", "-"});
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* below is strict; ranks A-B inclusive on both ends; no tier at all. */
static void test_below_and_ranks(void **state) {
  (void)state;
  const double totals[][3] = {{60, 60, 60}, {59.99, 59.99, 59.99}, {95, 95, 95}, {90, 90, 90}};
  kh_dataset *ds = quarter_dataset(4, totals, NULL);
  kh_tier *t = db_tier(ds, true, "two_three", "x");
  t->rank_lo = 2;
  t->rank_hi = 3;
  t = db_tier(ds, false, "low", "y");
  t->has_below = true;
  t->below = 60;
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  expect_tiers(q, (const int[]){3, 4, 1, 2},
               (const char *[]){"two_three", "-", "-", "two_three"},
               (const char *[]){"-", "low", "-", "-"});
  assert_null(q->actions[2]); /* nothing applies: action null */
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* Vetoed in any month: out of the ranking, no tier, veto_action; the
 * others ranked without it. */
static void test_veto(void **state) {
  (void)state;
  const double totals[][3] = {{99, 99, 99}, {80, 80, 80}, {70, 70, 70}};
  kh_dataset *ds = quarter_dataset(3, totals, (const int[]){1, -1, -1});
  spec_tiers(ds);
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  assert_true(q->vetoed[0]);
  assert_true(q->month_results[1]->vetoed[0]);
  assert_false(q->month_results[0]->vetoed[0]);
  assert_true(q->scores[0] == 99); /* keeps its score */
  assert_int_equal(q->ranks[0], 0);
  assert_null(q->awards[0]);
  assert_null(q->penalties[0]);
  assert_string_equal(q->actions[0], "取消本季度评先评优资格,通报批评");
  expect_tiers(q, (const int[]){0, 1, 2},
               (const char *[]){"-", "first", "-"},
               (const char *[]){"-", "-", "last"});
  kh_quarter_result_free(q);

  /* Without a veto_action the vetoed township's action is null. */
  g_free(ds->rules.veto_action);
  ds->rules.veto_action = NULL;
  q = kh_assess_quarter(ds, 3, false, diags);
  assert_null(q->actions[0]);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* A township with no row in a month has total 0 that month. */
static void test_no_row_month(void **state) {
  (void)state;
  const double totals[][3] = {{90, NAN, 90}, {50, 50, 50}};
  kh_dataset *ds = quarter_dataset(2, totals, NULL);
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  assert_true(q->monthly[1] == 0);
  assert_true(q->scores[0] == 60);
  assert_true(q->vetoed[0]); /* missing on the veto item, which has no deadline */
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* A month file absent: an error without partial; with it, the months
 * present are averaged (half-point: (80.01 + 80) / 2 = 80.005 -> 80.01). */
static void test_partial(void **state) {
  (void)state;
  const double totals[][3] = {{80.01, 0, 80}, {70, 0, 70}};
  kh_dataset *ds = quarter_dataset(2, totals, NULL);
  kh_month_data *aug = &ds->months[7];
  aug->present = false;

  kh_diags *diags = kh_diags_new();
  assert_null(kh_assess_quarter(ds, 3, false, diags));
  assert_int_equal(diags->n_errors, 1);
  kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_non_null(strstr(d->file, "2013-08.csv"));
  kh_diags_free(diags);

  diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, true, diags);
  assert_non_null(q);
  assert_int_equal(diags->n_errors, 0);
  assert_true(q->partial);
  assert_int_equal(q->n_months, 2);
  assert_int_equal(q->months[0], 7);
  assert_int_equal(q->months[1], 9);
  assert_true(q->monthly[0 * 3 + 0] == 80.01);
  assert_true(q->monthly[0 * 3 + 1] == 80);
  assert_true(q->scores[0] == 80.01);
  kh_quarter_result_free(q);

  /* All three present: not partial even when asked. */
  aug->present = true;
  q = kh_assess_quarter(ds, 3, true, diags);
  assert_false(q->partial);
  assert_int_equal(q->n_months, 3);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

static void test_no_month_at_all(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", NULL}, NULL, NULL);
  kh_diags *diags = kh_diags_new();
  assert_null(kh_assess_quarter(ds, 2, true, diags));
  assert_int_equal(diags->n_errors, 1);
  assert_null(kh_assess_quarter(ds, 2, false, diags));
  assert_int_equal(diags->n_errors, 4);
  assert_null(kh_assess_quarter(ds, 5, true, diags));
  assert_int_equal(diags->n_errors, 5);
  kh_quarter_result_free(NULL);
  kh_diags_free(diags);
  db_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mean_and_tiers),
      cmocka_unit_test(test_ties),
      cmocka_unit_test(test_bottom_n),
      cmocka_unit_test(test_tier_order_and_conditions),
      cmocka_unit_test(test_below_and_ranks),
      cmocka_unit_test(test_veto),
      cmocka_unit_test(test_no_row_month),
      cmocka_unit_test(test_partial),
      cmocka_unit_test(test_no_month_at_all),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
