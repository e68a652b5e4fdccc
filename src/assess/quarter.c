/* The quarter (docs/reference/scoring.md): mean of the monthly totals, vetoes carried from
 * any month, the ranking of the others, and the award and penalty tiers
 * checked in file order. */
#include "kaohe/assess.h"
#include "assess/rank.h"

#include <math.h>

/* Whether every condition tier t names holds for a ranked township with
 * this rank and score; `worse` is how many ranked townships rank strictly
 * below it. A tier with no condition holds for everyone. */
static bool tier_holds(const kh_tier *tier, int rank, double score, int worse) {
  if (tier->rank_lo > 0 && (rank < tier->rank_lo || rank > tier->rank_hi))
    return false;
  if (tier->has_min_score && !(score >= tier->min_score))
    return false;
  if (tier->bottom > 0 && !(worse < tier->bottom))
    return false;
  if (tier->has_below && !(score < tier->below))
    return false;
  return true;
}

static const kh_tier *first_tier(const GPtrArray *tiers, int rank, double score,
                                 int worse) {
  for (guint k = 0; tiers && k < tiers->len; k++)
    if (tier_holds(g_ptr_array_index(tiers, k), rank, score, worse))
      return g_ptr_array_index(tiers, k);
  return NULL;
}

/* Ranks the townships not vetoed and gives each its tier and action. */
static void rank_and_reward(kh_quarter_result *q) {
  const kh_rules *rules = &q->ds->rules;
  int n = q->n_townships;
  bool *ranked = g_new(bool, n + 1);
  for (int t = 0; t < n; t++)
    ranked[t] = !q->vetoed[t];
  kh_competition_rank(q->scores, ranked, n, true, q->ranks);

  /* worse_than[r]: how many ranked townships have a rank greater than r. */
  int *worse_than = g_new0(int, n + 2);
  for (int t = 0; t < n; t++)
    if (ranked[t])
      worse_than[q->ranks[t] - 1]++;
  for (int r = n; r >= 0; r--)
    worse_than[r] += worse_than[r + 1];

  for (int t = 0; t < n; t++) {
    if (!ranked[t]) {
      q->actions[t] = rules->veto_action;
      continue;
    }
    int rank = q->ranks[t], worse = worse_than[rank];
    q->awards[t] = first_tier(rules->awards, rank, q->scores[t], worse);
    if (!q->awards[t])
      q->penalties[t] = first_tier(rules->penalties, rank, q->scores[t], worse);
    q->actions[t] = q->awards[t]      ? q->awards[t]->action
                    : q->penalties[t] ? q->penalties[t]->action
                                      : NULL;
  }
  g_free(worse_than);
  g_free(ranked);
}

kh_quarter_result *kh_assess_quarter(const kh_dataset *ds, int quarter,
                                     bool partial, kh_diags *diags) {
  if (quarter < 1 || quarter > 4) {
    kh_diags_add(diags, KH_ERROR, ds->dir, 1, 1, NULL,
                 "季度 %d 不存在：季度为 1 到 4", quarter);
    return NULL;
  }
  int months[3], n_months = 0;
  for (int k = 0; k < 3; k++) {
    int m = 3 * (quarter - 1) + k + 1;
    if (ds->months[m - 1].present) {
      months[n_months++] = m;
    } else if (!partial) {
      char *name = g_strdup_printf("%04d-%02d.csv", ds->rules.year, m);
      char *path = g_build_filename(ds->dir, "monthly", name, NULL);
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                   "%dQ%d 缺少 %04d-%02d 的月报文件；只按已有月份计算"
                   "请用 --partial",
                   ds->rules.year, quarter, ds->rules.year, m);
      g_free(path);
      g_free(name);
    }
  }
  if (n_months < 3 && !partial)
    return NULL;
  if (n_months == 0) {
    kh_diags_add(diags, KH_ERROR, ds->dir, 1, 1, NULL,
                 "%dQ%d 没有任何月报文件",
                 ds->rules.year, quarter);
    return NULL;
  }

  kh_quarter_result *q = g_new0(kh_quarter_result, 1);
  int n = kh_n_townships(ds);
  q->ds = ds;
  q->year = ds->rules.year;
  q->quarter = quarter;
  q->n_months = n_months;
  q->partial = n_months < 3;
  q->n_townships = n;
  q->monthly = g_new0(double, (gsize)n * 3 + 1);
  q->scores = g_new0(double, n + 1);
  q->ranks = g_new0(int, n + 1);
  q->vetoed = g_new0(bool, n + 1);
  q->awards = g_new0(const kh_tier *, n + 1);
  q->penalties = g_new0(const kh_tier *, n + 1);
  q->actions = g_new0(const char *, n + 1);
  for (int k = 0; k < n_months; k++) {
    q->months[k] = months[k];
    q->month_results[k] = kh_assess_month(ds, months[k]);
  }

  for (int t = 0; t < n; t++) {
    double sum = 0;
    for (int k = 0; k < n_months; k++) {
      const kh_month_result *r = q->month_results[k];
      q->monthly[t * 3 + k] = r->totals[t];
      sum += r->totals[t];
      q->vetoed[t] |= r->vetoed[t];
    }
    q->scores[t] = kh_round(sum / n_months, 2);
  }
  rank_and_reward(q);
  return q;
}

void kh_quarter_result_free(kh_quarter_result *q) {
  if (!q)
    return;
  for (int k = 0; k < q->n_months; k++)
    kh_month_result_free(q->month_results[k]);
  g_free(q->monthly);
  g_free(q->scores);
  g_free(q->ranks);
  g_free(q->vetoed);
  g_free(q->awards);
  g_free(q->penalties);
  g_free(q->actions);
  g_free(q);
}
