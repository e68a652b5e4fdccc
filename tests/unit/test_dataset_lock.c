/* The dataset's action lock (deliver.h kh_dataset_lock_*): one holder at a
 * time, whether the other asks from this process or from another (a
 * command beside the web console); a waiting taker gets it once the
 * holder lets go; a holder that dies frees it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kaohe/deliver.h"
#include "deliver/fsops.h"

static int setup(void **state) {
  char *dir = g_dir_make_tmp("kaohe-lock-XXXXXX", NULL);
  assert_non_null(dir);
  *state = dir;
  return 0;
}

static int teardown(void **state) {
  kh_fs_remove_tree(*state);
  g_free(*state);
  return 0;
}

static void test_one_holder(void **state) {
  const char *dir = *state;
  kh_diags *d = kh_diags_new();
  assert_false(kh_dataset_lock_busy(dir));
  kh_dataset_lock *first = kh_dataset_lock_take(dir, false, NULL, d);
  assert_non_null(first);
  assert_true(kh_dataset_lock_busy(dir));

  bool busy = false;
  assert_null(kh_dataset_lock_take(dir, false, &busy, d));
  assert_true(busy);
  assert_int_equal(d->n_errors, 1);
  const kh_diag *e = g_ptr_array_index(d->items, 0);
  assert_non_null(strstr(e->message, "数据集正忙"));

  kh_dataset_lock_release(first);
  assert_false(kh_dataset_lock_busy(dir));
  kh_dataset_lock *second = kh_dataset_lock_take(dir, false, &busy, d);
  assert_non_null(second);
  assert_false(busy);
  kh_dataset_lock_release(second);
  kh_diags_free(d);
}

/* A child process holds the lock for a moment and exits without releasing
 * it: the parent's waiting take returns once the child is gone. */
static void test_other_process(void **state) {
  const char *dir = *state;
  int ready[2];
  assert_int_equal(pipe(ready), 0);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    kh_diags *d = kh_diags_new();
    kh_dataset_lock *held = kh_dataset_lock_take(dir, false, NULL, d);
    if (write(ready[1], held ? "y" : "n", 1) != 1)
      _exit(2);
    g_usleep(200000);
    _exit(0); /* without releasing: the kernel does */
  }
  char said = 0;
  assert_int_equal(read(ready[0], &said, 1), 1);
  assert_int_equal(said, 'y');
  kh_diags *d = kh_diags_new();
  bool busy = false;
  assert_null(kh_dataset_lock_take(dir, false, &busy, d));
  assert_true(busy);
  kh_dataset_lock *waited = kh_dataset_lock_take(dir, true, NULL, d);
  assert_non_null(waited);
  int status = 0;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  kh_dataset_lock_release(waited);
  close(ready[0]);
  close(ready[1]);
  kh_diags_free(d);
}

static void test_missing_folder(void **state) {
  char *gone = g_build_filename(*state, "无此目录", NULL);
  kh_diags *d = kh_diags_new();
  bool busy = true;
  assert_null(kh_dataset_lock_take(gone, true, &busy, d));
  assert_false(busy);
  assert_int_equal(d->n_errors, 1);
  kh_diags_free(d);
  g_free(gone);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_one_holder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_other_process, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
