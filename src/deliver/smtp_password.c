/* The SMTP password, from a file or the environment, never from argv
 * (deliver.h, the man page, docs/kaohe.1.in). */
#include "kaohe/deliver.h"

#include <string.h>
#include <glib/gstdio.h>

#define PASSWORD_ENV "KAOHE_SMTP_PASSWORD"
#define MAX_PASSWORD_FILE 4096

bool kh_smtp_read_password(const char *file, char **password, kh_diags *diags) {
  *password = NULL;
  if (!file) {
    *password = g_strdup(g_getenv(PASSWORD_ENV));
    return true;
  }
  char *text = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(file, &text, &len, &err)) {
    kh_diags_add(diags, KH_ERROR, file, 0, 0, NULL, "无法读取密码文件：%s", err->message);
    g_error_free(err);
    return false;
  }
  /* The first line is the password; its line break is not part of it. */
  text[strcspn(text, "\r\n")] = '\0';
  bool ok = len <= MAX_PASSWORD_FILE && strlen(text) > 0;
  if (!ok)
    kh_diags_add(diags, KH_ERROR, file, 0, 0, NULL,
                 len > MAX_PASSWORD_FILE ? "密码文件过大，不像是密码文件"
                                         : "密码文件的第一行是空的");
  GStatBuf st;
  if (ok && g_stat(file, &st) == 0 && (st.st_mode & 077))
    kh_diags_add(diags, KH_WARNING, file, 0, 0, NULL,
                 "密码文件其他用户也能读取，建议 chmod 600");
  if (ok)
    *password = g_steal_pointer(&text);
  else
    g_free(text);
  return ok;
}
