/* What the month's mails and the forms' mails share (mail_outgoing.h):
 * finding each township's attachment — the month's workbook or the fill-in
 * form, read and checked to be that township's — and encoding a message. */
#include "cli/mail_outgoing.h"

#include <stdio.h>

bool kh_mail_find_attachments(const kh_dataset *ds, const kh_attachment_kind *kind,
                              const char *folder, GArray *items, kh_diags *diags) {
  bool no_folder = !g_file_test(folder, G_FILE_TEST_IS_DIR);
  int missing = 0, wrong = 0;
  if (no_folder)
    fprintf(stderr, "kaohe mail: 找不到%s目录 %s\n", kind->what, folder);
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const kh_township *tw = kh_township_at(ds, t);
    if (!tw->email)
      continue;
    char *name = kind->file_name(kind->source, t);
    outgoing o = {.t = t, .tw = tw, .workbook = g_build_filename(folder, name, NULL),
                  .diags = kh_diags_new()};
    bool absent = no_folder;
    if (!no_folder)
      o.attachment = kind->read(folder, name, tw->code, kind->period, &absent, diags);
    if (o.attachment)
      o.attachment_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, o.attachment);
    g_free(name);
    if (absent && !no_folder && missing == 0)
      fprintf(stderr, "kaohe mail: 找不到以下乡镇的%s：\n", kind->what);
    if (absent && !no_folder)
      fprintf(stderr, "  %s\n", o.workbook);
    missing += absent;
    wrong += !absent && !o.attachment;
    g_array_append_val(items, o);
  }
  if (missing || wrong)
    fprintf(stderr, "先生成%s: %s\n", kind->what, kind->remedy);
  return missing == 0 && wrong == 0;
}

bool kh_mail_encode(outgoing *o, const kh_mail_text *text, const char *attachment,
                    const char *from, const char *from_name, time_t date, kh_diags *diags) {
  kh_mail mail = {.from = from, .from_name = from_name, .to = o->tw->email,
                  .to_name = o->tw->contact, .subject = text->subject, .text = text->text,
                  .html = text->html, .attachment = o->attachment, .attachment_name = attachment,
                  .date = date, .key = o->tw->code};
  o->message = kh_mime_message(&mail, diags);
  o->message_id = o->message ? kh_mime_message_id(&mail) : NULL;
  return o->message != NULL;
}
