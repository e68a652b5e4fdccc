/* One township's email text (mail_render.h): the template's `Subject:` line
 * and its body, each expanded and turned from Markdown into text (and the
 * body into HTML) by the template engine.
 *
 * The two parts are rendered separately so that the subject comes out as
 * plain text (escapes undone, no markup) and never shows in the body. Each
 * is handed over with the template's own line numbering (the body keeps an
 * empty first line), so errors point at the right line of mail.md. */

#include <string.h>
#include "kaohe/render.h"
#include "render/template/template.h"
#include "render/xlsx_common.h"

#define SUBJECT_PREFIX "Subject:"

/* Look of the HTML part; mail clients keep styles in <head> or drop them,
 * and the mail reads well either way. */
static const char HTML_STYLE[] =
    "body{font-family:\"Microsoft YaHei\",\"PingFang SC\",\"Noto Sans CJK SC\",sans-serif;"
    "font-size:15px;line-height:1.7}"
    "table{border-collapse:collapse}th,td{border:1px solid #999;padding:2px 8px}";

void kh_mail_text_clear(kh_mail_text *m) {
  g_free(m->subject);
  g_free(m->text);
  g_free(m->html);
  memset(m, 0, sizeof *m);
}

/* The subject from the rendered plain text of the `Subject:` line: after
 * the prefix, trimmed, on one line. NULL when nothing is left. */
static char *subject_from(const char *plain) {
  char *s = g_strdup(plain + strlen(SUBJECT_PREFIX));
  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  g_strstrip(s);
  if (!*s) {
    g_free(s);
    return NULL;
  }
  return s;
}

static char *html_document(const char *subject, const char *body) {
  char *title = g_markup_escape_text(subject, -1);
  char *doc = g_strdup_printf("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                              "<meta charset=\"UTF-8\">\n<title>%s</title>\n"
                              "<style>%s</style>\n</head>\n<body>\n%s</body>\n</html>\n",
                              title, HTML_STYLE, body);
  g_free(title);
  return doc;
}

bool kh_render_mail(const kh_template *tpl, json_t *ctx,
                    const kh_month_result *r, int t,
                    const char *attachment_name, kh_mail_text *out,
                    kh_diags *diags) {
  kh_month_context_township(ctx, r, t);
  json_object_set_new(ctx, "attachment", json_string(attachment_name));
  return kh_render_mail_text(tpl, ctx, out, diags);
}

bool kh_render_mail_text(const kh_template *tpl, json_t *ctx, kh_mail_text *out,
                         kh_diags *diags) {
  memset(out, 0, sizeof *out);

  const char *nl = strchr(tpl->text, '\n');
  gsize first_len = nl ? (gsize)(nl - tpl->text) : strlen(tpl->text);
  char *first = g_strndup(tpl->text, first_len);
  g_strchomp(first); /* a \r of a CRLF file */
  if (!g_str_has_prefix(first, SUBJECT_PREFIX)) {
    kh_diags_add(diags, KH_ERROR, tpl->path, 1, 1, first,
                 "邮件模板的第一行应为邮件主题，写作“Subject: 主题”");
    g_free(first);
    return false;
  }
  GString *plain = g_string_new(NULL), *html = g_string_new(NULL);
  bool ok = kh_template_render_mail(first, tpl->path, ctx, plain, html, diags);
  char *subject = ok ? subject_from(plain->str) : NULL;
  if (ok && !subject) {
    kh_diags_add(diags, KH_ERROR, tpl->path, 1, 1, first,
                 "邮件主题为空（Subject: 之后没有文字）");
    ok = false;
  }
  g_free(first);

  char *body = g_strconcat("\n", nl ? nl + 1 : "", NULL);
  g_string_truncate(plain, 0);
  g_string_truncate(html, 0);
  ok = ok && kh_template_render_mail(body, tpl->path, ctx, plain, html, diags);
  g_free(body);
  if (ok) {
    while (plain->len && plain->str[plain->len - 1] == '\n')
      g_string_truncate(plain, plain->len - 1);
    g_string_append_c(plain, '\n');
    out->subject = subject;
    out->text = g_string_free(plain, FALSE);
    out->html = html_document(subject, html->str);
    g_string_free(html, TRUE);
    return true;
  }
  g_free(subject);
  g_string_free(plain, TRUE);
  g_string_free(html, TRUE);
  return false;
}

char *kh_mail_eml_name(const kh_township *tw) {
  char *stem = kh_township_file_stem(tw);
  char *file = g_strdup_printf("%s.eml", stem);
  g_free(stem);
  return file;
}
