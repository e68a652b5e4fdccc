/* One month's assessment (docs/reference/scoring.md): every township on every
 * indicator, then the rank method's ranks, the scores, vetoes, totals,
 * the monthly ranking and the county lines. */
#include "kaohe/assess.h"
#include "assess/rank.h"
#include "assess/steps.h"

#include <math.h>

/* Ranks the ok townships' rounded values of indicator i, best first. */
static void rank_indicator(kh_month_result *r, int i, double *keys, bool *ok) {
  const kh_indicator *ind = kh_result_indicator(r, i);
  int *ranks = g_new(int, r->n_townships > 0 ? r->n_townships : 1);
  for (int t = 0; t < r->n_townships; t++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    ok[t] = c->status == KH_STATUS_OK;
    keys[t] = ok[t] ? c->value : 0;
  }
  kh_competition_rank(keys, ok, r->n_townships, ind->op == KH_OP_GE, ranks);
  for (int t = 0; t < r->n_townships; t++)
    r->indicator_ranks[t * r->n_indicators + i] = ranks[t];
  g_free(ranks);
}

kh_month_result *kh_assess_month(const kh_dataset *ds, int month) {
  if (month < 1 || month > 12)
    return NULL;
  kh_month_result *r = g_new0(kh_month_result, 1);
  /* An indicator counted from a later month is no part of this one. */
  r->indicators = g_new(const kh_indicator *, kh_n_indicators(ds) + 1);
  int ni = 0;
  for (int i = 0; i < kh_n_indicators(ds); i++)
    if (kh_indicator_in_force(kh_indicator_at(ds, i), month))
      r->indicators[ni++] = kh_indicator_at(ds, i);
  int nt = kh_n_townships(ds);
  r->ds = ds;
  r->year = ds->rules.year;
  r->month = month;
  r->n_townships = nt;
  r->n_indicators = ni;
  r->cells = g_new0(kh_cell, (gsize)nt * ni + 1);
  r->totals = g_new0(double, nt + 1);
  r->ranks = g_new0(int, nt + 1);
  r->indicator_ranks = g_new0(int, (gsize)nt * ni + 1);
  r->vetoed = g_new0(bool, nt + 1);
  r->warned = g_new0(bool, nt + 1);
  r->county = g_new0(kh_county_cell, ni + 1);

  const kh_month_data *md = &ds->months[month - 1];
  for (int t = 0; t < nt; t++) {
    /* No row this month: missing on every indicator, whatever its formula
     * reads (docs/reference/dataset.md). */
    bool has_row = kh_month_has_row(md, t);
    for (int i = 0; i < ni; i++) {
      kh_cell *c = &r->cells[t * ni + i];
      kh_measure m = {KH_STATUS_MISSING, NAN, NAN, NAN, false};
      if (has_row)
        m = kh_measure_indicator(ds, r->indicators[i], t, month, NULL);
      c->status = m.status;
      c->value = m.value;
      c->target = m.target;
      c->gap = m.gap;
      c->met = m.met;
    }
  }

  double *keys = g_new(double, nt + 1);
  bool *ok = g_new(bool, nt + 1);
  for (int i = 0; i < ni; i++)
    rank_indicator(r, i, keys, ok);
  g_free(ok);

  for (int t = 0; t < nt; t++) {
    double total = 0;
    for (int i = 0; i < ni; i++) {
      const kh_indicator *ind = r->indicators[i];
      kh_cell *c = &r->cells[t * ni + i];
      c->score = kh_score_cell(ind, c, r->indicator_ranks[t * ni + i]);
      kh_veto_cell(ind, r->year, month, c);
      total += c->score;
      r->vetoed[t] |= c->vetoes;
      r->warned[t] |= c->warning;
    }
    r->totals[t] = kh_round(total, 2);
    keys[t] = r->totals[t];
  }
  kh_competition_rank(keys, NULL, nt, true, r->ranks);
  g_free(keys);

  kh_assess_county(r);
  return r;
}

void kh_month_result_free(kh_month_result *r) {
  if (!r)
    return;
  g_free(r->indicators);
  g_free(r->cells);
  g_free(r->totals);
  g_free(r->ranks);
  g_free(r->indicator_ranks);
  g_free(r->vetoed);
  g_free(r->warned);
  g_free(r->county);
  g_free(r);
}
