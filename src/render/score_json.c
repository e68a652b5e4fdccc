/* Scores as JSON (docs/reference/outputs.md): the month and quarter documents, keys in the
 * spec's order, townships in registry order, indicators in file order.
 *
 * A month's document is written a township at a time, each on a line of
 * its own, so memory stays small and a diff shows which township changed
 * even for thousands of townships.
 *
 * Numbers are the rounded values in their shortest form: an integral value
 * is a JSON integer (107), any other a real printed with 15 significant
 * digits (84.71), which gives back exactly the decimal kh_round produced. */
#include "kaohe/render.h"
#include "render/score_words.h"

#include <jansson.h>
#include <math.h>

enum { JSON_FLAGS = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) };

/* A number, or null when it is NAN (not ok). */
static json_t *number(double v) {
  if (!isfinite(v))
    return json_null();
  if (v == floor(v) && fabs(v) < 9007199254740992.0)
    return json_integer((json_int_t)v);
  return json_real(v);
}

/* Appends v on one line ("key": value, ...) and releases it. */
static void append_line(json_t *v, GString *out) {
  char *text = json_dumps(v, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
  g_string_append(out, text);
  free(text);
  json_decref(v);
}

static void dump(json_t *doc, GString *out) {
  char *text = json_dumps(doc, JSON_FLAGS);
  g_string_append(out, text);
  g_string_append_c(out, '\n');
  free(text);
  json_decref(doc);
}

static json_t *county_json(const kh_month_result *r) {
  json_t *list = json_array();
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    const kh_county_cell *c = &r->county[i];
    json_array_append_new(
        list, json_pack("{s:s, s:o, s:o, s:s, s:b, s:o, s:s, s:i}",
                        "id", ind->id, "value", number(c->value),
                        "target", number(c->target), "op", kh_op_word(ind->op),
                        "met", c->met, "gap", number(c->gap),
                        "status", kh_status_word(c->status),
                        "left_out", c->left_out));
  }
  return json_pack("{s:o}", "indicators", list);
}

static json_t *township_json(const kh_month_result *r, int t) {
  const kh_township *tw = kh_township_at(r->ds, t);
  json_t *list = json_array();
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    json_array_append_new(
        list, json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:s, s:b}",
                        "id", kh_result_indicator(r, i)->id,
                        "value", number(c->value), "target", number(c->target),
                        "met", c->met, "gap", number(c->gap),
                        "score", number(c->score),
                        "status", kh_status_word(c->status),
                        "warning", c->warning));
  }
  return json_pack("{s:s, s:s, s:o, s:i, s:b, s:o}", "code", tw->code,
                   "name", tw->name, "total", number(r->totals[t]),
                   "rank", r->ranks[t], "veto", r->vetoed[t],
                   "indicators", list);
}

void kh_score_json(const kh_month_result *r, GString *out) {
  char *period = kh_month_period(r->year, r->month);
  g_string_append(out, "{\n  \"period\": ");
  append_line(json_string(period), out);
  g_string_append(out, ",\n  \"county\": ");
  append_line(county_json(r), out);
  g_string_append(out, ",\n  \"townships\": [");
  for (int t = 0; t < r->n_townships; t++) {
    g_string_append(out, t ? ",\n    " : "\n    ");
    append_line(township_json(r, t), out);
  }
  g_string_append(out, r->n_townships ? "\n  ]\n}\n" : "]\n}\n");
  g_free(period);
}

static json_t *month_string(int year, int month) {
  char *period = kh_month_period(year, month);
  json_t *s = json_string(period);
  g_free(period);
  return s;
}

/* A tier's name, or null. */
static json_t *tier_name(const kh_tier *tier) {
  return tier ? json_string(tier->name) : json_null();
}

static json_t *quarter_township_json(const kh_quarter_result *q, int t) {
  const kh_township *tw = kh_township_at(q->ds, t);
  json_t *monthly = json_array(), *veto_months = json_array();
  for (int k = 0; k < q->n_months; k++) {
    json_array_append_new(monthly, number(q->monthly[t * 3 + k]));
    if (q->month_results[k]->vetoed[t])
      json_array_append_new(veto_months, month_string(q->year, q->months[k]));
  }
  return json_pack("{s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o}",
                   "code", tw->code, "name", tw->name, "monthly", monthly,
                   "score", number(q->scores[t]),
                   "rank", q->vetoed[t] ? json_null() : json_integer(q->ranks[t]),
                   "veto", q->vetoed[t], "veto_months", veto_months,
                   "award", tier_name(q->awards[t]),
                   "penalty", tier_name(q->penalties[t]),
                   "action", q->actions[t] ? json_string(q->actions[t]) : json_null());
}

void kh_quarter_json(const kh_quarter_result *q, GString *out) {
  char *period = kh_quarter_period(q->year, q->quarter);
  json_t *months = json_array();
  for (int k = 0; k < q->n_months; k++)
    json_array_append_new(months, month_string(q->year, q->months[k]));
  json_t *townships = json_array();
  for (int t = 0; t < q->n_townships; t++)
    json_array_append_new(townships, quarter_township_json(q, t));
  dump(json_pack("{s:s, s:o, s:b, s:o}", "period", period, "months", months,
                 "partial", q->partial, "townships", townships),
       out);
  g_free(period);
}
