/* The horizontal bar chart (chart.h). */
#include "render/layout/chart.h"

#include <math.h>

#include "kaohe/render.h"
#include "render/layout/text.h"

#define LABEL_SIZE 10.5 /* 五号, as figures in official documents */
#define VALUE_SIZE 9.0
#define NOTE_SIZE 10.5
#define GAP 6.0          /* pt between labels, bars and value labels */
#define LABEL_MAX 10     /* characters: longer labels are shortened */
#define AXIS_H 22.0      /* the axis and its tick labels */
#define BAR_COLOR ((kh_rgb){0.26, 0.42, 0.66})
#define GRID_COLOR ((kh_rgb){0.78, 0.78, 0.78})

/* The bars shown: all, or the first and last KH_CHART_END_BARS with a gap
 * (index -1) between. Caller frees with g_array_unref(). */
static GArray *shown_bars(const kh_chart *ch) {
  GArray *idx = g_array_new(FALSE, FALSE, sizeof(int));
  int n = (int)ch->values->len;
  for (int i = 0; i < n; i++) {
    if (n > KH_CHART_MAX_BARS && i == KH_CHART_END_BARS) {
      int gap = -1;
      g_array_append_val(idx, gap);
      i = n - KH_CHART_END_BARS;
    }
    g_array_append_val(idx, i);
  }
  return idx;
}

int kh_chart_rows(const kh_chart *ch) {
  int n = (int)ch->values->len;
  return n > KH_CHART_MAX_BARS ? 2 * KH_CHART_END_BARS + 1 : n;
}

double kh_chart_pitch(const kh_chart *ch) { return kh_chart_rows(ch) <= 20 ? 14.0 : 12.0; }

/* The note under the chart: the shortening, then the caller's note. */
static char *note_text(const kh_chart *ch) {
  GString *s = g_string_new(NULL);
  int n = (int)ch->values->len;
  if (n > KH_CHART_MAX_BARS)
    g_string_append_printf(s, "注：共%d个单位，图中列出前%d位和后%d位，其余从略。", n,
                           KH_CHART_END_BARS, KH_CHART_END_BARS);
  if (ch->note && *ch->note) {
    if (s->len)
      g_string_append_c(s, '\n');
    g_string_append(s, ch->note);
  }
  return g_string_free(s, s->len == 0);
}

static kh_para *note_para(const kh_chart *ch, const kh_fontset *fs) {
  char *text = note_text(ch);
  if (!text)
    return NULL;
  kh_para *p = kh_para_new(fs, NOTE_SIZE, 0);
  kh_para_add(p, KH_FACE_BODY, text);
  g_free(text);
  return p;
}

double kh_chart_height(const kh_chart *ch, const kh_fontset *fs, double width,
                       double pitch) {
  double h = GAP + kh_chart_rows(ch) * pitch + AXIS_H;
  kh_para *note = note_para(ch, fs);
  if (note) {
    GArray *lines = kh_para_wrap(note, width, width);
    h += lines->len * NOTE_SIZE * 1.5 + GAP;
    g_array_unref(lines);
    kh_para_free(note);
  }
  return h;
}

/* The label, shortened to LABEL_MAX characters. Caller frees. */
static char *label_at(const kh_chart *ch, int i) {
  const char *l = g_ptr_array_index(ch->labels, i);
  if (!l)
    return g_strdup("");
  if (g_utf8_strlen(l, -1) <= LABEL_MAX)
    return g_strdup(l);
  char *cut = g_utf8_substring(l, 0, LABEL_MAX - 1);
  char *s = g_strconcat(cut, "…", NULL);
  g_free(cut);
  return s;
}

/* A round step giving about five intervals up to max. */
static double nice_step(double max) {
  double raw = max / 5;
  double mag = pow(10, floor(log10(raw)));
  double f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static double axis_max(const kh_chart *ch) {
  if (isfinite(ch->max_value) && ch->max_value > 0)
    return ch->max_value;
  double m = 0;
  for (guint i = 0; i < ch->values->len; i++) {
    double v = g_array_index(ch->values, double, i);
    if (isfinite(v) && v > m)
      m = v;
  }
  return m > 0 ? m : 1;
}

void kh_chart_draw(const kh_chart *ch, const kh_fontset *fs, kh_canvas *c,
                   kh_page *pg, double x, double top, double width, double pitch) {
  GArray *bars = shown_bars(ch);
  int rows = (int)bars->len;
  double label_w = 0;
  for (int r = 0; r < rows; r++) {
    int i = g_array_index(bars, int, r);
    if (i < 0)
      continue;
    char *l = label_at(ch, i);
    double w = kh_text_width(fs, KH_FACE_BODY, LABEL_SIZE, 0, l);
    if (w > label_w)
      label_w = w;
    g_free(l);
  }
  double value_w = kh_text_width(fs, KH_FACE_BODY, VALUE_SIZE, 0, "100.00") + GAP;
  double x0 = x + label_w + GAP, x1 = x + width - value_w;
  double max = axis_max(ch);
  double scale = (x1 - x0) / max;
  double plot_top = top - GAP, plot_bottom = plot_top - rows * pitch;
  double asc = kh_fontset_ascent(fs, KH_FACE_BODY);

  double step = nice_step(max);
  for (int k = 0; k * step <= max * (1 + 1e-9); k++) {
    double v = k * step, gx = x0 + v * scale;
    if (k > 0)
      kh_canvas_line(c, pg, gx, plot_top, gx, plot_bottom, 0.5, GRID_COLOR);
    kh_canvas_line(c, pg, gx, plot_bottom, gx, plot_bottom - 3, 0.75, KH_BLACK);
    char *t = kh_fmt_number(v, 2);
    double tw = kh_text_width(fs, KH_FACE_BODY, VALUE_SIZE, 0, t);
    kh_canvas_text(c, pg, KH_FACE_BODY, VALUE_SIZE, 0, 100, KH_BLACK, gx - tw / 2,
                   plot_bottom - 5 - asc * VALUE_SIZE, false, t);
    g_free(t);
  }

  for (int r = 0; r < rows; r++) {
    int i = g_array_index(bars, int, r);
    double mid = plot_top - (r + 0.5) * pitch;
    if (i < 0) {
      kh_canvas_text(c, pg, KH_FACE_BODY, LABEL_SIZE, 0, 100, KH_BLACK, x0 + GAP,
                     mid - LABEL_SIZE * 0.35, false, "……");
      continue;
    }
    char *l = label_at(ch, i);
    double lw = kh_text_width(fs, KH_FACE_BODY, LABEL_SIZE, 0, l);
    kh_canvas_text(c, pg, KH_FACE_BODY, LABEL_SIZE, 0, 100, KH_BLACK, x0 - GAP - lw,
                   mid - LABEL_SIZE * 0.35, false, l);
    g_free(l);
    double v = g_array_index(ch->values, double, i);
    double shown = isfinite(v) ? (v < 0 ? 0 : v > max ? max : v) : 0;
    double bh = pitch * 0.6;
    if (shown > 0)
      kh_canvas_rect(c, pg, x0, mid - bh / 2, shown * scale, bh, BAR_COLOR);
    char *vt = kh_fmt_number(v, 2);
    kh_canvas_text(c, pg, KH_FACE_BODY, VALUE_SIZE, 0, 100, KH_BLACK,
                   x0 + shown * scale + 3, mid - VALUE_SIZE * 0.35, false, vt);
    g_free(vt);
  }
  kh_canvas_line(c, pg, x0, plot_top, x0, plot_bottom, 0.75, KH_BLACK);
  kh_canvas_line(c, pg, x0, plot_bottom, x0 + max * scale, plot_bottom, 0.75, KH_BLACK);
  g_array_unref(bars);

  kh_para *note = note_para(ch, fs);
  if (note) {
    GArray *lines = kh_para_wrap(note, width, width);
    double y = plot_bottom - AXIS_H - GAP - asc * NOTE_SIZE;
    for (guint k = 0; k < lines->len; k++, y -= NOTE_SIZE * 1.5) {
      kh_line *l = &g_array_index(lines, kh_line, k);
      kh_para_draw_line(note, l, c, pg, x + (width - l->width) / 2, y, width, false, KH_BLACK);
    }
    g_array_unref(lines);
    kh_para_free(note);
  }
}
