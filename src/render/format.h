/* Numbers and dates for people, in one place, so the PDF, the workbooks,
 * the mail and the terminal table never disagree. */
#ifndef KAOHE_RENDER_FORMAT_H
#define KAOHE_RENDER_FORMAT_H

#include <glib.h>

/* The most decimals any of these writes; more are taken as this many. */
#define KH_FMT_MAX_DECIMALS 20

/* v as printf's "%.Nf" (N = decimals, 0 to KH_FMT_MAX_DECIMALS) in the C
 * locale, whatever the process's: "125.5", never "125,5". Every number
 * kaohe writes goes through it (docs/decisions.md, Installing). Caller frees with g_free(). */
char *kh_fmt_decimal(double v, int decimals);

/* An already rounded number in its shortest form at most `decimals`
 * places: 84.71, 107, 0.86, 125.5. Caller frees with g_free(). */
char *kh_fmt_number(double v, int decimals);

/* Exactly `decimals` places, for table columns that line up: "90.00". */
char *kh_fmt_fixed(double v, int decimals);

/* The number followed by the unit: "84.71%", "125.5". */
char *kh_fmt_value(double v, int decimals, const char *unit);

/* A difference in words' units: "10.29个百分点" when unit is "%",
 * else the number followed by the unit ("18.5"). */
char *kh_fmt_gap(double gap, int decimals, const char *unit);

/* "2013年9月5日": Arabic digits without leading zeros (GB/T 9704). */
char *kh_fmt_date(int year, int month, int day);

/* The document number: "某人口〔2013〕7号". */
char *kh_fmt_docno(const char *prefix, int year, int n);

#endif
