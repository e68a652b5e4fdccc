/* Resolving the document's faces (render/layout/fonts.h): the default
 * chain gives Debian's three free faces; a family that is not installed
 * falls back with a warning naming the stand-in, placed at its [fonts]
 * line; a missing file, a CFF font or a bad collection index is an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "render/layout/fonts.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"

static const kh_diag *diag_at(const kh_diags *d, guint i) {
  return g_ptr_array_index(d->items, i);
}

static void test_default_chain(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(NULL, diags);
  assert_non_null(fs);
  assert_int_equal(diags->n_errors, 0);
  assert_int_equal(diags->n_warnings, 0); /* defaults stand in silently */
  assert_string_equal(kh_fontset_family(fs, KH_FACE_BODY), "AR PL UMing CN");
  assert_string_equal(kh_fontset_family(fs, KH_FACE_TITLE), "AR PL UMing CN");
  assert_string_equal(kh_fontset_family(fs, KH_FACE_HEI), "WenQuanYi Zen Hei");
  assert_string_equal(kh_fontset_family(fs, KH_FACE_KAI), "AR PL UKai CN");
  assert_string_equal(kh_fontset_family(fs, KH_FACE_PAGENO), "AR PL UMing CN");
  assert_true(g_str_has_suffix(kh_fontset_file(fs, KH_FACE_BODY), "/uming.ttc"));
  assert_true(g_str_has_suffix(kh_fontset_file(fs, KH_FACE_HEI), "/wqy-zenhei.ttc"));
  assert_true(g_str_has_suffix(kh_fontset_file(fs, KH_FACE_KAI), "/ukai.ttc"));
  /* one embedded font for the faces that share a file and index */
  assert_int_equal(kh_fontset_n_slots(fs), 3);
  assert_int_equal(kh_fontset_slot(fs, KH_FACE_BODY), kh_fontset_slot(fs, KH_FACE_TITLE));
  assert_int_equal(kh_fontset_advance(fs, KH_FACE_BODY, 0x4E2D), 1000); /* 中 */
  assert_true(kh_fontset_has_char(fs, KH_FACE_HEI, 0x9ED1));           /* 黑 */
  kh_fontset_free(fs);
  kh_diags_free(diags);
}

/* FangSong is not installed: fontconfig answers WenQuanYi Zen Hei, which
 * must not be taken; AR PL UMing CN stands in with a warning. */
static void test_fangsong_falls_back(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("kaohe-fonts-XXXXXX", NULL);
  char *rules = g_build_filename(dir, "rules.ini", NULL);
  const char *ini = "[assessment]\ntitle = x\n\n[fonts]\nbody     = FangSong\n";
  assert_true(g_file_set_contents(rules, ini, -1, NULL));
  kh_diags *diags = kh_diags_new();
  kh_font_request req = {.body = "FangSong", .rules_path = rules};
  kh_fontset *fs = kh_fontset_open(&req, diags);
  assert_non_null(fs);
  assert_string_equal(kh_fontset_family(fs, KH_FACE_BODY), "AR PL UMing CN");
  assert_int_equal(diags->n_errors, 0);
  assert_int_equal(diags->n_warnings, 1);
  const kh_diag *d = diag_at(diags, 0);
  assert_non_null(strstr(d->message, "FangSong"));
  assert_non_null(strstr(d->message, "AR PL UMing CN"));
  assert_non_null(strstr(d->message, "[fonts] body"));
  assert_string_equal(d->file, rules);
  assert_int_equal(d->line, 5);
  assert_int_equal(d->col, 12);
  assert_string_equal(d->source_line, "body     = FangSong");
  kh_fontset_free(fs);
  kh_diags_free(diags);
  g_unlink(rules);
  g_rmdir(dir);
  g_free(rules);
  g_free(dir);
}

static void test_file_with_index(void **state) {
  (void)state;
  if (!g_file_test(UMING, G_FILE_TEST_EXISTS))
    skip();
  kh_diags *diags = kh_diags_new();
  kh_font_request req = {.title = UMING ":1"};
  kh_fontset *fs = kh_fontset_open(&req, diags);
  assert_non_null(fs);
  assert_int_equal(diags->n_warnings + diags->n_errors, 0);
  assert_string_equal(kh_fontset_family(fs, KH_FACE_TITLE), "AR PL UMing HK");
  assert_int_equal(kh_fontset_index(fs, KH_FACE_TITLE), 1);
  assert_int_not_equal(kh_fontset_slot(fs, KH_FACE_TITLE), kh_fontset_slot(fs, KH_FACE_BODY));
  kh_fontset_free(fs);
  kh_diags_free(diags);
}

/* A character a face lacks comes from the first face along the chain that
 * has it: 𠀾 (U+2003E) is in AR PL UMing, not in WenQuanYi Zen Hei; it
 * measures as that glyph. With every role in Zen Hei, the stand-in UMing
 * still serves it. */
static void test_fallback_chain(void **state) {
  (void)state;
  const gunichar rare = 0x2003E, none = 0x10FFFD;
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(NULL, diags);
  assert_non_null(fs);
  int hei = kh_fontset_slot(fs, KH_FACE_HEI), body = kh_fontset_slot(fs, KH_FACE_BODY);
  assert_false(kh_fontset_has_char(fs, KH_FACE_HEI, rare));
  assert_int_equal(kh_fontset_char_slot(fs, KH_FACE_HEI, rare), body);
  assert_int_equal(kh_fontset_char_slot(fs, KH_FACE_HEI, 0x9ED1), hei); /* 黑: its own */
  assert_int_equal(kh_fontset_char_slot(fs, KH_FACE_HEI, none), hei);
  assert_int_equal(kh_fontset_advance(fs, KH_FACE_HEI, rare),
                   kh_fontset_advance(fs, KH_FACE_BODY, rare));
  kh_fontset_free(fs);

  const char *zenhei = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
  kh_font_request req = {zenhei, zenhei, zenhei, zenhei, NULL, false};
  fs = kh_fontset_open(&req, diags);
  assert_non_null(fs);
  int s = kh_fontset_char_slot(fs, KH_FACE_BODY, rare);
  assert_int_not_equal(s, kh_fontset_slot(fs, KH_FACE_BODY));
  assert_string_equal(kh_fontset_slot_family(fs, s), "AR PL UMing CN");
  assert_true(kh_fontset_slot_has(fs, s, rare));
  kh_fontset_free(fs);
  assert_int_equal(diags->n_errors, 0);
  kh_diags_free(diags);
}

static void expect_error(const kh_font_request *req, const char *fragment) {
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(req, diags);
  assert_null(fs);
  assert_true(diags->n_errors >= 1);
  bool found = false;
  for (guint i = 0; i < diags->items->len; i++)
    found |= strstr(diag_at(diags, i)->message, fragment) != NULL;
  if (!found)
    fail_msg("no error containing \"%s\"", fragment);
  kh_diags_free(diags);
}

static void test_missing_file(void **state) {
  (void)state;
  kh_font_request req = {.heading1 = "/nonexistent/simhei.ttf"};
  expect_error(&req, "字体文件不存在");
  kh_font_request bad_index = {.body = UMING ":9"};
  expect_error(&bad_index, "没有这个序号");
}

/* The first .otf with CFF outlines ("OTTO") under /usr/share/fonts, or
 * NULL. Caller frees. */
static char *find_cff(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  char *found = NULL;
  const char *name;
  while (d && !found && (name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      found = find_cff(path);
    } else if (g_str_has_suffix(name, ".otf")) {
      char *data = NULL;
      gsize len = 0;
      if (g_file_get_contents(path, &data, &len, NULL) && len > 4 && memcmp(data, "OTTO", 4) == 0)
        found = g_strdup(path);
      g_free(data);
    }
    g_free(path);
  }
  if (d)
    g_dir_close(d);
  return found;
}

static void test_cff_refused(void **state) {
  (void)state;
  char *otf = find_cff("/usr/share/fonts");
  if (!otf)
    skip();
  kh_font_request req = {.heading2 = otf};
  expect_error(&req, "CFF");
  g_free(otf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_chain),
      cmocka_unit_test(test_fangsong_falls_back),
      cmocka_unit_test(test_file_with_index),
      cmocka_unit_test(test_fallback_chain),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_cff_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
