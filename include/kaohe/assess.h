/* Stage 2, assess: scores a loaded dataset (docs/reference/formulas.md to scoring.md).
 *
 * The results own their arrays; each kh_*_result is freed with its own
 * free function. Renderers read these; they never recompute a score. All
 * numbers here are already rounded as docs/reference/scoring.md says. */
#ifndef KAOHE_ASSESS_H
#define KAOHE_ASSESS_H

#include <stdbool.h>
#include "kaohe/load.h"

typedef enum { KH_STATUS_OK, KH_STATUS_MISSING, KH_STATUS_NA } kh_status;

/* One indicator for one township in one month. */
typedef struct {
  kh_status status;
  double value, target, gap; /* rounded to the indicator's decimals; NAN unless ok */
  bool met;                  /* false unless ok */
  double score;              /* rounded to 2 places */
  bool warning;              /* veto shortfall before the deadline's month */
  bool vetoes;               /* this indicator vetoes the township this month */
} kh_cell;

/* The county line of one indicator. */
typedef struct {
  kh_status status;
  double value, target, gap; /* NAN unless ok */
  bool met;
  int left_out;              /* townships left out of the sums (status missing) */
} kh_county_cell;

typedef struct {
  const kh_dataset *ds;  /* borrowed */
  int year, month;       /* month 1..12 */
  int n_townships;
  int n_indicators;      /* those in force this month (docs/reference/dataset.md `from`) */
  const kh_indicator **indicators; /* [i]: in force this month, file order;
                            every table of the month is over these */
  kh_cell *cells;        /* [t * n_indicators + i] */
  double *totals;        /* [t], rounded to 2 places */
  int *ranks;            /* [t], competition ranking by total, 1 = best */
  int *indicator_ranks;  /* [t * n_indicators + i]: rank of the rounded value
                            among ok townships (best first), 0 when not ok */
  bool *vetoed;          /* [t] */
  bool *warned;          /* [t]: any warning this month */
  kh_county_cell *county;/* [i] */
} kh_month_result;

/* Excel's ROUND: half away from zero after taking x to 15 significant
 * digits. The one rounding function used everywhere. */
double kh_round(double x, int decimals);

/* Evaluates a formula for township t (or the county when t < 0: fields and
 * attributes summed over the townships in `included`, which may be NULL for
 * all) in `month`. Returns KH_STATUS_OK and sets *out, or MISSING / NA. */
kh_status kh_eval(const kh_dataset *ds, const kh_expr *e, int t, int month,
                  const bool *included, double *out);
/* The same with ytd() summed from month `first` (an indicator's `from`)
 * instead of January. */
kh_status kh_eval_since(const kh_dataset *ds, const kh_expr *e, int t, int month,
                        int first, const bool *included, double *out);

/* Assesses one month (1..12) of ds->rules.year. The dataset must have no
 * errors. Never fails except on an out-of-range month (returns NULL).
 * Caller frees with kh_month_result_free(). */
kh_month_result *kh_assess_month(const kh_dataset *ds, int month);
void kh_month_result_free(kh_month_result *r); /* NULL-safe */

/* Indicator i of the month (of those in force that month). */
static inline const kh_indicator *kh_result_indicator(const kh_month_result *r, int i) {
  return r->indicators[i];
}

static inline const kh_cell *kh_cell_at(const kh_month_result *r, int t, int i) {
  return &r->cells[t * r->n_indicators + i];
}

typedef struct {
  const kh_dataset *ds;     /* borrowed */
  int year, quarter;        /* quarter 1..4 */
  int n_months;             /* months present, 1..3 */
  int months[3];            /* 1..12, in order; first n_months valid */
  bool partial;             /* n_months < 3 */
  kh_month_result *month_results[3]; /* owned, one per month present */
  int n_townships;
  double *monthly;          /* [t * 3 + k]: total of months[k] */
  double *scores;           /* [t], rounded to 2 places */
  int *ranks;               /* [t]; 0 for a vetoed township (null in JSON) */
  bool *vetoed;             /* [t] */
  const kh_tier **awards;   /* [t], borrowed from ds->rules, NULL = none */
  const kh_tier **penalties;/* [t] */
  const char **actions;     /* [t]: award, penalty or veto_action text; NULL */
} kh_quarter_result;

/* Assesses a quarter. Without `partial`, a month file absent is an error
 * (appended to diags, NULL returned); with it, the months present are
 * averaged (at least one needed). Caller frees with kh_quarter_result_free(). */
kh_quarter_result *kh_assess_quarter(const kh_dataset *ds, int quarter,
                                     bool partial, kh_diags *diags);
void kh_quarter_result_free(kh_quarter_result *q); /* NULL-safe */

#endif
