/* The county scoreboard workbook (render.h, docs/reference/outputs.md): a summary sheet 汇总
 * of every township's scores ranked by total, then one sheet per indicator
 * with each township's value against its target and the county line.
 * Every number is the engine's (kh_month_result); nothing is recomputed. */
#include "render/xlsx_common.h"

#include <string.h>
#include "kaohe/render.h"
#include "render/rank_order.h"

#define SUMMARY_SHEET "汇总"
#define TITLE_HEIGHT 30
#define CHART_WIDTH 480  /* libxlsxwriter's chart size at scale 1 */
#define CHART_HEIGHT 288
#define VETO_BAR 0xC00000
#define CHART_MAX_BARS 100 /* more townships than this make no readable chart */

static const char *str_or_empty(const char *s) { return s ? s : ""; }

/* "某某县2013年7月人口计生重点工作月考评". Caller frees with g_free(). */
static char *period_title(const kh_month_result *r) {
  const kh_rules *rules = &r->ds->rules;
  char *when = kh_xlsx_month_text(r->year, r->month);
  char *s = g_strconcat(str_or_empty(rules->county), when,
                        str_or_empty(rules->title), NULL);
  g_free(when);
  return s;
}

/* A missed target: not met, and not because it could not be assessed. */
static bool cell_missed(const kh_cell *c) {
  return c->status == KH_STATUS_MISSING || (c->status == KH_STATUS_OK && !c->met);
}

/* The chart's type: 11 pt like the cells, so that it prints at 8 pt or
 * more at the smallest scale a sheet prints at (xlsx_print.c). */
#define CHART_PT 11

static void set_chart_font(lxw_chart *chart, int n_categories) {
  lxw_chart_font title = {.name = "黑体", .size = CHART_PT + 1, .bold = LXW_TRUE};
  lxw_chart_font body = {.name = "宋体", .size = CHART_PT};
  lxw_chart_font names = {.name = "宋体", .size = CHART_PT,
                          .rotation = n_categories > 8 ? -45 : 0};
  chart_title_set_name_font(chart, &title);
  chart_axis_set_num_font(chart->x_axis, &names);
  chart_axis_set_num_font(chart->y_axis, &body);
}

/* The column chart of totals under the summary table, as wide as it. */
static void totals_chart(kh_xlsx_sheet *s, const kh_month_result *r, const int *order,
                         int first, int last, int total_col, int at_row, int n_cols) {
  lxw_chart *chart = workbook_add_chart(kh_xlsx_workbook(s->book), LXW_CHART_COLUMN);
  lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
  chart_series_set_categories(series, s->name, first, 2, last, 2);
  chart_series_set_values(series, s->name, first, total_col, last, total_col);
  chart_series_set_name(series, "总分");
  /* Vetoed townships' bars in red, as their rows (`order` is the rows').
   * libxlsxwriter copies the points. */
  bool any_veto = false;
  for (int t = 0; t < r->n_townships; t++)
    any_veto = any_veto || r->vetoed[t];
  if (any_veto) {
    lxw_chart_fill veto_fill = {.color = VETO_BAR};
    lxw_chart_point plain = {0}, vetoed = {.fill = &veto_fill};
    lxw_chart_point **points = g_new0(lxw_chart_point *, r->n_townships + 1);
    for (int k = 0; k < r->n_townships; k++)
      points[k] = r->vetoed[order[k]] ? &vetoed : &plain;
    kh_xlsx_check(s->book, chart_series_set_points(series, points), s->name);
    g_free(points);
  }
  chart_series_set_labels(series);
  chart_series_set_labels_num_format(series, "0.00");
  lxw_chart_font label_font = {.name = "宋体", .size = CHART_PT};
  chart_series_set_labels_font(series, &label_font);
  chart_title_set_name(chart, "各乡镇总分");
  chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
  chart_axis_set_min(chart->y_axis, 0);
  if (kh_xlsx_max_total(r) > 0)
    chart_axis_set_max(chart->y_axis, kh_xlsx_max_total(r));
  chart_axis_set_num_format(chart->y_axis, "0");
  set_chart_font(chart, r->n_townships);
  int px = kh_xlsx_sheet_pixels(s, n_cols);
  lxw_chart_options opt = {.x_offset = 0, .y_offset = 8,
                           .x_scale = MAX((double)px / CHART_WIDTH, 1.0),
                           .y_scale = 340.0 / CHART_HEIGHT};
  kh_xlsx_check(s->book, worksheet_insert_chart_opt(s->ws, at_row, 0, chart, &opt),
                s->name);
}

void kh_xlsx_month_summary(kh_xlsx_book *b, const kh_month_result *r,
                           const char *sheet_name) {
  const kh_dataset *ds = r->ds;
  const int n_ind = r->n_indicators;
  const int total_col = 3 + n_ind, veto_col = total_col + 1, n_cols = veto_col + 1;
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, sheet_name, SUMMARY_SHEET);

  char *period = period_title(r);
  char *title = g_strconcat(period, "得分汇总表", NULL);
  kh_xlsx_banner(s, 0, n_cols, title,
                 kh_xlsx_format(b, KH_XLSX_TITLE, KH_XLSX_PLAIN, NULL), TITLE_HEIGHT);

  GPtrArray *labels = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(labels, g_strdup("排名"));
  g_ptr_array_add(labels, g_strdup("代码"));
  g_ptr_array_add(labels, g_strdup("乡镇"));
  for (int i = 0; i < n_ind; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    char *w = kh_fmt_number(ind->weight, 2);
    if (ind->veto && ind->weight == 0)
      g_ptr_array_add(labels, g_strdup_printf("%s（一票否决项）", ind->name));
    else
      g_ptr_array_add(labels, g_strdup_printf("%s（%s分%s）", ind->name, w,
                                              ind->veto ? "，一票否决" : ""));
    g_free(w);
  }
  char *max = kh_fmt_number(kh_xlsx_max_total(r), 2);
  g_ptr_array_add(labels, g_strdup_printf("总分（%s分）", max));
  g_free(max);
  g_ptr_array_add(labels, g_strdup("一票否决 / 预警"));
  kh_xlsx_headings(s, 1, (const char *const *)labels->pdata, n_cols);
  g_ptr_array_unref(labels);

  lxw_format *center = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_PLAIN, NULL);
  lxw_format *left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL);
  lxw_format *total_fmt = kh_xlsx_number(b, KH_XLSX_STRONG, 2, "");
  int *order = kh_rank_order(r->ranks, r->n_townships);
  const int first = 2, last = first + r->n_townships - 1;
  for (int k = 0; k < r->n_townships; k++) {
    int t = order[k], row = first + k;
    const kh_township *tw = kh_township_at(ds, t);
    kh_xlsx_value(s, row, 0, r->ranks[t], 0, "", KH_XLSX_PLAIN);
    kh_xlsx_text(s, row, 1, tw->code, center);
    kh_xlsx_text(s, row, 2, tw->name, center);
    for (int i = 0; i < n_ind; i++) {
      const kh_cell *c = kh_cell_at(r, t, i);
      kh_xlsx_value(s, row, 3 + i, c->score, 2, "",
                    cell_missed(c) ? KH_XLSX_MISS : KH_XLSX_PLAIN);
    }
    char range[32], formula[64];
    lxw_rowcol_to_range(range, row, 3, row, total_col - 1);
    if (n_ind > 0)
      g_snprintf(formula, sizeof formula, "=ROUND(SUM(%s),2)", range);
    else
      g_strlcpy(formula, "=0", sizeof formula);
    char *text = kh_xlsx_number_text(r->totals[t], 2, "");
    kh_xlsx_formula(s, row, total_col, formula, r->totals[t], text, total_fmt);
    g_free(text);
    char *words = kh_xlsx_veto_words(r, t);
    kh_xlsx_text(s, row, veto_col, words, left);
    g_free(words);
  }

  if (r->n_townships > 0) {
    char col[8], formula[96];
    lxw_col_to_name(col, veto_col, LXW_TRUE);
    g_snprintf(formula, sizeof formula, "=LEFT(%s%d,4)=\"一票否决\"", col, first + 1);
    lxw_conditional_format veto = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                   .value_string = formula,
                                   .format = kh_xlsx_veto_highlight(b)};
    kh_xlsx_check(b, worksheet_conditional_format_range(s->ws, first, 0, last,
                                                        veto_col, &veto),
                  s->name);
  }

  int row = MAX(last, 1) + 2;
  kh_xlsx_note(s, row++, n_cols,
               "注：按总分从高到低排名，总分相同名次并列。红色行（图中红色柱）为一票否决的乡镇"
               "（保留得分和排名）；红字得分为未达标或缺报的指标。");
  bool chart = r->n_townships > 0 && r->n_townships <= CHART_MAX_BARS;
  if (r->n_townships > CHART_MAX_BARS)
    kh_xlsx_note(s, row++, n_cols, "乡镇超过" G_STRINGIFY(CHART_MAX_BARS) "个，柱状图无法辨认，未附总分图。");
  kh_xlsx_layout lay = {.header_row = 1, .last_row = last, .filter_last = last,
                        .n_cols = n_cols, .freeze_cols = 3, .landscape = true,
                        .page_title = title};
  kh_xlsx_sheet_finish(s, &lay);
  if (chart)
    totals_chart(s, r, order, first, last, total_col, row + 1, n_cols);
  g_free(order);
  g_free(title);
  g_free(period);
}

/* How the indicator is scored, in words, for the note under its table. */
static char *method_words(const kh_indicator *ind) {
  char *w = kh_fmt_number(ind->weight, 2);
  char *p = kh_fmt_number(ind->points, 2);
  char *u = kh_fmt_gap(ind->per, ind->decimals, ind->unit);
  char *s = NULL;
  switch (ind->method) {
  case KH_METHOD_ALL_OR_NOTHING:
    s = g_strdup_printf("计分办法：满分%s分，达标得满分，未达标不得分。", w);
    break;
  case KH_METHOD_PROPORTIONAL:
    s = g_strdup_printf("计分办法：满分%s分，达标得满分，未达标按完成比例计分。", w);
    break;
  case KH_METHOD_DEDUCT:
    s = g_strdup_printf("计分办法：满分%s分，达标得满分，未达标每差%s扣%s分，扣完为止。",
                        w, u, p);
    break;
  case KH_METHOD_RANK:
    s = g_strdup_printf("计分办法：满分%s分，按位次计分，第1名得满分，每后移一位扣%s分，扣完为止。",
                        w, p);
    break;
  }
  g_free(w);
  g_free(p);
  g_free(u);
  return s;
}

/* A value cell: the number for ok, else the status in words. */
static void put_status_value(kh_xlsx_sheet *s, int row, int col, kh_status st,
                             double v, const kh_indicator *ind, kh_xlsx_tone tone) {
  if (st == KH_STATUS_OK)
    kh_xlsx_value(s, row, col, v, ind->decimals, ind->unit, tone);
  else
    kh_xlsx_text(s, row, col, st == KH_STATUS_MISSING ? "缺报" : "不适用",
                 kh_xlsx_format(s->book, KH_XLSX_CENTER, tone, NULL));
}

static const char *met_words(kh_status st, bool met) {
  if (st == KH_STATUS_MISSING)
    return "缺报";
  if (st == KH_STATUS_NA)
    return "不适用";
  return met ? "达标" : "未达标";
}

static void indicator_sheet(kh_xlsx_book *b, const kh_month_result *r, int i) {
  const kh_dataset *ds = r->ds;
  const kh_indicator *ind = kh_result_indicator(r, i);
  const char *unit = str_or_empty(ind->unit);
  enum { C_CODE, C_NAME, C_VALUE, C_TARGET, C_MET, C_GAP, C_SCORE, C_RANK, C_NOTE, N_COLS };
  char *fallback = g_strdup_printf("指标%d", i + 1);
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, ind->name, fallback);
  g_free(fallback);

  char *when = kh_xlsx_month_text(r->year, r->month);
  char *title = g_strdup_printf("%s%s%s考评情况", str_or_empty(ds->rules.county),
                                when, ind->name);
  kh_xlsx_banner(s, 0, N_COLS, title,
                 kh_xlsx_format(b, KH_XLSX_TITLE, KH_XLSX_PLAIN, NULL), TITLE_HEIGHT);
  char *w = kh_fmt_number(ind->weight, 2);
  char *target_label = g_strdup_printf("责任指标（%s）", ind->op == KH_OP_GE ? "≥" : "≤");
  char *score_label = g_strdup_printf("得分（满分%s）", w);
  const char *labels[N_COLS] = {"代码", "乡镇", "指标值", target_label, "达标情况",
                                "差距", score_label, "位次", "备注"};
  kh_xlsx_headings(s, 1, labels, N_COLS);
  g_free(target_label);
  g_free(score_label);
  g_free(w);

  lxw_format *center = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_PLAIN, NULL);
  lxw_format *left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL);
  const int first = 2;
  for (int t = 0; t < r->n_townships; t++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    const kh_township *tw = kh_township_at(ds, t);
    int row = first + t;
    kh_xlsx_text(s, row, C_CODE, tw->code, center);
    kh_xlsx_text(s, row, C_NAME, tw->name, center);
    put_status_value(s, row, C_VALUE, c->status, c->value, ind, KH_XLSX_PLAIN);
    kh_xlsx_target_gap(s, row, C_TARGET, C_GAP, c->status, c->target, c->gap, ind,
                       KH_XLSX_PLAIN, center);
    kh_xlsx_text(s, row, C_MET, met_words(c->status, c->met), center);
    kh_xlsx_value(s, row, C_SCORE, c->score, 2, "", KH_XLSX_PLAIN);
    kh_xlsx_rank_remark(s, row, C_RANK, C_NOTE, r, t, i, center, left);
  }

  /* The county line. */
  const kh_county_cell *cc = &r->county[i];
  const int county_row = first + r->n_townships;
  lxw_format *strong = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_STRONG, NULL);
  lxw_format *strong_left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_STRONG, NULL);
  kh_xlsx_text(s, county_row, C_CODE, NULL, strong);
  kh_xlsx_text(s, county_row, C_NAME, "全县", strong);
  put_status_value(s, county_row, C_VALUE, cc->status, cc->value, ind, KH_XLSX_STRONG);
  kh_xlsx_target_gap(s, county_row, C_TARGET, C_GAP, cc->status, cc->target, cc->gap, ind,
                     KH_XLSX_STRONG, strong);
  kh_xlsx_text(s, county_row, C_MET, met_words(cc->status, cc->met), strong);
  kh_xlsx_text(s, county_row, C_SCORE, NULL, strong);
  kh_xlsx_text(s, county_row, C_RANK, NULL, strong);
  char *left_out = NULL;
  if (cc->status == KH_STATUS_MISSING)
    left_out = g_strdup("各乡镇均缺报，无法计算全县数值");
  else if (cc->left_out > 0)
    left_out = g_strdup_printf("%d个乡镇缺报，未计入全县合计", cc->left_out);
  kh_xlsx_text(s, county_row, C_NOTE, left_out, strong_left);
  g_free(left_out);

  kh_xlsx_highlight_misses(s, first, county_row, C_MET, N_COLS);

  int row = county_row + 2;
  char *method = method_words(ind);
  kh_xlsx_note(s, row++, N_COLS, method);
  g_free(method);
  kh_xlsx_note(s, row++, N_COLS,
               "缺报的乡镇该项得0分，不计入全县合计；不适用（分母为0）的乡镇得满分。"
               "红色行为未达标或缺报。");
  if (strcmp(unit, "%") == 0)
    kh_xlsx_note(s, row++, N_COLS,
                 "百分比按百分数存储：单元格中的84.71即84.71%，差距以百分点计。");
  kh_xlsx_layout lay = {.header_row = 1, .last_row = county_row,
                        .filter_last = county_row - 1, .n_cols = N_COLS,
                        .freeze_cols = 2, .landscape = true, .page_title = title};
  kh_xlsx_sheet_finish(s, &lay);
  g_free(title);
  g_free(when);
}

bool kh_render_county_xlsx(const kh_month_result *r, const kh_doc_meta *meta,
                           const char *path, kh_diags *diags) {
  const kh_rules *rules = &r->ds->rules;
  char *period = period_title(r);
  char *title = g_strconcat(period, "得分汇总表", NULL);
  char *keywords = g_strdup_printf("考评,得分,%04d-%02d", r->year, r->month);
  kh_xlsx_props props = {.title = title, .subject = period,
                         .author = rules->issuer, .company = rules->county,
                         .keywords = keywords};
  kh_xlsx_book *b = kh_xlsx_book_new(path, meta, &props, diags);
  g_free(keywords);
  g_free(title);
  g_free(period);
  if (!b)
    return false;
  kh_xlsx_month_summary(b, r, SUMMARY_SHEET);
  for (int i = 0; i < r->n_indicators; i++)
    indicator_sheet(b, r, i);
  return kh_xlsx_book_close(b, diags);
}
