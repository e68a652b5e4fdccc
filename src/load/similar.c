/* Edit distance over characters (similar.h). */
#include "load/similar.h"

/* Names longer than this are compared on their first characters only:
 * headers and township names are short, and the table stays small. */
#define MAX_CHARS 64

static int to_chars(const char *s, gunichar *out) {
  int n = 0;
  for (const char *p = s; *p && n < MAX_CHARS; p = g_utf8_next_char(p))
    out[n++] = g_utf8_get_char(p);
  return n;
}

int kh_edit_distance(const char *a, const char *b, int cap) {
  gunichar x[MAX_CHARS], y[MAX_CHARS];
  int n = to_chars(a, x), m = to_chars(b, y);
  if (ABS(n - m) > cap)
    return cap + 1;
  int row[MAX_CHARS + 1];
  for (int j = 0; j <= m; j++)
    row[j] = j;
  for (int i = 1; i <= n; i++) {
    int diag = row[0], best = i;
    row[0] = i;
    for (int j = 1; j <= m; j++) {
      int up = row[j];
      int d = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + (x[i - 1] != y[j - 1]));
      diag = up;
      row[j] = d;
      best = MIN(best, d);
    }
    if (best > cap)
      return cap + 1;
  }
  return MIN(row[m], cap + 1);
}
