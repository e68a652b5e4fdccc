/* What the monthly notice and the quarterly report share: a template
 * expanded into a kh_doc, its built-in blocks filled from the results, the
 * header and closing blocks from rules.ini and the options, and the page
 * layout of GB/T 9704. */
#ifndef KAOHE_RENDER_OFFICIAL_PDF_H
#define KAOHE_RENDER_OFFICIAL_PDF_H

#include <jansson.h>
#include "kaohe/render.h"

typedef struct {
  const char *template_name;   /* "notice.md" */
  json_t *context;             /* the template's variables; borrowed */
  const kh_month_result *month;     /* source of a month's built-in blocks, or NULL */
  const kh_quarter_result *quarter; /* source of a quarter's, or NULL */
  int year;                    /* for the document number */
  const char *subject;         /* document information: subject */
  bool pdfa;                   /* archival PDF/A-1b */
} kh_official_doc;

bool kh_render_official_pdf(const kh_dataset *ds, const kh_official_doc *spec,
                            const kh_doc_meta *meta, const char *path, kh_diags *diags);

#endif
