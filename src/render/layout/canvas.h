/* The laid-out document before it becomes PDF: pages of drawing operations.
 *
 * Composing records text, lines and filled rectangles here in PDF points
 * (origin at the bottom left of the page, y upwards); the PDF writer then
 * learns which characters each face needs (for subsetting) and replays the
 * operations through libharu. Keeping layout apart from libharu makes the
 * geometry testable and lets every number be checked once: an operation
 * with a number that is not finite as a float is refused and marks the
 * canvas bad, because libharu writes garbage into the content stream for
 * NaN. */
#ifndef KAOHE_RENDER_LAYOUT_CANVAS_H
#define KAOHE_RENDER_LAYOUT_CANVAS_H

#include <stdbool.h>
#include <glib.h>

/* Colours and the operations' numbers are floats, as libharu takes them
 * (HPDF_REAL): nothing is lost, an operation is 64 bytes instead of 120,
 * and a colour or spacing equal as libharu sees it is not set twice. */
typedef struct {
  float r, g, b;
} kh_rgb;

#define KH_BLACK ((kh_rgb){0, 0, 0})
#define KH_RED ((kh_rgb){0.88, 0.0, 0.0})

typedef enum { KH_OP_TEXT, KH_OP_LINE, KH_OP_RECT } kh_draw_op_kind;

typedef struct {
  kh_draw_op_kind kind;
  kh_rgb color;
  /* TEXT: the baseline's start; LINE: one end; RECT: the lower left corner */
  float x, y;
  /* LINE: the other end; RECT: width and height */
  float x2, y2;
  float line_width; /* LINE */
  /* TEXT */
  int face;         /* kh_face or KH_FACE_PAGENO */
  float size;       /* pt */
  float char_space; /* pt after every character (Tc) */
  float hscale;     /* horizontal scaling in percent (Tz), 100 = none */
  bool rotated;      /* turned 90° clockwise: reads downwards */
  char *text;        /* UTF-8 */
} kh_draw_op;

typedef struct {
  bool landscape;
  int number; /* 1-based page number */
  bool unnumbered; /* printed without its number (GB/T 9704: the blank page
                      before a 版记 page of its own, and that page) */
  GArray *ops; /* of kh_draw_op */
} kh_page;

typedef struct {
  GPtrArray *pages; /* kh_page* */
  bool bad;         /* some operation had a non-finite number */
} kh_canvas;

/* Caller frees with kh_canvas_free(). */
kh_canvas *kh_canvas_new(void);
void kh_canvas_free(kh_canvas *c); /* NULL-safe */

/* Appends a page numbered after the last one. Borrowed from c. */
kh_page *kh_canvas_add_page(kh_canvas *c, bool landscape);
kh_page *kh_canvas_last_page(const kh_canvas *c); /* NULL when empty */

/* Text with the given face, size and spacing; copies text, with invalid
 * UTF-8 replaced. */
void kh_canvas_text(kh_canvas *c, kh_page *p, int face, double size,
                    double char_space, double hscale, kh_rgb color, double x,
                    double y, bool rotated, const char *text);
void kh_canvas_line(kh_canvas *c, kh_page *p, double x1, double y1, double x2,
                    double y2, double width, kh_rgb color);
void kh_canvas_rect(kh_canvas *c, kh_page *p, double x, double y, double w,
                    double h, kh_rgb color);

#endif
