/* PDF/A-1b for the archived quarterly report.
 *
 * libharu 2.3's own PDF/A support is unusable here: its XMP carries the
 * title unescaped, its trailer ID comes from the clock (no reproducible
 * files) and its OutputIntent has the key "DestOutputProfile " with a
 * trailing space. So the parts are made here and added with libharu's
 * object layer (pdf_objects.h): an XMP packet (uncompressed, as PDF/A-1
 * requires) whose dc:title, dc:creator, dc:description, xmp dates,
 * CreatorTool and pdf:Producer match the Info dictionary, with pdfaid part
 * 1 conformance B; an OutputIntent GTS_PDFA1 with Debian's sRGB profile
 * (icc-profiles-free). The fonts' CIDSets come with the fonts
 * (kh_pdfo_font_embed); the document ID is the layout's (pdf.h). */
#ifndef KAOHE_RENDER_LAYOUT_PDFA_H
#define KAOHE_RENDER_LAYOUT_PDFA_H

#include <stdbool.h>
#include <hpdf.h>
#include <time.h>
#include <glib.h>

/* What the Info dictionary says, in UTF-8 (NULL when absent). */
typedef struct {
  const char *title, *author, *subject, *creator;
  time_t created;
} kh_pdf_info;

/* Makes pdf PDF/A-1b: version 1.4, XMP metadata, OutputIntent. Returns
 * false with *error set (caller frees with g_free()). */
bool kh_pdfa_apply(HPDF_Doc pdf, const kh_pdf_info *info, char **error);

/* The date as libharu and XMP write it, in China time (UTC+8). */
HPDF_Date kh_pdf_date(time_t t);

#endif
