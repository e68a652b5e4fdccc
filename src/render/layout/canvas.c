/* Pages of recorded drawing operations (canvas.h). */
#include "render/layout/canvas.h"

#include <math.h>

static void op_clear(kh_draw_op *op) { g_free(op->text); }

static void page_free(kh_page *p) {
  g_array_unref(p->ops);
  g_free(p);
}

kh_canvas *kh_canvas_new(void) {
  kh_canvas *c = g_new0(kh_canvas, 1);
  c->pages = g_ptr_array_new_with_free_func((GDestroyNotify)page_free);
  return c;
}

void kh_canvas_free(kh_canvas *c) {
  if (!c)
    return;
  g_ptr_array_unref(c->pages);
  g_free(c);
}

kh_page *kh_canvas_add_page(kh_canvas *c, bool landscape) {
  kh_page *p = g_new0(kh_page, 1);
  p->landscape = landscape;
  p->number = (int)c->pages->len + 1;
  p->ops = g_array_new(FALSE, TRUE, sizeof(kh_draw_op));
  g_array_set_clear_func(p->ops, (GDestroyNotify)op_clear);
  g_ptr_array_add(c->pages, p);
  return p;
}

kh_page *kh_canvas_last_page(const kh_canvas *c) {
  return c->pages->len ? g_ptr_array_index(c->pages, c->pages->len - 1) : NULL;
}

/* True when every number is finite as the float it is stored as (1e39 is
 * not); otherwise marks the canvas bad. */
static bool finite_all(kh_canvas *c, const double *v, int n) {
  for (int i = 0; i < n; i++)
    if (!isfinite((float)v[i])) {
      c->bad = true;
      return false;
    }
  return true;
}

void kh_canvas_text(kh_canvas *c, kh_page *p, int face, double size,
                    double char_space, double hscale, kh_rgb color, double x,
                    double y, bool rotated, const char *text) {
  double v[] = {size, char_space, hscale, x, y, color.r, color.g, color.b};
  if (!finite_all(c, v, G_N_ELEMENTS(v)) || !text || !*text)
    return;
  kh_draw_op op = {.kind = KH_OP_TEXT, .color = color, .x = x, .y = y, .face = face,
              .size = size, .char_space = char_space, .hscale = hscale,
              .rotated = rotated, .text = g_utf8_make_valid(text, -1)};
  g_array_append_val(p->ops, op);
}

void kh_canvas_line(kh_canvas *c, kh_page *p, double x1, double y1, double x2,
                    double y2, double width, kh_rgb color) {
  double v[] = {x1, y1, x2, y2, width, color.r, color.g, color.b};
  if (!finite_all(c, v, G_N_ELEMENTS(v)))
    return;
  kh_draw_op op = {.kind = KH_OP_LINE, .color = color, .x = x1, .y = y1, .x2 = x2,
              .y2 = y2, .line_width = width};
  g_array_append_val(p->ops, op);
}

void kh_canvas_rect(kh_canvas *c, kh_page *p, double x, double y, double w,
                    double h, kh_rgb color) {
  double v[] = {x, y, w, h, color.r, color.g, color.b};
  if (!finite_all(c, v, G_N_ELEMENTS(v)))
    return;
  kh_draw_op op = {.kind = KH_OP_RECT, .color = color, .x = x, .y = y, .x2 = w, .y2 = h};
  g_array_append_val(p->ops, op);
}
