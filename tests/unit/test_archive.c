/* The quarterly archive (deliver.h, docs/reference/outputs.md, §8 `quarter`): a refusal
 * leaves every byte in place, --force keeps the old archive, a failure at
 * any step leaves no partial archive, and `sha256sum -c` passes inside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kaohe/deliver.h"
#include "deliver/fsops.h"

static const char PDF[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
/* The smallest complete zip: an end-of-central-directory record alone. */
static const char ZIP[22] = "PK\5\6";
static const char XLSX_NAME[] = "2013年第3季度奖惩通报.xlsx";

typedef struct {
  char *tmp;    /* a fresh folder per test */
  char *target; /* tmp/archive/2013Q3 */
} fixture;

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->tmp = g_dir_make_tmp("kaohe-archive-XXXXXX", NULL);
  assert_non_null(f->tmp);
  f->target = g_build_filename(f->tmp, "archive", "2013Q3", NULL);
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

static void write_file(const char *dir, const char *name, const char *data,
                       gssize len) {
  char *path = g_build_filename(dir, name, NULL);
  char *folder = g_path_get_dirname(path);
  assert_int_equal(g_mkdir_with_parents(folder, 0755), 0);
  assert_true(g_file_set_contents(path, data, len, NULL));
  g_free(folder);
  g_free(path);
}

/* Writes the documents of one quarter, `version` marking which run. */
static void render_into(const char *dir, const char *version) {
  write_file(dir, "report.pdf", PDF, -1);
  write_file(dir, XLSX_NAME, ZIP, sizeof ZIP);
  write_file(dir, "scores.json", version, -1);
  write_file(dir, "sub/readme.txt", "附件\n", -1);
}

static char *read_file(const char *dir, const char *name) {
  char *path = g_build_filename(dir, name, NULL);
  char *text = NULL;
  g_file_get_contents(path, &text, NULL, NULL);
  g_free(path);
  return text;
}

/* Every path under dir with its content ("/" for folders), one per line,
 * sorted: two snapshots are equal when no byte changed. */
static void snapshot_into(const char *dir, const char *prefix, GPtrArray *out) {
  GDir *d = g_dir_open(dir, 0, NULL);
  assert_non_null(d);
  const char *name;
  while ((name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    char *rel = g_strconcat(prefix, "/", name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      g_ptr_array_add(out, g_strconcat(rel, " /", NULL));
      snapshot_into(path, rel, out);
    } else {
      char *text = NULL;
      gsize len = 0;
      assert_true(g_file_get_contents(path, &text, &len, NULL));
      char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)text, len);
      g_ptr_array_add(out, g_strconcat(rel, " ", hex, NULL));
      g_free(hex);
      g_free(text);
    }
    g_free(rel);
    g_free(path);
  }
  g_dir_close(d);
}

static gint compare_strings(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *snapshot(const char *dir) {
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  snapshot_into(dir, "", lines);
  g_ptr_array_sort(lines, compare_strings);
  g_ptr_array_add(lines, NULL);
  char *text = g_strjoinv("\n", (char **)lines->pdata);
  g_ptr_array_unref(lines);
  return text;
}

/* Names in dir, sorted, space-separated. */
static char *listing(const char *dir) {
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d)))
    g_ptr_array_add(names, g_strdup(name));
  if (d)
    g_dir_close(d);
  g_ptr_array_sort(names, compare_strings);
  g_ptr_array_add(names, NULL);
  char *text = g_strjoinv(" ", (char **)names->pdata);
  g_ptr_array_unref(names);
  return text;
}

static void assert_listing(const char *dir, const char *expected) {
  char *got = listing(dir);
  assert_string_equal(got, expected);
  g_free(got);
}

/* Runs the real `sha256sum -c SHA256SUMS` inside dir. */
static void assert_sha256sum_passes(const char *dir) {
  char *argv[] = {"sha256sum", "--check", "--strict", KH_ARCHIVE_MANIFEST, NULL};
  char *out = NULL, *err = NULL;
  int status = -1;
  assert_true(g_spawn_sync(dir, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                           &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status(status, NULL))
    fail_msg("sha256sum -c failed in %s:\n%s%s", dir, out, err);
  assert_non_null(strstr(out, "report.pdf: OK"));
  assert_non_null(strstr(out, "sub/readme.txt: OK"));
  g_free(out);
  g_free(err);
}

/* The first line of diagnostic i as printed. Caller frees with g_free(). */
static char *diag_text(const kh_diags *d, guint i) {
  assert_true(i < d->items->len);
  char *s = kh_diag_format(g_ptr_array_index(d->items, i));
  char *nl = strchr(s, '\n');
  if (nl)
    *nl = '\0';
  return s;
}

static void assert_diag(const kh_diags *d, guint i, const char *file,
                        const char *message) {
  char *expected = g_strdup_printf("%s:1:1: error: %s", file, message);
  char *got = diag_text(d, i);
  assert_string_equal(got, expected);
  g_free(got);
  g_free(expected);
}

/* Makes a complete archive at f->target holding `version`. */
static void make_archive(fixture *f, const char *version) {
  kh_diags *d = kh_diags_new();
  kh_archive *a = kh_archive_begin(f->target, false, d);
  assert_non_null(a);
  render_into(kh_archive_staging_dir(a), version);
  assert_true(kh_archive_commit(a, NULL, d));
  assert_int_equal(d->items->len, 0);
  kh_diags_free(d);
}

static void test_commit_publishes_checksummed_archive(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  assert_true(kh_archive_check(f->target, false, d));
  kh_archive *a = kh_archive_begin(f->target, false, d);
  assert_non_null(a);
  const char *staging = kh_archive_staging_dir(a);
  char *parent = g_path_get_dirname(f->target);
  char *staging_parent = g_path_get_dirname(staging);
  assert_string_equal(staging_parent, parent); /* a sibling: rename is atomic */
  assert_false(g_file_test(f->target, G_FILE_TEST_EXISTS));
  render_into(staging, "{\"v\":1}");
  static char untouched[] = "not set";
  char *replaced = untouched;
  assert_true(kh_archive_commit(a, &replaced, d));
  assert_null(replaced);
  assert_int_equal(d->items->len, 0);

  assert_listing(parent, "2013Q3"); /* no staging folder left */
  char *sums = read_file(f->target, KH_ARCHIVE_MANIFEST);
  char **lines = g_strsplit(sums, "\n", -1);
  assert_int_equal(g_strv_length(lines), 5); /* 4 files and the final "" */
  /* sorted bytewise, sha256sum's two-space format */
  assert_string_equal(lines[0] + 64, "  " "2013年第3季度奖惩通报.xlsx");
  assert_string_equal(lines[1] + 64, "  report.pdf");
  assert_string_equal(lines[2] + 64, "  scores.json");
  assert_string_equal(lines[3] + 64, "  sub/readme.txt");
  assert_string_equal(lines[4], "");
  char *pdf_sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, PDF, -1);
  assert_memory_equal(lines[1], pdf_sum, 64);
  assert_sha256sum_passes(f->target);

  g_free(pdf_sum);
  g_strfreev(lines);
  g_free(sums);
  g_free(staging_parent);
  g_free(parent);
  kh_diags_free(d);
}

static void test_existing_archive_is_refused_untouched(void **state) {
  fixture *f = *state;
  make_archive(f, "{\"v\":1}");
  char *before = snapshot(f->tmp);

  kh_diags *d = kh_diags_new();
  assert_false(kh_archive_check(f->target, false, d));
  assert_null(kh_archive_begin(f->target, false, d));
  assert_int_equal(d->n_errors, 2);
  assert_diag(d, 0, f->target,
              "存档已存在，未做任何改动；如需替换请加 --force（旧存档会改名保留在旁边）");

  char *after = snapshot(f->tmp);
  assert_string_equal(after, before); /* every byte, and no staging folder */
  g_free(after);
  g_free(before);
  kh_diags_free(d);
}

static void test_force_keeps_the_old_archive(void **state) {
  fixture *f = *state;
  make_archive(f, "{\"v\":1}");
  kh_diags *d = kh_diags_new();
  assert_true(kh_archive_check(f->target, true, d));
  kh_archive *a = kh_archive_begin(f->target, true, d);
  assert_non_null(a);
  render_into(kh_archive_staging_dir(a), "{\"v\":2}");
  char *replaced = NULL;
  assert_true(kh_archive_commit(a, &replaced, d));
  assert_int_equal(d->items->len, 0);

  assert_non_null(replaced);
  char *base = g_path_get_basename(replaced);
  assert_true(g_regex_match_simple("^2013Q3\\.replaced-[0-9]{8}T[0-9]{6}$", base, 0, 0));
  char *old = read_file(replaced, "scores.json");
  char *new = read_file(f->target, "scores.json");
  assert_string_equal(old, "{\"v\":1}");
  assert_string_equal(new, "{\"v\":2}");
  assert_sha256sum_passes(replaced);
  assert_sha256sum_passes(f->target);

  /* A second replacement in the same second takes the next free name. */
  a = kh_archive_begin(f->target, true, d);
  render_into(kh_archive_staging_dir(a), "{\"v\":3}");
  char *replaced2 = NULL;
  assert_true(kh_archive_commit(a, &replaced2, d));
  assert_string_not_equal(replaced2, replaced);
  assert_true(g_str_has_prefix(replaced2, f->target));
  char *parent = g_path_get_dirname(f->target);
  char *names = listing(parent);
  assert_true(g_regex_match_simple(
      "^2013Q3 2013Q3\\.replaced-[0-9T]{15} 2013Q3\\.replaced-[0-9T]{15}(-2)?$", names, 0, 0));

  g_free(names);
  g_free(parent);
  g_free(replaced2);
  g_free(new);
  g_free(old);
  g_free(base);
  g_free(replaced);
  kh_diags_free(d);
}

static void test_parent_that_is_a_file_fails_before_work(void **state) {
  fixture *f = *state;
  write_file(f->tmp, "archive", "not a folder", -1);
  char *before = snapshot(f->tmp);
  kh_diags *d = kh_diags_new();
  assert_false(kh_archive_check(f->target, true, d));
  assert_null(kh_archive_begin(f->target, true, d));
  char *file = g_build_filename(f->tmp, "archive", NULL);
  char *message = g_strdup_printf("不是目录，无法在其中建立存档 %s", f->target);
  assert_diag(d, 0, file, message);
  char *after = snapshot(f->tmp);
  assert_string_equal(after, before);
  g_free(after);
  g_free(message);
  g_free(file);
  g_free(before);
  kh_diags_free(d);
}

static void test_abort_leaves_nothing(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  kh_archive *a = kh_archive_begin(f->target, false, d);
  render_into(kh_archive_staging_dir(a), "{}");
  kh_archive_abort(a);
  kh_archive_abort(NULL);
  char *parent = g_path_get_dirname(f->target);
  assert_listing(parent, "");
  g_free(parent);
  kh_diags_free(d);
}

/* A renderer that died half-way: the commit fails, the old archive (if
 * any) is untouched and nothing new is left behind. */
static void test_incomplete_files_fail_the_commit(void **state) {
  fixture *f = *state;
  make_archive(f, "{\"v\":1}");
  char *before = snapshot(f->tmp);
  kh_diags *d = kh_diags_new();
  kh_archive *a = kh_archive_begin(f->target, true, d);
  const char *staging = kh_archive_staging_dir(a);
  write_file(staging, "report.pdf", PDF, sizeof PDF - 8); /* no %%EOF */
  write_file(staging, XLSX_NAME, ZIP, 10);
  write_file(staging, "scores.json", "", 0);
  assert_false(kh_archive_commit(a, NULL, d));
  assert_int_equal(d->n_errors, 3);
  char *xlsx = g_build_filename(f->target, XLSX_NAME, NULL);
  char *pdf = g_build_filename(f->target, "report.pdf", NULL);
  char *json = g_build_filename(f->target, "scores.json", NULL);
  assert_diag(d, 0, xlsx, "文件不完整：末尾没有 zip 目录");
  assert_diag(d, 1, pdf, "文件不完整：末尾没有 %%EOF");
  assert_diag(d, 2, json, "文件为空，没有生成完");
  char *after = snapshot(f->tmp);
  assert_string_equal(after, before);
  g_free(after);
  g_free(json);
  g_free(pdf);
  g_free(xlsx);
  g_free(before);
  kh_diags_free(d);
}

static void test_empty_and_misnamed_contents_fail(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  kh_archive *a = kh_archive_begin(f->target, false, d);
  assert_false(kh_archive_commit(a, NULL, d));
  assert_diag(d, 0, f->target, "存档中没有任何文件");

  a = kh_archive_begin(f->target, false, d);
  write_file(kh_archive_staging_dir(a), "a\\b.json", "{}", -1);
  assert_false(kh_archive_commit(a, NULL, d));
  a = kh_archive_begin(f->target, false, d);
  write_file(kh_archive_staging_dir(a), KH_ARCHIVE_MANIFEST, "x", -1);
  assert_false(kh_archive_commit(a, NULL, d));
  a = kh_archive_begin(f->target, false, d);
  char *link = g_build_filename(kh_archive_staging_dir(a), "link.pdf", NULL);
  assert_int_equal(symlink("/etc/hostname", link), 0);
  assert_false(kh_archive_commit(a, NULL, d));
  assert_int_equal(d->n_errors, 4);
  char *sums = g_build_filename(f->target, KH_ARCHIVE_MANIFEST, NULL);
  char *linked = g_build_filename(f->target, "link.pdf", NULL);
  assert_diag(d, 2, sums, "SHA256SUMS 是存档清单的保留文件名，不能用作文档名");
  assert_diag(d, 3, linked, "存档中只能有普通文件和目录");

  char *parent = g_path_get_dirname(f->target);
  assert_listing(parent, "");
  g_free(parent);
  g_free(linked);
  g_free(sums);
  g_free(link);
  kh_diags_free(d);
}

/* Another run publishes the same archive first: ours must not replace it. */
static void test_archive_appearing_meanwhile_is_kept(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  kh_archive *a = kh_archive_begin(f->target, false, d);
  render_into(kh_archive_staging_dir(a), "{\"v\":\"ours\"}");
  write_file(f->target, "scores.json", "{\"v\":\"theirs\"}", -1);
  assert_false(kh_archive_commit(a, NULL, d));
  assert_diag(d, 0, f->target, "生成期间出现了同名存档，未做任何改动");
  char *parent = g_path_get_dirname(f->target);
  assert_listing(parent, "2013Q3");
  assert_listing(f->target, "scores.json");
  g_free(parent);
  kh_diags_free(d);
}

static pid_t dead_pid(void) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0)
    _exit(0);
  assert_int_equal(waitpid(pid, NULL, 0), pid);
  return pid;
}

/* A run killed before its rename leaves its staging folder: the next run
 * removes it, but not one whose run is still going. */
static void test_stale_staging_is_removed(void **state) {
  fixture *f = *state;
  char *parent = g_path_get_dirname(f->target);
  char *stale = g_strdup_printf(".2013Q3.staging-%ld-AbC123", (long)dead_pid());
  char *live = g_strdup_printf(".2013Q3.staging-%ld-XyZ789", (long)getppid());
  char *stale_dir = g_build_filename(parent, stale, NULL);
  char *live_dir = g_build_filename(parent, live, NULL);
  render_into(stale_dir, "{}");
  render_into(live_dir, "{}");
  write_file(parent, ".other.staging-1-abcdef/x", "kept", -1);

  kh_diags *d = kh_diags_new();
  kh_archive *a = kh_archive_begin(f->target, false, d);
  render_into(kh_archive_staging_dir(a), "{}");
  assert_true(kh_archive_commit(a, NULL, d));
  char *expected = g_strdup_printf(".2013Q3.staging-%ld-XyZ789 .other.staging-1-abcdef 2013Q3",
                                   (long)getppid());
  assert_listing(parent, expected);

  g_free(expected);
  kh_diags_free(d);
  g_free(live_dir);
  g_free(stale_dir);
  g_free(live);
  g_free(stale);
  g_free(parent);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_commit_publishes_checksummed_archive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_existing_archive_is_refused_untouched, setup, teardown),
      cmocka_unit_test_setup_teardown(test_force_keeps_the_old_archive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_parent_that_is_a_file_fails_before_work, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_incomplete_files_fail_the_commit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_and_misnamed_contents_fail, setup, teardown),
      cmocka_unit_test_setup_teardown(test_archive_appearing_meanwhile_is_kept, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stale_staging_is_removed, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
