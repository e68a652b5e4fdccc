/* Chinese punctuation (render/punct.h): ASCII marks next to Chinese text
 * become full-width, quotes and brackets in pairs; numbers, dates, times,
 * e-mail addresses, URLs and Latin text keep theirs; Markdown escapes lose
 * their backslash when converted; offsets map the result back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "render/punct.h"

static void expect(const char *in, bool markdown, const char *want) {
  char *got = kh_punct_chinese(in, strlen(in), markdown, NULL);
  if (strcmp(got, want) != 0)
    fail_msg("%s\n  gave %s\n  want %s", in, got, want);
  g_free(got);
}

static void test_converted(void **state) {
  (void)state;
  expect("通报表扬,奖励工作经费3000元", false, "通报表扬，奖励工作经费3000元");
  expect("根据\"月考评、季奖惩\"工作要求", false, "根据“月考评、季奖惩”工作要求");
  expect("低于责任指标(95%)10.29个百分点", false, "低于责任指标（95%）10.29个百分点");
  expect("(一)强化责任落实", false, "（一）强化责任落实");
  expect("联系人:张三;电话:12345678", false, "联系人：张三；电话：12345678");
  expect("完成了吗?完成了!", false, "完成了吗？完成了！");
  expect("为84.71%,低于", false, "为84.71%，低于");
  expect("城关镇, 河口乡", false, "城关镇，河口乡");     /* the space goes */
  expect("见附件 (得分表)", false, "见附件（得分表）");
  expect("\"甲乡\"和\"乙乡\"", false, "“甲乡”和“乙乡”");
  expect("𠀾口镇,石桥镇", false, "𠀾口镇，石桥镇");
}

static void test_untouched(void **state) {
  (void)state;
  const char *same[] = {
      "奖励工作经费3,000元",     "完成率84.71%",
      "2013-09-15 08:30:00前",  "邮箱 tongji@example.org,电话", /* the comma: 电 */
      "网址 https://example.org/a?b=1,2(3) 查看", "Hello, world (test): \"ok\"",
      "规则见 www.example.cn/x,y", "a:b;c",
  };
  for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
    char *got = kh_punct_chinese(same[i], strlen(same[i]), false, NULL);
    if (i == 3)
      assert_string_equal(got, "邮箱 tongji@example.org，电话");
    else
      assert_string_equal(got, same[i]);
    g_free(got);
  }
  /* marks already full-width stay; ASCII quotes among Latin text stay */
  expect("（一）“已是全角”，无需改动。", false, "（一）“已是全角”，无需改动。");
}

static void test_markdown(void **state) {
  (void)state;
  /* data escaped by the template engine: \, \( \) lose the backslash */
  expect("通报表扬\\,奖励\\(一次性\\)", true, "通报表扬，奖励（一次性）");
  expect("3\\,000元", true, "3\\,000元");
  expect("[链接](https://example.org/a_(b)) 见上", true, "[链接](https://example.org/a_(b)) 见上");
  expect("*(一)强化*。\n\n\"甲\n乙\"", true, "*（一）强化*。\n\n“甲\n乙”");
}

static void test_offsets(void **state) {
  (void)state;
  const char *in = "甲,乙\\(丙\\)丁";
  GArray *offsets = g_array_new(FALSE, FALSE, sizeof(kh_punct_offset));
  char *out = kh_punct_chinese(in, strlen(in), true, offsets);
  assert_string_equal(out, "甲，乙（丙）丁");
  /* 丁 is at byte 18 of the result and byte 14 of the input */
  assert_int_equal(strstr(out, "丁") - out, 18);
  assert_int_equal(kh_punct_input_offset(offsets, 18), 14);
  assert_int_equal(kh_punct_input_offset(offsets, 0), 0);
  g_free(out);
  g_array_unref(offsets);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_converted),
      cmocka_unit_test(test_untouched),
      cmocka_unit_test(test_markdown),
      cmocka_unit_test(test_offsets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
