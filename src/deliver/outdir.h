/* A month's output folder published all at once (used by `kaohe month` and
 * `kaohe mail --eml`; the quarterly archive has its own, stricter rules in
 * archive.c): documents are rendered into a staging folder beside the
 * target, and the finished folder takes the target's place in one rename.
 * A reader, a failure or a kill at any moment leaves the old folder or the
 * new one, never a mixture. */
#ifndef KAOHE_DELIVER_OUTDIR_H
#define KAOHE_DELIVER_OUTDIR_H

#include <stdbool.h>
#include "kaohe/diag.h"

typedef struct kh_outdir kh_outdir;

/* Creates target (and its parents) and a fresh staging folder beside it
 * (PARENT/.NAME.kaohe-staging-PID-XXXXXX), after clearing what killed runs
 * for the same target left there (their staging folders; an old folder a
 * killed fallback commit had moved aside goes back to its place). A
 * symbolic link, ".", or a path ending in ".." is taken by its real path (a
 * link stands for the folder it points to). Returns NULL with a diag when
 * either cannot be made. Caller frees with kh_outdir_free(). */
kh_outdir *kh_outdir_begin(const char *target, kh_diags *diags);
const char *kh_outdir_staging(const kh_outdir *o);
const char *kh_outdir_target(const kh_outdir *o);

/* Publishes the staging folder as target. What the old target holds that
 * this run did not make (the delivery log, the written mails, anything
 * else) is first carried into the staging folder, as hard links where the
 * file system allows; then everything is synced, and the staging folder
 * swaps places with the old target in one renameat2(RENAME_EXCHANGE) (a
 * file system that refuses it, as NFS and CIFS do: the old folder is
 * renamed aside, the new one in, and only then the old one removed). The
 * delivery log is locked meanwhile: while a `kaohe mail` sends from the old
 * folder, the commit is refused, and so it is when target is the current
 * folder or / (replaced whole, it would leave a shell in a removed folder).
 * On failure target is as it was. */
bool kh_outdir_commit(kh_outdir *o, kh_diags *diags);

/* Makes the diagnostics about staged files name the files' places in the
 * target instead (the staging folder is gone once the run ends). */
void kh_outdir_unstage_diags(const kh_outdir *o, kh_diags *diags);

/* Removes what is left of the staging folder (after a commit: the old
 * folder) and frees o; without a successful commit, also the folders begin
 * created, while empty (a failed run leaves no empty output folder
 * behind). NULL-safe. */
void kh_outdir_free(kh_outdir *o);

#endif
