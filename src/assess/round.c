/* Excel's ROUND (docs/reference/scoring.md): the one rounding function of kaohe.
 *
 * Excel keeps 15 significant digits, so ROUND first takes the double to 15
 * significant digits (g_ascii_formatd's correctly rounded %.14e, in the C
 * locale whatever the process's) and then rounds that
 * decimal, half away from zero, at `decimals` places by digit arithmetic on
 * the string. The result is read back with g_ascii_strtod from an exact decimal, so
 * it is the double nearest that decimal: 2.675 -> 2.68 and 1.005 -> 1.01,
 * where rounding the binary value directly would give 2.67 and 1.0.
 *
 * That detour through text costs two conversions; round_fast() skips it
 * whenever it cannot change the answer, which is for all but values within
 * a hair of a half. */
#include "kaohe/assess.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIG_DIGITS = 15 };

/* Powers of ten that a double holds exactly. */
static const double POW10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* kh_round's answer straight from the binary value, when that is sure to be
 * it: t = |x|·10^decimals is computed with a relative error under 2^-53,
 * and taking x to 15 significant digits moves it by at most 5·10^-15 of
 * itself, so unless t lies within 2·10^-14·t of a half the decimal rounds
 * to the same integer n as t does (near an integer both give that
 * integer). n and the power of ten are exact doubles, so n / 10^decimals
 * is correctly rounded: the double strtod would read. Returns false when
 * the digits must decide. */
static bool round_fast(double x, int decimals, double *out) {
  if (decimals < 0 || decimals >= (int)G_N_ELEMENTS(POW10))
    return false;
  double scale = POW10[decimals], t = fabs(x) * scale;
  if (!(t < 1e14)) /* 15 digits reach past 10^-decimals */
    return false;
  double whole = floor(t), frac = t - whole;
  if (fabs(frac - 0.5) <= 2e-14 * t)
    return false;
  double n = whole + (frac > 0.5);
  *out = n == 0 ? 0.0 : (x < 0 ? -n : n) / scale;
  return true;
}

double kh_round(double x, int decimals) {
  if (!isfinite(x) || x == 0)
    return isfinite(x) ? 0.0 : x;
  double fast;
  if (round_fast(x, decimals, &fast))
    return fast;

  /* "-d.dddddddddddddde+NNN": the sign, 15 digits and the exponent. */
  char buf[64];
  g_ascii_formatd(buf, sizeof buf, "%.14e", x); /* SIG_DIGITS - 1; C locale's point */
  bool negative = buf[0] == '-';
  const char *p = buf + negative;
  char digits[SIG_DIGITS + 1];
  int n = 0;
  for (; *p && *p != 'e'; p++)
    if (g_ascii_isdigit(*p) && n < SIG_DIGITS)
      digits[n++] = *p;
  digits[n] = '\0';
  int exponent = atoi(p + 1);

  /* Digit k has the place value 10^(exponent - k); keep those down to
   * 10^-decimals. */
  long keep = (long)exponent + decimals + 1;
  char out[SIG_DIGITS + 48];
  if (keep >= SIG_DIGITS) {
    snprintf(out, sizeof out, "%s%se%d", negative ? "-" : "", digits,
             exponent - (SIG_DIGITS - 1));
    /* Only near DBL_MAX can 15 digits round past the largest double. */
    double r = g_ascii_strtod(out, NULL);
    return isfinite(r) ? r : x;
  }
  if (keep < 0)
    return 0.0;

  /* The kept digits as an integer count of 10^-decimals, plus the carry of
   * the first dropped digit (half away from zero: the magnitude goes up). */
  long long units = 0;
  for (long k = 0; k < keep; k++)
    units = units * 10 + (digits[k] - '0');
  if (digits[keep] >= '5')
    units++;
  if (units == 0)
    return 0.0;
  snprintf(out, sizeof out, "%s%llde%d", negative ? "-" : "", units, -decimals);
  return g_ascii_strtod(out, NULL);
}
