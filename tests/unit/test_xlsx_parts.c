/* libxlsxwriter's parts in memory (render/xlsx_parts.h): the stream
 * lxw_tmpfile() gives behaves as the temporary file it replaces does in
 * libxlsxwriter's hands: written with fprintf and fwrite, rewound, read
 * back in buffers until feof; positions, seeks past the end (a gap of
 * zeros) and overwrites as in a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter/utility.h>

/* Everything from the current position to the end, read as
 * libxlsxwriter's packager reads a part: fixed buffers until a short one. */
static GByteArray *read_rest(FILE *f) {
  GByteArray *all = g_byte_array_new();
  guint8 buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    g_byte_array_append(all, buf, (guint)n);
  assert_true(feof(f));
  return all;
}

static void test_written_then_read_back(void **state) {
  (void)state;
  FILE *f = lxw_tmpfile(NULL);
  assert_non_null(f);
  GString *want = g_string_new(NULL);
  for (int i = 0; i < 20000; i++) { /* ~600 KB: many stdio buffers */
    fprintf(f, "<c r=\"A%d\" s=\"3\"><v>%d.5</v></c>", i + 1, i);
    g_string_append_printf(want, "<c r=\"A%d\" s=\"3\"><v>%d.5</v></c>", i + 1, i);
  }
  fputc('\n', f);
  g_string_append_c(want, '\n');
  assert_int_equal(fflush(f), 0);
  assert_int_equal(ftell(f), (long)want->len);
  rewind(f);
  GByteArray *got = read_rest(f);
  assert_int_equal(got->len, want->len);
  assert_memory_equal(got->data, want->str, want->len);
  g_byte_array_unref(got);
  g_string_free(want, TRUE);
  assert_int_equal(fclose(f), 0);
}

static void test_seeks_and_overwrites(void **state) {
  (void)state;
  FILE *f = lxw_tmpfile("/nonexistent"); /* the folder is not used */
  assert_non_null(f);
  assert_int_equal(fwrite("abcdef", 1, 6, f), 6);
  assert_int_equal(fseek(f, 2, SEEK_SET), 0);
  assert_int_equal(fwrite("XY", 1, 2, f), 2);
  assert_int_equal(fseek(f, 3, SEEK_END), 0); /* past the end: a gap */
  assert_int_equal(fwrite("z", 1, 1, f), 1);
  assert_int_equal(ftell(f), 10);
  assert_int_not_equal(fseek(f, -20, SEEK_CUR), 0); /* before the start */
  rewind(f);
  GByteArray *got = read_rest(f);
  assert_int_equal(got->len, 10);
  assert_memory_equal(got->data, "abXYef\0\0\0z", 10);
  g_byte_array_unref(got);
  assert_int_equal(fseek(f, -1, SEEK_END), 0);
  assert_int_equal(fgetc(f), 'z');
  assert_int_equal(fgetc(f), EOF);
  assert_int_equal(fclose(f), 0);
}

static void test_empty_part(void **state) {
  (void)state;
  FILE *f = lxw_tmpfile(NULL);
  assert_non_null(f);
  rewind(f);
  GByteArray *got = read_rest(f);
  assert_int_equal(got->len, 0);
  g_byte_array_unref(got);
  assert_int_equal(fclose(f), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_written_then_read_back),
      cmocka_unit_test(test_seeks_and_overwrites),
      cmocka_unit_test(test_empty_part),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
