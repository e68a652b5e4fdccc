/* Fuzzes the workbook reader (docs/reference/spreadsheet-inputs.md): the format told by the first
 * bytes, then minizip and libxml2's streaming reader for .xlsx (the
 * relationships, shared strings, styles and the sheet), or libgsf, the
 * record walk and FreeXL for .xls; the table laid out from sparse cells;
 * and the formatting of every diagnostic. Seeded with the workbooks the
 * real writers wrote (tests/data/workbooks/). FreeXL reads from a path, so
 * each input is written to the scratch folder first. */
#include <stdint.h>
#include "load/sheet_table.h"
#include "load/workbook_reader.h"
#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kh_fuzz_write("2013-07.xlsx", data, size);
  char *path = g_build_filename(kh_fuzz_scratch(), "2013-07.xlsx", NULL);
  kh_diags *diags = kh_diags_new();
  kh_csv_table *t = kh_workbook_read(path, diags);
  for (guint r = 0; t && r < t->rows->len; r++) {
    const kh_csv_row *row = kh_csv_row_at(t, r);
    for (int i = 0; i < row->n_cells; i++) {
      const kh_csv_cell *c = kh_csv_cell_at(t, row, i);
      if (!g_utf8_validate(c->text, -1, NULL) || c->line != row->line || c->col != i + 1)
        __builtin_trap();
      (void)kh_csv_cell_is_percent(t, c);
    }
  }
  kh_csv_free(t);
  for (guint i = 0; i < diags->items->len; i++)
    g_free(kh_diag_format(g_ptr_array_index(diags->items, i)));
  kh_diags_free(diags);
  g_free(path);
  return 0;
}
