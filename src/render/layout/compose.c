/* The document's blocks onto pages (compose.h). */
#include "render/layout/compose.h"

#include <string.h>

#include "render/layout/chart.h"
#include "render/layout/page.h"
#include "render/layout/table.h"
#include "render/layout/text.h"

#define MARK_SIZE 48.0               /* 发文机关标志, practice 40–60 pt */
#define MARK_DROP (35.0 * KH_MM)     /* its top below the type area's top */
#define RULE_GAP (4.0 * KH_MM)       /* red rule below the document number */
#define RED_RULE (0.5 * KH_MM)
#define TITLE_PITCH (1.5 * KH_TITLE_SIZE)
#define CLOSING_OUTER (0.35 * KH_MM) /* 版记 rules */
#define CLOSING_INNER (0.25 * KH_MM)
#define BLOCK_GAP 4.0                /* pt around tables and charts */
#define EPS 0.01

typedef struct {
  const kh_doc *doc;
  const kh_fontset *fs;
  kh_canvas *c;
  kh_page *pg;
  kh_area area;
  int line;  /* the next free grid line of pg */
  double cs; /* the grid's character spacing at 16 pt */
  const char *where;
  kh_diags *diags;
  GArray *marks; /* line_mark: the text lines set on pg since the last
                    table or chart, for carrying them to the next page */
} composer;

typedef struct {
  int line;       /* grid line */
  guint first_op; /* index of its first operation on the page */
} line_mark;

static void new_page(composer *cm, bool landscape) {
  cm->pg = kh_canvas_add_page(cm->c, landscape);
  cm->area = kh_page_area(landscape);
  cm->line = 0;
  g_array_set_size(cm->marks, 0);
}

/* Starts a new page and takes the last n text lines of the current one
 * along, so that what comes next (the signature) does not stand alone on
 * a page (GB/T 9704 7.3.5). Takes nothing when those lines are not plain
 * consecutive text lines at the foot of what is set, or are all the page
 * has. */
static void new_page_carrying(composer *cm, int n) {
  kh_page *old = cm->pg;
  int m = (int)cm->marks->len;
  line_mark *first = m >= n ? &g_array_index(cm->marks, line_mark, m - n) : NULL;
  bool carry = first && first->line > 0 && first->line == cm->line - n &&
               g_array_index(cm->marks, line_mark, m - 1).line == cm->line - 1;
  guint from = carry ? first->first_op : old->ops->len;
  int k0 = carry ? first->line : 0;
  new_page(cm, old->landscape);
  if (!carry)
    return;
  for (guint i = from; i < old->ops->len; i++) {
    kh_op op = g_array_index(old->ops, kh_op, i);
    op.y += k0 * kh_grid_pitch(); /* grid line k lands on line k - k0 */
    g_array_append_val(cm->pg->ops, op);
    g_array_index(old->ops, kh_op, i).text = NULL; /* moved, not copied */
  }
  g_array_set_size(old->ops, from);
  cm->line = n;
}

static double area_w(const composer *cm) { return cm->area.right - cm->area.left; }
static int lines_left(const composer *cm) { return kh_grid_lines(&cm->area) - cm->line; }

static const kh_block *block_at(const kh_doc *doc, guint i) {
  return g_ptr_array_index(doc->blocks, i);
}

/* The baseline that centres text of face and size in grid line k's box. */
static double centred_baseline(const composer *cm, int k, int face, double size) {
  double asc = kh_fontset_ascent(cm->fs, face) * size;
  double desc = kh_fontset_descent(cm->fs, face) * size;
  double inset = (kh_grid_pitch() - asc - desc) / 2;
  return kh_grid_line_top(&cm->area, k) - (inset > 0 ? inset : 0) - asc;
}

/* A paragraph of the block's runs at 16 pt on the grid; face < 0 keeps
 * each run's face. Caller frees with kh_para_free(). */
static kh_para *block_para(const composer *cm, const kh_block *b, int face,
                           double size, double cs) {
  kh_para *p = kh_para_new(cm->fs, size, cs);
  for (guint i = 0; i < b->runs->len; i++) {
    const kh_run *r = g_ptr_array_index(b->runs, i);
    kh_para_add(p, face < 0 ? (int)r->face : face, r->text);
  }
  return p;
}

/* Sets p on the grid from the next free line: the first line starts
 * `indent` from the left edge, the others `hang`; `lead` (or NULL) is
 * drawn at lead_x on the first line. keep: lines of what follows that must
 * share the page with the last line (1 for headings). A paragraph never
 * leaves its first line alone at a page's foot nor its last at a head. */
static void flow_para(composer *cm, kh_para *p, double indent, double hang,
                      const char *lead, double lead_x, int keep) {
  double w = area_w(cm);
  GArray *lines = kh_para_wrap(p, w - indent, w - hang);
  int n = (int)lines->len;
  if (n > 0 && keep && cm->line > 0 && lines_left(cm) < n + keep)
    new_page(cm, cm->pg->landscape);
  int i = 0;
  while (i < n) {
    int left = lines_left(cm), rest = n - i;
    int take = rest < left ? rest : left;
    if (take < rest) {
      if (i == 0 && take == 1)
        take = 0;
      else if (rest - take == 1 && take >= 2)
        take--;
    }
    for (int k = 0; k < take; k++, i++, cm->line++) {
      line_mark mark = {cm->line, cm->pg->ops->len};
      g_array_append_val(cm->marks, mark);
      double x = cm->area.left + (i == 0 ? indent : hang);
      double y = kh_grid_baseline(cm->fs, &cm->area, cm->line);
      if (i == 0 && lead)
        kh_canvas_text(cm->c, cm->pg, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, 100, KH_BLACK,
                       cm->area.left + lead_x, y, false, lead);
      kh_para_draw_line(p, &g_array_index(lines, kh_line, i), cm->c, cm->pg, x, y,
                        w - (i == 0 ? indent : hang), true, KH_BLACK);
    }
    if (i < n)
      new_page(cm, cm->pg->landscape);
  }
  g_array_unref(lines);
}

/* The lines of a title block: 22 pt in the title face, balanced. */
static GArray *title_lines(const composer *cm, kh_para *p) {
  return kh_para_wrap_balanced(p, area_w(cm) - 2 * kh_grid_char());
}

/* Draws the title lines centred from first_baseline down; returns the
 * bottom of the last line. */
static double draw_title(composer *cm, kh_para *p, GArray *lines, double first_baseline) {
  double y = first_baseline;
  for (guint k = 0; k < lines->len; k++, y -= TITLE_PITCH) {
    kh_line *l = &g_array_index(lines, kh_line, k);
    double x = cm->area.left + (area_w(cm) - l->width) / 2;
    kh_para_draw_line(p, l, cm->c, cm->pg, x, y, l->width, false, KH_BLACK);
  }
  return y + TITLE_PITCH - kh_fontset_descent(cm->fs, KH_FACE_TITLE) * KH_TITLE_SIZE;
}

/* A title with its first line on grid line k (or a new page when it does
 * not fit); the next free line is the one after it. */
static void flow_title(composer *cm, const kh_block *b, int k) {
  kh_para *p = block_para(cm, b, KH_FACE_TITLE, KH_TITLE_SIZE, 0);
  GArray *lines = title_lines(cm, p);
  if (lines->len) {
    double height = (lines->len - 1) * TITLE_PITCH + kh_grid_pitch();
    if (k > 0 && kh_grid_line_top(&cm->area, k) - height < cm->area.bottom - EPS) {
      new_page(cm, cm->pg->landscape);
      k = 0;
    }
    double bottom = draw_title(cm, p, lines, centred_baseline(cm, k, KH_FACE_TITLE, KH_TITLE_SIZE));
    cm->line = kh_grid_line_below(&cm->area, bottom);
    g_array_set_size(cm->marks, 0);
  }
  g_array_unref(lines);
  kh_para_free(p);
}

/* Text on one line, centred in the type area. */
static void centred_text(composer *cm, int face, double size, double cs, kh_rgb color,
                         double y, const char *text) {
  double w = kh_text_width(cm->fs, face, size, cs, text);
  kh_canvas_text(cm->c, cm->pg, face, size, cs, 100, color,
                 cm->area.left + (area_w(cm) - w) / 2, y, false, text);
}

/* 版头 and title on page 1, then the addressees. */
static void header(composer *cm, const kh_block *title) {
  const kh_doc *doc = cm->doc;
  const kh_area *a = &cm->area;
  bool has_header = (doc->issuer_mark && *doc->issuer_mark) || (doc->docno && *doc->docno);
  double bottom = a->top;
  if (has_header) {
    double mark_baseline = a->top - MARK_DROP;
    if (doc->issuer_mark && *doc->issuer_mark) {
      mark_baseline -= kh_fontset_ascent(cm->fs, KH_FACE_TITLE) * MARK_SIZE;
      double w = kh_text_width(cm->fs, KH_FACE_TITLE, MARK_SIZE, 0, doc->issuer_mark);
      double scale = w > area_w(cm) ? area_w(cm) / w : 1;
      kh_canvas_text(cm->c, cm->pg, KH_FACE_TITLE, MARK_SIZE, 0, scale * 100, KH_RED,
                     a->left + (area_w(cm) - w * scale) / 2, mark_baseline, false,
                     doc->issuer_mark);
    }
    double docno_baseline = mark_baseline - 2 * kh_grid_pitch();
    if (doc->docno && *doc->docno)
      centred_text(cm, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, KH_BLACK, docno_baseline, doc->docno);
    bottom = docno_baseline - kh_fontset_descent(cm->fs, KH_FACE_BODY) * KH_BODY_SIZE - RULE_GAP;
    kh_canvas_line(cm->c, cm->pg, a->left, bottom, a->right, bottom, RED_RULE, KH_RED);
  }
  if (title) {
    kh_para *p = block_para(cm, title, KH_FACE_TITLE, KH_TITLE_SIZE, 0);
    GArray *lines = title_lines(cm, p);
    double first = has_header ? bottom - 2 * kh_grid_pitch() -
                                    kh_fontset_ascent(cm->fs, KH_FACE_TITLE) * KH_TITLE_SIZE
                              : centred_baseline(cm, 0, KH_FACE_TITLE, KH_TITLE_SIZE);
    if (lines->len)
      bottom = draw_title(cm, p, lines, first);
    g_array_unref(lines);
    kh_para_free(p);
  }
  cm->line = bottom < a->top ? kh_grid_line_below(a, bottom) + 1 : 0;
  if (doc->addressees && *doc->addressees) {
    char *text = g_strconcat(doc->addressees, "：", NULL);
    kh_para *p = kh_para_new(cm->fs, KH_BODY_SIZE, cm->cs);
    kh_para_add(p, KH_FACE_BODY, text);
    flow_para(cm, p, 0, 0, NULL, 0, 1);
    kh_para_free(p);
    g_free(text);
  }
}

/* Where a table or chart may start: below the last line set. */
static double block_top(const composer *cm) {
  return cm->line == 0 ? cm->area.top : kh_grid_line_top(&cm->area, cm->line) - BLOCK_GAP;
}

static void flow_table(composer *cm, const kh_table *t) {
  kh_area portrait = kh_page_area(false);
  bool wide = kh_table_natural_width(t, cm->fs) > portrait.right - portrait.left + EPS;
  bool turned = wide && !cm->pg->landscape;
  if (turned)
    new_page(cm, true);
  kh_table_layout *tl = kh_table_layout_new(t, cm->fs, area_w(cm));
  kh_table_pos pos = kh_table_start(tl);
  double top = block_top(cm);
  double full = cm->area.top - cm->area.bottom;
  while (true) {
    if (top - kh_table_min_height(tl, pos, full) < cm->area.bottom - EPS) {
      new_page(cm, cm->pg->landscape);
      top = cm->area.top;
    }
    double end;
    kh_table_pos next = kh_table_draw(tl, cm->c, cm->pg, cm->area.left, top,
                                      cm->area.bottom, pos, &end);
    bool stuck = next.row == pos.row && next.line == pos.line && top >= cm->area.top - EPS;
    pos = next;
    if (kh_table_done(tl, pos) || stuck) {
      cm->line = kh_grid_line_below(&cm->area, end - BLOCK_GAP);
      break;
    }
    new_page(cm, cm->pg->landscape);
    top = cm->area.top;
  }
  kh_table_layout_free(tl);
  g_array_set_size(cm->marks, 0);
  if (turned)
    new_page(cm, false);
}

/* A chart below the last line set: at its natural size, tighter when that
 * lets it fit the rest of the page, else on the next page. */
static void flow_chart(composer *cm, const kh_chart *ch) {
  double w = area_w(cm), pitch = kh_chart_pitch(ch);
  double h = kh_chart_height(ch, cm->fs, w, pitch);
  bool turned = false;
  if (h > cm->area.top - cm->area.bottom && cm->pg->landscape) {
    new_page(cm, false); /* too tall for a landscape page */
    turned = true;
  }
  double top = block_top(cm), room = top - cm->area.bottom;
  if (h > room + EPS) {
    double fixed = kh_chart_height(ch, cm->fs, w, 0);
    double tight = (room - fixed) / kh_chart_rows(ch);
    if (tight >= KH_CHART_MIN_PITCH) {
      pitch = tight;
    } else {
      new_page(cm, cm->pg->landscape);
      top = cm->area.top;
    }
    h = kh_chart_height(ch, cm->fs, w, pitch);
  }
  kh_chart_draw(ch, cm->fs, cm->c, cm->pg, cm->area.left, top, w, pitch);
  cm->line = kh_grid_line_below(&cm->area, top - h - BLOCK_GAP);
  g_array_set_size(cm->marks, 0);
  if (turned)
    new_page(cm, true);
}

static bool is_heading(const kh_block *b) {
  return b && (b->kind == KH_BLOCK_HEADING1 || b->kind == KH_BLOCK_HEADING2 ||
               b->kind == KH_BLOCK_HEADING3);
}

/* One block of the body or of an attachment; next is the block after it
 * (or NULL). False after an error. */
static bool flow_block(composer *cm, const kh_block *b, const kh_block *next) {
  double indent = 2 * kh_grid_char();
  int face = -1;
  int keep = is_heading(next) ? 2 : 1; /* a heading stays with a heading after it, too */
  switch (b->kind) {
  case KH_BLOCK_TITLE:
    flow_title(cm, b, cm->line);
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
      flow_table(cm, b->table);
    return true;
  case KH_BLOCK_CHART:
    if (b->chart)
      flow_chart(cm, b->chart);
    return true;
  case KH_BLOCK_PARTIAL:
    kh_diags_add(cm->diags, KH_ERROR, cm->where, 1, 1, NULL,
                 "内置块 {{> %s}} 没有被替换成表格或图表，无法排版",
                 b->partial ? b->partial : "");
    return false;
  case KH_BLOCK_ATTACHMENT:
    return true;
  }
  kh_para *p = block_para(cm, b, face, KH_BODY_SIZE, cm->cs);
  flow_para(cm, p, indent, 0, NULL, 0, keep);
  kh_para_free(p);
  return true;
}

/* The plain text of a block's runs. Caller frees with g_free(). */
static char *block_text(const kh_block *b) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; b && i < b->runs->len; i++)
    g_string_append(s, ((const kh_run *)g_ptr_array_index(b->runs, i))->text);
  return g_string_free(s, FALSE);
}

/* 附件说明 item i of n: its number ("1.", nothing when alone), the indent
 * of its name and the name as a paragraph (caller frees). */
static kh_para *note_item(const composer *cm, GPtrArray *titles, guint i, char **prefix,
                          double *hang) {
  *prefix = titles->len > 1 ? g_strdup_printf("%u.", i + 1) : g_strdup("");
  *hang = 2 * kh_grid_char() +
          kh_text_width(cm->fs, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, "附件：") +
          kh_text_width(cm->fs, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, *prefix);
  kh_para *p = kh_para_new(cm->fs, KH_BODY_SIZE, cm->cs);
  kh_para_add(p, KH_FACE_BODY, g_ptr_array_index(titles, i));
  if (kh_para_len(p) == 0)
    kh_para_add(p, KH_FACE_BODY, " ");
  return p;
}

/* The grid lines the attachment note and the signature need, blank lines
 * included. */
static int closing_lines(const composer *cm, GPtrArray *titles) {
  int n = 0;
  for (guint i = 0; i < titles->len; i++) {
    char *prefix;
    double hang;
    kh_para *p = note_item(cm, titles, i, &prefix, &hang);
    GArray *lines = kh_para_wrap(p, area_w(cm) - hang, area_w(cm) - hang);
    n += (int)lines->len;
    g_array_unref(lines);
    kh_para_free(p);
    g_free(prefix);
  }
  if (n)
    n++;
  const kh_doc *doc = cm->doc;
  int sig = (doc->signature && *doc->signature) + (doc->date_text && *doc->date_text);
  return n + (sig ? sig + 1 : 0);
}

/* 附件说明: one blank line below the body, indented two characters,
 * continuation lines aligned under the attachment's name. */
static void attachment_note(composer *cm, GPtrArray *titles) {
  if (titles->len == 0)
    return;
  cm->line++;
  double x0 = 2 * kh_grid_char();
  double lw = kh_text_width(cm->fs, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, "附件：");
  for (guint i = 0; i < titles->len; i++) {
    char *prefix;
    double hang;
    kh_para *p = note_item(cm, titles, i, &prefix, &hang);
    char *lead = i == 0 ? g_strconcat("附件：", prefix, NULL) : g_strdup(prefix);
    flow_para(cm, p, hang, hang, lead, i == 0 ? x0 : x0 + lw, 0);
    kh_para_free(p);
    g_free(lead);
    g_free(prefix);
  }
}

/* 发文机关署名 and 成文日期 without a seal (GB/T 9704 7.3.5.2). */
static void signature(composer *cm) {
  const char *sig = cm->doc->signature, *date = cm->doc->date_text;
  bool has_sig = sig && *sig, has_date = date && *date;
  if (!has_sig && !has_date)
    return;
  cm->line++;
  int need = has_sig + has_date;
  if (lines_left(cm) < need)
    new_page(cm, cm->pg->landscape);
  double ch = kh_grid_char();
  double sw = has_sig ? kh_text_width(cm->fs, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, sig) : 0;
  double dw = has_date ? kh_text_width(cm->fs, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, date) : 0;
  double right = cm->area.right - 2 * ch;
  double sx = right - sw, dx = sx + 2 * ch;
  if (!has_sig || dx + dw > right + EPS) {
    dx = right - dw;
    sx = dx - 2 * ch;
  }
  if (sx < cm->area.left)
    sx = cm->area.left;
  if (has_sig)
    kh_canvas_text(cm->c, cm->pg, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, 100, KH_BLACK, sx,
                   kh_grid_baseline(cm->fs, &cm->area, cm->line++), false, sig);
  if (has_date)
    kh_canvas_text(cm->c, cm->pg, KH_FACE_BODY, KH_BODY_SIZE, cm->cs, 100, KH_BLACK, dx,
                   kh_grid_baseline(cm->fs, &cm->area, cm->line++), false, date);
}

static bool wide_table_in(const composer *cm, guint from, guint to) {
  kh_area portrait = kh_page_area(false);
  for (guint i = from; i < to; i++) {
    const kh_block *b = block_at(cm->doc, i);
    if (b->kind == KH_BLOCK_TABLE && b->table &&
        kh_table_natural_width(b->table, cm->fs) > portrait.right - portrait.left + EPS)
      return true;
  }
  return false;
}

/* One attachment: blocks [from, to) after its marker. */
static bool attachment(composer *cm, guint from, guint to, guint number, guint count) {
  new_page(cm, wide_table_in(cm, from, to));
  char *label = count > 1 ? g_strdup_printf("附件%u", number) : g_strdup("附件");
  kh_canvas_text(cm->c, cm->pg, KH_FACE_HEI, KH_BODY_SIZE, cm->cs, 100, KH_BLACK,
                 cm->area.left, kh_grid_baseline(cm->fs, &cm->area, 0), false, label);
  g_free(label);
  cm->line = 2;
  if (from < to && block_at(cm->doc, from)->kind == KH_BLOCK_TITLE) {
    flow_title(cm, block_at(cm->doc, from), 2);
    from++;
    kh_block_kind next = from < to ? block_at(cm->doc, from)->kind : KH_BLOCK_PARAGRAPH;
    if (next != KH_BLOCK_TABLE && next != KH_BLOCK_CHART)
      cm->line++; /* a blank line before text; a table follows closely */
  }
  bool ok = true;
  for (guint i = from; i < to; i++)
    ok = flow_block(cm, block_at(cm->doc, i), i + 1 < to ? block_at(cm->doc, i + 1) : NULL) && ok;
  return ok;
}

/* 版记: rules across the type area, the last on its bottom edge; 抄送 and
 * 印发 lines at 14 pt indented one character each side. */
static void closing(composer *cm) {
  const kh_doc *doc = cm->doc;
  bool has_copy = doc->copy_to && *doc->copy_to;
  bool has_print = (doc->printed_by && *doc->printed_by) ||
                   (doc->print_date_text && *doc->print_date_text);
  if (!has_copy && !has_print)
    return;
  const double size = KH_SMALL_SIZE, indent = KH_SMALL_SIZE;
  kh_area a = kh_page_area(false);
  double w = a.right - a.left;
  kh_para *copy = NULL;
  GArray *copy_lines = NULL;
  double label_w = 0;
  if (has_copy) {
    const char *label = "抄送：";
    label_w = kh_text_width(cm->fs, KH_FACE_BODY, size, 0, label);
    copy = kh_para_new(cm->fs, size, 0);
    kh_para_add(copy, KH_FACE_BODY, doc->copy_to);
    if (!g_str_has_suffix(doc->copy_to, "。"))
      kh_para_add(copy, KH_FACE_BODY, "。");
    double inner = w - 2 * indent - label_w;
    copy_lines = kh_para_wrap(copy, inner, inner);
  }
  /* each element a grid line high, its continuation lines closer */
  double pitch = kh_grid_pitch(), cont = 1.5 * size;
  int n_copy = copy_lines ? (int)copy_lines->len : 0;
  double copy_h = n_copy ? pitch + (n_copy - 1) * cont : 0;
  double height = copy_h + (has_print ? pitch : 0);
  double free_bottom = cm->line == 0 ? cm->area.top : kh_grid_line_top(&cm->area, cm->line);
  if (cm->pg->landscape || free_bottom < a.bottom + height - EPS)
    new_page(cm, false);
  kh_page *pg = cm->pg;
  double asc = kh_fontset_ascent(cm->fs, KH_FACE_BODY) * size;
  double desc = kh_fontset_descent(cm->fs, KH_FACE_BODY) * size;
  double inset = (pitch - asc - desc) / 2 + asc; /* box top to baseline */
  double top = a.bottom + height;
  kh_canvas_line(cm->c, pg, a.left, top, a.right, top, CLOSING_OUTER, KH_BLACK);
  if (copy_lines) {
    for (guint i = 0; i < copy_lines->len; i++) {
      double y = top - inset - i * cont;
      if (i == 0)
        kh_canvas_text(cm->c, pg, KH_FACE_BODY, size, 0, 100, KH_BLACK, a.left + indent, y,
                       false, "抄送：");
      kh_para_draw_line(copy, &g_array_index(copy_lines, kh_line, i), cm->c, pg,
                        a.left + indent + label_w, y, w - 2 * indent - label_w, true, KH_BLACK);
    }
    if (has_print)
      kh_canvas_line(cm->c, pg, a.left, top - copy_h, a.right, top - copy_h, CLOSING_INNER,
                     KH_BLACK);
    g_array_unref(copy_lines);
    kh_para_free(copy);
  }
  if (has_print) {
    double y = a.bottom + pitch - inset;
    if (doc->printed_by && *doc->printed_by)
      kh_canvas_text(cm->c, pg, KH_FACE_BODY, size, 0, 100, KH_BLACK, a.left + indent, y,
                     false, doc->printed_by);
    if (doc->print_date_text && *doc->print_date_text) {
      char *d = g_strconcat(doc->print_date_text, "印发", NULL);
      double dw = kh_text_width(cm->fs, KH_FACE_BODY, size, 0, d);
      kh_canvas_text(cm->c, pg, KH_FACE_BODY, size, 0, 100, KH_BLACK, a.right - indent - dw,
                     y, false, d);
      g_free(d);
    }
  }
  kh_canvas_line(cm->c, pg, a.left, a.bottom, a.right, a.bottom, CLOSING_OUTER, KH_BLACK);
}

kh_canvas *kh_compose(const kh_doc *doc, const kh_fontset *fs,
                      const char *where, kh_diags *diags) {
  composer cm = {.doc = doc, .fs = fs, .c = kh_canvas_new(),
                 .cs = kh_grid_char_space(KH_BODY_SIZE), .where = where, .diags = diags,
                 .marks = g_array_new(FALSE, FALSE, sizeof(line_mark))};
  new_page(&cm, false);
  guint n = doc->blocks ? doc->blocks->len : 0;
  guint i = 0;
  const kh_block *title = NULL;
  if (n > 0 && block_at(doc, 0)->kind == KH_BLOCK_TITLE)
    title = block_at(doc, i++);
  header(&cm, title);
  bool ok = true;
  for (; i < n && block_at(doc, i)->kind != KH_BLOCK_ATTACHMENT; i++) {
    const kh_block *next = i + 1 < n ? block_at(doc, i + 1) : NULL;
    ok = flow_block(&cm, block_at(doc, i), next && next->kind != KH_BLOCK_ATTACHMENT ? next : NULL) && ok;
  }

  /* attachments: marker positions and titles */
  GArray *starts = g_array_new(FALSE, FALSE, sizeof(guint));
  GPtrArray *titles = g_ptr_array_new_with_free_func(g_free);
  for (guint j = i; j < n; j++)
    if (block_at(doc, j)->kind == KH_BLOCK_ATTACHMENT) {
      g_array_append_val(starts, j);
      bool titled = j + 1 < n && block_at(doc, j + 1)->kind == KH_BLOCK_TITLE;
      g_ptr_array_add(titles, titled ? block_text(block_at(doc, j + 1)) : g_strdup(""));
    }
  int need = closing_lines(&cm, titles);
  if (need > lines_left(&cm) && need + 2 <= kh_grid_lines(&cm.area))
    new_page_carrying(&cm, 2);
  attachment_note(&cm, titles);
  signature(&cm);
  for (guint a = 0; a < starts->len; a++) {
    guint from = g_array_index(starts, guint, a) + 1;
    guint to = a + 1 < starts->len ? g_array_index(starts, guint, a + 1) : n;
    ok = attachment(&cm, from, to, a + 1, starts->len) && ok;
  }
  g_array_unref(starts);
  g_ptr_array_unref(titles);
  closing(&cm);

  g_array_unref(cm.marks);
  for (guint p = 0; p < cm.c->pages->len; p++)
    kh_page_number(cm.c, g_ptr_array_index(cm.c->pages, p), fs);
  if (cm.c->bad) {
    kh_diags_add(diags, KH_ERROR, where, 1, 1, NULL,
                 "排版时算出了无效的坐标（非有限数），未生成 PDF");
    ok = false;
  }
  if (!ok) {
    kh_canvas_free(cm.c);
    return NULL;
  }
  return cm.c;
}
