/* Cell numbers (docs/reference/dataset.md): what is a value and what is an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/number.h"

static const struct {
  const char *text;
  double value;
  bool negative;
} valid[] = {
    {"0", 0, false},          {"12", 12, false},
    {"12.5", 12.5, false},    {"0.86", 0.86, false},
    {"007", 7, false},        {"1,234", 1234, false},
    {"12,345", 12345, false}, {"1,234,567.25", 1234567.25, false},
    {"999,999", 999999, false}, {"-5", -5, true},
    {"-0", 0, true},          {"-1,234.5", -1234.5, true},
    {"125.50", 125.5, false},
};

static const char *const invalid[] = {
    "+5", "1e3", "1E3", ".5", "12.", "12,34", "1,23", "1,2345", "0,123",
    "1234,567", ",123", "1,,234", "1,234.", "1.2.3", "abc", "12a", "1 2",
    "-", "--5", "- 5", "inf", "nan", "0x10", "１２", "12%", "1,234,56", "−5",
};

static void test_valid(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
    double v = -1;
    bool neg = !valid[i].negative;
    assert_int_equal(kh_number_parse(valid[i].text, &v, &neg), KH_NUMBER_OK);
    assert_true(v == valid[i].value);
    assert_int_equal(neg, valid[i].negative);
  }
}

static void test_invalid(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    double v;
    bool neg;
    if (kh_number_parse(invalid[i], &v, &neg) != KH_NUMBER_INVALID)
      fail_msg("accepted \"%s\"", invalid[i]);
  }
}

static void test_empty(void **state) {
  (void)state;
  double v;
  bool neg;
  assert_int_equal(kh_number_parse("", &v, &neg), KH_NUMBER_EMPTY);
}

static void test_huge(void **state) {
  (void)state;
  char digits[1001];
  memset(digits, '9', 1000);
  digits[1000] = '\0';
  double v;
  bool neg;
  assert_int_equal(kh_number_parse(digits, &v, &neg), KH_NUMBER_INVALID);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid),
      cmocka_unit_test(test_invalid),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_huge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
