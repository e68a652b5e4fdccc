/* The system's own words in a message, said in Chinese (docs/decisions.md, Installing).
 *
 * The library reports a failed file operation with what the system or GLib
 * says, e.g. "无法写入: Failed to create file “out/x.pdf”: No space left on
 * device": outside a Chinese locale (and C.UTF-8 is the default of a fresh
 * Debian) that is English. Only the front-ends know a person reads it
 * (the command line's printing, the web console's pages), so they have the
 * message explained here: the English tail is kept
 * whole, as the technical detail in parentheses, after the Chinese for the
 * error it ends with: "无法写入：磁盘空间已满（Failed to create file …: No
 * space left on device）". The English texts compared with are the C
 * locale's, whatever the user's locale; a message that does not end with
 * one (a Chinese locale's own words included) is left as it is. */
#include "kaohe/diag.h"

#include <errno.h>
#include <locale.h>
#include <string.h>

static const struct {
  int code;
  const char *words;
} chinese[] = {
    {EPERM, "不允许此操作"},
    {ENOENT, "文件或目录不存在"},
    {EIO, "磁盘读写出错"},
    {ENXIO, "设备不存在"},
    {E2BIG, "参数过长"},
    {EBADF, "文件已关闭"},
    {EAGAIN, "资源暂时不可用"},
    {ENOMEM, "内存不足"},
    {EACCES, "没有访问权限"},
    {EBUSY, "设备或文件正被占用"},
    {EEXIST, "文件已存在"},
    {EXDEV, "不能跨磁盘移动"},
    {ENODEV, "设备不存在"},
    {ENOTDIR, "路径中有一项不是目录"},
    {EISDIR, "这是一个目录"},
    {EINVAL, "参数无效"},
    {ENFILE, "系统打开的文件过多"},
    {EMFILE, "打开的文件过多"},
    {ETXTBSY, "文件正被执行"},
    {EFBIG, "文件过大"},
    {ENOSPC, "磁盘空间已满"},
    {EROFS, "磁盘只读"},
    {EMLINK, "链接过多"},
    {EPIPE, "管道已断开"},
    {ENAMETOOLONG, "文件名过长"},
    {ENOTEMPTY, "目录不是空的"},
    {ELOOP, "符号链接层数过多"},
    {EILSEQ, "字符编码无效"},
    {EDQUOT, "超出磁盘配额"},
    {ETIMEDOUT, "连接超时"},
    {ECONNREFUSED, "连接被拒绝"},
    {ECONNRESET, "连接被对方重置"},
    {EHOSTUNREACH, "无法到达主机"},
    {ENETUNREACH, "网络不可达"},
    {ENOTCONN, "未连接"},
    {EOPNOTSUPP, "不支持此操作"},
};

/* Whether c is a Chinese character or full-width punctuation. */
static bool is_chinese(gunichar c) {
  return (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xFF00 && c <= 0xFFEF);
}

/* Where the English tail of message begins: after its last Chinese
 * character that is not inside quotes (file names may be Chinese). */
static const char *english_tail(const char *message) {
  const char *tail = message;
  bool quoted = false;
  for (const char *p = message; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c == 0x201C || c == 0x201D) /* “ ” */
      quoted = c == 0x201C;
    else if (c == '"')
      quoted = !quoted;
    else if (!quoted && is_chinese(c))
      tail = g_utf8_next_char(p);
  }
  while (*tail == ' ' || *tail == ':')
    tail++;
  return tail;
}

char *kh_explain_system_words(const char *message) {
  static locale_t c_locale;
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    g_once_init_leave(&once, 1);
  }
  size_t len = strlen(message);
  for (size_t i = 0; c_locale && i < G_N_ELEMENTS(chinese); i++) {
    const char *english = strerror_l(chinese[i].code, c_locale);
    size_t n = strlen(english);
    if (n > len || strcmp(message + len - n, english) != 0)
      continue;
    const char *tail = english_tail(message);
    /* the message's own words, without the ": " that led to the detail */
    GString *out = g_string_new_len(message, tail - message);
    while (out->len && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == ':'))
      g_string_truncate(out, out->len - 1);
    if (g_str_has_suffix(out->str, "："))
      g_string_truncate(out, out->len - strlen("："));
    g_string_append_printf(out, "%s%s（%s）", out->len ? "：" : "", chinese[i].words, tail);
    return g_string_free(out, FALSE);
  }
  return g_strdup(message);
}
