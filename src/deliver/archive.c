/* The quarterly archive: a folder of documents published all at once
 * (deliver.h, docs/reference/outputs.md and §8 `quarter`).
 *
 * Crash and kill safety comes from staging + rename. Renderers write into
 * PARENT/.NAME.staging-PID-XXXXXX, a hidden sibling of the target on the
 * same file system; commit checks, checksums and fsyncs everything there
 * and then renames the folder to NAME, which the kernel does atomically. A
 * run killed before that rename leaves only its staging folder, which no
 * reader takes for the archive and which the next run for the same target
 * removes once the PID in its name is no longer running. With force, the
 * old archive is renamed aside (NAME.replaced-TIME) before the new one is
 * renamed in: a kill between the two leaves the old one kept aside and the
 * new one staged, never a mixture. rename() also refuses to put a folder
 * over a non-empty one, so a second run racing this one cannot be
 * overwritten by it. */
#include "kaohe/deliver.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "deliver/fsops.h"
#include "deliver/manifest.h"

struct kh_archive {
  char *target;  /* as given */
  char *parent;  /* its folder */
  char *staging; /* the hidden sibling being filled */
  char *created; /* the outermost folder begin made for parent, or NULL */
  bool force;
};

static char *staging_prefix(const char *target) {
  char *base = g_path_get_basename(target);
  char *prefix = g_strdup_printf(".%s.staging-", base);
  g_free(base);
  return prefix;
}

static void archive_free(kh_archive *a) {
  g_free(a->target);
  g_free(a->parent);
  g_free(a->staging);
  g_free(a->created);
  g_free(a);
}

/* A run that publishes nothing leaves no folder of its own behind. */
static void archive_discard(kh_archive *a) {
  kh_fs_remove_tree(a->staging);
  kh_fs_remove_created(a->parent, a->created);
  archive_free(a);
}

/* path without trailing separators ("archive/2013Q3/" is archive/2013Q3,
 * whose parent is archive); "/" stays. Caller frees with g_free(). */
static char *without_trailing_separators(const char *path) {
  char *clean = g_strdup(path);
  for (size_t n = strlen(clean); n > 1 && G_IS_DIR_SEPARATOR(clean[n - 1]); n--)
    clean[n - 1] = '\0';
  return clean;
}

bool kh_archive_check(const char *target_dir, bool force, kh_diags *diags) {
  char *base = g_path_get_basename(target_dir);
  bool named = strcmp(base, ".") != 0 && strcmp(base, "..") != 0 &&
               strcmp(base, G_DIR_SEPARATOR_S) != 0;
  g_free(base);
  if (!named) {
    kh_diags_add(diags, KH_ERROR, target_dir, 0, 0, NULL,
                 "存档需要一个独立的目录名，不能是 %s", target_dir);
    return false;
  }
  GStatBuf st;
  if (g_lstat(target_dir, &st) == 0) {
    if (force)
      return true;
    kh_diags_add(diags, KH_ERROR, target_dir, 0, 0, NULL,
                 "存档已存在，未做任何改动；如需替换请加 --force"
                 "（旧存档会改名保留在旁边）");
    return false;
  }
  if (errno != ENOENT && errno != ENOTDIR) {
    kh_diags_add(diags, KH_ERROR, target_dir, 0, 0, NULL, "无法访问：%s",
                 g_strerror(errno));
    return false;
  }
  /* The nearest existing ancestor must be a folder, or begin would fail
   * after the work was done. */
  char *clean = without_trailing_separators(target_dir);
  char *dir = g_path_get_dirname(clean);
  g_free(clean);
  bool ok = true;
  while (ok) {
    if (g_stat(dir, &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        kh_diags_add(diags, KH_ERROR, dir, 0, 0, NULL,
                     "不是目录，无法在其中建立存档 %s",
                     target_dir);
        ok = false;
      }
      break;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
      kh_diags_add(diags, KH_ERROR, dir, 0, 0, NULL, "无法访问：%s",
                   g_strerror(errno));
      ok = false;
      break;
    }
    char *up = g_path_get_dirname(dir);
    bool top = strcmp(up, dir) == 0;
    g_free(dir);
    dir = up;
    if (top)
      break;
  }
  g_free(dir);
  return ok;
}

kh_archive *kh_archive_begin(const char *target_dir, bool force,
                             kh_diags *diags) {
  if (!kh_archive_check(target_dir, force, diags))
    return NULL;
  kh_archive *a = g_new0(kh_archive, 1);
  a->target = without_trailing_separators(target_dir);
  a->parent = g_path_get_dirname(a->target);
  a->force = force;
  a->created = kh_fs_first_missing(a->parent);
  if (g_mkdir_with_parents(a->parent, 0777) != 0) {
    kh_diags_add(diags, KH_ERROR, a->parent, 0, 0, NULL,
                 "无法创建存档所在的目录：%s", g_strerror(errno));
    kh_fs_remove_created(a->parent, a->created);
    archive_free(a);
    return NULL;
  }
  char *prefix = staging_prefix(a->target);
  kh_fs_remove_stale_staging(a->parent, prefix);
  char *template = g_strdup_printf("%s%ld-XXXXXX", prefix, (long)getpid());
  a->staging = g_build_filename(a->parent, template, NULL);
  g_free(template);
  g_free(prefix);
  if (!g_mkdtemp_full(a->staging, 0777)) {
    kh_diags_add(diags, KH_ERROR, a->parent, 0, 0, NULL,
                 "无法创建存档的临时目录：%s",
                 g_strerror(errno));
    kh_fs_remove_created(a->parent, a->created);
    archive_free(a);
    return NULL;
  }
  return a;
}

const char *kh_archive_staging_dir(const kh_archive *a) {
  return a->staging;
}

void kh_archive_abort(kh_archive *a) {
  if (a)
    archive_discard(a);
}

/* Checks, checksums, verifies and syncs the staging folder. */
static bool seal(kh_archive *a, kh_diags *diags) {
  GPtrArray *names = kh_manifest_list(a->staging, a->target, diags);
  if (!names)
    return false;
  bool ok = true;
  for (guint i = 0; i < names->len; i++)
    ok &= kh_manifest_check_complete(a->staging, a->target,
                                     g_ptr_array_index(names, i), diags);
  char *manifest = ok ? kh_manifest_build(a->staging, a->target, names, diags) : NULL;
  g_ptr_array_unref(names);
  if (!manifest)
    return false;
  char *path = g_build_filename(a->staging, KH_ARCHIVE_MANIFEST, NULL);
  GError *err = NULL;
  ok = g_file_set_contents_full(path, manifest, -1, G_FILE_SET_CONTENTS_NONE,
                                0666, &err) &&
       kh_fs_sync_tree(a->staging, &err);
  g_free(path);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, a->target, 0, 0, NULL,
                 "无法写入存档：%s", err->message);
    g_error_free(err);
  } else {
    ok = kh_manifest_verify(a->staging, a->target, manifest, diags);
  }
  g_free(manifest);
  return ok;
}

/* A free name TARGET.replaced-YYYYMMDDTHHMMSS[-N] for the old archive. */
static char *replaced_name(const char *target) {
  GDateTime *now = g_date_time_new_now_local();
  char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%S");
  g_date_time_unref(now);
  char *name = g_strdup_printf("%s.replaced-%s", target, stamp);
  GStatBuf st;
  for (int n = 2; g_lstat(name, &st) == 0; n++) {
    g_free(name);
    name = g_strdup_printf("%s.replaced-%s-%d", target, stamp, n);
  }
  g_free(stamp);
  return name;
}

/* Renames the sealed staging folder into place, keeping an old archive
 * aside under force; sets *replaced to where it went. */
static bool publish(kh_archive *a, char **replaced, kh_diags *diags) {
  GStatBuf st;
  char *aside = NULL;
  if (g_lstat(a->target, &st) == 0) {
    if (!a->force) {
      kh_diags_add(diags, KH_ERROR, a->target, 0, 0, NULL,
                   "生成期间出现了同名存档，未做任何改动");
      return false;
    }
    aside = replaced_name(a->target);
    if (g_rename(a->target, aside) != 0) {
      kh_diags_add(diags, KH_ERROR, a->target, 0, 0, NULL,
                   "无法把旧存档改名为 %s：%s", aside,
                   g_strerror(errno));
      g_free(aside);
      return false;
    }
  }
  if (g_rename(a->staging, a->target) != 0) {
    int code = errno;
    kh_diags_add(diags, KH_ERROR, a->target, 0, 0, NULL,
                 "无法把存档放到位：%s", g_strerror(code));
    if (aside && g_rename(aside, a->target) != 0)
      kh_diags_add(diags, KH_ERROR, aside, 0, 0, NULL,
                   "旧存档未能改回原名，保存在这里：%s",
                   g_strerror(errno));
    g_free(aside);
    return false;
  }
  GError *err = NULL;
  if (!kh_fs_sync(a->parent, &err)) {
    kh_diags_add(diags, KH_WARNING, a->target, 0, 0, NULL,
                 "存档已放到位，但所在目录未能同步到磁盘：%s",
                 err->message);
    g_error_free(err);
  }
  if (replaced)
    *replaced = aside;
  else
    g_free(aside);
  return true;
}

bool kh_archive_commit(kh_archive *a, char **replaced, kh_diags *diags) {
  if (replaced)
    *replaced = NULL;
  bool ok = seal(a, diags) && publish(a, replaced, diags);
  if (ok)
    archive_free(a);
  else
    archive_discard(a);
  return ok;
}
