/* Page geometry, the body grid and page numbers (page.h). */
#include "render/layout/page.h"

#include <math.h>

#include "render/layout/text.h"

#define TOP_MARGIN (37.0 * KH_MM)
#define LEFT_MARGIN (28.0 * KH_MM)
#define AREA_W (156.0 * KH_MM)
#define AREA_H (225.0 * KH_MM)
#define PAGENO_GAP (7.0 * KH_MM)
#define EPS 1e-6

kh_area kh_page_area(bool landscape) {
  if (!landscape)
    return (kh_area){LEFT_MARGIN, LEFT_MARGIN + AREA_W, KH_A4_H - TOP_MARGIN - AREA_H,
                     KH_A4_H - TOP_MARGIN};
  /* the portrait area turned: portrait bottom → left, portrait left → top */
  double bottom_margin = KH_A4_H - TOP_MARGIN - AREA_H;
  return (kh_area){bottom_margin, bottom_margin + AREA_H, KH_A4_W - LEFT_MARGIN - AREA_W,
                   KH_A4_W - LEFT_MARGIN};
}

double kh_grid_char_space(double size) { return AREA_W / KH_GRID_CHARS - size; }
double kh_grid_char(void) { return AREA_W / KH_GRID_CHARS; }
double kh_grid_pitch(void) { return AREA_H / KH_GRID_LINES; }

double kh_grid_line_top(const kh_area *a, int k) { return a->top - k * kh_grid_pitch(); }

double kh_grid_baseline(const kh_fontset *fs, const kh_area *a, int k) {
  double asc = kh_fontset_ascent(fs, KH_FACE_BODY) * KH_BODY_SIZE;
  double desc = kh_fontset_descent(fs, KH_FACE_BODY) * KH_BODY_SIZE;
  double inset = (kh_grid_pitch() - asc - desc) / 2;
  return kh_grid_line_top(a, k) - (inset > 0 ? inset : 0) - asc;
}

int kh_grid_lines(const kh_area *a) {
  return (int)floor((a->top - a->bottom) / kh_grid_pitch() + EPS);
}

int kh_grid_line_below(const kh_area *a, double y) {
  int k = (int)ceil((a->top - y) / kh_grid_pitch() - EPS);
  return k < 0 ? 0 : k;
}

void kh_page_number(kh_canvas *c, kh_page *p, const kh_fontset *fs) {
  if (p->unnumbered)
    return;
  char *text = g_strdup_printf("— %d —", p->number);
  double size = KH_SMALL_SIZE;
  double w = kh_text_width(fs, KH_FACE_PAGENO, size, 0, text);
  kh_area a = kh_page_area(false);
  double px = p->number % 2 ? a.right - size - w : a.left + size;
  double py = a.bottom - PAGENO_GAP - kh_fontset_ascent(fs, KH_FACE_PAGENO) * size;
  if (p->landscape)
    kh_canvas_text(c, p, KH_FACE_PAGENO, size, 0, 100, KH_BLACK, py, KH_A4_W - px, true, text);
  else
    kh_canvas_text(c, p, KH_FACE_PAGENO, size, 0, 100, KH_BLACK, px, py, false, text);
  g_free(text);
}
