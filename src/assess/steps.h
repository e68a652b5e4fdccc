/* The steps of assessing one month, internal to assess: measuring an
 * indicator (docs/reference/scoring.md), scoring it (§3.3), the veto (§3.4) and the county
 * line (§3.1). month.c puts them together. */
#ifndef KAOHE_ASSESS_STEPS_H
#define KAOHE_ASSESS_STEPS_H

#include "kaohe/assess.h"

typedef struct {
  kh_status status;
  double value, target, gap; /* rounded to the indicator's decimals; NAN unless ok */
  bool met;                  /* false unless ok */
} kh_measure;

/* Evaluates indicator ind's value and target formulas for township t (or
 * the county over `included` when t < 0) in month (1..12): step 1-5. */
kh_measure kh_measure_indicator(const kh_dataset *ds, const kh_indicator *ind,
                                int t, int month, const bool *included);

/* The score of a measured cell, rounded to 2 places. `rank` is the cell's
 * rank among the ok townships (used by the rank method only). */
double kh_score_cell(const kh_indicator *ind, const kh_cell *cell, int rank);

/* Sets cell->warning or cell->vetoes for a veto indicator assessed in
 * year-month. */
void kh_veto_cell(const kh_indicator *ind, int year, int month, kh_cell *cell);

/* Fills r->county from the townships' cells already in r. */
void kh_assess_county(kh_month_result *r);

#endif
