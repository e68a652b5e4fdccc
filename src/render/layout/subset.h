/* Embedding a face in a PDF, reduced to the characters it sets.
 *
 * libharu embeds most of a CJK TrueType font even for one page (~400 KB a
 * face) and loads fonts only from files: the face is first cut down with
 * HarfBuzz (hb-subset: the document's code points, glyf outlines kept,
 * hinting and OpenType layout tables dropped, since libharu uses neither),
 * written to a private temporary file, loaded and the file deleted at once
 * (libharu keeps it open until the document is freed). A face from a .ttc
 * collection becomes a plain .ttf. */
#ifndef KAOHE_RENDER_LAYOUT_SUBSET_H
#define KAOHE_RENDER_LAYOUT_SUBSET_H

#include <hb.h>
#include <hpdf.h>

/* Embeds `face` (face `index` of `file`) reduced to `unicodes` (BMP code
 * points) in pdf and returns the font for UTF-8 text, or NULL with *error
 * set (caller frees with g_free()). The outlines are read from the file
 * (sparse_face.h), the rest from `face`. */
HPDF_Font kh_subset_embed(HPDF_Doc pdf, hb_face_t *face, const char *file,
                          unsigned index, const hb_set_t *unicodes, char **error);

#endif
