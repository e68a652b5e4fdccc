/* Everything kaohe asks of libharu beyond its top-level calls, in one
 * place.
 *
 * libharu's public calls (hpdf.h) make the document, its pages and its
 * file; they cannot write a font the way a valid text layer needs it (a
 * ToUnicode map of bfchar/bfrange entries, glyphs beyond U+FFFF, a cap
 * height), a reproducible trailer ID, UTF-16 document information or the
 * PDF/A parts (dependency traps in docs/decisions.md). For those, this file
 * uses libharu's object layer, the dictionaries, arrays, streams and
 * cross-reference table that libhpdf-dev installs (hpdf_objects.h,
 * hpdf_doc.h), and nothing else of its internals: the rest of the layout
 * calls only hpdf.h and the functions below. The object layer is not a
 * stable interface, so pdf_objects.c refuses to build against a libharu
 * other than the one it was written and checked for (HPDF_VERSION_ID);
 * moving to another version means reviewing this one file. */
#ifndef KAOHE_RENDER_LAYOUT_PDF_OBJECTS_H
#define KAOHE_RENDER_LAYOUT_PDF_OBJECTS_H

#include <glib.h>
#include <hpdf.h>
#include <stdbool.h>

#include "render/layout/pdf_font.h"

/* An embedded font: its Type0 font dictionary, owned by the document. */
typedef struct kh_pdfo_font kh_pdfo_font;

/* Embeds f as a Type0 font (Identity-H over a CIDFontType2 with CIDs =
 * glyph IDs, its descriptor with CapHeight, the font program and the
 * ToUnicode map), with a CIDSet when cidset (PDF/A-1). The handle lives as
 * long as pdf; NULL when libharu fails. */
kh_pdfo_font *kh_pdfo_font_embed(HPDF_Doc pdf, const kh_pdf_font *f, bool cidset);

/* Names the fonts in the page's resources: fonts[i] as /F<i>, for each i
 * with used[i]. */
bool kh_pdfo_page_fonts(HPDF_Page page, kh_pdfo_font *const *fonts, const bool *used, int n);

/* Appends content-stream operators to the page (kaohe writes its pages'
 * content itself: text as glyph IDs in the fonts above, lines, fills). */
bool kh_pdfo_page_content(HPDF_Page page, const char *ops, gsize len);

/* A text entry of the Info dictionary as the given bytes (UTF-16BE with
 * its byte-order mark: libharu's own conversion mangles CJK text). The
 * Info dictionary must exist (HPDF_SetInfoAttr makes it). */
bool kh_pdfo_info_bytes(HPDF_Doc pdf, const char *key, const guint8 *bytes, gsize len);

/* Sets the trailer /ID to two copies of the 16-byte id. */
bool kh_pdfo_set_id(HPDF_Doc pdf, const guint8 id[16]);

/* The PDF/A-1 parts: version 1.4, the XMP packet as the catalog's
 * uncompressed Metadata stream and an OutputIntent GTS_PDFA1 with the ICC
 * profile (key "DestOutputProfile", which libharu's own call misspells). */
bool kh_pdfo_pdfa(HPDF_Doc pdf, const char *xmp, gsize xmp_len, const char *icc,
                  gsize icc_len, const char *profile_name);

#endif
