/* One township's scoreboard workbook (render.h, docs/reference/outputs.md), the file mailed
 * to that township: its figure on every indicator next to the target and
 * the county's, met or not, the gap, its score out of the weight, its total
 * and rank out of N, its warnings and veto in words; missed rows in red.
 * No chart: docs/decisions.md says why. Every number is the engine's. */
#include "render/xlsx_common.h"

#include <string.h>
#include "kaohe/render.h"

#define TITLE_HEIGHT 30

static const char *str_or_empty(const char *s) { return s ? s : ""; }

char *kh_township_xlsx_file(const kh_dataset *ds, int year, int month, int t) {
  char *stem = kh_township_file_stem(kh_township_at(ds, t));
  char *file = g_strdup_printf("%04d-%02d_%s_考评得分.xlsx", year, month, stem);
  g_free(stem);
  return file;
}

char *kh_township_xlsx_name(const kh_month_result *r, int t) {
  return kh_township_xlsx_file(r->ds, r->year, r->month, t);
}

/* A value cell: the number for ok, else the status in words (the county's
 * "missing" means no township reported). */
static void put_value(kh_xlsx_sheet *s, int row, int col, kh_status st, double v,
                      const kh_indicator *ind, bool county) {
  if (st == KH_STATUS_OK) {
    kh_xlsx_value(s, row, col, v, ind->decimals, ind->unit, KH_XLSX_PLAIN);
    return;
  }
  const char *words = st == KH_STATUS_NA ? "不适用" : county ? "无数据" : "缺报";
  kh_xlsx_text(s, row, col, words,
               kh_xlsx_format(s->book, KH_XLSX_CENTER, KH_XLSX_PLAIN, NULL));
}

static const char *met_words(const kh_cell *c) {
  switch (c->status) {
  case KH_STATUS_MISSING: return "缺报";
  case KH_STATUS_NA: return "不适用";
  case KH_STATUS_OK: break;
  }
  return c->met ? "达标" : "未达标";
}

enum { C_NO, C_NAME, C_VALUE, C_TARGET, C_COUNTY, C_MET, C_GAP, C_SCORE, C_MAX,
       C_RANK, C_NOTE, N_COLS };

static void indicator_rows(kh_xlsx_sheet *s, const kh_month_result *r, int t,
                           int first) {
  kh_xlsx_book *b = s->book;
  lxw_format *center = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_PLAIN, NULL);
  lxw_format *left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL);
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_indicator *ind = kh_result_indicator(r, i);
    const kh_cell *c = kh_cell_at(r, t, i);
    const kh_county_cell *cc = &r->county[i];
    int row = first + i;
    kh_xlsx_value(s, row, C_NO, i + 1, 0, "", KH_XLSX_PLAIN);
    kh_xlsx_text(s, row, C_NAME, ind->name, left);
    put_value(s, row, C_VALUE, c->status, c->value, ind, false);
    kh_xlsx_target_gap(s, row, C_TARGET, C_GAP, c->status, c->target, c->gap, ind,
                       KH_XLSX_PLAIN, center);
    put_value(s, row, C_COUNTY, cc->status, cc->value, ind, true);
    kh_xlsx_text(s, row, C_MET, met_words(c), center);
    kh_xlsx_value(s, row, C_SCORE, c->score, 2, "", KH_XLSX_PLAIN);
    kh_xlsx_value(s, row, C_MAX, ind->weight, 2, "", KH_XLSX_PLAIN);
    kh_xlsx_rank_remark(s, row, C_RANK, C_NOTE, r, t, i, center, left);
  }
}

/* The 合计 line: the engine's total under =ROUND(SUM(…),2), and the
 * maximum under =SUM(…). */
static void total_row(kh_xlsx_sheet *s, const kh_month_result *r, int t,
                      int first, int row) {
  kh_xlsx_book *b = s->book;
  lxw_format *strong = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_STRONG, NULL);
  lxw_format *num = kh_xlsx_number(b, KH_XLSX_STRONG, 2, "");
  for (int c = 0; c < N_COLS; c++)
    kh_xlsx_text(s, row, c, c == C_NAME ? "合计" : NULL, strong);
  char range[32], formula[64];
  char *text = kh_xlsx_number_text(r->totals[t], 2, "");
  if (r->n_indicators > 0) {
    lxw_rowcol_to_range(range, first, C_SCORE, row - 1, C_SCORE);
    g_snprintf(formula, sizeof formula, "=ROUND(SUM(%s),2)", range);
    kh_xlsx_formula(s, row, C_SCORE, formula, r->totals[t], text, num);
    g_free(text);
    text = kh_xlsx_number_text(kh_xlsx_max_total(r), 2, "");
    lxw_rowcol_to_range(range, first, C_MAX, row - 1, C_MAX);
    g_snprintf(formula, sizeof formula, "=SUM(%s)", range);
    kh_xlsx_formula(s, row, C_MAX, formula, kh_xlsx_max_total(r), text, num);
  } else {
    kh_xlsx_num(s, row, C_SCORE, r->totals[t], text, num);
  }
  g_free(text);
}

/* A labelled line under the table: the label in 考评指标's column, the
 * value merged over the columns after it. */
static void info_text(kh_xlsx_sheet *s, int row, const char *label, const char *text) {
  kh_xlsx_book *b = s->book;
  kh_xlsx_text(s, row, C_NAME, label, kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_STRONG, NULL));
  kh_xlsx_merged(s, row, C_VALUE, C_NOTE, text,
                 kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL), 0);
}

/* The same with a number shown through `num_format`. */
static void info_number(kh_xlsx_sheet *s, int row, const char *label, double v,
                        const char *num_format) {
  kh_xlsx_book *b = s->book;
  kh_xlsx_text(s, row, C_NAME, label, kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_STRONG, NULL));
  kh_xlsx_merged_num(s, row, C_VALUE, C_NOTE, v,
                     kh_xlsx_format(b, KH_XLSX_NUMBER_LEFT, KH_XLSX_PLAIN, num_format));
}

/* Warnings of the township in words, one per indicator, or "无". */
static char *warning_words(const kh_month_result *r, int t) {
  GString *out = g_string_new(NULL);
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    if (!c->warning || c->vetoes)
      continue;
    char *remark = kh_xlsx_cell_remark(r, t, i);
    /* "预警：须于…" reads "指标：须于…" here, the label saying 预警. */
    const char *tail = g_str_has_prefix(remark, "预警：") ? remark + strlen("预警：") : "";
    g_string_append_printf(out, "%s%s%s%s", out->len ? "；" : "",
                           kh_result_indicator(r, i)->name, *tail ? "：" : "", tail);
    g_free(remark);
  }
  if (out->len == 0)
    g_string_append(out, "无");
  return g_string_free(out, FALSE);
}

static char *veto_words(const kh_month_result *r, int t) {
  if (!r->vetoed[t])
    return g_strdup("否");
  GString *out = g_string_new("本月一票否决：");
  bool any = false;
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    if (!c->vetoes)
      continue;
    g_string_append_printf(out, "%s%s%s", any ? "、" : "", kh_result_indicator(r, i)->name,
                           c->status == KH_STATUS_MISSING ? "（缺报）" : "未达标");
    any = true;
  }
  return g_string_free(out, FALSE);
}

/* 总分, 全县排名 (of N), 一票否决 and 预警 as lines from `row` on.
 * Returns the row after them. */
static int info_lines(kh_xlsx_sheet *s, const kh_month_result *r, int t, int row) {
  char *max = kh_fmt_number(kh_xlsx_max_total(r), 2);
  char *sum_format = g_strdup_printf("0.00\"分（满分%s分）\"", max);
  char *rank_format = g_strdup_printf("\"第\"0\"名（共%d个乡镇）\"", r->n_townships);
  info_number(s, row++, "总分", r->totals[t], sum_format);
  info_number(s, row++, "全县排名", r->ranks[t], rank_format);
  g_free(rank_format);
  g_free(sum_format);
  g_free(max);
  char *veto = veto_words(r, t);
  info_text(s, row++, "一票否决", veto);
  g_free(veto);
  char *warnings = warning_words(r, t);
  info_text(s, row++, "预警", warnings);
  g_free(warnings);
  return row;
}

bool kh_render_township_xlsx(const kh_month_result *r, int t,
                             const kh_doc_meta *meta, const char *path,
                             kh_diags *diags) {
  const kh_rules *rules = &r->ds->rules;
  const kh_township *tw = kh_township_at(r->ds, t);
  char *when = kh_xlsx_month_text(r->year, r->month);
  char *title = g_strconcat(tw->name, when, str_or_empty(rules->title), "得分表", NULL);
  char *subject = g_strconcat(str_or_empty(rules->county), when,
                              str_or_empty(rules->title), NULL);
  char *keywords = g_strdup_printf("考评,得分,%04d-%02d,%s", r->year, r->month, tw->name);
  kh_xlsx_props props = {.title = title, .subject = subject, .author = rules->issuer,
                         .company = rules->county, .keywords = keywords};
  kh_xlsx_book *b = kh_xlsx_book_new(path, meta, &props, diags);
  g_free(keywords);
  if (!b) {
    g_free(title);
    g_free(subject);
    g_free(when);
    return false;
  }
  char *period = g_strdup_printf("%04d-%02d", r->year, r->month);
  lxw_workbook *wb = kh_xlsx_workbook(b);
  kh_xlsx_check(b, workbook_set_custom_property_string(wb, KH_XLSX_TOWNSHIP_PROPERTY, tw->code),
                "文档属性");
  kh_xlsx_check(b, workbook_set_custom_property_string(wb, KH_XLSX_PERIOD_PROPERTY, period),
                "文档属性");
  g_free(period);
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, tw->name, "考评得分");
  kh_xlsx_banner(s, 0, N_COLS, title, kh_xlsx_format(b, KH_XLSX_TITLE, KH_XLSX_PLAIN, NULL),
                 TITLE_HEIGHT);
  char *total = kh_fmt_number(r->totals[t], 2);
  char *max = kh_fmt_number(kh_xlsx_max_total(r), 2);
  char *subtitle = g_strdup_printf("%s　%s　总分%s分（满分%s分）　全县第%d名（共%d个乡镇）%s",
                                   str_or_empty(rules->county), when, total, max,
                                   r->ranks[t], r->n_townships,
                                   r->vetoed[t] ? "　本月一票否决" : "");
  kh_xlsx_banner(s, 1, N_COLS, subtitle,
                 kh_xlsx_format(b, KH_XLSX_SUBTITLE, KH_XLSX_PLAIN, NULL), 20);
  g_free(subtitle);
  g_free(total);
  g_free(max);

  const char *labels[N_COLS] = {"序号", "考评指标", "本镇数值", "责任指标", "全县数值",
                                "达标情况", "差距", "得分", "满分", "全县位次", "备注"};
  kh_xlsx_headings(s, 2, labels, N_COLS);
  const int first = 3, total_line = first + r->n_indicators;
  indicator_rows(s, r, t, first);
  total_row(s, r, t, first, total_line);

  if (r->n_indicators > 0)
    kh_xlsx_highlight_misses(s, first, total_line - 1, C_MET, N_COLS);

  int row = info_lines(s, r, t, total_line + 2);
  const int info_last = row - 1;

  bool percent = false;
  for (int i = 0; i < r->n_indicators; i++)
    percent = percent || strcmp(str_or_empty(kh_result_indicator(r, i)->unit), "%") == 0;
  row++;
  kh_xlsx_note(s, row++, N_COLS,
               "注：全县数值按全县合计口径计算，缺报的乡镇不计入；全县位次为本镇指标值在"
               "有数据的乡镇中的位次。红色行为未达标或缺报。");
  if (percent)
    kh_xlsx_note(s, row++, N_COLS,
                 "百分比按百分数存储：单元格中的84.71即84.71%，差距以百分点计。");

  kh_xlsx_layout lay = {.header_row = 2, .last_row = info_last, .filter_last = -1,
                        .n_cols = N_COLS, .freeze_cols = 2, .landscape = true,
                        .page_title = title};
  kh_xlsx_sheet_finish(s, &lay);
  g_free(title);
  g_free(subject);
  g_free(when);
  return kh_xlsx_book_close(b, diags);
}
