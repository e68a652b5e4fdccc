/* The parts of an official document onto pages (compose.h). */
#include "render/layout/compose.h"

#include "render/layout/flow.h"
#include "render/layout/table.h"

#define MARK_SIZE 48.0               /* 发文机关标志, practice 40–60 pt */
#define MARK_DROP (35.0 * KH_MM)     /* its top below the type area's top */
#define RULE_GAP (4.0 * KH_MM)       /* red rule below the document number */
#define RED_RULE (0.5 * KH_MM)
#define CLOSING_OUTER (0.35 * KH_MM) /* 版记 rules */
#define CLOSING_INNER (0.25 * KH_MM)
#define EPS 0.01

static const kh_block *block_at(const kh_doc *doc, guint i) {
  return g_ptr_array_index(doc->blocks, i);
}

/* Text on one line, centred in the type area. */
static void centred_text(kh_flow *f, int face, double size, double cs, kh_rgb color,
                         double y, const char *text) {
  double w = kh_text_width(f->fs, face, size, cs, text);
  kh_canvas_text(f->c, f->pg, face, size, cs, 100, color,
                 f->area.left + (kh_flow_width(f) - w) / 2, y, false, text);
}

/* 版头 and title on page 1, then the addressees. */
static void header(kh_flow *f, const kh_doc *doc, const kh_block *title) {
  const kh_area *a = &f->area;
  bool has_header = (doc->issuer_mark && *doc->issuer_mark) || (doc->docno && *doc->docno);
  double bottom = a->top;
  if (has_header) {
    double mark_baseline = a->top - MARK_DROP;
    if (doc->issuer_mark && *doc->issuer_mark) {
      mark_baseline -= kh_fontset_ascent(f->fs, KH_FACE_TITLE) * MARK_SIZE;
      double w = kh_text_width(f->fs, KH_FACE_TITLE, MARK_SIZE, 0, doc->issuer_mark);
      double scale = w > kh_flow_width(f) ? kh_flow_width(f) / w : 1;
      kh_canvas_text(f->c, f->pg, KH_FACE_TITLE, MARK_SIZE, 0, scale * 100, KH_RED,
                     a->left + (kh_flow_width(f) - w * scale) / 2, mark_baseline, false,
                     doc->issuer_mark);
    }
    double docno_baseline = mark_baseline - 2 * kh_grid_pitch();
    if (doc->docno && *doc->docno)
      centred_text(f, KH_FACE_BODY, KH_BODY_SIZE, f->cs, KH_BLACK, docno_baseline, doc->docno);
    bottom = docno_baseline - kh_fontset_descent(f->fs, KH_FACE_BODY) * KH_BODY_SIZE - RULE_GAP;
    kh_canvas_line(f->c, f->pg, a->left, bottom, a->right, bottom, RED_RULE, KH_RED);
  }
  if (title) {
    kh_para *p = kh_flow_block_para(f, title, KH_FACE_TITLE, KH_TITLE_SIZE, 0);
    GArray *lines = kh_flow_title_lines(f, p);
    double first = has_header ? bottom - 2 * kh_grid_pitch() -
                                    kh_fontset_ascent(f->fs, KH_FACE_TITLE) * KH_TITLE_SIZE
                              : kh_flow_centred_baseline(f, 0, KH_FACE_TITLE, KH_TITLE_SIZE);
    if (lines->len)
      bottom = kh_flow_draw_title(f, p, lines, first);
    g_array_unref(lines);
    kh_para_free(p);
  }
  f->line = bottom < a->top ? kh_grid_line_below(a, bottom) + 1 : 0;
  if (doc->addressees && *doc->addressees) {
    char *text = g_strconcat(doc->addressees, "：", NULL);
    kh_para *p = kh_para_new(f->fs, KH_BODY_SIZE, f->cs);
    kh_para_add(p, KH_FACE_BODY, text);
    kh_flow_para(f, p, 0, 0, NULL, 0, 1);
    kh_para_free(p);
    g_free(text);
  }
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
static kh_para *note_item(const kh_flow *f, GPtrArray *titles, guint i, char **prefix,
                          double *hang) {
  *prefix = titles->len > 1 ? g_strdup_printf("%u.", i + 1) : g_strdup("");
  *hang = 2 * kh_grid_char() +
          kh_text_width(f->fs, KH_FACE_BODY, KH_BODY_SIZE, f->cs, "附件：") +
          kh_text_width(f->fs, KH_FACE_BODY, KH_BODY_SIZE, f->cs, *prefix);
  kh_para *p = kh_para_new(f->fs, KH_BODY_SIZE, f->cs);
  kh_para_add(p, KH_FACE_BODY, g_ptr_array_index(titles, i));
  if (kh_para_len(p) == 0)
    kh_para_add(p, KH_FACE_BODY, " ");
  return p;
}

/* The grid lines the attachment note and the signature need, blank lines
 * included. */
static int sign_off_lines(const kh_flow *f, const kh_doc *doc, GPtrArray *titles) {
  int n = 0;
  for (guint i = 0; i < titles->len; i++) {
    char *prefix;
    double hang;
    kh_para *p = note_item(f, titles, i, &prefix, &hang);
    GArray *lines = kh_para_wrap(p, kh_flow_width(f) - hang, kh_flow_width(f) - hang);
    n += (int)lines->len;
    g_array_unref(lines);
    kh_para_free(p);
    g_free(prefix);
  }
  if (n)
    n++;
  int sig = (doc->signature && *doc->signature) + (doc->date_text && *doc->date_text);
  return n + (sig ? sig + 1 : 0);
}

/* 附件说明: one blank line below the body, indented two characters,
 * continuation lines aligned under the attachment's name. */
static void attachment_note(kh_flow *f, GPtrArray *titles) {
  if (titles->len == 0)
    return;
  f->line++;
  double x0 = 2 * kh_grid_char();
  double lw = kh_text_width(f->fs, KH_FACE_BODY, KH_BODY_SIZE, f->cs, "附件：");
  for (guint i = 0; i < titles->len; i++) {
    char *prefix;
    double hang;
    kh_para *p = note_item(f, titles, i, &prefix, &hang);
    char *lead = i == 0 ? g_strconcat("附件：", prefix, NULL) : g_strdup(prefix);
    kh_flow_para(f, p, hang, hang, lead, i == 0 ? x0 : x0 + lw, 0);
    kh_para_free(p);
    g_free(lead);
    g_free(prefix);
  }
}

/* 发文机关署名 and 成文日期 without a seal (GB/T 9704 7.3.5.2). */
static void signature(kh_flow *f, const kh_doc *doc) {
  const char *sig = doc->signature, *date = doc->date_text;
  bool has_sig = sig && *sig, has_date = date && *date;
  if (!has_sig && !has_date)
    return;
  f->line++;
  int need = has_sig + has_date;
  if (kh_flow_lines_left(f) < need)
    kh_flow_new_page(f, f->pg->landscape);
  double ch = kh_grid_char();
  double sw = has_sig ? kh_text_width(f->fs, KH_FACE_BODY, KH_BODY_SIZE, f->cs, sig) : 0;
  double dw = has_date ? kh_text_width(f->fs, KH_FACE_BODY, KH_BODY_SIZE, f->cs, date) : 0;
  double right = f->area.right - 2 * ch;
  double sx = right - sw, dx = sx + 2 * ch;
  if (!has_sig || dx + dw > right + EPS) {
    dx = right - dw;
    sx = dx - 2 * ch;
  }
  if (sx < f->area.left)
    sx = f->area.left;
  if (has_sig)
    kh_canvas_text(f->c, f->pg, KH_FACE_BODY, KH_BODY_SIZE, f->cs, 100, KH_BLACK, sx,
                   kh_grid_baseline(f->fs, &f->area, f->line++), false, sig);
  if (has_date)
    kh_canvas_text(f->c, f->pg, KH_FACE_BODY, KH_BODY_SIZE, f->cs, 100, KH_BLACK, dx,
                   kh_grid_baseline(f->fs, &f->area, f->line++), false, date);
}

static bool wide_table_in(kh_flow *f, const kh_doc *doc, guint from, guint to) {
  for (guint i = from; i < to; i++) {
    const kh_block *b = block_at(doc, i);
    if (b->kind == KH_BLOCK_TABLE && b->table && kh_flow_table_is_wide(f, b->table))
      return true;
  }
  return false;
}

/* One attachment: blocks [from, to) after its marker. */
static bool attachment(kh_flow *f, const kh_doc *doc, guint from, guint to, guint number,
                       guint count) {
  kh_flow_new_page(f, wide_table_in(f, doc, from, to));
  char *label = count > 1 ? g_strdup_printf("附件%u", number) : g_strdup("附件");
  kh_canvas_text(f->c, f->pg, KH_FACE_HEI, KH_BODY_SIZE, f->cs, 100, KH_BLACK,
                 f->area.left, kh_grid_baseline(f->fs, &f->area, 0), false, label);
  g_free(label);
  f->line = 2;
  if (from < to && block_at(doc, from)->kind == KH_BLOCK_TITLE) {
    kh_flow_title(f, block_at(doc, from), 2);
    from++;
    kh_block_kind next = from < to ? block_at(doc, from)->kind : KH_BLOCK_PARAGRAPH;
    if (next != KH_BLOCK_TABLE && next != KH_BLOCK_CHART)
      f->line++; /* a blank line before text; a table follows closely */
  }
  bool ok = true;
  for (guint i = from; i < to; i++)
    ok = kh_flow_block(f, block_at(doc, i), i + 1 < to ? block_at(doc, i + 1) : NULL) && ok;
  return ok;
}

/* Makes the current page the one the 版记 goes on: the last face of the
 * document, an even page (GB/T 9704 7.4.1). `fits`: there is room for it
 * at the foot of the current page. After an odd page the next page takes
 * it, numbered; a 版记 that needs a page of its own after an even page
 * gets a blank page before it, and neither of the two is numbered. */
static void closing_page(kh_flow *f, bool fits) {
  bool even = f->pg->number % 2 == 0;
  if (fits && even)
    return;
  if (even) {
    kh_flow_new_page(f, false);
    f->pg->unnumbered = true;
  }
  kh_flow_new_page(f, false);
  f->pg->unnumbered = even;
}

/* 版记: rules across the type area, the last on its bottom edge; 抄送 and
 * 印发 lines at 14 pt indented one character each side. */
static void closing(kh_flow *f, const kh_doc *doc) {
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
    label_w = kh_text_width(f->fs, KH_FACE_BODY, size, 0, label);
    copy = kh_para_new(f->fs, size, 0);
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
  double free_bottom = f->line == 0 ? f->area.top : kh_grid_line_top(&f->area, f->line);
  closing_page(f, !f->pg->landscape && free_bottom >= a.bottom + height - EPS);
  kh_page *pg = f->pg;
  double asc = kh_fontset_ascent(f->fs, KH_FACE_BODY) * size;
  double desc = kh_fontset_descent(f->fs, KH_FACE_BODY) * size;
  double inset = (pitch - asc - desc) / 2 + asc; /* box top to baseline */
  double top = a.bottom + height;
  kh_canvas_line(f->c, pg, a.left, top, a.right, top, CLOSING_OUTER, KH_BLACK);
  if (copy_lines) {
    for (guint i = 0; i < copy_lines->len; i++) {
      double y = top - inset - i * cont;
      if (i == 0)
        kh_canvas_text(f->c, pg, KH_FACE_BODY, size, 0, 100, KH_BLACK, a.left + indent, y,
                       false, "抄送：");
      kh_para_draw_line(copy, &g_array_index(copy_lines, kh_line, i), f->c, pg,
                        a.left + indent + label_w, y, w - 2 * indent - label_w, true, KH_BLACK);
    }
    if (has_print)
      kh_canvas_line(f->c, pg, a.left, top - copy_h, a.right, top - copy_h, CLOSING_INNER,
                     KH_BLACK);
    g_array_unref(copy_lines);
    kh_para_free(copy);
  }
  if (has_print) {
    double y = a.bottom + pitch - inset;
    if (doc->printed_by && *doc->printed_by)
      kh_canvas_text(f->c, pg, KH_FACE_BODY, size, 0, 100, KH_BLACK, a.left + indent, y,
                     false, doc->printed_by);
    if (doc->print_date_text && *doc->print_date_text) {
      char *d = g_strconcat(doc->print_date_text, "印发", NULL);
      double dw = kh_text_width(f->fs, KH_FACE_BODY, size, 0, d);
      kh_canvas_text(f->c, pg, KH_FACE_BODY, size, 0, 100, KH_BLACK, a.right - indent - dw,
                     y, false, d);
      g_free(d);
    }
  }
  kh_canvas_line(f->c, pg, a.left, a.bottom, a.right, a.bottom, CLOSING_OUTER, KH_BLACK);
}

kh_canvas *kh_compose(const kh_doc *doc, const kh_fontset *fs,
                      const char *where, kh_diags *diags) {
  kh_flow f;
  kh_flow_init(&f, fs, kh_canvas_new(), where, diags);
  guint n = doc->blocks ? doc->blocks->len : 0;
  guint i = 0;
  const kh_block *title = NULL;
  if (n > 0 && block_at(doc, 0)->kind == KH_BLOCK_TITLE)
    title = block_at(doc, i++);
  header(&f, doc, title);
  bool ok = true;
  for (; i < n && block_at(doc, i)->kind != KH_BLOCK_ATTACHMENT; i++) {
    const kh_block *next = i + 1 < n ? block_at(doc, i + 1) : NULL;
    if (next && next->kind == KH_BLOCK_ATTACHMENT)
      next = NULL;
    ok = kh_flow_block(&f, block_at(doc, i), next) && ok;
  }

  kh_flow_flush_deferred(&f);

  /* attachments: marker positions and titles */
  GArray *starts = g_array_new(FALSE, FALSE, sizeof(guint));
  GPtrArray *titles = g_ptr_array_new_with_free_func(g_free);
  for (guint j = i; j < n; j++)
    if (block_at(doc, j)->kind == KH_BLOCK_ATTACHMENT) {
      g_array_append_val(starts, j);
      bool titled = j + 1 < n && block_at(doc, j + 1)->kind == KH_BLOCK_TITLE;
      g_ptr_array_add(titles, titled ? block_text(block_at(doc, j + 1)) : g_strdup(""));
    }
  int need = sign_off_lines(&f, doc, titles);
  if (need > kh_flow_lines_left(&f) && need + 2 <= kh_grid_lines(&f.area))
    kh_flow_carry(&f, 2);
  attachment_note(&f, titles);
  signature(&f, doc);
  for (guint a = 0; a < starts->len; a++) {
    guint from = g_array_index(starts, guint, a) + 1;
    guint to = a + 1 < starts->len ? g_array_index(starts, guint, a + 1) : n;
    ok = attachment(&f, doc, from, to, a + 1, starts->len) && ok;
  }
  g_array_unref(starts);
  g_ptr_array_unref(titles);
  closing(&f, doc);

  kh_flow_clear(&f);
  for (guint p = 0; p < f.c->pages->len; p++)
    kh_page_number(f.c, g_ptr_array_index(f.c->pages, p), fs);
  if (f.c->bad) {
    kh_diags_add(diags, KH_ERROR, where, 1, 1, NULL,
                 "排版时算出了无效的坐标（非有限数），未生成 PDF");
    ok = false;
  }
  if (!ok) {
    kh_canvas_free(f.c);
    return NULL;
  }
  return f.c;
}
