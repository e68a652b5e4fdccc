/* Setting blocks one after another on the grid, page by page (flow.h). */
#include "render/layout/flow.h"

#include <math.h>

#include "render/layout/chart.h"
#include "render/layout/table.h"

#define TITLE_PITCH (1.5 * KH_TITLE_SIZE)
#define BLOCK_GAP 4.0 /* pt around tables and charts */
#define EPS 0.01

typedef struct {
  int line;       /* grid line */
  guint first_op; /* index of its first operation on the page */
} line_mark;

void kh_flow_init(kh_flow *f, const kh_fontset *fs, kh_canvas *c, const char *where,
                  kh_diags *diags) {
  *f = (kh_flow){.fs = fs, .c = c, .cs = kh_grid_char_space(KH_BODY_SIZE), .where = where,
                 .diags = diags, .marks = g_array_new(FALSE, FALSE, sizeof(line_mark))};
  kh_flow_new_page(f, false);
}

void kh_flow_clear(kh_flow *f) { g_array_unref(f->marks); }

bool kh_flow_table_is_wide(kh_flow *f, const kh_table *t) {
  if (f->measured != t) {
    f->measured = t;
    f->measured_wide = kh_table_is_wide(t, f->fs);
  }
  return f->measured_wide;
}

static void flow_chart(kh_flow *f, const kh_chart *ch);

void kh_flow_new_page(kh_flow *f, bool landscape) {
  f->pg = kh_canvas_add_page(f->c, landscape);
  f->area = kh_page_area(landscape);
  f->line = 0;
  f->after_title = 0;
  g_array_set_size(f->marks, 0);
  if (f->deferred && !landscape) {
    const kh_chart *ch = f->deferred;
    f->deferred = NULL;
    flow_chart(f, ch);
  }
}

/* A new page for the rest of a paragraph or table: a chart waiting for a
 * page top never splits one, it waits for a page top between blocks. */
static void continue_on_new_page(kh_flow *f) {
  const kh_chart *waiting = f->deferred;
  f->deferred = NULL;
  kh_flow_new_page(f, f->pg->landscape);
  f->deferred = waiting;
}

void kh_flow_flush_deferred(kh_flow *f) {
  if (f->deferred)
    kh_flow_new_page(f, false);
}

void kh_flow_carry(kh_flow *f, int n) {
  kh_page *old = f->pg;
  int m = (int)f->marks->len;
  line_mark *first = m >= n ? &g_array_index(f->marks, line_mark, m - n) : NULL;
  bool carry = first && first->line > 0 && first->line == f->line - n &&
               g_array_index(f->marks, line_mark, m - 1).line == f->line - 1;
  guint from = carry ? first->first_op : old->ops->len;
  int k0 = carry ? first->line : 0;
  kh_flow_new_page(f, old->landscape);
  if (!carry)
    return;
  for (guint i = from; i < old->ops->len; i++) {
    kh_draw_op op = g_array_index(old->ops, kh_draw_op, i);
    op.y += k0 * kh_grid_pitch(); /* grid line k lands on line k - k0 */
    g_array_append_val(f->pg->ops, op);
    g_array_index(old->ops, kh_draw_op, i).text = NULL; /* moved, not copied */
  }
  g_array_set_size(old->ops, from);
  f->line = n;
}

double kh_flow_width(const kh_flow *f) { return f->area.right - f->area.left; }

int kh_flow_lines_left(const kh_flow *f) { return kh_grid_lines(&f->area) - f->line; }

double kh_flow_centred_baseline(const kh_flow *f, int k, int face, double size) {
  double asc = kh_fontset_ascent(f->fs, face) * size;
  double desc = kh_fontset_descent(f->fs, face) * size;
  double inset = (kh_grid_pitch() - asc - desc) / 2;
  return kh_grid_line_top(&f->area, k) - (inset > 0 ? inset : 0) - asc;
}

kh_para *kh_flow_block_para(const kh_flow *f, const kh_block *b, int face,
                           double size, double cs) {
  kh_para *p = kh_para_new(f->fs, size, cs);
  for (guint i = 0; i < b->runs->len; i++) {
    const kh_run *r = g_ptr_array_index(b->runs, i);
    kh_para_add(p, face < 0 ? (int)r->face : face, r->text);
  }
  return p;
}

void kh_flow_para(kh_flow *f, kh_para *p, double indent, double hang,
                      const char *lead, double lead_x, int keep) {
  double w = kh_flow_width(f);
  GArray *lines = kh_para_wrap(p, w - indent, w - hang);
  int n = (int)lines->len;
  if (n > 0)
    f->after_title = 0;
  if (n > 0 && keep && f->line > 0 && kh_flow_lines_left(f) < n + keep)
    kh_flow_new_page(f, f->pg->landscape);
  int i = 0;
  while (i < n) {
    int left = kh_flow_lines_left(f), rest = n - i;
    int take = rest < left ? rest : left;
    if (take < rest) {
      if (i == 0 && take == 1)
        take = 0;
      else if (rest - take == 1 && take >= 2)
        take--;
    }
    for (int k = 0; k < take; k++, i++, f->line++) {
      line_mark mark = {f->line, f->pg->ops->len};
      g_array_append_val(f->marks, mark);
      double x = f->area.left + (i == 0 ? indent : hang);
      double y = kh_grid_baseline(f->fs, &f->area, f->line);
      if (i == 0 && lead)
        kh_canvas_text(f->c, f->pg, KH_FACE_BODY, KH_BODY_SIZE, f->cs, 100, KH_BLACK,
                       f->area.left + lead_x, y, false, lead);
      kh_para_draw_line(p, &g_array_index(lines, kh_line, i), f->c, f->pg, x, y,
                        w - (i == 0 ? indent : hang), true, KH_BLACK);
    }
    if (i < n)
      continue_on_new_page(f);
  }
  g_array_unref(lines);
}

GArray *kh_flow_title_lines(const kh_flow *f, kh_para *p) {
  return kh_para_wrap_balanced(p, kh_flow_width(f) - 2 * kh_grid_char());
}

double kh_flow_draw_title(kh_flow *f, kh_para *p, GArray *lines, double first_baseline) {
  double y = first_baseline;
  for (guint k = 0; k < lines->len; k++, y -= TITLE_PITCH) {
    kh_line *l = &g_array_index(lines, kh_line, k);
    double x = f->area.left + (kh_flow_width(f) - l->width) / 2;
    kh_para_draw_line(p, l, f->c, f->pg, x, y, l->width, false, KH_BLACK);
  }
  return y + TITLE_PITCH - kh_fontset_descent(f->fs, KH_FACE_TITLE) * KH_TITLE_SIZE;
}

void kh_flow_title(kh_flow *f, const kh_block *b, int k) {
  kh_para *p = kh_flow_block_para(f, b, KH_FACE_TITLE, KH_TITLE_SIZE, 0);
  GArray *lines = kh_flow_title_lines(f, p);
  if (lines->len) {
    double height = (lines->len - 1) * TITLE_PITCH + kh_grid_pitch();
    if (k > 0 && kh_grid_line_top(&f->area, k) - height < f->area.bottom - EPS) {
      kh_flow_new_page(f, f->pg->landscape);
      k = 0;
    }
    double first = kh_flow_centred_baseline(f, k, KH_FACE_TITLE, KH_TITLE_SIZE);
    double bottom = kh_flow_draw_title(f, p, lines, first);
    f->line = kh_grid_line_below(&f->area, bottom);
    f->after_title = bottom;
    g_array_set_size(f->marks, 0);
  }
  g_array_unref(lines);
  kh_para_free(p);
}

/* Where a table or chart may start: below the last line set. */
static double block_top(kh_flow *f) {
  double top = f->after_title ? f->after_title - 2 * BLOCK_GAP
               : f->line == 0 ? f->area.top
                              : kh_grid_line_top(&f->area, f->line) - BLOCK_GAP;
  f->after_title = 0;
  return top;
}
static void flow_table(kh_flow *f, const kh_table *t) {
  bool turned = kh_flow_table_is_wide(f, t) && !f->pg->landscape;
  if (turned)
    kh_flow_new_page(f, true);
  kh_table_layout *tl = kh_table_layout_new(t, f->fs, kh_flow_width(f));
  kh_table_pos pos = kh_table_start(tl);
  double top = block_top(f);
  double full = f->area.top - f->area.bottom;
  while (true) {
    if (top - kh_table_min_height(tl, pos, full) < f->area.bottom - EPS) {
      kh_flow_new_page(f, f->pg->landscape);
      top = f->area.top;
    }
    double end;
    kh_table_pos next = kh_table_draw(tl, f->c, f->pg, f->area.left, top,
                                      f->area.bottom, pos, &end);
    bool stuck = next.row == pos.row && next.line == pos.line && top >= f->area.top - EPS;
    pos = next;
    if (kh_table_done(tl, pos) || stuck) {
      f->line = kh_grid_line_below(&f->area, end - BLOCK_GAP);
      break;
    }
    continue_on_new_page(f);
    top = f->area.top;
  }
  kh_table_layout_free(tl);
  g_array_set_size(f->marks, 0);
  if (turned)
    kh_flow_new_page(f, false);
}

/* A chart below the last line set: at its natural size, tighter when that
 * lets it fit the rest of the page, else deferred to the top of the next
 * portrait page (see kh_flow.deferred) — or, when one already waits, on the
 * next page at once. */
static void flow_chart(kh_flow *f, const kh_chart *ch) {
  double w = kh_flow_width(f), pitch = kh_chart_pitch(ch);
  double h = kh_chart_height(ch, f->fs, w, pitch);
  bool turned = false;
  if (h > f->area.top - f->area.bottom && f->pg->landscape) {
    kh_flow_new_page(f, false); /* too tall for a landscape page */
    turned = true;
  }
  double top = block_top(f), room = top - f->area.bottom;
  if (h > room + EPS) {
    double fixed = kh_chart_height(ch, f->fs, w, 0);
    double tight = (room - fixed) / kh_chart_rows(ch);
    if (tight >= KH_CHART_MIN_PITCH) {
      pitch = tight;
    } else if (!turned && !f->pg->landscape && !f->deferred && f->line > 0) {
      f->deferred = ch;
      return;
    } else {
      kh_flow_new_page(f, f->pg->landscape);
      top = f->area.top;
    }
    h = kh_chart_height(ch, f->fs, w, pitch);
  }
  kh_chart_draw(ch, f->fs, f->c, f->pg, f->area.left, top, w, pitch);
  f->line = kh_grid_line_below(&f->area, top - h - BLOCK_GAP);
  g_array_set_size(f->marks, 0);
  if (turned)
    kh_flow_new_page(f, true);
}

/* The grid lines of what follows a heading that must share its page. */
static int keep_lines(const kh_flow *f, const kh_block *next) {
  if (!next)
    return 1;
  switch (next->kind) {
  case KH_BLOCK_HEADING1:
  case KH_BLOCK_HEADING2:
  case KH_BLOCK_HEADING3:
  case KH_BLOCK_TABLE: /* header row and a row or two */
    return 3;
  case KH_BLOCK_CHART:
    return next->chart ? (int)ceil(kh_chart_height(next->chart, f->fs, kh_flow_width(f),
                                                   KH_CHART_MIN_PITCH) /
                                   kh_grid_pitch())
                       : 1;
  default: /* two lines, so that the paragraph's first is not alone */
    return 2;
  }
}

bool kh_flow_block(kh_flow *f, const kh_block *b, const kh_block *next) {
  double indent = 2 * kh_grid_char();
  int face = -1;
  int keep = keep_lines(f, next);
  switch (b->kind) {
  case KH_BLOCK_TITLE:
    kh_flow_title(f, b, f->line);
    return true;
  case KH_BLOCK_HEADING1:
    face = KH_FACE_HEI;
    break;
  case KH_BLOCK_HEADING2:
    face = KH_FACE_KAI;
    break;
  case KH_BLOCK_HEADING3:
    break;
  case KH_BLOCK_PARAGRAPH:
    keep = 0;
    break;
  case KH_BLOCK_TABLE:
    if (b->table)
      flow_table(f, b->table);
    return true;
  case KH_BLOCK_CHART:
    if (b->chart)
      flow_chart(f, b->chart);
    return true;
  case KH_BLOCK_PARTIAL:
    kh_diags_add(f->diags, KH_ERROR, f->where, 1, 1, NULL,
                 "内置块 {{> %s}} 没有被替换成表格或图表，无法排版",
                 b->partial ? b->partial : "");
    return false;
  case KH_BLOCK_ATTACHMENT:
    return true;
  }
  kh_para *p = kh_flow_block_para(f, b, face, KH_BODY_SIZE, f->cs);
  kh_flow_para(f, p, indent, 0, NULL, 0, keep);
  kh_para_free(p);
  return true;
}
