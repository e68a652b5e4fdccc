/* Ruled tables (doc.h kh_table) on the page.
 *
 * Cells are set in the body face at 12 pt (小四, common for tables in
 * official documents), header rows in 黑体 and centred, marked rows in red,
 * with thick outer and thin inner rules. Column widths come from the
 * content, in steps: every column as narrow as its widest number or word;
 * then every body cell on one line (long remarks wrap first); then every
 * header in at most two lines; then everything on one line; the table
 * takes the step that fits plus a share of the way to the next, and fills
 * the width it is given. Long cells wrap inside their cell. When even the
 * narrowest columns do not fit, the size steps down to 10.5 and 9 pt.
 * Header rows repeat at the top of every page and a row is never cut
 * between pages (only a row taller than a whole page continues on the next
 * one). */
#ifndef KAOHE_RENDER_LAYOUT_TABLE_H
#define KAOHE_RENDER_LAYOUT_TABLE_H

#include "render/layout/canvas.h"
#include "render/layout/fonts.h"

#define KH_TABLE_SIZE 12.0

typedef struct kh_table_layout kh_table_layout;

/* Where drawing a table continues: the row, and the cell line within it
 * (0 unless a row taller than a page was split). */
typedef struct {
  int row;
  int line;
} kh_table_pos;

/* True when the table, every cell on one line at 12 pt (long text counted
 * as 15 characters, since it wraps), is wider than the portrait type area:
 * it then goes on landscape pages (横排表格). */
bool kh_table_is_wide(const kh_table *t, const kh_fontset *fs);

/* Lays the table out for exactly max_width. Caller frees with
 * kh_table_layout_free(). t and fs are borrowed for the layout's life. */
kh_table_layout *kh_table_layout_new(const kh_table *t, const kh_fontset *fs,
                                     double max_width);
void kh_table_layout_free(kh_table_layout *tl); /* NULL-safe */

/* The position of the first body row (after the header rows). */
kh_table_pos kh_table_start(const kh_table_layout *tl);
bool kh_table_done(const kh_table_layout *tl, kh_table_pos pos);

/* The height the header rows plus the next row need, but no more than
 * page_height (the whole type area): a page must have that much room left
 * before the table starts or continues on it. */
double kh_table_min_height(const kh_table_layout *tl, kh_table_pos pos,
                           double page_height);

/* Draws the header rows, then rows from pos while they fit above bottom,
 * with the table's top edge at `top` and left edge at x. Returns where to
 * continue; *end_y is the table's bottom edge on this page. */
kh_table_pos kh_table_draw(const kh_table_layout *tl, kh_canvas *c, kh_page *pg,
                           double x, double top, double bottom, kh_table_pos pos,
                           double *end_y);

#endif
