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
