/* Workbooks standing where CSV files would (docs/reference/spreadsheet-inputs.md): the first visible
 * worksheet of an .xlsx or .xls file as the table of located cells the CSV
 * reader makes, so that every header, cell and audit rule is shared.
 * Internal to the load stage.
 *
 * The format is told by the file's content, not its name: an .xls that is
 * really an .xlsx (or the reverse) is read all the same; anything else
 * (an HTML page or a text file named .xls, an encrypted workbook) is
 * refused with a located error that says what to do. */
#ifndef KAOHE_LOAD_WORKBOOK_READER_H
#define KAOHE_LOAD_WORKBOOK_READER_H

#include <gsf/gsf-fwd.h>

#include "load/csv_reader.h"

/* The unpacked size of one part of an .xlsx (a sheet, the shared strings)
 * or of the workbook stream of an .xls: past it the file is refused, so a
 * small file cannot unpack into gigabytes (a zip bomb). A 5,000-township
 * month takes about 2 MB. */
#define KH_WORKBOOK_MAX_PART_BYTES (64u * 1024u * 1024u)

/* Whether a file name is a lock or temporary file an office suite leaves
 * beside an open document (`~$2013-07.xlsx`, `.~lock.2013-07.xlsx#`):
 * such files are skipped without a word. */
bool kh_is_office_lock_file(const char *name);

/* Whether name ends in .xlsx or .xls (any case). */
bool kh_is_workbook_name(const char *name);

/* Reads a dataset's data file as a table: a workbook (by its name's
 * extension) through kh_workbook_read(), anything else as CSV text; keys
 * (NULL-terminated, or NULL) name the key column, so that title rows above
 * the header are skipped in either (kh_csv_read_keyed()). */
kh_csv_table *kh_table_read(const char *path, const char *const *keys, kh_diags *diags);

/* The file that holds `stem` (say "townships") in dir: STEM.csv, or
 * STEM.xlsx or STEM.xls when that is the one present. Two of them present
 * are an error naming both (in diags); STEM.csv is then the one read.
 * Caller frees. */
char *kh_data_file_path(const char *dir, const char *stem, kh_diags *diags);

/* Reads the first visible worksheet of the workbook at path. Returns NULL
 * when the file cannot be read at all (diags says why, located at
 * FILE:1:1); otherwise a table, with every problem of its cells in diags.
 * Caller frees with kh_csv_free(). */
kh_csv_table *kh_workbook_read(const char *path, kh_diags *diags);

/* The same for the worksheet called `sheet`, hidden or not (a form's
 * `kaohe` sheet); NULL: the first visible one. */
kh_csv_table *kh_workbook_read_sheet(const char *path, const char *sheet, kh_diags *diags);

/* The readers of each format (xlsx_reader.c, xls_reader.c), from the
 * file's bytes; `sheet` as for kh_workbook_read_sheet(). */
kh_csv_table *kh_xlsx_parse(const char *path, const guint8 *data, gsize len,
                            const char *sheet, kh_diags *diags);
kh_csv_table *kh_xls_parse(const char *path, const guint8 *data, gsize len,
                           const char *sheet, kh_diags *diags);

/* The stream `name` of an OLE file, or NULL. gsf_infile_child_by_name()
 * prints a GLib warning (in no log domain) when a damaged file's stream
 * cannot be read; this asks the container's class directly, through the
 * interface libgsf installs for its implementations, and says nothing.
 * Caller unrefs. */
GsfInput *kh_ole_stream(GsfInfile *ole, const char *name);

#endif
