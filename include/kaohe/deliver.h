/* Stage 4, deliver: putting finished documents somewhere safely (docs/reference/outputs.md, §8).
 *
 * Three parts, each usable alone:
 *
 *  - The archive (`kaohe quarter`): documents are rendered into a private
 *    staging folder beside the target, checksummed (SHA256SUMS), verified,
 *    synced and renamed into place in one step. A reader, a crash or a kill
 *    never sees a half-written archive: the target is either absent, the old
 *    archive, or the complete new one.
 *
 *        if (!kh_archive_check(dir, force, diags)) return refusal;   // before any work
 *        ...load, assess...
 *        kh_archive *a = kh_archive_begin(dir, force, diags);
 *        char *pdf = g_build_filename(kh_archive_staging_dir(a), "report.pdf", NULL);
 *        if (!render(pdf, diags)) { kh_archive_abort(a); ... }
 *        ok = kh_archive_commit(a, &replaced, diags);                // consumes a
 *
 *  - MIME (`kaohe mail --eml`): one RFC 5322 message per township, Chinese
 *    subject, names and file name encoded so every mail client shows them.
 *
 *  - SMTP (`kaohe mail --smtp`): sends one message to one recipient through
 *    libcurl, retrying transient failures, and a delivery log in the output
 *    folder so a rerun sends only what has not gone out yet:
 *
 *        kh_mail_log *log = kh_mail_log_open(OUTDIR "/" KH_MAIL_LOG_NAME, diags);
 *        for each township with an email address:
 *          GBytes *msg = kh_mime_message(&mail, diags);
 *          char *id = kh_mime_message_id(&mail);
 *          kh_delivery_key key = {county, "2013-07", "month", code, mail.to, sha256};
 *          kh_mail_deliver(&smtp, log, &key, id, msg, resend, &res, &recorded, diags);
 *          if (!recorded) stop: a rerun could not know what went out;
 *          print code, kh_send_status_name(res.status), res.reply;
 *          kh_send_result_clear(&res);
 *        kh_mail_log_free(log);
 *
 * Library code: nothing here prints or exits; problems are appended to
 * kh_diags in Chinese, located at the path concerned (line and column 1),
 * or at "kaohe" when no file is concerned (a refused address). */
#ifndef KAOHE_DELIVER_H
#define KAOHE_DELIVER_H

#include <stdbool.h>
#include <time.h>
#include <glib.h>
#include "kaohe/diag.h"
#include "kaohe/load.h"
#include "kaohe/render.h"

/* ---- the archive -------------------------------------------------------- */

/* The manifest written into every archive, in sha256sum's format
 * ("<64 hex>  <name>\n", sorted by name), so `sha256sum -c SHA256SUMS`
 * run inside the archive checks it. */
#define KH_ARCHIVE_MANIFEST "SHA256SUMS"

typedef struct kh_archive kh_archive;

/* Whether an archive may be written at target_dir: without force, an
 * existing target (folder or anything else) is refused with an error; a
 * parent that exists but is not a folder is an error either way. Touches
 * nothing. Call it before rendering so a refusal costs no work;
 * kh_archive_begin() and kh_archive_commit() check again. */
bool kh_archive_check(const char *target_dir, bool force, kh_diags *diags);

/* Starts an archive for target_dir: checks as kh_archive_check(), creates
 * the parent folders, removes staging folders left in the parent by killed
 * runs for the same target, and creates a fresh staging folder
 * (PARENT/.NAME.staging-PID-XXXXXX) for the renderers to write into. On
 * failure appends to diags and returns NULL, having created no staging
 * folder. The caller owns the handle and ends it with exactly one of
 * kh_archive_commit() or kh_archive_abort(). */
kh_archive *kh_archive_begin(const char *target_dir, bool force,
                             kh_diags *diags);

/* The staging folder to write documents into (subfolders allowed). Borrowed:
 * valid until the handle is committed or aborted. */
const char *kh_archive_staging_dir(const kh_archive *a);

/* Seals and publishes the archive. Every regular file in the staging folder
 * must be complete (non-empty; a .pdf ends with %%EOF; an .xlsx or .zip
 * ends with a zip directory) and be named without a newline or backslash;
 * SHA256SUMS is written over all of them, every file is read back and
 * checked against it, everything is fsynced, then:
 *   - target absent: the staging folder is renamed to target_dir;
 *   - target present and force: the old archive is first renamed to
 *     TARGET.replaced-YYYYMMDDTHHMMSS (now, local time; "-2", "-3"... if
 *     taken), then the staging folder to target_dir; if that last rename
 *     fails the old archive is moved back;
 *   - target present without force: an error.
 * On success *replaced (when replaced is not NULL) receives the path the old
 * archive was kept under, or NULL when there was none; caller frees it with
 * g_free(). On failure appends to diags, removes the staging folder and
 * leaves target_dir as it was. Consumes a in every case. */
bool kh_archive_commit(kh_archive *a, char **replaced, kh_diags *diags);

/* Removes the staging folder and everything in it; target_dir is untouched.
 * Consumes a; NULL-safe. */
void kh_archive_abort(kh_archive *a);

/* ---- MIME messages (.eml) ---------------------------------------------- */

/* The attachment's type when kh_mail.attachment_type is NULL. */
#define KH_MIME_XLSX \
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* One message. Strings are UTF-8 and borrowed. Addresses are bare
 * addr-specs (local@domain, ASCII, no quoted local part). */
typedef struct {
  const char *from;            /* required */
  const char *from_name;       /* display name, e.g. 某县人口计生局; may be NULL */
  const char *to;              /* required */
  const char *to_name;         /* the township's contact; may be NULL */
  const char *subject;         /* required; line breaks become spaces */
  const char *text;            /* plain-text body, required; \n or \r\n */
  const char *html;            /* HTML body; NULL for a text-only message */
  /* the attachment: bytes, or else a path to read (NULL, NULL: none) */
  GBytes *attachment;
  const char *attachment_path;
  const char *attachment_name; /* shown file name; NULL = basename of path */
  const char *attachment_type; /* NULL = KH_MIME_XLSX */
  time_t date;                 /* the Date: header, written in China time (+0800) */
  const char *key;             /* township code: part of the Message-ID */
} kh_mail;

/* The message as CRLF-terminated bytes: multipart/mixed of (text/plain and
 * text/html in multipart/alternative) and the attachment, bodies in base64,
 * Subject and display names as RFC 2047 encoded-words, the file name as
 * RFC 2231 filename* with an RFC 2047 filename= fallback. The same mail
 * gives the same bytes. On a bad address, invalid UTF-8 or an unreadable
 * attachment appends to diags and returns NULL. Caller frees with
 * g_bytes_unref(). */
GBytes *kh_mime_message(const kh_mail *mail, kh_diags *diags);

/* The message's Message-ID without angle brackets,
 * "kaohe-<32 hex>@<domain of from>": a hash of the key, the recipient, the
 * subject, the bodies and the attachment (not the date), so a rerun with
 * the same content gives the same id. Caller frees with g_free(). */
char *kh_mime_message_id(const kh_mail *mail);

/* Writes kh_mime_message() to path atomically (temporary name + rename).
 * Returns false and appends to diags on failure. */
bool kh_mime_write_eml(const kh_mail *mail, const char *path, kh_diags *diags);

/* The workbook `kaohe month` wrote for township code and period "YYYY-MM"
 * as folder/name, read whole for a mail's attachment. Neither the file nor
 * folder's last component is followed when it is a symbolic link, and the
 * workbook's custom properties (render.h: KH_XLSX_TOWNSHIP_PROPERTY,
 * KH_XLSX_PERIOD_PROPERTY) must name code and period. Returns NULL when
 * any of that fails: *absent true, without a diagnostic, when the file does
 * not exist; otherwise an error at the file's path. Caller frees with
 * g_bytes_unref(). */
GBytes *kh_mail_workbook_read(const char *folder, const char *name, const char *code,
                              const char *period, bool *absent, kh_diags *diags);
/* The same for the fill-in form `kaohe forms` wrote (`kaohe mail --forms`),
 * whose properties kaohe.township and kaohe.month must name code and
 * period. */
GBytes *kh_mail_form_read(const char *folder, const char *name, const char *code,
                          const char *period, bool *absent, kh_diags *diags);

/* ---- SMTP --------------------------------------------------------------- */

typedef struct {
  const char *url;       /* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
  const char *from;      /* envelope sender (MAIL FROM), a bare address */
  const char *user;      /* NULL: no AUTH */
  const char *password;  /* with user; see kh_smtp_read_password() */
  const char *ca_file;   /* PEM file of CAs to trust instead of the system's; NULL */
  bool no_starttls;      /* smtp://: never STARTTLS (else used when offered) */
  bool require_tls;      /* smtp://: STARTTLS or nothing is sent (for a login);
                            a server without it is a permanent failure */
  long connect_timeout_s;/* connecting, seconds */
  long timeout_s;        /* a whole attempt, seconds */
  int max_attempts;      /* ≥ 1; transient failures are retried up to this */
  double retry_delay_s;  /* wait before the 2nd attempt, doubled after each */
} kh_smtp_options;

/* Defaults for the fields not set: `kh_smtp_options o = KH_SMTP_OPTIONS_INIT;` */
#define KH_SMTP_OPTIONS_INIT \
  {.connect_timeout_s = 30, .timeout_s = 300, .max_attempts = 3, .retry_delay_s = 5.0}

typedef enum {
  KH_SEND_SENT,      /* the server accepted the message */
  KH_SEND_SKIPPED,   /* the delivery log says it was sent already */
  KH_SEND_TRANSIENT, /* failed, may work later: 4xx reply, connection trouble */
  KH_SEND_PERMANENT, /* failed: 5xx reply, TLS or login failure, bad URL */
  KH_SEND_UNCERTAIN  /* the connection broke after the whole message went
                        and before the server's answer to it: it may have
                        been delivered. Never retried automatically */
} kh_send_status;

typedef struct {
  kh_send_status status;
  int attempts;   /* attempts made (0 when skipped) */
  int reply_code; /* the failing reply's code, or the last one; 0 when none */
  char *reply;    /* the server's reply or the connection error, UTF-8;
                     owned; NULL when skipped */
} kh_send_result;

/* "sent", "skipped", "transient", "permanent", "uncertain". Static string. */
const char *kh_send_status_name(kh_send_status status);

/* Frees res->reply and zeroes res. */
void kh_send_result_clear(kh_send_result *res);

/* A failed result for a person (smtp_words.c): a server's refusal in
 * Chinese with its reply in parentheses; other failures are Chinese
 * already. Caller frees. */
char *kh_send_failure_text(const kh_send_result *res);

/* Sends message (CRLF lines) to rcpt, retrying transient failures up to
 * opt->max_attempts times. Fills *res (clear it with kh_send_result_clear())
 * and returns res->status. A failed delivery is a result, not a diagnostic.
 * Thread-safe for distinct res. */
kh_send_status kh_smtp_send(const kh_smtp_options *opt, const char *rcpt,
                            GBytes *message, kh_send_result *res);

/* The SMTP password: the first line of file when file is not NULL (it must
 * exist; a warning when others may read it), else the environment variable
 * KAOHE_SMTP_PASSWORD, else none. Never from argv. Returns false and
 * appends to diags on error; on success *password is the password or NULL
 * for none; caller frees it with g_free(). */
bool kh_smtp_read_password(const char *file, char **password, kh_diags *diags);

/* ---- the delivery log --------------------------------------------------- */

/* Its file name inside the output folder. A TSV file with a header row:
 * dataset, period, kind, township, recipient, attachment_sha256,
 * message_id, status, time, reply; one row per attempt at a delivery
 * (status as kh_send_status_name()). */
#define KH_MAIL_LOG_NAME "mail-log.tsv"

typedef struct kh_mail_log kh_mail_log;

/* What identifies a delivery: the same key is the same mail, whatever the
 * day or the wording around the attachment. Strings borrowed. */
typedef struct {
  const char *dataset;           /* the county (rules.ini) */
  const char *period;            /* "YYYY-MM" */
  const char *kind;              /* what is sent, e.g. "month" (the workbook) */
  const char *township;          /* its code */
  const char *rcpt;              /* the address */
  const char *attachment_sha256; /* 64 hex digits; "" or NULL without one */
} kh_delivery_key;

/* Opens the log at path, creating it (with its header) when absent, and
 * takes an exclusive lock on it that lasts until kh_mail_log_free(): a
 * second run on the same log is refused. Returns NULL and appends to diags
 * when it is locked, cannot be read or written, or is malformed. A line
 * left incomplete by a killed run is dropped. */
kh_mail_log *kh_mail_log_open(const char *path, kh_diags *diags);
void kh_mail_log_free(kh_mail_log *log); /* NULL-safe; releases the lock */

/* Whether a row records key as delivered (status sent) or as uncertain;
 * *status (may be NULL) then says which, from the latest such row. Rows of
 * an older log, keyed on the message id, match on recipient and
 * message_id. */
bool kh_mail_log_was_sent(kh_mail_log *log, const kh_delivery_key *key,
                          const char *message_id, kh_send_status *status);

/* Appends a row (time = now) and syncs it to disk. Tabs and line breaks in
 * the strings become spaces. Returns false and appends to diags when it
 * cannot; after one failure every later record fails too (the caller must
 * stop sending). Thread-safe. */
bool kh_mail_log_record(kh_mail_log *log, const kh_delivery_key *key,
                        const char *message_id, kh_send_status status,
                        const char *reply, kh_diags *diags);

/* One township's delivery: unless resend is set, when the log has key as
 * sent or uncertain returns KH_SEND_SKIPPED (res->reply says which)
 * without connecting; otherwise kh_smtp_send() and records the outcome in
 * the log. A failed delivery appends an error naming the township,
 * recipient and reply. *recorded (may be NULL) tells whether the outcome
 * reached the log (true when nothing had to be recorded). Threads may
 * share one log; each needs its own res and diags. */
kh_send_status kh_mail_deliver(const kh_smtp_options *opt, kh_mail_log *log,
                               const kh_delivery_key *key, const char *message_id,
                               GBytes *message, bool resend, kh_send_result *res,
                               bool *recorded, kh_diags *diags);

/* Like kh_mail_log_open(), for a look without sending (the console's
 * page): the log at path read without taking its lock or creating it (an
 * absent log reads as empty); a line being written meanwhile is left out.
 * kh_mail_log_record() on it always fails. NULL with diags when it cannot
 * be read or is malformed. */
kh_mail_log *kh_mail_log_read(const char *path, kh_diags *diags);

/* Whether the log has a row for key (rows of an older log, keyed on the
 * message id, are not looked at); *status gets the latest such row's. */
bool kh_mail_log_latest(kh_mail_log *log, const kh_delivery_key *key, kh_send_status *status);

/* ---- the month's mail: prepared, then written or sent (mail_batch.c,
 * mail_send.c, month_mail.c) ------------------------------------------------
 *
 * What `kaohe mail` does and the web console's 邮件 buttons with it, so
 * that both write the same bytes and keep one delivery log:
 *
 *     kh_mail_batch *b = kh_mail_batch_new(ds, outdir, month, KH_MAIL_KIND_MONTH);
 *     if (kh_month_mail_prepare(b, &meta, from, from_name, diags))   // nothing written yet
 *       kh_mail_batch_write_eml(b, &folder, diags);    // OUTDIR/邮件/, all at once
 *       // or kh_mail_batch_send(b, &rq, diags);       // through OUTDIR/mail-log.tsv
 *     for each item: kh_mail_item_outcome(item) ...
 *     kh_mail_batch_free(b);
 *
 * The caller holds the dataset's action lock around writing or sending. */

/* Called after each document or mail, from one thread at a time (any
 * thread). */
typedef void (*kh_progress_fn)(void *cls, int done, int total);

/* The folder of the .eml files inside the output folder. */
#define KH_EML_FOLDER "邮件"
/* The kinds of mail, in the delivery key: the month's workbooks, the
 * fill-in forms (`kaohe mail --forms`). */
#define KH_MAIL_KIND_MONTH "month"
#define KH_MAIL_KIND_FORMS "forms"

/* What became of one township's mail after kh_mail_batch_send(). */
typedef enum {
  KH_MAIL_NOT_ATTEMPTED,     /* sending stopped before its turn (batch->stop says why) */
  KH_MAIL_SENT,              /* the server took it now (res.attempts tries) */
  KH_MAIL_ALREADY_SENT,      /* skipped: the log has it as sent */
  KH_MAIL_ALREADY_UNCERTAIN, /* skipped: the log has it as uncertain */
  KH_MAIL_FAILED,            /* res.status transient or permanent; res.reply why */
  KH_MAIL_UNCERTAIN,         /* the connection broke before the server's answer */
  KH_MAIL_UNRECORDED         /* its outcome (res) did not reach the log */
} kh_mail_outcome;

/* One township's mail. */
typedef struct {
  int t;                   /* the township's index in the registry */
  const kh_township *tw;   /* borrowed: the dataset's, or the caller's stand-in */
  char *attachment_path;   /* where its attachment is looked for */
  bool absent;             /* no file there */
  GBytes *attachment;      /* its bytes, checked to be the township's; NULL otherwise */
  char *attachment_sha256;
  GBytes *message;         /* the encoded message, once composed */
  char *message_id;
  /* after kh_mail_batch_send(): */
  bool attempted;          /* false: sending stopped before its turn */
  bool recorded;           /* the outcome reached the delivery log */
  kh_send_result res;
  kh_diags *diags;         /* what its delivery reported */
} kh_mail_item;

/* Why sending stopped before every item was attempted. */
typedef enum {
  KH_MAIL_STOP_NONE,
  KH_MAIL_STOP_SERVER, /* the connection, TLS or the login failed: every later one would */
  KH_MAIL_STOP_LOG     /* an outcome could not be recorded: a rerun could not know it */
} kh_mail_stop;

typedef struct {
  const kh_dataset *ds; /* borrowed */
  char *outdir;         /* the .eml folder and the delivery log are in it */
  int month;            /* 1-12 of the dataset's year */
  char *period;         /* "YYYY-MM" */
  const char *kind;     /* KH_MAIL_KIND_* */
  GArray *items;        /* kh_mail_item, in registry order */
  bool no_folder;       /* kh_mail_find_attachments(): the folder is missing */
  kh_mail_stop stop;    /* after kh_mail_batch_send() */
} kh_mail_batch;

/* An empty batch of ds's month mails of kind, kept in outdir. Caller frees
 * with kh_mail_batch_free() (NULL-safe), which frees the items. */
kh_mail_batch *kh_mail_batch_new(const kh_dataset *ds, const char *outdir, int month,
                                 const char *kind);
void kh_mail_batch_free(kh_mail_batch *b);

/* What a kind of mail attaches, for kh_mail_find_attachments(). */
typedef struct {
  const char *period; /* YYYY-MM, checked inside each file */
  /* the attachment's file name for township t (caller frees) */
  char *(*file_name)(const void *source, int t);
  const void *source; /* handed to file_name */
  /* reads it, checked to be the township's and the period's
   * (kh_mail_workbook_read, kh_mail_form_read) */
  GBytes *(*read)(const char *folder, const char *name, const char *code, const char *period,
                  bool *absent, kh_diags *diags);
} kh_attachment_kind;

/* Appends to b an item for each township of b->ds that has an address,
 * with its attachment from folder, read and checked. Returns false when
 * any is absent (item->absent; all of them when the folder is missing,
 * b->no_folder) or not the township's (an error in diags). */
bool kh_mail_find_attachments(kh_mail_batch *b, const kh_attachment_kind *kind,
                              const char *folder, kh_diags *diags);

/* Encodes the item's message from its rendered text (attachment_name: the file
 * name shown), setting it->message and it->message_id. Returns false with
 * diags when it cannot (a bad address, invalid text). */
bool kh_mail_encode(kh_mail_item *it, const kh_mail_text *text, const char *attachment_name,
                    const char *from, const char *from_name, time_t date, kh_diags *diags);

/* The sender: given (as --from) when not NULL, else rules.ini's [mail]
 * from, parsed (kh_mail_sender_parse); a bare address gets the issuer as
 * display name. Sets *name (may be NULL) and *address (caller frees both).
 * false when neither is there or given is malformed: nothing may be sent. */
bool kh_mail_sender(const char *given, const kh_rules *rules, char **name, char **address);

/* The month's mails (templates/mail.md) of b: assesses b's month, finds
 * each workbook `kaohe month` wrote in OUTDIR/乡镇/ (kh_mail_workbook_read)
 * and, when all are there, renders and encodes every message with meta's
 * date (meta->doc_no: the notice's number, kh_register_number()). Writes
 * nothing. false with the reasons in diags and the items (absent ones,
 * b->no_folder); a template error stops at the first township. */
bool kh_month_mail_prepare(kh_mail_batch *b, const kh_doc_meta *meta, const char *from,
                           const char *from_name, kh_diags *diags);

/* The rendering and encoding of kh_month_mail_prepare() for the items b
 * holds (whose attachments were read), over r and prev (may be NULL). */
bool kh_month_mail_compose(kh_mail_batch *b, const kh_month_result *r,
                           const kh_month_result *prev, const kh_doc_meta *meta,
                           const char *from, const char *from_name, kh_diags *diags);

/* Writes every item's message into OUTDIR/邮件/ as kh_mail_eml_name(),
 * published at once (kh_outdir_begin/commit: the folder of an earlier run
 * is replaced whole). On success *folder (when not NULL) gets the folder's
 * path (caller frees). false with diags; nothing changed then. */
bool kh_mail_batch_write_eml(const kh_mail_batch *b, char **folder, kh_diags *diags);

typedef struct {
  const kh_smtp_options *smtp;
  bool resend;             /* also what the log has as sent or uncertain */
  int jobs;                /* threads sending at once, >= 1 */
  kh_progress_fn progress; /* after each item; may be NULL */
  void *progress_cls;
} kh_mail_send_request;

/* Sends every item through the delivery log OUTDIR/mail-log.tsv
 * (kh_mail_deliver: what the log has as sent is skipped), jobs at a time,
 * filling each item's attempted, recorded, res and diags. Stops sending
 * (b->stop) after a failure every later message would meet, or when an
 * outcome could not be recorded. false with diags only when the log
 * cannot be opened (then nothing was sent); a failed delivery is an
 * item's outcome. */
bool kh_mail_batch_send(kh_mail_batch *b, const kh_mail_send_request *rq, kh_diags *diags);

kh_mail_outcome kh_mail_item_outcome(const kh_mail_item *it);

/* How many items had each outcome, and how many townships of b->ds have
 * no address (no item). */
typedef struct {
  int sent, already_sent, failed, uncertain; /* uncertain: now or before */
  int unrecorded, not_attempted, no_address;
} kh_mail_tally;
void kh_mail_batch_tally(const kh_mail_batch *b, kh_mail_tally *tally);

/* What the delivery log says of a township's month mail as it would go
 * now (its address, its workbook's current digest). */
typedef enum {
  KH_MAIL_STATE_NO_ADDRESS, /* no email in the registry */
  KH_MAIL_STATE_NO_WORKBOOK,/* its workbook is not in OUTDIR/乡镇/ */
  KH_MAIL_STATE_NOT_SENT,   /* no row for this mail */
  KH_MAIL_STATE_SENT,
  KH_MAIL_STATE_FAILED,     /* the latest row: transient or permanent */
  KH_MAIL_STATE_UNCERTAIN
} kh_mail_state;

/* The state of each township's month mail (states: one per township of
 * r's dataset, registry order) from outdir's delivery log, read without
 * its lock (kh_mail_log_read) and without sending. false with diags when
 * the log cannot be read. */
bool kh_month_mail_states(const kh_month_result *r, const char *outdir, kh_mail_state *states,
                          kh_diags *diags);

/* ---- making and publishing the period's documents ----------------------
 *
 * What `kaohe month` and `kaohe quarter` do, and the web console's buttons
 * with them: one call each, so that both front-ends make the same bytes.
 * The caller loaded the dataset without errors and holds its action lock
 * (below). */


typedef struct {
  const char *dataset_dir; /* its templates/ and 发文登记.csv */
  const char *target;      /* the month's output folder or the quarter's archive */
  int period;              /* the month 1–12 or quarter 1–4 of the dataset's year */
  int doc_no;              /* > 0: this number (--doc-no); 0: by the register */
  const char *date;        /* "YYYY-MM-DD" (--date); NULL: today, or SOURCE_DATE_EPOCH's day */
  int jobs;                /* threads making township workbooks (month), >= 1 */
  bool partial, force;     /* quarter: as --partial and --force */
  kh_progress_fn progress; /* may be NULL */
  void *progress_cls;
} kh_publish_request;

/* The sub-folder of a month's output folder holding the township
 * workbooks, where `month` writes them and `mail` takes them from. */
#define KH_TOWNSHIP_FOLDER "乡镇"

/* Where the documents go unless told otherwise, relative to the current
 * directory: out/YYYY-MM and archive/YYYYQn. Caller frees with g_free(). */
char *kh_month_default_outdir(int year, int month);
char *kh_quarter_default_archive(int year, int quarter);

typedef struct {
  char *target;   /* the published folder */
  char *document; /* its notice or report PDF */
  char *replaced; /* quarter with force: where the old archive was kept, or NULL */
  int doc_no;     /* the number it carries */
} kh_publish_result;

/* Makes the month's notice, county workbook, township workbooks and scores
 * JSON and publishes them at rq->target whole, then records the notice in
 * the register. Returns false with every reason in diags; the target is
 * then as it was. Warnings may come either way. */
bool kh_publish_month(const kh_dataset *ds, const kh_publish_request *rq,
                      kh_publish_result *out, kh_diags *diags);
/* The quarter's archive likewise: refused before any work when rq->target
 * exists and !rq->force, or when the quarter lacks a month and
 * !rq->partial. */
bool kh_publish_quarter(const kh_dataset *ds, const kh_publish_request *rq,
                        kh_publish_result *out, kh_diags *diags);
void kh_publish_result_clear(kh_publish_result *out);

/* ---- the dataset's action lock ------------------------------------------
 *
 * One action at a time on a dataset: making the month's documents or the
 * quarter's archive, importing returned files, sending or writing mail.
 * Every front-end takes this lock around its action (the commands wait for
 * it, the web console answers 忙); reading a dataset never needs it, as
 * every file an action changes is replaced whole by a rename. */
typedef struct kh_dataset_lock kh_dataset_lock;

/* Takes the lock on dataset_dir. With wait, blocks while another process
 * or thread holds it; without, fails at once with *busy set (busy may be
 * NULL). Returns NULL with an error in diags on failure. */
kh_dataset_lock *kh_dataset_lock_take(const char *dataset_dir, bool wait, bool *busy,
                                      kh_diags *diags);
/* Whether another holds the lock now (a hint for pages; take it to act). */
bool kh_dataset_lock_busy(const char *dataset_dir);
/* NULL-safe. */
void kh_dataset_lock_release(kh_dataset_lock *lock);

/* ---- the document register (发文登记) ------------------------------------
 *
 * Every document number is issued once a year (docs/reference/register.md).
 * `month` and `quarter` hold the dataset's action lock from choosing the
 * number until the documents are in place and the register says so:
 *
 *     kh_dataset_lock *lock = kh_dataset_lock_take(dataset, true, NULL, diags);
 *     kh_register *reg = kh_register_open(dataset, doc_no > 0, diags);
 *     kh_register_assign(reg, "month", "2013-07", doc_no, &n, diags);
 *     ...render with n, publish...
 *     kh_register_record(reg, &entry, diags);          // after publishing
 *     kh_register_close(reg);                          // also on failure
 */

typedef struct kh_register kh_register;

/* Opens DATASET/发文登记.csv; the caller holds the dataset's action lock
 * until kh_register_close(). A dataset folder that cannot be written is an error,
 * unless may_skip (a --doc-no was given): then a warning, and the register
 * is neither read nor written. A malformed register is an error (located).
 * Returns NULL with diags on error. */
kh_register *kh_register_open(const char *dataset_dir, bool may_skip, kh_diags *diags);

/* The number of kind's period: requested when > 0 (an error when another
 * period holds it; a warning when the period held another number), else
 * the period's registered number, else the highest registered + 1 (1 for an
 * empty register). Returns false with diags on error. */
bool kh_register_assign(kh_register *reg, const char *kind, const char *period,
                        int requested, int *number, kh_diags *diags);

/* Records an issued document (its number, date, kind and period as
 * assigned, title, file and the file's SHA-256, computed here) in place of
 * the period's earlier row, and rewrites the register atomically. Does
 * nothing on a register opened without writing. Returns false with diags
 * when the register cannot be written (it is then unchanged). */
bool kh_register_record(kh_register *reg, const kh_register_entry *entry, kh_diags *diags);

/* Frees reg. NULL-safe. */
void kh_register_close(kh_register *reg);

/* The number the register gave kind's period ("month", "2013-07"), 0 when
 * none or when the register cannot be read (it is only shown, in the
 * mail's text). Reads without the lock. */
int kh_register_number(const char *dataset_dir, const char *kind, const char *period);

/* ---- the month's output folder (outdir.c) ---------------------------------- */

/* A month's output folder published all at once (used by `kaohe month` and
 * `kaohe mail --eml`; the quarterly archive has its own, stricter rules in
 * archive.c): documents are rendered into a staging folder beside the
 * target, and the finished folder takes the target's place in one rename.
 * A reader, a failure or a kill at any moment leaves the old folder or the
 * new one, never a mixture. */
typedef struct kh_outdir kh_outdir;

/* Creates target (and its parents) and a fresh staging folder beside it
 * (PARENT/.NAME.kaohe-staging-PID-XXXXXX), after clearing what killed runs
 * for the same target left there (their staging folders; an old folder a
 * killed fallback commit had moved aside goes back to its place). A
 * symbolic link, ".", or a path ending in ".." is taken by its real path (a
 * link stands for the folder it points to). Returns NULL with a diag when
 * either cannot be made. Caller frees with kh_outdir_free(). */
kh_outdir *kh_outdir_begin(const char *target, kh_diags *diags);
const char *kh_outdir_staging(const kh_outdir *o);
const char *kh_outdir_target(const kh_outdir *o);

/* Publishes the staging folder as target. What the old target holds that
 * this run did not make (the delivery log, the written mails, anything
 * else) is first carried into the staging folder, as hard links where the
 * file system allows; then everything is synced, and the staging folder
 * swaps places with the old target in one renameat2(RENAME_EXCHANGE) (a
 * file system that refuses it, as NFS and CIFS do: the old folder is
 * renamed aside, the new one in, and only then the old one removed). The
 * delivery log is locked meanwhile: while a `kaohe mail` sends from the old
 * folder, the commit is refused, and so it is when target is the current
 * folder or / (replaced whole, it would leave a shell in a removed folder).
 * On failure target is as it was. */
bool kh_outdir_commit(kh_outdir *o, kh_diags *diags);

/* Makes the diagnostics about staged files name the files' places in the
 * target instead (the staging folder is gone once the run ends). */
void kh_outdir_unstage_diags(const kh_outdir *o, kh_diags *diags);

/* Removes what is left of the staging folder (after a commit: the old
 * folder) and frees o; without a successful commit, also the folders begin
 * created, while empty (a failed run leaves no empty output folder
 * behind). NULL-safe. */
void kh_outdir_free(kh_outdir *o);

/* ---- the month file import writes (month_file.c) --------------------------- */

/* Writing a month's file (docs/reference/forms.md, kaohe import): monthly/YYYY-MM.csv,
 * UTF-8 with a BOM and CRLF line ends, put in place atomically; the files
 * that held the month before (whatever their format) moved to
 * monthly/备份/ with a timestamp in their names, where check does not
 * look. Internal to src/deliver. */
/* The month's rows: has[t] for each township with a row, values[t *
 * n_fields + f] (NAN: an empty cell). */
typedef struct {
  const bool *has;
  const double *values;
} kh_month_rows;

/* The file's text: a header of township and the field ids, then a row per
 * township with one, in registry order (by code). Caller frees. */
char *kh_month_file_text(const kh_dataset *ds, const kh_month_rows *rows);

/* Writes the text as monthly/YYYY-MM.csv of ds: to a hidden temporary file
 * beside it, synced, then the month's earlier files moved to 备份/ as
 * YYYY-MM.STAMP.EXT (`moved`, when not NULL, gets their new paths), then
 * renamed into place. On failure nothing is left changed, and diags says
 * why. */
bool kh_month_file_write(const kh_dataset *ds, int month, const char *text, const char *stamp,
                         GPtrArray *moved, kh_diags *diags);


/* ---- importing returned files, second step (import_commit.c) -------------- */

/* What kh_import_commit() wrote. Free with kh_import_written_clear(). */
typedef struct {
  char *path;       /* DATASET/monthly/YYYY-MM.csv; NULL when nothing changed */
  GPtrArray *moved; /* char*: where the month's earlier files went in 备份/ */
} kh_import_written;

/* Writes plan's merged month (load.h kh_import_prepare) with
 * kh_month_file_write(), stamp NULL meaning the local time now. When the
 * plan changes nothing, writes nothing and returns true with out->path
 * NULL. The caller holds the dataset's action lock, and loaded the
 * dataset and prepared the plan under it. Returns false with diags when
 * the file cannot be written (nothing is changed then). */
bool kh_import_commit(const kh_dataset *ds, const kh_import_plan *plan, const char *stamp,
                      kh_import_written *out, kh_diags *diags);

void kh_import_written_clear(kh_import_written *w);

#endif
