/* Reports returned for one month (docs/reference/forms.md, kaohe import): a township's
 * fill-in form, the county's collection workbook, or any file shaped like
 * a month file (CSV, or a workbook whose first visible sheet is one), read
 * into townships' rows with the cell rules of monthly files. Internal to
 * the load stage; the CLI merges and writes them. */
#ifndef KAOHE_LOAD_RETURNED_H
#define KAOHE_LOAD_RETURNED_H

#include "kaohe/load.h"

typedef struct {
  int township;   /* index in the registry */
  double *values; /* one per field of the dataset; NAN: missing */
  kh_place *places; /* per field: where its value was read (line 0: no cell) */
  kh_place key;     /* the township's key cell (a form: its first value cell) */
} kh_returned_row;

typedef struct {
  char *path;
  const char *kind; /* "township" (a form), "collection" or "table" */
  bool *covered;    /* per field: the file has a place for it */
  GArray *rows;     /* kh_returned_row, in file order */
} kh_returned;

/* Reads the file at path as the returned report of `month` (1–12) of ds.
 * A form or collection workbook is known by its hidden `kaohe` sheet, and
 * refused when it belongs to another county, year or month. Its rows are
 * audited as check audits a month (docs/reference/audits.md), over the
 * month's current values where the file has no place for a field. Returns NULL
 * when the file has any error (an error-level audit included) (all of them in diags, located): none of it
 * is to be imported then. Warnings go to diags too. */
kh_returned *kh_returned_read(const kh_dataset *ds, int month, const char *path,
                              kh_diags *diags);

void kh_returned_free(kh_returned *r); /* NULL-safe */

#endif
