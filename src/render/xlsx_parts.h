/* How libxlsxwriter 1.1.4 writes the parts of a workbook (xlsx_parts.c):
 * in memory, not in temporary files, and deflated at our level.
 *
 * xlsx_parts.c defines two functions libxlsxwriter calls, lxw_tmpfile()
 * and minizip's zipOpenNewFileInZip4_64(); nothing in kaohe calls them, so
 * CMakeLists.txt tells the linker to take them into every program that
 * links kaohe_core. */
#ifndef KAOHE_RENDER_XLSX_PARTS_H
#define KAOHE_RENDER_XLSX_PARTS_H

/* The deflate level of every part of every workbook (zlib's 0–9). */
#define KH_XLSX_DEFLATE_LEVEL 3

#endif
