/* One indicator measured against its target (steps.h, docs/reference/scoring.md). */
#include "assess/steps.h"

#include <math.h>

kh_measure kh_measure_indicator(const kh_dataset *ds, const kh_indicator *ind,
                                int t, int month, const bool *included) {
  kh_measure m = {KH_STATUS_OK, NAN, NAN, NAN, false};
  double value, target;
  kh_status sv = kh_eval_since(ds, ind->value, t, month, ind->from_month, included, &value);
  kh_status st = kh_eval_since(ds, ind->target, t, month, ind->from_month, included, &target);
  /* Missing in either formula wins over na in either (step 4). */
  if (sv == KH_STATUS_MISSING || st == KH_STATUS_MISSING)
    m.status = KH_STATUS_MISSING;
  else if (sv == KH_STATUS_NA || st == KH_STATUS_NA)
    m.status = KH_STATUS_NA;
  if (m.status != KH_STATUS_OK)
    return m;

  m.value = kh_round(value, ind->decimals);
  m.target = kh_round(target, ind->decimals);
  m.met = ind->op == KH_OP_GE ? m.value >= m.target : m.value <= m.target;
  m.gap = m.met ? 0 : kh_round(fabs(m.value - m.target), ind->decimals);
  return m;
}
