/* Stage 3, render: documents from the results (docs/reference/outputs.md, templates/README.md).
 *
 * Renderers read a kh_month_result / kh_quarter_result and the dataset's
 * names, labels and units; they never recompute a score. Every file is
 * written to a temporary name beside its target and renamed into place, so
 * a failed render leaves whatever was there before. */
#ifndef KAOHE_RENDER_H
#define KAOHE_RENDER_H

#include <stdbool.h>
#include <time.h>
#include <glib.h>
#include "kaohe/assess.h"

/* What a document says about itself, fixed by the CLI from the options. */
typedef struct {
  int doc_no;                   /* N of 〔YEAR〕N号 */
  int date_year, date_month, date_day; /* signing and printing date */
  time_t created;               /* recorded creation time: SOURCE_DATE_EPOCH or now */
  const char *template_dir;     /* the dataset's templates/ (may not exist) */
  char **title_out;             /* when not NULL, a PDF renderer stores the
                                   document's title there (caller g_free()s) */
} kh_doc_meta;

/* ---- score output (docs/reference/outputs.md): appended to `out` ------------------------- */
void kh_score_json(const kh_month_result *r, GString *out);
void kh_score_csv(const kh_month_result *r, GString *out);
void kh_score_table(const kh_month_result *r, GString *out);
void kh_quarter_json(const kh_quarter_result *q, GString *out);
void kh_quarter_csv(const kh_quarter_result *q, GString *out);
void kh_quarter_table(const kh_quarter_result *q, GString *out);

/* ---- documents: return false and append to diags on failure ------------ */

/* The monthly supervision notice. prev is the previous month's result (for
 * "较上月…"), or NULL in January or when that month is absent. */
bool kh_render_notice_pdf(const kh_month_result *r, const kh_month_result *prev,
                          const kh_doc_meta *meta, const char *path,
                          kh_diags *diags);

bool kh_render_county_xlsx(const kh_month_result *r, const kh_doc_meta *meta,
                           const char *path, kh_diags *diags);
bool kh_render_township_xlsx(const kh_month_result *r, int t,
                             const kh_doc_meta *meta, const char *path,
                             kh_diags *diags);
/* The custom document properties (docProps/custom.xml) a township workbook
 * carries: the township's code and the period "YYYY-MM". `kaohe mail`
 * attaches a workbook only when they name the township and month it mails. */
#define KH_XLSX_TOWNSHIP_PROPERTY "kaohe-township"
#define KH_XLSX_PERIOD_PROPERTY "kaohe-period"
/* File name (no folder) of township t's workbook, e.g.
 * "2013-07_01_城关镇_考评得分.xlsx". Caller frees with g_free(). */
char *kh_township_xlsx_name(const kh_month_result *r, int t);

bool kh_render_quarter_pdf(const kh_quarter_result *q, const kh_doc_meta *meta,
                           const char *path, kh_diags *diags);
bool kh_render_quarter_xlsx(const kh_quarter_result *q, const kh_doc_meta *meta,
                            const char *path, kh_diags *diags);

/* ---- the web console's pages (kaohe serve): HTML appended to out ------- */

/* The dataset: months present and who has not reported, and every
 * diagnostic of loading it (ds NULL when nothing could be read). */
void kh_web_dataset_page(const kh_dataset *ds, const char *dataset_dir, const kh_diags *diags,
                         GString *out);
/* A month: ranking with trends, county figures and laggards, warnings and
 * vetoes (the earlier months of the year are assessed for the trends). */
void kh_web_month_page(const kh_month_result *r, GString *out);
/* Township t month by month over the year. */
void kh_web_township_page(const kh_dataset *ds, int t, GString *out);
/* A quarter: scores, ranks, tiers and vetoes. */
void kh_web_quarter_page(const kh_quarter_result *q, GString *out);
/* A plain page saying what went wrong (status is the HTTP status). */
void kh_web_error_page(int status, const char *message, GString *out);
/* The pages' stylesheet (static text). */
const char *kh_web_stylesheet(void);

#endif
