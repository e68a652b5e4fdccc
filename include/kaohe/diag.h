/* Diagnostics: every problem a run finds, with its place in the input.
 *
 * Library code never prints: it appends to a kh_diags list and returns a
 * status; only the CLI prints the list (FILE:LINE:COL: error: MESSAGE, then
 * the offending line and a caret) and chooses the exit code. */
#ifndef KAOHE_DIAG_H
#define KAOHE_DIAG_H

#include <stdbool.h>
#include <glib.h>

typedef enum { KH_WARNING, KH_ERROR } kh_severity;

typedef struct {
  kh_severity severity;
  char *file;        /* path as given to the loader; never NULL ("kaohe"
                        for a problem of the run rather than of a file) */
  int line;          /* 1-based; 0 for "kaohe" (no place to point at) */
  int col;           /* 1-based, in characters, not bytes; 0 with line 0 */
  char *message;     /* UTF-8, no trailing newline */
  char *source_line; /* the offending line (UTF-8, no newline) or NULL */
} kh_diag;

typedef struct {
  GPtrArray *items; /* of kh_diag*, in the order they were found */
  int n_errors;
  int n_warnings;
} kh_diags;

/* Caller frees with kh_diags_free(). */
kh_diags *kh_diags_new(void);
void kh_diags_free(kh_diags *d); /* NULL-safe */

/* Appends one diagnostic; copies every string. source_line may be NULL.
 * file NULL: a problem of the run itself (a refused mail, a lost
 * connection), reported as "kaohe: error: MESSAGE" without a place. */
void kh_diags_add(kh_diags *d, kh_severity sev, const char *file, int line,
                  int col, const char *source_line, const char *fmt, ...)
    G_GNUC_PRINTF(7, 8);

/* Appends copies of from's diagnostics to `to`, in their order, places
 * unchanged, and its counts, including those of the diagnostics from
 * counted but did not keep: how a thread's or a file's own list joins the
 * run's. */
void kh_diags_append(kh_diags *to, const kh_diags *from);

/* Rewrites the file of every diagnostic under folder `from` to the same
 * place under `to`: messages about documents rendered into a staging folder
 * then name where the document was meant to go. */
void kh_diags_move_files(kh_diags *d, const char *from, const char *to);

/* Formats one diagnostic as "FILE:LINE:COL: error: MESSAGE" ("kaohe:
 * error: MESSAGE" without a file) followed, when source_line is known, by
 * the line and a caret under column COL (placed by display width, so it
 * sits under Chinese text correctly). Of a long line only a window of
 * characters around COL is shown, with "…" where it was cut; control
 * characters show as spaces. Linear in the line's length. Caller frees
 * with g_free(). */
char *kh_diag_format(const kh_diag *diag);

/* message with a trailing system error (strerror's English, as GLib and
 * errno report it) said in Chinese first and kept in parentheses, for a
 * person to read (src/common/system_words.c); otherwise a copy. Caller
 * frees with g_free(). */
char *kh_explain_system_words(const char *message);

#endif
