/* A face that holds only the outlines a subset needs, for hb-subset.
 *
 * The fonts are mapped from their files (fonts.c), and HarfBuzz's
 * subsetter reads the outline of every glyph the document uses from the
 * mapping. Each outline it touches maps the kernel's fault-around window
 * (64 KB) of the font file into the process: a few hundred CJK glyphs
 * spread over uming.ttc's 17 MB glyf table made 14 MB of the notice's peak
 * resident memory. This face reads the same bytes with pread() into an
 * anonymous mapping the size of the file, at their own offsets: the table
 * directory, every table but glyf and those the subset drops, and from glyf
 * only the outlines of the characters asked for and of the glyphs they are
 * composed of. Pages never written are never resident, and the face is the
 * file's own face to HarfBuzz (same offsets, same tables). */
#ifndef KAOHE_RENDER_LAYOUT_SPARSE_FACE_H
#define KAOHE_RENDER_LAYOUT_SPARSE_FACE_H

#include <hb.h>

/* Face `index` of `file`, whose face as mapped is `full`, with the glyf
 * outlines of `unicodes` and every table except glyf and `skip_tables`
 * (tags); hb-subset keeps no outline for .notdef unless asked. Returns
 * NULL with *error set (caller frees with g_free()). Caller destroys the
 * face with hb_face_destroy(). */
hb_face_t *kh_sparse_face_new(const char *file, unsigned index, hb_face_t *full,
                              const hb_set_t *unicodes, const hb_set_t *skip_tables,
                              char **error);

#endif
