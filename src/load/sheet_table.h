/* A worksheet's cells gathered in any order, then laid out as the table of
 * located cells the CSV reader makes (csv_reader.h), so a workbook is read
 * with the same header and cell rules as a CSV (docs/reference/spreadsheet-inputs.md). Internal to the
 * load stage; used by the .xlsx and .xls readers.
 *
 * In a sheet's table a cell's line is its row number and its col its column
 * number (A = 1), so that messages read FILE:ROW:COLNUM, and kh_csv_diag()
 * names the cell the way Excel does (`Sheet1!G5 ……`). Every row has one
 * cell per column up to the last column holding anything; cells a writer
 * left out are empty, and rows without anything are left out, as empty CSV
 * rows are. */
#ifndef KAOHE_LOAD_SHEET_TABLE_H
#define KAOHE_LOAD_SHEET_TABLE_H

#include "load/csv_reader.h"

/* What a number format makes of a stored number. */
typedef enum {
  KH_NUMFMT_PLAIN,   /* shown as a number (General, 0.00, #,##0 …) */
  KH_NUMFMT_PERCENT, /* shown times 100 with a % (the value is a fraction) */
  KH_NUMFMT_DATE,    /* shown as a date or a time */
} kh_numfmt_kind;

/* The kind of a number format, from its built-in id (0–163) or, for the
 * others, its format code (NULL when unknown: plain). */
kh_numfmt_kind kh_numfmt_classify(int id, const char *code);

typedef struct kh_sheet_builder kh_sheet_builder;

/* A builder for the sheet `sheet` of the workbook at path (both copied).
 * date1904: the workbook counts dates from 1904 (Mac Excel's system). */
kh_sheet_builder *kh_sheet_builder_new(const char *path, const char *sheet,
                                       bool date1904, kh_diags *diags);

/* The table being built, to locate diagnostics in (kh_csv_diag) while the
 * sheet is read. Borrowed. */
const kh_csv_table *kh_sheet_builder_table(const kh_sheet_builder *b);

/* Adds the cell at row and col (1-based): text (len bytes of UTF-8, trimmed
 * here as a CSV cell is), or a number shown as `kind` says. Returns false
 * once reading should stop: a limit was reached (reported at the cell). */
bool kh_sheet_add_text(kh_sheet_builder *b, int row, int col, const char *text,
                       gsize len);
bool kh_sheet_add_number(kh_sheet_builder *b, int row, int col, double v,
                         kh_numfmt_kind kind);

/* The table, with the builder freed. Cells given twice are reported (the
 * file is damaged) and the first is kept. Caller frees with kh_csv_free(). */
kh_csv_table *kh_sheet_builder_finish(kh_sheet_builder *b);

void kh_sheet_builder_free(kh_sheet_builder *b); /* NULL-safe; drops the table */


/* "Sheet1!G5 " + message for the cell at row:col of the sheet; a sheet name
 * that is not a single word is quoted as Excel quotes it ('1月 报表'!G5).
 * Caller frees. */
char *kh_sheet_cell_message(const char *sheet, int row, int col, const char *message);

/* Whether the cell of the table was a number formatted as a percentage
 * (docs/reference/spreadsheet-inputs.md: a warning in a field, whose values are counts). */
bool kh_csv_cell_is_percent(const kh_csv_table *t, const kh_csv_cell *c);

#endif
