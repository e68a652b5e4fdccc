/* Full-width punctuation next to Chinese text (punct.h). */
#include "render/punct.h"

#include <string.h>

/* One character of the input: where it is, what it becomes. */
typedef struct {
  gunichar c;     /* the character (for "\X" in Markdown: X) */
  gsize from, to; /* its bytes in the input */
  gunichar out;   /* what it becomes; 0: dropped */
  bool keep;      /* in a URL or an e-mail address: left as it is */
} unit;

static bool chinese(gunichar c) {
  if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN)
    return true;
  return (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3000 && c <= 0x30FF) ||
         (c >= 0x3100 && c <= 0x312F) || (c >= 0xFF01 && c <= 0xFF60) || c == 0x201C ||
         c == 0x201D || c == 0x2014 || c == 0x2026;
}

/* The unit at i is Chinese, as it will be printed (i may be out of range). */
static bool chinese_at(const unit *u, glong n, glong i) {
  return i >= 0 && i < n && !u[i].keep && u[i].out && chinese(u[i].out);
}

static GArray *units_of(const char *text, gsize len, bool markdown) {
  GArray *a = g_array_new(FALSE, FALSE, sizeof(unit));
  for (gsize i = 0; i < len;) {
    unit u = {0};
    u.from = i;
    if (markdown && text[i] == '\\' && i + 1 < len && g_ascii_ispunct(text[i + 1])) {
      u.c = (gunichar)text[i + 1];
      i += 2;
    } else {
      const char *next = g_utf8_find_next_char(text + i, text + len);
      u.c = g_utf8_get_char_validated(text + i, (gssize)(len - i));
      if (u.c == (gunichar)-1 || u.c == (gunichar)-2)
        u.c = 0xFFFD;
      i = next ? (gsize)(next - text) : len;
    }
    u.to = i;
    u.out = u.c;
    g_array_append_val(a, u);
  }
  return a;
}

static bool ascii_word(gunichar c) { return c < 128 && (g_ascii_isalnum((char)c)); }

/* The units from i on spell s (lower case), in any case. */
static bool starts_with(const unit *u, glong n, glong i, const char *s) {
  for (glong k = 0; s[k]; k++)
    if (i + k >= n || u[i + k].c >= 128 || g_ascii_tolower((char)u[i + k].c) != s[k])
      return false;
  return true;
}

/* Marks URLs (scheme:// or www., up to a space or Chinese text) and e-mail
 * addresses as kept. */
static void keep_addresses(unit *u, glong n) {
  static const char *const starts[] = {"http://", "https://", "ftp://", "mailto:", "www.", NULL};
  for (glong i = 0; i < n; i++) {
    bool url = false;
    for (int k = 0; starts[k] && !url; k++)
      url = starts_with(u, n, i, starts[k]) && (i == 0 || !ascii_word(u[i - 1].c));
    if (url) {
      glong j = i;
      while (j < n && u[j].c > ' ' && u[j].c < 128 && u[j].c != '<' && u[j].c != '>')
        u[j++].keep = true;
      i = j;
      continue;
    }
    if (u[i].c == '@' && i > 0 && i + 1 < n && ascii_word(u[i - 1].c) && ascii_word(u[i + 1].c)) {
      for (glong j = i; j >= 0 && (ascii_word(u[j].c) || strchr("._%+-@", (int)u[j].c)); j--)
        u[j].keep = true;
      for (glong j = i; j < n && (ascii_word(u[j].c) || strchr(".-@", (int)u[j].c)); j++)
        u[j].keep = true;
    }
  }
}

static bool touches(const unit *u, glong n, glong i) {
  return chinese_at(u, n, i - 1) || chinese_at(u, n, i + 1);
}

/* Brackets and quotation marks of one line [a, b), as pairs. */
static void convert_pairs(unit *u, glong n, glong a, glong b) {
  GArray *open = g_array_new(FALSE, FALSE, sizeof(glong));
  for (glong i = a; i < b; i++) {
    if (u[i].keep)
      continue;
    if (u[i].c == '(') {
      g_array_append_val(open, i);
    } else if (u[i].c == ')') {
      if (open->len) {
        glong o = g_array_index(open, glong, open->len - 1);
        g_array_set_size(open, open->len - 1);
        if (touches(u, n, o) || touches(u, n, i))
          u[o].out = 0xFF08, u[i].out = 0xFF09;
      } else if (touches(u, n, i)) {
        u[i].out = 0xFF09;
      }
    }
  }
  for (guint k = 0; k < open->len; k++) {
    glong o = g_array_index(open, glong, k);
    if (touches(u, n, o))
      u[o].out = 0xFF08;
  }
  g_array_unref(open);
  glong first = -1;
  for (glong i = a; i < b; i++) {
    if (u[i].keep || u[i].c != '"')
      continue;
    if (first < 0) {
      first = i;
      continue;
    }
    if (touches(u, n, first) || touches(u, n, i))
      u[first].out = 0x201C, u[i].out = 0x201D;
    first = -1;
  }
  if (first >= 0 && chinese_at(u, n, first + 1))
    u[first].out = 0x201C;
  else if (first >= 0 && chinese_at(u, n, first - 1))
    u[first].out = 0x201D;
}

static gunichar full_width(gunichar c) {
  switch (c) {
  case ',': return 0xFF0C;
  case ':': return 0xFF1A;
  case ';': return 0xFF1B;
  case '!': return 0xFF01;
  case '?': return 0xFF1F;
  default: return 0;
  }
}

/* Drops the spaces between converted marks and Chinese text on a line. */
static void drop_spaces(unit *u, glong n, glong a, glong b) {
  for (glong i = a; i < b; i++) {
    if (u[i].keep || u[i].out == u[i].c)
      continue;
    bool opening = u[i].out == 0xFF08 || u[i].out == 0x201C;
    glong step = opening ? -1 : 1, j = i + step;
    while (j >= a && j < b && u[j].c == ' ')
      j += step;
    if (j != i + step && chinese_at(u, n, j))
      for (glong k = i + step; k != j; k += step)
        u[k].out = 0;
  }
}

char *kh_punct_chinese(const char *text, gsize len, bool markdown, GArray *offsets) {
  GArray *arr = units_of(text, len, markdown);
  unit *u = (unit *)arr->data;
  glong n = (glong)arr->len;
  keep_addresses(u, n);
  for (glong a = 0; a < n;) {
    glong b = a;
    while (b < n && u[b].c != '\n')
      b++;
    convert_pairs(u, n, a, b);
    for (glong i = a; i < b; i++)
      if (!u[i].keep && full_width(u[i].c) && touches(u, n, i))
        u[i].out = full_width(u[i].c);
    drop_spaces(u, n, a, b);
    a = b + 1;
  }
  GString *out = g_string_sized_new(len + 16);
  if (offsets)
    g_array_set_size(offsets, 0);
  for (glong i = 0; i < n; i++) {
    if (u[i].keep || u[i].out == u[i].c) {
      g_string_append_len(out, text + u[i].from, (gssize)(u[i].to - u[i].from));
      continue;
    }
    if (u[i].out)
      g_string_append_unichar(out, u[i].out);
    if (offsets) {
      kh_punct_offset o = {u[i].to, out->len};
      g_array_append_val(offsets, o);
    }
  }
  g_array_unref(arr);
  return g_string_free(out, FALSE);
}

gsize kh_punct_input_offset(const GArray *offsets, gsize out_offset) {
  kh_punct_offset at = {0, 0};
  for (guint i = 0; offsets && i < offsets->len; i++) {
    const kh_punct_offset *o = &g_array_index(offsets, kh_punct_offset, i);
    if (o->out > out_offset)
      break;
    at = *o;
  }
  return at.in + (out_offset - at.out);
}

bool kh_punct_may_convert(const char *text) {
  return text && strpbrk(text, ",:;!?()\"") != NULL;
}

void kh_punct_chinese_inplace(char **s) {
  if (!s || !kh_punct_may_convert(*s))
    return;
  char *converted = kh_punct_chinese(*s, strlen(*s), false, NULL);
  g_free(*s);
  *s = converted;
}
