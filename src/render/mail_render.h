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
#ifndef KAOHE_RENDER_MAIL_RENDER_H
#define KAOHE_RENDER_MAIL_RENDER_H

#include <stdbool.h>
#include <jansson.h>
#include "kaohe/render.h"
#include "render/template/template.h"

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

#endif
