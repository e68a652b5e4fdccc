/* Importing returned files in two steps (load.h kh_import_prepare,
 * deliver.h kh_import_commit; docs/reference/forms.md): prepare reads,
 * checks and merges in memory and writes nothing; the plan says per file
 * what it found and changes; commit writes the merged month and moves the
 * old file to monthly/备份/; the web console's preview and result pages
 * of a plan. On a copy of tests/data/good (3 townships, January and
 * February). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <math.h>

#include "kaohe/deliver.h"
#include "kaohe/load.h"
#include "kaohe/render.h"

typedef struct {
  char *dir;
  kh_dataset *ds;
} fixture;

static void copy_file(const char *from, const char *to) {
  char *text = NULL;
  gsize n = 0;
  assert_true(g_file_get_contents(from, &text, &n, NULL));
  assert_true(g_file_set_contents(to, text, (gssize)n, NULL));
  g_free(text);
}

static void rm_tree(const char *path) {
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d))) {
      char *child = g_build_filename(path, name, NULL);
      rm_tree(child);
      g_free(child);
    }
    g_dir_close(d);
  }
  g_remove(path);
}

static char *in_dir(const fixture *f, const char *rel) {
  return g_build_filename(f->dir, rel, NULL);
}

static void write_in(const fixture *f, const char *rel, const char *text) {
  char *path = in_dir(f, rel);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  g_free(path);
}

static bool exists_in(const fixture *f, const char *rel) {
  char *path = in_dir(f, rel);
  bool yes = g_file_test(path, G_FILE_TEST_EXISTS);
  g_free(path);
  return yes;
}

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->dir = g_dir_make_tmp("kaohe-import-XXXXXX", NULL);
  assert_non_null(f->dir);
  const char *data = g_getenv("KAOHE_TESTDATA");
  assert_non_null(data);
  static const char *const files[] = {"rules.ini", "townships.csv", "monthly/2013-01.csv",
                                      "monthly/2013-02.csv"};
  char *monthly = in_dir(f, "monthly");
  g_mkdir(monthly, 0755);
  g_free(monthly);
  for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
    char *from = g_build_filename(data, "good", files[i], NULL), *to = in_dir(f, files[i]);
    copy_file(from, to);
    g_free(from);
    g_free(to);
  }
  kh_diags *d = kh_diags_new();
  f->ds = kh_dataset_load(f->dir, d);
  assert_non_null(f->ds);
  assert_int_equal(d->n_errors, 0);
  kh_diags_free(d);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kh_dataset_free(f->ds);
  rm_tree(f->dir);
  g_free(f->dir);
  g_free(f);
  return 0;
}

static const kh_import_file *file_at(const kh_import_plan *p, guint i) {
  assert_true(i < p->files->len);
  return g_ptr_array_index(p->files, i);
}

/* A new month from one CSV: accepted, nothing written until commit, which
 * writes the month file (BOM, CRLF, registry order) and moves nothing. */
static void test_new_month(void **state) {
  fixture *f = *state;
  write_in(f, "march.csv", "township,births_male,births_female,checked\n02,7,6,5\n01,3,,4\n");
  char *path = in_dir(f, "march.csv");
  kh_import_source src = {path, NULL};
  kh_import_plan *p = kh_import_prepare(f->ds, 3, &src, 1, false);
  const kh_import_file *file = file_at(p, 0);
  assert_int_equal(file->outcome, KH_IMPORT_ACCEPTED);
  assert_string_equal(file->name, path);
  assert_string_equal(file->kind, "table");
  assert_int_equal(file->n_rows, 2);
  assert_int_equal(file->changes->len, 0);
  assert_int_equal(file->diags->n_errors + file->diags->n_warnings, 0);
  assert_int_equal(p->n_refused, 0);
  assert_true(p->changed);
  assert_int_equal(p->missing->len, 1);
  assert_string_equal(kh_township_at(f->ds, g_array_index(p->missing, int, 0))->name, "石桥镇");
  assert_false(exists_in(f, "monthly/2013-03.csv"));

  kh_diags *d = kh_diags_new();
  kh_import_written w;
  assert_true(kh_import_commit(f->ds, p, "20130901-120000", &w, d));
  assert_int_equal(d->n_errors, 0);
  char *expected_path = g_strdup_printf("%s/monthly/2013-03.csv", f->dir);
  assert_string_equal(w.path, expected_path);
  assert_int_equal(w.moved->len, 0);
  char *text = NULL;
  assert_true(g_file_get_contents(expected_path, &text, NULL, NULL));
  assert_string_equal(text, "\xEF\xBB\xBFtownship,births_male,births_female,checked\r\n"
                            "01,3,,4\r\n02,7,6,5\r\n");
  g_free(text);
  g_free(expected_path);
  kh_import_written_clear(&w);
  kh_diags_free(d);
  kh_import_plan_free(p);
  g_free(path);
}

/* A township already in the month with another value: a conflict listing
 * the change, merging nothing; with replace the same change is made, and
 * commit moves the old file to monthly/备份/ with the stamp. */
static void test_conflict_and_replace(void **state) {
  fixture *f = *state;
  write_in(f, "jan.csv", "township,births_male\n01,12\n");
  char *path = in_dir(f, "jan.csv");
  kh_import_source src = {path, "一月.csv"};
  kh_import_plan *p = kh_import_prepare(f->ds, 1, &src, 1, false);
  const kh_import_file *file = file_at(p, 0);
  assert_int_equal(file->outcome, KH_IMPORT_CONFLICT);
  assert_string_equal(file->name, "一月.csv");
  assert_int_equal(file->changes->len, 1);
  const kh_import_change *c = &g_array_index(file->changes, kh_import_change, 0);
  assert_int_equal(c->township, 0);
  assert_string_equal(kh_field_at(f->ds, c->field)->id, "births_male");
  assert_true(c->old_value == 10 && c->value == 12);
  assert_int_equal(p->n_refused, 1);
  assert_false(p->changed);
  kh_import_written w;
  kh_diags *d = kh_diags_new();
  assert_true(kh_import_commit(f->ds, p, "20130901-120000", &w, d));
  assert_null(w.path); /* nothing changed, nothing written */
  kh_import_written_clear(&w);
  kh_import_plan_free(p);

  p = kh_import_prepare(f->ds, 1, &src, 1, true);
  file = file_at(p, 0);
  assert_int_equal(file->outcome, KH_IMPORT_ACCEPTED);
  assert_int_equal(file->changes->len, 1);
  assert_true(p->changed);
  assert_true(kh_import_commit(f->ds, p, "20130901-120000", &w, d));
  assert_int_equal(d->n_errors, 0);
  assert_int_equal(w.moved->len, 1);
  char *backup = g_strdup_printf("%s/monthly/备份/2013-01.20130901-120000.csv", f->dir);
  assert_string_equal(g_ptr_array_index(w.moved, 0), backup);
  assert_true(g_file_test(backup, G_FILE_TEST_EXISTS));
  char *text = NULL;
  assert_true(g_file_get_contents(w.path, &text, NULL, NULL));
  assert_non_null(strstr(text, "\r\n01,12,9,12\r\n"));
  g_free(text);
  g_free(backup);
  kh_import_written_clear(&w);
  kh_diags_free(d);
  kh_import_plan_free(p);
  g_free(path);
}

/* A file with an error is refused whole, its diagnostics located in the
 * name it was given; the next file is still merged, and the one after is
 * compared with the month as merged so far: a township the accepted file
 * brought into March conflicts with a later file's other value. */
static void test_errors_and_order(void **state) {
  fixture *f = *state;
  write_in(f, "bad.csv", "township,births_male\n03,abc\n");
  write_in(f, "a.csv", "township,births_male\n03,5\n");
  write_in(f, "b.csv", "township,births_male\n03,6\n");
  char *bad = in_dir(f, "bad.csv"), *a = in_dir(f, "a.csv"), *b = in_dir(f, "b.csv");
  kh_import_source src[] = {{bad, "坏.csv"}, {a, NULL}, {b, NULL}};
  kh_import_plan *p = kh_import_prepare(f->ds, 3, src, 3, false);
  const kh_import_file *file = file_at(p, 0);
  assert_int_equal(file->outcome, KH_IMPORT_ERRORS);
  assert_null(file->kind);
  assert_int_equal(file->diags->n_errors, 1);
  const kh_diag *diag = g_ptr_array_index(file->diags->items, 0);
  assert_string_equal(diag->file, "坏.csv");
  assert_int_equal(diag->line, 2);
  assert_int_equal(diag->col, 4);
  assert_string_equal(diag->source_line, "03,abc");
  assert_int_equal(file_at(p, 1)->outcome, KH_IMPORT_ACCEPTED);
  assert_int_equal(file_at(p, 2)->outcome, KH_IMPORT_CONFLICT);
  const kh_import_change *c = &g_array_index(file_at(p, 2)->changes, kh_import_change, 0);
  assert_true(c->township == 2 && c->old_value == 5 && c->value == 6);
  assert_int_equal(p->n_refused, 2);
  assert_true(p->changed);
  assert_int_equal(p->missing->len, 2);
  assert_true(p->has[2] && p->values[2 * kh_n_fields(f->ds)] == 5);
  kh_import_plan_free(p);
  g_free(bad);
  g_free(a);
  g_free(b);
}

/* Two imports with one stamp (one second): the second backup takes a name
 * of its own, the first is kept. */
static void test_backups_in_one_second(void **state) {
  fixture *f = *state;
  write_in(f, "a.csv", "township,births_male\n01,12\n");
  write_in(f, "b.csv", "township,births_male\n01,13\n");
  char *a = in_dir(f, "a.csv"), *b = in_dir(f, "b.csv");
  kh_diags *d = kh_diags_new();
  const char *paths[] = {a, b};
  for (int i = 0; i < 2; i++) {
    kh_diags *load = kh_diags_new();
    kh_dataset *ds = kh_dataset_load(f->dir, load); /* the month as the last import left it */
    kh_diags_free(load);
    kh_import_source src = {paths[i], NULL};
    kh_import_plan *p = kh_import_prepare(ds, 1, &src, 1, true);
    kh_import_written w;
    assert_true(kh_import_commit(ds, p, "20130901-120000", &w, d));
    assert_int_equal(w.moved->len, 1);
    assert_true(g_str_has_suffix(g_ptr_array_index(w.moved, 0),
                                 i == 0 ? "/2013-01.20130901-120000.csv" : "/2013-01.20130901-120000-2.csv"));
    kh_import_written_clear(&w);
    kh_import_plan_free(p);
    kh_dataset_free(ds);
  }
  char *first = in_dir(f, "monthly/备份/2013-01.20130901-120000.csv"), *text = NULL;
  assert_true(g_file_get_contents(first, &text, NULL, NULL));
  assert_non_null(strstr(text, "01,10,9,12")); /* January as it was at first */
  g_free(text);
  g_free(first);
  kh_diags_free(d);
  g_free(a);
  g_free(b);
}

/* The month's own values again: nothing changes and nothing is written. */
static void test_same_values(void **state) {
  fixture *f = *state;
  char *path = in_dir(f, "monthly/2013-02.csv");
  kh_import_source src = {path, NULL};
  kh_import_plan *p = kh_import_prepare(f->ds, 2, &src, 1, false);
  assert_int_equal(file_at(p, 0)->outcome, KH_IMPORT_ACCEPTED);
  assert_false(p->changed);
  kh_import_written w;
  kh_diags *d = kh_diags_new();
  assert_true(kh_import_commit(f->ds, p, NULL, &w, d));
  assert_null(w.path);
  assert_int_equal(w.moved->len, 0);
  assert_false(exists_in(f, "monthly/备份"));
  kh_import_written_clear(&w);
  kh_diags_free(d);
  kh_import_plan_free(p);
  g_free(path);
}

/* The preview shows a refused file's error at name:line:col with its
 * cell marked, names escaped, and the confirm form only when something
 * would be merged; the result page says what was written and moved. */
static void test_pages(void **state) {
  fixture *f = *state;
  write_in(f, "bad.csv", "township,births_male\n03,abc\n");
  write_in(f, "jan.csv", "township,births_male\n01,12\n");
  char *bad = in_dir(f, "bad.csv"), *jan = in_dir(f, "jan.csv");
  kh_import_source src[] = {{bad, "<b>坏.csv"}, {jan, "一月.csv"}};
  json_t *console = json_pack("{s:s, s:s}", "csrf", "TOKEN", "import_id", "0123abcd");

  kh_import_plan *p = kh_import_prepare(f->ds, 1, src, 2, false);
  GString *page = g_string_new(NULL);
  kh_web_import_preview_page(f->ds, p, console, page);
  assert_non_null(strstr(page->str, "&lt;b&gt;坏.csv:2:4"));
  assert_null(strstr(page->str, "<b>"));
  assert_non_null(strstr(page->str, "03,<mark>abc</mark>"));
  assert_non_null(strstr(page->str, "与本月已有数值不同，不导入"));
  assert_null(strstr(page->str, "确认导入"));
  kh_import_plan_free(p);

  p = kh_import_prepare(f->ds, 1, src, 2, true);
  g_string_truncate(page, 0);
  kh_web_import_preview_page(f->ds, p, console, page);
  assert_non_null(strstr(page->str, "确认导入"));
  assert_non_null(strstr(page->str, "value=\"TOKEN\""));
  assert_non_null(strstr(page->str, "action=\"/import/0123abcd/confirm\""));
  assert_non_null(strstr(page->str, "<td>城关镇</td><td>出生男婴数</td><td class=\"num\">10</td><td class=\"num\">12</td>"));

  kh_import_written w;
  kh_diags *d = kh_diags_new();
  assert_true(kh_import_commit(f->ds, p, "20130901-120000", &w, d));
  g_string_truncate(page, 0);
  kh_web_import_result_page(f->ds, p, w.path, w.moved, page);
  assert_non_null(strstr(page->str, "已写入 <code>monthly/2013-01.csv</code>"));
  assert_non_null(strstr(page->str, "<code>monthly/备份/2013-01.20130901-120000.csv</code>"));
  assert_non_null(strstr(page->str, "href=\"/month/2013-01\""));
  kh_import_written_clear(&w);
  kh_diags_free(d);
  g_string_free(page, TRUE);
  kh_import_plan_free(p);
  json_decref(console);
  g_free(bad);
  g_free(jan);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_new_month, setup, teardown),
      cmocka_unit_test_setup_teardown(test_conflict_and_replace, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors_and_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_backups_in_one_second, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
