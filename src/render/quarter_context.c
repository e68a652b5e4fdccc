/* Builds the quarterly report's template variables (quarter_context.h):
 * the awards and penalties grouped by tier in rules.ini order, the vetoed
 * townships with the months and indicators that vetoed them. */
#include "render/quarter_context.h"

#include "kaohe/render.h"

static const char *const quarter_names[] = {"第一季度", "第二季度", "第三季度", "第四季度"};

static void set_str(json_t *o, const char *key, char *owned) {
  json_object_set_new(o, key, json_string(owned));
  g_free(owned);
}

static const char *township_name(const kh_quarter_result *q, int t) {
  return kh_township_at(q->ds, t)->name;
}

/* One entry per tier that some township received, in file order. */
static json_t *tier_groups(const kh_quarter_result *q, const GPtrArray *tiers,
                           const kh_tier **given) {
  json_t *groups = json_array();
  for (guint k = 0; k < tiers->len; k++) {
    const kh_tier *tier = g_ptr_array_index(tiers, k);
    GString *names = g_string_new(NULL);
    json_t *members = json_array();
    for (int t = 0; t < q->n_townships; t++) {
      if (given[t] != tier)
        continue;
      char *score = kh_fmt_number(q->scores[t], 2);
      g_string_append_printf(names, "%s%s（%s分）", names->len ? "、" : "", township_name(q, t),
                             score);
      json_t *m = json_object();
      json_object_set_new(m, "name", json_string(township_name(q, t)));
      json_object_set_new(m, "rank", json_integer(q->ranks[t]));
      json_object_set_new(m, "score", json_string(score));
      json_array_append_new(members, m);
      g_free(score);
    }
    if (json_array_size(members) > 0) {
      json_t *g = json_object();
      json_object_set_new(g, "tier", json_string(tier->name));
      json_object_set_new(g, "label", json_string(tier->label));
      json_object_set_new(g, "action", json_string(tier->action));
      json_object_set_new(g, "names_text", json_string(names->str));
      json_object_set_new(g, "townships", members);
      json_array_append_new(groups, g);
    } else {
      json_decref(members);
    }
    g_string_free(names, TRUE);
  }
  return groups;
}

/* "7月、9月" and "独生子女保健费兑现率" for a vetoed township. */
static json_t *veto_entry(const kh_quarter_result *q, int t) {
  GString *months = g_string_new(NULL), *indicators = g_string_new(NULL);
  GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int k = 0; k < q->n_months; k++) {
    const kh_month_result *r = q->month_results[k];
    if (!r->vetoed[t])
      continue;
    g_string_append_printf(months, "%s%d月", months->len ? "、" : "", r->month);
    for (int i = 0; i < r->n_indicators; i++) {
      const kh_indicator *ind = kh_result_indicator(r, i);
      if (!kh_cell_at(r, t, i)->vetoes || g_hash_table_contains(seen, ind))
        continue;
      g_hash_table_add(seen, (gpointer)ind);
      g_string_append_printf(indicators, "%s%s", indicators->len ? "、" : "", ind->name);
    }
  }
  json_t *v = json_object();
  json_object_set_new(v, "name", json_string(township_name(q, t)));
  set_str(v, "score", kh_fmt_number(q->scores[t], 2));
  json_object_set_new(v, "months_text", json_string(months->str));
  json_object_set_new(v, "indicators_text", json_string(indicators->str));
  g_hash_table_unref(seen);
  g_string_free(months, TRUE);
  g_string_free(indicators, TRUE);
  return v;
}

json_t *kh_quarter_context(const kh_quarter_result *q, const kh_doc_meta *meta) {
  const kh_rules *rules = &q->ds->rules;
  json_t *ctx = json_object();
  json_object_set_new(ctx, "title", json_string(rules->title ? rules->title : ""));
  json_object_set_new(ctx, "county", json_string(rules->county ? rules->county : ""));
  json_object_set_new(ctx, "issuer", json_string(rules->issuer ? rules->issuer : ""));
  json_object_set_new(ctx, "year", json_integer(q->year));
  json_object_set_new(ctx, "quarter", json_integer(q->quarter));
  json_object_set_new(ctx, "quarter_name", json_string(quarter_names[q->quarter - 1]));
  set_str(ctx, "period", g_strdup_printf("%d年%s", q->year, quarter_names[q->quarter - 1]));
  GString *months = g_string_new(NULL);
  for (int k = 0; k < q->n_months; k++)
    g_string_append_printf(months, "%s%d月", k ? "、" : "", q->months[k]);
  json_object_set_new(ctx, "months_text", json_string(months->str));
  g_string_free(months, TRUE);
  json_object_set_new(ctx, "n_months", json_integer(q->n_months));
  json_object_set_new(ctx, "partial", json_boolean(q->partial));
  json_object_set_new(ctx, "n_townships", json_integer(q->n_townships));
  set_str(ctx, "date", kh_fmt_date(meta->date_year, meta->date_month, meta->date_day));
  set_str(ctx, "docno", kh_fmt_docno(rules->docno_prefix, q->year, meta->doc_no));

  json_t *awards = tier_groups(q, q->ds->rules.awards, q->awards);
  json_t *penalties = tier_groups(q, q->ds->rules.penalties, q->penalties);
  json_object_set_new(ctx, "has_awards", json_boolean(json_array_size(awards) > 0));
  json_object_set_new(ctx, "has_penalties", json_boolean(json_array_size(penalties) > 0));
  json_object_set_new(ctx, "awards", awards);
  json_object_set_new(ctx, "penalties", penalties);

  json_t *vetoes = json_array();
  for (int t = 0; t < q->n_townships; t++)
    if (q->vetoed[t])
      json_array_append_new(vetoes, veto_entry(q, t));
  json_object_set_new(ctx, "has_vetoes", json_boolean(json_array_size(vetoes) > 0));
  json_object_set_new(ctx, "vetoes", vetoes);
  json_object_set_new(ctx, "veto_action",
                      json_string(rules->veto_action ? rules->veto_action : "取消本季度评先评优资格"));
  return ctx;
}
