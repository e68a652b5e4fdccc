/* What a PDF needs to know of an embedded font subset, worked out from the
 * faces alone (no PDF library involved, so it is testable as it is).
 *
 * The font is embedded as a Type0 font with the Identity-H encoding over a
 * CIDFontType2 whose CIDs are the subset's glyph IDs (CIDToGIDMap
 * Identity): text is written as two-byte glyph IDs, so every glyph the
 * face has can be drawn, characters beyond U+FFFF included. The text a
 * reader copies or searches comes from the ToUnicode map built here:
 * `bfchar` and `bfrange` entries from each glyph to the character it was
 * used for (UTF-16BE, surrogate pairs beyond U+FFFF), in blocks of at most
 * 100 as the CMap format wants. The widths are the advances truncated to
 * thousandths of an em exactly as the layout measured them
 * (kh_fontset_glyph_advance), and the descriptor carries the face's
 * ascent, descent, bounding box and cap height (the OS/2 table's, or the
 * top of its 'H' when OS/2 has none, as in the Arphic and WenQuanYi
 * faces). */
#ifndef KAOHE_RENDER_LAYOUT_PDF_FONT_H
#define KAOHE_RENDER_LAYOUT_PDF_FONT_H

#include <glib.h>
#include <hb.h>

typedef struct {
  hb_blob_t *program;    /* the subset's TrueType file: FontFile2 */
  char *base_font;       /* "ABCDEF+PostScriptName": the tag from the glyphs */
  unsigned n_glyphs;     /* CIDs 0 .. n_glyphs - 1 */
  int default_width;     /* DW: the commonest advance */
  int *widths;           /* per glyph, thousandths of an em */
  GString *to_unicode;   /* the ToUnicode CMap */
  int ascent, descent, cap_height, bbox[4]; /* thousandths of an em */
  hb_font_t *glyphs;     /* the subset's cmap: character → glyph ID */
} kh_pdf_font;

/* The PDF font of `subset` (kh_subset_face), cut from `full` (the face it
 * was cut from, for the metrics a subset may have lost). Keeps a reference
 * to subset. Caller frees with kh_pdf_font_free(). */
kh_pdf_font *kh_pdf_font_new(hb_face_t *subset, hb_face_t *full);
void kh_pdf_font_free(kh_pdf_font *f); /* NULL-safe */

/* The glyph ID (CID) that draws uc; 0 (.notdef) when the subset lacks it. */
unsigned kh_pdf_font_glyph(const kh_pdf_font *f, gunichar uc);

#endif
