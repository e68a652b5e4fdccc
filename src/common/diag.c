/* Diagnostics list and its one printed form (diag.h). */
#include "kaohe/diag.h"

#include <stdarg.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

static void diag_free(kh_diag *d) {
  g_free(d->file);
  g_free(d->message);
  g_free(d->source_line);
  g_free(d);
}

kh_diags *kh_diags_new(void) {
  kh_diags *d = g_new0(kh_diags, 1);
  d->items = g_ptr_array_new_with_free_func((GDestroyNotify)diag_free);
  return d;
}

void kh_diags_free(kh_diags *d) {
  if (!d)
    return;
  g_ptr_array_unref(d->items);
  g_free(d);
}

/* Diagnostics one list keeps at most. Past it they are still counted
 * (n_errors, n_warnings) but not stored, so a dataset of a million bad rows
 * cannot exhaust memory in its report; the CLI says how many it left out. */
#define KEPT_MAX 10000u

void kh_diags_add(kh_diags *d, kh_severity sev, const char *file, int line,
                  int col, const char *source_line, const char *fmt, ...) {
  if (sev == KH_ERROR)
    d->n_errors++;
  else
    d->n_warnings++;
  if (d->items->len >= KEPT_MAX)
    return;
  kh_diag *diag = g_new0(kh_diag, 1);
  diag->severity = sev;
  /* No file: a problem of the run, not of a place in some input. */
  diag->file = g_strdup(file ? file : "kaohe");
  diag->line = !file ? 0 : line > 0 ? line : 1;
  diag->col = !file ? 0 : col > 0 ? col : 1;
  va_list ap;
  va_start(ap, fmt);
  diag->message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  diag->source_line = g_strdup(source_line);
  g_ptr_array_add(d->items, diag);
}

void kh_diags_append(kh_diags *to, const kh_diags *from) {
  to->n_errors += from->n_errors;
  to->n_warnings += from->n_warnings;
  for (guint i = 0; i < from->items->len && to->items->len < KEPT_MAX; i++) {
    const kh_diag *d = g_ptr_array_index(from->items, i);
    kh_diag *copy = g_new(kh_diag, 1);
    *copy = *d;
    copy->file = g_strdup(d->file);
    copy->message = g_strdup(d->message);
    copy->source_line = g_strdup(d->source_line);
    g_ptr_array_add(to->items, copy);
  }
}

void kh_diags_move_files(kh_diags *d, const char *from, const char *to) {
  gsize n = strlen(from);
  for (guint i = 0; i < d->items->len; i++) {
    kh_diag *diag = g_ptr_array_index(d->items, i);
    if (strncmp(diag->file, from, n) == 0 &&
        (diag->file[n] == '\0' || diag->file[n] == G_DIR_SEPARATOR)) {
      char *moved = g_strconcat(to, diag->file + n, NULL);
      g_free(diag->file);
      diag->file = moved;
    }
  }
}

/* Characters of the offending line echoed before and after the column: a
 * line of 10 MB (within the limits) is shown as a window around it. */
#define WINDOW_BEFORE 160
#define WINDOW_AFTER 80
#define ELLIPSIS "…"

/* Display width of text[0, len), so the caret lands under the character
 * even after wide Chinese text. text is valid UTF-8. */
static int text_width(const char *text, size_t len) {
  int width = 0;
  const uint8_t *s = (const uint8_t *)text, *end = s + len;
  while (s < end) {
    ucs4_t uc;
    int n = u8_mbtouc(&uc, s, (size_t)(end - s));
    int w = uc_width(uc, "UTF-8");
    width += w > 0 ? w : 0;
    s += n > 0 ? n : 1;
  }
  return width;
}

/* The line as shown: control characters (tabs included) as spaces, so
 * they cannot move the caret or reach the terminal; invalid UTF-8 made
 * valid. */
static char *printable_line(const char *line) {
  char *valid = g_utf8_make_valid(line, -1);
  for (char *p = valid; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7F)
      *p = ' ';
  return valid;
}

/* Appends the window of line around character col (1-based) and the caret
 * line under it, in one pass over the line. */
static void append_excerpt(GString *s, const char *line, int col) {
  char *shown = printable_line(line);
  long caret = col > 0 ? col - 1 : 0;
  long first = MAX(0, caret - WINDOW_BEFORE), last = caret + WINDOW_AFTER;
  const char *start = shown, *at = NULL, *end = NULL, *p = shown;
  for (long k = 0; *p && !end; k++, p = g_utf8_next_char(p)) {
    if (k == first)
      start = p;
    if (k == caret)
      at = p;
    if (k == last)
      end = p;
  }
  if (!at)
    at = p; /* the column lies past the end: caret after the last character */
  if (start > at)
    start = at;
  bool cut_before = start > shown, cut_after = end && *end;
  if (!end)
    end = p;
  g_string_append_printf(s, "\n  %s%.*s%s\n  %*s^", cut_before ? ELLIPSIS : "",
                         (int)(end - start), start, cut_after ? ELLIPSIS : "",
                         (cut_before ? text_width(ELLIPSIS, strlen(ELLIPSIS)) : 0) +
                             text_width(start, (size_t)(at - start)),
                         "");
  g_free(shown);
}

char *kh_diag_format(const kh_diag *diag) {
  GString *s = g_string_new(NULL);
  const char *severity = diag->severity == KH_ERROR ? "error" : "warning";
  if (diag->line > 0)
    g_string_append_printf(s, "%s:%d:%d: %s: %s", diag->file, diag->line, diag->col, severity,
                           diag->message);
  else
    g_string_append_printf(s, "%s: %s: %s", diag->file, severity, diag->message);
  if (diag->source_line)
    append_excerpt(s, diag->source_line, diag->col);
  return g_string_free(s, FALSE);
}
