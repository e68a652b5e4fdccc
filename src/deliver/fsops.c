/* Syncing and removing folder trees, and clearing killed runs' staging
 * folders (fsops.h). */
#define _GNU_SOURCE /* syncfs() */
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

bool kh_fs_sync_folder_files(const char *dir, GError **err) {
  int fd = g_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0) {
    set_errno_error(err, "cannot open", dir, errno);
    return false;
  }
  bool ok = syncfs(fd) == 0;
  int e = errno;
  close(fd);
  if (ok)
    return true;
  if (e != ENOSYS) {
    set_errno_error(err, "cannot sync", dir, e);
    return false;
  }
  return kh_fs_sync_tree(dir, err);
}

void kh_fs_remove_tree(const char *path) {
  GStatBuf st;
  if (g_lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    /* A folder made read-only (by hand: a locked 乡镇/) still goes. */
    if ((st.st_mode & 0700) != 0700)
      g_chmod(path, (st.st_mode & 07777) | 0700);
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

bool kh_fs_owner_alive(const char *suffix) {
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
    if (g_str_has_prefix(name, prefix) && !kh_fs_owner_alive(name + strlen(prefix))) {
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

/* A copy of the regular file from at to (mode 0666 less the umask). */
static bool copy_file(const char *from, const char *to, GError **err) {
  char *data = NULL;
  gsize len = 0;
  bool ok = g_file_get_contents(from, &data, &len, err) &&
            g_file_set_contents_full(to, data, (gssize)len, G_FILE_SET_CONTENTS_NONE, 0666, err);
  g_free(data);
  return ok;
}

bool kh_fs_link_tree(const char *from, const char *to, GError **err) {
  GStatBuf st;
  if (g_lstat(from, &st) != 0) {
    set_errno_error(err, "cannot stat", from, errno);
    return false;
  }
  if (S_ISLNK(st.st_mode)) {
    char *where = g_file_read_link(from, err);
    bool ok = where && symlink(where, to) == 0;
    if (where && !ok)
      set_errno_error(err, "cannot link", to, errno);
    g_free(where);
    return ok;
  }
  if (S_ISREG(st.st_mode)) {
    if (link(from, to) == 0)
      return true;
    return copy_file(from, to, err); /* a file system without hard links */
  }
  if (!S_ISDIR(st.st_mode))
    return true; /* sockets, pipes, devices: nothing a reader needs */
  if (g_mkdir(to, st.st_mode & 07777) != 0) {
    set_errno_error(err, "cannot create", to, errno);
    return false;
  }
  GDir *d = g_dir_open(from, 0, err);
  if (!d)
    return false;
  bool ok = true;
  const char *name;
  while (ok && (name = g_dir_read_name(d))) {
    char *a = g_build_filename(from, name, NULL);
    char *b = g_build_filename(to, name, NULL);
    ok = kh_fs_link_tree(a, b, err);
    g_free(a);
    g_free(b);
  }
  g_dir_close(d);
  return ok;
}
