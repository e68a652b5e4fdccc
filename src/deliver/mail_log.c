/* The delivery log, mail-log.tsv in the output folder (deliver.h): what
 * went out to whom, so that a rerun of `kaohe mail --smtp` sends only what
 * has not. It is rewritten whole, atomically, after every message, so a
 * kill leaves either the log before that message or the one after it. */
#include "kaohe/deliver.h"

#include <string.h>

#define N_COLUMNS 6
static const char HEADER[] = "township\trecipient\tmessage_id\tstatus\ttime\treply";

struct kh_mail_log {
  char *path;
  GMutex lock;
  GPtrArray *rows; /* of char** (N_COLUMNS strings, NULL-terminated) */
};

static kh_mail_log *log_new(const char *path) {
  kh_mail_log *log = g_new0(kh_mail_log, 1);
  log->path = g_strdup(path);
  g_mutex_init(&log->lock);
  log->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  return log;
}

void kh_mail_log_free(kh_mail_log *log) {
  if (!log)
    return;
  g_ptr_array_unref(log->rows);
  g_mutex_clear(&log->lock);
  g_free(log->path);
  g_free(log);
}

/* Parses the file's text into log->rows; false after an error. */
static bool parse(kh_mail_log *log, const char *text, kh_diags *diags) {
  char **lines = g_strsplit(text, "\n", -1);
  bool ok = true;
  for (int i = 0; ok && lines[i]; i++) {
    char *line = lines[i];
    g_strchomp(line); /* also a \r left by an editor */
    if (i == 0 && strcmp(line, HEADER) != 0) {
      kh_diags_add(diags, KH_ERROR, log->path, 1, 1, line,
                   "这不是 kaohe 的邮件发送记录（第一行应为列名）");
      ok = false;
    } else if (i > 0 && *line) {
      char **row = g_strsplit(line, "\t", N_COLUMNS + 1);
      if (g_strv_length(row) == N_COLUMNS) {
        g_ptr_array_add(log->rows, row);
      } else {
        kh_diags_add(diags, KH_ERROR, log->path, i + 1, 1, line,
                     "发送记录的这一行应有 %d 列", N_COLUMNS);
        g_strfreev(row);
        ok = false;
      }
    }
  }
  g_strfreev(lines);
  return ok;
}

kh_mail_log *kh_mail_log_open(const char *path, kh_diags *diags) {
  kh_mail_log *log = log_new(path);
  char *text = NULL;
  GError *err = NULL;
  if (!g_file_get_contents(path, &text, NULL, &err)) {
    bool absent = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    if (!absent) {
      kh_diags_add(diags, KH_ERROR, path, 0, 0, NULL, "无法读取邮件发送记录：%s",
                   err->message);
      kh_mail_log_free(log);
      log = NULL;
    }
    g_error_free(err);
    return log;
  }
  if (!parse(log, text, diags)) {
    kh_mail_log_free(log);
    log = NULL;
  }
  g_free(text);
  return log;
}

bool kh_mail_log_was_sent(kh_mail_log *log, const char *rcpt,
                          const char *message_id) {
  const char *sent = kh_send_status_name(KH_SEND_SENT);
  bool found = false;
  g_mutex_lock(&log->lock);
  for (guint i = 0; i < log->rows->len && !found; i++) {
    char **row = g_ptr_array_index(log->rows, i);
    found = strcmp(row[1], rcpt) == 0 && strcmp(row[2], message_id) == 0 &&
            strcmp(row[3], sent) == 0;
  }
  g_mutex_unlock(&log->lock);
  return found;
}

/* s on one TSV cell: tabs and line breaks as spaces. */
static char *cell(const char *s) {
  char *c = g_strdup(s ? s : "");
  for (char *p = c; *p; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
  return c;
}

bool kh_mail_log_record(kh_mail_log *log, const char *township,
                        const char *rcpt, const char *message_id,
                        kh_send_status status, const char *reply,
                        kh_diags *diags) {
  GDateTime *now = g_date_time_new_now_local();
  char **row = g_new0(char *, N_COLUMNS + 1);
  row[0] = cell(township);
  row[1] = cell(rcpt);
  row[2] = cell(message_id);
  row[3] = g_strdup(kh_send_status_name(status));
  row[4] = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S%:z");
  row[5] = cell(reply);
  g_date_time_unref(now);

  g_mutex_lock(&log->lock);
  g_ptr_array_add(log->rows, row);
  GString *text = g_string_new(HEADER);
  g_string_append_c(text, '\n');
  for (guint i = 0; i < log->rows->len; i++) {
    char *line = g_strjoinv("\t", g_ptr_array_index(log->rows, i));
    g_string_append_printf(text, "%s\n", line);
    g_free(line);
  }
  GError *err = NULL;
  bool ok = g_file_set_contents_full(log->path, text->str, (gssize)text->len,
                                     G_FILE_SET_CONTENTS_CONSISTENT |
                                         G_FILE_SET_CONTENTS_DURABLE,
                                     0666, &err);
  g_mutex_unlock(&log->lock);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, log->path, 0, 0, NULL, "无法写入邮件发送记录：%s",
                 err->message);
    g_error_free(err);
  }
  g_string_free(text, TRUE);
  return ok;
}
