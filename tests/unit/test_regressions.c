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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_read_refuses_pipes_and_devices, start_alarm,
                                      stop_alarm),
      cmocka_unit_test_setup_teardown(test_broken_template_link_is_an_error, start_alarm,
                                      stop_alarm),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
