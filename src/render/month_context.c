/* Builds the monthly notice's template variables (month_context.h).
 *
 * Everything a template prints is decided here or in format.c, from the
 * results alone: which indicators lag, who is behind and who is lowest, the
 * gaps in words, the change since last month. Lists that a sentence needs
 * joined with 、 come both as a list and as a ready joined text, so template
 * authors need no separator logic. */
#include "kaohe/render.h"

#include <math.h>

static const char *const cn_numerals[] = {"一", "二", "三", "四", "五", "六", "七",
                                          "八", "九", "十"};

/* "一".."十", then Arabic digits: enough for ordinals in running text. */
static char *cn_ordinal(int n) {
  if (n >= 1 && n <= 10)
    return g_strdup(cn_numerals[n - 1]);
  return g_strdup_printf("%d", n);
}

static void set_str(json_t *o, const char *key, char *owned) {
  json_object_set_new(o, key, json_string(owned));
  g_free(owned);
}

static char *target_text(const kh_indicator *ind, double target) {
  char *v = kh_fmt_value(target, ind->decimals, ind->unit);
  char *s = g_strconcat(ind->op == KH_OP_GE ? "≥" : "≤", v, NULL);
  g_free(v);
  return s;
}

/* "低于责任指标（95%）10.29个百分点" or "高于责任指标（107）18.5". */
static char *gap_text(const kh_indicator *ind, double target, double gap) {
  char *t = kh_fmt_value(target, ind->decimals, ind->unit);
  char *g = kh_fmt_gap(gap, ind->decimals, ind->unit);
  char *s = g_strdup_printf("%s责任指标（%s）%s", ind->op == KH_OP_GE ? "低于" : "高于", t, g);
  g_free(t);
  g_free(g);
  return s;
}

/* "较上月上升1.2个百分点" / "较上月下降0.5" / "与上月持平", or NULL: neutral
 * words, since a rise is good for some indicators and bad for others. */
static char *change_text(const kh_indicator *ind, const kh_county_cell *now,
                         const kh_county_cell *before) {
  if (!before || now->status != KH_STATUS_OK || before->status != KH_STATUS_OK)
    return NULL;
  double delta = kh_round(now->value - before->value, ind->decimals);
  if (delta == 0)
    return g_strdup("与上月持平");
  char *g = kh_fmt_gap(fabs(delta), ind->decimals, ind->unit);
  char *s = g_strdup_printf("较上月%s%s", delta > 0 ? "上升" : "下降", g);
  g_free(g);
  return s;
}

static const char *township_name(const kh_month_result *r, int t) {
  return kh_township_at(r->ds, t)->name;
}

/* Townships not meeting indicator i, worst first (largest gap; registry
 * order among equals). */
static GArray *behind_townships(const kh_month_result *r, int i) {
  GArray *order = g_array_new(FALSE, FALSE, sizeof(int));
  for (int t = 0; t < r->n_townships; t++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    if (c->status == KH_STATUS_OK && !c->met)
      g_array_append_val(order, t);
  }
  /* Insertion sort: stable, and the lists are short. */
  for (guint a = 1; a < order->len; a++) {
    int t = g_array_index(order, int, a);
    double gap = kh_cell_at(r, t, i)->gap;
    guint b = a;
    while (b > 0 && kh_cell_at(r, g_array_index(order, int, b - 1), i)->gap < gap) {
      g_array_index(order, int, b) = g_array_index(order, int, b - 1);
      b--;
    }
    g_array_index(order, int, b) = t;
  }
  return order;
}

/* Running text names at most this many townships behind on an indicator;
 * the attachment lists them all. */
#define KH_NAMED_BEHIND 5

static json_t *indicator_context(const kh_month_result *r, const kh_month_result *prev,
                                 int i) {
  const kh_indicator *ind = kh_result_indicator(r, i);
  const kh_county_cell *cc = &r->county[i];
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(ind->id));
  json_object_set_new(o, "name", json_string(ind->name));
  json_object_set_new(o, "unit", json_string(ind->unit));
  set_str(o, "weight", kh_fmt_number(ind->weight, 2));
  json_object_set_new(o, "veto", json_boolean(ind->veto));
  json_object_set_new(o, "is_ge", json_boolean(ind->op == KH_OP_GE));
  bool ok = cc->status == KH_STATUS_OK;
  json_object_set_new(o, "ok", json_boolean(ok));
  json_object_set_new(o, "met", json_boolean(ok && cc->met));
  json_object_set_new(o, "not_met", json_boolean(ok && !cc->met));
  json_object_set_new(o, "not_assessable", json_boolean(!ok));
  if (ok) {
    set_str(o, "value", kh_fmt_value(cc->value, ind->decimals, ind->unit));
    set_str(o, "target", target_text(ind, cc->target));
    if (!cc->met)
      set_str(o, "gap", gap_text(ind, cc->target, cc->gap));
  }
  char *change = change_text(ind, cc, prev ? &prev->county[i] : NULL);
  json_object_set_new(o, "has_change", json_boolean(change != NULL));
  if (change)
    set_str(o, "change", change);
  json_object_set_new(o, "left_out", json_integer(cc->left_out));
  json_object_set_new(o, "has_left_out", json_boolean(cc->left_out > 0));

  GArray *behind = behind_townships(r, i);
  json_t *list = json_array();
  GString *joined = g_string_new(NULL);
  for (guint k = 0; k < behind->len; k++) {
    int t = g_array_index(behind, int, k);
    const kh_cell *c = kh_cell_at(r, t, i);
    char *v = kh_fmt_value(c->value, ind->decimals, ind->unit);
    json_t *b = json_object();
    json_object_set_new(b, "name", json_string(township_name(r, t)));
    json_object_set_new(b, "value", json_string(v));
    set_str(b, "gap", kh_fmt_gap(c->gap, ind->decimals, ind->unit));
    json_array_append_new(list, b);
    if (k < KH_NAMED_BEHIND)
      g_string_append_printf(joined, "%s%s（%s）", k ? "、" : "", township_name(r, t), v);
    if (k == 0) {
      json_object_set_new(o, "worst_name", json_string(township_name(r, t)));
      json_object_set_new(o, "worst_value", json_string(v));
    }
    g_free(v);
  }
  json_object_set_new(o, "behind", list);
  json_object_set_new(o, "n_behind", json_integer(behind->len));
  json_object_set_new(o, "has_behind", json_boolean(behind->len > 0));
  json_object_set_new(o, "several_behind", json_boolean(behind->len > 1));
  json_object_set_new(o, "many_behind", json_boolean(behind->len > KH_NAMED_BEHIND));
  json_object_set_new(o, "behind_text", json_string(joined->str));
  json_object_set_new(o, "worst_word", json_string(ind->op == KH_OP_GE ? "最低" : "最高"));
  g_string_free(joined, TRUE);
  g_array_unref(behind);

  GString *missing = g_string_new(NULL);
  int n_missing = 0;
  for (int t = 0; t < r->n_townships; t++)
    if (kh_cell_at(r, t, i)->status == KH_STATUS_MISSING)
      g_string_append_printf(missing, "%s%s", n_missing++ ? "、" : "", township_name(r, t));
  json_object_set_new(o, "n_missing", json_integer(n_missing));
  json_object_set_new(o, "has_missing", json_boolean(n_missing > 0));
  json_object_set_new(o, "missing_text", json_string(missing->str));
  g_string_free(missing, TRUE);
  if (ind->has_deadline)
    set_str(o, "deadline", kh_fmt_date(ind->deadline_year, ind->deadline_month,
                                       ind->deadline_day));
  return o;
}

/* Names of the townships ranked from..to (1-based rank positions in rank
 * order), joined with 、 and each followed by its total. */
static char *ranked_names(const kh_month_result *r, const int *by_rank, int from, int to) {
  GString *s = g_string_new(NULL);
  for (int k = from; k < to && k < r->n_townships; k++) {
    int t = by_rank[k];
    char *total = kh_fmt_number(r->totals[t], 2);
    g_string_append_printf(s, "%s%s（%s分）", k > from ? "、" : "", township_name(r, t), total);
    g_free(total);
  }
  return g_string_free(s, FALSE);
}

static int *townships_by_rank(const kh_month_result *r) {
  int *order = g_new(int, r->n_townships > 0 ? r->n_townships : 1);
  for (int t = 0; t < r->n_townships; t++)
    order[t] = t;
  for (int a = 1; a < r->n_townships; a++) {
    int t = order[a], b = a;
    while (b > 0 && r->ranks[order[b - 1]] > r->ranks[t]) {
      order[b] = order[b - 1];
      b--;
    }
    order[b] = t;
  }
  return order;
}

/* The three best and, when they do not overlap them, the three last. */
static void add_ranking(json_t *ctx, const kh_month_result *r) {
  int *by_rank = townships_by_rank(r);
  int n = r->n_townships, head = n < 3 ? n : 3;
  bool has_bottom = n >= 2 * head && n > 0;
  set_str(ctx, "top_text", ranked_names(r, by_rank, 0, head));
  set_str(ctx, "bottom_text", has_bottom ? ranked_names(r, by_rank, n - head, n) : g_strdup(""));
  json_object_set_new(ctx, "has_bottom", json_boolean(has_bottom));
  if (n > 0) {
    json_object_set_new(ctx, "first_name", json_string(township_name(r, by_rank[0])));
    json_object_set_new(ctx, "last_name", json_string(township_name(r, by_rank[n - 1])));
  }
  g_free(by_rank);
}

/* The townships short on veto indicator i this month, as one entry:
 * before the deadline those with a warning, from it on those vetoed. A
 * notice names them in one paragraph per indicator, which stays readable
 * for a thousand townships. Returns NULL when there is none. */
static json_t *veto_group(const kh_month_result *r, int i, bool vetoes) {
  const kh_indicator *ind = kh_result_indicator(r, i);
  GString *names = g_string_new(NULL);
  int n = 0, n_unreported = 0;
  for (int t = 0; t < r->n_townships; t++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    if (vetoes ? !c->vetoes : !c->warning)
      continue;
    char *v = c->status == KH_STATUS_OK ? kh_fmt_value(c->value, ind->decimals, ind->unit)
                                        : g_strdup("未报");
    g_string_append_printf(names, "%s%s（%s）", n++ ? "、" : "", township_name(r, t), v);
    n_unreported += c->status != KH_STATUS_OK;
    g_free(v);
  }
  if (n == 0) {
    g_string_free(names, TRUE);
    return NULL;
  }
  json_t *g = json_object();
  json_object_set_new(g, "indicator", json_string(ind->name));
  json_object_set_new(g, "n", json_integer(n));
  json_object_set_new(g, "several", json_boolean(n > 1));
  json_object_set_new(g, "n_unreported", json_integer(n_unreported));
  json_object_set_new(g, "names_text", json_string(names->str));
  /* The target of the first ok township stands for all: a veto target that
   * differs by township is printed per township in the attachment. */
  for (int t = 0; t < r->n_townships; t++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    if (c->status == KH_STATUS_OK) {
      set_str(g, "target", target_text(ind, c->target));
      break;
    }
  }
  if (ind->has_deadline)
    set_str(g, "deadline", kh_fmt_date(ind->deadline_year, ind->deadline_month,
                                       ind->deadline_day));
  g_string_free(names, TRUE);
  return g;
}

/* Veto warnings (before the deadline) and vetoes, one entry per indicator. */
static void add_vetoes(json_t *ctx, const kh_month_result *r) {
  json_t *warnings = json_array(), *vetoes = json_array();
  for (int i = 0; i < r->n_indicators; i++) {
    json_t *w = veto_group(r, i, false), *v = veto_group(r, i, true);
    if (w)
      json_array_append_new(warnings, w);
    if (v)
      json_array_append_new(vetoes, v);
  }
  json_object_set_new(ctx, "has_warnings", json_boolean(json_array_size(warnings) > 0));
  json_object_set_new(ctx, "has_vetoes", json_boolean(json_array_size(vetoes) > 0));
  json_object_set_new(ctx, "warnings", warnings);
  json_object_set_new(ctx, "vetoes", vetoes);
}

json_t *kh_month_context(const kh_month_result *r, const kh_month_result *prev,
                         const kh_doc_meta *meta) {
  const kh_rules *rules = &r->ds->rules;
  json_t *ctx = json_object();
  json_object_set_new(ctx, "title", json_string(rules->title ? rules->title : ""));
  json_object_set_new(ctx, "county", json_string(rules->county ? rules->county : ""));
  json_object_set_new(ctx, "issuer", json_string(rules->issuer ? rules->issuer : ""));
  json_object_set_new(ctx, "year", json_integer(r->year));
  json_object_set_new(ctx, "month", json_integer(r->month));
  set_str(ctx, "period", g_strdup_printf("%d年%d月", r->year, r->month));
  set_str(ctx, "period_ytd", r->month == 1 ? g_strdup_printf("%d年1月", r->year)
                                           : g_strdup_printf("%d年1—%d月", r->year, r->month));
  json_object_set_new(ctx, "n_townships", json_integer(r->n_townships));
  json_object_set_new(ctx, "n_indicators", json_integer(r->n_indicators));
  set_str(ctx, "date", kh_fmt_date(meta->date_year, meta->date_month, meta->date_day));
  set_str(ctx, "docno", kh_fmt_docno(rules->docno_prefix, r->year, meta->doc_no));

  json_t *indicators = json_array(), *lagging = json_array();
  int n_lagging = 0;
  for (int i = 0; i < r->n_indicators; i++) {
    json_t *o = indicator_context(r, prev, i);
    json_array_append(indicators, o);
    if (json_is_true(json_object_get(o, "not_met")) ||
        json_is_true(json_object_get(o, "has_behind"))) {
      json_t *lag = json_deep_copy(o);
      set_str(lag, "ordinal", cn_ordinal(++n_lagging));
      json_array_append_new(lagging, lag);
    }
    json_decref(o);
  }
  json_object_set_new(ctx, "indicators", indicators);
  json_object_set_new(ctx, "lagging", lagging);
  json_object_set_new(ctx, "has_lagging", json_boolean(n_lagging > 0));
  add_ranking(ctx, r);
  add_vetoes(ctx, r);
  /* the veto warnings and the vetoes continue section 二's numbering */
  bool warned = json_is_true(json_object_get(ctx, "has_warnings"));
  set_str(ctx, "warnings_ordinal", cn_ordinal(n_lagging + 1));
  set_str(ctx, "vetoes_ordinal", cn_ordinal(n_lagging + warned + 1));

  GString *unreported = g_string_new(NULL);
  int n_unreported = 0;
  const kh_month_data *md = &r->ds->months[r->month - 1];
  for (int t = 0; t < r->n_townships; t++)
    if (!kh_month_has_row(md, t))
      g_string_append_printf(unreported, "%s%s", n_unreported++ ? "、" : "", township_name(r, t));
  json_object_set_new(ctx, "has_unreported", json_boolean(n_unreported > 0));
  json_object_set_new(ctx, "unreported_text", json_string(unreported->str));
  g_string_free(unreported, TRUE);
  return ctx;
}

void kh_month_context_township(json_t *ctx, const kh_month_result *r, int t) {
  const kh_township *tw = kh_township_at(r->ds, t);
  json_t *o = json_object();
  json_object_set_new(o, "code", json_string(tw->code));
  json_object_set_new(o, "name", json_string(tw->name));
  json_object_set_new(o, "contact", json_string(tw->contact ? tw->contact : ""));
  set_str(o, "total", kh_fmt_number(r->totals[t], 2));
  json_object_set_new(o, "rank", json_integer(r->ranks[t]));
  json_object_set_new(o, "vetoed", json_boolean(r->vetoed[t]));
  json_object_set_new(o, "warned", json_boolean(r->warned[t]));
  const kh_month_data *md = &r->ds->months[r->month - 1];
  json_object_set_new(o, "reported", json_boolean(kh_month_has_row(md, t)));
  json_t *items = json_array();
  int n_missed = 0;
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    const kh_cell *c = kh_cell_at(r, t, i);
    json_t *it = json_object();
    json_object_set_new(it, "name", json_string(ind->name));
    json_object_set_new(it, "ok", json_boolean(c->status == KH_STATUS_OK));
    json_object_set_new(it, "missing", json_boolean(c->status == KH_STATUS_MISSING));
    json_object_set_new(it, "met", json_boolean(c->met));
    /* Missed: reported and short of the target, or not reported at all. */
    bool not_met = c->status == KH_STATUS_OK && !c->met;
    json_object_set_new(it, "not_met", json_boolean(not_met));
    if (not_met || c->status == KH_STATUS_MISSING)
      n_missed++;
    json_object_set_new(it, "warning", json_boolean(c->warning));
    json_object_set_new(it, "vetoes", json_boolean(c->vetoes));
    if (c->status == KH_STATUS_OK) {
      set_str(it, "value", kh_fmt_value(c->value, ind->decimals, ind->unit));
      set_str(it, "target", target_text(ind, c->target));
      if (!c->met)
        set_str(it, "gap", gap_text(ind, c->target, c->gap));
    }
    set_str(it, "score", kh_fmt_number(c->score, 2));
    set_str(it, "weight", kh_fmt_number(ind->weight, 2));
    if (ind->has_deadline)
      set_str(it, "deadline",
              kh_fmt_date(ind->deadline_year, ind->deadline_month, ind->deadline_day));
    json_array_append_new(items, it);
  }
  json_object_set_new(o, "indicators", items);
  json_object_set_new(o, "n_missed", json_integer(n_missed));
  json_object_set_new(o, "has_missed", json_boolean(n_missed > 0));
  json_object_set_new(ctx, "township", o);
}
