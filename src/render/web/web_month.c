/* A month's page: the ranking with each township's trend over the year so
 * far, every indicator's county figure against its target with the
 * townships behind, and the warnings and vetoes with their deadlines. */
#include "render/web/web.h"
#include "render/web/web_series.h"
#include "kaohe/render.h"
#include "render/rank_order.h"

#include <math.h>

/* The text of a township's cell: its score, or why there is none. */
static char *score_text(const kh_cell *c) {
  if (c->status == KH_STATUS_MISSING)
    return g_strdup("缺报");
  return kh_fmt_number(c->score, 2);
}

static json_t *ranking(const kh_month_result *r, const kh_web_series *series) {
  json_t *rows = json_array();
  int *order = kh_rank_order(r->ranks, r->n_townships);
  for (int k = 0; k < r->n_townships; k++) {
    int t = order[k];
    const kh_township *tw = kh_township_at(r->ds, t);
    json_t *row = json_object();
    json_object_set_new(row, "rank", json_integer(r->ranks[t]));
    json_object_set_new(row, "code", json_string(tw->code));
    json_object_set_new(row, "name", json_string(tw->name));
    json_object_set_new(row, "href", kh_web_township_href(tw->code));
    json_t *scores = json_array();
    for (int i = 0; i < r->n_indicators; i++) {
      const kh_cell *c = kh_cell_at(r, t, i);
      json_t *cell = json_object();
      json_object_set_new(cell, "text", kh_web_owned(score_text(c)));
      json_object_set_new(cell, "miss", json_boolean(c->status != KH_STATUS_NA && !c->met));
      json_array_append_new(scores, cell);
    }
    json_object_set_new(row, "scores", scores);
    json_object_set_new(row, "total", kh_web_owned(kh_fmt_number(r->totals[t], 2)));
    json_object_set_new(row, "veto", json_boolean(r->vetoed[t]));
    json_object_set_new(row, "warned", json_boolean(r->warned[t]));
    json_object_set_new(row, "chart", kh_web_owned(kh_web_series_chart(series, t, false)));
    json_array_append_new(rows, row);
  }
  g_free(order);
  return rows;
}

static char *target_text(const kh_indicator *ind, double target) {
  char *v = kh_fmt_value(target, ind->decimals, ind->unit);
  char *s = g_strdup_printf("%s %s", ind->op == KH_OP_GE ? "≥" : "≤", v);
  g_free(v);
  return s;
}

/* The townships behind on indicator i: not met, or not reported. */
static json_t *laggards(const kh_month_result *r, int i) {
  const kh_indicator *ind = kh_result_indicator(r, i);
  json_t *list = json_array();
  for (int t = 0; t < r->n_townships; t++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    if (c->status == KH_STATUS_NA || c->met)
      continue;
    json_t *l = json_object();
    json_object_set_new(l, "name", json_string(kh_township_at(r->ds, t)->name));
    json_object_set_new(l, "value", kh_web_owned(c->status == KH_STATUS_OK
                                                     ? kh_fmt_value(c->value, ind->decimals, ind->unit)
                                                     : g_strdup("缺报")));
    json_array_append_new(list, l);
  }
  return list;
}

static json_t *county_lines(const kh_month_result *r) {
  json_t *lines = json_array();
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    const kh_county_cell *c = &r->county[i];
    json_t *l = json_object();
    json_object_set_new(l, "name", json_string(ind->name));
    json_object_set_new(l, "weight", kh_web_owned(kh_fmt_number(ind->weight, 2)));
    bool ok = c->status == KH_STATUS_OK;
    json_object_set_new(l, "value", kh_web_owned(ok ? kh_fmt_value(c->value, ind->decimals, ind->unit)
                                                    : g_strdup(c->status == KH_STATUS_NA ? "不适用" : "缺报")));
    json_object_set_new(l, "target", kh_web_owned(ok ? target_text(ind, c->target) : g_strdup("")));
    json_object_set_new(l, "met", json_boolean(c->met));
    json_object_set_new(l, "gap", kh_web_owned(ok && !c->met ? kh_fmt_gap(c->gap, ind->decimals, ind->unit)
                                                              : g_strdup("")));
    if (c->left_out > 0) /* mustache takes 0 for true */
      json_object_set_new(l, "left_out", json_integer(c->left_out));
    json_t *behind = laggards(r, i);
    json_object_set_new(l, "n_behind", json_integer((json_int_t)json_array_size(behind)));
    json_object_set_new(l, "behind", behind);
    json_object_set_new(l, "veto", json_boolean(ind->veto));
    json_array_append_new(lines, l);
  }
  return lines;
}

/* Warnings (预警) or vetoes (一票否决), one entry per township and indicator. */
static json_t *alerts(const kh_month_result *r, bool vetoes) {
  json_t *list = json_array();
  for (int t = 0; t < r->n_townships; t++)
    for (int i = 0; i < r->n_indicators; i++) {
      const kh_cell *c = kh_cell_at(r, t, i);
      if (!(vetoes ? c->vetoes : c->warning))
        continue;
      const kh_indicator *ind = kh_result_indicator(r, i);
      json_t *a = json_object();
      json_object_set_new(a, "township", json_string(kh_township_at(r->ds, t)->name));
      json_object_set_new(a, "indicator", json_string(ind->name));
      json_object_set_new(a, "value", kh_web_owned(c->status == KH_STATUS_OK
                                                       ? kh_fmt_value(c->value, ind->decimals, ind->unit)
                                                       : g_strdup("缺报")));
      if (ind->has_deadline)
        json_object_set_new(a, "deadline", kh_web_owned(kh_fmt_date(ind->deadline_year, ind->deadline_month,
                                                                    ind->deadline_day)));
      json_array_append_new(list, a);
    }
  return list;
}

/* Registry townships without a row this month (未报). */
static json_t *unreported(const kh_dataset *ds, int month) {
  json_t *list = json_array();
  const kh_month_data *md = &ds->months[month - 1];
  for (int t = 0; t < kh_n_townships(ds); t++)
    if (!kh_month_has_row(md, t))
      json_array_append_new(list, json_string(kh_township_at(ds, t)->name));
  return list;
}

/* ctx.key = list, and ctx.has_key whether it has any element (mustache
 * cannot test a list's length). */
static void set_list(json_t *ctx, const char *key, json_t *list) {
  char *has = g_strconcat("has_", key, NULL);
  json_object_set_new(ctx, has, json_boolean(json_array_size(list) > 0));
  json_object_set_new(ctx, key, list);
  g_free(has);
}

void kh_web_month_page(const kh_month_result *r, json_t *console, GString *out) {
  kh_web_series series;
  kh_web_series_init(&series, r->ds, r->month);
  json_t *ctx = json_object();
  char *title = g_strdup_printf("%d年%d月考评结果", r->year, r->month);
  json_object_set_new(ctx, "title", json_string(title));
  json_object_set_new(ctx, "period", kh_web_owned(g_strdup_printf("%04d-%02d", r->year, r->month)));
  json_t *heads = json_array();
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    json_t *h = json_object();
    json_object_set_new(h, "name", json_string(ind->name));
    json_object_set_new(h, "weight", kh_web_owned(kh_fmt_number(ind->weight, 2)));
    json_array_append_new(heads, h);
  }
  json_object_set_new(ctx, "indicators", heads);
  json_object_set_new(ctx, "ranking", ranking(r, &series));
  json_object_set_new(ctx, "county", county_lines(r));
  set_list(ctx, "warnings", alerts(r, false));
  set_list(ctx, "vetoes", alerts(r, true));
  set_list(ctx, "unreported", unreported(r->ds, r->month));
  json_object_set_new(ctx, "n_townships", json_integer(r->n_townships));
  kh_web_render("month.html", title, r->ds, ctx, console, out);
  json_decref(ctx);
  g_free(title);
  kh_web_series_clear(&series);
}
