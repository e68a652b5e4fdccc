/* Regressions found by hardening (issue 8): every input that crashed, hung
 * or exhausted memory, found by the fuzz harnesses (fuzz/) or by hand,
 * replayed here against the fix. Each test runs under an alarm, so a
 * regression that hangs fails in seconds instead of stalling the suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "kaohe/kaohe.h"
#include "load/csv_reader.h"
#include "render/template/template.h"

#define TIME_LIMIT 20 /* seconds per test */

static int start_alarm(void **state) {
  (void)state;
  alarm(TIME_LIMIT);
  return 0;
}

static int stop_alarm(void **state) {
  (void)state;
  alarm(0);
  return 0;
}

/* Asserts diags holds exactly one error, at path, whose message contains
 * part. */
static void assert_one_error(const kh_diags *diags, const char *path, const char *part) {
  assert_int_equal(diags->n_errors, 1);
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_string_equal(d->file, path);
  if (!strstr(d->message, part))
    fail_msg("expected \"%s\" in \"%s\"", part, d->message);
}

/* A dataset file that is a named pipe blocked the run forever, one that is
 * a link to /dev/zero read until memory ran out: only regular files are
 * read now. */
static void test_read_refuses_pipes_and_devices(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("kaohe-regress-XXXXXX", NULL);
  assert_non_null(dir);
  char *fifo = g_build_filename(dir, "2013-07.csv", NULL);
  char *zero = g_build_filename(dir, "rules.ini", NULL);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  assert_int_equal(symlink("/dev/zero", zero), 0);

  const char *paths[] = {fifo, zero};
  for (int i = 0; i < 2; i++) {
    kh_diags *diags = kh_diags_new();
    gsize len;
    assert_null(kh_read_text_file(paths[i], &len, diags));
    assert_one_error(diags, paths[i], "不是普通文件");
    kh_diags_free(diags);
  }
  g_unlink(fifo);
  g_unlink(zero);
  g_rmdir(dir);
  g_free(fifo);
  g_free(zero);
  g_free(dir);
}

/* A dataset's templates/notice.md that is a broken symbolic link fell back
 * to the shipped template without a word; it is an error now, like any
 * dataset template that cannot be read. */
static void test_broken_template_link_is_an_error(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("kaohe-regress-XXXXXX", NULL);
  char *link = g_build_filename(dir, "notice.md", NULL);
  assert_int_equal(symlink("/nonexistent/notice.md", link), 0);
  kh_diags *diags = kh_diags_new();
  assert_null(kh_template_load("notice.md", dir, diags));
  assert_one_error(diags, link, "文件不存在");
  kh_diags_free(diags);
  g_unlink(link);
  g_rmdir(dir);
  g_free(link);
  g_free(dir);
}

/* A 10 MB file of ten-cell rows held 5 million cells, and a 240 MB one
 * 120 million (2.9 GB): a file stops at KH_CSV_MAX_CELLS now, with an
 * error at the first row past it. */
static void test_cells_per_file_are_capped(void **state) {
  (void)state;
  guint rows = KH_CSV_MAX_CELLS / 10 + 10; /* of 10 cells, header included */
  GString *text = g_string_sized_new(rows * 20 + 32);
  g_string_append(text, "a,b,c,d,e,f,g,h,i,j\n");
  for (guint r = 1; r < rows; r++)
    g_string_append(text, "1,1,1,1,1,1,1,1,1,1\n");
  kh_diags *diags = kh_diags_new();
  kh_csv_table *t = kh_csv_parse("big.csv", text->str, text->len, diags);
  assert_non_null(t);
  assert_true(t->truncated);
  assert_true(t->cells->len <= KH_CSV_MAX_CELLS);
  assert_one_error(diags, "big.csv", "单元格总数超过上限");
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_int_equal(d->line, (int)(KH_CSV_MAX_CELLS / 10 + 1));
  kh_csv_free(t);
  kh_diags_free(diags);
  g_string_free(text, TRUE);
}

/* A million bad rows kept a million diagnostics with their lines (540 MB
 * per file): a list keeps 10,000 and counts the rest, also when one file's
 * list is appended to the dataset's. */
static void test_diagnostics_are_counted_past_the_kept_ones(void **state) {
  (void)state;
  kh_diags *file = kh_diags_new();
  for (int i = 0; i < 25000; i++)
    kh_diags_add(file, i % 5 ? KH_ERROR : KH_WARNING, "m.csv", i + 1, 1, "x,1", "坏行 %d", i);
  assert_int_equal(file->items->len, 10000);
  assert_int_equal(file->n_errors, 20000);
  assert_int_equal(file->n_warnings, 5000);
  kh_diags *all = kh_diags_new();
  kh_diags_add(all, KH_ERROR, "rules.ini", 1, 1, NULL, "前一个错误");
  kh_csv_append_diags(all, file);
  assert_int_equal(all->items->len, 10000);
  assert_int_equal(all->n_errors, 20001);
  assert_int_equal(all->n_warnings, 5000);
  kh_diags_free(file);
  kh_diags_free(all);
}

/* 100,000 townships and monthly headers of 999 fields made every month a
 * table of 800 MB (9.6 GB for a year, from files of a few MB): the fields
 * past 5 million values a month are an error at their header now. */
static void test_month_values_are_capped(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("kaohe-regress-XXXXXX", NULL);
  char *monthly = g_build_filename(dir, "monthly", NULL);
  g_mkdir(monthly, 0700);
  GString *s = g_string_new("[assessment]\ntitle = t\ncounty = c\nissuer = i\nyear = 2013\n");
  char *path = g_build_filename(dir, "rules.ini", NULL);
  assert_true(g_file_set_contents(path, s->str, -1, NULL));
  g_free(path);
  g_string_assign(s, "code,name\n");
  for (int t = 1; t <= 6000; t++)
    g_string_append_printf(s, "%d,乡%d\n", t, t);
  path = g_build_filename(dir, "townships.csv", NULL);
  assert_true(g_file_set_contents(path, s->str, -1, NULL));
  g_free(path);
  g_string_assign(s, "township");
  for (int f = 1; f <= 999; f++)
    g_string_append_printf(s, ",f%d", f);
  g_string_append(s, "\n1");
  for (int f = 1; f <= 999; f++)
    g_string_append(s, ",1");
  g_string_append(s, "\n");
  path = g_build_filename(monthly, "2013-01.csv", NULL);
  assert_true(g_file_set_contents(path, s->str, -1, NULL));

  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, diags);
  assert_non_null(ds);
  assert_true((gint64)kh_n_townships(ds) * kh_n_fields(ds) <= 5000000);
  bool found = false;
  for (guint i = 0; i < diags->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(diags->items, i);
    if (d->severity == KH_ERROR && strstr(d->message, "字段过多")) {
      assert_string_equal(d->file, path);
      assert_int_equal(d->line, 1);
      found = true;
    }
  }
  assert_true(found);
  kh_dataset_free(ds);
  kh_diags_free(diags);
  g_unlink(path);
  g_free(path);
  path = g_build_filename(dir, "townships.csv", NULL);
  g_unlink(path);
  g_free(path);
  path = g_build_filename(dir, "rules.ini", NULL);
  g_unlink(path);
  g_free(path);
  g_rmdir(monthly);
  g_rmdir(dir);
  g_free(monthly);
  g_free(dir);
  g_string_free(s, TRUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_read_refuses_pipes_and_devices, start_alarm,
                                      stop_alarm),
      cmocka_unit_test_setup_teardown(test_broken_template_link_is_an_error, start_alarm,
                                      stop_alarm),
      cmocka_unit_test_setup_teardown(test_cells_per_file_are_capped, start_alarm, stop_alarm),
      cmocka_unit_test_setup_teardown(test_diagnostics_are_counted_past_the_kept_ones,
                                      start_alarm, stop_alarm),
      cmocka_unit_test_setup_teardown(test_month_values_are_capped, start_alarm, stop_alarm),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
