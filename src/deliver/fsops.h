/* File-system steps the archive and the month's output folder need and GLib
 * does not give: syncing a whole folder tree to disk, removing one, and
 * clearing the staging folders of killed runs. Internal to src/deliver. */
#ifndef KAOHE_DELIVER_FSOPS_H
#define KAOHE_DELIVER_FSOPS_H

#include <stdbool.h>
#include <glib.h>

/* fsyncs path, a file or a folder. On failure sets *err (errno's text). */
bool kh_fs_sync(const char *path, GError **err);

/* fsyncs every file and folder under dir, and dir itself. */
bool kh_fs_sync_tree(const char *dir, GError **err);

/* Makes everything written under dir durable with one syncfs() of its
 * file system (kh_fs_sync_tree() where there is none): for thousands of
 * files, one flush instead of an fsync each (1,500 workbooks on this
 * machine's disk: 0.1 s against 6.4 s). */
bool kh_fs_sync_folder_files(const char *dir, GError **err);

/* Removes path and, for a folder, everything under it; symbolic links are
 * removed, never followed. Best effort: what cannot be removed stays. */
void kh_fs_remove_tree(const char *path);

/* Removes the folders in parent named PREFIX<pid>-XXXXXX whose run (the
 * process pid) is no longer alive: what a killed run left behind. Names
 * that do not parse so are left alone. */
void kh_fs_remove_stale_staging(const char *parent, const char *prefix);

/* Whether the run that made a folder called PREFIX<pid>-XXXXXX (suffix is
 * what follows PREFIX) is still alive; unparsable names count as alive, so
 * they are left alone. */
bool kh_fs_owner_alive(const char *suffix);

/* Makes to a copy of the tree at from that shares its files: folders are
 * made anew, regular files hard-linked (copied where the file system has
 * no hard links), symbolic links copied as links, never followed. */
bool kh_fs_link_tree(const char *from, const char *to, GError **err);

/* The outermost folder that making path (with its parents) would create:
 * path itself or its highest missing ancestor; NULL when path exists.
 * Caller frees with g_free(). */
char *kh_fs_first_missing(const char *path);

/* Undoes what making path created when first_missing (from
 * kh_fs_first_missing(), NULL-safe) was missing: removes path and its
 * parents up to and including first_missing, each only while it is empty,
 * so a failed run leaves no folder of its own behind. */
void kh_fs_remove_created(const char *path, const char *first_missing);

#endif
