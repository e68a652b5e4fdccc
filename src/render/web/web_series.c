/* The year's monthly results for the trend charts (web_series.h). */
#include "render/web/web_series.h"
#include "render/web/web.h"

#include <math.h>

void kh_web_series_init(kh_web_series *s, const kh_dataset *ds, int last) {
  *s = (kh_web_series){0};
  for (int m = 1; m <= last && m <= 12; m++)
    if (ds->months[m - 1].present) {
      s->months[s->n] = m;
      s->results[s->n++] = kh_assess_month(ds, m);
    }
  for (int i = 0; i < kh_n_indicators(ds); i++)
    s->max_total += kh_indicator_at(ds, i)->weight;
  s->lo = INFINITY, s->hi = -INFINITY;
  for (int k = 0; k < s->n; k++)
    for (int t = 0; t < s->results[k]->n_townships; t++) {
      s->lo = MIN(s->lo, s->results[k]->totals[t]);
      s->hi = MAX(s->hi, s->results[k]->totals[t]);
    }
}

void kh_web_series_clear(kh_web_series *s) {
  for (int k = 0; k < s->n; k++)
    kh_month_result_free(s->results[k]);
  *s = (kh_web_series){0};
}

char *kh_web_series_chart(const kh_web_series *s, int t, bool large) {
  double totals[12];
  for (int k = 0; k < s->n; k++)
    totals[k] = s->results[k]->totals[t];
  if (large)
    return kh_web_chart(totals, s->months, s->n, 0, s->max_total > 0 ? s->max_total : 100, true);
  return kh_web_chart(totals, s->months, s->n, s->lo, s->hi, false);
}
