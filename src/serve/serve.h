/* kaohe serve: the web console, a front-end beside the command line (the
 * pages come from render.h's kh_web_*; requests become the same calls the
 * commands make). Only this front-end and src/cli talk to people. */
#ifndef KAOHE_SERVE_H
#define KAOHE_SERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <jansson.h>
#include "kaohe/kaohe.h"

typedef struct {
  const char *dataset; /* the dataset folder */
  const char *listen;  /* NULL: 127.0.0.1 only, Host checked; else this
                          address, and the printed token is required */
  int port;            /* 0: any free port */
} kh_serve_options;

/* Serves until SIGINT or SIGTERM, printing where on stderr. Returns the
 * exit status (1 when the server cannot start, with the reason printed). */
int kh_serve_run(const kh_serve_options *opts);

/* ---- internal to src/serve ------------------------------------------------ */

/* What one request may bring (docs/reference/console.md): a larger body,
 * more parts or a longer field is refused whole, before any handler runs. */
#define KH_SERVE_MAX_BODY (32u << 20)  /* bytes of a POST body */
#define KH_SERVE_MAX_PARTS 64          /* fields and files of one form */
#define KH_SERVE_MAX_FIELD (64u << 10) /* bytes of one field that is not a file */

/* One uploaded file, saved under the request's private folder. */
typedef struct {
  char *field;    /* the form field it came in */
  char *filename; /* the name the browser gave, folders stripped, valid UTF-8 */
  char *path;     /* the saved copy: a name of ours, the upload's extension kept */
  gsize size;
} kh_serve_upload;

/* A POST's decoded fields and files (form.c). */
typedef struct {
  GHashTable *fields;  /* field name -> value (UTF-8 made valid); last one wins */
  GPtrArray *uploads;  /* kh_serve_upload*, in order */
  char *upload_dir;    /* where uploads are saved; created on the first, removed
                          with the form; under state_dir */
  const char *state_dir;
  int parts;
  guint64 bytes;
  /* while a part arrives in pieces */
  char *open_key;
  GString *open_value;
  FILE *open_file;
  kh_serve_upload *open_upload;
  /* set once the form broke a limit or could not be saved: the request is
     answered with it, and nothing more is kept */
  unsigned error_status;
  char *error;
} kh_serve_form;

void kh_serve_form_init(kh_serve_form *form, const char *state_dir);
/* One piece of a part as libmicrohttpd's post processor hands it over
 * (filename non-NULL for a file; off is the piece's offset in the part).
 * Returns false once the form is refused (form->error says why). */
bool kh_serve_form_feed(kh_serve_form *form, const char *key, const char *filename,
                        const char *data, uint64_t off, size_t size);
/* Ends the last part; false when the form is refused. */
bool kh_serve_form_finish(kh_serve_form *form);
/* A field's value, or NULL. */
const char *kh_serve_form_field(const kh_serve_form *form, const char *name);
/* Frees the form and removes its uploads' folder. */
void kh_serve_form_clear(kh_serve_form *form);

/* What a handler knows of the request and the server. */
typedef struct {
  const char *dataset;   /* the dataset folder, as given to kaohe serve */
  const char *csrf;      /* the session's token, for the forms of the answer */
  const char *state_dir; /* the server's private folder, removed at stop */
} kh_serve_ctx;

/* One answer: an HTTP status, a type and a body (owned); or a redirect
 * (location); or a file (file: its path, sent with filename). */
typedef struct {
  unsigned status;
  const char *type; /* static */
  GString *body;
  char *location;   /* owned; a 303 to it when set */
  char *file;       /* owned; the document to send */
  char *filename;   /* owned; the name the browser saves it under */
  bool inline_file; /* shown in the browser (the notice's preview) */
} kh_serve_reply;

void kh_serve_reply_clear(kh_serve_reply *reply);

/* The answer to GET path (already percent-decoded) for the dataset. */
void kh_serve_page(const kh_serve_ctx *ctx, const char *path, kh_serve_reply *reply);

/* The answer to a POST of form to path: checks the form's token, takes
 * the dataset's action lock where the action needs it (409 忙 when taken)
 * and runs the action (actions.c). */
void kh_serve_post(const kh_serve_ctx *ctx, const char *path, const kh_serve_form *form,
                   kh_serve_reply *reply);

/* Shared by pages and actions. */
void kh_serve_error(kh_serve_reply *reply, unsigned status, const char *message);
/* The dataset, or NULL after answering with what stops its pages. */
kh_dataset *kh_serve_load(const char *dataset, kh_serve_reply *reply);
/* The console's part of a page (render.h kh_web_*: `console`): the
 * session's token and whether an action holds the dataset now. */
json_t *kh_serve_console(const kh_serve_ctx *ctx);

/* The session's form token: an HMAC of the session id under the server's
 * secret (session.c), 32 hex digits. */
void kh_serve_session_new(char id[33]);
void kh_serve_csrf(const char *session, char token[33]);
bool kh_serve_secret_init(void);
/* Compares without leaking where they differ. */
bool kh_serve_same_secret(const char *given, const char *expected);

/* ---- the actions (one file each) ---------------------------------------- */

typedef void (*kh_serve_action)(const kh_serve_ctx *ctx, const char *arg,
                                const kh_serve_form *form, kh_serve_reply *reply);

/* POST /month/YYYY-MM/make and /quarter/YYYYQn/make: the month's
 * documents and the quarter's archive (action_make.c). */
void kh_serve_make_month(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                         kh_serve_reply *reply);
void kh_serve_make_quarter(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                           kh_serve_reply *reply);

/* POST /month/YYYY-MM/mail/eml and /month/YYYY-MM/mail/send: the month's
 * mail as `kaohe mail --eml` and `--smtp` (action_mail.c); and the 邮件
 * panel of the month's page (the console's `mail`). */
void kh_serve_mail_eml(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                       kh_serve_reply *reply);
void kh_serve_mail_send(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                        kh_serve_reply *reply);
json_t *kh_serve_month_mail(const kh_serve_ctx *ctx, const kh_month_result *r);

/* POST /import: returned files uploaded for a month, kept for the
 * confirmation, answered with the import's preview; POST /import/ID/confirm
 * (with the lock): the kept files imported (action_import.c). */
void kh_serve_import_upload(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                            kh_serve_reply *reply);
void kh_serve_import_confirm(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                             kh_serve_reply *reply);
/* The months an upload may be for, for the dataset page's form. */
json_t *kh_serve_import_months(const kh_dataset *ds);

/* GET /month/YYYY-MM/doc/KIND and /quarter/YYYYQn/doc/KIND: a published
 * document by period and kind, never by a path from the request
 * (documents.c); and the documents' part of the period's page. */
void kh_serve_document(const kh_serve_ctx *ctx, const char *path, kh_serve_reply *reply);
json_t *kh_serve_month_documents(const kh_dataset *ds, int month);
json_t *kh_serve_quarter_documents(const kh_dataset *ds, int quarter);

#endif
