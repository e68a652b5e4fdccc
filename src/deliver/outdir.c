/* A month's output folder published all at once (outdir.h). */
#define _GNU_SOURCE /* renameat2() */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "deliver/fsops.h"
#include "kaohe/deliver.h"

#define STAGING_MARK ".kaohe-staging-"
#define ASIDE_MARK ".kaohe-old-"
/* Staging folders of the layout before folders were swapped whole: inside
 * the target. A commit leaves them behind in the old folder. */
#define INNER_STAGING_PREFIX ".kaohe-staging-"

struct kh_outdir {
  char *target;   /* the folder published (a link's target resolved) */
  char *parent;
  char *name;     /* target's last component */
  char *staging;
  char *old;      /* where the replaced folder is after the commit, or NULL */
  char *created;  /* the outermost folder begin made, or NULL */
  bool committed;
};

/* PARENT/.NAME<mark> */
static char *beside(const kh_outdir *o, const char *mark) {
  char *base = g_strdup_printf(".%s%s", o->name, mark);
  char *path = g_build_filename(o->parent, base, NULL);
  g_free(base);
  return path;
}

/* A fallback commit killed between its two renames left the old folder
 * aside and no target: it goes back. With a target in place, an old folder
 * aside is what a killed run did not get to remove. */
static void recover_aside(const kh_outdir *o) {
  char *prefix = g_strdup_printf(".%s" ASIDE_MARK, o->name);
  GDir *d = g_dir_open(o->parent, 0, NULL);
  const char *entry;
  GStatBuf st;
  while (d && (entry = g_dir_read_name(d))) {
    if (!g_str_has_prefix(entry, prefix) || kh_fs_owner_alive(entry + strlen(prefix)))
      continue;
    char *path = g_build_filename(o->parent, entry, NULL);
    if (g_lstat(o->target, &st) != 0)
      g_rename(path, o->target);
    g_free(path);
  }
  if (d)
    g_dir_close(d);
  kh_fs_remove_stale_staging(o->parent, prefix);
  g_free(prefix);
}

kh_outdir *kh_outdir_begin(const char *target, kh_diags *diags) {
  kh_outdir *o = g_new0(kh_outdir, 1);
  /* A link stands for its folder, and "." or "dir/.." need a name to be
   * swapped: those are taken by their real path. */
  GStatBuf st;
  char *base = g_path_get_basename(target);
  bool dots = strcmp(base, ".") == 0 || strcmp(base, "..") == 0;
  g_free(base);
  char *real = dots || (g_lstat(target, &st) == 0 && S_ISLNK(st.st_mode))
                   ? realpath(target, NULL) : NULL;
  o->target = real ? g_strdup(real) : g_strdup(target);
  free(real);
  /* A trailing slash would make the last component empty. */
  while (strlen(o->target) > 1 && g_str_has_suffix(o->target, G_DIR_SEPARATOR_S))
    o->target[strlen(o->target) - 1] = '\0';
  o->parent = g_path_get_dirname(o->target);
  o->name = g_path_get_basename(o->target);
  recover_aside(o);
  o->created = kh_fs_first_missing(o->target);
  if (g_mkdir_with_parents(o->target, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法创建输出目录: %s", g_strerror(errno));
    kh_outdir_free(o);
    return NULL;
  }
  /* A run killed before its commit leaves its staging folder behind: the
   * next run for the same target removes it (its PID is in the name). */
  char *stale = g_strdup_printf(".%s" STAGING_MARK, o->name);
  kh_fs_remove_stale_staging(o->parent, stale);
  g_free(stale);
  char *mark = g_strdup_printf(STAGING_MARK "%ld-XXXXXX", (long)getpid());
  char *tmpl = beside(o, mark);
  g_free(mark);
  if (!g_mkdtemp(tmpl)) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法在输出目录旁写入: %s",
                 g_strerror(errno));
    g_free(tmpl);
    kh_outdir_free(o);
    return NULL;
  }
  o->staging = tmpl;
  return o;
}

const char *kh_outdir_staging(const kh_outdir *o) { return o->staging; }
const char *kh_outdir_target(const kh_outdir *o) { return o->target; }

/* Carries what the old folder holds and the new one does not into it. */
static bool carry_over(const kh_outdir *o, kh_diags *diags) {
  GError *err = NULL;
  GDir *d = g_dir_open(o->target, 0, &err);
  if (!d) {
    kh_diags_add(diags, KH_ERROR, o->target, 1, 1, NULL, "无法读取原输出目录: %s", err->message);
    g_error_free(err);
    return false;
  }
  bool ok = true;
  const char *entry;
  GStatBuf st;
  while (ok && (entry = g_dir_read_name(d))) {
    char *to = g_build_filename(o->staging, entry, NULL);
    /* Not the staging folders of this layout or the one before. */
    bool staging = g_str_has_prefix(entry, INNER_STAGING_PREFIX) ||
                   strstr(entry, STAGING_MARK) || strstr(entry, ASIDE_MARK);
    if (!staging && g_lstat(to, &st) != 0) {
      char *from = g_build_filename(o->target, entry, NULL);
      ok = kh_fs_link_tree(from, to, &err);
      if (!ok) {
        kh_diags_add(diags, KH_ERROR, from, 1, 1, NULL, "无法保留原输出目录中的文件: %s",
                     err->message);
        g_clear_error(&err);
      }
      g_free(from);
    }
    g_free(to);
  }
  g_dir_close(d);
  return ok;
}

/* An exclusive lock on the old folder's delivery log, so that no `kaohe
 * mail` sends from it while it is replaced: the fd to close after the
 * swap, -1 when there is no log, -2 (with a diag) when it is in use. */
static int lock_mail_log(const kh_outdir *o, kh_diags *diags) {
  char *path = g_build_filename(o->target, KH_MAIL_LOG_NAME, NULL);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "kaohe mail 正在用这个目录发送邮件：等它结束后再运行，未做任何改动");
    close(fd);
    fd = -2;
  }
  g_free(path);
  return fd;
}

/* The staging folder takes target's place; afterwards the old folder (if
 * any) is at o->old, for kh_outdir_free() to remove. */
static bool swap_in(kh_outdir *o, kh_diags *diags) {
  if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE) == 0) {
    o->old = g_strdup(o->staging);
    return true;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    kh_diags_add(diags, KH_ERROR, o->target, 1, 1, NULL, "无法替换输出目录: %s",
                 g_strerror(errno));
    return false;
  }
  /* No exchange here: old aside, new in, and the old back if that fails. */
  char *mark = g_strdup_printf(ASIDE_MARK "%ld-%d", (long)getpid(), g_random_int_range(0, 1 << 30));
  char *aside = beside(o, mark);
  g_free(mark);
  bool ok = g_rename(o->target, aside) == 0;
  int e = errno;
  if (ok && g_rename(o->staging, o->target) != 0) {
    e = errno;
    g_rename(aside, o->target);
    ok = false;
  }
  if (ok) {
    o->old = aside;
  } else {
    kh_diags_add(diags, KH_ERROR, o->target, 1, 1, NULL, "无法替换输出目录: %s", g_strerror(e));
    g_free(aside);
  }
  return ok;
}

/* Whether target is the current folder or /, which cannot be replaced whole
 * (a shell would be left in a removed folder). */
static bool irreplaceable(const kh_outdir *o) {
  char *real = realpath(o->target, NULL);
  char *cwd = g_get_current_dir();
  bool is = real && (strcmp(real, "/") == 0 || strcmp(real, cwd) == 0);
  free(real);
  g_free(cwd);
  return is;
}

bool kh_outdir_commit(kh_outdir *o, kh_diags *diags) {
  if (irreplaceable(o)) {
    kh_diags_add(diags, KH_ERROR, o->target, 1, 1, NULL,
                 "输出目录会被整个替换，不能是当前目录或根目录：请用 -o 指定一个子目录");
    return false;
  }
  int lock = lock_mail_log(o, diags);
  bool ok = lock != -2 && carry_over(o, diags);
  GError *err = NULL;
  if (ok && !kh_fs_sync_folder_files(o->staging, &err)) {
    kh_diags_add(diags, KH_ERROR, o->target, 1, 1, NULL, "无法把输出写到磁盘: %s", err->message);
    g_clear_error(&err);
    ok = false;
  }
  ok = ok && swap_in(o, diags);
  if (ok && !kh_fs_sync(o->parent, &err)) {
    kh_diags_add(diags, KH_WARNING, o->target, 1, 1, NULL,
                 "输出目录已放到位，但所在目录未能同步到磁盘：%s", err->message);
    g_clear_error(&err);
  }
  if (lock >= 0)
    close(lock);
  o->committed = ok;
  return ok;
}

void kh_outdir_unstage_diags(const kh_outdir *o, kh_diags *diags) {
  kh_diags_move_files(diags, o->staging, o->target);
}

void kh_outdir_free(kh_outdir *o) {
  if (!o)
    return;
  if (o->staging)
    kh_fs_remove_tree(o->staging); /* after an exchange: the old folder */
  if (o->old)
    kh_fs_remove_tree(o->old);
  if (!o->committed)
    kh_fs_remove_created(o->target, o->created);
  g_free(o->created);
  g_free(o->staging);
  g_free(o->old);
  g_free(o->target);
  g_free(o->parent);
  g_free(o->name);
  g_free(o);
}
