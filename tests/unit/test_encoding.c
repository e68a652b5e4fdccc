/* Text decoding (docs/reference/dataset.md): UTF-8 with or without BOM, GB18030, and the
 * located errors for bytes neither accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "load/encoding.h"

/* GB18030 bytes of a UTF-8 string. Caller frees with g_free(). */
static char *gb(const char *utf8, gsize *len) {
  char *out = g_convert(utf8, -1, "GB18030", "UTF-8", NULL, len, NULL);
  assert_non_null(out);
  return out;
}

/* The first line of diagnostic i as printed. Caller frees with g_free(). */
static char *diag_text(const kh_diags *d, guint i) {
  assert_true(i < d->items->len);
  char *s = kh_diag_format(g_ptr_array_index(d->items, i));
  char *nl = strchr(s, '\n');
  if (nl)
    *nl = '\0';
  return s;
}

static void assert_one_diag(const kh_diags *d, const char *expected) {
  assert_int_equal(d->items->len, 1);
  char *s = diag_text(d, 0);
  assert_string_equal(s, expected);
  g_free(s);
}

static char *decode(const char *raw, gsize raw_len, gsize *len, kh_diags *d) {
  return kh_decode_text("f.csv", raw, raw_len, len, d);
}

static void test_utf8(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len = 0;
  const char *in = "乡镇,出生男婴数\n城关镇,12\n";
  char *text = decode(in, strlen(in), &len, d);
  assert_string_equal(text, in);
  assert_int_equal(len, strlen(in));
  assert_int_equal(d->items->len, 0);
  g_free(text);
  kh_diags_free(d);
}

static void test_utf8_bom_crlf(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len = 0;
  const char *in = "\xEF\xBB\xBF乡镇,a\r\n城关镇,1\r\n";
  char *text = decode(in, strlen(in), &len, d);
  assert_string_equal(text, "乡镇,a\r\n城关镇,1\r\n");
  assert_int_equal(len, strlen(text));
  g_free(text);
  kh_diags_free(d);
}

static void test_empty(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len = 99;
  char *text = decode("", 0, &len, d);
  assert_string_equal(text, "");
  assert_int_equal(len, 0);
  g_free(text);
  kh_diags_free(d);
}

static void test_gb18030(void **state) {
  (void)state;
  /* 㐀 and 𠀀 take four bytes in GB18030, the others two. */
  const char *utf8 = "乡镇,出生男婴数,备注\n城关镇,12,㐀𠀀\n";
  gsize raw_len;
  char *raw = gb(utf8, &raw_len);
  assert_false(g_utf8_validate(raw, (gssize)raw_len, NULL));
  kh_diags *d = kh_diags_new();
  gsize len = 0;
  char *text = decode(raw, raw_len, &len, d);
  assert_string_equal(text, utf8);
  assert_int_equal(len, strlen(utf8));
  assert_int_equal(d->items->len, 0);
  g_free(text);
  g_free(raw);
  kh_diags_free(d);
}

static void test_gb18030_bom(void **state) {
  (void)state;
  gsize raw_len;
  char *raw = gb("\xEF\xBB\xBF城关镇\n", &raw_len);
  kh_diags *d = kh_diags_new();
  gsize len = 0;
  char *text = decode(raw, raw_len, &len, d);
  assert_string_equal(text, "城关镇\n");
  g_free(text);
  g_free(raw);
  kh_diags_free(d);
}

static void test_bad_byte_in_utf8(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len;
  const char *in = "乡镇,a\n城关镇,\xFF\n";
  assert_null(decode(in, strlen(in), &len, d));
  assert_one_diag(d, "f.csv:2:5: error: 无法识别的字节 0xFF（文件既不是 UTF-8 也不是 GB18030 编码）");
  kh_diag *diag = g_ptr_array_index(d->items, 0);
  assert_string_equal(diag->source_line, "城关镇,\xEF\xBF\xBD");
  kh_diags_free(d);
}

static void test_bad_byte_in_gb18030(void **state) {
  (void)state;
  gsize n;
  char *part = gb("乡镇,a\n城关镇,", &n);
  char *raw = g_malloc(n + 3);
  memcpy(raw, part, n);
  memcpy(raw + n, "\xFF\n", 3);
  kh_diags *d = kh_diags_new();
  gsize len;
  assert_null(decode(raw, n + 2, &len, d));
  assert_one_diag(d, "f.csv:2:5: error: 无法识别的字节 0xFF（文件既不是 UTF-8 也不是 GB18030 编码）");
  g_free(raw);
  g_free(part);
  kh_diags_free(d);
}

static void test_partial_gb18030_at_end(void **state) {
  (void)state;
  gsize n;
  char *part = gb("城关", &n);
  char *raw = g_malloc(n + 1);
  memcpy(raw, part, n);
  raw[n] = '\x81';
  kh_diags *d = kh_diags_new();
  gsize len;
  assert_null(decode(raw, n + 1, &len, d));
  assert_one_diag(d, "f.csv:1:3: error: 无法识别的字节 0x81（文件既不是 UTF-8 也不是 GB18030 编码）");
  g_free(raw);
  g_free(part);
  kh_diags_free(d);
}

static void test_lone_cr_counts_as_line_end(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len;
  assert_null(decode("a\rbc\r\nd\xFF", 8, &len, d));
  assert_one_diag(d, "f.csv:3:2: error: 无法识别的字节 0xFF（文件既不是 UTF-8 也不是 GB18030 编码）");
  kh_diags_free(d);
}

static void test_nul_byte(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len;
  assert_null(decode("a,b\n1,\0\n", 8, &len, d));
  assert_one_diag(d, "f.csv:2:3: error: 文件含有 NUL 字节，不是文本文件");
  kh_diags_free(d);
}

static void test_not_csv(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len;
  assert_null(decode("PK\x03\x04\x14\0", 6, &len, d));
  char *s0 = diag_text(d, 0);
  assert_string_equal(s0, "f.csv:1:1: error: 这是 Excel 工作簿，不是 CSV 文件：请在 Excel 中另存为 CSV");
  g_free(s0);
  kh_diags_free(d);
}

/* UTF-16 with a BOM, little- or big-endian, is read (docs/reference/dataset.md) with a
 * warning; a broken one and one holding U+0000 are errors. */
static void test_utf16(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len = 0;
  char *text = decode("\xFF\xFEt\0\x61\x4E\n\0", 8, &len, d); /* t乡\n */
  assert_non_null(text);
  assert_string_equal(text, "t乡\n");
  assert_int_equal(len, strlen("t乡\n"));
  g_free(text);
  text = decode("\xFE\xFF\0t\x4E\x61", 6, &len, d);
  assert_string_equal(text, "t乡");
  g_free(text);
  assert_null(decode("\xFF\xFEt\0\0\0o\0", 8, &len, d));
  assert_null(decode("\xFF\xFEt\0o", 5, &len, d));
  assert_int_equal(d->n_warnings, 3);
  assert_int_equal(d->n_errors, 2);
  char *s0 = diag_text(d, 0);
  assert_string_equal(s0, "f.csv:1:1: warning: 文件是 UTF-16 编码（Excel 的“Unicode 文本”），已按 UTF-16 读取");
  g_free(s0);
  kh_diags_free(d);
}

static void test_read_file_errors(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  gsize len;
  char *dir = g_dir_make_tmp("kaohe-enc-XXXXXX", NULL);
  char *missing = g_build_filename(dir, "none.csv", NULL);
  assert_null(kh_read_text_file(missing, &len, d));
  assert_null(kh_read_text_file(dir, &len, d));

  /* A sparse file just over the limit: refused before it is read. */
  char *big = g_build_filename(dir, "big.csv", NULL);
  FILE *f = fopen(big, "w");
  assert_non_null(f);
  assert_int_equal(ftruncate(fileno(f), (off_t)KH_MAX_FILE_BYTES + 1), 0);
  fclose(f);
  assert_null(kh_read_text_file(big, &len, d));

  char *expected[3] = {
      g_strdup_printf("%s:1:1: error: 文件不存在", missing),
      g_strdup_printf("%s:1:1: error: 这是目录，不是文件", dir),
      g_strdup_printf("%s:1:1: error: 文件过大（超过 256 MB）", big),
  };
  for (guint i = 0; i < 3; i++) {
    char *s = diag_text(d, i);
    assert_string_equal(s, expected[i]);
    g_free(s);
    g_free(expected[i]);
  }
  remove(big);
  remove(dir);
  g_free(big);
  g_free(missing);
  g_free(dir);
  kh_diags_free(d);
}

static void test_read_file_gb18030(void **state) {
  (void)state;
  gsize n;
  char *raw = gb("乡镇,出生男婴数\r\n城关镇,12\r\n", &n);
  char *path = NULL;
  int fd = g_file_open_tmp("kaohe-enc-XXXXXX.csv", &path, NULL);
  assert_true(fd >= 0);
  close(fd);
  assert_true(g_file_set_contents(path, raw, (gssize)n, NULL));
  kh_diags *d = kh_diags_new();
  gsize len = 0;
  char *text = kh_read_text_file(path, &len, d);
  assert_string_equal(text, "乡镇,出生男婴数\r\n城关镇,12\r\n");
  assert_int_equal(d->items->len, 0);
  remove(path);
  g_free(text);
  g_free(path);
  g_free(raw);
  kh_diags_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8),
      cmocka_unit_test(test_utf8_bom_crlf),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_gb18030),
      cmocka_unit_test(test_gb18030_bom),
      cmocka_unit_test(test_bad_byte_in_utf8),
      cmocka_unit_test(test_bad_byte_in_gb18030),
      cmocka_unit_test(test_partial_gb18030_at_end),
      cmocka_unit_test(test_lone_cr_counts_as_line_end),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_not_csv),
      cmocka_unit_test(test_utf16),
      cmocka_unit_test(test_read_file_errors),
      cmocka_unit_test(test_read_file_gb18030),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
