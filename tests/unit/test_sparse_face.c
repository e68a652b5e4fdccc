/* The face that holds only the outlines a subset needs
 * (render/layout/sparse_face.h): hb-subset makes the same bytes from it as
 * from the whole mapped font, for each of Debian's CJK collections the
 * notice uses and for a plain .ttf whose accented letters are composite
 * glyphs; a truncated font, a missing file or a face index past the
 * collection's end is an error, not a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <hb-subset.h>
#include <string.h>

#include "render/layout/sparse_face.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define UKAI "/usr/share/fonts/truetype/arphic/ukai.ttc"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static const char NOTICE_TEXT[] =
    "某县人口和计划生育局关于2013年7月人口和计划生育工作督查情况的通报"
    "各乡镇：出生人口性别比125.5，高于责任指标（107）18.5。（一）、；％—1—";
static const char LATIN_COMPOSITES[] = "ÅÉéñÿŽǅẞ àèìòù ÀÈÌÒÙ";

static hb_set_t *unicodes_of(const char *text) {
  hb_set_t *set = hb_set_create();
  for (const char *p = text; *p; p = g_utf8_next_char(p))
    hb_set_add(set, g_utf8_get_char(p));
  return set;
}

static hb_face_t *mapped_face(const char *file, unsigned index) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  assert_non_null(blob);
  hb_face_t *face = hb_face_create(blob, index);
  hb_blob_destroy(blob);
  return face;
}

/* An input like kh_subset_face's: the characters, no hinting, and a drop
 * set (HarfBuzz's defaults and GSUB) the sparse face must skip alike. */
static hb_subset_input_t *subset_input(const hb_set_t *unicodes) {
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  assert_non_null(input);
  hb_set_union(hb_subset_input_unicode_set(input), unicodes);
  hb_set_add(hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG),
             HB_TAG('G', 'S', 'U', 'B'));
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
  return input;
}

static GBytes *subset_bytes(hb_face_t *face, hb_subset_input_t *input) {
  hb_face_t *subset = hb_subset_or_fail(face, input);
  assert_non_null(subset);
  hb_blob_t *blob = hb_face_reference_blob(subset);
  unsigned len = 0;
  const char *data = hb_blob_get_data(blob, &len);
  GBytes *bytes = g_bytes_new(data, len);
  hb_blob_destroy(blob);
  hb_face_destroy(subset);
  return bytes;
}

static void assert_same_subset(const char *file, unsigned index, const char *text) {
  if (!g_file_test(file, G_FILE_TEST_IS_REGULAR))
    fail_msg("%s is missing: scripts/install-deps.sh installs it", file);
  hb_face_t *full = mapped_face(file, index);
  hb_set_t *unicodes = unicodes_of(text);
  hb_subset_input_t *input = subset_input(unicodes);
  char *error = NULL;
  hb_face_t *sparse = kh_sparse_face_new(
      file, index, full, unicodes,
      hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG), &error);
  assert_null(error);
  assert_non_null(sparse);
  GBytes *want = subset_bytes(full, input), *got = subset_bytes(sparse, input);
  assert_true(g_bytes_get_size(want) > 1000);
  assert_true(g_bytes_equal(want, got));
  g_bytes_unref(want);
  g_bytes_unref(got);
  hb_face_destroy(sparse);
  hb_subset_input_destroy(input);
  hb_set_destroy(unicodes);
  hb_face_destroy(full);
}

static void test_cjk_collections(void **state) {
  (void)state;
  assert_same_subset(UMING, 0, NOTICE_TEXT);
  assert_same_subset(UMING, 2, NOTICE_TEXT); /* a face further in the collection */
  assert_same_subset(UKAI, 0, NOTICE_TEXT);
  assert_same_subset(ZENHEI, 0, NOTICE_TEXT);
}

static void test_composite_glyphs(void **state) {
  (void)state;
  assert_same_subset(DEJAVU, 0, LATIN_COMPOSITES);
}

static void assert_refused(const char *file, unsigned index, hb_face_t *full) {
  hb_set_t *unicodes = unicodes_of(LATIN_COMPOSITES);
  hb_set_t *none = hb_set_create();
  char *error = NULL;
  hb_face_t *face = kh_sparse_face_new(file, index, full, unicodes, none, &error);
  assert_null(face);
  assert_non_null(error);
  g_free(error);
  hb_set_destroy(none);
  hb_set_destroy(unicodes);
}

static void test_broken_fonts_refused(void **state) {
  (void)state;
  hb_face_t *full = mapped_face(DEJAVU, 0);
  gchar *bytes = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(DEJAVU, &bytes, &len, NULL));
  char *dir = g_dir_make_tmp("kaohe-sparse-XXXXXX", NULL);
  char *cut = g_build_filename(dir, "cut.ttf", NULL);
  /* cut in the table directory, then in the outlines */
  static const gsize cuts[] = {100, 12 + 16 * 4, 200000};
  for (unsigned i = 0; i < G_N_ELEMENTS(cuts); i++) {
    assert_true(cuts[i] < len);
    assert_true(g_file_set_contents(cut, bytes, (gssize)cuts[i], NULL));
    assert_refused(cut, 0, full);
  }
  g_unlink(cut);
  assert_refused(cut, 0, full); /* no such file */
  hb_face_t *uming = mapped_face(UMING, 0);
  assert_refused(UMING, 9, uming); /* uming.ttc holds 4 faces */
  hb_face_destroy(uming);
  g_rmdir(dir);
  g_free(cut);
  g_free(dir);
  g_free(bytes);
  hb_face_destroy(full);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cjk_collections),
      cmocka_unit_test(test_composite_glyphs),
      cmocka_unit_test(test_broken_fonts_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
