/* The parts of an embedded font (render/layout/pdf_font.h): a subset of AR
 * PL UMing holding CJK characters, a run of Latin letters and 𠀾 (U+2003E)
 * gets a ToUnicode CMap of bfchar and bfrange entries only (no cidrange,
 * which poppler rejects in a ToUnicode map), the character beyond U+FFFF as
 * a UTF-16 surrogate pair, blocks of at most 100 entries; glyph IDs that
 * draw each character; widths as the layout measures them; a cap height. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "render/layout/fonts.h"
#include "render/layout/pdf_font.h"
#include "render/layout/subset.h"

/* The subset of the body face for the characters of text, as its parts. */
static kh_pdf_font *font_for(kh_fontset *fs, const char *text) {
  int slot = kh_fontset_slot(fs, KH_FACE_BODY);
  hb_set_t *set = hb_set_create();
  for (const char *p = text; *p; p = g_utf8_next_char(p))
    hb_set_add(set, g_utf8_get_char(p));
  char *error = NULL;
  hb_face_t *full = kh_fontset_slot_face(fs, slot);
  hb_face_t *subset = kh_subset_face(full, kh_fontset_slot_file(fs, slot),
                                     (unsigned)kh_fontset_slot_index(fs, slot), set, &error);
  assert_non_null(subset);
  kh_pdf_font *f = kh_pdf_font_new(subset, full);
  hb_face_destroy(subset);
  hb_set_destroy(set);
  return f;
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

static void test_parts(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(NULL, diags);
  assert_non_null(fs);
  const char *text = "中文ABCDEF𠀾口镇";
  kh_pdf_font *f = font_for(fs, text);
  const char *cmap = f->to_unicode->str;
  assert_null(strstr(cmap, "cidrange"));
  assert_null(strstr(cmap, "notdefrange"));
  assert_non_null(strstr(cmap, "/Ordering (UCS)"));
  assert_non_null(strstr(cmap, "<D840DC3E>")); /* 𠀾 as a surrogate pair */
  assert_non_null(strstr(cmap, "<0041>"));     /* A… starts a range */
  assert_true(strstr(cmap, "beginbfrange") && strstr(cmap, "beginbfchar"));
  /* each character has its own glyph, drawn at the layout's width */
  unsigned seen[16];
  int n = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar uc = g_utf8_get_char(p);
    unsigned g = kh_pdf_font_glyph(f, uc);
    assert_true(g > 0 && g < f->n_glyphs);
    for (int i = 0; i < n; i++)
      assert_int_not_equal(seen[i], g);
    seen[n++] = g;
    assert_int_equal(f->widths[g], kh_fontset_advance(fs, KH_FACE_BODY, uc));
  }
  assert_int_equal(kh_pdf_font_glyph(f, 0x4E00), 0); /* 一: not in the subset */
  assert_true(f->cap_height > 600 && f->cap_height < f->ascent);
  assert_true(f->descent < 0 && f->bbox[2] > f->bbox[0] && f->bbox[3] > f->bbox[1]);
  assert_true(g_str_has_suffix(f->base_font, "+UMingCN") && strlen(f->base_font) == 14);
  kh_pdf_font_free(f);

  /* 300 characters that neither run together in glyph IDs nor map to
   * consecutive code points: blocks of at most 100 */
  GString *many = g_string_new(NULL);
  for (gunichar uc = 0x4E00; uc < 0x4E00 + 600; uc += 2)
    g_string_append_unichar(many, uc);
  f = font_for(fs, many->str);
  int blocks = count(f->to_unicode->str, "beginbfchar") + count(f->to_unicode->str, "beginbfrange");
  assert_true(blocks >= 3);
  for (const char *p = f->to_unicode->str; (p = strstr(p, " beginbf")); p++) {
    const char *line = p;
    while (line > f->to_unicode->str && line[-1] != '\n')
      line--;
    assert_true(atoi(line) <= 100);
  }
  kh_pdf_font_free(f);
  g_string_free(many, TRUE);
  kh_fontset_free(fs);
  kh_diags_free(diags);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
