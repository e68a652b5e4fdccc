/* Fill-in forms (docs/reference/forms.md, src/render/xlsx_forms.c): a township's form
 * and the county's collection workbook for a month, on libxlsxwriter. Both
 * need only the dataset's rules and registry; last month's values are
 * taken from the dataset when that month's file was read. Each returns
 * false and appends to diags when the workbook cannot be written (nothing
 * is left at path then). */
#ifndef KAOHE_RENDER_XLSX_FORMS_H
#define KAOHE_RENDER_XLSX_FORMS_H

#include "kaohe/render.h"

/* Township t's form for month (1–12) of the dataset's year. */
bool kh_render_form_xlsx(const kh_dataset *ds, int month, int t, const kh_doc_meta *meta,
                         const char *path, kh_diags *diags);

/* All townships as rows, the fields as columns: a month file as it stands. */
bool kh_render_collection_xlsx(const kh_dataset *ds, int month, const kh_doc_meta *meta,
                               const char *path, kh_diags *diags);

/* "填报表_2013-08_01_城关镇.xlsx" and "汇总表_2013-08.xlsx". Caller frees. */
char *kh_form_xlsx_name(const kh_dataset *ds, int month, int t);
char *kh_collection_xlsx_name(const kh_dataset *ds, int month);

#endif
