/* An archive's files and its SHA256SUMS manifest: listing the files,
 * checking each is complete, writing the manifest in sha256sum's format and
 * verifying the files against it. Internal to src/deliver.
 *
 * Every function reads the files under `dir` (the staging folder) and names
 * them in diagnostics under `shown_dir` (the archive's final path), which is
 * where the user will look for them. */
#ifndef KAOHE_DELIVER_MANIFEST_H
#define KAOHE_DELIVER_MANIFEST_H

#include <stdbool.h>
#include <glib.h>
#include "kaohe/diag.h"

/* The regular files under dir, as '/'-separated names relative to it,
 * sorted bytewise. Links, devices and the like, names sha256sum would
 * escape (a newline or backslash), the manifest's own name and an empty
 * folder tree are errors. Returns NULL after appending to diags, or an
 * array the caller frees with g_ptr_array_unref(). */
GPtrArray *kh_manifest_list(const char *dir, const char *shown_dir,
                            kh_diags *diags);

/* Checks that the file `name` is complete: not empty; a .pdf has %%EOF in
 * its last KiB; an .xlsx or .zip ends with a zip end-of-directory record.
 * Returns false after appending to diags. */
bool kh_manifest_check_complete(const char *dir, const char *shown_dir,
                                const char *name, kh_diags *diags);

/* SHA-256 of a file as 64 lowercase hex digits. Caller frees with g_free();
 * NULL and *err on a read error. */
char *kh_sha256_file(const char *path, GError **err);

/* The manifest text for names: "<hex>  <name>\n" each, in the given order.
 * Caller frees with g_free(); NULL after appending to diags. */
char *kh_manifest_build(const char *dir, const char *shown_dir,
                        GPtrArray *names, kh_diags *diags);

/* Reads the manifest file back from dir, checks it holds exactly `expected`,
 * then re-reads and re-hashes every file it lists. Appends an error for each
 * difference; returns whether there was none. */
bool kh_manifest_verify(const char *dir, const char *shown_dir,
                        const char *expected, kh_diags *diags);

#endif
