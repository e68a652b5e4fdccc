/* Numbers and dates for people (format.h). */
#include "render/format.h"

#include <glib.h>
#include <math.h>
#include <string.h>

char *kh_fmt_number(double v, int decimals) {
  if (!isfinite(v))
    return g_strdup("—");
  if (decimals < 0)
    decimals = 0;
  char *s = g_strdup_printf("%.*f", decimals, v);
  if (strchr(s, '.')) {
    char *end = s + strlen(s) - 1;
    while (*end == '0')
      *end-- = '\0';
    if (*end == '.')
      *end = '\0';
  }
  if (strcmp(s, "-0") == 0)
    s[0] = '0', s[1] = '\0';
  return s;
}

char *kh_fmt_fixed(double v, int decimals) {
  if (!isfinite(v))
    return g_strdup("—");
  char *s = g_strdup_printf("%.*f", decimals < 0 ? 0 : decimals, v);
  if (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1))
    memmove(s, s + 1, strlen(s)); /* no "-0.00" */
  return s;
}

char *kh_fmt_value(double v, int decimals, const char *unit) {
  char *n = kh_fmt_number(v, decimals);
  char *s = g_strconcat(n, isfinite(v) && unit ? unit : "", NULL);
  g_free(n);
  return s;
}

char *kh_fmt_gap(double gap, int decimals, const char *unit) {
  char *n = kh_fmt_number(gap, decimals);
  char *s = g_strconcat(n, unit && strcmp(unit, "%") == 0 ? "个百分点" : (unit ? unit : ""), NULL);
  g_free(n);
  return s;
}

char *kh_fmt_date(int year, int month, int day) {
  return g_strdup_printf("%d年%d月%d日", year, month, day);
}

char *kh_fmt_docno(const char *prefix, int year, int n) {
  return g_strdup_printf("%s〔%d〕%d号", prefix ? prefix : "", year, n);
}
