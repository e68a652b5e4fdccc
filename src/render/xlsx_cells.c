/* The cell writers (xlsx_common.h): text, numbers, formulas, merged lines,
 * headings and notes, each recording the width its column needs and the
 * height its row needs for kh_xlsx_sheet_finish(). */
#include "render/xlsx_internal.h"

#include <math.h>
#include <string.h>
#include <uniwidth.h>
#include "kaohe/kaohe.h"
#include "render/punct.h"

/* Headings wrap within this display width unless the data is wider. */
#define HEADING_WIDTH_CAP 16.0
/* Wrapped text columns (remarks) grow to this display width at most. */
#define WRAPPED_WIDTH_CAP 32.0
/* Excel's limit on the characters in a cell. */
#define CELL_CHARS_MAX 32767

/* Display width of UTF-8 text, its widest line; ambiguous characters (—, ≥)
 * count as wide, as Chinese fonts draw them. */
static double display_width(const char *text) {
  double widest = 0;
  const char *line = text;
  while (line) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    int w = u8_width((const uint8_t *)line, n, "GB18030");
    if (w > widest)
      widest = w;
    line = nl ? nl + 1 : NULL;
  }
  return widest;
}

double *kh_xlsx_width_slot(kh_xlsx_sheet *s, int col) {
  if ((guint)col >= s->widths->len)
    g_array_set_size(s->widths, col + 1);
  return &g_array_index(s->widths, double, col);
}

/* Records what a cell needs: its column at least as wide as the text, or,
 * for wrapped text, at most `wrap_cap` wide and a row tall enough. */
static void note_width(kh_xlsx_sheet *s, int row, int col, double w, lxw_format *f,
                       double wrap_cap) {
  if (f && f->bold)
    w *= 1.1;
  double *slot = kh_xlsx_width_slot(s, col);
  if (f && f->text_wrap) {
    wrapped_cell c = {row, col, col, w, 0};
    g_array_append_val(s->wrapped, c);
    w = MIN(w, wrap_cap);
  }
  if (w > *slot)
    *slot = w;
}

static void note_content(kh_xlsx_sheet *s, int row, int col, const char *text,
                         lxw_format *f, double wrap_cap) {
  note_width(s, row, col, display_width(text ? text : ""), f, wrap_cap);
}

/* text, or a copy with Chinese punctuation (punct.h) cut to the
 * characters a cell holds (*owned, to free). */
static const char *cell_text(const char *text, char **owned) {
  *owned = NULL;
  if (kh_punct_may_convert(text))
    text = *owned = kh_punct_chinese(text, strlen(text), false, NULL);
  if (strlen(text) > CELL_CHARS_MAX && g_utf8_strlen(text, -1) > CELL_CHARS_MAX) {
    char *cut = g_utf8_substring(text, 0, CELL_CHARS_MAX);
    g_free(*owned);
    return *owned = cut;
  }
  return text;
}

static void put_text(kh_xlsx_sheet *s, int row, int col, const char *text,
                     lxw_format *f, double wrap_cap) {
  if (!text || !*text) {
    kh_xlsx_check(s->book, worksheet_write_blank(s->ws, row, col, f), s->name);
    kh_xlsx_width_slot(s, col);
    return;
  }
  char *owned;
  text = cell_text(text, &owned);
  kh_xlsx_check(s->book, worksheet_write_string(s->ws, row, col, text, f), s->name);
  note_content(s, row, col, text, f, wrap_cap);
  g_free(owned);
}

void kh_xlsx_text(kh_xlsx_sheet *s, int row, int col, const char *text,
                  lxw_format *f) {
  put_text(s, row, col, text, f, WRAPPED_WIDTH_CAP);
}

void kh_xlsx_num(kh_xlsx_sheet *s, int row, int col, double v,
                 const char *display, lxw_format *f) {
  if (!isfinite(v)) {
    kh_xlsx_text(s, row, col, NULL, f);
    return;
  }
  kh_xlsx_check(s->book, worksheet_write_number(s->ws, row, col, v, f), s->name);
  note_content(s, row, col, display, f, WRAPPED_WIDTH_CAP);
}

/* How many characters printf's "%.*f" writes for v (a sign, the integer
 * digits, the point and the decimals) without printing it; -1 when v lies
 * within rounding of the next power of ten (only printf knows whether it
 * carries into one more digit) or is too large to count this way. */
static int fixed_chars(double v, int decimals) {
  static const double unit[] = {1,     1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,  1e-7,
                                1e-8,  1e-9,  1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15};
  double a = fabs(v), next = 10;
  int digits = 1;
  if (!(a < 1e15))
    return -1;
  while (a >= next) {
    digits++;
    next *= 10;
  }
  if (next - a <= unit[decimals])
    return -1;
  return (v < 0) + digits + (decimals > 0 ? decimals + 1 : 0);
}

/* kh_xlsx_num() with kh_xlsx_number_text()'s display, whose width is
 * counted rather than printed: the workbooks hold tens of thousands of
 * numbers. */
static void put_number(kh_xlsx_sheet *s, int row, int col, double v, int decimals,
                       const char *suffix, lxw_format *f) {
  suffix = suffix ? suffix : "";
  int chars = isfinite(v) ? fixed_chars(v == 0 ? 0 : v, kh_xlsx_clamp_decimals(decimals)) : -1;
  if (chars < 0 || strchr(suffix, '\n')) {
    char *text = kh_xlsx_number_text(v, decimals, suffix);
    kh_xlsx_num(s, row, col, v, text, f);
    g_free(text);
    return;
  }
  kh_xlsx_check(s->book, worksheet_write_number(s->ws, row, col, v, f), s->name);
  note_width(s, row, col, chars + display_width(suffix), f, WRAPPED_WIDTH_CAP);
}

void kh_xlsx_value(kh_xlsx_sheet *s, int row, int col, double v, int decimals,
                   const char *unit, kh_xlsx_tone tone) {
  put_number(s, row, col, v, decimals, unit, kh_xlsx_number(s->book, tone, decimals, unit));
}

void kh_xlsx_gap_value(kh_xlsx_sheet *s, int row, int col, double gap, int decimals,
                       const char *unit, kh_xlsx_tone tone) {
  put_number(s, row, col, gap, decimals, kh_xlsx_gap_suffix(unit),
             kh_xlsx_gap(s->book, tone, decimals, unit));
}

void kh_xlsx_formula(kh_xlsx_sheet *s, int row, int col, const char *formula,
                     double value, const char *display, lxw_format *f) {
  kh_xlsx_check(s->book,
                worksheet_write_formula_num(s->ws, row, col, formula, f, value),
                s->name);
  note_content(s, row, col, display, f, WRAPPED_WIDTH_CAP);
}

void kh_xlsx_merged(kh_xlsx_sheet *s, int row, int first_col, int last_col,
                    const char *text, lxw_format *f, double min_height) {
  char *owned;
  text = cell_text(text, &owned);
  if (last_col > first_col)
    kh_xlsx_check(s->book,
                  worksheet_merge_range(s->ws, row, first_col, row, last_col, text, f),
                  s->name);
  else
    kh_xlsx_check(s->book, worksheet_write_string(s->ws, row, first_col, text, f),
                  s->name);
  wrapped_cell c = {row, first_col, last_col,
                    display_width(text) * (f->bold ? 1.1 : 1) * (f->font_size / 11),
                    min_height};
  if (f->text_wrap || min_height > 0)
    g_array_append_val(s->wrapped, c);
  g_free(owned);
}

void kh_xlsx_merged_num(kh_xlsx_sheet *s, int row, int first_col, int last_col,
                        double v, lxw_format *f) {
  if (last_col > first_col)
    kh_xlsx_check(s->book,
                  worksheet_merge_range(s->ws, row, first_col, row, last_col, "", f),
                  s->name);
  kh_xlsx_check(s->book, worksheet_write_number(s->ws, row, first_col, v, f), s->name);
}

void kh_xlsx_banner(kh_xlsx_sheet *s, int row, int n_cols, const char *text,
                    lxw_format *f, double height) {
  kh_xlsx_merged(s, row, 0, MAX(n_cols - 1, 0), text, f, height);
}

void kh_xlsx_note(kh_xlsx_sheet *s, int row, int n_cols, const char *text) {
  kh_xlsx_banner(s, row, n_cols, text,
                 kh_xlsx_format(s->book, KH_XLSX_NOTE, KH_XLSX_PLAIN, NULL), 0);
}

void kh_xlsx_headings(kh_xlsx_sheet *s, int row, const char *const *labels,
                      int n) {
  lxw_format *f = kh_xlsx_format(s->book, KH_XLSX_HEADER, KH_XLSX_PLAIN, NULL);
  for (int c = 0; c < n; c++)
    put_text(s, row, c, labels[c], f, HEADING_WIDTH_CAP);
}

void kh_xlsx_target_gap(kh_xlsx_sheet *s, int row, int target_col, int gap_col,
                        kh_status status, double target, double gap,
                        const kh_indicator *ind, kh_xlsx_tone tone, lxw_format *blank) {
  if (status != KH_STATUS_OK) {
    kh_xlsx_text(s, row, target_col, NULL, blank);
    kh_xlsx_text(s, row, gap_col, NULL, blank);
    return;
  }
  const char *unit = ind->unit ? ind->unit : "";
  kh_xlsx_value(s, row, target_col, target, ind->decimals, unit, tone);
  kh_xlsx_gap_value(s, row, gap_col, gap, ind->decimals, unit, tone);
}

void kh_xlsx_rank_remark(kh_xlsx_sheet *s, int row, int rank_col, int note_col,
                         const kh_month_result *r, int t, int i, lxw_format *blank,
                         lxw_format *left) {
  int rank = r->indicator_ranks[t * r->n_indicators + i];
  if (rank > 0)
    kh_xlsx_value(s, row, rank_col, rank, 0, "", KH_XLSX_PLAIN);
  else
    kh_xlsx_text(s, row, rank_col, NULL, blank);
  char *remark = kh_xlsx_cell_remark(r, t, i);
  kh_xlsx_text(s, row, note_col, remark, left);
  g_free(remark);
}
