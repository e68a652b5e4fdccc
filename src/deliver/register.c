/* The document register, 发文登记.csv: choosing a document's number and
 * recording the document once it is published (docs/reference/register.md).
 *
 * The caller holds the dataset's action lock (dataset_lock.c) from opening
 * to closing, so that no two runs choose the same number. */
#include "kaohe/deliver.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>

struct kh_register {
  char *path;        /* DATASET/发文登记.csv */
  bool skip;         /* the folder cannot be written: neither read nor write */
  GPtrArray *entries; /* kh_register_entry*, file order */
};

/* Whether a file can be created in dir: the one sure test (as root, a
 * folder's mode says nothing; a read-only mount says it only here). */
static bool folder_writable(const char *dir) {
  char *probe = g_build_filename(dir, ".kaohe-probe-XXXXXX", NULL);
  int fd = g_mkstemp(probe);
  bool ok = fd >= 0;
  if (ok) {
    close(fd);
    g_unlink(probe);
  }
  g_free(probe);
  return ok;
}

kh_register *kh_register_open(const char *dataset_dir, bool may_skip, kh_diags *diags) {
  kh_register *reg = g_new0(kh_register, 1);
  reg->path = g_build_filename(dataset_dir, KH_REGISTER_NAME, NULL);
  if (!folder_writable(dataset_dir)) {
    if (!may_skip) {
      kh_diags_add(diags, KH_ERROR, reg->path, 1, 1, NULL,
                   "数据集目录不可写，无法登记发文字号（%s）；请用 --doc-no 指定序号，本次发文将不登记",
                   g_strerror(errno));
      kh_register_close(reg);
      return NULL;
    }
    kh_diags_add(diags, KH_WARNING, reg->path, 1, 1, NULL,
                 "数据集目录不可写，本次发文不登记，使用 --doc-no 指定的序号");
    reg->skip = true;
    reg->entries = g_ptr_array_new();
    return reg;
  }
  reg->entries = kh_register_read(reg->path, diags);
  if (!reg->entries) {
    kh_register_close(reg);
    return NULL;
  }
  return reg;
}

static kh_register_entry *find_period(const kh_register *reg, const char *kind, const char *period) {
  for (guint i = 0; i < reg->entries->len; i++) {
    kh_register_entry *e = g_ptr_array_index(reg->entries, i);
    if (strcmp(e->kind, kind) == 0 && strcmp(e->period, period) == 0)
      return e;
  }
  return NULL;
}

static kh_register_entry *find_number(const kh_register *reg, int number) {
  for (guint i = 0; i < reg->entries->len; i++) {
    kh_register_entry *e = g_ptr_array_index(reg->entries, i);
    if (e->number == number)
      return e;
  }
  return NULL;
}

bool kh_register_assign(kh_register *reg, const char *kind, const char *period,
                        int requested, int *number, kh_diags *diags) {
  kh_register_entry *own = find_period(reg, kind, period);
  if (requested > 0) {
    kh_register_entry *holder = find_number(reg, requested);
    if (holder && holder != own) {
      kh_diags_add(diags, KH_ERROR, reg->path, holder->line, 1, NULL,
                   "发文序号 %d 已登记给 %s（%s），不能再用于 %s", requested, holder->period,
                   holder->title, period);
      return false;
    }
    if (own && own->number != requested)
      kh_diags_add(diags, KH_WARNING, reg->path, own->line, 1, NULL,
                   "%s 原登记为 %d 号，按 --doc-no 改为 %d 号", period, own->number, requested);
    *number = requested;
    return true;
  }
  if (own) {
    *number = own->number;
    return true;
  }
  int highest = 0;
  for (guint i = 0; i < reg->entries->len; i++)
    highest = MAX(highest, ((kh_register_entry *)g_ptr_array_index(reg->entries, i))->number);
  if (highest >= 99999) {
    kh_diags_add(diags, KH_ERROR, reg->path, 1, 1, NULL, "发文序号已用到 99999，请用 --doc-no 指定");
    return false;
  }
  *number = highest + 1;
  return true;
}

/* The register as written: UTF-8 with a BOM (so Excel opens it as UTF-8),
 * CRLF lines, rows in number order. */
static GString *register_text(GPtrArray *entries) {
  GString *out = g_string_new("\xEF\xBB\xBFnumber,date,kind,period,title,file,sha256\r\n");
  for (guint i = 0; i < entries->len; i++) {
    const kh_register_entry *e = g_ptr_array_index(entries, i);
    g_string_append_printf(out, "%d,", e->number);
    const char *cells[] = {e->date, e->kind, e->period, e->title, e->file, e->sha256};
    for (gsize c = 0; c < G_N_ELEMENTS(cells); c++) {
      kh_csv_append_cell(out, cells[c] ? cells[c] : "");
      g_string_append(out, c + 1 < G_N_ELEMENTS(cells) ? "," : "\r\n");
    }
  }
  return out;
}

static gint by_number(gconstpointer a, gconstpointer b) {
  const kh_register_entry *x = *(kh_register_entry *const *)a, *y = *(kh_register_entry *const *)b;
  return (x->number > y->number) - (x->number < y->number);
}

/* The SHA-256 of the file at path in hex, or NULL with diags. */
static char *file_sha256(const char *path, kh_diags *diags) {
  GMappedFile *map = g_mapped_file_new(path, FALSE, NULL);
  if (!map) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法读取已发布的文件以登记发文");
    return NULL;
  }
  char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                          (const guchar *)g_mapped_file_get_contents(map),
                                          g_mapped_file_get_length(map));
  g_mapped_file_unref(map);
  return sum;
}

bool kh_register_record(kh_register *reg, const kh_register_entry *entry, kh_diags *diags) {
  if (reg->skip)
    return true;
  char *sha256 = file_sha256(entry->file, diags);
  if (!sha256)
    return false;
  GPtrArray *next = g_ptr_array_new();
  for (guint i = 0; i < reg->entries->len; i++) {
    kh_register_entry *e = g_ptr_array_index(reg->entries, i);
    if (!(strcmp(e->kind, entry->kind) == 0 && strcmp(e->period, entry->period) == 0))
      g_ptr_array_add(next, e);
  }
  kh_register_entry row = *entry;
  row.sha256 = sha256;
  g_ptr_array_add(next, &row);
  g_ptr_array_sort(next, by_number);
  GString *text = register_text(next);
  g_ptr_array_free(next, TRUE);
  g_free(sha256);

  GError *err = NULL;
  bool ok = g_file_set_contents_full(reg->path, text->str, (gssize)text->len,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0644, &err);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, reg->path, 1, 1, NULL,
                 "文件已生成，但发文登记无法写入（%s）：请手工登记 %s 的发文字号 %d 号", err->message,
                 entry->period, entry->number);
    g_error_free(err);
  }
  g_string_free(text, TRUE);
  return ok;
}

void kh_register_close(kh_register *reg) {
  if (!reg)
    return;
  if (reg->entries)
    g_ptr_array_free(reg->entries, TRUE);
  g_free(reg->path);
  g_free(reg);
}

int kh_register_number(const char *dataset_dir, const char *kind, const char *period) {
  kh_diags *diags = kh_diags_new();
  char *path = g_build_filename(dataset_dir, KH_REGISTER_NAME, NULL);
  GPtrArray *entries = kh_register_read(path, diags);
  int number = 0;
  for (guint i = 0; entries && i < entries->len; i++) {
    const kh_register_entry *e = g_ptr_array_index(entries, i);
    if (strcmp(e->kind, kind) == 0 && strcmp(e->period, period) == 0)
      number = e->number;
  }
  if (entries)
    g_ptr_array_free(entries, TRUE);
  g_free(path);
  kh_diags_free(diags);
  return number;
}
