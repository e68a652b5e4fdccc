/* Line breaking and measuring (render/layout/text.h): 避头尾, numbers and
 * dates kept whole, the 28-character grid, balanced titles. Uses the
 * default faces (fonts-arphic-uming and friends). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "render/layout/page.h"
#include "render/layout/text.h"

static int setup(void **state) {
  kh_diags *diags = kh_diags_new();
  *state = kh_fontset_open(NULL, diags);
  kh_diags_free(diags);
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  kh_fontset_free(*state);
  return 0;
}

static kh_para *body(void **state, const char *text) {
  kh_para *p = kh_para_new(*state, KH_BODY_SIZE, kh_grid_char_space(KH_BODY_SIZE));
  kh_para_add(p, KH_FACE_BODY, text);
  return p;
}

static gunichar char_at(const kh_para *p, int i) {
  return g_array_index(p->chars, kh_tchar, i).uc;
}

/* Text of characters [start, end). Caller frees. */
static char *slice(const kh_para *p, int start, int end) {
  GString *s = g_string_new(NULL);
  for (int i = start; i < end; i++)
    g_string_append_unichar(s, char_at(p, i));
  return g_string_free(s, FALSE);
}

static const char closing[] = "，。、；：？！）》」』】〕%”";
static const char opening[] = "（《「『【〔“";

static bool in(const char *set, gunichar uc) {
  char buf[8] = {0};
  g_unichar_to_utf8(uc, buf);
  return strstr(set, buf) != NULL;
}

/* Wraps text at every width from 6 to 30 characters (a line holds the
 * longest number) and checks each line:
 * no closing punctuation first, no opening punctuation last, none of
 * `whole` cut, none wider than the line. */
static void check_all_widths(void **state, const char *text, const char *const *whole) {
  kh_para *p = body(state, text);
  double ch = kh_grid_char();
  for (int chars = 6; chars <= 30; chars++) {
    double w = chars * ch;
    GArray *lines = kh_para_wrap(p, w - 2 * ch, w);
    for (guint i = 0; i < lines->len; i++) {
      kh_line *l = &g_array_index(lines, kh_line, i);
      assert_true(l->width <= (i ? w : w - 2 * ch) + 0.01);
      if (i > 0)
        assert_false(in(closing, char_at(p, l->start)));
      if (i + 1 < lines->len)
        assert_false(in(opening, char_at(p, l->end - 1)));
      char *before = slice(p, 0, l->start);
      for (int k = 0; whole && whole[k]; k++) {
        /* a break inside `whole` would leave a prefix before and the rest after */
        const char *at = strstr(text, whole[k]);
        size_t off = strlen(before), from = at ? (size_t)(at - text) : 0;
        assert_false(at && off > from && off < from + strlen(whole[k]));
      }
      g_free(before);
    }
    g_array_unref(lines);
  }
  kh_para_free(p);
}

static void test_numbers_whole(void **state) {
  const char *const whole[] = {"84.71%，", "10.29", "125.5", "2013-09-15", "0.86%", NULL};
  check_all_widths(state,
                   "身份证号码录入率为84.71%，低于责任指标（95%）10.29个百分点；出生人口性别比为"
                   "125.5，限期于2013-09-15前兑现到位，重复率为0.86%。",
                   whole);
}

/* A number is never cut from the unit after it (全县有14|个乡 was). */
static void test_numbers_keep_units(void **state) {
  const char *const whole[] = {"14个", "2013年", "7月", "10.29个", "20分", NULL};
  check_all_widths(state,
                   "全县有14个乡（镇）未达到责任指标，2013年7月差距10.29个百分点，"
                   "扣20分。",
                   whole);
}

static void test_kinsoku(void **state) {
  check_all_widths(state,
                   "各乡（镇）要对照《考核办法》，认真分析原因：问题在哪里？"
                   "「一票否决」『黄牌警告』【重点】〔2013〕“严格兑现”。再接再厉！完成了、没有；",
                   NULL);
}

/* Chinese quotes break like brackets; UAX #14 alone glues them. */
static void test_quotes(void **state) {
  kh_para *p = body(state, "实行一票否决。“严格兑现”奖惩");
  GArray *lines = kh_para_wrap(p, 1000, 1000);
  g_array_unref(lines);
  int open = 7, after_close = 13; /* “ and 奖 */
  assert_int_equal(char_at(p, open), 0x201C);
  assert_true(g_array_index(p->chars, kh_tchar, open).can_break);
  assert_false(g_array_index(p->chars, kh_tchar, open + 1).can_break);
  assert_int_equal(char_at(p, after_close - 1), 0x201D);
  assert_true(g_array_index(p->chars, kh_tchar, after_close).can_break);
  assert_false(g_array_index(p->chars, kh_tchar, after_close - 1).can_break);
  kh_para_free(p);
}

/* The grid: 28 characters fill 156 mm exactly, a 29th goes on. */
static void test_grid_width(void **state) {
  double w = 156 * KH_MM;
  kh_para *p = body(state, "全县人口计生重点工作总体进展顺利各项主要指标完成情况较好");
  assert_int_equal(kh_para_len(p), 28);
  assert_true(fabs(kh_para_width(p, 0, 28) - w) < 0.001);
  GArray *lines = kh_para_wrap(p, w, w);
  assert_int_equal(lines->len, 1);
  g_array_unref(lines);
  kh_para_add(p, KH_FACE_BODY, "好");
  lines = kh_para_wrap(p, w, w);
  assert_int_equal(lines->len, 2);
  g_array_unref(lines);
  kh_para_free(p);
  /* digits are half-width in the body face; widths add up per face */
  double cs = kh_grid_char_space(KH_BODY_SIZE);
  double digit = kh_text_width(*state, KH_FACE_BODY, KH_BODY_SIZE, 0, "8");
  assert_true(fabs(digit - KH_BODY_SIZE / 2) < 0.5);
  double mixed = kh_text_width(*state, KH_FACE_BODY, KH_BODY_SIZE, cs, "为84.71%");
  assert_true(fabs(mixed - (kh_grid_char() + 6 * (digit + cs))) < 0.5);
}

/* A line that breaking where it fits would leave 4 ems short (the next
 * piece, （139.2）、, is 4.5 ems) takes the piece in and sets its
 * punctuation narrower (标点挤压); drawn, it ends at the margin, its
 * opening bracket moved left into its own box. A line that fits is set
 * as it is. */
static void test_punctuation_squeezed(void **state) {
  double w = 156 * KH_MM;
  kh_para *p = body(state, "到责任指标，差距较大的有杨庄乡（146.7）、河口镇（139.2）、李寨乡");
  GArray *lines = kh_para_wrap(p, w, w);
  assert_int_equal(lines->len, 2);
  kh_line *l = &g_array_index(lines, kh_line, 0);
  char *first = slice(p, l->start, l->end);
  assert_string_equal(first, "到责任指标，差距较大的有杨庄乡（146.7）、河口镇（139.2）、");
  g_free(first);
  assert_true(l->squeeze > 0);
  assert_true(l->width <= w + 0.01);
  /* no mark gives more than half of itself */
  double room = 0;
  for (int i = l->start; i < l->end; i++)
    if (g_array_index(p->chars, kh_tchar, i).squeeze)
      room += KH_BODY_SIZE / 2;
  assert_true(l->squeeze <= room + 0.01);

  kh_canvas *c = kh_canvas_new();
  kh_page *pg = kh_canvas_add_page(c, false);
  kh_para_draw_line(p, l, c, pg, 0, 0, w, true, KH_BLACK);
  const kh_draw_op *last = &g_array_index(pg->ops, kh_draw_op, pg->ops->len - 1);
  assert_string_equal(last->text, "、"); /* a mark alone, at the margin */
  assert_true(fabs(last->x + KH_BODY_SIZE / 2 - w) < 0.5 + l->squeeze);
  for (guint k = 0; k < pg->ops->len; k++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, k);
    if (strcmp(op->text, "（") == 0) { /* drawn left of where the previous run ended */
      const kh_draw_op *before = &g_array_index(pg->ops, kh_draw_op, k - 1);
      double end = before->x + kh_text_width(*state, KH_FACE_BODY, KH_BODY_SIZE,
                                             before->char_space, before->text);
      assert_true(op->x < end - 0.1);
    }
  }
  kh_canvas_free(c);
  g_array_unref(lines);
  kh_para_free(p);

  p = body(state, "全县人口计生重点工作总体进展顺利，各项主要指标完成情况较好。");
  lines = kh_para_wrap(p, w, w);
  for (guint i = 0; i < lines->len; i++)
    assert_true(g_array_index(lines, kh_line, i).squeeze == 0);
  g_array_unref(lines);
  kh_para_free(p);
}

/* Runs of different faces in one paragraph keep their faces. */
static void test_runs(void **state) {
  kh_para *p = kh_para_new(*state, KH_BODY_SIZE, 0);
  kh_para_add(p, KH_FACE_KAI, "（一）强化责任落实。");
  kh_para_add(p, KH_FACE_BODY, "各乡（镇）要");
  assert_int_equal(g_array_index(p->chars, kh_tchar, 0).face, KH_FACE_KAI);
  assert_int_equal(g_array_index(p->chars, kh_tchar, 10).face, KH_FACE_BODY);
  kh_para_free(p);
}

/* A forced break, and a Latin run longer than the line cut by force. */
static void test_forced_and_overlong(void **state) {
  kh_para *p = body(state, "第一行\n第二行");
  GArray *lines = kh_para_wrap(p, 1000, 1000);
  assert_int_equal(lines->len, 2);
  assert_true(g_array_index(lines, kh_line, 0).last);
  g_array_unref(lines);
  kh_para_free(p);
  p = body(state, "网址http://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa。");
  double w = 10 * kh_grid_char();
  lines = kh_para_wrap(p, w, w);
  assert_true(lines->len > 2);
  for (guint i = 0; i < lines->len; i++) {
    kh_line *l = &g_array_index(lines, kh_line, i);
    assert_true(l->width <= w + 0.01);
    if (i)
      assert_false(in(closing, char_at(p, l->start)));
  }
  g_array_unref(lines);
  kh_para_free(p);
}

/* The title breaks into two balanced lines, the upper not shorter, and
 * between words. */
static void test_balanced_title(void **state) {
  kh_para *p = kh_para_new(*state, KH_TITLE_SIZE, 0);
  kh_para_add(p, KH_FACE_TITLE, "关于2013年7月全县人口计生重点工作考评情况的通报");
  GArray *lines = kh_para_wrap_balanced(p, 156 * KH_MM - 2 * kh_grid_char());
  assert_int_equal(lines->len, 2);
  kh_line *a = &g_array_index(lines, kh_line, 0), *b = &g_array_index(lines, kh_line, 1);
  assert_true(a->width >= b->width - KH_TITLE_SIZE / 2);
  assert_true(b->width > a->width / 2);
  char *second = slice(p, b->start, b->end);
  assert_false(g_str_has_prefix(second, "作")); /* not 工|作 */
  assert_false(g_str_has_prefix(second, "生")); /* not 计|生 */
  assert_false(g_str_has_prefix(second, "况")); /* not 情|况 */
  g_free(second);
  g_array_unref(lines);
  kh_para_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers_whole),
      cmocka_unit_test(test_numbers_keep_units),
      cmocka_unit_test(test_kinsoku),
      cmocka_unit_test(test_quotes),
      cmocka_unit_test(test_grid_width),
      cmocka_unit_test(test_punctuation_squeezed),
      cmocka_unit_test(test_runs),
      cmocka_unit_test(test_forced_and_overlong),
      cmocka_unit_test(test_balanced_title),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
