/* An output folder updated all at once (outdir.h). */
#include "deliver/outdir.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "deliver/fsops.h"

#define STAGING_PREFIX ".kaohe-staging-"

struct kh_outdir {
  char *target;
  char *staging;
};

kh_outdir *kh_outdir_begin(const char *target, kh_diags *diags) {
  if (g_mkdir_with_parents(target, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法创建输出目录: %s", g_strerror(errno));
    return NULL;
  }
  /* A run killed before its commit leaves its staging folder behind: the
   * next run into the same folder removes it (its PID is in the name). */
  kh_fs_remove_stale_staging(target, STAGING_PREFIX);
  char *name = g_strdup_printf(STAGING_PREFIX "%ld-XXXXXX", (long)getpid());
  char *tmpl = g_build_filename(target, name, NULL);
  g_free(name);
  if (!g_mkdtemp(tmpl)) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法在输出目录中写入: %s",
                 g_strerror(errno));
    g_free(tmpl);
    return NULL;
  }
  kh_outdir *o = g_new0(kh_outdir, 1);
  o->target = g_strdup(target);
  o->staging = tmpl;
  return o;
}

const char *kh_outdir_staging(const kh_outdir *o) { return o->staging; }
const char *kh_outdir_target(const kh_outdir *o) { return o->target; }

/* Moves the files of from/ into to/, creating to/ when needed, and
 * descending one level into sub-folders. */
static bool move_files(const char *from, const char *to, int depth, kh_diags *diags) {
  GError *err = NULL;
  GDir *dir = g_dir_open(from, 0, &err);
  if (!dir) {
    kh_diags_add(diags, KH_ERROR, from, 1, 1, NULL, "%s", err->message);
    g_error_free(err);
    return false;
  }
  bool ok = g_mkdir_with_parents(to, 0755) == 0;
  if (!ok)
    kh_diags_add(diags, KH_ERROR, to, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
  const char *name;
  while (ok && (name = g_dir_read_name(dir))) {
    char *src = g_build_filename(from, name, NULL);
    char *dst = g_build_filename(to, name, NULL);
    if (g_file_test(src, G_FILE_TEST_IS_DIR))
      ok = depth < 1 && move_files(src, dst, depth + 1, diags);
    else if (g_rename(src, dst) != 0) {
      kh_diags_add(diags, KH_ERROR, dst, 1, 1, NULL, "无法写入: %s", g_strerror(errno));
      ok = false;
    }
    g_free(src);
    g_free(dst);
  }
  g_dir_close(dir);
  return ok;
}

bool kh_outdir_commit(kh_outdir *o, kh_diags *diags) {
  return move_files(o->staging, o->target, 0, diags);
}

void kh_outdir_free(kh_outdir *o) {
  if (!o)
    return;
  kh_fs_remove_tree(o->staging);
  g_free(o->staging);
  g_free(o->target);
  g_free(o);
}
