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
#include <jansson.h>
#include "kaohe/assess.h"

/* What a document says about itself, fixed by the front-end from its options. */
typedef struct {
  int doc_no;                   /* N of 〔YEAR〕N号 */
  int date_year, date_month, date_day; /* signing and printing date */
  time_t created;               /* recorded creation time: SOURCE_DATE_EPOCH or now */
  const char *template_dir;     /* the dataset's templates/ (may not exist) */
  char **title_out;             /* when not NULL, a PDF renderer stores the
                                   document's title there (caller g_free()s) */
} kh_doc_meta;

/* Fills meta for documents of the dataset: created from SOURCE_DATE_EPOCH
 * or now; the date from date ("YYYY-MM-DD") or else that day in China;
 * the dataset's templates/. Returns false with an error when either is
 * malformed. Free with kh_doc_meta_clear(). */
bool kh_doc_meta_init(kh_doc_meta *meta, const char *dataset_dir, const char *date,
                      kh_diags *diags);
void kh_doc_meta_clear(kh_doc_meta *meta);

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
/* The same for month of year, without a result. */
char *kh_township_xlsx_file(const kh_dataset *ds, int year, int month, int t);

bool kh_render_quarter_pdf(const kh_quarter_result *q, const kh_doc_meta *meta,
                           const char *path, kh_diags *diags);
bool kh_render_quarter_xlsx(const kh_quarter_result *q, const kh_doc_meta *meta,
                            const char *path, kh_diags *diags);

/* ---- the web console's pages (kaohe serve): HTML appended to out ------- */

/* console (borrowed, may be NULL) is what the web console adds to a page:
 * its forms' token, whether an action holds the dataset, the period's
 * documents (docs/reference/console.md); the templates show it as
 * {{#console}}…{{/console}}. */

/* The dataset: months present and who has not reported, and every
 * diagnostic of loading it (ds NULL when nothing could be read). */
void kh_web_dataset_page(const kh_dataset *ds, const char *dataset_dir, const kh_diags *diags,
                         json_t *console, GString *out);
/* A month: ranking with trends, county figures and laggards, warnings and
 * vetoes (the earlier months of the year are assessed for the trends). */
void kh_web_month_page(const kh_month_result *r, json_t *console, GString *out);
/* Township t month by month over the year. */
void kh_web_township_page(const kh_dataset *ds, int t, GString *out);
/* A quarter: scores, ranks, tiers and vetoes. */
void kh_web_quarter_page(const kh_quarter_result *q, json_t *console, GString *out);
/* Any other page of the console: the compiled-in template name
 * (src/render/web/pages/) over ctx (borrowed) inside the common layout,
 * with the navigation of ds's months (ds may be NULL). */
void kh_web_page(const char *name, const char *title, const kh_dataset *ds, json_t *ctx,
                 GString *out);
/* Diagnostics as the pages show them: grouped by file, each file named
 * relative to dir when inside it, each with its line and the offending
 * cell marked ({file, items: [{error, line, col, message, before, cell,
 * after}]}). */
json_t *kh_web_diagnostics(const char *dir, const kh_diags *diags);
/* A plain page saying what went wrong (status is the HTTP status). */
void kh_web_error_page(int status, const char *message, GString *out);
/* The web console's import (web_import.c, docs/reference/console.md): the
 * preview of an upload's plan (load.h kh_import_prepare), nothing written
 * yet: each file accepted or refused, its diagnostics at their cells, the
 * values it changes, the townships still missing; the 确认导入 form, with
 * console's csrf and id, only when console is given and the plan changes
 * something. */
void kh_web_import_preview_page(const kh_dataset *ds, const kh_import_plan *plan, json_t *console,
                                GString *out);
/* After confirmation: the month file written (NULL: nothing changed) and
 * the files moved to 备份/, the files' outcomes, the townships still
 * missing, a link to the month. */
void kh_web_import_result_page(const kh_dataset *ds, const kh_import_plan *plan,
                               const char *written, const GPtrArray *moved, GString *out);
/* The pages' stylesheet (static text). */
const char *kh_web_stylesheet(void);

/* ---- fill-in forms (xlsx_forms.c) ------------------------------------------ */

/* Fill-in forms (docs/reference/forms.md, src/render/xlsx_forms.c): a township's form
 * and the county's collection workbook for a month, on libxlsxwriter. Both
 * need only the dataset's rules and registry; last month's values are
 * taken from the dataset when that month's file was read. Each returns
 * false and appends to diags when the workbook cannot be written (nothing
 * is left at path then). */
/* Township t's form for month (1–12) of the dataset's year. */
bool kh_render_form_xlsx(const kh_dataset *ds, int month, int t, const kh_doc_meta *meta,
                         const char *path, kh_diags *diags);

/* All townships as rows, the fields as columns: a month file as it stands. */
bool kh_render_collection_xlsx(const kh_dataset *ds, int month, const kh_doc_meta *meta,
                               const char *path, kh_diags *diags);

/* "填报表_2013-08_01_城关镇.xlsx" and "汇总表_2013-08.xlsx". Caller frees. */
char *kh_form_xlsx_name(const kh_dataset *ds, int month, int t);
char *kh_collection_xlsx_name(const kh_dataset *ds, int month);

/* ---- the month's template variables (month_context.c) ---------------------- */

/* The variables the monthly notice and the mail templates see: one jansson
 * object built from a kh_month_result, with every number already formatted
 * for people (templates/README.md lists them). */
/* prev may be NULL. Caller frees with json_decref(). */
json_t *kh_month_context(const kh_month_result *r, const kh_month_result *prev,
                         const kh_doc_meta *meta);

/* Adds the variables about township t (its figures, rank, warnings) under
 * "township" to ctx: used by the mail (mail_render.c). */
void kh_month_context_township(json_t *ctx, const kh_month_result *r, int t);

/* ---- numbers and dates for people (format.c) ------------------------------- */

/* Numbers and dates for people, in one place, so the PDF, the workbooks,
 * the mail and the terminal table never disagree. */
/* The most decimals any of these writes; more are taken as this many. */
#define KH_FMT_MAX_DECIMALS 20

/* v as printf's "%.Nf" (N = decimals, 0 to KH_FMT_MAX_DECIMALS) in the C
 * locale, whatever the process's: "125.5", never "125,5". Every number
 * kaohe writes goes through it (docs/decisions.md, Installing). Caller frees with g_free(). */
char *kh_fmt_decimal(double v, int decimals);

/* An already rounded number in its shortest form at most `decimals`
 * places: 84.71, 107, 0.86, 125.5. Caller frees with g_free(). */
char *kh_fmt_number(double v, int decimals);

/* Exactly `decimals` places, for table columns that line up: "90.00". */
char *kh_fmt_fixed(double v, int decimals);

/* The number followed by the unit: "84.71%", "125.5". */
char *kh_fmt_value(double v, int decimals, const char *unit);

/* A difference in words' units: "10.29个百分点" when unit is "%",
 * else the number followed by the unit ("18.5"). */
char *kh_fmt_gap(double gap, int decimals, const char *unit);

/* "2013年9月5日": Arabic digits without leading zeros (GB/T 9704). */
char *kh_fmt_date(int year, int month, int day);

/* The document number: "某人口〔2013〕7号". */
char *kh_fmt_docno(const char *prefix, int year, int n);

/* ---- the shipped templates (compiled in) ----------------------------------- */

/* The templates/ files compiled into the program (cmake/embed_templates.cmake). */
/* The text of shipped template NAME (e.g. "notice.md"), or NULL. */
const char *kh_shipped_template(const char *name);

/* ---- templates: the shipped ones or the dataset's overrides (template.c) ---- */

typedef struct {
  char *name;        /* "notice.md" */
  char *path;        /* the dataset's file, or "templates/NAME" (shipped) */
  char *text;        /* UTF-8, without a BOM */
  bool from_dataset; /* true: the dataset's templates/ overrides the shipped one */
} kh_template;

/* Loads template NAME (a file name such as "notice.md") from
 * dataset_template_dir (may be NULL or not exist) when that folder holds it,
 * else the shipped one. A dataset's file is read with kh_read_text_file()
 * (UTF-8, BOM allowed, else GB18030) and may not exceed
 * KH_MUSTACHE_MAX_TEMPLATE_BYTES. Returns
 * NULL after appending an error to diags when the dataset's file cannot be
 * used or no template of that name exists. Caller frees with
 * kh_template_free(). */
kh_template *kh_template_load(const char *name,
                              const char *dataset_template_dir,
                              kh_diags *diags);
void kh_template_free(kh_template *t); /* NULL-safe */

/* ---- the mail's text (mail_render.c) --------------------------------------- */

/* One township's email text from templates/mail.md (docs/reference/outputs.md, §6):
 * the subject, the plain-text body and the HTML body that deliver.h's
 * kh_mime_message() wraps with the township's workbook.
 *
 * mail.md's first line is the subject, `Subject: …`, with the same tags as
 * the rest; the lines after it are the body, Markdown. The HTML part is
 * md4c's rendering of that Markdown in a small UTF-8 document; the plain
 * part is the same text without the markup. templates/README.md lists the
 * variables: those of the month (month_context.h), `township` and
 * `attachment`. */
#define KH_MAIL_TEMPLATE "mail.md"
/* `kaohe mail --forms`: the mail that carries a township its fill-in form */
#define KH_FORMS_MAIL_TEMPLATE "forms_mail.md"

typedef struct {
  char *subject; /* one line of plain text */
  char *text;    /* the plain-text body, \n line ends */
  char *html;    /* a whole HTML document, UTF-8 */
} kh_mail_text;

/* Frees the strings and zeroes m. */
void kh_mail_text_clear(kh_mail_text *m);

/* Renders township t's mail from tpl over ctx, the month's variables from
 * kh_month_context(); sets ctx's `township` (kh_month_context_township())
 * and `attachment` (attachment_name, the workbook's file name) first,
 * replacing an earlier township's, so one ctx serves every township in
 * turn (not from two threads at once). On success fills *out (caller
 * clears it with kh_mail_text_clear()); otherwise appends errors located
 * in the template to diags and leaves *out zeroed. */
bool kh_render_mail(const kh_template *tpl, json_t *ctx,
                    const kh_month_result *r, int t,
                    const char *attachment_name, kh_mail_text *out,
                    kh_diags *diags);

/* The mail from tpl over ctx as it stands (the subject line, then the
 * body), for mails whose variables are not a month's: as kh_render_mail()
 * otherwise. */
bool kh_render_mail_text(const kh_template *tpl, json_t *ctx, kh_mail_text *out,
                         kh_diags *diags);

/* File name (no folder) of the township's .eml: "<code>_<name>.eml", with
 * characters a file name cannot hold replaced by '_'. Caller frees with
 * g_free(). */
char *kh_mail_eml_name(const kh_township *tw);

/* ---- fonts ---------------------------------------------------------------- */

/* Looks up the faces rules.ini's [fonts] entries name, so that a wrong path
 * or family shows at `check` before a notice is due; its problems are
 * appended as warnings (month and quarter refuse on them). */
void kh_check_fonts(const kh_dataset *ds, kh_diags *diags);

#endif
