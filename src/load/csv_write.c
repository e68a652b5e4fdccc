/* CSV as the spreadsheets of the county offices read it (load.h): cells
 * quoted as RFC 4180 says, files in UTF-8 with a BOM (so Excel and WPS take
 * them for UTF-8, not the ANSI code page) and CRLF line ends (so the
 * Notepad of older Windows shows lines). */
#include "kaohe/load.h"

#include <string.h>

void kh_csv_append_cell(GString *out, const char *text) {
  if (!strpbrk(text, ",\"\r\n")) {
    g_string_append(out, text);
    return;
  }
  g_string_append_c(out, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

char *kh_windows_text(const char *text, gsize *len) {
  GString *out = g_string_new("\xEF\xBB\xBF");
  if (g_str_has_prefix(text, "\xEF\xBB\xBF"))
    text += 3;
  for (const char *p = text; *p; p++) {
    if (*p == '\r' && p[1] == '\n')
      continue; /* its "\n" makes the line end */
    if (*p == '\r' || *p == '\n')
      g_string_append(out, "\r\n");
    else
      g_string_append_c(out, *p);
  }
  *len = out->len;
  return g_string_free(out, FALSE);
}
