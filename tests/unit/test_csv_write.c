/* CSV for Windows programs (src/load/csv_write.c): cells quoted as RFC 4180
 * says, files as UTF-8 with one BOM and CRLF line ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kaohe/load.h"

static void test_cells(void **state) {
  (void)state;
  GString *out = g_string_new(NULL);
  const char *cells[] = {"城关镇", "a,b", "say \"hi\"", "two\nlines", ""};
  for (size_t i = 0; i < G_N_ELEMENTS(cells); i++) {
    kh_csv_append_cell(out, cells[i]);
    g_string_append_c(out, '|');
  }
  assert_string_equal(out->str, "城关镇|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"||");
  g_string_free(out, TRUE);
}

static void test_windows_text(void **state) {
  (void)state;
  static const struct {
    const char *in, *out;
  } rows[] = {
      {"code,name\n01,城关镇\n", "\xEF\xBB\xBF" "code,name\r\n01,城关镇\r\n"},
      {"a\r\nb\rc", "\xEF\xBB\xBF" "a\r\nb\r\nc"},          /* every line end */
      {"\xEF\xBB\xBF" "a\n", "\xEF\xBB\xBF" "a\r\n"},        /* one BOM */
      {"", "\xEF\xBB\xBF"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
    gsize len = 0;
    char *text = kh_windows_text(rows[i].in, &len);
    assert_int_equal(len, strlen(rows[i].out));
    assert_string_equal(text, rows[i].out);
    g_free(text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cells),
      cmocka_unit_test(test_windows_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
