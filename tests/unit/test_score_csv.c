/* The CSV score tables (docs/reference/outputs.md): BOM, header, one row per township and
 * indicator then the county rows, empty cells for null, RFC 4180 quoting;
 * the quarter's one row per township. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kaohe/render.h"
#include "dataset_builder.h"

static kh_dataset *sample(void) {
  kh_dataset *ds = db_new(2013, (const char *[]){"城关镇", "东乡", "西乡,\"新\"", NULL},
                          (const char *[]){"entered", "people", NULL}, NULL);
  db_row(ds, 7, 0, (double[]){8471, 10000});
  db_row(ds, 7, 1, (double[]){NAN, 100});
  db_row(ds, 7, 2, (double[]){95, 100});
  db_indicator(ds, "id_entry", db_mul(db_div(db_field(0), db_field(1)), db_num(100)),
               KH_OP_GE, db_num(95), 10, KH_METHOD_PROPORTIONAL, 0, 0);
  return ds;
}

static void test_month_csv(void **state) {
  (void)state;
  kh_dataset *ds = sample();
  kh_month_result *r = kh_assess_month(ds, 7);
  GString *out = g_string_new(NULL);
  kh_score_csv(r, out);
  const char *expected =
      "\xEF\xBB\xBF"
      "period,code,name,indicator,status,value,target,op,met,gap,score,warning,total,rank,veto,left_out\r\n"
      "2013-07,01,城关镇,id_entry,ok,84.71,95,>=,false,10.29,8.92,false,8.92,2,false,\r\n"
      "2013-07,02,东乡,id_entry,missing,,,>=,false,,0,false,0,3,false,\r\n"
      "2013-07,03,\"西乡,\"\"新\"\"\",id_entry,ok,95,95,>=,true,0,10,false,10,1,false,\r\n"
      "2013-07,,,id_entry,ok,84.81,95,>=,false,10.19,,,,,,1\r\n";
  assert_string_equal(out->str, expected);
  g_string_free(out, TRUE);
  kh_month_result_free(r);
  db_free(ds);
}

/* Names a spreadsheet would run as formulas get a leading '; numbers,
 * negative ones included, never do. */
static void test_formula_text(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"=HYPERLINK(\"http://x\",\"y\")", "+1乡", "-乡",
                                                 "@乡", "乡=1", NULL},
                          (const char *[]){"entered", "people", NULL}, NULL);
  for (int t = 0; t < 5; t++)
    db_row(ds, 7, t, (double[]){-8471, 10000});
  db_indicator(ds, "id_entry", db_mul(db_div(db_field(0), db_field(1)), db_num(100)),
               KH_OP_GE, db_num(95), 10, KH_METHOD_PROPORTIONAL, 0, 0);
  kh_month_result *r = kh_assess_month(ds, 7);
  GString *out = g_string_new(NULL);
  kh_score_csv(r, out);
  assert_non_null(strstr(out->str, "\r\n2013-07,01,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",id_entry,ok,-84.71,"));
  assert_non_null(strstr(out->str, "\r\n2013-07,02,'+1乡,id_entry,"));
  assert_non_null(strstr(out->str, "\r\n2013-07,03,'-乡,id_entry,"));
  assert_non_null(strstr(out->str, "\r\n2013-07,04,'@乡,id_entry,"));
  assert_non_null(strstr(out->str, "\r\n2013-07,05,乡=1,id_entry,"));
  g_string_free(out, TRUE);
  kh_month_result_free(r);
  db_free(ds);
}

static void test_quarter_csv(void **state) {
  (void)state;
  kh_dataset *ds = sample();
  ds->rules.veto_action = g_strdup("取消评优资格,通报批评");
  kh_indicator *ind = g_ptr_array_index(ds->rules.indicators, 0);
  ind->veto = true;
  db_row(ds, 9, 0, (double[]){95, 100});
  db_row(ds, 9, 1, (double[]){96, 100});
  db_row(ds, 9, 2, (double[]){97, 100});
  kh_tier *first = db_tier(ds, true, "first", "表扬");
  first->rank_lo = first->rank_hi = 1;
  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, true, diags);
  GString *out = g_string_new(NULL);
  kh_quarter_csv(q, out);
  const char *expected =
      "\xEF\xBB\xBF"
      "period,months,partial,code,name,monthly_1,monthly_2,monthly_3,score,rank,veto,"
      "veto_months,award,penalty,action\r\n"
      "2013Q3,2013-07;2013-09,true,01,城关镇,8.92,10,,9.46,,true,2013-07,,,"
      "\"取消评优资格,通报批评\"\r\n"
      "2013Q3,2013-07;2013-09,true,02,东乡,0,10,,5,,true,2013-07,,,"
      "\"取消评优资格,通报批评\"\r\n"
      "2013Q3,2013-07;2013-09,true,03,\"西乡,\"\"新\"\"\",10,10,,10,1,false,,first,,表扬\r\n";
  assert_string_equal(out->str, expected);
  g_string_free(out, TRUE);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_month_csv),
      cmocka_unit_test(test_quarter_csv),
      cmocka_unit_test(test_formula_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
