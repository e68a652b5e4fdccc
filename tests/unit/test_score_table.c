/* The terminal tables: rows in rank order, columns aligned by display
 * width with Chinese names, marks for veto and warnings, county lines. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <unistr.h>
#include <uniwidth.h>

#include "kaohe/render.h"
#include "dataset_builder.h"

/* Display width of line up to the end of the last occurrence of needle in
 * it, or -1 when absent. */
static int width_through(const char *line, const char *needle) {
  const char *hit = NULL;
  for (const char *p = strstr(line, needle); p; p = strstr(p + 1, needle))
    hit = p;
  if (!hit)
    return -1;
  size_t n = (size_t)(hit - line) + strlen(needle);
  return u8_width((const uint8_t *)line, n, "UTF-8");
}

/* Display width of line before the first occurrence of needle, or -1. */
static int width_before(const char *line, const char *needle) {
  const char *hit = strstr(line, needle);
  return hit ? u8_width((const uint8_t *)line, (size_t)(hit - line), "UTF-8") : -1;
}

static char **lines_of(const GString *out) { return g_strsplit(out->str, "\n", -1); }

/* 城关镇 (3 wide chars), 东乡, 黄土岭乡 (4), an ASCII name. */
static kh_dataset *sample(void) {
  kh_dataset *ds = db_new(2013, (const char *[]){"城关镇", "东乡", "黄土岭乡", "Xiang A", NULL},
                          (const char *[]){"v", "fee", NULL}, NULL);
  ds->rules.county = g_strdup("某某县");
  const double v[] = {84.71, 95, 73.15, 90}, fee[] = {100, 90, 100, NAN};
  for (int m = 7; m <= 9; m++)
    for (int t = 0; t < 4; t++)
      db_row(ds, m, t, (double[]){v[t], fee[t]});
  kh_indicator *a = db_indicator(ds, "id_entry", db_field(0), KH_OP_GE, db_num(95), 90,
                                 KH_METHOD_PROPORTIONAL, 0, 0);
  g_free(a->name);
  a->name = g_strdup("身份证号码录入率");
  g_free(a->unit);
  a->unit = g_strdup("%");
  kh_indicator *f = db_indicator(ds, "fee", db_field(1), KH_OP_GE, db_num(100), 10,
                                 KH_METHOD_ALL_OR_NOTHING, 0, 0);
  g_free(f->name);
  f->name = g_strdup("兑现率");
  f->veto = f->has_deadline = true;
  f->deadline_year = 2013;
  f->deadline_month = 9;
  return ds;
}

static void test_month_table(void **state) {
  (void)state;
  kh_dataset *ds = sample();
  kh_month_result *r = kh_assess_month(ds, 9);
  GString *out = g_string_new(NULL);
  kh_score_table(r, out);
  char **lines = lines_of(out);
  assert_string_equal(lines[0], "某某县人口计生重点工作月考评 · 2013年9月得分");
  /* header, then rank order: 城关镇 90.25, 东乡 90, Xiang A 85.26, 黄土岭乡 79.3 */
  assert_non_null(strstr(lines[2], "总分"));
  const char *order[] = {"城关镇", "东乡", "Xiang A", "黄土岭乡"};
  const char *totals[] = {"90.25", "90", "85.26", "79.3"};
  /* Right-aligned totals end in the same display column as the header's
   * 总分, and names start in the same column. */
  int end = width_through(lines[2], "总分");
  int name_col = width_before(lines[2], "乡镇");
  for (int k = 0; k < 4; k++) {
    assert_int_equal(width_before(lines[3 + k], order[k]), name_col);
    assert_int_equal(width_through(lines[3 + k], totals[k]), end);
  }
  /* marks: 东乡 (fee 90 in September) and Xiang A (fee missing) are vetoed */
  assert_null(strstr(lines[3], "一票否决"));
  assert_non_null(strstr(lines[4], "一票否决"));
  assert_non_null(strstr(lines[5], "0（缺报）"));
  assert_non_null(strstr(lines[5], "一票否决"));
  assert_non_null(strstr(out->str, "\n全县 身份证号码录入率：342.86%，目标 ≥ 95%，达标\n"));
  assert_non_null(strstr(out->str, "\n全县 兑现率：290，目标 ≥ 100，达标（1 个乡镇缺报，未计入）\n"));
  g_strfreev(lines);
  g_string_free(out, TRUE);
  kh_month_result_free(r);

  r = kh_assess_month(ds, 8); /* before the deadline: warnings */
  out = g_string_new(NULL);
  kh_score_table(r, out);
  assert_non_null(strstr(out->str, "预警"));
  assert_null(strstr(out->str, "一票否决"));
  g_string_free(out, TRUE);
  kh_month_result_free(r);
  db_free(ds);
}

static void test_quarter_table(void **state) {
  (void)state;
  kh_dataset *ds = sample();
  ds->rules.veto_action = g_strdup("取消评优资格");
  kh_tier *first = db_tier(ds, true, "first", "通报表扬");
  first->rank_lo = first->rank_hi = 1;
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  GString *out = g_string_new(NULL);
  kh_quarter_table(q, out);
  char **lines = lines_of(out);
  assert_string_equal(lines[0], "某某县人口计生重点工作月考评 · 2013年第3季度得分");
  int end = width_through(lines[2], "季度得分");
  assert_true(end > 0);
  /* 城关镇 ranks 1 (the others are vetoed in September), then the vetoed. */
  assert_non_null(strstr(lines[3], "城关镇"));
  assert_int_equal(width_through(lines[3], "90.25"), end);
  assert_non_null(strstr(lines[3], "一等奖：通报表扬")); /* the label, not the id */
  assert_null(strstr(out->str, "first"));
  assert_non_null(strstr(out->str, "一票否决（2013-09）：取消评优资格"));
  g_strfreev(lines);
  g_string_free(out, TRUE);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

/* Every line of out at most 100 columns wide. */
static void assert_fits(const GString *out) {
  char **lines = lines_of(out);
  for (char **l = lines; *l; l++)
    if (u8_width((const uint8_t *)*l, strlen(*l), "UTF-8") > 100)
      fail_msg("wider than 100 columns: %s", *l);
  g_strfreev(lines);
}

/* Long indicator and township names and long actions: the tables still fit
 * 100 columns, with 指标N headers, shortened names and the full texts in
 * the lines under them. */
static void test_tables_fit(void **state) {
  (void)state;
  kh_dataset *ds = sample();
  for (int i = 0; i < 2; i++) {
    kh_indicator *ind = (kh_indicator *)kh_indicator_at(ds, i);
    char *longer = g_strconcat(ind->name, "（含流动人口和户籍人口，按季度累计）", NULL);
    g_free(ind->name);
    ind->name = longer;
  }
  kh_township *tw = g_ptr_array_index(ds->townships, 2);
  g_free(tw->name);
  tw->name = g_strdup("黄土岭乡经济技术开发区管理委员会人口和计划生育办公室流动人口管理站");
  kh_month_result *r = kh_assess_month(ds, 9);
  GString *out = g_string_new(NULL);
  kh_score_table(r, out);
  assert_fits(out);
  assert_non_null(strstr(out->str, "指标1"));
  assert_non_null(strstr(out->str, "\n指标1 全县 身份证号码录入率（含流动人口"));
  assert_non_null(strstr(out->str, "黄土岭乡经…"));
  assert_non_null(strstr(out->str, "乡镇全名：黄土岭乡经… = 黄土岭乡经济技术开发区管理委员会"));
  g_string_free(out, TRUE);
  kh_month_result_free(r);

  kh_tier *first = db_tier(ds, true, "first", "通报表扬，奖励工作经费三千元，并在全县人口计生工作会议上介绍经验");
  first->rank_lo = first->rank_hi = 1;
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  out = g_string_new(NULL);
  kh_quarter_table(q, out);
  assert_fits(out);
  assert_non_null(strstr(out->str, "  一等奖\n")); /* the label in the row */
  assert_non_null(strstr(out->str, "\n一等奖：通报表扬，奖励工作经费三千元"));
  g_string_free(out, TRUE);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_month_table),
      cmocka_unit_test(test_quarter_table),
      cmocka_unit_test(test_tables_fit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
