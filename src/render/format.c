/* Numbers and dates for people (format.h). */
#include "kaohe/render.h"

#include <glib.h>
#include <math.h>
#include <string.h>

char *kh_fmt_decimal(double v, int decimals) {
  /* Enough for "%.Nf" of any finite double: 309 integer digits, a sign, a
   * point and the decimals. */
  char buf[320 + KH_FMT_MAX_DECIMALS];
  char format[16];
  decimals = CLAMP(decimals, 0, KH_FMT_MAX_DECIMALS);
  g_snprintf(format, sizeof format, "%%.%df", decimals);
  return g_strdup(g_ascii_formatd(buf, sizeof buf, format, v));
}

char *kh_fmt_number(double v, int decimals) {
  if (!isfinite(v))
    return g_strdup("—");
  char *s = kh_fmt_decimal(v, decimals);
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
  char *s = kh_fmt_decimal(v, decimals);
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
