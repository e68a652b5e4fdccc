/* Setting blocks one after another on the body grid, page by page.
 *
 * Text sits on the grid of page.h: headings (一、 黑体, （一） 楷体, 1. 仿宋)
 * and paragraphs with a two-character first-line indent, justified. A
 * heading is kept with what follows it (two lines of text, a heading and
 * its text, a table's first rows, a chart); a paragraph leaves no single
 * line alone at the foot or head of a page. Tables and charts sit between
 * grid lines (right under a title when one precedes them) and the text
 * after them goes on the next free grid line; a table wider than the
 * portrait type area gets landscape pages of its own; a chart shrinks
 * (down to a legible bar pitch) to fit the rest of a page rather than
 * leave it empty. compose.c adds the parts of an official document around
 * this flow. */
#ifndef KAOHE_RENDER_LAYOUT_FLOW_H
#define KAOHE_RENDER_LAYOUT_FLOW_H

#include "kaohe/diag.h"
#include "render/doc.h"
#include "render/layout/canvas.h"
#include "render/layout/fonts.h"
#include "render/layout/page.h"
#include "render/layout/text.h"

typedef struct {
  const kh_fontset *fs; /* borrowed */
  kh_canvas *c;         /* the pages being filled (borrowed) */
  kh_page *pg;          /* the current page */
  kh_area area;         /* its type area */
  int line;             /* its next free grid line; past the last when full */
  double after_title;   /* the bottom of a title just set, where a table or
                           chart may start at once; 0 otherwise */
  double cs;            /* the grid's character spacing at 16 pt */
  const char *where;    /* the output's name, for messages */
  kh_diags *diags;
  GArray *marks;        /* the text lines set on pg since the last table,
                           chart or title, which kh_flow_carry() may move */
  const kh_chart *deferred; /* a chart too tall for the rest of its page: set
                           at the top of the next portrait page that falls
                           between paragraphs (never inside one) while the
                           text after it fills the gap, as figures float in
                           print; NULL when none waits */
  const kh_table *measured; /* the table kh_flow_table_is_wide() last
                           measured, and its answer */
  bool measured_wide;
} kh_flow;

/* Starts a flow on a new portrait page of c. Release with kh_flow_clear(). */
void kh_flow_init(kh_flow *f, const kh_fontset *fs, kh_canvas *c, const char *where,
                  kh_diags *diags);
void kh_flow_clear(kh_flow *f);

/* Starts a new page; a portrait one begins with the deferred chart. */
void kh_flow_new_page(kh_flow *f, bool landscape);

/* Sets a deferred chart now (on a new page) so that it comes before what
 * must follow the body: the signature, attachments. */
void kh_flow_flush_deferred(kh_flow *f);

/* Starts a new page and takes the last n text lines of the current one
 * along, so that what follows (the signature) does not stand alone on a
 * page (GB/T 9704 7.3.5). Takes nothing when those lines are not plain
 * consecutive text lines at the foot of what is set, or are all the page
 * has. */
void kh_flow_carry(kh_flow *f, int n);

/* kh_table_is_wide(t, f->fs), measured once for the table last asked
 * about: an attachment asks before its first page, and the table asks
 * again when it is set (measuring every cell of a 1,500-row table). */
bool kh_flow_table_is_wide(kh_flow *f, const kh_table *t);

double kh_flow_width(const kh_flow *f);     /* of the type area */
int kh_flow_lines_left(const kh_flow *f);   /* grid lines, may be negative */

/* The baseline that centres text of face and size in grid line k's box. */
double kh_flow_centred_baseline(const kh_flow *f, int k, int face, double size);

/* A paragraph of the block's runs; face < 0 keeps each run's face. Caller
 * frees with kh_para_free(). */
kh_para *kh_flow_block_para(const kh_flow *f, const kh_block *b, int face, double size,
                            double cs);

/* Sets p on the grid from the next free line: the first line starts
 * `indent` from the left edge, the others `hang`; `lead` (or NULL) is drawn
 * at lead_x on the first line. keep: lines of what follows that must share
 * the page with the last line. */
void kh_flow_para(kh_flow *f, kh_para *p, double indent, double hang, const char *lead,
                  double lead_x, int keep);

/* The lines of a title (22 pt, title face), balanced, a character in from
 * each side. Caller frees with g_array_unref(). */
GArray *kh_flow_title_lines(const kh_flow *f, kh_para *p);
/* Draws title lines centred, 33 pt apart, from first_baseline down;
 * returns the bottom of the last line. */
double kh_flow_draw_title(kh_flow *f, kh_para *p, GArray *lines, double first_baseline);
/* A title block with its first line on grid line k (or at the top of a new
 * page when it does not fit); the flow continues below it. */
void kh_flow_title(kh_flow *f, const kh_block *b, int k);

/* Sets one block; next is the block after it, or NULL. ATTACHMENT markers
 * set nothing. False, with an error, for a PARTIAL that was not replaced. */
bool kh_flow_block(kh_flow *f, const kh_block *b, const kh_block *next);

#endif
