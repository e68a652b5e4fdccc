/* Measuring and line breaking with 避头尾 (text.h). */
#include "render/layout/text.h"

#include <string.h>
#include <unilbrk.h>

/* Tolerance for "fits": 28 characters on the grid fill the line exactly,
 * and rounding must not push the 28th to the next line. */
#define FIT_EPS 0.01

/* Characters that never start a line (避头). */
static const char closing_chars[] =
    "，。、；：？！）》」』】〕〗〉］｝”’…‥·％‰℃°′″～¨ˇˉ‖∶〃々"
    ",.;:?!)]}%";
/* Characters that never end a line (避尾). */
static const char opening_chars[] = "（《「『【〔〖〈［｛“‘￥￡([{$";

static bool in_set(const char *set, gunichar uc) {
  char buf[8];
  int n = g_unichar_to_utf8(uc, buf);
  buf[n] = '\0';
  return uc != 0 && strstr(set, buf) != NULL;
}

static bool is_closing(gunichar uc) { return in_set(closing_chars, uc); }
static bool is_opening(gunichar uc) { return in_set(opening_chars, uc); }

/* Full-width punctuation whose glyph fills half its box, so it can be set
 * half-width (标点挤压): closing marks keep their left half, opening marks
 * their right half. */
static const char squeeze_closing[] = "，。、；：）》」』】〕〗〉”’";
static const char squeeze_opening[] = "（《「『【〔〖〈“‘";
/* A line is squeezed only when breaking where it fits would leave this
 * many ems to spread. */
#define SQUEEZE_WORTH 1.5

kh_para *kh_para_new(const kh_fontset *fonts, double size, double char_space) {
  kh_para *p = g_new0(kh_para, 1);
  p->fonts = fonts;
  p->size = size;
  p->char_space = char_space;
  p->chars = g_array_new(FALSE, TRUE, sizeof(kh_tchar));
  return p;
}

void kh_para_free(kh_para *p) {
  if (!p)
    return;
  g_array_unref(p->chars);
  g_free(p);
}

int kh_para_len(const kh_para *p) { return (int)p->chars->len; }

static kh_tchar *ch(const kh_para *p, int i) {
  return &g_array_index(p->chars, kh_tchar, i);
}

void kh_para_add(kh_para *p, int face, const char *text) {
  if (!text)
    return;
  char *valid = g_utf8_make_valid(text, -1);
  for (const char *s = valid; *s; s = g_utf8_next_char(s)) {
    gunichar uc = g_utf8_get_char(s);
    if (uc == '\t')
      uc = ' ';
    if ((uc < 0x20 && uc != '\n') || uc == 0x7F)
      continue;
    kh_tchar c = {.uc = uc, .face = face};
    if (uc != '\n') {
      double glyph = kh_fontset_advance(p->fonts, face, uc) / 1000.0 * p->size;
      c.adv = glyph + p->char_space;
      if (glyph > 0.9 * p->size) /* full width in this face */
        c.squeeze = in_set(squeeze_closing, uc) ? 1 : in_set(squeeze_opening, uc) ? -1 : 0;
    }
    g_array_append_val(p->chars, c);
  }
  g_free(valid);
  p->analysed = false;
}

/* Sets can_break and forced: libunistring's UAX #14 opportunities, then
 * the 避头尾 refinements and numbers kept with their units. */
static void analyse(kh_para *p) {
  int n = kh_para_len(p);
  GString *s = g_string_new(NULL);
  int *offset = g_new(int, n + 1);
  for (int i = 0; i < n; i++) {
    offset[i] = (int)s->len;
    g_string_append_unichar(s, ch(p, i)->uc);
  }
  offset[n] = (int)s->len;
  char *brk = g_new0(char, s->len + 1);
  u8_possible_linebreaks((const uint8_t *)s->str, s->len, "UTF-8", brk);
  for (int i = 0; i < n; i++) {
    kh_tchar *c = ch(p, i);
    c->forced = i > 0 && ch(p, i - 1)->uc == '\n';
    c->can_break = c->forced || brk[offset[i]] == UC_BREAK_POSSIBLE;
    if (i == 0 || c->forced)
      continue;
    gunichar prev = ch(p, i - 1)->uc;
    /* Chinese quotes open and close like brackets. */
    if ((c->uc == 0x201C || c->uc == 0x2018) && g_unichar_iswide(prev))
      c->can_break = true;
    if ((prev == 0x201D || prev == 0x2019) && g_unichar_iswide(c->uc))
      c->can_break = true;
    if (is_closing(c->uc) || is_opening(prev) || c->uc == '\n')
      c->can_break = false;
    /* A number stays with the unit after it: 2013年, （10分）, 18.5个百分点
     * (UAX #14 would break before the ideograph). */
    if (g_unichar_isdigit(prev) && g_unichar_iswide(c->uc) && !is_opening(c->uc))
      c->can_break = false;
  }
  g_free(brk);
  g_free(offset);
  g_string_free(s, TRUE);
  p->analysed = true;
}

double kh_para_width(const kh_para *p, int start, int end) {
  double w = 0;
  for (int i = start; i < end; i++)
    w += ch(p, i)->adv;
  return w;
}

double kh_para_min_width(kh_para *p) {
  if (!p->analysed)
    analyse(p);
  double widest = 0, w = 0;
  for (int i = 0; i < kh_para_len(p); i++) {
    if (ch(p, i)->can_break)
      w = 0;
    if (ch(p, i)->uc != ' ')
      w += ch(p, i)->adv;
    if (w > widest)
      widest = w;
  }
  return widest;
}

/* What character i can give up: half its glyph when it is squeezable. */
static double squeezable(const kh_para *p, int i) {
  const kh_tchar *c = ch(p, i);
  return c->squeeze ? (c->adv - p->char_space) / 2 : 0;
}

/* End of characters [start, end) without trailing spaces. */
static int trimmed_end(const kh_para *p, int start, int end) {
  while (end > start && (ch(p, end - 1)->uc == ' ' || ch(p, end - 1)->uc == '\n'))
    end--;
  return end;
}

/* [start, end) as a line `avail` wide, squeezed to fit when it is wider
 * and its punctuation allows. */
static kh_line make_line(const kh_para *p, int start, int end, bool last, double avail) {
  int e = trimmed_end(p, start, end);
  double width = kh_para_width(p, start, e), room = 0;
  for (int i = start; width > avail + FIT_EPS && i < e; i++)
    room += squeezable(p, i);
  double squeeze = width > avail + FIT_EPS ? MIN(width - avail, room) : 0;
  return (kh_line){start, end, width - squeeze, last, squeeze};
}

/* When breaking at `fits` would leave a wide gap, the end of the next
 * piece (from `over`, the character that did not fit, to the next break)
 * if the line holds it with its punctuation squeezed; else -1. */
static int squeezed_end(const kh_para *p, int start, int fits, int over, double avail) {
  if (avail - kh_para_width(p, start, trimmed_end(p, start, fits)) < SQUEEZE_WORTH * p->size)
    return -1;
  int n = kh_para_len(p), end = over + 1;
  while (end < n && !ch(p, end)->can_break)
    end++;
  int e = trimmed_end(p, start, end);
  double room = 0;
  for (int i = start; i < e; i++)
    room += squeezable(p, i);
  return kh_para_width(p, start, e) - room <= avail + FIT_EPS ? end : -1;
}

/* Where a line starting at `start` ends when `avail` wide. */
static int line_end(const kh_para *p, int start, double avail) {
  int n = kh_para_len(p);
  double w = 0;
  int last_break = -1;
  for (int i = start; i < n; i++) {
    kh_tchar *c = ch(p, i);
    if (i > start && c->forced)
      return i;
    if (i > start && c->can_break)
      last_break = i;
    bool space = c->uc == ' ' || c->uc == '\n';
    if (!space && i > start && w + c->adv > avail + FIT_EPS) {
      if (last_break > start) {
        int further = squeezed_end(p, start, last_break, i, avail);
        return further > 0 ? further : last_break;
      }
      /* One unbreakable stretch wider than the line: cut it, but not
       * before closing punctuation nor after opening punctuation. */
      int cut = i;
      while (cut > start + 1 && (is_closing(ch(p, cut)->uc) || is_opening(ch(p, cut - 1)->uc)))
        cut--;
      return cut;
    }
    w += c->adv;
  }
  return n;
}

GArray *kh_para_wrap(kh_para *p, double first_width, double width) {
  if (!p->analysed)
    analyse(p);
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(kh_line));
  int n = kh_para_len(p);
  int start = 0;
  while (start < n) {
    double avail = lines->len ? width : first_width;
    int end = line_end(p, start, avail);
    bool last = end >= n || ch(p, end)->forced;
    kh_line l = make_line(p, start, end, last, avail);
    g_array_append_val(lines, l);
    start = end;
    while (start < n && ch(p, start)->uc == ' ' && !ch(p, start)->forced)
      start++; /* spaces at a break vanish */
  }
  return lines;
}

/* Two-character words of official documents that a title should not split
 * (no dictionary segmenter is among our dependencies). */
static const char *const title_words[] = {
    "关于", "人口", "计生", "计划", "生育", "重点", "工作", "考评", "考核",
    "情况", "通报", "通知", "全县", "乡镇", "季度", "月份", "年度", "结果",
    "排名", "督查", "落实", "人民", "政府", "卫生", "健康", "管理", "目标",
    "责任", "服务", "信息", "数据", "统计", "报告", "意见", "决定", "办法",
    "实施", "开展", "加强", "表彰", "奖励", "先进", "单位", "检查", "评估",
    "进展", "完成", "任务", "专项", "活动", NULL};

/* True when a break before character i splits a word of title_words. */
static bool splits_word(const kh_para *p, int i) {
  if (i < 1 || i >= kh_para_len(p))
    return false;
  char pair[16];
  int n = g_unichar_to_utf8(ch(p, i - 1)->uc, pair);
  n += g_unichar_to_utf8(ch(p, i)->uc, pair + n);
  pair[n] = '\0';
  for (int w = 0; title_words[w]; w++)
    if (strcmp(pair, title_words[w]) == 0)
      return true;
  return false;
}

GArray *kh_para_wrap_balanced(kh_para *p, double width) {
  GArray *greedy = kh_para_wrap(p, width, width);
  int n = kh_para_len(p);
  int nlines = (int)greedy->len;
  if (nlines < 2 || n > 300)
    return greedy;
  for (int i = 1; i < nlines; i++)
    if (ch(p, g_array_index(greedy, kh_line, i).start)->forced)
      return greedy; /* the author chose the breaks */
  /* Candidate line starts; cost[k][j]: best cost of k lines ending before
   * candidate j. Cost = squared slack + word splits + a longer lower line. */
  GArray *cand = g_array_new(FALSE, FALSE, sizeof(int));
  int zero = 0;
  g_array_append_val(cand, zero);
  for (int i = 1; i < n; i++)
    if (ch(p, i)->can_break)
      g_array_append_val(cand, i);
  g_array_append_val(cand, n);
  int nc = (int)cand->len;
  double em = p->size;
  double *cost = g_new(double, (nlines + 1) * nc);
  int *from = g_new(int, (nlines + 1) * nc);
  for (int i = 0; i < (nlines + 1) * nc; i++)
    cost[i] = G_MAXDOUBLE, from[i] = -1;
  cost[0] = 0;
  for (int k = 1; k <= nlines; k++)
    for (int j = 1; j < nc; j++)
      for (int i = 0; i < j; i++) {
        double prev = cost[(k - 1) * nc + i];
        if (prev == G_MAXDOUBLE)
          continue;
        int s = g_array_index(cand, int, i), e = g_array_index(cand, int, j);
        kh_line l = make_line(p, s, e, false, G_MAXDOUBLE);
        if (l.width > width + FIT_EPS)
          continue;
        double slack = width - l.width;
        double c = prev + slack * slack;
        if (e < n && splits_word(p, e))
          c += 4 * em * em;
        if (k > 1) { /* a lower line longer than the one above looks top-light */
          int ps = g_array_index(cand, int, from[(k - 1) * nc + i]);
          double above = make_line(p, ps, s, false, G_MAXDOUBLE).width;
          if (l.width > above + em / 2)
            c += em * em;
        }
        if (c < cost[k * nc + j])
          cost[k * nc + j] = c, from[k * nc + j] = i;
      }
  GArray *lines = greedy;
  if (cost[nlines * nc + nc - 1] < G_MAXDOUBLE) {
    lines = g_array_sized_new(FALSE, FALSE, sizeof(kh_line), nlines);
    g_array_set_size(lines, nlines);
    int j = nc - 1;
    for (int k = nlines; k >= 1; k--) {
      int i = from[k * nc + j];
      int s = g_array_index(cand, int, i), e = g_array_index(cand, int, j);
      g_array_index(lines, kh_line, k - 1) = make_line(p, s, e, k == nlines, G_MAXDOUBLE);
      j = i;
    }
    g_array_unref(greedy);
  }
  g_free(cost);
  g_free(from);
  g_array_unref(cand);
  return lines;
}

void kh_para_draw_line(const kh_para *p, const kh_line *line, kh_canvas *c,
                       kh_page *pg, double x, double y, double avail,
                       bool justify, kh_rgb color) {
  int end = trimmed_end(p, line->start, line->end);
  double extra = 0, share = 0; /* spread per gap; part of each mark's room taken */
  if (line->squeeze > 0) {
    double room = 0;
    for (int i = line->start; i < end; i++)
      room += squeezable(p, i);
    share = room > 0 ? line->squeeze / room : 0;
  } else if (justify && !line->last && end - line->start > 1) {
    extra = (avail - line->width) / (end - line->start - 1);
    if (extra < 0 || extra > 0.3 * p->size)
      extra = 0;
  }
  GString *piece = g_string_new(NULL);
  int i = line->start;
  while (i < end) {
    /* a run of one face; a squeezed mark is a run of its own */
    const kh_tchar *first = ch(p, i);
    double cut = share * squeezable(p, i), px = first->squeeze < 0 ? x - cut : x;
    g_string_truncate(piece, 0);
    do {
      g_string_append_unichar(piece, ch(p, i)->uc);
      x += ch(p, i)->adv + extra - share * squeezable(p, i);
      i++;
    } while (cut == 0 && i < end && ch(p, i)->face == first->face &&
             share * squeezable(p, i) == 0);
    kh_canvas_text(c, pg, first->face, p->size, p->char_space + extra, 100, color, px, y,
                   false, piece->str);
  }
  g_string_free(piece, TRUE);
}

double kh_text_width(const kh_fontset *fonts, int face, double size,
                     double char_space, const char *text) {
  double w = 0;
  for (const char *s = text; s && *s; s = g_utf8_next_char(s))
    w += kh_fontset_advance(fonts, face, g_utf8_get_char(s)) / 1000.0 * size + char_space;
  return w;
}
