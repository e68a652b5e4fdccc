/* A township's page: its figures month by month over the year, with the
 * chart of its totals. */
#include "render/web/web.h"
#include "render/web/web_series.h"
#include "kaohe/render.h"

static json_t *month_row(const kh_month_result *r, int t) {
  json_t *row = json_object();
  json_object_set_new(row, "month", kh_web_owned(g_strdup_printf("%d月", r->month)));
  json_object_set_new(row, "href", kh_web_owned(g_strdup_printf("/month/%04d-%02d", r->year, r->month)));
  json_object_set_new(row, "total", kh_web_owned(kh_fmt_number(r->totals[t], 2)));
  json_object_set_new(row, "rank", json_integer(r->ranks[t]));
  json_object_set_new(row, "veto", json_boolean(r->vetoed[t]));
  json_object_set_new(row, "warned", json_boolean(r->warned[t]));
  json_object_set_new(row, "reported", json_boolean(kh_month_has_row(&r->ds->months[r->month - 1], t)));
  json_t *cells = json_array();
  for (int k = 0; k < kh_n_indicators(r->ds); k++) {
    const kh_indicator *ind = kh_indicator_at(r->ds, k);
    int i = 0; /* its place among the month's indicators */
    while (i < r->n_indicators && kh_result_indicator(r, i) != ind)
      i++;
    json_t *cell = json_object();
    if (i == r->n_indicators) { /* not yet in force (`from`) */
      json_object_set_new(cell, "value", json_string("—"));
      json_array_append_new(cells, cell);
      continue;
    }
    const kh_cell *c = kh_cell_at(r, t, i);
    char *value = c->status == KH_STATUS_OK   ? kh_fmt_value(c->value, ind->decimals, ind->unit)
                  : c->status == KH_STATUS_NA ? g_strdup("不适用")
                                              : g_strdup("缺报");
    json_object_set_new(cell, "value", kh_web_owned(value));
    json_object_set_new(cell, "score", kh_web_owned(kh_fmt_number(c->score, 2)));
    json_object_set_new(cell, "miss", json_boolean(c->status != KH_STATUS_NA && !c->met));
    json_array_append_new(cells, cell);
  }
  json_object_set_new(row, "cells", cells);
  return row;
}

void kh_web_township_page(const kh_dataset *ds, int t, GString *out) {
  const kh_township *tw = kh_township_at(ds, t);
  kh_web_series series;
  kh_web_series_init(&series, ds, 12);
  json_t *ctx = json_object();
  char *title = g_strdup_printf("%s %d年各月考评", tw->name, ds->rules.year);
  json_object_set_new(ctx, "title", json_string(title));
  json_object_set_new(ctx, "code", json_string(tw->code));
  json_object_set_new(ctx, "name", json_string(tw->name));
  json_object_set_new(ctx, "n_townships", json_integer(kh_n_townships(ds)));
  json_t *heads = json_array();
  for (int i = 0; i < kh_n_indicators(ds); i++) {
    json_t *h = json_object();
    json_object_set_new(h, "name", json_string(kh_indicator_at(ds, i)->name));
    json_array_append_new(heads, h);
  }
  json_object_set_new(ctx, "indicators", heads);
  json_t *rows = json_array();
  for (int k = 0; k < series.n; k++)
    json_array_append_new(rows, month_row(series.results[k], t));
  json_object_set_new(ctx, "months", rows);
  json_object_set_new(ctx, "chart", kh_web_owned(series.n ? kh_web_series_chart(&series, t, true) : NULL));
  kh_web_render("township.html", title, ds, ctx, NULL, out);
  json_decref(ctx);
  g_free(title);
  kh_web_series_clear(&series);
}
