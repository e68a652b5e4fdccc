/* Excel's ROUND (SPEC §3.2): the one rounding function of kaohe.
 *
 * Excel keeps 15 significant digits, so ROUND first takes the double to 15
 * significant digits (printf's correctly rounded %.14e) and then rounds that
 * decimal, half away from zero, at `decimals` places by digit arithmetic on
 * the string. The result is read back with strtod from an exact decimal, so
 * it is the double nearest that decimal: 2.675 -> 2.68 and 1.005 -> 1.01,
 * where rounding the binary value directly would give 2.67 and 1.0. */
#include "kaohe/assess.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIG_DIGITS = 15 };

double kh_round(double x, int decimals) {
  if (!isfinite(x) || x == 0)
    return isfinite(x) ? 0.0 : x;

  /* "-d.dddddddddddddde+NNN": the sign, 15 digits and the exponent. */
  char buf[64];
  snprintf(buf, sizeof buf, "%.*e", SIG_DIGITS - 1, x);
  bool negative = buf[0] == '-';
  const char *p = buf + negative;
  char digits[SIG_DIGITS + 1];
  int n = 0;
  for (; *p && *p != 'e'; p++)
    if (*p != '.')
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
    double r = strtod(out, NULL);
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
  return strtod(out, NULL);
}
