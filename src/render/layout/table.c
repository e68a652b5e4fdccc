/* Ruled tables: column widths, wrapped cells, pagination (table.h). */
#include "render/layout/table.h"

#include "render/layout/page.h"
#include "render/layout/text.h"

#define PAD_H 4.0       /* pt between a cell's rule and its text */
#define PAD_V 2.5
#define LEADING 1.25    /* line pitch inside a cell, in ems */
#define OUTER_RULE 1.0  /* pt */
#define INNER_RULE 0.5
#define NATURAL_CAP 15  /* characters: longer text wraps */
#define BODY_CAP 8      /* characters of body text kept on one line first */
#define EPS 0.01

struct kh_table_layout {
  const kh_table *t;
  const kh_fontset *fs;
  double size, pitch;
  int n_rows, n_cols;
  double *col_w;
  double width;
  kh_para **paras;  /* [n_rows * n_cols] */
  GArray **lines;   /* [n_rows * n_cols] of kh_line */
  int *row_lines;   /* the most lines of any cell in the row */
};

static int cell_face(const kh_table *t, int r) {
  return r < t->n_header_rows ? KH_FACE_HEI : KH_FACE_BODY;
}

static const char *cell_text(const kh_table *t, int r, int c) {
  char **row = g_ptr_array_index(t->rows, r);
  return row[c];
}

/* Widths per column at `size`, each level at least the one before: the
 * narrowest the column can be without cutting a number or word; every body
 * cell on one line (body text longer than BODY_CAP characters counts as
 * that long: it is remarks, and wraps first); also every header cell in at
 * most two lines; every cell on one line (up to NATURAL_CAP characters). */
enum { LV_MIN, LV_BODY, LV_HEAD2, LV_ALL, N_LEVELS };

typedef struct {
  double *w[N_LEVELS];
} widths;

static widths column_widths(const kh_table *t, const kh_fontset *fs, double size) {
  int n = t->n_cols;
  widths lv;
  for (int l = 0; l < N_LEVELS; l++)
    lv.w[l] = g_new0(double, n + 1);
  for (guint r = 0; r < t->rows->len; r++)
    for (int c = 0; c < n; c++) {
      kh_para *p = kh_para_new(fs, size, 0);
      kh_para_add(p, cell_face(t, (int)r), cell_text(t, (int)r, c));
      double full = kh_para_width(p, 0, kh_para_len(p));
      double nat = MIN(full, NATURAL_CAP * size) + 2 * PAD_H;
      double body = MIN(full, BODY_CAP * size) + 2 * PAD_H;
      double min = kh_para_min_width(p) + 2 * PAD_H;
      double two = 2 * size + 2 * PAD_H; /* headers not one character wide */
      if (min < two)
        min = nat < two ? nat : two;
      bool header = (int)r < t->n_header_rows;
      double half = header ? full / 2 + size / 2 + 2 * PAD_H : 0; /* two lines */
      double *want[N_LEVELS] = {&min, header ? &min : &body, &half, &nat};
      for (int l = 0; l < N_LEVELS; l++)
        if (*want[l] > lv.w[l][c])
          lv.w[l][c] = *want[l];
      kh_para_free(p);
    }
  for (int c = 0; c < n; c++)
    for (int l = 1; l < N_LEVELS; l++)
      if (lv.w[l][c] < lv.w[l - 1][c])
        lv.w[l][c] = lv.w[l - 1][c];
  return lv;
}

static void widths_free(widths lv) {
  for (int l = 0; l < N_LEVELS; l++)
    g_free(lv.w[l]);
}

static double sum(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return s;
}

bool kh_table_is_wide(const kh_table *t, const kh_fontset *fs) {
  widths lv = column_widths(t, fs, KH_TABLE_SIZE);
  double s = sum(lv.w[LV_ALL], t->n_cols);
  widths_free(lv);
  kh_area portrait = kh_page_area(false);
  return s > portrait.right - portrait.left + EPS;
}

/* Shares max_width out: the widest level that fits plus a share of the way
 * to the next one; a table whose cells all fit on one line is stretched to
 * max_width; one that does not fit even at its narrowest is squeezed. */
static void fit_columns(int n, widths lv, double max_width, double *w) {
  int fit = -1;
  for (int l = 0; l < N_LEVELS; l++)
    if (sum(lv.w[l], n) <= max_width)
      fit = l;
  double *lo = lv.w[fit < 0 ? 0 : fit];
  double slo = sum(lo, n);
  double *hi = fit >= 0 && fit + 1 < N_LEVELS ? lv.w[fit + 1] : NULL;
  double shi = hi ? sum(hi, n) : 0;
  for (int c = 0; c < n; c++) {
    if (fit < 0)
      w[c] = lo[c] * max_width / slo;
    else if (!hi)
      w[c] = lo[c] + (max_width - slo) * lo[c] / slo;
    else
      w[c] = shi > slo ? lo[c] + (max_width - slo) * (hi[c] - lo[c]) / (shi - slo) : lo[c];
  }
}

kh_table_layout *kh_table_layout_new(const kh_table *t, const kh_fontset *fs,
                                     double max_width) {
  kh_table_layout *tl = g_new0(kh_table_layout, 1);
  tl->t = t;
  tl->fs = fs;
  tl->n_cols = t->n_cols > 0 ? t->n_cols : 0;
  tl->n_rows = tl->n_cols ? (int)t->rows->len : 0;
  tl->col_w = g_new0(double, tl->n_cols + 1);
  static const double sizes[] = {KH_TABLE_SIZE, 10.5, 9.0};
  for (guint s = 0; s < G_N_ELEMENTS(sizes) && tl->n_cols; s++) {
    tl->size = sizes[s];
    widths lv = column_widths(t, fs, tl->size);
    bool fits = sum(lv.w[LV_MIN], tl->n_cols) <= max_width;
    if (fits || s + 1 == G_N_ELEMENTS(sizes))
      fit_columns(tl->n_cols, lv, max_width, tl->col_w);
    widths_free(lv);
    if (fits)
      break;
  }
  if (!tl->n_cols)
    tl->size = KH_TABLE_SIZE;
  tl->pitch = tl->size * LEADING;
  for (int c = 0; c < tl->n_cols; c++)
    tl->width += tl->col_w[c];
  int cells = tl->n_rows * tl->n_cols;
  tl->paras = g_new0(kh_para *, cells + 1);
  tl->lines = g_new0(GArray *, cells + 1);
  tl->row_lines = g_new0(int, tl->n_rows + 1);
  for (int r = 0; r < tl->n_rows; r++)
    for (int c = 0; c < tl->n_cols; c++) {
      kh_para *p = kh_para_new(fs, tl->size, 0);
      kh_para_add(p, cell_face(t, r), cell_text(t, r, c));
      double inner = tl->col_w[c] - 2 * PAD_H;
      GArray *lines = kh_para_wrap(p, inner, inner);
      tl->paras[r * tl->n_cols + c] = p;
      tl->lines[r * tl->n_cols + c] = lines;
      int n = lines->len ? (int)lines->len : 1;
      if (n > tl->row_lines[r])
        tl->row_lines[r] = n;
    }
  return tl;
}

void kh_table_layout_free(kh_table_layout *tl) {
  if (!tl)
    return;
  for (int i = 0; i < tl->n_rows * tl->n_cols; i++) {
    kh_para_free(tl->paras[i]);
    g_array_unref(tl->lines[i]);
  }
  g_free(tl->paras);
  g_free(tl->lines);
  g_free(tl->row_lines);
  g_free(tl->col_w);
  g_free(tl);
}

static int n_header(const kh_table_layout *tl) {
  int h = tl->t->n_header_rows;
  return h < 0 ? 0 : h > tl->n_rows ? tl->n_rows : h;
}

kh_table_pos kh_table_start(const kh_table_layout *tl) {
  return (kh_table_pos){n_header(tl), 0};
}

bool kh_table_done(const kh_table_layout *tl, kh_table_pos pos) {
  return pos.row >= tl->n_rows;
}

static double rows_height(const kh_table_layout *tl, int lines) {
  return lines * tl->pitch + 2 * PAD_V;
}

static double header_height(const kh_table_layout *tl) {
  double h = 0;
  for (int r = 0; r < n_header(tl); r++)
    h += rows_height(tl, tl->row_lines[r]);
  return h;
}

double kh_table_min_height(const kh_table_layout *tl, kh_table_pos pos,
                           double page_height) {
  double h = header_height(tl);
  if (!kh_table_done(tl, pos))
    h += rows_height(tl, tl->row_lines[pos.row] - pos.line);
  return h < page_height ? h : page_height;
}

/* Draws cell lines [from, to) of row r with the row's top at y. */
static void draw_row(const kh_table_layout *tl, kh_canvas *c, kh_page *pg, double x,
                     double y, int r, int from, int to) {
  const kh_table *t = tl->t;
  bool header = r < n_header(tl);
  bool marked = !header && (guint)r < t->row_marked->len &&
                g_array_index(t->row_marked, gboolean, r);
  bool whole = from == 0 && to == tl->row_lines[r];
  double cx = x;
  for (int col = 0; col < tl->n_cols; col++) {
    kh_para *p = tl->paras[r * tl->n_cols + col];
    GArray *lines = tl->lines[r * tl->n_cols + col];
    int face = cell_face(t, r);
    double asc = kh_fontset_ascent(tl->fs, face) * tl->size;
    double desc = kh_fontset_descent(tl->fs, face) * tl->size;
    double inset = (tl->pitch - asc - desc) / 2;
    /* a whole row centres each cell's lines vertically */
    double top = y - PAD_V;
    if (whole)
      top -= (tl->row_lines[r] - (int)lines->len) * tl->pitch / 2;
    kh_align align = header ? KH_ALIGN_CENTER : t->align[col];
    double inner = tl->col_w[col] - 2 * PAD_H;
    for (int i = whole ? 0 : from; i < (int)lines->len && i < (whole ? (int)lines->len : to); i++) {
      kh_line *l = &g_array_index(lines, kh_line, i);
      double lx = cx + PAD_H;
      if (align == KH_ALIGN_CENTER)
        lx += (inner - l->width) / 2;
      else if (align == KH_ALIGN_RIGHT)
        lx += inner - l->width;
      double line_top = top - (i - (whole ? 0 : from)) * tl->pitch;
      kh_para_draw_line(p, l, c, pg, lx, line_top - inset - asc, inner, false,
                        marked ? KH_RED : KH_BLACK);
    }
    cx += tl->col_w[col];
  }
}

kh_table_pos kh_table_draw(const kh_table_layout *tl, kh_canvas *c, kh_page *pg,
                           double x, double top, double bottom, kh_table_pos pos,
                           double *end_y) {
  *end_y = top;
  if (tl->n_cols == 0 || tl->n_rows == 0)
    return (kh_table_pos){tl->n_rows, 0};
  GArray *bounds = g_array_new(FALSE, FALSE, sizeof(double));
  double y = top;
  g_array_append_val(bounds, y);
  for (int r = 0; r < n_header(tl); r++) {
    draw_row(tl, c, pg, x, y, r, 0, tl->row_lines[r]);
    y -= rows_height(tl, tl->row_lines[r]);
    g_array_append_val(bounds, y);
  }
  bool first = true;
  while (!kh_table_done(tl, pos)) {
    int left = tl->row_lines[pos.row] - pos.line;
    if (y - rows_height(tl, left) >= bottom - EPS) {
      draw_row(tl, c, pg, x, y, pos.row, pos.line, tl->row_lines[pos.row]);
      y -= rows_height(tl, left);
      pos = (kh_table_pos){pos.row + 1, 0};
    } else if (first) { /* a row taller than a page: as many lines as fit */
      int fit = (int)((y - bottom - 2 * PAD_V) / tl->pitch + EPS);
      if (fit < 1)
        break;
      draw_row(tl, c, pg, x, y, pos.row, pos.line, pos.line + fit);
      y -= rows_height(tl, fit);
      pos.line += fit;
    } else {
      break;
    }
    g_array_append_val(bounds, y);
    first = false;
  }
  for (guint i = 0; i < bounds->len; i++) {
    double by = g_array_index(bounds, double, i);
    bool outer = i == 0 || i + 1 == bounds->len;
    kh_canvas_line(c, pg, x, by, x + tl->width, by, outer ? OUTER_RULE : INNER_RULE, KH_BLACK);
  }
  double vx = x;
  for (int col = 0; col <= tl->n_cols; col++) {
    bool outer = col == 0 || col == tl->n_cols;
    kh_canvas_line(c, pg, vx, top, vx, y, outer ? OUTER_RULE : INNER_RULE, KH_BLACK);
    if (col < tl->n_cols)
      vx += tl->col_w[col];
  }
  g_array_unref(bounds);
  *end_y = y;
  return pos;
}
