/* Small inline SVG line charts of monthly totals: a sparkline in the
 * ranking table and a chart with axes on a township's page. Coordinates are
 * printed with g_ascii_formatd, so no locale changes a byte. */
#include "render/web/web.h"

#include <math.h>

typedef struct {
  double width, height, left, right, top, bottom; /* plot margins */
} frame;

static void coord(GString *s, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.1f", v));
}

static double x_of(const frame *f, int i, int n) {
  double span = f->width - f->left - f->right;
  return f->left + (n > 1 ? span * i / (n - 1) : span / 2);
}

static double y_of(const frame *f, double v, double lo, double hi) {
  double span = f->height - f->top - f->bottom;
  double r = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return f->top + span * (1 - CLAMP(r, 0, 1));
}

char *kh_web_chart(const double *values, const int *labels, int n, double lo, double hi, bool large) {
  frame f = large ? (frame){480, 200, 36, 12, 12, 26} : (frame){120, 28, 3, 3, 3, 3};
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "<svg class=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\">",
                         large ? "chart" : "spark", (int)f.width, (int)f.height);
  if (large) {
    for (int k = 0; k <= 4; k++) { /* five grid lines from lo to hi */
      double v = lo + (hi - lo) * k / 4, y = y_of(&f, v, lo, hi);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append(s, "<line class=\"grid\" x1=\"");
      coord(s, f.left);
      g_string_append(s, "\" x2=\"");
      coord(s, f.width - f.right);
      g_string_append(s, "\" y1=\"");
      coord(s, y);
      g_string_append(s, "\" y2=\"");
      coord(s, y);
      g_string_append(s, "\"/><text class=\"axis\" text-anchor=\"end\" x=\"");
      coord(s, f.left - 4);
      g_string_append(s, "\" y=\"");
      coord(s, y + 4);
      g_string_append_printf(s, "\">%s</text>", g_ascii_formatd(buf, sizeof buf, "%.0f", v));
    }
    for (int i = 0; i < n; i++) {
      g_string_append(s, "<text class=\"axis\" text-anchor=\"middle\" x=\"");
      coord(s, x_of(&f, i, n));
      g_string_append(s, "\" y=\"");
      coord(s, f.height - 8);
      g_string_append_printf(s, "\">%d月</text>", labels[i]);
    }
  }
  /* One polyline per run of months with a value; a dot on each. */
  bool open = false;
  for (int i = 0; i < n; i++) {
    if (isnan(values[i])) {
      if (open)
        g_string_append(s, "\"/>");
      open = false;
      continue;
    }
    g_string_append(s, open ? " " : "<polyline class=\"line\" points=\"");
    open = true;
    coord(s, x_of(&f, i, n));
    g_string_append_c(s, ',');
    coord(s, y_of(&f, values[i], lo, hi));
  }
  if (open)
    g_string_append(s, "\"/>");
  for (int i = 0; i < n; i++) {
    if (isnan(values[i]))
      continue;
    g_string_append(s, "<circle class=\"dot\" r=\"");
    g_string_append(s, large ? "3" : "1.5");
    g_string_append(s, "\" cx=\"");
    coord(s, x_of(&f, i, n));
    g_string_append(s, "\" cy=\"");
    coord(s, y_of(&f, values[i], lo, hi));
    g_string_append(s, "\"/>");
  }
  g_string_append(s, "</svg>");
  return g_string_free(s, FALSE);
}
