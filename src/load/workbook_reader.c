/* Workbooks in place of CSV files (workbook_reader.h): the file is read
 * whole (it is compressed, and small), its format told by its first bytes,
 * and handed to the reader of that format. */
#include "load/workbook_reader.h"

#include <gsf/gsf-infile-impl.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>
#include <glib/gstdio.h>
#include <string.h>

bool kh_is_office_lock_file(const char *name) {
  /* ~$NAME: Excel and WPS; .~lock.NAME#: LibreOffice; ~NAME.tmp and
   * ~WRLnnnn.tmp: Office's temporary copies while saving. */
  size_t len = strlen(name);
  return g_str_has_prefix(name, "~$") ||
         (g_str_has_prefix(name, ".~lock.") && len > 7 && name[len - 1] == '#') ||
         (name[0] == '~' && g_str_has_suffix(name, ".tmp"));
}

bool kh_is_workbook_name(const char *name) {
  size_t len = strlen(name);
  return (len > 5 && g_ascii_strcasecmp(name + len - 5, ".xlsx") == 0) ||
         (len > 4 && g_ascii_strcasecmp(name + len - 4, ".xls") == 0);
}

static const guint8 ZIP_MAGIC[] = {'P', 'K', 3, 4};
static const guint8 OLE_MAGIC[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

GsfInput *kh_ole_stream(GsfInfile *ole, const char *name) {
  GError *err = NULL;
  GsfInput *child = G_TYPE_INSTANCE_GET_CLASS(ole, GSF_INFILE_TYPE, GsfInfileClass)->child_by_name(ole, name, &err);
  g_clear_error(&err);
  return child;
}

/* Whether an OLE container holds an encrypted .xlsx (Office's password
 * protection wraps the package in OLE, beside an EncryptionInfo stream). */
static bool is_encrypted_package(const guint8 *data, gsize len) {
  GsfInput *in = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
  GsfInfile *ole = gsf_infile_msole_new(in, NULL);
  bool encrypted = false;
  if (ole) {
    GsfInput *info = kh_ole_stream(ole, "EncryptionInfo");
    encrypted = info != NULL;
    if (info)
      g_object_unref(info);
    g_object_unref(ole);
  }
  g_object_unref(in);
  return encrypted;
}

static void drop_message(const gchar *domain, GLogLevelFlags level, const gchar *message,
                         gpointer data) {
  (void)domain, (void)level, (void)message, (void)data;
}

/* libgsf reports what it finds wrong in a damaged OLE file as GLib
 * criticals, printed on stderr; the readers say it themselves, located, as
 * an error about the file, so those messages are dropped. */
static void quiet_libgsf(void) {
  static gsize done;
  if (g_once_init_enter(&done)) {
    const GLogLevelFlags levels = G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING;
    g_log_set_handler("libgsf:msole", levels, drop_message, NULL);
    g_log_set_handler("libgsf", levels, drop_message, NULL);
    g_once_init_leave(&done, 1);
  }
}

kh_csv_table *kh_workbook_read(const char *path, kh_diags *diags) {
  return kh_workbook_read_sheet(path, NULL, diags);
}

kh_csv_table *kh_workbook_read_sheet(const char *path, const char *sheet, kh_diags *diags) {
  quiet_libgsf();
  GError *err = NULL;
  gchar *data = NULL;
  gsize len = 0;
  GStatBuf st;
  if (g_stat(path, &st) == 0 && (guint64)st.st_size > KH_MAX_FILE_BYTES) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "文件过大（超过 %u MB），未读取",
                 KH_MAX_FILE_BYTES >> 20);
    return NULL;
  }
  if (!g_file_get_contents(path, &data, &len, &err)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法读取文件：%s", err->message);
    g_error_free(err);
    return NULL;
  }
  const guint8 *bytes = (const guint8 *)data;
  kh_csv_table *t = NULL;
  if (len >= sizeof ZIP_MAGIC && memcmp(bytes, ZIP_MAGIC, sizeof ZIP_MAGIC) == 0) {
    t = kh_xlsx_parse(path, bytes, len, sheet, diags);
  } else if (len >= sizeof OLE_MAGIC && memcmp(bytes, OLE_MAGIC, sizeof OLE_MAGIC) == 0) {
    if (is_encrypted_package(bytes, len))
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                   "工作簿设有打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码后另存为 .xlsx");
    else
      t = kh_xls_parse(path, bytes, len, sheet, diags);
  } else {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "不是 Excel 工作簿（内容既不是 .xlsx 也不是 .xls）：请用 Excel 或 WPS "
                 "打开后另存为 .xlsx");
  }
  g_free(data);
  return t;
}

kh_csv_table *kh_table_read(const char *path, const char *const *keys, kh_diags *diags) {
  if (!kh_is_workbook_name(path))
    return kh_csv_read_keyed(path, keys, diags);
  kh_csv_table *t = kh_workbook_read(path, diags);
  if (t)
    kh_csv_settle_rows(t, keys, diags);
  return t;
}

char *kh_data_file_path(const char *dir, const char *stem, kh_diags *diags) {
  static const char *const exts[] = {".csv", ".xlsx", ".xls"};
  char *found = NULL;
  for (guint i = 0; i < G_N_ELEMENTS(exts); i++) {
    char *name = g_strconcat(stem, exts[i], NULL);
    char *path = g_build_filename(dir, name, NULL);
    g_free(name);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
      g_free(path);
    } else if (found) {
      char *first = g_path_get_basename(found), *second = g_path_get_basename(path);
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                   "“%s”与“%s”是同一份数据的两个文件：只能保留一个（已读取“%s”）", second,
                   first, first);
      g_free(first);
      g_free(second);
      g_free(path);
    } else {
      found = path;
    }
  }
  if (!found) {
    char *name = g_strconcat(stem, ".csv", NULL);
    found = g_build_filename(dir, name, NULL);
    g_free(name);
  }
  return found;
}
