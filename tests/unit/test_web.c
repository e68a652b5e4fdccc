/* The web console's pages (render.h kh_web_*, src/render/web): charts
 * printed the same in any locale with gaps where a month is missing, rank
 * order with the unranked last, data never taken for markup, the offending
 * cell of a diagnostic marked. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/rank_order.h"
#include "render/web/web.h"

static void test_chart(void **state) {
  (void)state;
  const double values[] = {50, NAN, 75, 100};
  const int months[] = {1, 2, 3, 4};
  char *svg = kh_web_chart(values, months, 4, 0, 100, false);
  /* a run of one month, a gap, then a run of two */
  assert_non_null(strstr(svg, "<polyline class=\"line\" points=\"3.0,14.0\"/>"));
  assert_non_null(strstr(svg, "points=\"79.0,8.5 117.0,3.0\""));
  char **dots = g_strsplit(svg, "<circle", -1);
  assert_int_equal(g_strv_length(dots) - 1, 3);
  g_strfreev(dots);
  if (setlocale(LC_NUMERIC, "de_DE.UTF-8")) { /* where that locale exists */
    char *again = kh_web_chart(values, months, 4, 0, 100, false);
    assert_string_equal(again, svg);
    g_free(again);
    setlocale(LC_NUMERIC, "C");
  }
  g_free(svg);
  char *large = kh_web_chart(values, months, 4, 0, 100, true);
  assert_non_null(strstr(large, ">3月</text>"));
  assert_non_null(strstr(large, ">100</text>"));
  g_free(large);
}

static void test_rank_order(void **state) {
  (void)state;
  const int ranks[] = {3, 0, 1, 3, 2, 0};
  int *order = kh_rank_order(ranks, 6);
  const int want[] = {2, 4, 0, 3, 1, 5};
  for (int i = 0; i < 6; i++)
    assert_int_equal(order[i], want[i]);
  g_free(order);
  /* a tie for first, in registry order */
  const int tied[] = {3, 1, 0, 1, 2, 0};
  order = kh_rank_order(tied, 6);
  const int tied_want[] = {1, 3, 4, 0, 2, 5};
  for (int i = 0; i < 6; i++)
    assert_int_equal(order[i], tied_want[i]);
  g_free(order);
}

static void test_escaped(void **state) {
  (void)state;
  GString *out = g_string_new(NULL);
  kh_web_error_page(404, "<script>alert(\"x\")</script>&", out);
  assert_non_null(strstr(out->str, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"));
  assert_null(strstr(out->str, "<script>"));
  assert_non_null(strstr(out->str, "<link rel=\"stylesheet\" href=\"/style.css\">"));
  g_string_free(out, TRUE);
}

static void test_dataset_diagnostics(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_diags_add(d, KH_ERROR, "/data/ds/monthly/2013-07.csv", 3, 7, "02,29,\"<1>\",66",
               "值“<1>”不是数字");
  kh_diags_add(d, KH_WARNING, "/data/ds/townships.csv", 1, 1, NULL, "未知列");
  GString *out = g_string_new(NULL);
  kh_web_dataset_page(NULL, "/data/ds/", d, NULL, out);
  assert_non_null(strstr(out->str, "<code>monthly/2013-07.csv</code>"));
  assert_non_null(strstr(out->str, "<pre class=\"line\">02,29,<mark>&quot;&lt;1&gt;&quot;</mark>,66</pre>"));
  assert_non_null(strstr(out->str, "1 个错误，1 个警告"));
  assert_non_null(strstr(out->str, "<code>townships.csv</code>"));
  g_string_free(out, TRUE);
  kh_diags_free(d);
}

/* The page after an action: the documents' block rendered once and shown
 * as markup, its names still escaped; a diagnostic about a whole file
 * (line 0) without a line and column. */
static void test_made_page(void **state) {
  (void)state;
  json_t *file = json_pack("{s:s, s:s, s:s}", "label", "督查通报（PDF）", "name", "<通报>.pdf",
                           "href", "/month/2013-07/doc/notice");
  json_t *documents = json_pack("{s:s, s:s, s:b, s:[o], s:s}", "target", "out/2013-07", "where",
                                "/srv/考评/out/2013-07", "present", 1, "files", file, "preview",
                                "/month/2013-07/doc/notice-preview");
  kh_diags *d = kh_diags_new();
  kh_diags_add(d, KH_WARNING, "/data/ds/rules.ini", 0, 0, NULL, "整个文件<有问题>");
  json_t *ctx = json_object();
  json_object_set_new(ctx, "title", json_string("已生成"));
  json_object_set_new(ctx, "ok", json_true());
  json_object_set_new(ctx, "doc_no", json_integer(7));
  json_object_set_new(ctx, "documents", documents);
  json_object_set_new(ctx, "files", kh_web_diagnostics("/data/ds", d));
  GString *out = g_string_new(NULL);
  kh_web_page("made.html", "已生成", NULL, ctx, out);
  assert_non_null(strstr(out->str, "发文字号序号 7 号"));
  assert_non_null(strstr(out->str, "<a href=\"/month/2013-07/doc/notice\" download>督查通报（PDF）</a>"));
  assert_non_null(strstr(out->str, "<code>&lt;通报&gt;.pdf</code>"));
  assert_non_null(strstr(out->str, "<iframe class=\"preview\" src=\"/month/2013-07/doc/notice-preview\""));
  assert_non_null(strstr(out->str, "<code>/srv/考评/out/2013-07</code>"));
  assert_non_null(strstr(out->str, "整个文件&lt;有问题&gt;"));
  assert_null(strstr(out->str, "第 0 行"));
  g_string_free(out, TRUE);
  json_decref(ctx);
  kh_diags_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chart),
      cmocka_unit_test(test_rank_order),
      cmocka_unit_test(test_escaped),
      cmocka_unit_test(test_dataset_diagnostics),
      cmocka_unit_test(test_made_page),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
