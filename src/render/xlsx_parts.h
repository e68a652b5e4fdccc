/* How libxlsxwriter 1.1.4 writes the parts of a workbook (xlsx_parts.c):
 * where its temporary files go, and how hard they are deflated. */
#ifndef KAOHE_RENDER_XLSX_PARTS_H
#define KAOHE_RENDER_XLSX_PARTS_H

/* The deflate level of every part of every workbook (zlib's 0–9). */
#define KH_XLSX_DEFLATE_LEVEL 3

/* Where libxlsxwriter writes the parts of a workbook before it zips them:
 * /dev/shm when it is a folder we may write with room to spare, else NULL
 * (libxlsxwriter's own choice: $TMPDIR or /tmp). Borrowed. */
const char *kh_xlsx_parts_folder(void);

#endif
