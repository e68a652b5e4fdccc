/* MIME's header and body encodings (mime_encode.h). */
#include "deliver/mime_encode.h"

#include <string.h>

#define WORD_START "=?UTF-8?B?"
#define WORD_END "?="
#define WORD_OVERHEAD ((int)(sizeof WORD_START - 1 + sizeof WORD_END - 1))
#define FOLD "\r\n "

/* Bytes of whole characters from s that fit in max_bytes. */
static size_t whole_chars(const char *s, size_t max_bytes) {
  size_t n = 0;
  while (s[n]) {
    size_t next = g_utf8_next_char(s + n) - s;
    if (next > max_bytes)
      break;
    n = next;
  }
  return n;
}

/* Room for one encoded word's base64, as bytes of text, at column col. */
static size_t word_room(int col, int reserve) {
  int chars = KH_MIME_LINE - col - WORD_OVERHEAD - reserve;
  return chars < 4 ? 0 : (size_t)(chars / 4) * 3;
}

/* Bytes of p for one word at column col; the word that ends the text must
 * also leave `reserve` characters free after it. */
static size_t fit(const char *p, int col, int reserve) {
  size_t take = whole_chars(p, word_room(col, 0));
  return p[take] == '\0' ? whole_chars(p, word_room(col, reserve)) : take;
}

int kh_mime_append_words(GString *out, const char *utf8, int col, int reserve) {
  for (const char *p = utf8; *p;) {
    if (p != utf8) {
      g_string_append(out, FOLD);
      col = 1;
    }
    size_t take = fit(p, col, reserve);
    if (take == 0) { /* not one character fits beside what the line holds */
      g_string_append(out, FOLD);
      col = 1;
      take = MAX(fit(p, col, reserve), (size_t)(g_utf8_next_char(p) - p));
    }
    char *b64 = g_base64_encode((const guchar *)p, take);
    g_string_append_printf(out, WORD_START "%s" WORD_END, b64);
    col += WORD_OVERHEAD + (int)strlen(b64);
    g_free(b64);
    p += take;
  }
  return col;
}

static bool is_attr_char(unsigned char c) {
  return g_ascii_isalnum(c) || (c && strchr("!#$&+-.^_`|~", c));
}

/* utf8 percent-encoded as an RFC 2231 value, one string per character. */
static GPtrArray *percent_chars(const char *utf8) {
  GPtrArray *chars = g_ptr_array_new_with_free_func(g_free);
  for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
    GString *c = g_string_new(NULL);
    for (const char *b = p; b < g_utf8_next_char(p); b++) {
      if (is_attr_char((unsigned char)*b))
        g_string_append_c(c, *b);
      else
        g_string_append_printf(c, "%%%02X", (unsigned char)*b);
    }
    g_ptr_array_add(chars, g_string_free(c, FALSE));
  }
  return chars;
}

void kh_mime_append_rfc2231(GString *out, const char *name, const char *utf8) {
  GPtrArray *chars = percent_chars(utf8);
  GString *value = g_string_new(NULL);
  for (guint i = 0; i < chars->len; i++)
    g_string_append(value, g_ptr_array_index(chars, i));
  /* " NAME*=UTF-8''VALUE;" on one line when it fits. */
  if (1 + strlen(name) + 9 + value->len + 1 <= KH_MIME_LINE) {
    g_string_append_printf(out, ";" FOLD "%s*=UTF-8''%s", name, value->str);
  } else {
    guint i = 0;
    for (int k = 0; i < chars->len; k++) {
      GString *line = g_string_new(NULL);
      g_string_printf(line, " %s*%d*=%s", name, k, k == 0 ? "UTF-8''" : "");
      while (i < chars->len &&
             line->len + strlen(g_ptr_array_index(chars, i)) + 1 <= KH_MIME_LINE)
        g_string_append(line, g_ptr_array_index(chars, i++));
      g_string_append_printf(out, ";\r\n%s", line->str);
      g_string_free(line, TRUE);
    }
  }
  g_string_free(value, TRUE);
  g_ptr_array_unref(chars);
}

void kh_mime_append_base64(GString *out, const void *data, gsize len) {
  char *b64 = g_base64_encode(data, len);
  size_t n = strlen(b64);
  for (size_t i = 0; i < n; i += KH_MIME_LINE) {
    g_string_append_len(out, b64 + i, MIN((size_t)KH_MIME_LINE, n - i));
    g_string_append(out, "\r\n");
  }
  g_free(b64);
}

char *kh_mime_crlf(const char *text) {
  GString *out = g_string_sized_new(strlen(text) + 16);
  for (const char *p = text; *p; p++) {
    if (*p == '\n' && (p == text || p[-1] != '\r'))
      g_string_append_c(out, '\r');
    g_string_append_c(out, *p);
  }
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append(out, "\r\n");
  return g_string_free(out, FALSE);
}

char *kh_mime_date(time_t t) {
  static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  GDateTime *utc = g_date_time_new_from_unix_utc(t);
  GDateTime *china = g_date_time_add_hours(utc, 8);
  char *date = g_strdup_printf(
      "%s, %02d %s %04d %02d:%02d:%02d +0800",
      days[g_date_time_get_day_of_week(china) % 7], g_date_time_get_day_of_month(china),
      months[g_date_time_get_month(china) - 1], g_date_time_get_year(china),
      g_date_time_get_hour(china), g_date_time_get_minute(china),
      g_date_time_get_second(china));
  g_date_time_unref(china);
  g_date_time_unref(utc);
  return date;
}
