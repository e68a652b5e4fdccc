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
  diag->file = g_strdup(file ? file : "kaohe");
  diag->line = line > 0 ? line : 1;
  diag->col = col > 0 ? col : 1;
  va_list ap;
  va_start(ap, fmt);
  diag->message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  diag->source_line = g_strdup(source_line);
  g_ptr_array_add(d->items, diag);
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

/* Display width of the first n_chars characters of a UTF-8 line, so the
 * caret lands under the character even after wide Chinese text. Invalid
 * UTF-8 counts one column per byte. */
static int prefix_width(const char *line, int n_chars) {
  int width = 0;
  const uint8_t *s = (const uint8_t *)line;
  for (int i = 0; i < n_chars && *s; i++) {
    ucs4_t uc;
    int len = u8_mbtouc(&uc, s, u8_strlen(s));
    int w = uc == '\t' ? 1 : uc_width(uc, "UTF-8");
    width += w > 0 ? w : (uc < 0x20 ? 1 : 0);
    s += len > 0 ? len : 1;
  }
  return width;
}

char *kh_diag_format(const kh_diag *diag) {
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "%s:%d:%d: %s: %s", diag->file, diag->line,
                         diag->col,
                         diag->severity == KH_ERROR ? "error" : "warning",
                         diag->message);
  if (diag->source_line) {
    GString *shown = g_string_new(NULL);
    /* Tabs and control bytes would move the caret: show them as spaces. */
    for (const char *p = diag->source_line; *p; p++)
      g_string_append_c(shown, (unsigned char)*p < 0x20 ? ' ' : *p);
    if (!g_utf8_validate(shown->str, -1, NULL)) {
      char *valid = g_utf8_make_valid(shown->str, -1);
      g_string_assign(shown, valid);
      g_free(valid);
    }
    g_string_append_printf(s, "\n  %s\n  %*s^", shown->str,
                           prefix_width(shown->str, diag->col - 1), "");
    g_string_free(shown, TRUE);
  }
  return g_string_free(s, FALSE);
}
