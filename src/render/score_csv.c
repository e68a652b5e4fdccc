/* Scores as CSV (docs/reference/outputs.md): UTF-8 with a BOM so Excel opens it right, the
 * spec's header, RFC 4180 quoting and CRLF line ends. A null is an empty
 * cell; booleans are true/false; numbers are the rounded values in their
 * shortest form; text that a spreadsheet would take for a formula gets a
 * leading ' (text_cell). */
#include "kaohe/render.h"
#include "render/score_words.h"

#include <math.h>
#include <string.h>

static const char BOM[] = "\xEF\xBB\xBF";

/* Appends one cell, quoted when it holds a comma, a quote or a line break,
 * followed by a comma or, when it is the last of its row, CRLF. */
static void cell(GString *out, const char *text, bool last) {
  kh_csv_append_cell(out, text ? text : "");
  g_string_append(out, last ? "\r\n" : ",");
}

/* A cell of text from the dataset (a code, a name, an award's name): one
 * that starts with = + - @ or a tab or carriage return is written with a
 * ' in front, as OWASP's advice on CSV injection has it, so that Excel,
 * WPS and LibreOffice show it as text instead of running it as a formula
 * (=HYPERLINK(...)). Never for numbers: -1.5 stays a number. */
static void text_cell(GString *out, const char *text, bool last) {
  if (text && *text && strchr("=+-@\t\r", *text)) {
    char *safe = g_strconcat("'", text, NULL);
    cell(out, safe, last);
    g_free(safe);
  } else {
    cell(out, text, last);
  }
}

/* A rounded number at most `decimals` places, empty when not finite. */
static void number_cell(GString *out, double v, int decimals, bool last) {
  char *text = isfinite(v) ? kh_fmt_number(v, decimals) : NULL;
  cell(out, text, last);
  g_free(text);
}

static void int_cell(GString *out, int v, bool last) {
  char text[16];
  g_snprintf(text, sizeof text, "%d", v);
  cell(out, text, last);
}

static const char *boolean(bool b) { return b ? "true" : "false"; }

void kh_score_csv(const kh_month_result *r, GString *out) {
  char *period = kh_month_period(r->year, r->month);
  g_string_append(out, BOM);
  g_string_append(out, "period,code,name,indicator,status,value,target,op,met,"
                       "gap,score,warning,total,rank,veto,left_out\r\n");
  for (int t = 0; t < r->n_townships; t++) {
    const kh_township *tw = kh_township_at(r->ds, t);
    for (int i = 0; i < r->n_indicators; i++) {
      const kh_indicator *ind = kh_result_indicator(r, i);
      const kh_cell *c = kh_cell_at(r, t, i);
      cell(out, period, false);
      text_cell(out, tw->code, false);
      text_cell(out, tw->name, false);
      cell(out, ind->id, false);
      cell(out, kh_status_word(c->status), false);
      number_cell(out, c->value, ind->decimals, false);
      number_cell(out, c->target, ind->decimals, false);
      cell(out, kh_op_word(ind->op), false);
      cell(out, boolean(c->met), false);
      number_cell(out, c->gap, ind->decimals, false);
      number_cell(out, c->score, 2, false);
      cell(out, boolean(c->warning), false);
      number_cell(out, r->totals[t], 2, false);
      int_cell(out, r->ranks[t], false);
      cell(out, boolean(r->vetoed[t]), false);
      cell(out, NULL, true);
    }
  }
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    const kh_county_cell *c = &r->county[i];
    cell(out, period, false);
    cell(out, NULL, false);
    cell(out, NULL, false);
    cell(out, ind->id, false);
    cell(out, kh_status_word(c->status), false);
    number_cell(out, c->value, ind->decimals, false);
    number_cell(out, c->target, ind->decimals, false);
    cell(out, kh_op_word(ind->op), false);
    cell(out, boolean(c->met), false);
    number_cell(out, c->gap, ind->decimals, false);
    for (int k = 0; k < 5; k++) /* score, warning, total, rank, veto */
      cell(out, NULL, false);
    int_cell(out, c->left_out, true);
  }
  g_free(period);
}

void kh_quarter_csv(const kh_quarter_result *q, GString *out) {
  char *period = kh_quarter_period(q->year, q->quarter);
  char *months = kh_quarter_months(q, -1, ";");
  g_string_append(out, BOM);
  g_string_append(out, "period,months,partial,code,name,monthly_1,monthly_2,"
                       "monthly_3,score,rank,veto,veto_months,award,penalty,"
                       "action\r\n");
  for (int t = 0; t < q->n_townships; t++) {
    const kh_township *tw = kh_township_at(q->ds, t);
    cell(out, period, false);
    cell(out, months, false);
    cell(out, boolean(q->partial), false);
    text_cell(out, tw->code, false);
    text_cell(out, tw->name, false);
    for (int k = 0; k < 3; k++)
      number_cell(out, k < q->n_months ? q->monthly[t * 3 + k] : NAN, 2, false);
    number_cell(out, q->scores[t], 2, false);
    if (q->vetoed[t])
      cell(out, NULL, false);
    else
      int_cell(out, q->ranks[t], false);
    cell(out, boolean(q->vetoed[t]), false);
    char *veto_months = kh_quarter_months(q, t, ";");
    cell(out, veto_months, false);
    g_free(veto_months);
    text_cell(out, q->awards[t] ? q->awards[t]->name : NULL, false);
    text_cell(out, q->penalties[t] ? q->penalties[t]->name : NULL, false);
    text_cell(out, q->actions[t], true);
  }
  g_free(months);
  g_free(period);
}
