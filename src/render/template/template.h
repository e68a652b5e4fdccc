/* Templates as the documents use them (templates/README.md): find the template (the
 * dataset's templates/NAME, else the shipped one), expand its mustache tags
 * with Markdown escaping, and turn the Markdown into document blocks, or
 * into a mail's plain-text and HTML parts.
 *
 * Errors anywhere, including in the Markdown the tags produced, are
 * reported at the template file's line and column. Reentrant: documents may
 * render in parallel threads. templates/README.md is the authors' guide. */
#ifndef KAOHE_RENDER_TEMPLATE_TEMPLATE_H
#define KAOHE_RENDER_TEMPLATE_TEMPLATE_H

#include <stdbool.h>
#include <glib.h>
#include <jansson.h>
#include "kaohe/diag.h"
#include "render/doc.h"

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

/* Expands text (the template read from path, which names it in
 * diagnostics) against context with Markdown escaping, and appends the
 * blocks of the result to doc->blocks. Partials {{> name}} (each alone on
 * its line) become KH_BLOCK_PARTIAL blocks for the document's renderer to
 * fill; any name made of letters, digits, '_' and '-' is accepted here.
 * Returns false after appending errors to diags; doc->blocks is then left
 * as it was. Borrows context; reads it only. */
bool kh_template_render_doc(const char *text, const char *path,
                            json_t *context, kh_doc *doc, kh_diags *diags);

/* Expands text against context with Markdown escaping (no partials), then
 * appends the result to plain as plain text and to html as md4c's HTML
 * (the content of <body>). Returns false after appending errors to diags;
 * plain and html are then left as they were. */
bool kh_template_render_mail(const char *text, const char *path,
                             json_t *context, GString *plain, GString *html,
                             kh_diags *diags);

#endif
