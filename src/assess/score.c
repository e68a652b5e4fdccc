/* The four scoring methods (docs/reference/scoring.md). */
#include "assess/steps.h"

#include <math.h>

/* W × value / target or W × target / value, clamped to [0, W]; a zero
 * divisor after a miss scores 0. Computed left to right, as written. */
static double proportional(const kh_indicator *ind, const kh_cell *cell) {
  double w = ind->weight;
  double divisor = ind->op == KH_OP_GE ? cell->target : cell->value;
  if (divisor == 0)
    return 0;
  double s = ind->op == KH_OP_GE ? w * cell->value / cell->target
                                 : w * cell->target / cell->value;
  if (s > w)
    s = w;
  if (s < 0)
    s = 0;
  return s;
}

double kh_score_cell(const kh_indicator *ind, const kh_cell *cell, int rank) {
  double w = ind->weight, s = 0;
  if (cell->status == KH_STATUS_MISSING)
    return 0;
  if (cell->status == KH_STATUS_NA)
    return kh_round(w, 2);
  switch (ind->method) {
  case KH_METHOD_ALL_OR_NOTHING:
    s = cell->met ? w : 0;
    break;
  case KH_METHOD_PROPORTIONAL:
    s = cell->met ? w : proportional(ind, cell);
    break;
  case KH_METHOD_DEDUCT:
    s = cell->met ? w : fmax(0, w - ind->points * cell->gap / ind->per);
    break;
  case KH_METHOD_RANK:
    s = fmax(0, w - ind->points * (rank - 1));
    break;
  }
  return kh_round(s, 2);
}
