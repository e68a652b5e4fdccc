/* A vector bar chart of (label, value) pairs (doc.h kh_chart).
 *
 * Horizontal bars, one per label in the order given (the caller sorts),
 * labels on the left in the body face, the value at each bar's end, an axis
 * from 0 to max_value with gridlines at round steps, and the chart's note
 * underneath. Horizontal bars keep Chinese labels upright and readable at
 * any count. With more than 40 pairs (a county has 12–30 townships, a
 * province-wide ranking may have 1,500) the chart shows the first 20 and
 * the last 20 with a "……" row between and says so in a note: the full
 * ranking belongs in a table (the attachment). A chart is never split
 * across pages. */
#ifndef KAOHE_RENDER_LAYOUT_CHART_H
#define KAOHE_RENDER_LAYOUT_CHART_H

#include "render/layout/canvas.h"
#include "render/layout/fonts.h"

#define KH_CHART_MAX_BARS 40
#define KH_CHART_END_BARS 20

#define KH_CHART_MIN_PITCH 11.0 /* pt between bars, the tightest still legible */

/* The rows the chart draws: its bars, or 2 × KH_CHART_END_BARS and a gap. */
int kh_chart_rows(const kh_chart *ch);
/* The natural distance between bars: 14 pt, 12 pt beyond 20 rows. A
 * chart may be set tighter (down to KH_CHART_MIN_PITCH) to fit the rest of
 * a page instead of leaving it empty. */
double kh_chart_pitch(const kh_chart *ch);

/* The chart's height at `width` with bars `pitch` apart, note included. */
double kh_chart_height(const kh_chart *ch, const kh_fontset *fs, double width,
                       double pitch);

/* Draws the chart with its top left corner at (x, top). */
void kh_chart_draw(const kh_chart *ch, const kh_fontset *fs, kh_canvas *c,
                   kh_page *pg, double x, double top, double width, double pitch);

#endif
