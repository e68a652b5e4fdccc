/* Number formats and what they show (xlsx_common.h): the unit a literal
 * suffix, a gap's zero a plain 0; and the highest total a township can
 * reach. */
#include "render/xlsx_internal.h"

#include <math.h>
#include <string.h>
#include "kaohe/kaohe.h"
#include "kaohe/render.h"

/* The longest prefix of s (made valid UTF-8) of at most max_bytes that ends
 * at a character boundary. Caller frees with g_free(). */
static char *utf8_prefix(const char *s, gsize max_bytes) {
  char *valid = g_utf8_make_valid(s, -1);
  const char *end = valid;
  while (*end && (gsize)(g_utf8_next_char(end) - valid) <= max_bytes)
    end = g_utf8_next_char(end);
  char *out = g_strndup(valid, end - valid);
  g_free(valid);
  return out;
}

int kh_xlsx_clamp_decimals(int decimals) {
  return decimals < 0 ? 0 : decimals > 15 ? 15 : decimals;
}

char *kh_xlsx_number_format(int decimals, const char *suffix) {
  GString *f = g_string_new("0");
  decimals = kh_xlsx_clamp_decimals(decimals);
  if (decimals > 0) {
    g_string_append_c(f, '.');
    for (int k = 0; k < decimals; k++)
      g_string_append_c(f, '0');
  }
  /* libxlsxwriter keeps 127 bytes of a number format: cut a long unit. */
  char *cut = utf8_prefix(suffix ? suffix : "", 24);
  suffix = cut;
  if (*suffix) {
    /* A literal in quotes; a quote inside leaves the quotes and is escaped. */
    g_string_append_c(f, '"');
    for (const char *p = suffix; *p; p++) {
      if (*p == '"')
        g_string_append(f, "\"\\\"\"");
      else
        g_string_append_c(f, *p);
    }
    g_string_append_c(f, '"');
  }
  g_free(cut);
  return g_string_free(f, FALSE);
}

char *kh_xlsx_number_text(double v, int decimals, const char *suffix) {
  if (!isfinite(v))
    return g_strdup("");
  if (v == 0)
    v = 0; /* no "-0.00" */
  char *number = kh_fmt_decimal(v, kh_xlsx_clamp_decimals(decimals));
  char *text = g_strconcat(number, suffix ? suffix : "", NULL);
  g_free(number);
  return text;
}

const char *kh_xlsx_gap_suffix(const char *unit) {
  if (unit && strcmp(unit, "%") == 0)
    return "个百分点";
  return unit ? unit : "";
}

char *kh_xlsx_gap_format(int decimals, const char *unit) {
  char *one = kh_xlsx_number_format(decimals, kh_xlsx_gap_suffix(unit));
  char *f = g_strdup_printf("%s;-%s;0", one, one);
  g_free(one);
  return f;
}

double kh_xlsx_max_total(const kh_month_result *r) {
  double sum = 0;
  for (int i = 0; i < r->n_indicators; i++)
    sum += kh_result_indicator(r, i)->weight;
  return sum;
}
