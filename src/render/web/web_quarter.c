/* A quarter's page: scores, ranks, awards and penalties, vetoes. */
#include "render/web/web.h"
#include "kaohe/render.h"
#include "render/rank_order.h"

/* The name people read (the label), never the group id. */
static const char *tier_name(const kh_tier *tier) { return tier ? tier->label : NULL; }

void kh_web_quarter_page(const kh_quarter_result *q, json_t *console, GString *out) {
  const kh_dataset *ds = q->ds;
  json_t *ctx = json_object();
  static const char *const quarter_names[] = {"一", "二", "三", "四"};
  char *title = g_strdup_printf("%d年第%s季度考评奖惩", q->year, quarter_names[q->quarter - 1]);
  json_object_set_new(ctx, "title", json_string(title));
  json_object_set_new(ctx, "partial", json_boolean(q->partial));
  GString *months = g_string_new(NULL);
  json_t *heads = json_array();
  for (int k = 0; k < q->n_months; k++) {
    g_string_append_printf(months, "%s%d月", k ? "、" : "", q->months[k]);
    json_array_append_new(heads, kh_web_owned(g_strdup_printf("%d月", q->months[k])));
  }
  json_object_set_new(ctx, "months_text", json_string(months->str));
  json_object_set_new(ctx, "month_heads", heads);
  g_string_free(months, TRUE);
  json_t *rows = json_array();
  int *order = kh_rank_order(q->ranks, q->n_townships);
  for (int k = 0; k < q->n_townships; k++) {
    int t = order[k];
    const kh_township *tw = kh_township_at(ds, t);
    json_t *row = json_object();
    json_object_set_new(row, "name", json_string(tw->name));
    json_object_set_new(row, "href", kh_web_township_href(tw->code));
    json_t *monthly = json_array();
    for (int k = 0; k < q->n_months; k++)
      json_array_append_new(monthly, kh_web_owned(kh_fmt_number(q->monthly[t * 3 + k], 2)));
    json_object_set_new(row, "monthly", monthly);
    json_object_set_new(row, "score", kh_web_owned(kh_fmt_number(q->scores[t], 2)));
    if (q->ranks[t] > 0)
      json_object_set_new(row, "rank", json_integer(q->ranks[t]));
    json_object_set_new(row, "veto", json_boolean(q->vetoed[t]));
    const char *award = tier_name(q->awards[t]), *penalty = tier_name(q->penalties[t]);
    if (award)
      json_object_set_new(row, "award", json_string(award));
    if (penalty)
      json_object_set_new(row, "penalty", json_string(penalty));
    if (q->actions[t])
      json_object_set_new(row, "action", json_string(q->actions[t]));
    json_array_append_new(rows, row);
  }
  g_free(order);
  json_object_set_new(ctx, "townships", rows);
  kh_web_render("quarter.html", title, ds, ctx, console, out);
  json_decref(ctx);
  g_free(title);
}
