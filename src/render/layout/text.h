/* Measuring text and breaking it into lines, the Chinese way.
 *
 * A paragraph is a sequence of characters, each in its face (runs of 仿宋,
 * 楷体, 黑体 mix in one paragraph), all at one size and character spacing.
 * Widths come from the fonts' advances (fonts.h), never from libharu's
 * MeasureText, whose byte count can fall inside a character.
 *
 * Break opportunities are UAX #14 as libunistring implements it, refined
 * by the 避头尾 rules of GB/T 9704 practice: no line starts with closing
 * punctuation (，。、；：？！）》」』】〕… % and the like) and none ends with
 * opening punctuation (（《「『【〔 and the like); Chinese quotation marks,
 * which UAX #14 glues to both neighbours, break like brackets. Numbers
 * (84.71%, 2013-09-15) and Latin words stay whole. Only when a single
 * unbreakable stretch is wider than the line is it cut between characters,
 * still never before closing punctuation. A "\n" in the text forces a
 * break. A line that would otherwise be spread wide (a long number in
 * brackets next) takes that piece in and sets its full-width punctuation
 * narrower instead, as typesetters do (标点挤压): each mark gives up to
 * half its width, the same share each. */
#ifndef KAOHE_RENDER_LAYOUT_TEXT_H
#define KAOHE_RENDER_LAYOUT_TEXT_H

#include "render/layout/canvas.h"
#include "render/layout/fonts.h"

typedef struct {
  gunichar uc;
  int face;
  double adv;     /* pt at the paragraph's size, character spacing included */
  bool can_break; /* a line may start with this character */
  bool forced;    /* a line must start with this character */
  /* Full-width punctuation that may lose half its width (标点挤压): +1 a
   * closing mark (its glyph on the left), -1 an opening one; 0 none. */
  signed char squeeze;
} kh_tchar;

typedef struct {
  const kh_fontset *fonts; /* borrowed */
  double size, char_space;
  GArray *chars; /* kh_tchar */
  bool analysed;
} kh_para;

/* One line: characters [start, end); width as set, without trailing
 * spaces. */
typedef struct {
  int start, end;
  double width;
  bool last;      /* ends the paragraph or a forced line: not justified */
  double squeeze; /* pt taken from its punctuation to make it fit */
} kh_line;

/* Caller frees with kh_para_free(). fonts is borrowed for the paragraph's
 * life. */
kh_para *kh_para_new(const kh_fontset *fonts, double size, double char_space);
void kh_para_free(kh_para *p); /* NULL-safe */

/* Appends UTF-8 text set in face. Control characters other than "\n" are
 * dropped, tabs become spaces. */
void kh_para_add(kh_para *p, int face, const char *text);
int kh_para_len(const kh_para *p);

/* Breaks greedily: the first line is first_width wide, the others width.
 * Returns a GArray of kh_line (empty for an empty paragraph); caller frees
 * with g_array_unref(). */
GArray *kh_para_wrap(kh_para *p, double first_width, double width);

/* Breaks into as few lines as greedy breaking needs, but balanced: the
 * lines are as equal as possible, the upper ones not shorter, and the
 * two characters of a common official-document word (工作, 情况, 人口…) are
 * kept together when that costs little. For titles. */
GArray *kh_para_wrap_balanced(kh_para *p, double width);

/* The widest stretch between two break opportunities: how narrow the
 * paragraph can be set without cutting a number or word. */
double kh_para_min_width(kh_para *p);

/* The width of characters [start, end). */
double kh_para_width(const kh_para *p, int start, int end);

/* Draws one line with its left end at x on baseline y. With justify, the
 * space left to `avail` is spread between the characters (up to a limit,
 * so a line cut short by a long number is not torn apart); a squeezed
 * line's punctuation is set narrower. */
void kh_para_draw_line(const kh_para *p, const kh_line *line, kh_canvas *c,
                       kh_page *pg, double x, double y, double avail,
                       bool justify, kh_rgb color);

/* The width of a one-line string in one face. */
double kh_text_width(const kh_fontset *fonts, int face, double size,
                     double char_space, const char *text);

#endif
