/* The month's mails (deliver.h, docs/reference/outputs.md): each township
 * with an address gets the workbook `kaohe month` wrote for it into
 * OUTDIR/乡镇/, with a text from templates/mail.md. Everything is prepared
 * before anything is written or sent; and what the delivery log says of
 * each township's mail, for the console's page. */
#include "kaohe/deliver.h"

static char *workbook_name(const void *result, int t) {
  return kh_township_xlsx_name(result, t);
}

bool kh_month_mail_compose(kh_mail_batch *b, const kh_month_result *r,
                           const kh_month_result *prev, const kh_doc_meta *meta,
                           const char *from, const char *from_name, kh_diags *diags) {
  kh_template *tpl = kh_template_load(KH_MAIL_TEMPLATE, meta->template_dir, diags);
  if (!tpl)
    return false;
  json_t *ctx = kh_month_context(r, prev, meta);
  bool ok = true;
  for (guint k = 0; k < b->items->len; k++) {
    kh_mail_item *it = &g_array_index(b->items, kh_mail_item, k);
    char *attachment = g_path_get_basename(it->attachment_path);
    kh_mail_text text;
    bool rendered = kh_render_mail(tpl, ctx, r, it->t, attachment, &text, diags);
    if (rendered)
      ok = kh_mail_encode(it, &text, attachment, from, from_name, meta->created, diags) && ok;
    kh_mail_text_clear(&text);
    g_free(attachment);
    if (!rendered) { /* a template error would repeat for every township */
      ok = false;
      break;
    }
  }
  json_decref(ctx);
  kh_template_free(tpl);
  return ok;
}

bool kh_month_mail_prepare(kh_mail_batch *b, const kh_doc_meta *meta, const char *from,
                           const char *from_name, kh_diags *diags) {
  const kh_dataset *ds = b->ds;
  int month = b->month;
  kh_month_result *r = kh_assess_month(ds, month), *prev = NULL;
  if (month > 1 && ds->months[month - 2].present)
    prev = kh_assess_month(ds, month - 1);
  char *folder = g_build_filename(b->outdir, KH_TOWNSHIP_FOLDER, NULL);
  kh_attachment_kind kind = {.period = b->period, .file_name = workbook_name, .source = r,
                             .read = kh_mail_workbook_read};
  bool ok = kh_mail_find_attachments(b, &kind, folder, diags) &&
            kh_month_mail_compose(b, r, prev, meta, from, from_name, diags);
  g_free(folder);
  kh_month_result_free(prev);
  kh_month_result_free(r);
  return ok;
}

/* The sha256 of the file at path, NULL when it cannot be read. */
static char *file_sha256(const char *path) {
  char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, &data, &len, NULL))
    return NULL;
  char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
  g_free(data);
  return sum;
}

static kh_mail_state state_of(kh_send_status status) {
  switch (status) {
  case KH_SEND_SENT:
  case KH_SEND_SKIPPED:
    return KH_MAIL_STATE_SENT;
  case KH_SEND_UNCERTAIN:
    return KH_MAIL_STATE_UNCERTAIN;
  case KH_SEND_TRANSIENT:
  case KH_SEND_PERMANENT:
    break;
  }
  return KH_MAIL_STATE_FAILED;
}

bool kh_month_mail_states(const kh_month_result *r, const char *outdir, kh_mail_state *states,
                          kh_diags *diags) {
  const kh_dataset *ds = r->ds;
  char *log_path = g_build_filename(outdir, KH_MAIL_LOG_NAME, NULL);
  kh_mail_log *log = kh_mail_log_read(log_path, diags);
  g_free(log_path);
  if (!log)
    return false;
  char *period = g_strdup_printf("%04d-%02d", ds->rules.year, r->month);
  char *folder = g_build_filename(outdir, KH_TOWNSHIP_FOLDER, NULL);
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const kh_township *tw = kh_township_at(ds, t);
    char *name = kh_township_xlsx_name(r, t);
    char *path = g_build_filename(folder, name, NULL);
    /* The digest the delivery key holds is the workbook's whole file. */
    char *sha256 = tw->email ? file_sha256(path) : NULL;
    kh_delivery_key key = {.dataset = ds->rules.county ? ds->rules.county : "",
                           .period = period, .kind = KH_MAIL_KIND_MONTH, .township = tw->code,
                           .rcpt = tw->email, .attachment_sha256 = sha256};
    kh_send_status status;
    if (!tw->email)
      states[t] = KH_MAIL_STATE_NO_ADDRESS;
    else if (!sha256)
      states[t] = KH_MAIL_STATE_NO_WORKBOOK;
    else if (kh_mail_log_latest(log, &key, &status))
      states[t] = state_of(status);
    else
      states[t] = KH_MAIL_STATE_NOT_SENT;
    g_free(sha256);
    g_free(path);
    g_free(name);
  }
  g_free(folder);
  g_free(period);
  kh_mail_log_free(log);
  return true;
}
