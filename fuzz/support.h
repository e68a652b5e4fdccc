/* What the libFuzzer harnesses share: a private scratch folder for the
 * harnesses that must hand the loader real files, the source tree's
 * location (for the sample county), and one routine that runs the whole
 * assess-and-render-scores pipeline on a clean dataset. */
#ifndef KAOHE_FUZZ_SUPPORT_H
#define KAOHE_FUZZ_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include "kaohe/kaohe.h"

/* The byte that separates the files packed into one fuzz input (ASCII
 * record separator): fuzz_dataset splits its input at it. */
#define KH_FUZZ_SEPARATOR '\x1e'

/* A folder of this process's own (made on first use, in /dev/shm when it
 * exists, removed at exit). Borrowed. */
const char *kh_fuzz_scratch(void);

/* Removes everything inside the scratch folder, keeping the folder. */
void kh_fuzz_scratch_clear(void);

/* Writes data[0..len) to the scratch folder's relative path rel, creating
 * its folders. Aborts on an I/O error: the harness itself is broken then. */
void kh_fuzz_write(const char *rel, const void *data, size_t len);

/* The kaohe source tree (KAOHE_SOURCE_DIR in the environment, else the
 * folder this harness was configured from). Borrowed. */
const char *kh_fuzz_source_dir(void);

/* For a dataset loaded without errors: checks and assesses every month
 * whose file is present, renders the scores as JSON, CSV and a table and
 * the notice's template context, and does the same for every quarter
 * (partial quarters allowed). */
void kh_fuzz_assess_all(const kh_dataset *ds);

#endif
