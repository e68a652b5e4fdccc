/* Syncing and removing folder trees, and clearing killed runs' staging
 * folders (fsops.h). */
#include "deliver/fsops.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

static void set_errno_error(GError **err, const char *what, const char *path,
                            int code) {
  g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(code), "%s %s: %s",
              what, path, g_strerror(code));
}

bool kh_fs_sync(const char *path, GError **err) {
  int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    set_errno_error(err, "cannot open", path, errno);
    return false;
  }
  /* Some file systems refuse fsync on a folder (EINVAL): nothing to flush. */
  bool ok = fsync(fd) == 0 || errno == EINVAL;
  if (!ok)
    set_errno_error(err, "cannot sync", path, errno);
  close(fd);
  return ok;
}

bool kh_fs_sync_tree(const char *dir, GError **err) {
  GDir *d = g_dir_open(dir, 0, err);
  if (!d)
    return false;
  bool ok = true;
  const char *name;
  while (ok && (name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    GStatBuf st;
    if (g_lstat(path, &st) != 0) {
      set_errno_error(err, "cannot stat", path, errno);
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      ok = kh_fs_sync_tree(path, err);
    } else if (S_ISREG(st.st_mode)) {
      ok = kh_fs_sync(path, err);
    }
    g_free(path);
  }
  g_dir_close(d);
  return ok && kh_fs_sync(dir, err);
}

void kh_fs_remove_tree(const char *path) {
  GStatBuf st;
  if (g_lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
      char *child = g_build_filename(path, name, NULL);
      kh_fs_remove_tree(child);
      g_free(child);
    }
    if (d)
      g_dir_close(d);
    g_rmdir(path);
  } else {
    g_unlink(path);
  }
}

/* Whether the run that made a staging folder called PREFIX<pid>-XXXXXX is
 * still alive; unparsable names count as alive, so they are left alone. */
static bool staging_owner_alive(const char *suffix) {
  char *end;
  errno = 0;
  long pid = strtol(suffix, &end, 10);
  if (errno || end == suffix || *end != '-' || pid <= 0)
    return true;
  return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

void kh_fs_remove_stale_staging(const char *parent, const char *prefix) {
  GDir *d = g_dir_open(parent, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    if (g_str_has_prefix(name, prefix) && !staging_owner_alive(name + strlen(prefix))) {
      char *path = g_build_filename(parent, name, NULL);
      kh_fs_remove_tree(path);
      g_free(path);
    }
  }
  if (d)
    g_dir_close(d);
}

char *kh_fs_first_missing(const char *path) {
  GStatBuf st;
  if (g_lstat(path, &st) == 0)
    return NULL;
  char *missing = g_strdup(path);
  for (;;) {
    char *up = g_path_get_dirname(missing);
    if (strcmp(up, missing) == 0 || g_lstat(up, &st) == 0) {
      g_free(up);
      return missing;
    }
    g_free(missing);
    missing = up;
  }
}

void kh_fs_remove_created(const char *path, const char *first_missing) {
  if (!first_missing)
    return;
  char *dir = g_strdup(path);
  while (g_rmdir(dir) == 0 && strcmp(dir, first_missing) != 0) {
    char *up = g_path_get_dirname(dir);
    bool top = strcmp(up, dir) == 0;
    g_free(dir);
    dir = up;
    if (top)
      break;
  }
  g_free(dir);
}
