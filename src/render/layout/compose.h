/* Composing a kh_doc into pages in the layout of GB/T 9704-2012.
 *
 * Page 1 carries the header block: the red issuing-authority mark (48 pt
 * in the title face, compressed horizontally when wider than the type
 * area, its top 35 mm below the type area's top), the document number two
 * lines below it, the red rule 4 mm under the number, the title two blank
 * lines under the rule (22 pt, balanced centred lines), then one blank line
 * and the addressees flush left. The blocks follow on the 22 × 28 grid
 * (flow.h).
 *
 * After the body: the attachment note (附件：1.… with continuation lines
 * aligned under the names), one blank line, the signature right-indented
 * two characters and the date on the next line, its first character two
 * characters right of the signature's first (GB/T 9704 7.3.5.2 for a
 * document without seal; when the date is the longer, the date is
 * right-indented two characters and the signature moves left); when they
 * do not fit, the last two body lines go with them to the next page. Each
 * attachment starts a page: 附件N in 黑体 top left, its title centred on
 * line 3, its blocks below; a wide table makes all of that attachment's
 * pages landscape. The closing block (版记) sits on the last face of the
 * document, an even page, with its last rule on the type area's bottom
 * edge: at the foot of the last page when that is an even portrait page
 * with room, else on the next page when that is even, else on a page of its
 * own after a blank page, and then neither of those two is numbered (GB/T
 * 9704 7.4.1 and 7.5). Every other page is numbered. */
#ifndef KAOHE_RENDER_LAYOUT_COMPOSE_H
#define KAOHE_RENDER_LAYOUT_COMPOSE_H

#include "kaohe/diag.h"
#include "render/doc.h"
#include "render/layout/canvas.h"
#include "render/layout/fonts.h"

/* Lays doc out. Returns NULL and appends an error (located at `where`, the
 * output's name) when the document cannot be laid out. Caller frees with
 * kh_canvas_free(). */
kh_canvas *kh_compose(const kh_doc *doc, const kh_fontset *fs,
                      const char *where, kh_diags *diags);

#endif
