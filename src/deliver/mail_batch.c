/* A batch of the month's mails (deliver.h): one item per township with an
 * address, its attachment found and checked, its message encoded; then the
 * .eml files written at once, and what became of each item counted. The
 * month's mails (month_mail.c) and the fill-in forms' (`kaohe mail
 * --forms`) share it; sending is mail_send.c. Nothing here prints. */
#include "kaohe/deliver.h"

#include <string.h>

static void item_clear(kh_mail_item *it) {
  g_free(it->attachment_path);
  if (it->attachment)
    g_bytes_unref(it->attachment);
  g_free(it->attachment_sha256);
  if (it->message)
    g_bytes_unref(it->message);
  g_free(it->message_id);
  kh_send_result_clear(&it->res);
  kh_diags_free(it->diags);
}

kh_mail_batch *kh_mail_batch_new(const kh_dataset *ds, const char *outdir, int month,
                                 const char *kind) {
  kh_mail_batch *b = g_new0(kh_mail_batch, 1);
  b->ds = ds;
  b->outdir = g_strdup(outdir);
  b->month = month;
  b->period = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  b->kind = kind;
  b->items = g_array_new(FALSE, TRUE, sizeof(kh_mail_item));
  g_array_set_clear_func(b->items, (GDestroyNotify)item_clear);
  return b;
}

void kh_mail_batch_free(kh_mail_batch *b) {
  if (!b)
    return;
  g_array_unref(b->items);
  g_free(b->outdir);
  g_free(b->period);
  g_free(b);
}

bool kh_mail_find_attachments(kh_mail_batch *b, const kh_attachment_kind *kind,
                              const char *folder, kh_diags *diags) {
  b->no_folder = !g_file_test(folder, G_FILE_TEST_IS_DIR);
  bool ok = true;
  for (int t = 0; t < kh_n_townships(b->ds); t++) {
    const kh_township *tw = kh_township_at(b->ds, t);
    if (!tw->email)
      continue;
    char *name = kind->file_name(kind->source, t);
    kh_mail_item it = {.t = t, .tw = tw, .attachment_path = g_build_filename(folder, name, NULL),
                       .absent = b->no_folder, .diags = kh_diags_new()};
    if (!b->no_folder)
      it.attachment = kind->read(folder, name, tw->code, kind->period, &it.absent, diags);
    if (it.attachment)
      it.attachment_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, it.attachment);
    ok = ok && it.attachment != NULL;
    g_free(name);
    g_array_append_val(b->items, it);
  }
  return ok;
}

bool kh_mail_encode(kh_mail_item *it, const kh_mail_text *text, const char *attachment_name,
                    const char *from, const char *from_name, time_t date, kh_diags *diags) {
  kh_mail mail = {.from = from, .from_name = from_name, .to = it->tw->email,
                  .to_name = it->tw->contact, .subject = text->subject, .text = text->text,
                  .html = text->html, .attachment = it->attachment,
                  .attachment_name = attachment_name, .date = date, .key = it->tw->code};
  it->message = kh_mime_message(&mail, diags);
  it->message_id = it->message ? kh_mime_message_id(&mail) : NULL;
  return it->message != NULL;
}

bool kh_mail_sender(const char *given, const kh_rules *rules, char **name, char **address) {
  const char *from = given ? given : rules->mail_from;
  *name = *address = NULL;
  if (!from || !kh_mail_sender_parse(from, name, address))
    return false;
  if (!*name && rules->issuer)
    *name = g_strdup(rules->issuer); /* a bare address shows the issuer */
  return true;
}

bool kh_mail_batch_write_eml(const kh_mail_batch *b, char **folder, kh_diags *diags) {
  char *target = g_build_filename(b->outdir, KH_EML_FOLDER, NULL);
  kh_outdir *out = kh_outdir_begin(target, diags);
  bool ok = out != NULL;
  for (guint k = 0; ok && k < b->items->len; k++) {
    const kh_mail_item *it = &g_array_index(b->items, kh_mail_item, k);
    char *name = kh_mail_eml_name(it->tw);
    char *path = g_build_filename(kh_outdir_staging(out), name, NULL);
    gsize len = 0;
    const char *data = g_bytes_get_data(it->message, &len);
    GError *err = NULL;
    if (!g_file_set_contents(path, data, (gssize)len, &err)) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法写入邮件文件：%s", err->message);
      g_error_free(err);
      ok = false;
    }
    g_free(path);
    g_free(name);
  }
  ok = ok && kh_outdir_commit(out, diags);
  kh_outdir_free(out);
  if (ok && folder)
    *folder = g_strdup(target);
  g_free(target);
  return ok;
}

/* Whether the log's earlier row that made it skip said uncertain. */
static bool skipped_as_uncertain(const kh_mail_item *it) {
  return g_strcmp0(it->res.reply, kh_send_status_name(KH_SEND_UNCERTAIN)) == 0;
}

kh_mail_outcome kh_mail_item_outcome(const kh_mail_item *it) {
  if (!it->attempted)
    return KH_MAIL_NOT_ATTEMPTED;
  if (!it->recorded)
    return KH_MAIL_UNRECORDED;
  switch (it->res.status) {
  case KH_SEND_SENT:
    return KH_MAIL_SENT;
  case KH_SEND_SKIPPED:
    return skipped_as_uncertain(it) ? KH_MAIL_ALREADY_UNCERTAIN : KH_MAIL_ALREADY_SENT;
  case KH_SEND_UNCERTAIN:
    return KH_MAIL_UNCERTAIN;
  case KH_SEND_TRANSIENT:
  case KH_SEND_PERMANENT:
    break;
  }
  return KH_MAIL_FAILED;
}

void kh_mail_batch_tally(const kh_mail_batch *b, kh_mail_tally *tally) {
  memset(tally, 0, sizeof *tally);
  for (guint k = 0; k < b->items->len; k++) {
    switch (kh_mail_item_outcome(&g_array_index(b->items, kh_mail_item, k))) {
    case KH_MAIL_NOT_ATTEMPTED: tally->not_attempted++; break;
    case KH_MAIL_SENT: tally->sent++; break;
    case KH_MAIL_ALREADY_SENT: tally->already_sent++; break;
    case KH_MAIL_ALREADY_UNCERTAIN:
    case KH_MAIL_UNCERTAIN: tally->uncertain++; break;
    case KH_MAIL_FAILED: tally->failed++; break;
    case KH_MAIL_UNRECORDED: tally->unrecorded++; break;
    }
  }
  int with_address = 0;
  for (int t = 0; t < kh_n_townships(b->ds); t++)
    with_address += kh_township_at(b->ds, t)->email != NULL;
  tally->no_address = kh_n_townships(b->ds) - with_address;
}
