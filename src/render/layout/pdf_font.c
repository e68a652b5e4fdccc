/* The parts of an embedded font: widths, ToUnicode map, metrics
 * (pdf_font.h). */
#include "render/layout/pdf_font.h"

#include <hb-ot.h>

#include "render/layout/fonts.h"

#define CMAP_BLOCK 100 /* entries per bfchar/bfrange block */

/* A glyph and the character it draws. */
typedef struct {
  unsigned glyph;
  gunichar uc;
} glyph_char;

/* Each glyph of the subset's cmap with the lowest character that maps to
 * it (hb-subset keeps only the characters asked for), by glyph ID. */
static GArray *glyph_chars(hb_face_t *subset, hb_font_t *font, unsigned n_glyphs) {
  gunichar *first = g_new0(gunichar, n_glyphs ? n_glyphs : 1);
  hb_set_t *unicodes = hb_set_create();
  hb_face_collect_unicodes(subset, unicodes);
  for (hb_codepoint_t uc = HB_SET_VALUE_INVALID; hb_set_next(unicodes, &uc);) {
    hb_codepoint_t g;
    if (hb_font_get_nominal_glyph(font, uc, &g) && g > 0 && g < n_glyphs && !first[g])
      first[g] = uc;
  }
  hb_set_destroy(unicodes);
  GArray *list = g_array_new(FALSE, FALSE, sizeof(glyph_char));
  for (unsigned g = 1; g < n_glyphs; g++)
    if (first[g]) {
      glyph_char gc = {g, first[g]};
      g_array_append_val(list, gc);
    }
  g_free(first);
  return list;
}

/* The character as the CMap's UTF-16BE hex destination. */
static void put_utf16(GString *s, gunichar uc) {
  if (uc > 0xFFFF) {
    uc -= 0x10000;
    g_string_append_printf(s, "<%04X%04X>", 0xD800 + (uc >> 10), 0xDC00 + (uc & 0x3FF));
  } else {
    g_string_append_printf(s, "<%04X>", uc);
  }
}

/* How many entries from list[i] on form one bfrange: glyphs and characters
 * both consecutive, all in the BMP, and only the last byte of each
 * changing (the CMap format's rule for a range). */
static guint range_len(const GArray *list, guint i) {
  const glyph_char *a = &g_array_index(list, glyph_char, i);
  guint n = 1;
  while (i + n < list->len) {
    const glyph_char *b = &g_array_index(list, glyph_char, i + n);
    if (b->glyph != a->glyph + n || b->uc != a->uc + n || b->uc > 0xFFFF ||
        (b->glyph >> 8) != (a->glyph >> 8) || (b->uc >> 8) != (a->uc >> 8))
      break;
    n++;
  }
  return n;
}

/* Appends one block of entries: "N beginKIND … endKIND". */
static void flush_block(GString *cmap, const char *kind, GString *body, int n) {
  if (!n)
    return;
  g_string_append_printf(cmap, "%d begin%s\n%send%s\n", n, kind, body->str, kind);
  g_string_truncate(body, 0);
}

static GString *to_unicode_cmap(const GArray *list) {
  GString *cmap = g_string_new("/CIDInit /ProcSet findresource begin\n"
                               "12 dict begin\n"
                               "begincmap\n"
                               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                               "/Supplement 0 >> def\n"
                               "/CMapName /Adobe-Identity-UCS def\n"
                               "/CMapType 2 def\n"
                               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  GString *chars = g_string_new(NULL), *ranges = g_string_new(NULL);
  int n_chars = 0, n_ranges = 0;
  for (guint i = 0; i < list->len;) {
    const glyph_char *a = &g_array_index(list, glyph_char, i);
    guint n = range_len(list, i);
    if (n > 1) {
      g_string_append_printf(ranges, "<%04X> <%04X> ", a->glyph, a->glyph + n - 1);
      put_utf16(ranges, a->uc);
      g_string_append_c(ranges, '\n');
      if (++n_ranges == CMAP_BLOCK)
        flush_block(cmap, "bfrange", ranges, n_ranges), n_ranges = 0;
    } else {
      g_string_append_printf(chars, "<%04X> ", a->glyph);
      put_utf16(chars, a->uc);
      g_string_append_c(chars, '\n');
      if (++n_chars == CMAP_BLOCK)
        flush_block(cmap, "bfchar", chars, n_chars), n_chars = 0;
    }
    i += n;
  }
  flush_block(cmap, "bfchar", chars, n_chars);
  flush_block(cmap, "bfrange", ranges, n_ranges);
  g_string_free(chars, TRUE);
  g_string_free(ranges, TRUE);
  g_string_append(cmap, "endcmap\n"
                        "CMapName currentdict /CMap defineresource pop\n"
                        "end\n"
                        "end\n");
  return cmap;
}

/* The commonest width: what DW says, so W lists only the others. */
static int commonest(const int *widths, unsigned n) {
  GHashTable *count = g_hash_table_new(g_direct_hash, g_direct_equal);
  int best = 1000;
  guint best_n = 0;
  for (unsigned g = 0; g < n; g++) {
    guint c = GPOINTER_TO_UINT(g_hash_table_lookup(count, GINT_TO_POINTER(widths[g]))) + 1;
    g_hash_table_insert(count, GINT_TO_POINTER(widths[g]), GUINT_TO_POINTER(c));
    if (c > best_n || (c == best_n && widths[g] < best))
      best = widths[g], best_n = c;
  }
  g_hash_table_destroy(count);
  return best;
}

static int per_mille(int v, unsigned upem) { return (int)((gint64)v * 1000 / (gint64)upem); }

/* The PostScript name of the face, reduced to the characters a PDF name
 * takes plainly. Caller frees with g_free(). */
static char *postscript_name(hb_face_t *face) {
  char buf[128] = "";
  unsigned len = sizeof buf;
  hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, buf);
  GString *s = g_string_new(NULL);
  for (const char *p = buf; *p; p++)
    if (g_ascii_isalnum(*p) || *p == '-' || *p == '_')
      g_string_append_c(s, *p);
  if (!s->len)
    g_string_append(s, "Font");
  return g_string_free(s, FALSE);
}

/* Six capital letters from the glyphs and characters: the subset tag, the
 * same for the same subset. */
static void subset_tag(const GArray *list, const char *name, char tag[7]) {
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(sum, (const guchar *)name, -1);
  g_checksum_update(sum, (const guchar *)list->data, list->len * sizeof(glyph_char));
  guint8 digest[32];
  gsize n = sizeof digest;
  g_checksum_get_digest(sum, digest, &n);
  g_checksum_free(sum);
  for (int i = 0; i < 6; i++)
    tag[i] = (char)('A' + digest[i] % 26);
  tag[6] = '\0';
}

/* The face's bounding box from its head table, in font units. */
static void head_bbox(hb_face_t *face, int bbox[4]) {
  hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
  unsigned len = 0;
  const guint8 *d = (const guint8 *)hb_blob_get_data(head, &len);
  for (int i = 0; i < 4; i++)
    bbox[i] = len >= 44 ? (gint16)(d[36 + 2 * i] << 8 | d[37 + 2 * i]) : 0;
  hb_blob_destroy(head);
}

/* The cap height in font units: OS/2's, else the top of 'H', else the
 * ascender. */
static int cap_height(hb_font_t *full, int ascender) {
  hb_position_t cap = 0;
  if (hb_ot_metrics_get_position(full, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0)
    return cap;
  hb_codepoint_t g;
  hb_glyph_extents_t e;
  if (hb_font_get_nominal_glyph(full, 'H', &g) && hb_font_get_glyph_extents(full, g, &e) &&
      e.y_bearing > 0)
    return e.y_bearing;
  return ascender;
}

kh_pdf_font *kh_pdf_font_new(hb_face_t *subset, hb_face_t *full) {
  kh_pdf_font *f = g_new0(kh_pdf_font, 1);
  f->program = hb_face_reference_blob(subset);
  f->glyphs = hb_font_create(subset);
  f->n_glyphs = hb_face_get_glyph_count(subset);
  unsigned upem = hb_face_get_upem(subset);
  f->widths = g_new0(int, f->n_glyphs ? f->n_glyphs : 1);
  for (unsigned g = 0; g < f->n_glyphs; g++)
    f->widths[g] = kh_fontset_glyph_advance(f->glyphs, upem, g);
  f->default_width = commonest(f->widths, f->n_glyphs);
  GArray *list = glyph_chars(subset, f->glyphs, f->n_glyphs);
  f->to_unicode = to_unicode_cmap(list);
  char *name = postscript_name(full);
  char tag[7];
  subset_tag(list, name, tag);
  f->base_font = g_strdup_printf("%s+%s", tag, name);
  g_free(name);
  g_array_unref(list);

  hb_font_t *font = hb_font_create(full);
  unsigned full_upem = hb_face_get_upem(full);
  hb_font_extents_t ext;
  hb_font_get_h_extents(font, &ext);
  f->ascent = per_mille(ext.ascender, full_upem);
  f->descent = per_mille(ext.descender, full_upem);
  f->cap_height = per_mille(cap_height(font, ext.ascender), full_upem);
  int bbox[4];
  head_bbox(full, bbox);
  for (int i = 0; i < 4; i++)
    f->bbox[i] = per_mille(bbox[i], full_upem);
  hb_font_destroy(font);
  return f;
}

void kh_pdf_font_free(kh_pdf_font *f) {
  if (!f)
    return;
  hb_blob_destroy(f->program);
  hb_font_destroy(f->glyphs);
  g_free(f->widths);
  g_string_free(f->to_unicode, TRUE);
  g_free(f->base_font);
  g_free(f);
}

unsigned kh_pdf_font_glyph(const kh_pdf_font *f, gunichar uc) {
  hb_codepoint_t g = 0;
  return hb_font_get_nominal_glyph(f->glyphs, uc, &g) ? g : 0;
}
