/* Fuzzes what reads every CSV file of a dataset: encoding detection
 * (UTF-8 with or without BOM, else GB18030; NUL bytes, UTF-16 and Excel
 * files refused) and the CSV reader on top of libcsv (located cells,
 * blank trimming, row checks, limits), then the formatting of every
 * diagnostic, which echoes the line and places a caret by display width. */
#include <stdint.h>
#include "load/csv_reader.h"
#include "load/encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kh_diags *diags = kh_diags_new();
  gsize len = 0;
  char *text = kh_decode_text("monthly/2013-07.csv", (const char *)data, size, &len, diags);
  if (text) {
    kh_csv_table *t = kh_csv_parse("monthly/2013-07.csv", text, len, diags);
    /* Walk every row as the loaders do. */
    for (guint r = 0; t && r < t->rows->len; r++) {
      const kh_csv_row *row = kh_csv_row_at(t, r);
      for (int i = 0; i < row->n_cells; i++) {
        const kh_csv_cell *c = kh_csv_cell_at(t, row, i);
        if (!g_utf8_validate(c->text, -1, NULL) || c->line < 1 || c->col < 1)
          __builtin_trap();
      }
    }
    kh_csv_free(t);
    g_free(text);
  }
  for (guint i = 0; i < diags->items->len; i++)
    g_free(kh_diag_format(g_ptr_array_index(diags->items, i)));
  kh_diags_free(diags);
  return 0;
}
