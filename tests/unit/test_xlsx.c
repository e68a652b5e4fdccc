/* The Excel workbooks (xlsx_common, xlsx_county, xlsx_township,
 * xlsx_quarter): number formats, safe sheet and file names, the words of
 * vetoes and warnings, workbooks written whole or not at all, byte-identical
 * output for the same creation time, and — when /usr/bin/python3 has
 * openpyxl — every number read back equal to the score JSON
 * (tests/e2e/xlsx_check.py). The data is tests/unit/xlsx_fixture.h. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "kaohe/render.h"
#include "render/xlsx_common.h"
#include "xlsx_fixture.h"

#define CREATED 1378339200 /* 2013-09-05 00:00:00 UTC */

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
  char *dir;
  kh_dataset *ds;
  kh_month_result *r;
  kh_diags *diags;
  kh_doc_meta meta;
} fixture;

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->dir = g_dir_make_tmp("kaohe-xlsx-XXXXXX", NULL);
  f->ds = fx_dataset();
  f->r = fx_month(f->ds, 7);
  f->diags = kh_diags_new();
  f->meta.created = CREATED;
  *state = f;
  return f->dir ? 0 : -1;
}

static void remove_tree(const char *path) {
  GDir *d = g_dir_open(path, 0, NULL);
  if (d) {
    const char *name;
    while ((name = g_dir_read_name(d))) {
      char *child = g_build_filename(path, name, NULL);
      remove_tree(child);
      g_free(child);
    }
    g_dir_close(d);
  }
  g_remove(path);
}

static int teardown(void **state) {
  fixture *f = *state;
  remove_tree(f->dir);
  g_free(f->dir);
  fx_month_free(f->r);
  fx_dataset_free(f->ds);
  kh_diags_free(f->diags);
  g_free(f);
  return 0;
}

/* g_ptr_array_sort passes pointers to the elements. */
static gint compare_names(gconstpointer a, gconstpointer b) {
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted and joined with "|". */
static char *sorted_listing(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while (d && (name = g_dir_read_name(d)))
    g_ptr_array_add(names, g_strdup(name));
  if (d)
    g_dir_close(d);
  g_ptr_array_sort(names, compare_names);
  g_ptr_array_add(names, NULL);
  char *s = g_strjoinv("|", (char **)names->pdata);
  g_ptr_array_unref(names);
  return s;
}

static void assert_zip(const char *path) {
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_true(len > 1000);
  assert_memory_equal(data, "PK\003\004", 4);
  g_free(data);
}

static bool same_bytes(const char *a, const char *b) {
  char *x = NULL, *y = NULL;
  gsize nx = 0, ny = 0;
  bool same = g_file_get_contents(a, &x, &nx, NULL) && g_file_get_contents(b, &y, &ny, NULL) &&
              nx == ny && memcmp(x, y, nx) == 0;
  g_free(x);
  g_free(y);
  return same;
}

static const char *first_message(const kh_diags *d) {
  return d->items->len ? ((kh_diag *)g_ptr_array_index(d->items, 0))->message : "";
}

/* ---- names and numbers --------------------------------------------------- */

static void test_number_formats(void **state) {
  (void)state;
  static const struct {
    int decimals;
    const char *suffix, *format, *text;
    double v;
  } cases[] = {
      {2, "%", "0.00\"%\"", "84.71%", 84.71},
      {1, "", "0.0", "125.5", 125.5},
      {0, "人", "0\"人\"", "1250人", 1250},
      {2, NULL, "0.00", "0.00", -0.0},
      {3, "‰", "0.000\"‰\"", "0.860‰", 0.86},
      {1, "a\"b", "0.0\"a\"\\\"\"b\"", "3.0a\"b", 3},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
    char *f = kh_xlsx_number_format(cases[k].decimals, cases[k].suffix);
    char *t = kh_xlsx_number_text(cases[k].v, cases[k].decimals, cases[k].suffix);
    assert_string_equal(f, cases[k].format);
    assert_string_equal(t, cases[k].text);
    g_free(f);
    g_free(t);
  }
  char *gap = kh_xlsx_gap_format(2, "%");
  assert_string_equal(gap, "0.00\"个百分点\";-0.00\"个百分点\";0");
  g_free(gap);
  gap = kh_xlsx_gap_format(1, "");
  assert_string_equal(gap, "0.0;-0.0;0");
  g_free(gap);
  /* A unit too long for libxlsxwriter's 127-byte formats is cut. */
  char *f = kh_xlsx_number_format(10, "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长");
  assert_true(strlen(f) < 128);
  assert_true(g_utf8_validate(f, -1, NULL));
  g_free(f);
}

static void test_sheet_names(void **state) {
  (void)state;
  static const struct {
    const char *wanted, *expected;
  } cases[] = {
      {"汇总", "汇总"},
      {"人口/计生:信息[化]*建设?\\", "人口／计生：信息［化］＊建设？＼"},
      {"  'abc'  ", "abc"},
      {"a\tb\001c", "abc"},
      {"", "备用"},
      {"''", "备用"},
      {"   ", "备用"},
      {NULL, "备用"},
      /* 31 characters kept of 36 */
      {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六",
       "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"},
      /* outside the BMP a character is two UTF-16 units */
      {"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"},
      /* a cut that ends in a blank drops it */
      {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十 x", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
    char *name = kh_xlsx_sheet_name(cases[k].wanted, "备用");
    assert_string_equal(name, cases[k].expected);
    g_free(name);
  }
}

static void test_unique_sheet_names(void **state) {
  fixture *f = *state;
  char *path = g_build_filename(f->dir, "names.xlsx", NULL);
  kh_xlsx_props props = {.title = "t"};
  kh_xlsx_book *b = kh_xlsx_book_new(path, &f->meta, &props, f->diags);
  assert_non_null(b);
  const char *wanted[] = {"汇总", "汇总", "ABC", "abc", "history",
                          "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
                          "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二"};
  const char *expected[] = {"汇总", "汇总(2)", "ABC", "abc(2)", "history(2)",
                            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
                            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八(2)"};
  for (size_t k = 0; k < G_N_ELEMENTS(wanted); k++) {
    kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, wanted[k], "x");
    assert_string_equal(s->name, expected[k]);
  }
  assert_true(kh_xlsx_book_close(b, f->diags));
  assert_int_equal(f->diags->n_errors, 0);
  g_free(path);
}

static void test_township_file_names(void **state) {
  fixture *f = *state;
  char *name = kh_township_xlsx_name(f->r, 0);
  assert_string_equal(name, "2013-07_01_城关镇_考评得分.xlsx");
  g_free(name);
  name = kh_township_xlsx_name(f->r, 3); /* 新*乡/&<测试> */
  assert_string_equal(name, "2013-07_04_新_乡_&_测试__考评得分.xlsx");
  g_free(name);
  /* cut at a character boundary: 90 bytes of a name are 30 characters */
  kh_township long_name = {.code = "01", .name = "城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇"};
  char *stem = kh_township_file_stem(&long_name);
  assert_string_equal(stem, "01_城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇城关镇");
  g_free(stem);
}

static void test_veto_and_warning_words(void **state) {
  fixture *f = *state;
  char *s = kh_xlsx_veto_words(f->r, 1);
  assert_string_equal(s, "预警：独生子女保健费兑现率（2013年9月15日前须达标）");
  g_free(s);
  s = kh_xlsx_veto_words(f->r, 0);
  assert_string_equal(s, "");
  g_free(s);
  s = kh_xlsx_cell_remark(f->r, 1, 2);
  assert_string_equal(s, "预警：须于2013年9月15日前达标，逾期一票否决");
  g_free(s);
  assert_null(kh_xlsx_cell_remark(f->r, 0, 2));
  kh_month_result *sep = fx_month(f->ds, 9);
  s = kh_xlsx_veto_words(sep, 1);
  assert_string_equal(s, "一票否决：独生子女保健费兑现率");
  g_free(s);
  s = kh_xlsx_cell_remark(sep, 1, 2);
  assert_string_equal(s, "一票否决");
  g_free(s);
  fx_month_free(sep);
}

/* ---- workbooks --------------------------------------------------------- */

static void test_county_workbook(void **state) {
  fixture *f = *state;
  char *path = g_build_filename(f->dir, "county.xlsx", NULL);
  assert_true(kh_render_county_xlsx(f->r, &f->meta, path, f->diags));
  assert_int_equal(f->diags->items->len, 0);
  assert_zip(path);
  char *names = sorted_listing(f->dir); /* no temporary file left beside it */
  assert_string_equal(names, "county.xlsx");
  g_free(names);
  g_free(path);
}

static void test_township_workbooks(void **state) {
  fixture *f = *state;
  for (int t = 0; t < f->r->n_townships; t++) {
    char *name = kh_township_xlsx_name(f->r, t);
    char *path = g_build_filename(f->dir, name, NULL);
    assert_true(kh_render_township_xlsx(f->r, t, &f->meta, path, f->diags));
    assert_zip(path);
    g_free(path);
    g_free(name);
  }
  assert_int_equal(f->diags->items->len, 0);
  char *names = sorted_listing(f->dir);
  assert_string_equal(names, "2013-07_01_城关镇_考评得分.xlsx|2013-07_02_河口乡_考评得分.xlsx|"
                             "2013-07_03_东风镇_考评得分.xlsx|2013-07_04_新_乡_&_测试__考评得分.xlsx");
  g_free(names);
}

static void test_quarter_workbook(void **state) {
  fixture *f = *state;
  kh_tier award = {.name = "first", .is_award = true, .rank_lo = 1, .rank_hi = 1,
                   .action = "通报表扬,奖励工作经费3000元", .label = "一等奖"};
  kh_tier penalty = {.name = "last", .bottom = 1, .action = "通报批评,约谈分管领导",
                     .label = "末位"};
  kh_quarter_result *q = fx_quarter(f->ds, &award, &penalty);
  char *path = g_build_filename(f->dir, "quarter.xlsx", NULL);
  assert_true(kh_render_quarter_xlsx(q, &f->meta, path, f->diags));
  assert_int_equal(f->diags->items->len, 0);
  assert_zip(path);
  /* A partial quarter: two months. */
  q->n_months = 2;
  q->partial = true;
  assert_true(kh_render_quarter_xlsx(q, &f->meta, path, f->diags));
  assert_zip(path);
  g_free(path);
  fx_quarter_free(q);
}

/* Names longer than anything Excel keeps in a sheet name, a page header
 * (255 characters), a cell (32767) or a file system in a file name (255
 * bytes). */
static void test_long_names(void **state) {
  fixture *f = *state;
  kh_indicator *ind = kh_indicator_at(f->ds, 0);
  g_free(ind->name);
  GString *name = g_string_new(NULL);
  for (int k = 0; k < 150; k++)
    g_string_append(name, k % 7 ? "长" : "&");
  ind->name = g_string_free(name, FALSE);
  kh_township *tw = kh_township_at(f->ds, 0);
  g_free(tw->name);
  tw->name = g_strnfill(40000, 'x'); /* more than a cell holds */
  char *path = g_build_filename(f->dir, "county.xlsx", NULL);
  assert_true(kh_render_county_xlsx(f->r, &f->meta, path, f->diags));
  g_free(path);
  char *file = kh_township_xlsx_name(f->r, 0);
  assert_true(strlen(file) < 255);
  path = g_build_filename(f->dir, file, NULL);
  assert_true(kh_render_township_xlsx(f->r, 0, &f->meta, path, f->diags));
  assert_zip(path);
  assert_int_equal(f->diags->items->len, 0);
  g_free(path);
  g_free(file);
}

static void test_same_time_same_bytes(void **state) {
  fixture *f = *state;
  char *a = g_build_filename(f->dir, "a.xlsx", NULL);
  char *b = g_build_filename(f->dir, "b.xlsx", NULL);
  assert_true(kh_render_county_xlsx(f->r, &f->meta, a, f->diags));
  g_usleep(1100 * 1000); /* a clock that leaked in would now differ */
  assert_true(kh_render_county_xlsx(f->r, &f->meta, b, f->diags));
  assert_true(same_bytes(a, b));
  assert_true(kh_render_township_xlsx(f->r, 1, &f->meta, a, f->diags));
  assert_true(kh_render_township_xlsx(f->r, 1, &f->meta, b, f->diags));
  assert_true(same_bytes(a, b));
  kh_doc_meta later = f->meta;
  later.created += 86400;
  assert_true(kh_render_township_xlsx(f->r, 1, &later, b, f->diags));
  assert_false(same_bytes(a, b)); /* the creation time is recorded */
  kh_doc_meta epoch = f->meta;
  epoch.created = 0; /* SOURCE_DATE_EPOCH=0 */
  assert_true(kh_render_township_xlsx(f->r, 1, &epoch, a, f->diags));
  g_usleep(1100 * 1000);
  assert_true(kh_render_township_xlsx(f->r, 1, &epoch, b, f->diags));
  assert_true(same_bytes(a, b));
  g_free(a);
  g_free(b);
}

static void test_missing_folder(void **state) {
  fixture *f = *state;
  char *path = g_build_filename(f->dir, "no-such-folder", "county.xlsx", NULL);
  assert_false(kh_render_county_xlsx(f->r, &f->meta, path, f->diags));
  assert_int_equal(f->diags->n_errors, 1);
  assert_string_equal(((kh_diag *)g_ptr_array_index(f->diags->items, 0))->file, path);
  assert_non_null(strstr(first_message(f->diags), g_strerror(ENOENT)));
  char *names = sorted_listing(f->dir);
  assert_string_equal(names, "");
  g_free(names);
  g_free(path);
}

static void test_parent_is_a_file(void **state) {
  fixture *f = *state;
  char *file = g_build_filename(f->dir, "plain", NULL);
  assert_true(g_file_set_contents(file, "x", 1, NULL));
  char *path = g_build_filename(file, "county.xlsx", NULL);
  assert_false(kh_render_township_xlsx(f->r, 0, &f->meta, path, f->diags));
  assert_int_equal(f->diags->n_errors, 1);
  assert_non_null(strstr(first_message(f->diags), g_strerror(ENOTDIR)));
  g_free(path);
  g_free(file);
}

/* The rename is the last step: a directory in the target's place makes it
 * fail after the workbook was written, and nothing may be left behind. */
static void test_target_is_a_directory(void **state) {
  fixture *f = *state;
  char *path = g_build_filename(f->dir, "county.xlsx", NULL);
  assert_int_equal(g_mkdir(path, 0755), 0);
  assert_false(kh_render_county_xlsx(f->r, &f->meta, path, f->diags));
  assert_int_equal(f->diags->n_errors, 1);
  assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
  char *names = sorted_listing(f->dir);
  assert_string_equal(names, "county.xlsx");
  g_free(names);
  g_free(path);
}

/* A failure recorded while the sheets were filled: the old file stays. */
static void test_failure_keeps_the_old_file(void **state) {
  fixture *f = *state;
  char *path = g_build_filename(f->dir, "county.xlsx", NULL);
  assert_true(g_file_set_contents(path, "old", 3, NULL));
  kh_xlsx_props props = {.title = "t"};
  kh_xlsx_book *b = kh_xlsx_book_new(path, &f->meta, &props, f->diags);
  assert_non_null(b);
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, "汇总", "x");
  kh_xlsx_text(s, 0, 0, "文字", NULL);
  assert_false(kh_xlsx_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "汇总"));
  assert_false(kh_xlsx_book_close(b, f->diags));
  assert_int_equal(f->diags->n_errors, 1);
  assert_non_null(strstr(first_message(f->diags), "汇总"));
  char *data = NULL;
  assert_true(g_file_get_contents(path, &data, NULL, NULL));
  assert_string_equal(data, "old");
  g_free(data);
  char *names = sorted_listing(f->dir);
  assert_string_equal(names, "county.xlsx");
  g_free(names);
  /* and a successful render replaces it */
  assert_true(kh_render_county_xlsx(f->r, &f->meta, path, f->diags));
  assert_zip(path);
  g_free(path);
}

/* ---- read back with openpyxl ------------------------------------------- */

static bool have_openpyxl(void) {
  char *argv[] = {"/usr/bin/python3", "-c", "import openpyxl", NULL};
  int status = -1;
  return g_file_test(argv[0], G_FILE_TEST_IS_EXECUTABLE) &&
         g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status(status, NULL);
}

static void write_text(const char *dir, const char *name, const char *text) {
  char *path = g_build_filename(dir, name, NULL);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  g_free(path);
}

/* The fixture's rules as rules.ini says them, for the checker's names,
 * units, decimals and weights (GLib key-file escapes: \\ is a backslash). */
static char *fixture_rules(const kh_dataset *ds) {
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "[assessment]\ncounty = %s\nissuer = %s\n\n", ds->rules.county,
                         ds->rules.issuer);
  for (int i = 0; i < kh_n_indicators(ds); i++) {
    const kh_indicator *ind = kh_indicator_at(ds, i);
    char **parts = g_strsplit(ind->name, "\\", -1);
    char *name = g_strjoinv("\\\\", parts);
    g_strfreev(parts);
    g_string_append_printf(s, "[indicator.%s]\nname = %s\nunit = %s\ndecimals = %d\nweight = %g\n\n",
                           ind->id, name, ind->unit, ind->decimals, ind->weight);
    g_free(name);
  }
  return g_string_free(s, FALSE);
}

static void test_read_back_with_openpyxl(void **state) {
  fixture *f = *state;
  const char *src = g_getenv("KAOHE_SOURCE_DIR");
  if (!src || !have_openpyxl()) {
    print_message("skipped: needs KAOHE_SOURCE_DIR and /usr/bin/python3 with openpyxl\n");
    skip();
  }
  char *townships = g_build_filename(f->dir, "townships", NULL);
  g_mkdir(townships, 0755);
  char *county = g_build_filename(f->dir, "county.xlsx", NULL);
  char *quarter = g_build_filename(f->dir, "quarter.xlsx", NULL);
  assert_true(kh_render_county_xlsx(f->r, &f->meta, county, f->diags));
  for (int t = 0; t < f->r->n_townships; t++) {
    char *name = kh_township_xlsx_name(f->r, t);
    char *path = g_build_filename(townships, name, NULL);
    assert_true(kh_render_township_xlsx(f->r, t, &f->meta, path, f->diags));
    g_free(path);
    g_free(name);
  }
  kh_tier award = {.name = "first", .is_award = true, .action = "通报表扬", .label = "一等奖"};
  kh_tier penalty = {.name = "last", .bottom = 1, .action = "通报批评", .label = "末位"};
  kh_quarter_result *q = fx_quarter(f->ds, &award, &penalty);
  assert_true(kh_render_quarter_xlsx(q, &f->meta, quarter, f->diags));
  GString *json = g_string_new(NULL);
  kh_score_json(f->r, json);
  write_text(f->dir, "scores.json", json->str);
  g_string_truncate(json, 0);
  kh_quarter_json(q, json);
  write_text(f->dir, "quarter.json", json->str);
  g_string_free(json, TRUE);
  fx_quarter_free(q);
  char *rules = fixture_rules(f->ds);
  write_text(f->dir, "rules.ini", rules);
  g_free(rules);

  char *script = g_build_filename(src, "tests", "e2e", "xlsx_check.py", NULL);
  char *scores = g_build_filename(f->dir, "scores.json", NULL);
  char *qscores = g_build_filename(f->dir, "quarter.json", NULL);
  char *rules_path = g_build_filename(f->dir, "rules.ini", NULL);
  char created[32];
  g_snprintf(created, sizeof created, "%d", CREATED);
  char *argv[] = {"/usr/bin/python3", script, "--scores", scores, "--rules", rules_path,
                  "--created", created, "--county", county, "--townships", townships,
                  "--quarter-scores", qscores, "--quarter", quarter, NULL};
  char *out = NULL;
  int status = -1;
  assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                           NULL, &status, NULL));
  if (!g_spawn_check_wait_status(status, NULL))
    fail_msg("xlsx_check.py failed:\n%s", out);
  assert_non_null(strstr(out, "checks passed"));
  g_free(out);
  g_free(script);
  g_free(scores);
  g_free(qscores);
  g_free(rules_path);
  g_free(county);
  g_free(quarter);
  g_free(townships);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_number_formats),
      cmocka_unit_test(test_sheet_names),
      cmocka_unit_test_setup_teardown(test_unique_sheet_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_township_file_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_veto_and_warning_words, setup, teardown),
      cmocka_unit_test_setup_teardown(test_county_workbook, setup, teardown),
      cmocka_unit_test_setup_teardown(test_township_workbooks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quarter_workbook, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_time_same_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_parent_is_a_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_target_is_a_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failure_keeps_the_old_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_back_with_openpyxl, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
