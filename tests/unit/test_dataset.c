/* Loading whole datasets (docs/reference/dataset.md): the small valid one in
 * tests/data/good, and datasets written to a temporary folder with one
 * problem each, checked by their exact diagnostics; the month checks before
 * an assessment; the YYYY-MM / YYYYQn parsers; a large registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <math.h>

#include "kaohe/load.h"

static const char *const good_townships =
    "code,name,email,contact,check_task\n"
    "01,城关镇,01@example.org,张三,120\n"
    "02,新集镇,,李四,\"1,080\"\n"
    "03,石桥镇,03@example.org,,90\n";

static char *good_path(const char *rel) {
  const char *data = g_getenv("KAOHE_TESTDATA");
  assert_non_null(data);
  return g_build_filename(data, "good", rel, NULL);
}

static char *good_rules(void) {
  char *path = good_path("rules.ini"), *text = NULL;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  g_free(path);
  return text;
}

/* Writes a dataset into a new temporary folder: rules.ini (the good one
 * when rules is NULL), townships.csv (skipped when NULL), then pairs of
 * (relative path, content) up to a NULL. Caller removes it with rm_tree(). */
static char *write_dataset(const char *rules, const char *townships, ...) {
  char *dir = g_dir_make_tmp("kaohe-ds-XXXXXX", NULL);
  assert_non_null(dir);
  char *monthly = g_build_filename(dir, "monthly", NULL);
  g_mkdir(monthly, 0755);
  g_free(monthly);
  char *default_rules = rules ? NULL : good_rules();
  const char *files[4] = {"rules.ini", rules ? rules : default_rules, "townships.csv", townships};
  va_list ap;
  va_start(ap, townships);
  for (int i = 0;; i += 2) {
    const char *rel, *content;
    if (i < 4) {
      rel = files[i];
      content = files[i + 1];
    } else {
      rel = va_arg(ap, const char *);
      if (!rel)
        break;
      content = va_arg(ap, const char *);
    }
    if (!content)
      continue;
    char *path = g_build_filename(dir, rel, NULL);
    char *parent = g_path_get_dirname(path);
    g_mkdir_with_parents(parent, 0755);
    assert_true(g_file_set_contents(path, content, -1, NULL));
    g_free(parent);
    g_free(path);
  }
  va_end(ap);
  g_free(default_rules);
  return dir;
}

static void rm_tree(const char *path) {
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d))) {
      char *child = g_build_filename(path, name, NULL);
      rm_tree(child);
      g_free(child);
    }
    g_dir_close(d);
  }
  g_remove(path);
}

/* Checks every diagnostic, printed as "FILE:LINE:COL: severity: message"
 * with FILE relative to dir. */
static void assert_diags(const kh_diags *d, const char *dir,
                         const char *const *expected, guint n) {
  gsize skip = strlen(dir) + 1;
  if (g_getenv("KAOHE_SHOW_DIAGS")) /* to see every one when a test fails */
    for (guint i = 0; i < d->items->len; i++) {
      const kh_diag *x = g_ptr_array_index(d->items, i);
      print_message("got: %s:%d:%d: %s\n", x->file + (g_str_has_prefix(x->file, dir) ? skip : 0),
                    x->line, x->col, x->message);
    }
  for (guint i = 0; i < d->items->len; i++) {
    const kh_diag *x = g_ptr_array_index(d->items, i);
    const char *file = *dir && g_str_has_prefix(x->file, dir) ? x->file + skip : x->file;
    char *s = g_strdup_printf("%s:%d:%d: %s: %s", file, x->line, x->col,
                              x->severity == KH_ERROR ? "error" : "warning", x->message);
    if (i >= n)
      fail_msg("unexpected diagnostic: %s", s);
    assert_string_equal(s, expected[i]);
    g_free(s);
  }
  assert_int_equal(d->items->len, n);
}

#define ASSERT_DIAGS(d, dir, ...)                                              \
  do {                                                                         \
    const char *const expected_[] = {__VA_ARGS__};                             \
    assert_diags(d, dir, expected_, G_N_ELEMENTS(expected_));                  \
  } while (0)

static int field_index(const kh_dataset *ds, const char *id) {
  for (int f = 0; f < kh_n_fields(ds); f++)
    if (strcmp(((kh_field *)g_ptr_array_index(ds->fields, f))->id, id) == 0)
      return f;
  return -1;
}

static double value(const kh_dataset *ds, int month, int t, const char *field) {
  int f = field_index(ds, field);
  assert_true(f >= 0);
  return ds->months[month - 1].values[t * kh_n_fields(ds) + f];
}

static void test_good_dataset(void **state) {
  (void)state;
  char *dir = good_path(NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  assert_non_null(ds);
  assert_int_equal(d->items->len, 0);

  assert_int_equal(kh_n_townships(ds), 3);
  assert_string_equal(kh_township_at(ds, 1)->code, "02");
  assert_string_equal(kh_township_at(ds, 1)->name, "新集镇");
  assert_null(kh_township_at(ds, 1)->email);
  assert_null(kh_township_at(ds, 2)->contact);
  assert_string_equal(kh_township_at(ds, 0)->email, "01@example.org");
  assert_int_equal(kh_n_attrs(ds), 1);
  assert_string_equal(g_ptr_array_index(ds->attr_names, 0), "check_task");
  assert_true(ds->attrs[1] == 1080);

  assert_int_equal(kh_n_fields(ds), 3);
  kh_field *f0 = g_ptr_array_index(ds->fields, 0);
  assert_string_equal(f0->id, "births_male");
  assert_string_equal(f0->label, "出生男婴数");
  assert_true(f0->declared);

  assert_true(ds->months[0].present && ds->months[1].present);
  assert_false(ds->months[2].present);
  assert_true(value(ds, 1, 1, "checked") == 70);
  /* February has Chinese headers and names: matched by label and name. */
  assert_true(value(ds, 2, 0, "births_male") == 11);
  assert_true(value(ds, 2, 1, "checked") == 1002);
  assert_true(kh_month_has_row(&ds->months[1], 2));
  char *feb = g_build_filename(dir, "monthly", "2013-02.csv", NULL);
  assert_string_equal(ds->months[1].path, feb);
  g_free(feb);

  assert_int_equal(kh_n_indicators(ds), 2);
  assert_non_null(kh_indicator_at(ds, 0)->value);

  assert_true(kh_dataset_check_month(ds, 2, d));
  assert_int_equal(d->items->len, 0);
  kh_dataset_free(ds);
  kh_diags_free(d);
  g_free(dir);
}

static void test_warnings_only(void **state) {
  (void)state;
  char *dir = write_dataset(NULL,
                            "code,name,email,contact,check_task,备注,\n"
                            "01,城关镇,,,120,县城,\n"
                            "02,新集镇,,,80,,\n"
                            "03,石桥镇,,,90,,\n",
                            "monthly/2012-12.csv", "township,births_male\n01,1\n",
                            "monthly/2013-01.csv",
                            "township,births_male,births_female,checked,extra_count,出生率\n"
                            "\xE3\x80\x80城关镇\xE3\x80\x80,1,1,1,5,\n"
                            "03 ,1,1,1,6,\n",
                            "monthly/notes.txt", "hello",
                            "monthly/old/2013-02.csv", "x",
                            NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "townships.csv:1:36: warning: F1 未知列“备注”，已忽略",
               "townships.csv:1:39: warning: G1 第 7 列没有表头，已忽略",
               "monthly/2012-12.csv:1:1: warning: 不是 2013 年的月报，已忽略",
               "monthly/notes.txt:1:1: warning: 不是 CSV 或 Excel 文件，已忽略",
               "monthly/old:1:1: warning: 这是目录，已忽略",
               "monthly/2013-01.csv:1:1: warning: 本月缺少 1 个乡镇的数据行：“新集镇”",
               "monthly/2013-01.csv:1:56: warning: F1 未知列“出生率”，已忽略");
  assert_int_equal(d->n_errors, 0);
  /* An identifier header that rules.ini does not declare is a field too. */
  assert_int_equal(kh_n_fields(ds), 4);
  kh_field *extra = g_ptr_array_index(ds->fields, 3);
  assert_string_equal(extra->id, "extra_count");
  assert_false(extra->declared);
  assert_null(extra->label);
  assert_true(value(ds, 1, 0, "extra_count") == 5);
  assert_true(value(ds, 1, 2, "extra_count") == 6);
  assert_false(kh_month_has_row(&ds->months[0], 1));
  assert_true(isnan(value(ds, 1, 1, "extra_count")));
  assert_false(ds->months[11].present);
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
}

static void test_registry_errors(void **state) {
  (void)state;
  char *dir = write_dataset(NULL,
                            "代码,名称,check_task,名称\n"
                            "01,城关镇,1,\n"
                            "a/b,新集镇,1,\n"
                            ",石桥镇,1,\n"
                            "04,,1,\n"
                            "05,城关镇,1,\n"
                            "0123456789012345678901234567890123,河口镇,1,\n"
                            "07,01,1,\n",
                            NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "townships.csv:1:18: error: D1 列“名称”重复（第 2 列已是此列）",
               "townships.csv:2:1: error: A2 乡镇代码“01”是另一乡镇的名称（第 8 行）",
               "townships.csv:3:1: error: A3 乡镇代码“a/b”含有文件名中不能用的字符（/\\:*?\"<>| 或控制字符）",
               "townships.csv:4:1: error: A4 乡镇代码为空",
               "townships.csv:5:4: error: B5 乡镇名称为空",
               "townships.csv:6:4: error: B6 乡镇名称“城关镇”重复（第 2 行已有）",
               "townships.csv:7:1: error: A7 乡镇代码“0123456789012345678901234567890123”过长（最多 32 个字符）");
  assert_int_equal(kh_n_townships(ds), 2);
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);

  dir = write_dataset(NULL, "编号,乡镇名\n01,城关镇\n", NULL);
  d = kh_diags_new();
  ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "townships.csv:1:1: warning: A1 未知列“编号”，已忽略",
               "townships.csv:1:1: error: 缺少乡镇代码列（code 或 代码）",
               "townships.csv:1:1: error: 缺少乡镇名称列（name 或 名称）",
               "townships.csv:1:4: warning: B1 未知列“乡镇名”，已忽略",
               "rules.ini:29:27: error: [indicator.check_rate] value: 未知名称“check_task”");
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
}

static void test_header_only_and_missing_files(void **state) {
  (void)state;
  char *dir = write_dataset(NULL, "code,name,check_task\n", "monthly/2013-01.csv", "", NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "townships.csv:1:1: error: 乡镇登记表中没有乡镇",
               "monthly/2013-01.csv:1:1: error: 文件为空：应有表头和每个乡镇一行");
  assert_true(ds->months[0].present);
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);

  /* No townships.csv, no monthly/: said once each. */
  dir = write_dataset(NULL, NULL, NULL);
  char *monthly = g_build_filename(dir, "monthly", NULL);
  g_rmdir(monthly);
  g_free(monthly);
  d = kh_diags_new();
  ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "townships.csv:1:1: error: 文件不存在",
               "monthly:1:1: warning: 没有 monthly 目录：还没有任何月报",
               "rules.ini:29:27: error: [indicator.check_rate] value: 未知名称“check_task”");
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);

  d = kh_diags_new();
  assert_null(kh_dataset_load("/nonexistent/kaohe-dataset", d));
  ASSERT_DIAGS(d, "", "/nonexistent/kaohe-dataset:1:1: error: 数据集目录不存在");
  kh_diags_free(d);
}

static void test_monthly_errors(void **state) {
  (void)state;
  char *dir = write_dataset(NULL, good_townships,
                            "monthly/2013-01.csv",
                            "乡镇,births_male,出生男婴数,checked,township\n"
                            "01,1,1,1.5,\n"
                            ",2,2,2,\n"
                            "新桥乡,3,3,3,\n"
                            "城关镇,-1,+1,.5,\n"
                            "02,1e3,\"12,34\",12.,\n",
                            "monthly/2013-1.csv", "",
                            "monthly/2013-02.CSV", "",
                            NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "monthly/2013-02.CSV:1:1: error: 文件名不是月份：应为 YYYY-MM.csv，如 2013-07.csv",
               "monthly/2013-1.csv:1:1: error: 文件名不是月份：应为 YYYY-MM.csv，如 2013-07.csv",
               "monthly/2013-01.csv:1:1: warning: 本月缺少 1 个乡镇的数据行：“石桥镇”",
               /* needed by an indicator, absent: an error in every month (docs/reference/dataset.md) */
               "monthly/2013-01.csv:1:1: error: 表头中没有字段“出生女婴数”（births_female）："
               "本月指标“出生人口性别比”要读取此字段，请加上这一列",
               "monthly/2013-01.csv:1:16: error: C1 字段重复：“出生男婴数”与第 2 列“births_male”是同一字段",
               "monthly/2013-01.csv:1:30: error: E1 列“township”重复（第 1 列已是乡镇列）",
               "monthly/2013-01.csv:3:1: error: A3 乡镇为空",
               "monthly/2013-01.csv:4:1: error: A4 未知乡镇“新桥乡”（登记表中没有此代码或名称）",
               "monthly/2013-01.csv:5:1: error: A5 乡镇“城关镇”在本月出现两次（另见第 2 行）",
               "monthly/2013-01.csv:5:5: error: B5 数值不能为负：“-1”（列“births_male”）",
               "monthly/2013-01.csv:5:11: error: D5 不是有效数值：“.5”（列“checked”）",
               "monthly/2013-01.csv:6:4: error: B6 不是有效数值：“1e3”（列“births_male”）",
               "monthly/2013-01.csv:6:16: error: D6 不是有效数值：“12.”（列“checked”）");
  assert_true(value(ds, 1, 0, "births_male") == 1);
  assert_true(value(ds, 1, 0, "checked") == 1.5);
  /* An invalid cell stays missing. */
  assert_true(isnan(value(ds, 1, 1, "births_male")));
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
}

static void test_attributes(void **state) {
  (void)state;
  char *dir = write_dataset(NULL,
                            "code,name,check_task,area,births_female\n"
                            "01,城关镇,约120,较大,1\n"
                            "02,新集镇,-5,12.5,1\n"
                            "03,石桥镇,,,1\n",
                            NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "townships.csv:1:27: error: E1 属性“births_female”与字段同名（rules.ini 中已声明此字段）",
               "townships.csv:2:8: error: C2 不是有效数值：“约120”（属性“check_task”用于公式）");
  assert_int_equal(kh_n_attrs(ds), 3);
  assert_true(isnan(ds->attrs[0]) && isnan(ds->attrs[1]));
  assert_true(ds->attrs[3] == -5 && ds->attrs[4] == 12.5);
  assert_true(isnan(ds->attrs[6]) && isnan(ds->attrs[7]));
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
}

static void test_field_from_header_clashes_with_attribute(void **state) {
  (void)state;
  char *dir = write_dataset(NULL, good_townships, "monthly/2013-01.csv",
                            "township,check_task,births_male,births_female,checked\n"
                            "01,1,1,1,1\n02,1,1,1,1\n03,1,1,1,1\n", NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir, "townships.csv:1:25: error: E1 属性“check_task”与字段同名（月报中有此列）");
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
}

static void test_check_month(void **state) {
  (void)state;
  char *dir = write_dataset(NULL, good_townships,
                            "monthly/2013-01.csv",
                            "township,births_male,births_female,checked\n01,1,1,\n02,,1,\n",
                            "monthly/2013-03.csv",
                            "township,births_male,births_female,checked\n01,1,1,1\n02,1,1,1\n03,1,1,1\n",
                            NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir, "monthly/2013-01.csv:1:1: warning: 本月缺少 1 个乡镇的数据行：“石桥镇”",
               /* the cost of missing data, said where it is (docs/reference/dataset.md) */
               "monthly/2013-01.csv:1:36: warning: D1 “孕前检查人数”整列为空：本月各乡镇"
               "“孕前检查任务完成率”按缺报计 0 分",
               "monthly/2013-01.csv:3:4: warning: B3 新集镇“出生男婴数”为空：本月“出生人口性别比”按缺报计 0 分");
  g_ptr_array_set_size(d->items, 0);
  d->n_warnings = 0;

  assert_true(kh_dataset_check_month(ds, 3, d));
  ASSERT_DIAGS(d, dir,
               "monthly/2013-01.csv:1:1: warning: 本月没有字段“孕前检查人数”的数据：累计（ytd）指标在 2013-03 将缺失",
               "monthly/2013-02.csv:1:1: warning: 缺少 2013-02 的月报：累计（ytd）指标在 2013-03 将缺失",
               /* at 新集镇's row, whose births_male is empty; 石桥镇 has none */
               "monthly/2013-01.csv:3:1: warning: 乡镇“新集镇”缺少 2013-01 的数据：累计（ytd）指标在 2013-03 将缺失",
               "monthly/2013-01.csv:1:1: warning: 乡镇“石桥镇”缺少 2013-01 的数据：累计（ytd）指标在 2013-03 将缺失");
  g_ptr_array_set_size(d->items, 0);

  assert_true(kh_dataset_check_month(ds, 1, d));
  assert_false(kh_dataset_check_month(ds, 2, d));
  assert_false(kh_dataset_check_month(ds, 13, d));
  ASSERT_DIAGS(d, dir,
               "monthly/2013-02.csv:1:1: error: 缺少 2013-02 的月报文件",
               "rules.ini:1:1: error: 月份 13 不在 2013 年之内（应为 1–12）");
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
}

/* Audits (docs/reference/audits.md): prev() is the latest earlier report, skipping a
 * month without a file and a month whose cell is empty; a rule reading a
 * missing value is skipped; a warning-level rule only warns; a cumulative
 * field may not fall below its last report. */
static void test_audits(void **state) {
  (void)state;
  char *rules = good_rules();
  char *with_audits = g_strconcat(rules,
                                  "\n[field.total]\nlabel = 累计数\ncumulative = true\n"
                                  "\n[audit.grows]\nrule = births_male >= prev(births_male)\n"
                                  "message = 出生男婴数不能少于上次报送的出生男婴数\nlevel = warning\n"
                                  "\n[audit.within]\nrule = births_female <= births_male + 5\n",
                                  NULL);
  char *dir = write_dataset(with_audits, good_townships,
                            "monthly/2013-01.csv",
                            "township,births_male,births_female,checked,total\n01,10,1,1,5\n02,10,1,1,5\n03,10,1,1,5\n",
                            "monthly/2013-03.csv",
                            "township,births_male,births_female,checked,total\n01,,1,1,6\n02,9,20,1,4\n03,11,1,1,5\n",
                            "monthly/2013-04.csv",
                            "township,births_male,births_female,checked,total\n01,9,1,1,6\n02,9,1,1,4\n03,11,1,1,5\n",
                            NULL);
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, d);
  ASSERT_DIAGS(d, dir,
               "monthly/2013-03.csv:2:4: warning: B2 城关镇“出生男婴数”为空：本月“出生人口性别比”按缺报计 0 分",
               /* 02 in March: 9 after January's 10 (February has no file) */
               "monthly/2013-03.csv:3:4: warning: B3 新集镇：出生男婴数（9）不能少于上次报送的出生男婴数（10）［审核 grows］",
               "monthly/2013-03.csv:3:6: error: C3 新集镇：不符合审核规则“births_female <= births_male + 5”"
               "（出生女婴数 为 20，births_male + 5 为 14）［审核 within］",
               "monthly/2013-03.csv:3:11: error: E3 新集镇：“累计数”是累计数，本月（4）不能少于 1 月（5）［审核 累计数］",
               /* 01 in April: March's cell is empty, so 9 is compared with January's 10 */
               "monthly/2013-04.csv:2:4: warning: B2 城关镇：出生男婴数（9）不能少于上次报送的出生男婴数（10）［审核 grows］");
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
  g_free(with_audits);
  g_free(rules);
}

static void test_parse_month_and_quarter(void **state) {
  (void)state;
  int y = 0, m = 0;
  assert_true(kh_parse_month("2013-07", &y, &m));
  assert_int_equal(y, 2013);
  assert_int_equal(m, 7);
  assert_true(kh_parse_month("2013-12", &y, &m));
  const char *bad_months[] = {"2013-13", "2013-00", "2013-7", "13-07", "2013/07",
                              "2013-07x", "", "2013-0a", "0000-01", " 2013-07"};
  for (size_t i = 0; i < G_N_ELEMENTS(bad_months); i++)
    assert_false(kh_parse_month(bad_months[i], &y, &m));
  assert_true(kh_parse_quarter("2013Q3", &y, &m));
  assert_int_equal(y, 2013);
  assert_int_equal(m, 3);
  assert_true(kh_parse_quarter("2013q1", &y, &m));
  const char *bad_quarters[] = {"2013Q0", "2013Q5", "2013-Q3", "2013Q", "13Q3", "2013Q3x"};
  for (size_t i = 0; i < G_N_ELEMENTS(bad_quarters); i++)
    assert_false(kh_parse_quarter(bad_quarters[i], &y, &m));
}

/* 5,000 townships and twelve months: loads in well under a second with
 * hash lookups; the bound only catches quadratic behaviour. */
static void test_large_dataset(void **state) {
  (void)state;
  enum { N = 5000 };
  GString *reg = g_string_new("code,name,check_task\n");
  for (int i = 0; i < N; i++)
    g_string_append_printf(reg, "%05d,乡镇%d,%d\n", i, i, 100000 + i % 7);
  char *dir = write_dataset(NULL, reg->str, NULL);
  for (int m = 1; m <= 12; m++) {
    GString *month = g_string_new("乡镇,出生男婴数,births_female,checked\n");
    for (int i = N - 1; i >= 0; i--)
      g_string_append_printf(month, "乡镇%d,%d,%d,\"1,%03d\"\n", i, i % 13, m, i % 1000);
    char *name = g_strdup_printf("%s/monthly/2013-%02d.csv", dir, m);
    assert_true(g_file_set_contents(name, month->str, -1, NULL));
    g_free(name);
    g_string_free(month, TRUE);
  }
  kh_diags *d = kh_diags_new();
  gint64 start = g_get_monotonic_time();
  kh_dataset *ds = kh_dataset_load(dir, d);
  double seconds = (double)(g_get_monotonic_time() - start) / 1e6;
  print_message("loaded %d townships x 12 months in %.2f s\n", N, seconds);
  assert_true(seconds < 20);
  assert_int_equal(d->items->len, 0);
  assert_int_equal(kh_n_townships(ds), N);
  assert_true(value(ds, 12, 4321, "checked") == 1321);
  assert_true(value(ds, 5, 17, "births_female") == 5);
  assert_true(kh_dataset_check_month(ds, 12, d));
  assert_int_equal(d->items->len, 0);
  kh_dataset_free(ds);
  kh_diags_free(d);
  rm_tree(dir);
  g_free(dir);
  g_string_free(reg, TRUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_dataset),
      cmocka_unit_test(test_warnings_only),
      cmocka_unit_test(test_registry_errors),
      cmocka_unit_test(test_header_only_and_missing_files),
      cmocka_unit_test(test_monthly_errors),
      cmocka_unit_test(test_attributes),
      cmocka_unit_test(test_field_from_header_clashes_with_attribute),
      cmocka_unit_test(test_check_month),
      cmocka_unit_test(test_audits),
      cmocka_unit_test(test_parse_month_and_quarter),
      cmocka_unit_test(test_large_dataset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
