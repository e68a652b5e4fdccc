/* Progress on stderr when it is a terminal (progress.h). */
#include "cli/progress.h"
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <glib.h>

struct kh_progress {
  const char *label;
  int total, done;
  bool shown;
  gint64 started, last_drawn;
};

kh_progress *kh_progress_new(const char *label, int total) {
  kh_progress *p = g_new0(kh_progress, 1);
  p->label = label;
  p->total = total > 0 ? total : 1;
  p->shown = isatty(fileno(kh_cli_terminal()));
  p->started = g_get_monotonic_time();
  return p;
}

static void draw(kh_progress *p) {
  enum { WIDTH = 30 };
  int filled = p->done * WIDTH / p->total;
  double elapsed = (double)(g_get_monotonic_time() - p->started) / G_USEC_PER_SEC;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(seconds, sizeof seconds, "%.1f", elapsed);
  FILE *out = kh_cli_terminal();
  fprintf(out, "\r%s [%.*s%*s] %d/%d %ss", p->label, filled,
          "##############################", WIDTH - filled, "", p->done, p->total, seconds);
  fflush(out);
}

void kh_progress_step(kh_progress *p) {
  p->done++;
  if (!p->shown)
    return;
  gint64 now = g_get_monotonic_time();
  /* Redraw at most 20 times a second: drawing must not cost more than work. */
  if (now - p->last_drawn > 50000 || p->done == p->total) {
    p->last_drawn = now;
    draw(p);
  }
}

void kh_progress_free(kh_progress *p) {
  if (!p)
    return;
  if (p->shown && p->done > 0)
    fputc('\n', kh_cli_terminal());
  g_free(p);
}
