/* The small value syntaxes of rules.ini (rules_values.h): numbers, dates,
 * the target operator, the scoring method and the rank range. */
#include "load/rules_values.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(gunichar c) {
  return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0;
}

char *kh_ini_trim_end(char *s) {
  char *end = s + strlen(s);
  while (end > s) {
    char *prev = g_utf8_find_prev_char(s, end);
    if (!is_blank(g_utf8_get_char(prev)))
      break;
    end = prev;
  }
  *end = '\0';
  return s;
}

bool kh_is_identifier(const char *s) {
  if (!(g_ascii_islower(*s) || *s == '_'))
    return false;
  for (s++; *s; s++)
    if (!(g_ascii_islower(*s) || g_ascii_isdigit(*s) || *s == '_'))
      return false;
  return true;
}

static const char *skip_blanks(const char *p) {
  while (*p && is_blank(g_utf8_get_char(p)))
    p = g_utf8_next_char(p);
  return p;
}

/* The end of the word at p: the next blank or the end of the text. */
static const char *word_end(const char *p) {
  while (*p && !is_blank(g_utf8_get_char(p)))
    p = g_utf8_next_char(p);
  return p;
}

/* Reads digits[.digits] at p; *end after it. False (with *end at the
 * offending character) when p does not start such a number. */
static bool scan_decimal(const char *p, double *out, const char **end) {
  const char *q = p;
  while (g_ascii_isdigit(*q))
    q++;
  if (q == p) {
    *end = p;
    return false;
  }
  if (*q == '.') {
    if (!g_ascii_isdigit(q[1])) {
      *end = q;
      return false;
    }
    q++;
    while (g_ascii_isdigit(*q))
      q++;
  }
  char *text = g_strndup(p, (gsize)(q - p));
  *out = g_ascii_strtod(text, NULL);
  g_free(text);
  *end = isfinite(*out) ? q : p;
  return isfinite(*out);
}

bool kh_ini_decimal(const char *s, double *out, const char **bad) {
  const char *end = s;
  if (!scan_decimal(s, out, &end) || *end) {
    *bad = end;
    return false;
  }
  return true;
}

bool kh_ini_int(const char *s, int lo, int hi, int *out, const char **bad) {
  const char *p = s;
  while (g_ascii_isdigit(*p))
    p++;
  guint64 v = 0;
  if (p == s || *p ||
      !g_ascii_string_to_unsigned(s, 10, (guint64)lo, (guint64)hi, &v, NULL)) {
    *bad = p == s || !*p ? s : p;
    return false;
  }
  *out = (int)v;
  return true;
}

char *kh_ini_bool(const char *s, bool *out, const char **bad) {
  if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
    *out = s[0] == 't';
    return NULL;
  }
  *bad = s;
  return g_strdup_printf("应为 true 或 false，而不是“%s”", s);
}

char *kh_ini_date(const char *s, int *year, int *month, int *day,
                  const char **bad) {
  static const char shape[] = "dddd-dd-dd";
  for (size_t i = 0; i < sizeof shape; i++) {
    bool ok = shape[i] == 'd'   ? g_ascii_isdigit(s[i])
              : shape[i] == '-' ? s[i] == '-'
                                : s[i] == '\0';
    if (!ok) {
      *bad = s + i;
      return g_strdup_printf(
          "日期应写作 YYYY-MM-DD（如 2013-09-15），而不是“%s”", s);
    }
  }
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y)) {
    *bad = s;
    return g_strdup_printf("“%s”不是有效的日期", s);
  }
  *year = y;
  *month = m;
  *day = d;
  return NULL;
}

char *kh_ini_target(const char *s, kh_op *op, const char **formula,
                    const char **bad) {
  if (strncmp(s, ">=", 2) != 0 && strncmp(s, "<=", 2) != 0) {
    *bad = s;
    return g_strdup("应以 >= 或 <= 开头，后接公式（如 >= 95）");
  }
  *op = s[0] == '>' ? KH_OP_GE : KH_OP_LE;
  *formula = skip_blanks(s + 2);
  return NULL;
}

/* The next word must be a decimal (> 0 when positive): its value in *v. */
static char *method_number(const char **p, const char *name, bool positive,
                           const char *usage, double *v, const char **bad) {
  const char *start = skip_blanks(*p);
  const char *end = word_end(start);
  *p = end;
  if (start == end) {
    *bad = start;
    return g_strdup_printf("应写作 %s", usage);
  }
  char *word = g_strndup(start, (gsize)(end - start));
  const char *at = word;
  char *msg = NULL;
  if (!kh_ini_decimal(word, v, &at))
    msg = g_strdup_printf("%s 应为%s，而不是“%s”", name,
                          positive ? "正数" : "非负数", word);
  else if (positive && *v <= 0)
    msg = g_strdup_printf("%s 应大于 0", name);
  if (msg)
    *bad = start + (at - word);
  g_free(word);
  return msg;
}

/* The next word must be `word`. */
static char *method_word(const char **p, const char *word, const char *usage,
                         const char **bad) {
  const char *start = skip_blanks(*p);
  const char *end = word_end(start);
  *p = end;
  if ((size_t)(end - start) == strlen(word) &&
      strncmp(start, word, (size_t)(end - start)) == 0)
    return NULL;
  *bad = start;
  return g_strdup_printf("应写作 %s", usage);
}

char *kh_ini_method(const char *s, kh_method *method, double *points,
                    double *per, const char **bad) {
  static const char deduct_usage[] = "deduct P per U（如 deduct 2 per 1）";
  static const char rank_usage[] = "rank P（如 rank 2）";
  const char *p = word_end(s);
  char *first = g_strndup(s, (gsize)(p - s));
  char *msg = NULL;
  *points = 0;
  *per = 0;
  if (strcmp(first, "all-or-nothing") == 0) {
    *method = KH_METHOD_ALL_OR_NOTHING;
  } else if (strcmp(first, "proportional") == 0) {
    *method = KH_METHOD_PROPORTIONAL;
  } else if (strcmp(first, "deduct") == 0) {
    *method = KH_METHOD_DEDUCT;
    msg = method_number(&p, "P", false, deduct_usage, points, bad);
    if (!msg)
      msg = method_word(&p, "per", deduct_usage, bad);
    if (!msg)
      msg = method_number(&p, "U", true, deduct_usage, per, bad);
  } else if (strcmp(first, "rank") == 0) {
    *method = KH_METHOD_RANK;
    msg = method_number(&p, "P", false, rank_usage, points, bad);
  } else {
    *bad = s;
    msg = g_strdup_printf("未知的计分方法“%s”（可用：all-or-nothing、"
                          "proportional、deduct P per U、rank P）",
                          first);
  }
  g_free(first);
  p = skip_blanks(p);
  if (!msg && *p) {
    *bad = p;
    msg = g_strdup_printf("多余的内容“%s”", p);
  }
  return msg;
}

char *kh_ini_ranks(const char *s, int *lo, int *hi, const char **bad) {
  static const char usage[] =
      "应写作名次 A 或名次范围 A-B（如 1 或 2-3），名次从 1 起";
  const char *dash = strchr(s, '-');
  char *a = g_strstrip(g_strndup(s, dash ? (gsize)(dash - s) : strlen(s)));
  char *b = dash ? g_strstrip(g_strdup(dash + 1)) : g_strdup(a);
  const char *b_at = dash ? skip_blanks(dash + 1) : s;
  const char *at = NULL;
  char *msg = NULL;
  if (!kh_ini_int(a, 1, G_MAXINT, lo, &at)) {
    *bad = s + (at - a);
    msg = g_strdup(usage);
  } else if (!kh_ini_int(b, 1, G_MAXINT, hi, &at)) {
    *bad = b_at + (at - b);
    msg = g_strdup(usage);
  } else if (*hi < *lo) {
    *bad = b_at;
    msg = g_strdup_printf("名次范围的终点 %d 小于起点 %d", *hi, *lo);
  }
  g_free(a);
  g_free(b);
  return msg;
}
