/* One township's mail in `kaohe mail`, shared by the month's mails
 * (cmd_mail.c) and the fill-in forms' (mail_forms.c): prepared first, then
 * written as .eml or sent by cmd_mail.c's delivery. */
#ifndef KAOHE_CLI_MAIL_OUTGOING_H
#define KAOHE_CLI_MAIL_OUTGOING_H

#include "kaohe/deliver.h"
#include "kaohe/render.h"

typedef struct {
  int t;
  const kh_township *tw; /* borrowed from the dataset */
  char *workbook;        /* path of the attachment */
  GBytes *attachment;    /* its bytes, checked to be this township's */
  char *attachment_sha256;
  GBytes *message;
  char *message_id;
  bool attempted;        /* false: sending stopped before its turn */
  bool recorded;         /* the outcome reached the delivery log */
  kh_send_result res;
  kh_diags *diags;       /* what its delivery reported */
} outgoing;

/* Encodes o's message from its rendered text (attachment: the file name
 * shown), setting o->message and o->message_id. Returns false with diags
 * when it cannot be encoded (a bad address, invalid text). */
bool kh_mail_encode(outgoing *o, const kh_mail_text *text, const char *attachment,
                    const char *from, const char *from_name, time_t date, kh_diags *diags);

/* What a kind of mail attaches, for kh_mail_find_attachments(). */
typedef struct {
  const char *what;   /* what people call it: 考评表, 填报表 */
  const char *period; /* YYYY-MM, checked inside each file */
  /* the attachment's file name for township t (caller frees) */
  char *(*file_name)(const void *source, int t);
  const void *source; /* handed to file_name */
  /* reads it, checked to be the township's and the period's (deliver.h) */
  GBytes *(*read)(const char *folder, const char *name, const char *code, const char *period,
                  bool *absent, kh_diags *diags);
  const char *remedy; /* the command that makes them, shown when some are missing */
} kh_attachment_kind;

/* The townships of ds that have an address, each with its attachment from
 * folder, read and checked, appended to items. Says which are missing or
 * not the township's, and what to run, and returns false then. */
bool kh_mail_find_attachments(const kh_dataset *ds, const kh_attachment_kind *kind,
                              const char *folder, GArray *items, kh_diags *diags);

/* The townships of ds that have an address, each with its form
 * `填报表_YYYY-MM_<stem>.xlsx` from folder (what `kaohe forms` wrote), read
 * and checked to be its own (kh_mail_form_read), appended to items. Says
 * which are missing or wrong and returns false then. */
bool kh_mail_forms_find(const kh_dataset *ds, int month, const char *folder,
                        const char *dataset_arg, GArray *items, kh_diags *diags);

/* Renders (templates/forms_mail.md) and encodes every form's mail. */
bool kh_mail_forms_compose(const kh_dataset *ds, int month, const kh_doc_meta *meta,
                           const char *from, const char *from_name, GArray *items,
                           kh_diags *diags);

#endif
