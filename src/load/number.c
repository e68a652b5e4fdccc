/* Numbers in CSV cells (number.h): the syntax is checked here, by hand,
 * because strtod accepts far more (signs, exponents, "inf", hex, ".5");
 * the conversion itself is g_ascii_strtod's, except for the short numbers
 * that fill monthly reports, which plain_value() converts to the same
 * double for a fraction of the cost. */
#include "load/number.h"

#include <glib.h>
#include <math.h>
#include <string.h>

static size_t count_digits(const char *s) {
  size_t n = 0;
  while (g_ascii_isdigit(s[n]))
    n++;
  return n;
}

/* Powers of ten that a double holds exactly. */
static const double POW10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
enum { EXACT_DIGITS = 15 }; /* any integer of 15 digits is an exact double */

/* The value of checked digits with at most one point ("84.71"), when they
 * are at most 15: the integer they spell and the power of ten are exact,
 * so one correctly rounded division gives the double nearest the decimal,
 * which is what strtod returns. False when there are more digits. */
static bool plain_value(const char *digits, double *out) {
  double n = 0;
  int count = 0, scale = -1;
  for (const char *p = digits; *p; p++) {
    if (*p == '.') {
      scale = 0;
      continue;
    }
    if (++count > EXACT_DIGITS)
      return false;
    n = n * 10 + (*p - '0');
    if (scale >= 0)
      scale++;
  }
  *out = scale > 0 ? n / POW10[scale] : n;
  return true;
}

kh_number_status kh_number_parse(const char *text, double *value, bool *negative) {
  if (text[0] == '\0')
    return KH_NUMBER_EMPTY;
  const char *digits = text[0] == '-' ? text + 1 : text;
  size_t lead = count_digits(digits);
  if (lead == 0)
    return KH_NUMBER_INVALID;
  const char *p = digits + lead;
  bool grouped = *p == ',';
  if (grouped) {
    /* "1,234,567": a first group of 1-3 digits not starting with 0 (so
     * "0,5" is not taken for a decimal comma), then groups of exactly 3. */
    if (lead > 3 || digits[0] == '0')
      return KH_NUMBER_INVALID;
    while (*p == ',') {
      if (count_digits(p + 1) != 3)
        return KH_NUMBER_INVALID;
      p += 4;
    }
  }
  if (*p == '.') {
    size_t frac = count_digits(p + 1);
    if (frac == 0)
      return KH_NUMBER_INVALID;
    p += 1 + frac;
  }
  if (*p != '\0')
    return KH_NUMBER_INVALID;

  double v;
  if (grouped) {
    char *plain = g_malloc(strlen(digits) + 1);
    char *o = plain;
    for (const char *s = digits; *s; s++)
      if (*s != ',')
        *o++ = *s;
    *o = '\0';
    v = g_ascii_strtod(plain, NULL);
    g_free(plain);
  } else if (!plain_value(digits, &v)) {
    v = g_ascii_strtod(digits, NULL);
  }
  if (!isfinite(v))
    return KH_NUMBER_INVALID;
  *negative = digits != text;
  *value = *negative ? -v : v;
  return KH_NUMBER_OK;
}

char *kh_number_ascii(const char *text) {
  /* Full-width digits U+FF10..FF19 are EF BC 90..99; U+FF0E (．) is
   * EF BC 8E and U+FF0C (，) EF BC 8C. */
  if (!strstr(text, "\xEF\xBC"))
    return NULL;
  GString *out = g_string_sized_new(strlen(text));
  bool changed = false;
  for (const char *p = text; *p;) {
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] == 0xEF && u[1] == 0xBC && ((u[2] >= 0x90 && u[2] <= 0x99) || u[2] == 0x8E || u[2] == 0x8C)) {
      g_string_append_c(out, u[2] == 0x8E ? '.' : u[2] == 0x8C ? ',' : (char)('0' + (u[2] - 0x90)));
      p += 3;
      changed = true;
    } else {
      g_string_append_c(out, *p++);
    }
  }
  return g_string_free(out, !changed);
}

char *kh_number_grouped(double v) {
  char buf[64];
  g_snprintf(buf, sizeof buf, "%.15g", fabs(v));
  if (strchr(buf, 'e'))
    return g_strdup_printf("%s%s", v < 0 ? "-" : "", buf);
  const char *point = strchr(buf, '.');
  size_t int_len = point ? (size_t)(point - buf) : strlen(buf);
  GString *s = g_string_new(v < 0 ? "-" : "");
  for (size_t i = 0; i < int_len; i++) {
    if (i > 0 && (int_len - i) % 3 == 0)
      g_string_append_c(s, ',');
    g_string_append_c(s, buf[i]);
  }
  if (point)
    g_string_append(s, point);
  return g_string_free(s, FALSE);
}
