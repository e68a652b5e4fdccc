/* HTML and Markdown escaping of interpolated values (escape.h). */
#include "render/template/escape.h"

#include <string.h>

void kh_escape_html(GString *out, const char *text, gsize len) {
  for (gsize i = 0; i < len; i++) {
    switch (text[i]) {
    case '&': g_string_append(out, "&amp;"); break;
    case '<': g_string_append(out, "&lt;"); break;
    case '>': g_string_append(out, "&gt;"); break;
    case '"': g_string_append(out, "&quot;"); break;
    case '\'': g_string_append(out, "&#39;"); break;
    default: g_string_append_c(out, text[i]);
    }
  }
}

/* U+E000 (markdown.h's partial sentinel) and U+FFFD in UTF-8. */
#define SENTINEL_UTF8 "\xEE\x80\x80"
#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"

void kh_escape_markdown(GString *out, const char *text, gsize len) {
  for (gsize i = 0; i < len; i++) {
    char c = text[i];
    if (c == '\n' || c == '\r' || c == '\t') {
      g_string_append_c(out, ' ');
    } else if (g_ascii_ispunct(c)) {
      g_string_append_c(out, '\\');
      g_string_append_c(out, c);
    } else if (c == SENTINEL_UTF8[0] && len - i >= 3 &&
               memcmp(text + i, SENTINEL_UTF8, 3) == 0) {
      g_string_append(out, REPLACEMENT_UTF8);
      i += 2;
    } else {
      g_string_append_c(out, c);
    }
  }
}
