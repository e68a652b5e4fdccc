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
  char *created;  /* the outermost folder begin made, or NULL */
  bool committed;
};

kh_outdir *kh_outdir_begin(const char *target, kh_diags *diags) {
  char *created = kh_fs_first_missing(target);
  if (g_mkdir_with_parents(target, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法创建输出目录: %s", g_strerror(errno));
    kh_fs_remove_created(target, created);
    g_free(created);
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
    kh_fs_remove_created(target, created);
    g_free(created);
    return NULL;
  }
  kh_outdir *o = g_new0(kh_outdir, 1);
  o->target = g_strdup(target);
  o->staging = tmpl;
  o->created = created;
  return o;
}

const char *kh_outdir_staging(const kh_outdir *o) { return o->staging; }
const char *kh_outdir_target(const kh_outdir *o) { return o->target; }

/* One pass over the staged files of from/ (and of its sub-folders, one
 * level deep) and their places in to/. The first pass (move = false) makes
 * the folders and checks that every file can take its place; only then
 * does the second move the files, each an atomic rename. So whatever stops
 * a commit in the first pass (a file where a folder must go, a folder
 * where a file must go) leaves every document of an earlier run as it
 * was, instead of a mixture of old and new. */
static bool commit_pass(const char *from, const char *to, int depth, bool move,
                        kh_diags *diags) {
  GError *err = NULL;
  GDir *dir = g_dir_open(from, 0, &err);
  if (!dir) {
    kh_diags_add(diags, KH_ERROR, from, 1, 1, NULL, "%s", err->message);
    g_error_free(err);
    return false;
  }
  bool ok = true;
  if (!move && g_mkdir_with_parents(to, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, to, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
    ok = false;
  }
  const char *name;
  while (ok && (name = g_dir_read_name(dir))) {
    char *src = g_build_filename(from, name, NULL);
    char *dst = g_build_filename(to, name, NULL);
    GStatBuf st;
    if (g_file_test(src, G_FILE_TEST_IS_DIR)) {
      ok = depth < 1 && commit_pass(src, dst, depth + 1, move, diags);
    } else if (!move) {
      if (g_lstat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
        kh_diags_add(diags, KH_ERROR, dst, 1, 1, NULL, "同名的目录占住了这个文件的位置");
        ok = false;
      }
    } else if (g_rename(src, dst) != 0) {
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
  o->committed = commit_pass(o->staging, o->target, 0, false, diags) &&
                 commit_pass(o->staging, o->target, 0, true, diags);
  return o->committed;
}

void kh_outdir_unstage_diags(const kh_outdir *o, kh_diags *diags) {
  kh_diags_move_files(diags, o->staging, o->target);
}

void kh_outdir_free(kh_outdir *o) {
  if (!o)
    return;
  kh_fs_remove_tree(o->staging);
  if (!o->committed)
    kh_fs_remove_created(o->target, o->created);
  g_free(o->created);
  g_free(o->staging);
  g_free(o->target);
  g_free(o);
}
