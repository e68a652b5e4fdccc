/* Reading dataset files as UTF-8 (docs/reference/dataset.md): a file that is valid UTF-8 is
 * read as UTF-8 (a BOM is dropped), any other as GB18030, which is what Excel
 * and WPS write on Chinese Windows; one that starts with a UTF-16 BOM is
 * UTF-16 (v2). Bytes that none accepts, NUL bytes and Excel workbooks are
 * errors located at the offending byte. */
#include "load/encoding.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define UTF8_BOM "\xEF\xBB\xBF"
#define REPLACEMENT_CHAR "\xEF\xBF\xBD"

/* Files that people save by mistake instead of CSV, known by their first
 * bytes. */
static const struct {
  const char *magic;
  gsize len;
  const char *message;
} not_csv[] = {
    {"PK\x03\x04", 4, "这是 Excel 工作簿，不是 CSV 文件：请在 Excel 中另存为 CSV"},
    {"\xD0\xCF\x11\xE0", 4, "这是 Excel 工作簿，不是 CSV 文件：请在 Excel 中另存为 CSV"},
};

/* True when raw[i] ends a line: "\n", or a "\r" not followed by "\n" (the
 * CSV reader counts lines the same way). */
static bool ends_line(const char *raw, gsize raw_len, gsize i) {
  return raw[i] == '\n' ||
         (raw[i] == '\r' && (i + 1 >= raw_len || raw[i + 1] != '\n'));
}

/* Adds an error at byte `offset` of raw: its line, its column in characters
 * (the line's start decoded as UTF-8 when valid, else as GB18030), and that
 * start of the line shown with a replacement character for the bad byte. */
static void error_at(const char *path, const char *raw, gsize raw_len,
                     gsize offset, kh_diags *diags, const char *message) {
  int line = 1;
  gsize start = 0;
  for (gsize i = 0; i < offset; i++)
    if (ends_line(raw, raw_len, i)) {
      line++;
      start = i + 1;
    }
  if (start == 0 && offset >= 3 && memcmp(raw, UTF8_BOM, 3) == 0)
    start = 3;
  const char *seg = raw + start;
  gsize seg_len = offset - start;
  char *text = NULL;
  if (g_utf8_validate(seg, (gssize)seg_len, NULL))
    text = g_strndup(seg, seg_len);
  else
    text = g_convert(seg, (gssize)seg_len, "UTF-8", "GB18030", NULL, NULL, NULL);
  if (!text)
    text = g_utf8_make_valid(seg, (gssize)seg_len);
  int col = (int)g_utf8_strlen(text, -1) + 1;
  char *shown = g_strconcat(text, REPLACEMENT_CHAR, NULL);
  kh_diags_add(diags, KH_ERROR, path, line, col, shown, "%s", message);
  g_free(shown);
  g_free(text);
}

/* UTF-16 with a BOM (Excel's "Unicode text", docs/reference/dataset.md), as UTF-8;
 * NULL (reported) when it does not decode. */
static char *decode_utf16(const char *path, const char *raw, gsize raw_len, gsize *written,
                          kh_diags *diags) {
  const char *from = (unsigned char)raw[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
  GError *err = NULL;
  gsize read = 0;
  char *text = g_convert(raw + 2, (gssize)(raw_len - 2), "UTF-8", from, &read, written, &err);
  g_clear_error(&err);
  if (!text || read < raw_len - 2) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "文件以 UTF-16 的标记开头，但第 %" G_GSIZE_FORMAT " 个字节起无法按 UTF-16 解码",
                 read + 3);
    g_free(text);
    return NULL;
  }
  kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL,
               "文件是 UTF-16 编码（Excel 的“Unicode 文本”），已按 UTF-16 读取");
  return text;
}

char *kh_decode_text(const char *path, const char *raw, gsize raw_len,
                     gsize *len, kh_diags *diags) {
  if (raw_len >= 2 && (memcmp(raw, "\xFF\xFE", 2) == 0 || memcmp(raw, "\xFE\xFF", 2) == 0)) {
    gsize n = 0;
    char *text = decode_utf16(path, raw, raw_len, &n, diags);
    if (!text)
      return NULL;
    if (strlen(text) != n) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "文件含有 NUL 字符，不是文本文件");
      g_free(text);
      return NULL;
    }
    *len = n;
    return text;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(not_csv); i++)
    if (raw_len >= not_csv[i].len &&
        memcmp(raw, not_csv[i].magic, not_csv[i].len) == 0) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "%s", not_csv[i].message);
      return NULL;
    }
  const char *nul = memchr(raw, '\0', raw_len);
  if (nul) {
    error_at(path, raw, raw_len, (gsize)(nul - raw), diags,
             "文件含有 NUL 字节，不是文本文件");
    return NULL;
  }

  const char *utf8_end = NULL;
  char *text;
  if (g_utf8_validate(raw, (gssize)raw_len, &utf8_end)) {
    text = g_strndup(raw, raw_len);
  } else {
    gsize read = 0;
    GError *err = NULL;
    text = g_convert(raw, (gssize)raw_len, "UTF-8", "GB18030", &read, NULL, &err);
    g_clear_error(&err);
    /* With bytes_read given, g_convert reports a partial character at the
     * end as success with read < raw_len. */
    if (!text || read < raw_len) {
      /* Neither encoding reads the file: the one that read further is
       * taken to be the file's, and its first bad byte is reported. */
      gsize bad = MAX(read, (gsize)(utf8_end - raw));
      bad = MIN(bad, raw_len - 1);
      char *message = g_strdup_printf(
          "无法识别的字节 0x%02X（文件既不是 UTF-8 也不是 GB18030 编码）",
          (unsigned char)raw[bad]);
      error_at(path, raw, raw_len, bad, diags, message);
      g_free(message);
      g_free(text);
      return NULL;
    }
  }
  gsize n = strlen(text);
  if (n >= 3 && memcmp(text, UTF8_BOM, 3) == 0) {
    memmove(text, text + 3, n - 2);
    n -= 3;
  }
  *len = n;
  return text;
}

char *kh_read_text_file(const char *path, gsize *len, kh_diags *diags) {
  GStatBuf st;
  if (g_stat(path, &st) != 0) {
    int e = errno;
    if (e == ENOENT)
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "文件不存在");
    else
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法读取文件：%s",
                   g_strerror(e));
    return NULL;
  }
  if (S_ISDIR(st.st_mode)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "这是目录，不是文件");
    return NULL;
  }
  /* A pipe would block the run forever and a device such as /dev/zero never
   * ends: only regular files (also through a symbolic link) are read. */
  if (!S_ISREG(st.st_mode)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "不是普通文件（管道、设备等无法读取）");
    return NULL;
  }
  if ((guint64)st.st_size > KH_MAX_FILE_BYTES) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "文件过大（超过 %u MB）",
                 KH_MAX_FILE_BYTES / (1024u * 1024u));
    return NULL;
  }
  char *raw = NULL;
  gsize raw_len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &raw, &raw_len, &err)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法读取文件：%s",
                 err->message);
    g_error_free(err);
    return NULL;
  }
  char *text = kh_decode_text(path, raw, raw_len, len, diags);
  g_free(raw);
  return text;
}
