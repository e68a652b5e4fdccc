/* One township's email as an RFC 5322 message (deliver.h, docs/reference/outputs.md).
 *
 * Shape: multipart/mixed [ multipart/alternative [ text/plain, text/html ],
 * the workbook ]; without html the text part stands alone, without an
 * attachment there is no mixed layer. Bodies are base64 of UTF-8 with CRLF
 * lines, which survives every relay and keeps Chinese text readable; the
 * Subject and display names are RFC 2047 encoded-words and the file name
 * is given twice, RFC 2231 (filename*=UTF-8''...) for current clients and
 * a plain-ASCII name in filename= and name= for old ones (an encoded-word
 * there, =?UTF-8?B?…?=, can hold a '/' of base64, and munpack and some
 * webmail then save the file into a folder they invent). Nothing
 * depends on the clock or randomness except the given date, so the same
 * mail gives the same bytes; boundaries and the Message-ID come from a
 * hash of the content. */
#include "kaohe/deliver.h"
#include "kaohe/load.h"

#include <string.h>
#include "deliver/mime_encode.h"

/* A copy of s with line breaks and other control characters as spaces: a
 * header holds one line. */
static char *one_line(const char *s) {
  char *copy = g_strdup(s);
  for (char *p = copy; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      *p = ' ';
  return copy;
}

static void hash_field(GChecksum *sum, const void *data, gsize len) {
  char prefix[32];
  g_snprintf(prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", len);
  g_checksum_update(sum, (const guchar *)prefix, strlen(prefix));
  if (len)
    g_checksum_update(sum, data, len);
}

static void hash_string(GChecksum *sum, const char *s) {
  hash_field(sum, s ? s : "", s ? strlen(s) : 0);
}

/* The content hash behind the Message-ID and the boundaries. attachment
 * holds the attachment's bytes (or NULL). */
static char *content_hash(const kh_mail *mail, GBytes *attachment) {
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  const char *fields[] = {mail->key, mail->from, mail->from_name, mail->to,
                          mail->to_name, mail->subject, mail->text, mail->html,
                          mail->attachment_name, mail->attachment_type};
  for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
    hash_string(sum, fields[i]);
  gsize len = 0;
  const void *data = attachment ? g_bytes_get_data(attachment, &len) : NULL;
  hash_field(sum, data, len);
  char *hex = g_strdup(g_checksum_get_string(sum));
  g_checksum_free(sum);
  return hex;
}

/* The attachment's bytes: given, read from its path, or NULL for none. */
static GBytes *attachment_bytes(const kh_mail *mail, GError **err) {
  if (mail->attachment)
    return g_bytes_ref(mail->attachment);
  if (!mail->attachment_path)
    return NULL;
  char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents(mail->attachment_path, &data, &len, err))
    return NULL;
  return g_bytes_new_take(data, len);
}

static char *attachment_name(const kh_mail *mail) {
  if (mail->attachment_name)
    return g_strdup(mail->attachment_name);
  return mail->attachment_path ? g_path_get_basename(mail->attachment_path) : NULL;
}

static char *id_from_hash(const char *hash, const char *from) {
  const char *at = from ? strrchr(from, '@') : NULL;
  return g_strdup_printf("kaohe-%.32s@%s", hash, at && at[1] ? at + 1 : "kaohe.invalid");
}

char *kh_mime_message_id(const kh_mail *mail) {
  GError *err = NULL;
  GBytes *attachment = attachment_bytes(mail, &err);
  g_clear_error(&err); /* an unreadable attachment: kh_mime_message says so */
  char *name = attachment_name(mail);
  kh_mail named = *mail;
  named.attachment_name = name;
  char *hash = content_hash(&named, attachment);
  char *id = id_from_hash(hash, mail->from);
  g_free(hash);
  g_free(name);
  if (attachment)
    g_bytes_unref(attachment);
  return id;
}

/* "Header: Display Name <addr>" with the name as encoded-words. */
static void append_mailbox(GString *out, const char *header, const char *name,
                           const char *addr) {
  g_string_append_printf(out, "%s: ", header);
  int col = (int)strlen(header) + 2;
  if (name && *name) {
    char *line = one_line(name);
    col = kh_mime_append_words(out, line, col, 0);
    g_free(line);
    if (col + 3 + (int)strlen(addr) > KH_MIME_LINE)
      g_string_append(out, "\r\n");
    g_string_append_c(out, ' ');
  }
  g_string_append_printf(out, name && *name ? "<%s>\r\n" : "%s\r\n", addr);
}

static void append_text_part(GString *out, const char *subtype, const char *text) {
  g_string_append_printf(out,
                         "Content-Type: text/%s; charset=UTF-8\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\n",
                         subtype);
  char *crlf = kh_mime_crlf(text);
  kh_mime_append_base64(out, crlf, strlen(crlf));
  g_free(crlf);
}

/* The readable part: text alone, or text and HTML as alternatives. */
static void append_body(GString *out, const kh_mail *mail, const char *hash) {
  if (!mail->html) {
    append_text_part(out, "plain", mail->text);
    return;
  }
  char *boundary = g_strdup_printf("=_kaohe_alt_%.24s", hash);
  g_string_append_printf(out,
                         "Content-Type: multipart/alternative;\r\n"
                         " boundary=\"%s\"\r\n\r\n",
                         boundary);
  g_string_append_printf(out, "--%s\r\n", boundary);
  append_text_part(out, "plain", mail->text);
  g_string_append_printf(out, "--%s\r\n", boundary);
  append_text_part(out, "html", mail->html);
  g_string_append_printf(out, "--%s--\r\n", boundary);
  g_free(boundary);
}

/* The file name for clients that know no RFC 2231: its ASCII letters,
 * digits, '-', '_' and '.' (2013-07_01_城关镇_考评得分.xlsx gives
 * 2013-07_01.xlsx), "attachment" when none of its stem is left. */
static char *ascii_file_name(const char *name) {
  const char *dot = strrchr(name, '.');
  GString *stem = g_string_new(NULL);
  for (const char *p = name; *p && p != dot; p++) {
    bool keep = g_ascii_isalnum(*p) || *p == '-' || *p == '_';
    if (keep && !(*p == '_' && (stem->len == 0 || stem->str[stem->len - 1] == '_')))
      g_string_append_c(stem, *p);
  }
  while (stem->len > 0 && stem->str[stem->len - 1] == '_')
    g_string_truncate(stem, stem->len - 1);
  if (stem->len == 0)
    g_string_assign(stem, "attachment");
  for (const char *p = dot; p && *p; p++)
    if (g_ascii_isalnum(*p) || *p == '.')
      g_string_append_c(stem, *p);
  return g_string_free(stem, FALSE);
}

static void append_attachment(GString *out, const char *type, const char *name,
                              GBytes *data) {
  char *line = one_line(name);
  char *ascii = ascii_file_name(line);
  g_string_append_printf(out, "Content-Type: %s;\r\n name=\"%s\"\r\n", type, ascii);
  g_string_append(out, "Content-Disposition: attachment");
  kh_mime_append_rfc2231(out, "filename", line);
  g_string_append_printf(out, ";\r\n filename=\"%s\"\r\n", ascii);
  g_string_append(out, "Content-Transfer-Encoding: base64\r\n\r\n");
  g_free(ascii);
  gsize len = 0;
  const void *bytes = g_bytes_get_data(data, &len);
  kh_mime_append_base64(out, bytes, len);
  g_free(line);
}

/* What would make the message wrong; NULL when there is nothing. */
static const char *problem(const kh_mail *mail, const char *name, GBytes *attachment) {
  if (!kh_email_address_ok(mail->from))
    return "发件人地址无效";
  if (!kh_email_address_ok(mail->to))
    return "收件人地址无效";
  if (!mail->subject || !mail->text)
    return "缺少主题或正文";
  const char *texts[] = {mail->from_name, mail->to_name, mail->subject,
                         mail->text, mail->html, name};
  for (size_t i = 0; i < G_N_ELEMENTS(texts); i++)
    if (texts[i] && !g_utf8_validate(texts[i], -1, NULL))
      return "含有无效的 UTF-8 文字";
  if (attachment && (!name || !*name))
    return "附件缺少文件名";
  return NULL;
}

GBytes *kh_mime_message(const kh_mail *mail, kh_diags *diags) {
  GError *err = NULL;
  GBytes *attachment = attachment_bytes(mail, &err);
  if (err) {
    kh_diags_add(diags, KH_ERROR, mail->attachment_path, 0, 0, NULL,
                 "无法读取邮件附件：%s", err->message);
    g_error_free(err);
    return NULL;
  }
  char *name = attachment_name(mail);
  const char *bad = problem(mail, name, attachment);
  if (bad) {
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL, "乡镇 %s 的邮件无法生成：%s（收件人：%s）",
                 mail->key ? mail->key : "", bad, mail->to ? mail->to : "");
    g_free(name);
    if (attachment)
      g_bytes_unref(attachment);
    return NULL;
  }
  kh_mail named = *mail;
  named.attachment_name = name;
  char *hash = content_hash(&named, attachment);
  char *id = id_from_hash(hash, mail->from);
  char *date = kh_mime_date(mail->date);
  char *subject = one_line(mail->subject);

  GString *out = g_string_new(NULL);
  append_mailbox(out, "From", mail->from_name, mail->from);
  append_mailbox(out, "To", mail->to_name, mail->to);
  g_string_append(out, "Subject: ");
  kh_mime_append_words(out, subject, 9, 0);
  g_string_append_printf(out, "\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
                         date, id);
  if (attachment) {
    char *boundary = g_strdup_printf("=_kaohe_mixed_%.24s", hash);
    g_string_append_printf(out,
                           "Content-Type: multipart/mixed;\r\n"
                           " boundary=\"%s\"\r\n\r\n",
                           boundary);
    g_string_append_printf(out, "--%s\r\n", boundary);
    append_body(out, mail, hash);
    g_string_append_printf(out, "--%s\r\n", boundary);
    append_attachment(out, mail->attachment_type ? mail->attachment_type : KH_MIME_XLSX,
                      name, attachment);
    g_string_append_printf(out, "--%s--\r\n", boundary);
    g_free(boundary);
    g_bytes_unref(attachment);
  } else {
    append_body(out, mail, hash);
  }
  g_free(subject);
  g_free(date);
  g_free(id);
  g_free(hash);
  g_free(name);
  return g_string_free_to_bytes(out);
}

bool kh_mime_write_eml(const kh_mail *mail, const char *path, kh_diags *diags) {
  GBytes *message = kh_mime_message(mail, diags);
  if (!message)
    return false;
  gsize len = 0;
  const char *data = g_bytes_get_data(message, &len);
  GError *err = NULL;
  bool ok = g_file_set_contents_full(path, data, (gssize)len,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0666, &err);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, path, 0, 0, NULL, "无法写入邮件文件：%s", err->message);
    g_error_free(err);
  }
  g_bytes_unref(message);
  return ok;
}
