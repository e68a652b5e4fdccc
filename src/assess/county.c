/* The county line of each indicator (docs/reference/formulas.md): the same
 * formulas over county totals, leaving out the townships whose status on
 * that indicator is missing (from the value and the target sums alike);
 * na townships stay in. */
#include "assess/steps.h"

#include <math.h>

void kh_assess_county(kh_month_result *r) {
  bool *included = g_new(bool, r->n_townships + 1);
  for (int i = 0; i < r->n_indicators; i++) {
    kh_county_cell *cc = &r->county[i];
    int kept = 0;
    cc->left_out = 0;
    for (int t = 0; t < r->n_townships; t++) {
      included[t] = kh_cell_at(r, t, i)->status != KH_STATUS_MISSING;
      kept += included[t];
      cc->left_out += !included[t];
    }
    kh_measure m = {KH_STATUS_MISSING, NAN, NAN, NAN, false};
    if (kept > 0)
      m = kh_measure_indicator(r->ds, kh_result_indicator(r, i), -1, r->month,
                               included);
    cc->status = m.status;
    cc->value = m.value;
    cc->target = m.target;
    cc->gap = m.gap;
    cc->met = m.met;
  }
  g_free(included);
}
