/* An output folder updated all at once: documents are rendered into a
 * staging folder inside it and moved into place only when every one of them
 * succeeded (used by `kaohe month`; the quarterly archive has its own,
 * stricter rules in archive.c). */
#ifndef KAOHE_DELIVER_OUTDIR_H
#define KAOHE_DELIVER_OUTDIR_H

#include <stdbool.h>
#include "kaohe/diag.h"

typedef struct kh_outdir kh_outdir;

/* Creates target (and its parents) and a fresh staging folder inside it
 * (TARGET/.kaohe-staging-PID-XXXXXX), after removing the staging folders
 * that killed runs left there.
 * Returns NULL with a diag when either cannot be made. Caller frees with
 * kh_outdir_free(). */
kh_outdir *kh_outdir_begin(const char *target, kh_diags *diags);
const char *kh_outdir_staging(const kh_outdir *o);
const char *kh_outdir_target(const kh_outdir *o);

/* Moves every staged file (and files one folder deep) into the target,
 * replacing documents of the same name; each move is an atomic rename.
 * Folders are made and every file's place checked before the first move,
 * so a commit that fails there changes no document. */
bool kh_outdir_commit(kh_outdir *o, kh_diags *diags);

/* Makes the diagnostics about staged files name the files' places in the
 * target instead (the staging folder is gone once the run ends). */
void kh_outdir_unstage_diags(const kh_outdir *o, kh_diags *diags);

/* Removes what is left of the staging folder and frees o; without a
 * successful commit, also the folders begin created (a failed run leaves
 * no empty output folder behind). NULL-safe. */
void kh_outdir_free(kh_outdir *o);

#endif
