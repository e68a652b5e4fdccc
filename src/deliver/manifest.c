/* SHA256SUMS over an archive's files (manifest.h). */
#define _GNU_SOURCE /* memmem */
#include "deliver/manifest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "kaohe/deliver.h"

#define PDF_EOF_WINDOW 1024
#define ZIP_EOCD_SIZE 22
#define ZIP_MAX_COMMENT 65535

static void add_error(kh_diags *diags, const char *shown_dir, const char *name,
                      const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* An error located at shown_dir/name (or shown_dir itself). */
static void add_error(kh_diags *diags, const char *shown_dir, const char *name,
                      const char *fmt, ...) {
  char *shown = name ? g_build_filename(shown_dir, name, NULL) : g_strdup(shown_dir);
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  kh_diags_add(diags, KH_ERROR, shown, 0, 0, NULL, "%s", message);
  g_free(message);
  g_free(shown);
}

/* Appends the names under dir/prefix to names; false after an error. */
static bool list_into(const char *dir, const char *prefix, GPtrArray *names,
                      const char *shown_dir, kh_diags *diags) {
  char *folder = prefix ? g_build_filename(dir, prefix, NULL) : g_strdup(dir);
  GError *err = NULL;
  GDir *d = g_dir_open(folder, 0, &err);
  if (!d) {
    add_error(diags, shown_dir, prefix, "无法读取存档目录：%s",
              err->message);
    g_error_free(err);
    g_free(folder);
    return false;
  }
  bool ok = true;
  const char *entry;
  while (ok && (entry = g_dir_read_name(d))) {
    char *name = prefix ? g_strconcat(prefix, "/", entry, NULL) : g_strdup(entry);
    char *path = g_build_filename(folder, entry, NULL);
    GStatBuf st;
    if (strpbrk(name, "\n\\")) {
      add_error(diags, shown_dir, name, "文件名含换行符或反斜杠，无法列入 SHA256SUMS");
      ok = false;
    } else if (g_lstat(path, &st) != 0) {
      add_error(diags, shown_dir, name, "无法读取文件信息：%s", g_strerror(errno));
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      ok = list_into(dir, name, names, shown_dir, diags);
    } else if (!S_ISREG(st.st_mode)) {
      add_error(diags, shown_dir, name, "存档中只能有普通文件和目录");
      ok = false;
    } else if (strcmp(name, KH_ARCHIVE_MANIFEST) == 0) {
      add_error(diags, shown_dir, name, "SHA256SUMS 是存档清单的保留文件名，不能用作文档名");
      ok = false;
    } else {
      g_ptr_array_add(names, g_steal_pointer(&name));
    }
    g_free(name);
    g_free(path);
  }
  g_dir_close(d);
  g_free(folder);
  return ok;
}

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *kh_manifest_list(const char *dir, const char *shown_dir,
                            kh_diags *diags) {
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  if (!list_into(dir, NULL, names, shown_dir, diags)) {
    g_ptr_array_unref(names);
    return NULL;
  }
  if (names->len == 0) {
    add_error(diags, shown_dir, NULL, "存档中没有任何文件");
    g_ptr_array_unref(names);
    return NULL;
  }
  g_ptr_array_sort(names, compare_names);
  return names;
}

/* Reads up to `want` bytes from the end of f into buf; returns the count. */
static size_t read_tail(FILE *f, long size, guint8 *buf, size_t want) {
  size_t n = (size_t)size < want ? (size_t)size : want;
  if (fseek(f, size - (long)n, SEEK_SET) != 0)
    return 0;
  return fread(buf, 1, n, f);
}

static bool pdf_complete(const guint8 *tail, size_t n) {
  return memmem(tail, n, "%%EOF", 5) != NULL;
}

/* A zip ends with its end-of-central-directory record (PK\5\6, 22 bytes)
 * followed by a comment whose length the record states. */
static bool zip_complete(const guint8 *tail, size_t n) {
  for (size_t i = n >= ZIP_EOCD_SIZE ? n - ZIP_EOCD_SIZE + 1 : 0; i-- > 0;) {
    if (memcmp(tail + i, "PK\5\6", 4) == 0) {
      size_t comment = tail[i + 20] | (size_t)tail[i + 21] << 8;
      if (i + ZIP_EOCD_SIZE + comment == n)
        return true;
    }
  }
  return false;
}

bool kh_manifest_check_complete(const char *dir, const char *shown_dir,
                                const char *name, kh_diags *diags) {
  char *path = g_build_filename(dir, name, NULL);
  FILE *f = g_fopen(path, "rb");
  g_free(path);
  if (!f) {
    add_error(diags, shown_dir, name, "无法打开：%s", g_strerror(errno));
    return false;
  }
  bool ok = fseek(f, 0, SEEK_END) == 0;
  long size = ok ? ftell(f) : -1;
  char *lower = g_ascii_strdown(name, -1);
  if (size < 0) {
    add_error(diags, shown_dir, name, "无法读取：%s", g_strerror(errno));
    ok = false;
  } else if (size == 0) {
    add_error(diags, shown_dir, name, "文件为空，没有生成完");
    ok = false;
  } else if (g_str_has_suffix(lower, ".pdf")) {
    guint8 tail[PDF_EOF_WINDOW];
    ok = pdf_complete(tail, read_tail(f, size, tail, sizeof tail));
    if (!ok)
      add_error(diags, shown_dir, name, "文件不完整：末尾没有 %%%%EOF");
  } else if (g_str_has_suffix(lower, ".xlsx") || g_str_has_suffix(lower, ".zip")) {
    guint8 *tail = g_malloc(ZIP_EOCD_SIZE + ZIP_MAX_COMMENT);
    ok = zip_complete(tail, read_tail(f, size, tail, ZIP_EOCD_SIZE + ZIP_MAX_COMMENT));
    g_free(tail);
    if (!ok)
      add_error(diags, shown_dir, name, "文件不完整：末尾没有 zip 目录");
  }
  g_free(lower);
  fclose(f);
  return ok;
}

char *kh_sha256_file(const char *path, GError **err) {
  FILE *f = g_fopen(path, "rb");
  if (!f) {
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
                "无法打开：%s", g_strerror(errno));
    return NULL;
  }
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  guint8 buf[64 * 1024];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    g_checksum_update(sum, buf, n);
  char *hex = NULL;
  if (ferror(f))
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_IO, "无法读取：%s",
                g_strerror(errno));
  else
    hex = g_strdup(g_checksum_get_string(sum));
  g_checksum_free(sum);
  fclose(f);
  return hex;
}

char *kh_manifest_build(const char *dir, const char *shown_dir,
                        GPtrArray *names, kh_diags *diags) {
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    char *path = g_build_filename(dir, name, NULL);
    GError *err = NULL;
    char *hex = kh_sha256_file(path, &err);
    g_free(path);
    if (!hex) {
      add_error(diags, shown_dir, name, "%s", err->message);
      g_error_free(err);
      g_string_free(text, TRUE);
      return NULL;
    }
    g_string_append_printf(text, "%s  %s\n", hex, name);
    g_free(hex);
  }
  return g_string_free(text, FALSE);
}

bool kh_manifest_verify(const char *dir, const char *shown_dir,
                        const char *expected, kh_diags *diags) {
  char *path = g_build_filename(dir, KH_ARCHIVE_MANIFEST, NULL);
  char *written = NULL;
  GError *err = NULL;
  bool ok = g_file_get_contents(path, &written, NULL, &err);
  g_free(path);
  if (!ok) {
    add_error(diags, shown_dir, KH_ARCHIVE_MANIFEST, "%s", err->message);
    g_error_free(err);
    return false;
  }
  if (strcmp(written, expected) != 0) {
    add_error(diags, shown_dir, KH_ARCHIVE_MANIFEST, "读回的内容与写入的不一致");
    g_free(written);
    return false;
  }
  char **lines = g_strsplit(written, "\n", -1);
  for (char **line = lines; *line && **line; line++) {
    const char *name = *line + 66; /* 64 hex digits and two spaces */
    char *file = g_build_filename(dir, name, NULL);
    char *hex = kh_sha256_file(file, &err);
    g_free(file);
    if (!hex) {
      add_error(diags, shown_dir, name, "%s", err->message);
      g_clear_error(&err);
      ok = false;
    } else if (strncmp(hex, *line, 64) != 0) {
      add_error(diags, shown_dir, name, "封存期间文件被改动，校验和不再一致");
      ok = false;
    }
    g_free(hex);
  }
  g_strfreev(lines);
  g_free(written);
  return ok;
}
