/* What the files of the workbook plumbing (xlsx_book.c, xlsx_formats.c,
 * xlsx_numbers.c, xlsx_cells.c, xlsx_print.c) share behind xlsx_common.h:
 * the book's and sheets' insides. Not for the workbooks themselves. */
#ifndef KAOHE_RENDER_XLSX_INTERNAL_H
#define KAOHE_RENDER_XLSX_INTERNAL_H

#include "render/xlsx_common.h"

struct kh_xlsx_book {
  lxw_workbook *wb;
  char *path;
  char *tmp_path;
  char *tmpdir;          /* libxlsxwriter's temporary parts: parts_folder() */
  GHashTable *formats;   /* key → lxw_format* (owned by wb) */
  GArray *numbers;       /* number_slot: the number formats asked for */
  GPtrArray *sheets;     /* kh_xlsx_sheet* */
  lxw_error err;         /* the first failure, or LXW_NO_ERROR */
  char *err_what;
  lxw_format *miss, *veto, *award;
};

/* A number format by what it was asked for, so that a cell's format is
 * found without building its format string again. */
typedef struct {
  bool gap;          /* kh_xlsx_gap() rather than kh_xlsx_number() */
  kh_xlsx_tone tone;
  int decimals;
  char *suffix;      /* the suffix or unit asked for, "" for none */
  lxw_format *f;
} number_slot;

typedef struct {
  int row, first_col, last_col; /* merged when first_col < last_col */
  double width;     /* display width of the text */
  double min_height;
} wrapped_cell;

/* decimals within 0..15, the places a number format is made with. */
int kh_xlsx_clamp_decimals(int decimals);

/* The display width recorded for column col of s, the array grown to hold
 * it (xlsx_cells.c). */
double *kh_xlsx_width_slot(kh_xlsx_sheet *s, int col);

#endif
