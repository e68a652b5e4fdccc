/* The document register (load.h kh_register_read, deliver.h kh_register_*):
 * numbers chosen as docs/reference/register.md says, the file written back
 * readable and every malformed row located. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kaohe/deliver.h"
#include "deliver/fsops.h"

typedef struct {
  char *dir;  /* a fresh dataset folder per test */
  char *path; /* dir/发文登记.csv */
  char *doc;  /* a published document to register */
} fixture;

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->dir = g_dir_make_tmp("kaohe-register-XXXXXX", NULL);
  assert_non_null(f->dir);
  f->path = g_build_filename(f->dir, KH_REGISTER_NAME, NULL);
  f->doc = g_build_filename(f->dir, "notice.pdf", NULL);
  assert_true(g_file_set_contents(f->doc, "abc", 3, NULL));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kh_fs_remove_tree(f->dir);
  g_free(f->dir);
  g_free(f->path);
  g_free(f->doc);
  g_free(f);
  return 0;
}

static void write_register(const fixture *f, const char *rows) {
  char *text = g_strconcat("\xEF\xBB\xBFnumber,date,kind,period,title,file,sha256\r\n", rows, NULL);
  assert_true(g_file_set_contents(f->path, text, -1, NULL));
  g_free(text);
}

/* Assigns kind's period with --doc-no requested and records it. */
static int issue(const fixture *f, const char *kind, const char *period, int requested,
                 kh_diags *diags) {
  kh_register *reg = kh_register_open(f->dir, false, diags);
  assert_non_null(reg);
  int n = 0;
  if (kh_register_assign(reg, kind, period, requested, &n, diags)) {
    kh_register_entry e = {.number = n, .date = "2013-08-05", .kind = (char *)kind,
                           .period = (char *)period, .title = "关于“甲,乙”的通报",
                           .file = f->doc};
    assert_true(kh_register_record(reg, &e, diags));
  }
  kh_register_close(reg);
  return n;
}

static void test_numbers(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  assert_int_equal(issue(f, "month", "2013-07", 0, d), 1);
  assert_int_equal(issue(f, "quarter", "2013Q3", 0, d), 2);
  assert_int_equal(issue(f, "month", "2013-07", 0, d), 1); /* a rerun keeps it */
  assert_int_equal(issue(f, "month", "2013-08", 9, d), 9);
  assert_int_equal(issue(f, "month", "2013-09", 0, d), 10); /* highest + 1 */
  assert_int_equal(d->n_errors + d->n_warnings, 0);
  /* 2 belongs to 2013Q3 */
  assert_int_equal(issue(f, "month", "2013-10", 2, d), 0);
  assert_int_equal(d->n_errors, 1);
  kh_diag *err = g_ptr_array_index(d->items, 0);
  assert_int_equal(err->line, 3);
  assert_non_null(strstr(err->message, "发文序号 2 已登记给 2013Q3"));
  /* its own period renumbered: a warning */
  assert_int_equal(issue(f, "month", "2013-07", 4, d), 4);
  assert_int_equal(d->n_warnings, 1);
  kh_diags_free(d);
}

static void test_written_back(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  issue(f, "quarter", "2013Q1", 3, d);
  issue(f, "month", "2013-01", 1, d);
  GPtrArray *rows = kh_register_read(f->path, d);
  assert_int_equal(d->n_errors, 0);
  assert_non_null(rows);
  assert_int_equal(rows->len, 2);
  kh_register_entry *first = g_ptr_array_index(rows, 0);
  assert_int_equal(first->number, 1); /* rows in number order */
  assert_string_equal(first->title, "关于“甲,乙”的通报"); /* quoted, read back whole */
  assert_string_equal(first->sha256,
                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_ptr_array_free(rows, TRUE);
  gchar *text = NULL;
  assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
  assert_true(g_str_has_prefix(text, "\xEF\xBB\xBFnumber,date,kind,period,title,file,sha256\r\n1,"));
  g_free(text);
  kh_diags_free(d);
}

static void test_malformed(void **state) {
  fixture *f = *state;
  write_register(f, "1,2013-08-05,month,2013-07,a,b,c\r\n"
                    "x,2013-08-05,month,2013-08,a,b,c\r\n"
                    "3,2013-08-05,report,2013-09,a,b,c\r\n"
                    "4,2013-08-05,quarter,2013-10,a,b,c\r\n"
                    "1,2013-08-05,month,2013-11,a,b,c\r\n"
                    "6,2013-08-05,month,2013-07,a,b,c\r\n");
  kh_diags *d = kh_diags_new();
  assert_null(kh_register_read(f->path, d));
  assert_int_equal(d->n_errors, 5);
  static const struct { int line, col; const char *text; } want[] = {
      {3, 1, "发文序号“x”应为 1 到 99999 的整数"},
      {4, 14, "文件类别“report”应为 month（月度通报）或 quarter（季度通报）"},
      {5, 22, "期别“2013-10”应为 YYYYQn"},
      {6, 1, "发文序号“1”已在第 2 行登记"},
      {7, 20, "期别“2013-07”已在第 2 行登记"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
    kh_diag *e = g_ptr_array_index(d->items, i);
    assert_int_equal(e->line, want[i].line);
    assert_int_equal(e->col, want[i].col);
    assert_string_equal(e->message, want[i].text);
  }
  kh_diags_free(d);

  write_register(f, "");
  g_autofree char *other = g_strdup("\xEF\xBB\xBFnumber,when\r\n");
  assert_true(g_file_set_contents(f->path, other, -1, NULL));
  d = kh_diags_new();
  assert_null(kh_register_open(f->dir, false, d));
  assert_int_equal(d->n_errors, 1);
  kh_diags_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_written_back, setup, teardown),
      cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
