/* The delivery log, mail-log.tsv in the output folder (deliver.h): what
 * went out, so that a rerun of `kaohe mail --smtp` sends only what has not.
 *
 * A delivery is identified by what it is (dataset, period, kind, township,
 * recipient and the attachment's digest), never by the text around it: the
 * body holds the day it was written, and a rerun on another day must still
 * know what went out.
 *
 * The file is only ever appended to, one line per attempt, each written
 * whole and fdatasync'ed before the next message goes; a line cut short by
 * a kill is not a record and is cut off when the log is next opened. The
 * run holds an exclusive flock() on the file from opening to freeing, so
 * two runs never send from one log; `kaohe month`, which carries the log
 * into a new folder as a hard link (outdir.c), takes the same lock. Logs of
 * earlier versions (6 columns, keyed on a message id) are read as they are
 * and appended to in the new form. */
#include "kaohe/deliver.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { D_DATASET, D_PERIOD, D_KIND, D_TOWNSHIP, D_RCPT, D_SHA256, D_MESSAGE_ID, D_STATUS,
       D_TIME, D_REPLY, N_COLUMNS };
static const char HEADER[] = "dataset\tperiod\tkind\ttownship\trecipient\tattachment_sha256\t"
                             "message_id\tstatus\ttime\treply";
/* The log of earlier versions: a message was known by an id hashing its
 * whole text, date included. */
enum { L_TOWNSHIP, L_RCPT, L_MESSAGE_ID, L_STATUS, N_LEGACY_COLUMNS = 6 };
static const char LEGACY_HEADER[] = "township\trecipient\tmessage_id\tstatus\ttime\treply";

struct kh_mail_log {
  char *path;
  int fd;
  bool broken;     /* a record failed: nothing more is written */
  GMutex lock;
  GPtrArray *rows; /* of char** (N_COLUMNS or N_LEGACY_COLUMNS strings) */
};

void kh_mail_log_free(kh_mail_log *log) {
  if (!log)
    return;
  if (log->fd >= 0)
    close(log->fd); /* releases the flock */
  g_ptr_array_unref(log->rows);
  g_mutex_clear(&log->lock);
  g_free(log->path);
  g_free(log);
}

/* Parses the file's complete lines into log->rows; false after an error. */
static bool parse(kh_mail_log *log, const char *text, kh_diags *diags) {
  char **lines = g_strsplit(text, "\n", -1);
  bool ok = true;
  for (int i = 0; ok && lines[i]; i++) {
    char *line = lines[i];
    g_strchomp(line); /* also a \r left by an editor */
    if (i == 0 && strcmp(line, HEADER) != 0 && strcmp(line, LEGACY_HEADER) != 0) {
      kh_diags_add(diags, KH_ERROR, log->path, 1, 1, line,
                   "这不是 kaohe 的邮件发送记录（第一行应为列名）");
      ok = false;
    } else if (i > 0 && *line) {
      char **row = g_strsplit(line, "\t", N_COLUMNS + 1);
      guint n = g_strv_length(row);
      if (n == N_COLUMNS || n == N_LEGACY_COLUMNS) {
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

static bool write_all(int fd, const char *data, gsize len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return false;
    }
    data += n;
    len -= (gsize)n;
  }
  return true;
}

/* The whole file from fd; NULL with errno on failure. */
static GString *read_all(int fd) {
  GString *text = g_string_new(NULL);
  char buf[65536];
  for (;;) {
    ssize_t n = pread(fd, buf, sizeof buf, (off_t)text->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_string_free(text, TRUE);
      errno = e;
      return NULL;
    }
    if (n == 0)
      return text;
    g_string_append_len(text, buf, n);
  }
}
/* Parses the lines of text (consumed) up to its last newline: what follows
 * it is a line still being written, or one a killed run left half, never
 * a record. Returns how many bytes were parsed, or G_MAXSIZE (with diags)
 * when they are malformed. */
static gsize parse_complete_lines(kh_mail_log *log, GString *text, kh_diags *diags) {
  gsize complete = text->len;
  while (complete > 0 && text->str[complete - 1] != '\n')
    complete--;
  g_string_truncate(text, complete);
  bool parsed = parse(log, text->str, diags);
  g_string_free(text, TRUE);
  return parsed ? complete : G_MAXSIZE;
}


/* Opens, locks, reads and (when new or cut short) mends the file. */
static bool open_locked(kh_mail_log *log, kh_diags *diags) {
  const char *step = "无法打开邮件发送记录";
  log->fd = open(log->path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (log->fd < 0)
    goto failed;
  struct stat st;
  if (fstat(log->fd, &st) != 0)
    goto failed;
  if (!S_ISREG(st.st_mode)) {
    errno = EINVAL;
    goto failed;
  }
  if (flock(log->fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      kh_diags_add(diags, KH_ERROR, log->path, 1, 1, NULL,
                   "另一个 kaohe mail（或 kaohe month）正在使用这个输出目录的发送记录："
                   "等它结束后再运行，以免重复发送");
      return false;
    }
    goto failed;
  }
  step = "无法读取邮件发送记录";
  GString *text = read_all(log->fd);
  if (!text)
    goto failed;
  /* A line without its newline was being written when a run was killed:
   * it never became a record. */
  gsize complete = parse_complete_lines(log, text, diags);
  if (complete == G_MAXSIZE)
    return false;
  step = "无法写入邮件发送记录";
  if (complete < (gsize)st.st_size && ftruncate(log->fd, (off_t)complete) != 0)
    goto failed;
  if (complete == 0 && !(write_all(log->fd, HEADER, strlen(HEADER)) &&
                         write_all(log->fd, "\n", 1) && fdatasync(log->fd) == 0))
    goto failed;
  return true;
failed:
  kh_diags_add(diags, KH_ERROR, log->path, 1, 1, NULL, "%s：%s", step,
               errno == EINVAL ? "不是普通文件" : g_strerror(errno));
  return false;
}

kh_mail_log *kh_mail_log_open(const char *path, kh_diags *diags) {
  kh_mail_log *log = g_new0(kh_mail_log, 1);
  log->path = g_strdup(path);
  log->fd = -1;
  g_mutex_init(&log->lock);
  log->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  if (!open_locked(log, diags)) {
    kh_mail_log_free(log);
    return NULL;
  }
  return log;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

/* Whether row, of the current form, is about the delivery key names. */
static bool same_key(char **row, const kh_delivery_key *key) {
  return strcmp(row[D_DATASET], or_empty(key->dataset)) == 0 &&
         strcmp(row[D_PERIOD], or_empty(key->period)) == 0 &&
         strcmp(row[D_KIND], or_empty(key->kind)) == 0 &&
         strcmp(row[D_TOWNSHIP], or_empty(key->township)) == 0 &&
         strcmp(row[D_RCPT], or_empty(key->rcpt)) == 0 &&
         strcmp(row[D_SHA256], or_empty(key->attachment_sha256)) == 0;
}

/* Whether row records key as sent or uncertain; *status then says which. */
static bool row_matches(char **row, const kh_delivery_key *key, const char *message_id,
                        kh_send_status *status) {
  const char *sent = kh_send_status_name(KH_SEND_SENT);
  const char *uncertain = kh_send_status_name(KH_SEND_UNCERTAIN);
  if (g_strv_length(row) == N_LEGACY_COLUMNS) {
    bool match = message_id && strcmp(row[L_RCPT], or_empty(key->rcpt)) == 0 &&
                 strcmp(row[L_MESSAGE_ID], message_id) == 0 &&
                 strcmp(row[L_STATUS], sent) == 0;
    if (match)
      *status = KH_SEND_SENT;
    return match;
  }
  bool same = same_key(row, key);
  if (same && strcmp(row[D_STATUS], sent) == 0)
    *status = KH_SEND_SENT;
  else if (same && strcmp(row[D_STATUS], uncertain) == 0)
    *status = KH_SEND_UNCERTAIN;
  else
    return false;
  return true;
}

bool kh_mail_log_was_sent(kh_mail_log *log, const kh_delivery_key *key, const char *message_id,
                          kh_send_status *status) {
  bool found = false;
  kh_send_status st = KH_SEND_SENT;
  g_mutex_lock(&log->lock);
  for (guint i = log->rows->len; i-- > 0 && !found;)
    found = row_matches(g_ptr_array_index(log->rows, i), key, message_id, &st);
  g_mutex_unlock(&log->lock);
  if (found && status)
    *status = st;
  return found;
}

/* s on one TSV cell: tabs and line breaks as spaces. */
static char *cell(const char *s) {
  char *c = g_strdup(or_empty(s));
  for (char *p = c; *p; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
  return c;
}

bool kh_mail_log_record(kh_mail_log *log, const kh_delivery_key *key, const char *message_id,
                        kh_send_status status, const char *reply, kh_diags *diags) {
  GDateTime *now = g_date_time_new_now_local();
  char **row = g_new0(char *, N_COLUMNS + 1);
  row[D_DATASET] = cell(key->dataset);
  row[D_PERIOD] = cell(key->period);
  row[D_KIND] = cell(key->kind);
  row[D_TOWNSHIP] = cell(key->township);
  row[D_RCPT] = cell(key->rcpt);
  row[D_SHA256] = cell(key->attachment_sha256);
  row[D_MESSAGE_ID] = cell(message_id);
  row[D_STATUS] = g_strdup(kh_send_status_name(status));
  row[D_TIME] = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S%:z");
  row[D_REPLY] = cell(reply);
  g_date_time_unref(now);
  char *joined = g_strjoinv("\t", row);
  char *line = g_strconcat(joined, "\n", NULL);
  g_free(joined);

  g_mutex_lock(&log->lock);
  int e = 0;
  if (log->broken) {
    e = EIO;
  } else {
    off_t before = lseek(log->fd, 0, SEEK_END);
    if (before < 0 || !write_all(log->fd, line, strlen(line)) || fdatasync(log->fd) != 0) {
      e = errno ? errno : EIO;
      /* No half line stays for the next record to follow. */
      if (before >= 0 && ftruncate(log->fd, before) != 0)
        e = e ? e : errno;
      log->broken = true;
    }
  }
  if (e == 0)
    g_ptr_array_add(log->rows, row);
  else
    g_strfreev(row);
  g_mutex_unlock(&log->lock);
  g_free(line);
  if (e != 0)
    kh_diags_add(diags, KH_ERROR, log->path, 1, 1, NULL, "无法写入邮件发送记录：%s",
                 g_strerror(e));
  return e == 0;
}

kh_mail_log *kh_mail_log_read(const char *path, kh_diags *diags) {
  kh_mail_log *log = g_new0(kh_mail_log, 1);
  log->path = g_strdup(path);
  log->fd = -1;
  log->broken = true; /* a look, never a record */
  g_mutex_init(&log->lock);
  log->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT)
    return log;
  GString *text = fd >= 0 ? read_all(fd) : NULL;
  int e = errno;
  if (fd >= 0)
    close(fd);
  if (!text) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法读取邮件发送记录：%s", g_strerror(e));
    kh_mail_log_free(log);
    return NULL;
  }
  /* The line a running kaohe mail is writing is not a record yet. */
  if (parse_complete_lines(log, text, diags) == G_MAXSIZE) {
    kh_mail_log_free(log);
    return NULL;
  }
  return log;
}

bool kh_mail_log_latest(kh_mail_log *log, const kh_delivery_key *key, kh_send_status *status) {
  static const kh_send_status all[] = {KH_SEND_SENT, KH_SEND_SKIPPED, KH_SEND_TRANSIENT,
                                       KH_SEND_PERMANENT, KH_SEND_UNCERTAIN};
  bool found = false;
  g_mutex_lock(&log->lock);
  for (guint i = log->rows->len; i-- > 0 && !found;) {
    char **row = g_ptr_array_index(log->rows, i);
    if (g_strv_length(row) != N_COLUMNS || !same_key(row, key))
      continue;
    for (size_t s = 0; !found && s < G_N_ELEMENTS(all); s++) {
      found = strcmp(row[D_STATUS], kh_send_status_name(all[s])) == 0;
      if (found)
        *status = all[s];
    }
  }
  g_mutex_unlock(&log->lock);
  return found;
}
