/* One-vote veto (docs/reference/scoring.md): a shortfall on a veto indicator vetoes the
 * township from the deadline's month on and is a warning before it. */
#include "assess/steps.h"

void kh_veto_cell(const kh_indicator *ind, int year, int month, kh_cell *cell) {
  cell->vetoes = cell->warning = false;
  if (!ind->veto)
    return;
  bool shortfall = cell->status == KH_STATUS_MISSING ||
                   (cell->status == KH_STATUS_OK && !cell->met);
  if (!shortfall)
    return;
  bool before_deadline =
      ind->has_deadline &&
      year * 12 + month < ind->deadline_year * 12 + ind->deadline_month;
  if (before_deadline)
    cell->warning = true;
  else
    cell->vetoes = true;
}
