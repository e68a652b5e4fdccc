/* The page layout's entry point: a kh_doc becomes a print-ready PDF in the
 * official-document layout of GB/T 9704-2012 (compose.h says where
 * everything goes).
 *
 * Fonts are resolved per document from the [fonts] entries (fonts.h), the
 * document is laid out (compose.h), each face is embedded cut down to the
 * characters it sets (subset.h) with a ToUnicode map of its glyphs
 * (pdf_font.h), the pages' content is written here, text as glyph IDs,
 * and libharu assembles the file (its object layer only through
 * pdf_objects.h). The file is written to a temporary name beside `path`
 * and renamed into place only when complete: on any failure the old file
 * is untouched. The output depends only on its inputs:
 * dates come from doc->created (SOURCE_DATE_EPOCH), and the trailer ID is a
 * digest of the laid-out content, so two runs give byte-identical files.
 * doc->pdfa adds the PDF/A-1b parts (pdfa.h).
 *
 * Reentrant: every object belongs to one call, so documents may be
 * rendered in parallel threads. */
#ifndef KAOHE_RENDER_LAYOUT_PDF_H
#define KAOHE_RENDER_LAYOUT_PDF_H

#include <stdbool.h>
#include "kaohe/diag.h"
#include "render/doc.h"
#include "render/layout/fonts.h"

/* Writes doc as a PDF at path. fonts may be NULL (every role at its
 * default). Appends warnings (fonts that stood in, characters a face
 * lacks) and errors to diags; returns false after an error. */
bool kh_layout_pdf(const kh_doc *doc, const kh_font_request *fonts,
                   const char *path, kh_diags *diags);

#endif
