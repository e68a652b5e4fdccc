/* The dataset's CSV files as tables of located cells (docs/reference/dataset.md), internal to
 * the load stage.
 *
 * Parsing is libcsv's strict mode; on top of it the reader knows where each
 * cell starts (1-based line, column in characters, and its Excel name),
 * trims blanks (space, tab, U+3000, U+00A0) from every cell, drops rows
 * whose cells are all empty, skips title rows above the header, and checks
 * that every row has as many cells as the header. Every malformed row is
 * reported and left out; the rest of the file is read. Text whose header
 * line is separated by tabs rather than commas is read as such (docs/reference/dataset.md).
 *
 * The header and cell rules of the dataset (registry.c, monthly.c) work
 * on the table alone: rows of located cells in, diagnostics out. */
#ifndef KAOHE_LOAD_CSV_READER_H
#define KAOHE_LOAD_CSV_READER_H

#include "kaohe/load.h"

/* Cells one file may hold: rows times columns are each capped (load.h),
 * but their product would still let a 256 MB file of "1,1,1,..." take
 * gigabytes. Five million is 100,000 townships by 50 columns. */
#define KH_CSV_MAX_CELLS 5000000u

/* Title rows above a header that are skipped (docs/reference/dataset.md). */
#define KH_MAX_TITLE_ROWS 3

typedef struct {
  const char *text; /* trimmed, NUL-terminated; owned by the table */
  int line, col;    /* where the cell starts */
  int record;       /* its row's number as Excel shows it (kh_csv_row) */
  int column;       /* 0-based index in its row: Excel's A, B, ... */
} kh_csv_cell;

typedef struct {
  int line;    /* line of its first cell */
  int record;  /* its row number as Excel shows it: records, counting the
                  empty ones, where a quoted line break starts no new row */
  guint first; /* index of its first cell in the table's cells */
  int n_cells; /* the header's count, except in the header itself */
} kh_csv_row;

typedef struct {
  char *path;          /* as shown in diagnostics */
  char *text;          /* the decoded file, to echo lines in diagnostics */
  GArray *line_starts; /* gsize: byte offset in text of each line */
  GStringChunk *strings;
  GArray *cells;       /* kh_csv_cell */
  GArray *rows;        /* kh_csv_row; rows[0] is the header, if any */
  bool truncated;      /* reading stopped early at a limit (reported) */
  /* A worksheet's table (sheet_table.h): the sheet's name, and the cells
   * (index + 0 in cells) that held numbers formatted as percentages. Both
   * NULL for a CSV file. */
  char *sheet;
  GHashTable *percent_cells;
} kh_csv_table;

/* Reads and parses the file at path (kh_read_text_file). Returns NULL when
 * the file could not be read or decoded (diags says why). Caller frees with
 * kh_csv_free(). */
kh_csv_table *kh_csv_read(const char *path, kh_diags *diags);

/* Parses text (UTF-8 without NUL bytes, len bytes; copied). path is used
 * only in diagnostics. Caller frees with kh_csv_free(). */
kh_csv_table *kh_csv_parse(const char *path, const char *text, gsize len,
                           kh_diags *diags);

/* The same for a file whose header holds one of `keys` (NULL-terminated:
 * the key column's names): up to KH_MAX_TITLE_ROWS title rows above it,
 * each with at most one non-empty cell, are skipped with a warning. */
kh_csv_table *kh_csv_read_keyed(const char *path, const char *const *keys, kh_diags *diags);

/* Settles a table's rows once all are read (the CSV reader does it itself;
 * a worksheet's table is settled by kh_table_read()): title rows above the
 * header are skipped, with a warning, when keys name the key column, and
 * every later row must have as many cells as the header (else it is
 * reported and left out). */
void kh_csv_settle_rows(kh_csv_table *t, const char *const *keys, kh_diags *diags);

void kh_csv_free(kh_csv_table *t); /* NULL-safe */

/* Cell i of row r (borrowed from the table). */
static inline const kh_csv_cell *kh_csv_cell_at(const kh_csv_table *t,
                                                const kh_csv_row *r, int i) {
  return &g_array_index(t->cells, kh_csv_cell, r->first + (guint)i);
}

static inline const kh_csv_row *kh_csv_row_at(const kh_csv_table *t, guint i) {
  return &g_array_index(t->rows, kh_csv_row, i);
}

/* The cell a value was read from (load.h's kh_place), to name it in a
 * diagnostic with kh_csv_cell_diag(). */
static inline kh_csv_cell kh_place_cell(const kh_place *p) {
  return (kh_csv_cell){.text = "", .line = p->line, .col = p->col, .record = p->record,
                       .column = p->column};
}

/* Appends a diagnostic at line:col of the table's file, echoing that line.
 * In a worksheet's table line:col is a row and a column, and the message
 * starts with the cell's name (`Sheet1!G5 ……`, docs/reference/spreadsheet-inputs.md). */
void kh_csv_diag(const kh_csv_table *t, kh_diags *diags, kh_severity sev,
                 int line, int col, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* The name Excel gives the cell of 0-based column `col` in row `record`:
 * "A1", "G5", "AA12". Caller frees with g_free(). */
char *kh_cell_name(int col, int record);

/* Appends a diagnostic about cell c, located at the cell and starting
 * with its Excel name (docs/reference/spreadsheet-inputs.md: "G5 ……"). */
void kh_csv_cell_diag(const kh_csv_table *t, kh_diags *diags, kh_severity sev,
                      const kh_csv_cell *c, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* Appends one file's diagnostics (file_diags, sorted in place) to `to` in
 * the order of their places in the file, so a file gathered over several
 * passes reads top to bottom. */
void kh_csv_append_diags(kh_diags *to, kh_diags *file_diags);

#endif
