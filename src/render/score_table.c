/* Scores as a terminal table (`kaohe score --format table`): rows in rank
 * order, columns padded by display width (libunistring's u8_width), so
 * Chinese names line up; then the county line of each indicator. */
#include "kaohe/render.h"
#include "render/format.h"
#include "render/score_words.h"

#include <math.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

/* A grid of owned strings; column c is right-aligned when right[c]. */
typedef struct {
  int n_cols;
  GPtrArray *cells; /* char*, row-major */
  bool *right;
} grid;

static grid *grid_new(int n_cols) {
  grid *g = g_new0(grid, 1);
  g->n_cols = n_cols;
  g->cells = g_ptr_array_new_with_free_func(g_free);
  g->right = g_new0(bool, n_cols);
  return g;
}

static void grid_free(grid *g) {
  g_ptr_array_unref(g->cells);
  g_free(g->right);
  g_free(g);
}

/* Appends one cell; takes ownership of text. */
static void put(grid *g, char *text) { g_ptr_array_add(g->cells, text); }

static int width(const char *s) {
  return u8_width((const uint8_t *)s, u8_strlen((const uint8_t *)s), "UTF-8");
}

/* Appends the grid: columns two spaces apart, no trailing blanks. */
static void grid_print(const grid *g, GString *out) {
  int *w = g_new0(int, g->n_cols);
  for (guint k = 0; k < g->cells->len; k++)
    w[k % g->n_cols] = MAX(w[k % g->n_cols], width(g_ptr_array_index(g->cells, k)));
  for (guint k = 0; k < g->cells->len; k++) {
    int c = k % g->n_cols;
    const char *s = g_ptr_array_index(g->cells, k);
    int pad = w[c] - width(s);
    bool last = c == g->n_cols - 1;
    if (c > 0)
      g_string_append(out, "  ");
    if (g->right[c])
      g_string_append_printf(out, "%*s", pad, "");
    g_string_append(out, s);
    if (!g->right[c] && !last)
      g_string_append_printf(out, "%*s", pad, "");
    if (last) {
      while (out->len && out->str[out->len - 1] == ' ')
        g_string_truncate(out, out->len - 1);
      g_string_append_c(out, '\n');
    }
  }
  g_free(w);
}

static gint by_rank(gconstpointer a, gconstpointer b, gpointer user) {
  const int *ranks = user;
  int ta = *(const int *)a, tb = *(const int *)b;
  unsigned ra = (unsigned)ranks[ta] - 1, rb = (unsigned)ranks[tb] - 1; /* 0 sorts last */
  return ra != rb ? (ra > rb) - (ra < rb) : (ta > tb) - (ta < tb);
}

/* Township indices in rank order; rank 0 (not ranked) last; ties keep
 * registry order. Caller frees with g_free(). */
static int *rank_order(const int *ranks, int n) {
  int *order = g_new(int, n + 1);
  for (int t = 0; t < n; t++)
    order[t] = t;
  g_qsort_with_data(order, n, sizeof *order, by_rank, (gpointer)ranks);
  return order;
}

/* "某某县人口计生重点工作月考评 · " from [assessment], when given. */
static void heading(const kh_dataset *ds, GString *out) {
  const char *county = ds->rules.county ? ds->rules.county : "";
  const char *title = ds->rules.title ? ds->rules.title : "";
  if (*county || *title)
    g_string_append_printf(out, "%s%s · ", county, title);
}

static char *score_text(const kh_cell *c) {
  char *n = kh_fmt_number(c->score, 2);
  const char *note = c->status == KH_STATUS_MISSING ? "（缺报）"
                     : c->status == KH_STATUS_NA    ? "（不适用）"
                                                    : "";
  char *s = g_strconcat(n, note, NULL);
  g_free(n);
  return s;
}

static void county_line(const kh_month_result *r, int i, GString *out) {
  const kh_indicator *ind = kh_indicator_at(r->ds, i);
  const kh_county_cell *c = &r->county[i];
  g_string_append_printf(out, "全县 %s：", ind->name);
  if (c->status == KH_STATUS_OK) {
    char *value = kh_fmt_value(c->value, ind->decimals, ind->unit);
    char *target = kh_fmt_value(c->target, ind->decimals, ind->unit);
    g_string_append_printf(out, "%s，目标 %s %s", value,
                           ind->op == KH_OP_GE ? "≥" : "≤", target);
    if (c->met) {
      g_string_append(out, "，达标");
    } else {
      char *gap = kh_fmt_gap(c->gap, ind->decimals, ind->unit);
      g_string_append_printf(out, "，未达标，差 %s", gap);
      g_free(gap);
    }
    g_free(value);
    g_free(target);
  } else {
    g_string_append(out, c->status == KH_STATUS_NA ? "不适用（分母为 0）" : "缺数据");
  }
  if (c->left_out > 0)
    g_string_append_printf(out, "（%d 个乡镇缺报，未计入）", c->left_out);
  g_string_append_c(out, '\n');
}

void kh_score_table(const kh_month_result *r, GString *out) {
  int nt = r->n_townships, ni = r->n_indicators;
  heading(r->ds, out);
  g_string_append_printf(out, "%d年%d月得分\n\n", r->year, r->month);
  grid *g = grid_new(ni + 4);
  g->right[0] = true;
  for (int c = 2; c < ni + 3; c++)
    g->right[c] = true;
  put(g, g_strdup("排名"));
  put(g, g_strdup("乡镇"));
  for (int i = 0; i < ni; i++)
    put(g, g_strdup(kh_indicator_at(r->ds, i)->name));
  put(g, g_strdup("总分"));
  put(g, g_strdup("备注"));
  int *order = rank_order(r->ranks, nt);
  for (int k = 0; k < nt; k++) {
    int t = order[k];
    put(g, g_strdup_printf("%d", r->ranks[t]));
    put(g, g_strdup(kh_township_at(r->ds, t)->name));
    for (int i = 0; i < ni; i++)
      put(g, score_text(kh_cell_at(r, t, i)));
    put(g, kh_fmt_number(r->totals[t], 2));
    put(g, g_strdup(r->vetoed[t] && r->warned[t] ? "一票否决，预警"
                    : r->vetoed[t]               ? "一票否决"
                    : r->warned[t]               ? "预警"
                                                 : ""));
  }
  g_free(order);
  grid_print(g, out);
  grid_free(g);
  g_string_append_c(out, '\n');
  for (int i = 0; i < ni; i++)
    county_line(r, i, out);
}

void kh_quarter_table(const kh_quarter_result *q, GString *out) {
  int nt = q->n_townships;
  heading(q->ds, out);
  g_string_append_printf(out, "%d年第%d季度得分%s\n\n", q->year, q->quarter,
                         q->partial ? "（部分季度，按已有月份平均）" : "");
  grid *g = grid_new(q->n_months + 4);
  for (int c = 0; c < q->n_months + 3; c++)
    g->right[c] = c != 1;
  put(g, g_strdup("排名"));
  put(g, g_strdup("乡镇"));
  for (int k = 0; k < q->n_months; k++)
    put(g, g_strdup_printf("%d月", q->months[k]));
  put(g, g_strdup("季度得分"));
  put(g, g_strdup("奖惩"));
  int *order = rank_order(q->ranks, nt);
  for (int k = 0; k < nt; k++) {
    int t = order[k];
    put(g, q->vetoed[t] ? g_strdup("—") : g_strdup_printf("%d", q->ranks[t]));
    put(g, g_strdup(kh_township_at(q->ds, t)->name));
    for (int m = 0; m < q->n_months; m++)
      put(g, kh_fmt_number(q->monthly[t * 3 + m], 2));
    put(g, kh_fmt_number(q->scores[t], 2));
    GString *note = g_string_new(NULL);
    if (q->vetoed[t]) {
      char *months = kh_quarter_months(q, t, "、");
      g_string_append_printf(note, "一票否决（%s）", months);
      g_free(months);
    }
    const kh_tier *tier = q->awards[t] ? q->awards[t] : q->penalties[t]; /* none when vetoed */
    if (tier)
      g_string_append_printf(note, "%s：", tier->label);
    if (q->actions[t])
      g_string_append_printf(note, "%s%s", note->len && !tier ? "：" : "", q->actions[t]);
    put(g, g_string_free(note, FALSE));
  }
  g_free(order);
  grid_print(g, out);
  grid_free(g);
}
