/* Tests of the formula parser (src/load/formula.c): precedence and
 * associativity checked by evaluating the trees with a tiny evaluator of
 * our own (the real one belongs to the assess stage), and every error with
 * its exact message and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "load/formula.h"

/* A dataset in miniature: four fields, two attributes, month 7. */
static const char *const field_names[] = {"births_male", "births_female",
                                          "fee_paid", "fee_due"};
static const double field_values[] = {60, 50, 91, 100};
static const double field_ytd[] = {251, 200, 600, 700};
static const double field_prev[] = {11, 12, 13, 14};
static const char *const attr_names[] = {"prepreg_task", "population"};
static const double attr_values[] = {120, 30000};
enum { MONTH = 7 };

static int lookup(void *user, const char *name, bool *is_field) {
  (void)user;
  for (int f = 0; f < (int)G_N_ELEMENTS(field_names); f++)
    if (strcmp(name, field_names[f]) == 0) {
      *is_field = true;
      return f;
    }
  for (int a = 0; a < (int)G_N_ELEMENTS(attr_names); a++)
    if (strcmp(name, attr_names[a]) == 0) {
      *is_field = false;
      return a;
    }
  return -1;
}

static double eval(const kh_expr *e) {
  switch (e->kind) {
  case KH_EXPR_NUMBER: return e->number;
  case KH_EXPR_FIELD: return field_values[e->index];
  case KH_EXPR_YTD: return field_ytd[e->index];
  case KH_EXPR_PREV: return field_prev[e->index];
  case KH_EXPR_ATTR: return attr_values[e->index];
  case KH_EXPR_MONTH: return MONTH;
  case KH_EXPR_NEG: return -eval(e->a);
  case KH_EXPR_ADD: return eval(e->a) + eval(e->b);
  case KH_EXPR_SUB: return eval(e->a) - eval(e->b);
  case KH_EXPR_MUL: return eval(e->a) * eval(e->b);
  case KH_EXPR_DIV: return eval(e->a) / eval(e->b);
  }
  return NAN;
}

static void test_values(void **state) {
  (void)state;
  static const struct {
    const char *src;
    double value;
  } rows[] = {
      {"1+2*3", 7},
      {"(1+2)*3", 9},
      {"8/4/2", 1},
      {"2-3-4", -5},
      {"2*3+4*5", 26},
      {"10-2*3/4", 8.5},
      {"-2*3", -6},
      {"--2", 2},
      {"3*-2", -6},
      {"2--3", 5},
      {"-(1+2)*2", -6},
      {"2*-(3+1)", -8},
      {"1.5 + 0.25", 1.75},
      {"007", 7},
      {"  42  ", 42},
      {"\t1\t+\t1", 2},
      {"\xe3\x80\x80" "1 + 1", 2}, /* U+3000 */
      {"((((5))))", 5},
      {"births_male", 60},
      {"births_male + births_female", 110},
      {"ytd(births_male)", 251},
      {"ytd ( births_male )", 251},
      {"ytd(births_male) / ytd(births_female) * 100", 251.0 / 200 * 100},
      {"fee_paid / fee_due * 100", 91},
      {"month", 7},
      {"month * 2 - 1", 13},
      {"prepreg_task * 0.8", 96},
      {"fee_paid / population * month", 91.0 / 30000 * 7},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
    int col = 0;
    char *msg = NULL;
    kh_expr *e = kh_formula_parse(rows[i].src, lookup, NULL, &col, &msg);
    if (!e)
      fail_msg("\"%s\": %d: %s", rows[i].src, col, msg);
    double v = eval(e);
    if (v != rows[i].value)
      fail_msg("\"%s\" = %.17g, expected %.17g", rows[i].src, v,
               rows[i].value);
    kh_expr_free(e);
  }
}

/* The trees themselves, where evaluation could not tell shapes apart. */
static void test_shapes(void **state) {
  (void)state;
  int col = 0;
  char *msg = NULL;
  kh_expr *e = kh_formula_parse("1-2+3", lookup, NULL, &col, &msg);
  assert_non_null(e);
  assert_int_equal(e->kind, KH_EXPR_ADD);
  assert_int_equal(e->a->kind, KH_EXPR_SUB);
  assert_int_equal(e->b->kind, KH_EXPR_NUMBER);
  kh_expr_free(e);

  e = kh_formula_parse("-births_male", lookup, NULL, &col, &msg);
  assert_non_null(e);
  assert_int_equal(e->kind, KH_EXPR_NEG);
  assert_null(e->b);
  assert_int_equal(e->a->kind, KH_EXPR_FIELD);
  assert_int_equal(e->a->index, 0);
  kh_expr_free(e);

  e = kh_formula_parse("population / ytd(fee_due)", lookup, NULL, &col, &msg);
  assert_non_null(e);
  assert_int_equal(e->a->kind, KH_EXPR_ATTR);
  assert_int_equal(e->a->index, 1);
  assert_int_equal(e->b->kind, KH_EXPR_YTD);
  assert_int_equal(e->b->index, 3);
  kh_expr_free(e);
}

static void test_ytd_fields(void **state) {
  (void)state;
  static const struct {
    const char *src;
    bool any;
    bool marks[4];
  } rows[] = {
      {"ytd(births_male) / ytd(births_female) * 100", true,
       {true, true, false, false}},
      {"fee_paid / fee_due", false, {false, false, false, false}},
      {"-(1 + ytd(fee_due)) * month", true, {false, false, false, true}},
      {"prepreg_task", false, {false, false, false, false}},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
    int col = 0;
    char *msg = NULL;
    kh_expr *e = kh_formula_parse(rows[i].src, lookup, NULL, &col, &msg);
    assert_non_null(e);
    bool marks[4] = {false};
    assert_int_equal(kh_expr_ytd_fields(e, marks), rows[i].any);
    assert_memory_equal(marks, rows[i].marks, sizeof marks);
    assert_int_equal(kh_expr_ytd_fields(e, NULL), rows[i].any);
    kh_expr_free(e);
  }
  assert_false(kh_expr_ytd_fields(NULL, NULL));
}

static void expect_error(const char *src, int want_col, const char *want_msg) {
  int col = 0;
  char *msg = NULL;
  kh_expr *e = kh_formula_parse(src, lookup, NULL, &col, &msg);
  if (e)
    fail_msg("\"%.60s\" parsed, expected %d: %s", src, want_col, want_msg);
  if (col != want_col || strcmp(msg, want_msg) != 0)
    fail_msg("\"%.60s\": got %d: %s\n  expected %d: %s", src, col, msg,
             want_col, want_msg);
  g_free(msg);
}

static void test_errors(void **state) {
  (void)state;
  static const struct {
    const char *src;
    int col;
    const char *msg;
  } rows[] = {
      {"", 1, "公式为空"},
      {"   ", 1, "公式为空"},
      {"birth_male * 2", 1, "未知名称“birth_male”"},
      {"1 + Births_male", 5, "未知名称“Births_male”"},
      {"ytd", 1, "未知名称“ytd”"},
      {"ytd(prepreg_task)", 5, "ytd() 只能用于字段，“prepreg_task”是乡镇属性"},
      {"ytd(month)", 5, "ytd() 只能用于字段，month 不是字段"},
      {"ytd(nothing)", 5, "未知名称“nothing”"},
      {"ytd(1)", 5, "意外的“1”：此处应为字段名"},
      {"ytd(", 4, "括号不配对：“(”没有对应的“)”"},
      {"ytd(births_male", 4, "括号不配对：“(”没有对应的“)”"},
      {"ytd(births_male births_female)", 17,
       "意外的“births_female”：此处应为“)”"},
      {"(1+2", 1, "括号不配对：“(”没有对应的“)”"},
      {"1+(2*(3)", 3, "括号不配对：“(”没有对应的“)”"},
      {"1+2)", 4, "括号不配对：多余的“)”"},
      {"(1+2))", 6, "括号不配对：多余的“)”"},
      {"()", 2, "意外的“)”：此处应为数、名称或“(”"},
      {"(1 2)", 4, "意外的“2”：此处应为运算符或“)”"},
      {"1 $ 2", 3, "意外的字符“$”"},
      {"1 + $", 5, "意外的字符“$”"},
      {"2 ^ 3", 3, "意外的字符“^”"},
      {".5", 1, "意外的字符“.”"},
      {"出生数 / 2", 1, "意外的字符“出”"},
      {"1 + 出生数", 5, "意外的字符“出”"},
      {"（1+2）", 1, "意外的字符“（”"},
      {"1 2", 3, "多余的内容“2”：公式应在此前结束"},
      {"1e5", 2, "多余的内容“e5”：公式应在此前结束"},
      {"month(1)", 6, "多余的内容“(”：公式应在此前结束"},
      {"fee_paid fee_due", 10, "多余的内容“fee_due”：公式应在此前结束"},
      {"1 +", 4, "公式不完整：缺少运算数"},
      {"-", 2, "公式不完整：缺少运算数"},
      {"1 * * 2", 5, "意外的“*”：此处应为数、名称或“(”"},
      {"1.", 2, "数字的小数点后缺少数字"},
      {"1.x", 2, "数字的小数点后缺少数字"},
      {"\xe5\x87", 1, "公式含有无法解码的字节"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
    expect_error(rows[i].src, rows[i].col, rows[i].msg);
}

/* n copies of s. Caller frees with g_free(). */
static char *repeat(const char *s, int n) {
  GString *out = g_string_new(NULL);
  for (int i = 0; i < n; i++)
    g_string_append(out, s);
  return g_string_free(out, FALSE);
}

/* KH_MAX_FORMULA_DEPTH bounds nesting and tree height, at the token that
 * crosses it; far deeper input fails the same way without a crash. */
static void test_depth(void **state) {
  (void)state;
  enum { MAX = KH_MAX_FORMULA_DEPTH };
  const char *depth_msg = "公式嵌套太深或太长（最多 200 层）";
  _Static_assert(KH_MAX_FORMULA_DEPTH == 200, "depth_msg names the limit");

  char *open = repeat("(", MAX), *close = repeat(")", MAX);
  char *ok = g_strconcat(open, "1", close, NULL);
  int col = 0;
  char *msg = NULL;
  kh_expr *e = kh_formula_parse(ok, lookup, NULL, &col, &msg);
  assert_non_null(e);
  kh_expr_free(e);
  char *deep = g_strconcat("(", ok, ")", NULL);
  expect_error(deep, MAX + 1, depth_msg);

  char *parens = repeat("(", 1000000);
  expect_error(parens, MAX + 1, depth_msg);
  char *minus = repeat("-", MAX + 1);
  char *neg = g_strconcat(minus, "1", NULL);
  expect_error(neg, MAX + 1, depth_msg);

  /* "1+1+…": the k-th "+" is at column 2k and makes a tree of height
   * k + 1, so the 200th one is too many. */
  char *terms = repeat("+1", MAX - 1);
  char *sum = g_strconcat("1", terms, NULL);
  e = kh_formula_parse(sum, lookup, NULL, &col, &msg);
  assert_non_null(e);
  assert_int_equal(eval(e), MAX);
  kh_expr_free(e);
  char *long_sum = g_strconcat(sum, "+1", NULL);
  expect_error(long_sum, 2 * MAX, depth_msg);
  char *huge = repeat("1*", 500000);
  expect_error(huge, 2 * MAX, depth_msg);

  g_free(open), g_free(close), g_free(ok), g_free(deep), g_free(parens);
  g_free(minus), g_free(neg), g_free(terms), g_free(sum), g_free(long_sum);
  g_free(huge);
}

static void test_free_null(void **state) {
  (void)state;
  kh_expr_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),   cmocka_unit_test(test_shapes),
      cmocka_unit_test(test_ytd_fields), cmocka_unit_test(test_errors),
      cmocka_unit_test(test_depth),    cmocka_unit_test(test_free_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
