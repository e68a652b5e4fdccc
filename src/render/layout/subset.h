/* Cutting a face down to the characters a document sets.
 *
 * A CJK TrueType face is 10-20 MB; a notice uses a few hundred of its
 * glyphs. The face is cut down with HarfBuzz (hb-subset: the document's
 * code points, glyf outlines kept, hinting and OpenType layout tables
 * dropped, since a PDF viewer uses neither), and the result is the font
 * program the PDF embeds (pdf_font.h). A face from a .ttc collection
 * becomes a plain TrueType font. */
#ifndef KAOHE_RENDER_LAYOUT_SUBSET_H
#define KAOHE_RENDER_LAYOUT_SUBSET_H

#include <hb.h>

/* `face` (face `index` of `file`) reduced to `unicodes`, or NULL with
 * *error set (caller frees with g_free()). The outlines are read from the
 * file (sparse_face.h), the rest from `face`. Caller destroys the result
 * with hb_face_destroy(). */
hb_face_t *kh_subset_face(hb_face_t *face, const char *file, unsigned index,
                          const hb_set_t *unicodes, char **error);

#endif
