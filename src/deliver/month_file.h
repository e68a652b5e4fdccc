/* Writing a month's file (docs/reference/forms.md, kaohe import): monthly/YYYY-MM.csv,
 * UTF-8 with a BOM and CRLF line ends, put in place atomically; the files
 * that held the month before (whatever their format) moved to
 * monthly/备份/ with a timestamp in their names, where check does not
 * look. Internal to src/deliver. */
#ifndef KAOHE_DELIVER_MONTH_FILE_H
#define KAOHE_DELIVER_MONTH_FILE_H

#include "kaohe/load.h"

/* The month's rows: has[t] for each township with a row, values[t *
 * n_fields + f] (NAN: an empty cell). */
typedef struct {
  const bool *has;
  const double *values;
} kh_month_rows;

/* The file's text: a header of township and the field ids, then a row per
 * township with one, in registry order (by code). Caller frees. */
char *kh_month_file_text(const kh_dataset *ds, const kh_month_rows *rows);

/* Writes the text as monthly/YYYY-MM.csv of ds: to a hidden temporary file
 * beside it, synced, then the month's earlier files moved to 备份/ as
 * YYYY-MM.STAMP.EXT (`moved`, when not NULL, gets their new paths), then
 * renamed into place. On failure nothing is left changed, and diags says
 * why. */
bool kh_month_file_write(const kh_dataset *ds, int month, const char *text, const char *stamp,
                         GPtrArray *moved, kh_diags *diags);

#endif
