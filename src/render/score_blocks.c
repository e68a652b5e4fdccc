/* Built-in blocks: the ranked score tables and the bar charts of totals
 * (score_blocks.h). Rows follow the rank, ties in registry order. */
#include "render/score_blocks.h"

#include <string.h>
#include "kaohe/render.h"

/* Township indices ordered by rank (0 = unranked goes last), ties and
 * unranked in registry order. Caller frees with g_free(). */
static int *order_by_rank(const int *ranks, int n) {
  int *order = g_new(int, n > 0 ? n : 1);
  for (int t = 0; t < n; t++)
    order[t] = t;
  for (int a = 1; a < n; a++) {
    int t = order[a], b = a;
    int key = ranks[t] > 0 ? ranks[t] : G_MAXINT;
    while (b > 0 && (ranks[order[b - 1]] > 0 ? ranks[order[b - 1]] : G_MAXINT) > key) {
      order[b] = order[b - 1];
      b--;
    }
    order[b] = t;
  }
  return order;
}

static const char *remark(bool vetoed, bool warned) {
  return vetoed ? "一票否决" : warned ? "预警" : "";
}

kh_block *kh_score_table_block(const kh_month_result *r) {
  int n_cols = r->n_indicators + 4;
  kh_block *b = kh_block_new(KH_BLOCK_TABLE);
  b->table = kh_table_new(n_cols, 1);
  char **cells = g_new0(char *, n_cols + 1);
  cells[0] = g_strdup("排名");
  cells[1] = g_strdup("乡（镇）");
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    char *w = kh_fmt_number(ind->weight, 2);
    /* the weight on a line of its own: a narrow column breaks the name,
     * never the number from its 分 */
    cells[2 + i] = g_strdup_printf("%s\n%s分", ind->name, w);
    g_free(w);
  }
  cells[n_cols - 2] = g_strdup("总分");
  cells[n_cols - 1] = g_strdup("备注");
  kh_table_add_row(b->table, (const char *const *)cells, false);
  for (int c = 0; c < n_cols; c++)
    b->table->align[c] = c == 1 ? KH_ALIGN_LEFT : KH_ALIGN_CENTER;

  int *order = order_by_rank(r->ranks, r->n_townships);
  for (int k = 0; k < r->n_townships; k++) {
    int t = order[k];
    for (int c = 0; c < n_cols; c++)
      g_free(cells[c]);
    cells[0] = g_strdup_printf("%d", r->ranks[t]);
    cells[1] = g_strdup(kh_township_at(r->ds, t)->name);
    for (int i = 0; i < r->n_indicators; i++) {
      const kh_cell *cell = kh_cell_at(r, t, i);
      cells[2 + i] = cell->status == KH_STATUS_MISSING ? g_strdup("缺报")
                                                        : kh_fmt_fixed(cell->score, 2);
    }
    cells[n_cols - 2] = kh_fmt_fixed(r->totals[t], 2);
    cells[n_cols - 1] = g_strdup(remark(r->vetoed[t], r->warned[t]));
    kh_table_add_row(b->table, (const char *const *)cells, r->vetoed[t]);
  }
  g_strfreev(cells);
  g_free(order);
  return b;
}

static double total_weight(const kh_dataset *ds) {
  double sum = 0;
  for (int i = 0; i < kh_n_indicators(ds); i++)
    sum += kh_indicator_at(ds, i)->weight;
  return sum > 0 ? sum : 100;
}

/* Bars in rank order; past KH_CHART_MAX_BARS only both ends, with a note.
 * Unranked (vetoed) townships come last, their label saying why. */
static kh_block *chart_block(const kh_dataset *ds, const int *ranks, const double *values,
                             int n) {
  kh_block *b = kh_block_new(KH_BLOCK_CHART);
  b->chart = kh_chart_new(total_weight(ds));
  int *order = order_by_rank(ranks, n);
  bool cut = n > KH_CHART_MAX_BARS;
  for (int k = 0; k < n; k++) {
    if (cut && k >= KH_CHART_EDGE && k < n - KH_CHART_EDGE)
      continue;
    const char *name = kh_township_at(ds, order[k])->name;
    char *label = ranks[order[k]] > 0 ? g_strdup(name) : g_strconcat(name, "（否决）", NULL);
    kh_chart_add(b->chart, label, values[order[k]]);
    g_free(label);
  }
  if (cut)
    b->chart->note = g_strdup_printf("共%d个乡（镇），图中列出得分前%d名和后%d名，完整排名见附件。", n,
                                     KH_CHART_EDGE, KH_CHART_EDGE);
  g_free(order);
  return b;
}

kh_block *kh_totals_chart_block(const kh_month_result *r) {
  return chart_block(r->ds, r->ranks, r->totals, r->n_townships);
}

kh_block *kh_quarter_chart_block(const kh_quarter_result *q) {
  return chart_block(q->ds, q->ranks, q->scores, q->n_townships);
}

kh_block *kh_quarter_table_block(const kh_quarter_result *q) {
  int n_cols = q->n_months + 5;
  kh_block *b = kh_block_new(KH_BLOCK_TABLE);
  b->table = kh_table_new(n_cols, 1);
  char **cells = g_new0(char *, n_cols + 1);
  cells[0] = g_strdup("排名");
  cells[1] = g_strdup("乡（镇）");
  for (int k = 0; k < q->n_months; k++)
    cells[2 + k] = g_strdup_printf("%d月得分", q->months[k]);
  cells[n_cols - 3] = g_strdup("季度得分");
  cells[n_cols - 2] = g_strdup("奖惩等次");
  cells[n_cols - 1] = g_strdup("奖惩措施");
  kh_table_add_row(b->table, (const char *const *)cells, false);
  for (int c = 0; c < n_cols; c++)
    b->table->align[c] = c == 1 || c == n_cols - 1 ? KH_ALIGN_LEFT : KH_ALIGN_CENTER;

  int *order = order_by_rank(q->ranks, q->n_townships);
  for (int k = 0; k < q->n_townships; k++) {
    int t = order[k];
    for (int c = 0; c < n_cols; c++)
      g_free(cells[c]);
    cells[0] = q->ranks[t] > 0 ? g_strdup_printf("%d", q->ranks[t]) : g_strdup("—");
    cells[1] = g_strdup(kh_township_at(q->ds, t)->name);
    for (int m = 0; m < q->n_months; m++)
      cells[2 + m] = kh_fmt_fixed(q->monthly[t * 3 + m], 2);
    cells[n_cols - 3] = kh_fmt_fixed(q->scores[t], 2);
    cells[n_cols - 2] = g_strdup(q->vetoed[t]      ? "一票否决"
                                 : q->awards[t]    ? "奖励"
                                 : q->penalties[t] ? "处罚"
                                                   : "");
    cells[n_cols - 1] = g_strdup(q->actions[t] ? q->actions[t] : "");
    kh_table_add_row(b->table, (const char *const *)cells, q->vetoed[t]);
  }
  g_strfreev(cells);
  g_free(order);
  return b;
}

kh_block *kh_builtin_block(const char *name, const kh_month_result *r,
                           const kh_quarter_result *q) {
  if (r && strcmp(name, "score_table") == 0)
    return kh_score_table_block(r);
  if (r && strcmp(name, "totals_chart") == 0)
    return kh_totals_chart_block(r);
  if (q && strcmp(name, "quarter_table") == 0)
    return kh_quarter_table_block(q);
  if (q && strcmp(name, "quarter_chart") == 0)
    return kh_quarter_chart_block(q);
  return NULL;
}
