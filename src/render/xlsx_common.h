/* Workbook plumbing shared by the county, township and quarter workbooks
 * (render.h), on libxlsxwriter 1.1.4.
 *
 * One place for what every workbook needs and what the library's defects
 * demand (docs/dependencies.md): the write to a temporary name beside the
 * target, renamed into place only after workbook_close() succeeded; document
 * properties with a fixed creation time, so the same inputs and
 * SOURCE_DATE_EPOCH give byte-identical files; sheet names that are never
 * empty, at most 31 characters and free of []:*?/\ ; formats created once
 * per workbook; column widths from the display width of what was written (a
 * Chinese character is two units); and the print setup (A4, fit to one page
 * wide, title rows repeated, 第 N 页 共 M 页 in the footer).
 *
 * Values already in percent are stored as they are (84.71, not 0.8471) with
 * the unit as a literal in the number format, 0.00"%": a bare % in a number
 * format would multiply by 100. Workbooks say so in a note under the table.
 *
 * Each concern has its file: xlsx_book.c (the workbook, its temporary file
 * and close, sheets and their names), xlsx_formats.c (the format cache and
 * the highlights), xlsx_numbers.c (number formats), xlsx_cells.c (the cell,
 * merged and heading writers), xlsx_print.c (widths, row heights, print
 * setup), xlsx_words.c (the wording); xlsx_internal.h is what they share. */
#ifndef KAOHE_RENDER_XLSX_COMMON_H
#define KAOHE_RENDER_XLSX_COMMON_H

#include <stdbool.h>
#include <glib.h>
#include <xlsxwriter.h>
#include "kaohe/render.h"

/* ---- names ------------------------------------------------------------- */

/* A sheet name Excel accepts, made from `wanted`: []:*?/\ become their
 * full-width forms (［］：＊？／＼), control characters are dropped, blanks
 * and apostrophes at either end are trimmed, and the result is cut to 31
 * UTF-16 units at a character boundary. When nothing is left, `fallback`
 * (which must itself be a valid name) is used. Caller frees with g_free(). */
char *kh_xlsx_sheet_name(const char *wanted, const char *fallback);

/* ---- numbers ----------------------------------------------------------- */

/* The Excel number format for `decimals` places followed by `suffix` as a
 * literal: (2, "%") gives 0.00"%", (0, "人") gives 0"人", (1, "") gives 0.0.
 * Caller frees with g_free(). */
char *kh_xlsx_number_format(int decimals, const char *suffix);

/* What that format shows for v: "84.71%". Caller frees with g_free(). */
char *kh_xlsx_number_text(double v, int decimals, const char *suffix);

/* The suffix of a gap's number format: "个百分点" for "%", else the unit
 * (format.h's kh_fmt_gap in cell form). Borrowed: static or `unit`. */
const char *kh_xlsx_gap_suffix(const char *unit);

/* The number format of a gap: kh_xlsx_number_format's, except that a zero
 * gap (a met target) shows as a plain 0: 0.00"个百分点";-0.00"个百分点";0.
 * Caller frees with g_free(). */
char *kh_xlsx_gap_format(int decimals, const char *unit);

/* ---- the workbook ------------------------------------------------------ */

typedef struct kh_xlsx_book kh_xlsx_book;

typedef struct {
  const char *title;   /* shown as the document's title */
  const char *subject;
  const char *author;  /* the issuer */
  const char *company; /* the county */
  const char *keywords;
} kh_xlsx_props;

/* Starts the workbook that kh_xlsx_book_close() will put at `path`: creates
 * the temporary file beside it and sets the document properties, with
 * created = meta->created. Returns NULL and appends to diags when the
 * temporary file cannot be made (a missing folder, no permission). Borrows
 * path, meta and props. */
kh_xlsx_book *kh_xlsx_book_new(const char *path, const kh_doc_meta *meta,
                               const kh_xlsx_props *props, kh_diags *diags);

/* Writes the workbook, renames it onto `path` and frees the book (always,
 * also on failure). On any failure, including one recorded while the sheets
 * were filled, removes the temporary file, leaves `path` as it was, appends
 * to diags and returns false. */
bool kh_xlsx_book_close(kh_xlsx_book *b, kh_diags *diags);

/* The libxlsxwriter workbook, for charts. Borrowed. */
lxw_workbook *kh_xlsx_workbook(kh_xlsx_book *b);

/* Records err (when not LXW_NO_ERROR) as the workbook's failure, keeping
 * the first one; `what` says what was being written. Returns err == OK. */
bool kh_xlsx_check(kh_xlsx_book *b, lxw_error err, const char *what);

/* ---- formats ----------------------------------------------------------- */

typedef enum {
  KH_XLSX_TITLE,    /* 黑体 16 pt bold, centred */
  KH_XLSX_SUBTITLE, /* centred, no border */
  KH_XLSX_HEADER,   /* bold on grey, centred, wrapped, bordered */
  KH_XLSX_CENTER,   /* bordered, centred */
  KH_XLSX_LEFT,     /* bordered, left aligned, wrapped */
  KH_XLSX_NUMBER,   /* bordered, right aligned, with a number format */
  KH_XLSX_NUMBER_LEFT, /* the same, left aligned: a number in a merged line */
  KH_XLSX_NOTE      /* notes under a table: left aligned, wrapped, no border */
} kh_xlsx_kind;

typedef enum {
  KH_XLSX_PLAIN,
  KH_XLSX_STRONG, /* bold on light grey: the county line, totals */
  KH_XLSX_MISS    /* dark red text: a score lost by a miss */
} kh_xlsx_tone;

/* The workbook's one format of that kind, tone and number format
 * (num_format only for the NUMBER kinds, else NULL). Created on first use. */
lxw_format *kh_xlsx_format(kh_xlsx_book *b, kh_xlsx_kind kind,
                           kh_xlsx_tone tone, const char *num_format);

/* The number format of `decimals` places and `suffix` (see above). */
lxw_format *kh_xlsx_number(kh_xlsx_book *b, kh_xlsx_tone tone, int decimals,
                           const char *suffix);
/* The format of a gap in the indicator's unit (kh_xlsx_gap_format). */
lxw_format *kh_xlsx_gap(kh_xlsx_book *b, kh_xlsx_tone tone, int decimals,
                        const char *unit);

/* The format for a vetoed township in conditional formatting (red fill,
 * bold dark red text). */
lxw_format *kh_xlsx_veto_highlight(kh_xlsx_book *b);
/* An award (light green fill, dark green text). */
lxw_format *kh_xlsx_award_highlight(kh_xlsx_book *b);

/* ---- sheets ------------------------------------------------------------ */

/* A worksheet and the widest content seen per column. Owned by its book. */
typedef struct {
  kh_xlsx_book *book;
  lxw_worksheet *ws;
  char *name;        /* the name as written: safe and unique */
  GArray *widths;    /* double per column: display width of its content;
                        after kh_xlsx_sheet_finish(), the Excel width set */
  GArray *wrapped;   /* of wrapped cells, for row heights at the end */
} kh_xlsx_sheet;

/* Adds a sheet named after `wanted` (made safe with kh_xlsx_sheet_name and
 * made unique, ignoring case, with a "(2)" suffix). fallback as above. */
kh_xlsx_sheet *kh_xlsx_sheet_add(kh_xlsx_book *b, const char *wanted,
                                 const char *fallback);

/* Cell writers. They record errors in the book and widths in the sheet;
 * text longer than a cell holds (32767 characters) is cut. */
void kh_xlsx_text(kh_xlsx_sheet *s, int row, int col, const char *text,
                  lxw_format *f);
/* A number; `display` is what its format shows (for the width). A
 * non-finite v is written as a blank cell in that format. */
void kh_xlsx_num(kh_xlsx_sheet *s, int row, int col, double v,
                 const char *display, lxw_format *f);
/* A value in the indicator's decimals and unit (0.00"%"), and a gap in
 * them (kh_xlsx_gap_format). */
void kh_xlsx_value(kh_xlsx_sheet *s, int row, int col, double v, int decimals,
                   const char *unit, kh_xlsx_tone tone);
void kh_xlsx_gap_value(kh_xlsx_sheet *s, int row, int col, double gap, int decimals,
                       const char *unit, kh_xlsx_tone tone);
/* The target and the gap of an indicator's cell in its decimals and unit,
 * or, when the status is not ok, two blank cells in `blank`. */
void kh_xlsx_target_gap(kh_xlsx_sheet *s, int row, int target_col, int gap_col,
                        kh_status status, double target, double gap,
                        const kh_indicator *ind, kh_xlsx_tone tone, lxw_format *blank);
/* Township t's rank on indicator i (blank in `blank` when it has none) and
 * the cell's remark (kh_xlsx_cell_remark) in `left`. */
void kh_xlsx_rank_remark(kh_xlsx_sheet *s, int row, int rank_col, int note_col,
                         const kh_month_result *r, int t, int i, lxw_format *blank,
                         lxw_format *left);
/* A formula ("=SUM(D3:H3)") whose stored result is `value`, the engine's
 * number, so viewers that do not recalculate show it. */
void kh_xlsx_formula(kh_xlsx_sheet *s, int row, int col, const char *formula,
                     double value, const char *display, lxw_format *f);
/* `text` in columns first_col..last_col of `row` merged, not counted in
 * the column widths; when the format wraps, the row is made tall enough
 * (at least min_height points). */
void kh_xlsx_merged(kh_xlsx_sheet *s, int row, int first_col, int last_col,
                    const char *text, lxw_format *f, double min_height);
/* A number in merged columns (left aligned formats suit it). */
void kh_xlsx_merged_num(kh_xlsx_sheet *s, int row, int first_col, int last_col,
                        double v, lxw_format *f);
/* kh_xlsx_merged over columns 0..n_cols-1: a title line. */
void kh_xlsx_banner(kh_xlsx_sheet *s, int row, int n_cols, const char *text,
                    lxw_format *f, double height);
/* A note under a table: `text` merged over columns 0..n_cols-1 of `row`,
 * wrapped, its row as tall as it needs. */
void kh_xlsx_note(kh_xlsx_sheet *s, int row, int n_cols, const char *text);
/* A row of column headings (KH_XLSX_HEADER, wrapped). */
void kh_xlsx_headings(kh_xlsx_sheet *s, int row, const char *const *labels,
                      int n);

/* A table's place on its sheet, for kh_xlsx_sheet_finish(). */
typedef struct {
  int header_row;   /* the headings; rows 0..header_row repeat on every page */
  int last_row;     /* the table's last row (>= header_row); its rows are
                       at least one line of Chinese tall */
  int filter_last;  /* last row of the autofilter; < header_row: none */
  int n_cols;
  int freeze_cols;  /* columns kept in view when scrolling right */
  bool landscape;
  const char *page_title; /* the page header's text */
} kh_xlsx_layout;

/* Sets column widths (from what was written; headings wrap within at most
 * 8 Chinese characters unless the data is wider), row heights of wrapped
 * cells, frozen panes below the headings, the autofilter and the print
 * setup. */
void kh_xlsx_sheet_finish(kh_xlsx_sheet *s, const kh_xlsx_layout *lay);

/* Rows first..last (0-based) of s, columns 0..n_cols-1, in light red with
 * dark red text where column met_col reads 未达标 or 缺报: a conditional
 * format, so a corrected cell recolours its row. */
void kh_xlsx_highlight_misses(kh_xlsx_sheet *s, int first, int last, int met_col,
                              int n_cols);

/* Width in pixels of columns 0..n_cols-1 as finish() set them (to size a
 * chart to its table). Call after kh_xlsx_sheet_finish(). */
int kh_xlsx_sheet_pixels(const kh_xlsx_sheet *s, int n_cols);

/* The highest total a township can reach: the sum of the weights. */
double kh_xlsx_max_total(const kh_month_result *r);

/* ---- words ------------------------------------------------------------- */

/* The month in words: "2013年7月". Caller frees with g_free(). */
char *kh_xlsx_month_text(int year, int month);

/* The township's veto and warnings of the month in words:
 * "一票否决：独生子女保健费兑现率", "预警：独生子女保健费兑现率（2013年9月15日前须达标）",
 * both joined by "；", or "" when neither. Caller frees with g_free(). */
char *kh_xlsx_veto_words(const kh_month_result *r, int t);

/* The warning of one cell in words: "预警：须于2013年9月15日前达标，逾期一票否决",
 * or "一票否决" when the cell vetoes, or NULL when neither. Caller frees
 * with g_free(). */
char *kh_xlsx_cell_remark(const kh_month_result *r, int t, int i);

/* Writes a month's score summary (rank, code, township, every indicator's
 * score, total as =ROUND(SUM(…),2) carrying the engine's total, 一票否决 /
 * 预警; vetoed rows in red by conditional formatting; a column chart of the
 * totals below) as the sheet `sheet_name` of b. Implemented in
 * xlsx_county.c; the quarter workbook uses it for its months. */
void kh_xlsx_month_summary(kh_xlsx_book *b, const kh_month_result *r,
                           const char *sheet_name);

#endif
