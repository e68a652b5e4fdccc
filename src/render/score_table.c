/* Scores as a terminal table (`kaohe score --format table`): rows in rank
 * order, columns padded by display width (libunistring's u8_width), so
 * Chinese names line up; then the county line of each indicator.
 *
 * A table fits TABLE_WIDTH columns whenever the numbers allow: when the
 * full indicator names would make it wider, its headers become 指标1,
 * 指标2 … and the county lines below, which name each indicator in full,
 * are the legend; a township name wider than NAME_WIDTH is shortened with
 * "…" and given in full under the table; the quarter's reward and
 * penalty texts move under the table, the rows keeping the tier's label.
 * Lines under the table wrap at TABLE_WIDTH. */
#include "kaohe/render.h"
#include "render/rank_order.h"
#include "render/score_words.h"

#include <math.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

#define TABLE_WIDTH 100
#define NAME_WIDTH 12

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

/* Each column's display width (caller frees) and, in *total, the widest
 * line the grid prints. */
static int *column_widths(const grid *g, int *total) {
  int *w = g_new0(int, g->n_cols);
  for (guint k = 0; k < g->cells->len; k++)
    w[k % g->n_cols] = MAX(w[k % g->n_cols], width(g_ptr_array_index(g->cells, k)));
  *total = 2 * (g->n_cols - 1);
  for (int c = 0; c < g->n_cols; c++)
    *total += w[c];
  return w;
}

static int grid_width(const grid *g) {
  int total;
  g_free(column_widths(g, &total));
  return total;
}

/* Appends text as lines of at most TABLE_WIDTH columns, the lines after
 * the first indented by two. */
static void append_wrapped(GString *out, const char *text) {
  int used = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    const char *next = g_utf8_next_char(p);
    int w = u8_width((const uint8_t *)p, (size_t)(next - p), "UTF-8");
    if (used + w > TABLE_WIDTH) {
      g_string_append(out, "\n  ");
      used = 2;
    }
    g_string_append_len(out, p, next - p);
    used += w;
  }
  g_string_append_c(out, '\n');
}

/* name, or its first NAME_WIDTH - 1 columns and "…" when wider. Sets
 * *cut when it shortened. Caller frees. */
static char *short_name(const char *name, bool *cut) {
  if (width(name) <= NAME_WIDTH)
    return g_strdup(name);
  *cut = true;
  GString *s = g_string_new(NULL);
  for (const char *p = name; *p; p = g_utf8_next_char(p)) {
    const char *next = g_utf8_next_char(p);
    GString *more = g_string_new_len(s->str, (gssize)s->len);
    g_string_append_len(more, p, next - p);
    bool fits = width(more->str) <= NAME_WIDTH - 1;
    g_string_free(more, TRUE);
    if (!fits)
      break;
    g_string_append_len(s, p, next - p);
  }
  g_string_append(s, "…");
  return g_string_free(s, FALSE);
}

/* The full names of the townships shortened in the table, if any. */
static void name_legend(const kh_dataset *ds, GString *out) {
  GString *names = g_string_new(NULL);
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const char *name = kh_township_at(ds, t)->name;
    bool cut = false;
    char *shown = short_name(name, &cut);
    if (cut)
      g_string_append_printf(names, "%s%s = %s", names->len ? "；" : "", shown, name);
    g_free(shown);
  }
  if (names->len) {
    char *line = g_strconcat("乡镇全名：", names->str, NULL);
    append_wrapped(out, line);
    g_free(line);
  }
  g_string_free(names, TRUE);
}

/* Appends the grid: columns two spaces apart, no trailing blanks. */
static void grid_print(const grid *g, GString *out) {
  int total;
  int *w = column_widths(g, &total);
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

/* The county's line for indicator i; `numbered`: the table's header for
 * it is 指标N, which the line then names too. */
static void county_line(const kh_month_result *r, int i, bool numbered, GString *text) {
  const kh_indicator *ind = kh_result_indicator(r, i);
  const kh_county_cell *c = &r->county[i];
  GString *out = g_string_new(NULL);
  if (numbered)
    g_string_append_printf(out, "指标%d ", i + 1);
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
  append_wrapped(text, out->str);
  g_string_free(out, TRUE);
}

/* The month's table; `numbered`: headers 指标1 …; `shorten`: long
 * township names cut. */
static grid *month_grid(const kh_month_result *r, bool numbered, bool shorten) {
  int nt = r->n_townships, ni = r->n_indicators;
  grid *g = grid_new(ni + 4);
  g->right[0] = true;
  for (int c = 2; c < ni + 3; c++)
    g->right[c] = true;
  put(g, g_strdup("排名"));
  put(g, g_strdup("乡镇"));
  for (int i = 0; i < ni; i++)
    put(g, numbered ? g_strdup_printf("指标%d", i + 1) : g_strdup(kh_result_indicator(r, i)->name));
  put(g, g_strdup("总分"));
  put(g, g_strdup("备注"));
  int *order = kh_rank_order(r->ranks, nt);
  for (int k = 0; k < nt; k++) {
    int t = order[k];
    bool cut = false;
    const char *name = kh_township_at(r->ds, t)->name;
    put(g, g_strdup_printf("%d", r->ranks[t]));
    put(g, shorten ? short_name(name, &cut) : g_strdup(name));
    for (int i = 0; i < ni; i++)
      put(g, score_text(kh_cell_at(r, t, i)));
    put(g, kh_fmt_number(r->totals[t], 2));
    put(g, g_strdup(r->vetoed[t] && r->warned[t] ? "一票否决，预警"
                    : r->vetoed[t]               ? "一票否决"
                    : r->warned[t]               ? "预警"
                                                 : ""));
  }
  g_free(order);
  return g;
}

void kh_score_table(const kh_month_result *r, GString *out) {
  heading(r->ds, out);
  g_string_append_printf(out, "%d年%d月得分\n\n", r->year, r->month);
  bool numbered = false, shorten = false;
  grid *g = month_grid(r, numbered, shorten);
  if (grid_width(g) > TABLE_WIDTH) {
    grid_free(g);
    g = month_grid(r, numbered = true, shorten);
  }
  if (grid_width(g) > TABLE_WIDTH) {
    grid_free(g);
    g = month_grid(r, numbered, shorten = true);
  }
  grid_print(g, out);
  grid_free(g);
  g_string_append_c(out, '\n');
  for (int i = 0; i < r->n_indicators; i++)
    county_line(r, i, numbered, out);
  if (shorten)
    name_legend(r->ds, out);
}

/* The quarter's table; `actions`: the tier's action in the row (else
 * only its label); `shorten`: long township names cut. */
static grid *quarter_grid(const kh_quarter_result *q, bool actions, bool shorten) {
  int nt = q->n_townships;
  grid *g = grid_new(q->n_months + 4);
  for (int c = 0; c < q->n_months + 3; c++)
    g->right[c] = c != 1;
  put(g, g_strdup("排名"));
  put(g, g_strdup("乡镇"));
  for (int k = 0; k < q->n_months; k++)
    put(g, g_strdup_printf("%d月", q->months[k]));
  put(g, g_strdup("季度得分"));
  put(g, g_strdup("奖惩"));
  int *order = kh_rank_order(q->ranks, nt);
  for (int k = 0; k < nt; k++) {
    int t = order[k];
    bool cut = false;
    const char *name = kh_township_at(q->ds, t)->name;
    put(g, q->vetoed[t] ? g_strdup("—") : g_strdup_printf("%d", q->ranks[t]));
    put(g, shorten ? short_name(name, &cut) : g_strdup(name));
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
      g_string_append(note, tier->label);
    if (q->actions[t] && actions)
      g_string_append_printf(note, "：%s", q->actions[t]);
    put(g, g_string_free(note, FALSE));
  }
  g_free(order);
  return g;
}

/* Under a table whose rows show only the tiers' labels: what each means. */
static void action_legend(const kh_quarter_result *q, GString *out) {
  const GPtrArray *kinds[] = {q->ds->rules.awards, q->ds->rules.penalties};
  for (int k = 0; k < 2; k++)
    for (guint i = 0; i < kinds[k]->len; i++) {
      const kh_tier *tier = g_ptr_array_index(kinds[k], i);
      bool given = false;
      for (int t = 0; t < q->n_townships && !given; t++)
        given = q->awards[t] == tier || q->penalties[t] == tier;
      if (!given)
        continue;
      char *line = g_strdup_printf("%s：%s", tier->label, tier->action);
      append_wrapped(out, line);
      g_free(line);
    }
  bool vetoed = false;
  for (int t = 0; t < q->n_townships; t++)
    vetoed = vetoed || q->vetoed[t];
  if (vetoed && q->ds->rules.veto_action) {
    char *line = g_strdup_printf("一票否决：%s", q->ds->rules.veto_action);
    append_wrapped(out, line);
    g_free(line);
  }
}

void kh_quarter_table(const kh_quarter_result *q, GString *out) {
  heading(q->ds, out);
  g_string_append_printf(out, "%d年第%d季度得分%s\n\n", q->year, q->quarter,
                         q->partial ? "（部分季度，按已有月份平均）" : "");
  bool actions = true, shorten = false;
  grid *g = quarter_grid(q, actions, shorten);
  if (grid_width(g) > TABLE_WIDTH) {
    grid_free(g);
    g = quarter_grid(q, actions = false, shorten);
  }
  if (grid_width(g) > TABLE_WIDTH) {
    grid_free(g);
    g = quarter_grid(q, actions, shorten = true);
  }
  grid_print(g, out);
  grid_free(g);
  if (!actions || shorten)
    g_string_append_c(out, '\n');
  if (!actions)
    action_legend(q, out);
  if (shorten)
    name_legend(q->ds, out);
}
