/* The month's output folder published whole (deliver/outdir.h): the old
 * folder's delivery log (the same file, so its lock holds) and mails carry
 * over, a township folder replaced wholesale, a commit refused while the
 * log is locked and over the current folder, and what a fallback commit
 * killed between its two renames left behind restored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kaohe/deliver.h"
#include "deliver/fsops.h"

typedef struct {
  char *tmp;    /* a fresh folder per test */
  char *target; /* tmp/out/2013-07 */
} fixture;

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->tmp = g_dir_make_tmp("kaohe-outdir-XXXXXX", NULL);
  assert_non_null(f->tmp);
  f->target = g_build_filename(f->tmp, "out", "2013-07", NULL);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kh_fs_remove_tree(f->tmp);
  g_free(f->tmp);
  g_free(f->target);
  g_free(f);
  return 0;
}

static void put(const char *dir, const char *name, const char *text) {
  char *path = g_build_filename(dir, name, NULL);
  char *folder = g_path_get_dirname(path);
  assert_int_equal(g_mkdir_with_parents(folder, 0755), 0);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  g_free(folder);
  g_free(path);
}

static char *get(const char *dir, const char *name) {
  char *path = g_build_filename(dir, name, NULL);
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    text = NULL;
  g_free(path);
  return text;
}

static ino_t inode(const char *dir, const char *name) {
  char *path = g_build_filename(dir, name, NULL);
  GStatBuf st;
  ino_t ino = g_lstat(path, &st) == 0 ? st.st_ino : 0;
  g_free(path);
  return ino;
}

/* A run: documents of `version` staged, then committed. */
static bool run(const char *target, const char *version, kh_diags *d) {
  kh_outdir *o = kh_outdir_begin(target, d);
  assert_non_null(o);
  put(kh_outdir_staging(o), "notice.pdf", version);
  put(kh_outdir_staging(o), "乡镇/01.xlsx", version);
  bool ok = kh_outdir_commit(o, d);
  kh_outdir_free(o);
  return ok;
}

static void test_swap_carries_log_and_mails(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  assert_true(run(f->target, "v1", d));
  put(f->target, KH_MAIL_LOG_NAME, "log");
  put(f->target, "邮件/01.eml", "mail");
  put(f->target, "乡镇/99_gone.xlsx", "a township no longer in the registry");
  ino_t log = inode(f->target, KH_MAIL_LOG_NAME);
  assert_true(run(f->target, "v2", d));
  char *text = get(f->target, "notice.pdf");
  assert_string_equal(text, "v2");
  g_free(text);
  text = get(f->target, "邮件/01.eml");
  assert_string_equal(text, "mail");
  g_free(text);
  assert_int_equal(inode(f->target, KH_MAIL_LOG_NAME), log); /* the same file */
  assert_null(get(f->target, "乡镇/99_gone.xlsx")); /* the folder is the run's */
  /* Nothing is left beside the target. */
  char *parent = g_path_get_dirname(f->target);
  GDir *dir = g_dir_open(parent, 0, NULL);
  assert_string_equal(g_dir_read_name(dir), "2013-07");
  assert_null(g_dir_read_name(dir));
  g_dir_close(dir);
  g_free(parent);
  assert_int_equal(d->n_errors, 0);
  kh_diags_free(d);
}

static void test_refused_while_mail_sends(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  assert_true(run(f->target, "v1", d));
  put(f->target, KH_MAIL_LOG_NAME, "log");
  char *path = g_build_filename(f->target, KH_MAIL_LOG_NAME, NULL);
  int fd = open(path, O_RDONLY);
  assert_int_equal(flock(fd, LOCK_EX), 0); /* as kaohe mail holds it */
  assert_false(run(f->target, "v2", d));
  close(fd);
  char *text = get(f->target, "notice.pdf");
  assert_string_equal(text, "v1");
  g_free(text);
  assert_int_equal(d->n_errors, 1);
  g_free(path);
  kh_diags_free(d);
}

/* A fallback commit (no RENAME_EXCHANGE) killed after moving the old
 * folder aside and before moving the new one in: the next run puts the old
 * one back first, so the target is never missing for long. */
static void test_aside_restored(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  char *parent = g_path_get_dirname(f->target);
  char *aside = g_build_filename(parent, ".2013-07.kaohe-old-999999999-1", NULL);
  put(aside, "notice.pdf", "old");
  kh_outdir *o = kh_outdir_begin(f->target, d);
  assert_non_null(o);
  char *text = get(f->target, "notice.pdf");
  assert_string_equal(text, "old");
  g_free(text);
  assert_false(g_file_test(aside, G_FILE_TEST_EXISTS));
  kh_outdir_free(o);
  g_free(aside);
  g_free(parent);
  kh_diags_free(d);
}

static void test_not_the_current_folder(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  assert_int_equal(g_mkdir_with_parents(f->target, 0755), 0);
  char *was = g_get_current_dir();
  assert_int_equal(chdir(f->target), 0);
  assert_false(run(".", "v1", d));
  assert_int_equal(chdir(was), 0);
  assert_null(get(f->target, "notice.pdf"));
  assert_int_equal(d->n_errors, 1);
  g_free(was);
  kh_diags_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_swap_carries_log_and_mails, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused_while_mail_sends, setup, teardown),
      cmocka_unit_test_setup_teardown(test_aside_restored, setup, teardown),
      cmocka_unit_test_setup_teardown(test_not_the_current_folder, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
