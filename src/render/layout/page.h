/* The page of GB/T 9704-2012: A4, the type area (版心) and its grid, page
 * numbers.
 *
 * Portrait: margins top 37 mm, left 28 mm, type area 156 × 225 mm. The body
 * grid is 22 lines of 28 characters at 16 pt: every character advances
 * 156/28 mm (16 pt plus a character spacing of about −0.207 pt) and lines
 * are 225/22 mm apart, each line's text centred in its line box as word
 * processors do, so the first line's glyph box starts just below 37 mm.
 *
 * Landscape pages (横排表格) are the portrait page turned so its left
 * (binding) edge is on top, on odd and even pages alike: the type area is
 * 225 × 156 mm, 35 mm from the left and 28 mm from the top, and the page
 * number stays where a portrait page has it, on the physical bottom edge of
 * the sheet, which is the landscape page's left edge; it reads downwards.
 * Layout works in the landscape page's coordinates; the PDF writes the
 * page as a portrait sheet with the content turned and /Rotate 90 (pdf.c),
 * so that paper comes out the same whatever a printer driver's
 * auto-rotation does, and the page number reads upright on it. */
#ifndef KAOHE_RENDER_LAYOUT_PAGE_H
#define KAOHE_RENDER_LAYOUT_PAGE_H

#include "render/layout/canvas.h"
#include "render/layout/fonts.h"

#define KH_MM (72.0 / 25.4)
#define KH_A4_W (210.0 * KH_MM)
#define KH_A4_H (297.0 * KH_MM)

#define KH_BODY_SIZE 16.0  /* 三号 */
#define KH_TITLE_SIZE 22.0 /* 二号 */
#define KH_SMALL_SIZE 14.0 /* 四号: page numbers, closing block */
#define KH_GRID_CHARS 28
#define KH_GRID_LINES 22

/* The type area of a page, in PDF points. */
typedef struct {
  double left, right, bottom, top;
} kh_area;

kh_area kh_page_area(bool landscape);

/* The character spacing that puts KH_GRID_CHARS characters of size pt on
 * the portrait type area's width. */
double kh_grid_char_space(double size);
/* One body character's advance on the grid (≈ 15.79 pt). */
double kh_grid_char(void);
/* The distance between body lines (225/22 mm ≈ 28.94 pt). */
double kh_grid_pitch(void);
/* The baseline of grid line k (0 = first) of a type area, for text of
 * `size` in the body face. */
double kh_grid_baseline(const kh_fontset *fs, const kh_area *a, int k);
/* The number of grid lines on a type area. */
int kh_grid_lines(const kh_area *a);
/* The first grid line whose line box lies wholly below y. */
int kh_grid_line_below(const kh_area *a, double y);
/* The top of grid line k's line box. */
double kh_grid_line_top(const kh_area *a, int k);

/* Draws "— N —" in the Song face, 14 pt, its top 7 mm below the type
 * area: odd pages right-aligned, even pages left-aligned, each indented
 * one character. Nothing on a page marked unnumbered. */
void kh_page_number(kh_canvas *c, kh_page *p, const kh_fontset *fs);

#endif
