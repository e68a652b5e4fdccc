/* A sheet finished for the screen and the page (xlsx_common.h): column
 * widths from what was written, row heights of wrapped cells, frozen panes,
 * the autofilter and the print setup. */
#include "render/xlsx_internal.h"

#include <math.h>

/* Points per line of 11 pt text, for rows of wrapped cells. */
#define LINE_HEIGHT 14.4
/* Excel's limit on the points of a row's height, and the widest column
 * worth making (display units). */
#define ROW_HEIGHT_MAX 409.0
#define COLUMN_WIDTH_CAP 80.0

/* Excel column width (in characters of the default font) for a display
 * width; Chinese glyphs are a little wider than two digits. */
static double column_width(double display) {
  return MAX(MIN(display, COLUMN_WIDTH_CAP) * 1.1 + 2, 6);
}

/* libxlsxwriter's conversion of a column width to pixels. */
static int column_pixels(double width) {
  return width < 1 ? (int)(width * 12 + 0.5) : (int)(width * 7 + 0.5) + 5;
}

/* Printing: the left and right margins (inches), and the smallest scale
 * a sheet prints at: its 11 pt type at 8.25 pt, 8 pt or more after the
 * office suite's own rounding (LibreOffice prints 11 pt at 73% as 7.99). */
#define PRINT_MARGIN 0.5
#define MIN_SCALE_PERCENT 75

/* Fit to the page's width while that keeps the type at 8 pt or more;
 * wider sheets print at the smallest scale, their columns broken over
 * pages with the frozen columns (rank, township) repeated on each. */
static void print_width(kh_xlsx_sheet *s, const kh_xlsx_layout *lay) {
  double paper = (lay->landscape ? 297.0 : 210.0) * 72 / 25.4; /* A4, pt */
  double room = paper - 2 * PRINT_MARGIN * 72;
  double need = kh_xlsx_sheet_pixels(s, lay->n_cols) * 0.75; /* 96 px an inch */
  if (need * MIN_SCALE_PERCENT / 100 <= room) {
    worksheet_fit_to_pages(s->ws, 1, 0);
    return;
  }
  worksheet_set_print_scale(s->ws, MIN_SCALE_PERCENT);
  if (lay->freeze_cols > 0)
    kh_xlsx_check(s->book, worksheet_repeat_columns(s->ws, 0, (lxw_col_t)(lay->freeze_cols - 1)),
                  s->name);
}

static double row_height_for(kh_xlsx_sheet *s, const wrapped_cell *c) {
  double room = 0;
  for (int k = c->first_col; k <= c->last_col; k++)
    room += k < (int)s->widths->len ? g_array_index(s->widths, double, k) : 8.43;
  /* Display units that fit: undo column_width()'s padding and factor. */
  room = MAX((room - 2) / 1.1, 2);
  int lines = MAX((int)ceil(c->width / room), 1);
  return MIN(MAX(c->min_height, lines * LINE_HEIGHT + 4), ROW_HEIGHT_MAX);
}

/* "&" starts a code in page headers: double it. */
/* Header and footer at the cells' 11 pt (&11; the font code after it ends
 * the number before a title that starts with digits), so that they too
 * print at 8 pt or more at the smallest print scale (not the office
 * suite's default, 10 pt). */
#define HEADER_START "&C&11&\"-,Regular\""

static char *page_header_text(const char *title) {
  char *cut = g_utf8_substring(title, 0, MIN(g_utf8_strlen(title, -1), 100));
  GString *out = g_string_new(HEADER_START);
  for (const char *p = cut; *p; p++) {
    if (*p == '&')
      g_string_append_c(out, '&');
    g_string_append_c(out, *p);
  }
  g_free(cut);
  return g_string_free(out, FALSE);
}

void kh_xlsx_sheet_finish(kh_xlsx_sheet *s, const kh_xlsx_layout *lay) {
  for (int c = 0; c < lay->n_cols; c++) {
    double *slot = kh_xlsx_width_slot(s, c);
    *slot = column_width(*slot);
    kh_xlsx_check(s->book, worksheet_set_column(s->ws, c, c, *slot, NULL), s->name);
  }
  /* Table rows one line of Chinese tall at least, rows of wrapped cells as
   * tall as their tallest cell needs. */
  GArray *heights = g_array_new(FALSE, TRUE, sizeof(double));
  g_array_set_size(heights, lay->last_row + 1);
  for (int row = lay->header_row + 1; row <= lay->last_row; row++)
    g_array_index(heights, double, row) = LINE_HEIGHT + 4;
  for (guint k = 0; k < s->wrapped->len; k++) {
    const wrapped_cell *c = &g_array_index(s->wrapped, wrapped_cell, k);
    if ((guint)c->row >= heights->len)
      g_array_set_size(heights, c->row + 1);
    double *h = &g_array_index(heights, double, c->row);
    *h = MAX(*h, row_height_for(s, c));
  }
  for (guint row = 0; row < heights->len; row++)
    if (g_array_index(heights, double, row) > 0)
      kh_xlsx_check(s->book,
                    worksheet_set_row(s->ws, row, g_array_index(heights, double, row), NULL),
                    s->name);
  g_array_unref(heights);
  worksheet_freeze_panes(s->ws, lay->header_row + 1, lay->freeze_cols);
  if (lay->filter_last >= lay->header_row)
    kh_xlsx_check(s->book,
                  worksheet_autofilter(s->ws, lay->header_row, 0, lay->filter_last,
                                       lay->n_cols - 1),
                  s->name);
  worksheet_set_paper(s->ws, 9); /* A4 */
  if (lay->landscape)
    worksheet_set_landscape(s->ws);
  else
    worksheet_set_portrait(s->ws);
  worksheet_set_margins(s->ws, PRINT_MARGIN, PRINT_MARGIN, 0.75, 0.75);
  worksheet_center_horizontally(s->ws);
  print_width(s, lay);
  kh_xlsx_check(s->book, worksheet_repeat_rows(s->ws, 0, lay->header_row), s->name);
  char *header = page_header_text(lay->page_title ? lay->page_title : s->name);
  kh_xlsx_check(s->book, worksheet_set_header(s->ws, header), s->name);
  g_free(header);
  kh_xlsx_check(s->book, worksheet_set_footer(s->ws, HEADER_START "第 &P 页 共 &N 页"), s->name);
}

int kh_xlsx_sheet_pixels(const kh_xlsx_sheet *s, int n_cols) {
  int px = 0;
  for (int c = 0; c < n_cols; c++)
    px += column_pixels(c < (int)s->widths->len ? g_array_index(s->widths, double, c)
                                                : 8.43);
  return px;
}
