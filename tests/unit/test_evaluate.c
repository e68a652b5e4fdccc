/* kh_eval (docs/reference/formulas.md to scoring.md): fields of the assessed month, ytd from January,
 * attributes, month, division by zero, missing over na, and county sums
 * over the included townships. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kaohe/assess.h"
#include "dataset_builder.h"

enum { F_A, F_B };   /* fields */
enum { A_TASK };     /* attribute */

/* Three townships, fields a and b, attribute task; months 1..3 filed:
 * a = 10*t + m, b = m (t = 0, 1, 2); task = 100, 200, 300. */
static kh_dataset *three_months(void) {
  kh_dataset *ds = db_new(2013, (const char *[]){"城关镇", "东乡", "西乡", NULL},
                          (const char *[]){"a", "b", NULL},
                          (const char *[]){"task", NULL});
  for (int m = 1; m <= 3; m++)
    for (int t = 0; t < 3; t++)
      db_row(ds, m, t, (double[]){10.0 * t + m, m});
  for (int t = 0; t < 3; t++)
    db_set_attr(ds, t, A_TASK, 100.0 * (t + 1));
  return ds;
}

typedef struct {
  const char *what;
  kh_expr *expr;
  int t, month;
  const bool *included;
  kh_status status;
  double value; /* when ok */
} eval_case;

static void run_cases(kh_dataset *ds, eval_case *cases, size_t n) {
  for (size_t k = 0; k < n; k++) {
    double v = 0;
    kh_status s = kh_eval(ds, cases[k].expr, cases[k].t, cases[k].month,
                          cases[k].included, &v);
    if (s != cases[k].status)
      fail_msg("%s: status %d, expected %d", cases[k].what, s, cases[k].status);
    if (s == KH_STATUS_OK && v != cases[k].value)
      fail_msg("%s: %.17g, expected %.17g", cases[k].what, v, cases[k].value);
    if (s != KH_STATUS_OK && !isnan(v))
      fail_msg("%s: not ok but value %.17g", cases[k].what, v);
    db_expr_free(cases[k].expr);
  }
}

static void test_township(void **state) {
  (void)state;
  kh_dataset *ds = three_months();
  eval_case cases[] = {
      {"field of the assessed month", db_field(F_A), 1, 2, NULL, KH_STATUS_OK, 12},
      {"ytd from January", db_ytd(F_A), 2, 3, NULL, KH_STATUS_OK, 21 + 22 + 23},
      {"ytd in January", db_ytd(F_B), 0, 1, NULL, KH_STATUS_OK, 1},
      {"attribute", db_attr(A_TASK), 2, 3, NULL, KH_STATUS_OK, 300},
      {"month", db_monthvar(), 0, 3, NULL, KH_STATUS_OK, 3},
      {"number", db_num(1.5), 0, 3, NULL, KH_STATUS_OK, 1.5},
      {"unary minus", db_neg(db_field(F_A)), 0, 1, NULL, KH_STATUS_OK, -1},
      {"a / b * 100", db_mul(db_div(db_field(F_A), db_field(F_B)), db_num(100)), 1, 2,
       NULL, KH_STATUS_OK, 12.0 / 2 * 100},
      {"a - b - 1 left to right", db_sub(db_sub(db_field(F_A), db_field(F_B)), db_num(1)),
       1, 2, NULL, KH_STATUS_OK, 9},
      {"IEEE order: (0.1 + 0.2) + 0.3", db_add(db_add(db_num(0.1), db_num(0.2)), db_num(0.3)),
       0, 1, NULL, KH_STATUS_OK, (0.1 + 0.2) + 0.3},
      {"divide by exactly 0", db_div(db_field(F_A), db_sub(db_field(F_B), db_num(2))), 0, 2,
       NULL, KH_STATUS_NA, 0},
      {"divide by -0", db_div(db_num(1), db_neg(db_num(0))), 0, 2, NULL, KH_STATUS_NA, 0},
      {"0 / 0", db_div(db_num(0), db_num(0)), 0, 2, NULL, KH_STATUS_NA, 0},
      {"na propagates", db_add(db_num(1), db_div(db_num(1), db_num(0))), 0, 2, NULL,
       KH_STATUS_NA, 0},
      {"tiny divisor is not zero", db_div(db_num(1), db_num(1e-300)), 0, 2, NULL,
       KH_STATUS_OK, 1.0 / 1e-300},
      {"month beyond the months filed: field missing", db_field(F_A), 0, 4, NULL,
       KH_STATUS_MISSING, 0},
      {"overflow is not assessable", db_mul(db_num(1e300), db_num(1e300)), 0, 1, NULL,
       KH_STATUS_NA, 0},
  };
  run_cases(ds, cases, sizeof cases / sizeof cases[0]);
  db_free(ds);
}

/* Missing: an empty cell, no row, no file; and missing wins over na
 * wherever the two meet in a formula. */
static void test_missing(void **state) {
  (void)state;
  kh_dataset *ds = three_months();
  db_set(ds, 2, 0, F_A, NAN);  /* township 0: empty cell in February */
  db_no_row(ds, 3, 1);         /* township 1: no row in March */
  db_set_attr(ds, 2, A_TASK, NAN);
  db_row(ds, 5, 2, (double[]){5, 5}); /* May filed, April absent */
  eval_case cases[] = {
      {"empty cell", db_field(F_A), 0, 2, NULL, KH_STATUS_MISSING, 0},
      {"other field of that row", db_field(F_B), 0, 2, NULL, KH_STATUS_OK, 2},
      {"ytd after an empty cell", db_ytd(F_A), 0, 3, NULL, KH_STATUS_MISSING, 0},
      {"ytd before the empty cell", db_ytd(F_A), 0, 1, NULL, KH_STATUS_OK, 1},
      {"no row", db_field(F_B), 1, 3, NULL, KH_STATUS_MISSING, 0},
      {"ytd through a month without the row", db_ytd(F_B), 1, 3, NULL, KH_STATUS_MISSING, 0},
      {"ytd through an absent file", db_ytd(F_B), 2, 5, NULL, KH_STATUS_MISSING, 0},
      {"field of May itself", db_field(F_B), 2, 5, NULL, KH_STATUS_OK, 5},
      {"attribute empty", db_attr(A_TASK), 2, 1, NULL, KH_STATUS_MISSING, 0},
      {"missing + na", db_add(db_field(F_A), db_div(db_num(1), db_num(0))), 0, 2, NULL,
       KH_STATUS_MISSING, 0},
      {"na + missing", db_add(db_div(db_num(1), db_num(0)), db_field(F_A)), 0, 2, NULL,
       KH_STATUS_MISSING, 0},
      {"missing / 0", db_div(db_field(F_A), db_num(0)), 0, 2, NULL, KH_STATUS_MISSING, 0},
      {"1 / (0 * missing)", db_div(db_num(1), db_mul(db_num(0), db_field(F_A))), 0, 2, NULL,
       KH_STATUS_MISSING, 0},
      {"-missing", db_neg(db_field(F_A)), 0, 2, NULL, KH_STATUS_MISSING, 0},
  };
  run_cases(ds, cases, sizeof cases / sizeof cases[0]);
  db_free(ds);
}

/* County mode: every field, ytd and attribute summed over the included
 * townships in registry order; month and numbers are not summed. */
static void test_county(void **state) {
  (void)state;
  kh_dataset *ds = three_months();
  static const bool first_two[] = {true, true, false};
  static const bool none[] = {false, false, false};
  eval_case cases[] = {
      {"field, all", db_field(F_A), -1, 2, NULL, KH_STATUS_OK, 2 + 12 + 22},
      {"field, included only", db_field(F_A), -1, 2, first_two, KH_STATUS_OK, 2 + 12},
      {"ytd: sum of the townships' ytd", db_ytd(F_A), -1, 3, first_two, KH_STATUS_OK,
       (1 + 2 + 3) + (11 + 12 + 13)},
      {"attribute", db_attr(A_TASK), -1, 3, first_two, KH_STATUS_OK, 300},
      {"ratio of sums, not sum of ratios", db_div(db_field(F_A), db_field(F_B)), -1, 1, NULL,
       KH_STATUS_OK, (1.0 + 11 + 21) / 3},
      {"month is not summed", db_monthvar(), -1, 3, NULL, KH_STATUS_OK, 3},
      {"number is not summed", db_num(95), -1, 3, NULL, KH_STATUS_OK, 95},
      {"nobody included: sums are 0", db_div(db_field(F_A), db_field(F_B)), -1, 1, none,
       KH_STATUS_NA, 0},
  };
  run_cases(ds, cases, sizeof cases / sizeof cases[0]);
  db_free(ds);
}

/* The county ytd adds each township's own January..month sum, township by
 * township: (a1 + a2) + (b1 + b2), which here differs from the month-major
 * (a1 + b1) + (a2 + b2) in the last bit. */
static void test_county_ytd_order(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"甲", "乙", NULL},
                          (const char *[]){"a", NULL}, NULL);
  db_set(ds, 1, 0, 0, 0.1);
  db_set(ds, 2, 0, 0, 0.1);
  db_set(ds, 1, 1, 0, 0.1);
  db_set(ds, 2, 1, 0, 0.6);
  kh_expr *e = db_ytd(0);
  double v;
  assert_int_equal(kh_eval(ds, e, -1, 2, NULL, &v), KH_STATUS_OK);
  assert_true(v == 0.8999999999999999);
  db_expr_free(e);
  db_free(ds);
}

/* A missing value in an included township makes the county missing. */
static void test_county_missing(void **state) {
  (void)state;
  kh_dataset *ds = three_months();
  db_set(ds, 2, 1, F_A, NAN);
  kh_expr *e = db_field(F_A);
  double v;
  assert_int_equal(kh_eval(ds, e, -1, 2, NULL, &v), KH_STATUS_MISSING);
  assert_true(isnan(v));
  static const bool skip_1[] = {true, false, true};
  assert_int_equal(kh_eval(ds, e, -1, 2, skip_1, &v), KH_STATUS_OK);
  assert_true(v == 2 + 22);
  db_expr_free(e);
  db_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_township),
      cmocka_unit_test(test_missing),
      cmocka_unit_test(test_county),
      cmocka_unit_test(test_county_ytd_order),
      cmocka_unit_test(test_county_missing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
