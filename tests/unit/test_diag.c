/* Diagnostics (src/common/diag.c): the printed form, the window of a long
 * offending line, places kept when lists are joined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kaohe/diag.h"

static char *format_first(kh_diags *d) {
  return kh_diag_format(g_ptr_array_index(d->items, d->items->len - 1));
}

static void test_caret_under_chinese(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_diags_add(d, KH_ERROR, "t.csv", 3, 5, "01,城关\t镇,x", "坏");
  char *s = format_first(d);
  assert_string_equal(s, "t.csv:3:5: error: 坏\n  01,城关 镇,x\n       ^"); /* under 关 */
  g_free(s);
  kh_diags_free(d);
}

/* A problem of the run itself has no place: not "kaohe:1:1:". */
static void test_no_place(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_diags_add(d, KH_ERROR, NULL, 0, 0, NULL, "连接中断");
  char *s = format_first(d);
  assert_string_equal(s, "kaohe: error: 连接中断");
  g_free(s);
  kh_diags_free(d);
}

/* Of a line of 4 MB only a window around the column is echoed, with "…"
 * where it was cut (the whole line once went to stderr, and placing the
 * caret took time quadratic in the line's length). */
static void test_long_line_window(void **state) {
  (void)state;
  GString *line = g_string_new(NULL);
  for (int k = 0; k < 1000000; k++)
    g_string_append(line, "城");
  g_string_append(line, "BAD");
  for (int k = 0; k < 400000; k++)
    g_string_append(line, "x");
  kh_diags *d = kh_diags_new();
  kh_diags_add(d, KH_ERROR, "big.csv", 2, 1000001, line->str, "坏数");
  char *s = format_first(d);
  assert_true(strlen(s) < 2000);
  char **parts = g_strsplit(s, "\n", -1);
  assert_int_equal(g_strv_length(parts), 3);
  assert_true(g_str_has_prefix(parts[1], "  …城"));
  assert_true(g_str_has_suffix(parts[1], "x…"));
  /* The caret is under the B: "  " + "…" (1 column) + 160 characters of 2. */
  char *b = strstr(parts[1], "BAD");
  assert_non_null(b);
  assert_int_equal(strlen(parts[2]), 2 + 1 + 160 * 2 + 1);
  g_strfreev(parts);
  g_free(s);
  /* A column past the end puts the caret after the last character. */
  kh_diags_add(d, KH_ERROR, "t.csv", 1, 9, "abc", "短");
  s = format_first(d);
  assert_string_equal(s, "t.csv:1:9: error: 短\n  abc\n     ^");
  g_free(s);
  kh_diags_free(d);
  g_string_free(line, TRUE);
}

/* Joining lists keeps every place and every count, also of diagnostics a
 * full list only counted. */
static void test_append(void **state) {
  (void)state;
  kh_diags *from = kh_diags_new(), *to = kh_diags_new();
  for (int k = 0; k < 10005; k++)
    kh_diags_add(from, KH_WARNING, "w.csv", k + 1, 2, NULL, "w");
  kh_diags_add(from, KH_ERROR, NULL, 0, 0, NULL, "run");
  kh_diags_append(to, from);
  assert_int_equal(to->n_warnings, 10005);
  assert_int_equal(to->n_errors, 1);
  assert_int_equal(to->items->len, from->items->len);
  const kh_diag *first = g_ptr_array_index(to->items, 0);
  assert_int_equal(first->line, 1);
  assert_int_equal(first->col, 2);
  kh_diags_free(from);
  kh_diags_free(to);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_caret_under_chinese),
      cmocka_unit_test(test_no_place),
      cmocka_unit_test(test_long_line_window),
      cmocka_unit_test(test_append),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
