/* kh_round: Excel's ROUND, 15 significant digits then half away from zero
 * (docs/reference/scoring.md). Each row's expected value is the double nearest the decimal
 * Excel shows, so the comparison is exact. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kaohe/assess.h"
#include "kaohe/render.h"

typedef struct {
  double x;
  int decimals;
  double expected;
} round_case;

static const round_case cases[] = {
    /* half-points that binary doubles store just below the half */
    {0.125, 2, 0.13},
    {2.675, 2, 2.68},
    {1.005, 2, 1.01},
    {-1.005, 2, -1.01},
    {10.285, 2, 10.29},
    {0.15, 1, 0.2},
    {0.35, 1, 0.4},
    {1.45, 1, 1.5},
    {999.995, 2, 1000},
    {9.995, 2, 10},
    {9.975, 2, 9.98},
    {80.005, 2, 80.01},
    /* half away from zero, both signs */
    {2.5, 0, 3},
    {-2.5, 0, -3},
    {0.5, 0, 1},
    {-0.5, 0, -1},
    {-0.125, 2, -0.13},
    {1.5, 0, 2},
    /* the 15-digit step decides values a hair under a half */
    {125.49999999999999, 0, 126},
    {0.49999999999999994, 0, 1},
    {0.004999999999999999, 2, 0.01},
    {84.709999999999994, 2, 84.71},
    {0.1 + 0.2, 2, 0.3},
    {95 - 84.71, 2, 10.29},
    /* plain cases and below a half */
    {84.714, 2, 84.71},
    {84.716, 2, 84.72},
    {2.4999, 0, 2},
    {107, 2, 107},
    {1.23456789015, 10, 1.2345678902},
    {123456789.125, 2, 123456789.13},
    {1250, -2, 1300},
    {1249, -2, 1200},
    /* zero, tiny and huge values */
    {0, 2, 0},
    {-0.0, 2, 0},
    {-0.001, 2, 0},
    {1e-20, 2, 0},
    {4.9e-324, 2, 0},
    {0.005, 2, 0.01},
    {1e300, 2, 1e300},
    {1.79769313486231e308, 2, 1.79769313486231e308},
    /* 15 digits of the largest double overflow: it stays as it is */
    {1.7976931348623157e308, 2, 1.7976931348623157e308},
    {-1.7976931348623157e308, 0, -1.7976931348623157e308},
    {1234567890123456789.0, 0, 1234567890123460000.0},
    {123456.123456789012, 10, 123456.123456789},
};

static void test_table(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    double got = kh_round(cases[k].x, cases[k].decimals);
    if (got != cases[k].expected)
      fail_msg("kh_round(%.17g, %d) = %.17g, expected %.17g", cases[k].x,
               cases[k].decimals, got, cases[k].expected);
  }
}

/* A result of zero is +0, so nothing prints "-0". */
static void test_no_negative_zero(void **state) {
  (void)state;
  assert_false(signbit(kh_round(-0.001, 2)));
  assert_false(signbit(kh_round(-0.0, 2)));
  assert_false(signbit(kh_round(-0.004999, 2)));
}

static void test_non_finite(void **state) {
  (void)state;
  assert_true(isnan(kh_round(NAN, 2)));
  assert_true(isinf(kh_round(INFINITY, 2)) && kh_round(INFINITY, 2) > 0);
  assert_true(isinf(kh_round(-INFINITY, 2)) && kh_round(-INFINITY, 2) < 0);
}

/* Rounding an already rounded number changes nothing. */
static void test_idempotent(void **state) {
  (void)state;
  for (int k = -100000; k <= 100000; k += 7) {
    double once = kh_round(k / 1000.0, 2);
    assert_true(kh_round(once, 2) == once);
  }
}

/* Halves that take the slow path through text, and the numbers kaohe
 * writes, are the same whatever the locale: tests/e2e/locale_bytes.sh runs
 * this program under de_DE.UTF-8 and fr_FR.UTF-8 too (main() takes the
 * environment's locale), where printf writes "2,675" and strtod stops at a
 * point; an overlong digit string once overflowed kh_round's buffer. */
static void test_locale_free(void **state) {
  (void)state;
  assert_true(kh_round(2.675, 2) == 2.68);
  assert_true(kh_round(-1.005, 2) == -1.01);
  assert_true(kh_round(123456789.125, 2) == 123456789.13);
  assert_true(kh_round(1.5e300, 2) == 1.5e300);
  char *s = kh_fmt_decimal(125.5, 1);
  assert_string_equal(s, "125.5");
  g_free(s);
  s = kh_fmt_decimal(-1e300, 20);
  assert_non_null(strchr(s, '.'));
  assert_null(strchr(s, ','));
  g_free(s);
  s = kh_fmt_number(87.45, 2);
  assert_string_equal(s, "87.45");
  g_free(s);
  s = kh_fmt_fixed(-0.001, 2);
  assert_string_equal(s, "0.00");
  g_free(s);
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_locale_free),
      cmocka_unit_test(test_no_negative_zero),
      cmocka_unit_test(test_non_finite),
      cmocka_unit_test(test_idempotent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
