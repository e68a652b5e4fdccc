/* The year's monthly results of a dataset, for trend charts: every month
 * that has a file, from January to a last month, assessed once per page.
 * Internal to src/render/web. */
#ifndef KAOHE_RENDER_WEB_SERIES_H
#define KAOHE_RENDER_WEB_SERIES_H

#include "kaohe/assess.h"

typedef struct {
  int n;                      /* months assessed */
  int months[12];             /* their numbers, in order */
  kh_month_result *results[12];
  double max_total;           /* the sum of the weights: the large chart's top */
  double lo, hi;              /* the lowest and highest total of any township:
                                 the sparklines' range, the same for every row */
} kh_web_series;

/* Assesses every month with a file from January to last (1..12). */
void kh_web_series_init(kh_web_series *s, const kh_dataset *ds, int last);
void kh_web_series_clear(kh_web_series *s);

/* The chart of township t's totals over the series. Caller g_free()s. */
char *kh_web_series_chart(const kh_web_series *s, int t, bool large);

#endif
