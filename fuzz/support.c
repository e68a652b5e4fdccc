/* Shared by the harnesses (support.h). */
#include "support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include "deliver/fsops.h"
#include "kaohe/render.h"
#include "render/template/template.h"

static char *scratch;

static void remove_scratch(void) {
  kh_fs_remove_tree(scratch);
  g_free(scratch);
  scratch = NULL;
}

const char *kh_fuzz_scratch(void) {
  if (scratch)
    return scratch;
  const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
  scratch = g_build_filename(base, "kaohe-fuzz-XXXXXX", NULL);
  if (!g_mkdtemp(scratch)) {
    perror(scratch);
    abort();
  }
  atexit(remove_scratch);
  return scratch;
}

void kh_fuzz_scratch_clear(void) {
  const char *dir = kh_fuzz_scratch();
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    kh_fs_remove_tree(path);
    g_free(path);
  }
  if (d)
    g_dir_close(d);
}

void kh_fuzz_write(const char *rel, const void *data, size_t len) {
  char *path = g_build_filename(kh_fuzz_scratch(), rel, NULL);
  char *dir = g_path_get_dirname(path);
  GError *err = NULL;
  if (g_mkdir_with_parents(dir, 0700) != 0 ||
      !g_file_set_contents(path, data, (gssize)len, &err)) {
    fprintf(stderr, "fuzz harness: cannot write %s: %s\n", path,
            err ? err->message : g_strerror(errno));
    abort();
  }
  g_free(dir);
  g_free(path);
}

const char *kh_fuzz_source_dir(void) {
  const char *env = g_getenv("KAOHE_SOURCE_DIR");
  return env && *env ? env : KAOHE_FUZZ_SOURCE_DIR;
}

static void render_scores(const kh_month_result *r, const kh_month_result *prev) {
  GString *out = g_string_new(NULL);
  kh_score_json(r, out);
  kh_score_csv(r, out);
  kh_score_table(r, out);
  for (int t = 0; t < r->n_townships; t++)
    g_free(kh_township_xlsx_name(r, t));
  g_string_free(out, TRUE);

  /* The notice's words, short of the page layout. */
  kh_doc_meta meta = {.doc_no = r->month, .date_year = r->year, .date_month = 12,
                      .date_day = 31, .created = 0, .template_dir = NULL};
  json_t *ctx = kh_month_context(r, prev, &meta);
  kh_diags *diags = kh_diags_new();
  kh_doc *doc = kh_doc_new();
  kh_template_render_doc(kh_shipped_template("notice.md"), "notice.md", ctx, doc, diags);
  kh_doc_free(doc);
  kh_diags_free(diags);
  json_decref(ctx);
}

void kh_fuzz_assess_all(const kh_dataset *ds) {
  kh_month_result *prev = NULL;
  for (int m = 1; m <= 12; m++) {
    kh_diags *diags = kh_diags_new();
    kh_month_result *r = NULL;
    if (ds->months[m - 1].present && kh_dataset_check_month(ds, m, diags)) {
      r = kh_assess_month(ds, m);
      if (!r)
        abort(); /* a present month of the year always assesses */
      render_scores(r, prev);
    }
    kh_diags_free(diags);
    kh_month_result_free(prev);
    prev = r;
  }
  kh_month_result_free(prev);

  for (int q = 1; q <= 4; q++) {
    kh_diags *diags = kh_diags_new();
    kh_quarter_result *res = kh_assess_quarter(ds, q, true, diags);
    if (res) {
      GString *out = g_string_new(NULL);
      kh_quarter_json(res, out);
      kh_quarter_csv(res, out);
      kh_quarter_table(res, out);
      g_string_free(out, TRUE);
    }
    kh_quarter_result_free(res);
    kh_diags_free(diags);
  }
}
