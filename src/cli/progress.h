/* A progress bar on stderr for long runs: shown only when stderr is a
 * terminal, silent otherwise (the man page, docs/kaohe.1.in). */
#ifndef KAOHE_CLI_PROGRESS_H
#define KAOHE_CLI_PROGRESS_H

typedef struct kh_progress kh_progress;

/* Caller frees with kh_progress_free(), which ends the line. */
kh_progress *kh_progress_new(const char *label, int total);
void kh_progress_step(kh_progress *p); /* not thread-safe: lock around it */
void kh_progress_free(kh_progress *p); /* NULL-safe */

#endif
