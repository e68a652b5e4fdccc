/* The quarterly reward-and-penalty workbook (render.h, docs/reference/scoring.md and §5):
 * a sheet 季度汇总 (rank, township, monthly totals, quarter score, veto with
 * its months and indicators, award or penalty, action), then each month's
 * score summary as the county workbook has it. Every number is the
 * engine's (kh_quarter_result); nothing is recomputed. */
#include "render/xlsx_common.h"

#include "kaohe/render.h"
#include "render/rank_order.h"

#define QUARTER_SHEET "季度汇总"
#define TITLE_HEIGHT 30

static const char *str_or_empty(const char *s) { return s ? s : ""; }

static const char *quarter_words(int quarter) {
  static const char *const words[] = {"一", "二", "三", "四"};
  return quarter >= 1 && quarter <= 4 ? words[quarter - 1] : "";
}

/* "7月：独生子女保健费兑现率；9月：…" for a vetoed township, else "". */
static char *veto_detail(const kh_quarter_result *q, int t) {
  GString *out = g_string_new(NULL);
  for (int k = 0; k < q->n_months; k++) {
    const kh_month_result *r = q->month_results[k];
    if (!r->vetoed[t])
      continue;
    g_string_append_printf(out, "%s%d月：", out->len ? "；" : "", q->months[k]);
    bool first = true;
    for (int i = 0; i < r->n_indicators; i++)
      if (kh_cell_at(r, t, i)->vetoes) {
        g_string_append_printf(out, "%s%s", first ? "" : "、",
                               kh_result_indicator(r, i)->name);
        first = false;
      }
  }
  return g_string_free(out, FALSE);
}

/* "7月、8月、9月". Caller frees with g_free(). */
static char *months_words(const kh_quarter_result *q) {
  GString *out = g_string_new(NULL);
  for (int k = 0; k < q->n_months; k++)
    g_string_append_printf(out, "%s%d月", k ? "、" : "", q->months[k]);
  return g_string_free(out, FALSE);
}

static void quarter_sheet(kh_xlsx_book *b, const kh_quarter_result *q,
                          const char *title) {
  const int n_months = q->n_months;
  const int c_score = 3 + n_months, c_veto = c_score + 1, c_detail = c_veto + 1,
            c_kind = c_detail + 1, c_tier = c_kind + 1, c_action = c_tier + 1,
            n_cols = c_action + 1;
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, QUARTER_SHEET, QUARTER_SHEET);
  kh_xlsx_banner(s, 0, n_cols, title, kh_xlsx_format(b, KH_XLSX_TITLE, KH_XLSX_PLAIN, NULL),
                 TITLE_HEIGHT);
  char *months = months_words(q);
  char *subtitle = q->partial
      ? g_strdup_printf("本季度仅有%d年%s的数据（不完整季度），季度得分为这些月份总分的平均分",
                        q->year, months)
      : g_strdup_printf("考评月份：%d年%s", q->year, months);
  kh_xlsx_banner(s, 1, n_cols, subtitle,
                 kh_xlsx_format(b, KH_XLSX_SUBTITLE, KH_XLSX_PLAIN, NULL), 20);
  g_free(subtitle);
  g_free(months);

  GPtrArray *labels = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(labels, g_strdup("排名"));
  g_ptr_array_add(labels, g_strdup("代码"));
  g_ptr_array_add(labels, g_strdup("乡镇"));
  for (int k = 0; k < n_months; k++)
    g_ptr_array_add(labels, g_strdup_printf("%d月总分", q->months[k]));
  g_ptr_array_add(labels, g_strdup("季度得分"));
  g_ptr_array_add(labels, g_strdup("一票否决"));
  g_ptr_array_add(labels, g_strdup("否决月份及指标"));
  g_ptr_array_add(labels, g_strdup("奖惩"));
  g_ptr_array_add(labels, g_strdup("档次"));
  g_ptr_array_add(labels, g_strdup("奖惩措施"));
  kh_xlsx_headings(s, 2, (const char *const *)labels->pdata, n_cols);
  g_ptr_array_unref(labels);

  lxw_format *center = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_PLAIN, NULL);
  lxw_format *left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL);
  lxw_format *rank_fmt = kh_xlsx_number(b, KH_XLSX_PLAIN, 0, "");
  lxw_format *score_fmt = kh_xlsx_number(b, KH_XLSX_PLAIN, 2, "");
  lxw_format *strong_fmt = kh_xlsx_number(b, KH_XLSX_STRONG, 2, "");
  /* Ranked townships first, then the vetoed ones (rank 0). */
  int *order = kh_rank_order(q->ranks, q->n_townships);
  const int first = 3, last = first + q->n_townships - 1;
  for (int k = 0; k < q->n_townships; k++) {
    const int t = order[k], row = first + k;
    const kh_township *tw = kh_township_at(q->ds, t);
    char *text;
    if (q->ranks[t] > 0) {
      text = g_strdup_printf("%d", q->ranks[t]);
      kh_xlsx_num(s, row, 0, q->ranks[t], text, rank_fmt);
      g_free(text);
    } else {
      kh_xlsx_text(s, row, 0, "—", center);
    }
    kh_xlsx_text(s, row, 1, tw->code, center);
    kh_xlsx_text(s, row, 2, tw->name, center);
    for (int m = 0; m < n_months; m++) {
      double v = q->monthly[t * 3 + m];
      text = kh_xlsx_number_text(v, 2, "");
      kh_xlsx_num(s, row, 3 + m, v, text, score_fmt);
      g_free(text);
    }
    char range[32], formula[64];
    lxw_rowcol_to_range(range, row, 3, row, 3 + n_months - 1);
    g_snprintf(formula, sizeof formula, "=ROUND(AVERAGE(%s),2)", range);
    text = kh_xlsx_number_text(q->scores[t], 2, "");
    kh_xlsx_formula(s, row, c_score, formula, q->scores[t], text, strong_fmt);
    g_free(text);
    kh_xlsx_text(s, row, c_veto, q->vetoed[t] ? "是" : "否", center);
    char *detail = veto_detail(q, t);
    kh_xlsx_text(s, row, c_detail, detail, left);
    g_free(detail);
    const kh_tier *tier = q->awards[t] ? q->awards[t] : q->penalties[t];
    const char *kind = q->vetoed[t] ? "一票否决" : q->awards[t] ? "奖励"
                       : q->penalties[t] ? "处罚" : "";
    kh_xlsx_text(s, row, c_kind, kind, center);
    kh_xlsx_text(s, row, c_tier, tier ? tier->label : NULL, center);
    kh_xlsx_text(s, row, c_action, q->actions[t], left);
  }
  g_free(order);

  if (q->n_townships > 0) {
    char col[8], formula[96];
    lxw_col_to_name(col, c_veto, LXW_TRUE);
    g_snprintf(formula, sizeof formula, "=%s%d=\"是\"", col, first + 1);
    lxw_conditional_format veto = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                   .value_string = formula,
                                   .format = kh_xlsx_veto_highlight(b)};
    kh_xlsx_check(b, worksheet_conditional_format_range(s->ws, first, 0, last, c_action,
                                                        &veto),
                  s->name);
    lxw_col_to_name(col, c_kind, LXW_TRUE);
    g_snprintf(formula, sizeof formula, "=%s%d=\"奖励\"", col, first + 1);
    lxw_conditional_format award = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                    .value_string = formula,
                                    .format = kh_xlsx_award_highlight(b)};
    kh_xlsx_check(b, worksheet_conditional_format_range(s->ws, first, 0, last, c_action,
                                                        &award),
                  s->name);
  }

  int row = MAX(last, 2) + 2;
  kh_xlsx_note(s, row++, n_cols,
               "注：季度得分为各月总分的平均分（保留两位小数），按季度得分从高到低排名，"
               "得分相同名次并列。季度内任一月被一票否决的乡镇不参加排名和奖惩，"
               "列在表末（红色行）；绿色行为受奖励的乡镇。各月得分见后面的工作表。");
  kh_xlsx_layout lay = {.header_row = 2, .last_row = last, .filter_last = last,
                        .n_cols = n_cols, .freeze_cols = 3, .landscape = true,
                        .page_title = title};
  kh_xlsx_sheet_finish(s, &lay);
}

bool kh_render_quarter_xlsx(const kh_quarter_result *q, const kh_doc_meta *meta,
                            const char *path, kh_diags *diags) {
  const kh_rules *rules = &q->ds->rules;
  char *title = g_strdup_printf("%s%d年第%s季度%s奖惩汇总表", str_or_empty(rules->county),
                                q->year, quarter_words(q->quarter),
                                str_or_empty(rules->title));
  char *subject = g_strdup_printf("%s %d年第%s季度", str_or_empty(rules->title), q->year,
                                  quarter_words(q->quarter));
  char *keywords = g_strdup_printf("考评,奖惩,%04dQ%d", q->year, q->quarter);
  kh_xlsx_props props = {.title = title, .subject = subject, .author = rules->issuer,
                         .company = rules->county, .keywords = keywords};
  kh_xlsx_book *b = kh_xlsx_book_new(path, meta, &props, diags);
  g_free(keywords);
  g_free(subject);
  if (!b) {
    g_free(title);
    return false;
  }
  quarter_sheet(b, q, title);
  g_free(title);
  for (int k = 0; k < q->n_months; k++) {
    char *name = g_strdup_printf("%d月得分", q->months[k]);
    kh_xlsx_month_summary(b, q->month_results[k], name);
    g_free(name);
  }
  return kh_xlsx_book_close(b, diags);
}
