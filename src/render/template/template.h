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
#include "kaohe/render.h"
#include "render/doc.h"

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
