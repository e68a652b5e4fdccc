/* The JSON score documents (docs/reference/outputs.md): keys and their order, registry
 * order, null for what is not ok, numbers in their shortest form, and the
 * quarter's months, ranks, vetoes and tiers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "kaohe/render.h"
#include "dataset_builder.h"

/* Three townships; ID entry = entered / people * 100 >= 95 (proportional),
 * sex ratio = boys / girls * 100 <= 107 (deduct 2 per 1, 1 decimal).
 * 城关镇 84.71% and 108.3; 东乡 missing; 西乡 girls 0 (na). */
static kh_dataset *sample(void) {
  kh_dataset *ds = db_new(2013, (const char *[]){"城关镇", "东乡", "西乡", NULL},
                          (const char *[]){"entered", "people", "boys", "girls", NULL},
                          NULL);
  db_row(ds, 7, 0, (double[]){8471, 10000, 1083, 1000});
  db_row(ds, 7, 1, (double[]){NAN, 100, 10, 10});
  db_row(ds, 7, 2, (double[]){95, 100, 10, 0});
  db_indicator(ds, "id_entry", db_mul(db_div(db_field(0), db_field(1)), db_num(100)),
               KH_OP_GE, db_num(95), 10, KH_METHOD_PROPORTIONAL, 0, 0);
  kh_indicator *sr = db_indicator(
      ds, "sex_ratio", db_mul(db_div(db_field(2), db_field(3)), db_num(100)), KH_OP_LE,
      db_num(107), 20, KH_METHOD_DEDUCT, 2, 1);
  sr->decimals = 1;
  return ds;
}

static json_t *render_month(const kh_dataset *ds, int month, char **text) {
  kh_month_result *r = kh_assess_month(ds, month);
  GString *out = g_string_new(NULL);
  kh_score_json(r, out);
  kh_month_result_free(r);
  json_error_t err;
  json_t *doc = json_loads(out->str, 0, &err);
  if (!doc)
    fail_msg("invalid JSON: %s\n%s", err.text, out->str);
  *text = g_string_free(out, FALSE);
  return doc;
}

/* The keys of an object in document order, joined with ",". */
static char *keys_of(json_t *obj) {
  GString *s = g_string_new(NULL);
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    (void)v;
    g_string_append_printf(s, "%s%s", s->len ? "," : "", key);
  }
  return g_string_free(s, FALSE);
}

static void expect_keys(json_t *obj, const char *keys) {
  char *got = keys_of(obj);
  assert_string_equal(got, keys);
  g_free(got);
}

static void test_month_document(void **state) {
  (void)state;
  kh_dataset *ds = sample();
  char *text;
  json_t *doc = render_month(ds, 7, &text);
  expect_keys(doc, "period,county,townships");
  assert_string_equal(json_string_value(json_object_get(doc, "period")), "2013-07");

  json_t *towns = json_object_get(doc, "townships");
  assert_int_equal(json_array_size(towns), 3);
  json_t *t0 = json_array_get(towns, 0);
  expect_keys(t0, "code,name,total,rank,veto,indicators");
  assert_string_equal(json_string_value(json_object_get(t0, "code")), "01");
  assert_string_equal(json_string_value(json_object_get(t0, "name")), "城关镇");
  assert_string_equal(json_string_value(json_object_get(json_array_get(towns, 2), "name")), "西乡");

  json_t *id = json_array_get(json_object_get(t0, "indicators"), 0);
  expect_keys(id, "id,value,target,met,gap,score,status,warning");
  assert_string_equal(json_string_value(json_object_get(id, "id")), "id_entry");
  assert_true(json_real_value(json_object_get(id, "value")) == 84.71);
  assert_true(json_is_integer(json_object_get(id, "target")));
  assert_int_equal(json_integer_value(json_object_get(id, "target")), 95);
  assert_true(json_real_value(json_object_get(id, "gap")) == 10.29);
  assert_true(json_real_value(json_object_get(id, "score")) == 8.92);
  assert_string_equal(json_string_value(json_object_get(id, "status")), "ok");
  assert_true(json_is_false(json_object_get(id, "met")));
  assert_true(json_is_false(json_object_get(id, "warning")));

  json_t *sr = json_array_get(json_object_get(t0, "indicators"), 1);
  assert_true(json_real_value(json_object_get(sr, "value")) == 108.3);
  assert_true(json_real_value(json_object_get(sr, "score")) == 17.4);
  assert_true(json_real_value(json_object_get(t0, "total")) == 26.32);

  /* missing: nulls and score 0; na: nulls and score W */
  json_t *miss = json_array_get(json_object_get(json_array_get(towns, 1), "indicators"), 0);
  assert_string_equal(json_string_value(json_object_get(miss, "status")), "missing");
  assert_true(json_is_null(json_object_get(miss, "value")));
  assert_true(json_is_null(json_object_get(miss, "target")));
  assert_true(json_is_null(json_object_get(miss, "gap")));
  assert_int_equal(json_integer_value(json_object_get(miss, "score")), 0);
  json_t *na = json_array_get(json_object_get(json_array_get(towns, 2), "indicators"), 1);
  assert_string_equal(json_string_value(json_object_get(na, "status")), "na");
  assert_true(json_is_null(json_object_get(na, "value")));
  assert_int_equal(json_integer_value(json_object_get(na, "score")), 20);

  json_t *county = json_array_get(json_object_get(json_object_get(doc, "county"), "indicators"), 0);
  expect_keys(county, "id,value,target,op,met,gap,status,left_out");
  assert_string_equal(json_string_value(json_object_get(county, "op")), ">=");
  assert_int_equal(json_integer_value(json_object_get(county, "left_out")), 1);
  /* (8471 + 95) / (10000 + 100) * 100 = 84.811... */
  assert_true(json_real_value(json_object_get(county, "value")) == 84.81);

  /* Shortest form in the text itself; Chinese as UTF-8, not \u escapes. */
  assert_non_null(strstr(text, "\"value\": 84.71,"));
  assert_non_null(strstr(text, "\"gap\": 10.29,"));
  assert_non_null(strstr(text, "\"target\": 95,"));
  assert_non_null(strstr(text, "\"value\": 108.3,"));
  assert_non_null(strstr(text, "城关镇"));
  assert_null(strstr(text, "84.709"));
  assert_null(strstr(text, "\\u"));
  assert_null(strstr(text, ".0,"));
  g_free(text);
  json_decref(doc);
  db_free(ds);
}

/* Quarter: months, partial, monthly totals, rank null for the vetoed,
 * veto_months, award and penalty names, action. */
static void test_quarter_document(void **state) {
  (void)state;
  kh_dataset *ds = db_new(2013, (const char *[]){"城关镇", "东乡", "西乡", NULL},
                          (const char *[]){"s", "fee", NULL}, NULL);
  ds->rules.veto_action = g_strdup("取消本季度评先评优资格,通报批评");
  const double s[3][3] = {{87.25, 90, 85.5}, {99, 99, 99}, {50, 50, 50}};
  for (int t = 0; t < 3; t++)
    for (int k = 0; k < 3; k++)
      db_row(ds, 7 + k, t, (double[]){s[t][k], t == 1 && k == 1 ? 0 : 100});
  db_indicator(ds, "s", db_field(0), KH_OP_GE, db_num(100), 100, KH_METHOD_PROPORTIONAL, 0, 0);
  db_indicator(ds, "fee", db_field(1), KH_OP_GE, db_num(100), 0,
               KH_METHOD_ALL_OR_NOTHING, 0, 0)->veto = true;
  kh_tier *first = db_tier(ds, true, "first", "通报表扬,奖励工作经费3000元");
  first->rank_lo = first->rank_hi = 1;
  db_tier(ds, false, "last", "通报批评")->bottom = 1;

  kh_diags *diags = kh_diags_new();
  kh_quarter_result *q = kh_assess_quarter(ds, 3, false, diags);
  GString *out = g_string_new(NULL);
  kh_quarter_json(q, out);
  json_error_t err;
  json_t *doc = json_loads(out->str, 0, &err);
  assert_non_null(doc);
  expect_keys(doc, "period,months,partial,townships");
  assert_string_equal(json_string_value(json_object_get(doc, "period")), "2013Q3");
  assert_int_equal(json_array_size(json_object_get(doc, "months")), 3);
  assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "months"), 1)), "2013-08");
  assert_true(json_is_false(json_object_get(doc, "partial")));

  json_t *towns = json_object_get(doc, "townships");
  json_t *t0 = json_array_get(towns, 0);
  expect_keys(t0, "code,name,monthly,score,rank,veto,veto_months,award,penalty,action");
  assert_true(json_real_value(json_array_get(json_object_get(t0, "monthly"), 0)) == 87.25);
  assert_int_equal(json_integer_value(json_array_get(json_object_get(t0, "monthly"), 1)), 90);
  assert_true(json_real_value(json_object_get(t0, "score")) == 87.58);
  assert_int_equal(json_integer_value(json_object_get(t0, "rank")), 1);
  assert_string_equal(json_string_value(json_object_get(t0, "award")), "first");
  assert_true(json_is_null(json_object_get(t0, "penalty")));
  assert_string_equal(json_string_value(json_object_get(t0, "action")), "通报表扬,奖励工作经费3000元");
  assert_int_equal(json_array_size(json_object_get(t0, "veto_months")), 0);

  json_t *t1 = json_array_get(towns, 1);
  assert_true(json_is_null(json_object_get(t1, "rank")));
  assert_true(json_is_true(json_object_get(t1, "veto")));
  assert_int_equal(json_array_size(json_object_get(t1, "veto_months")), 1);
  assert_string_equal(json_string_value(json_array_get(json_object_get(t1, "veto_months"), 0)), "2013-08");
  assert_true(json_is_null(json_object_get(t1, "award")));
  assert_string_equal(json_string_value(json_object_get(t1, "action")), "取消本季度评先评优资格,通报批评");

  json_t *t2 = json_array_get(towns, 2);
  assert_int_equal(json_integer_value(json_object_get(t2, "rank")), 2);
  assert_string_equal(json_string_value(json_object_get(t2, "penalty")), "last");
  json_decref(doc);
  g_string_free(out, TRUE);
  kh_quarter_result_free(q);

  /* Partial: months and monthly list only the months present. */
  ds->months[7].present = false;
  q = kh_assess_quarter(ds, 3, true, diags);
  out = g_string_new(NULL);
  kh_quarter_json(q, out);
  doc = json_loads(out->str, 0, &err);
  assert_true(json_is_true(json_object_get(doc, "partial")));
  assert_int_equal(json_array_size(json_object_get(doc, "months")), 2);
  assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "months"), 1)), "2013-09");
  t0 = json_array_get(json_object_get(doc, "townships"), 0);
  assert_int_equal(json_array_size(json_object_get(t0, "monthly")), 2);
  assert_true(json_real_value(json_object_get(t0, "score")) == 86.38); /* 172.75 / 2 = 86.375 */
  json_t *t1p = json_array_get(json_object_get(doc, "townships"), 1);
  assert_int_equal(json_integer_value(json_object_get(t1p, "rank")), 1); /* no veto in Jul, Sep */
  json_decref(doc);
  g_string_free(out, TRUE);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  db_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_month_document),
      cmocka_unit_test(test_quarter_document),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
