/* Tests of rules.ini reading (src/load/rules*.c): every key and default of
 * docs/reference/rules.md, and every error with its exact line, column and message, in
 * UTF-8, UTF-8 with BOM, CRLF and GB18030 files. Formulas are compiled
 * against a dataset built here: one attribute, the declared fields, and
 * the header fields a monthly file would add. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>

#include "load/formula.h"
#include "load/rules.h"

/* docs/reference/rules.md's example, with the fields its formulas use declared. */
static const char spec_example[] =
    "[assessment]\n"
    "title    = 人口计生重点工作月考评\n"
    "county   = 某某县\n"
    "# 发文机关 (the issuing authority)\n"
    "issuer   = 某某县人口和计划生育局\n"
    "year     = 2013\n"
    "\n"
    "[field.births_male]\n"
    "label = 出生男婴数\n"
    "\n"
    "[field.births_female]\n"
    "label = 出生女婴数\n"
    "\n"
    "[indicator.sex_ratio]\n"
    "name     = 出生人口性别比\n"
    "value    = ytd(births_male) / ytd(births_female) * 100\n"
    "# unit is printed after numbers, e.g. %; empty here\n"
    "unit     =\n"
    "decimals = 1\n"
    "target   = <= 107\n"
    "weight   = 20\n"
    "method   = deduct 2 per 1\n"
    "\n"
    "[indicator.only_child_fee]\n"
    "name     = 独生子女保健费兑现率\n"
    "value    = fee_paid / fee_due * 100\n"
    "unit     = %\n"
    "decimals = 2\n"
    "target   = >= 100\n"
    "weight   = 0\n"
    "method   = all-or-nothing\n"
    "veto     = true\n"
    "deadline = 2013-09-15\n"
    "\n"
    "[indicator.prepreg]\n"
    "name   = 免费孕前优生健康检查完成率\n"
    "value  = checks / (prepreg_task * month / 12) * 100\n"
    "target = >= 80\n"
    "weight = 15.5\n"
    "method = rank 1.5\n"
    "\n"
    "[indicator.dup_id]\n"
    "name   = 身份证号重复率\n"
    "value  = dup_ids / records * 100\n"
    "target = <= 1\n"
    "weight = 10\n"
    "method = proportional\n"
    "\n"
    "[notice]\n"
    "# 发文字号 prefix, addressees (主送), copy-to (抄送), printed-by (印发机关)\n"
    "docno_prefix = 某人口\n"
    "addressees   = 各乡（镇）人民政府，县直有关单位\n"
    "copy_to      = 县委办公室，县人民政府办公室\n"
    "printed_by   = 某某县人口和计划生育局办公室\n"
    "\n"
    "[fonts]\n"
    "body     = FangSong\n"
    "title    = FZXiaoBiaoSong-B05S\n"
    "heading1 = SimHei\n"
    "heading2 = /usr/share/fonts/kaiti.ttc:1\n"
    "\n"
    "[quarter]\n"
    "combine     = mean\n"
    "veto_action = 取消本季度评先评优资格,通报批评\n"
    "\n"
    "[award.first]\n"
    "ranks  = 1\n"
    "action = 通报表扬,奖励工作经费3000元\n"
    "\n"
    "[award.second]\n"
    "ranks     = 2-3\n"
    "min_score = 80\n"
    "action    = 通报表扬,奖励工作经费2000元\n"
    "\n"
    "[penalty.last]\n"
    "bottom = 1\n"
    "action = 通报批评,约谈分管领导\n"
    "\n"
    "[penalty.low]\n"
    "below  = 60.5\n"
    "action = 黄牌警告 # 这不是注释\n";

/* ---- a dataset and a rules file to read -------------------------------- */

static char *tmp_dir;

static int setup(void **state) {
  (void)state;
  tmp_dir = g_dir_make_tmp("kaohe-test-rules-XXXXXX", NULL);
  return tmp_dir ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char *path = g_build_filename(tmp_dir, "rules.ini", NULL);
  g_remove(path);
  g_free(path);
  g_rmdir(tmp_dir);
  g_free(tmp_dir);
  return 0;
}

static char *write_rules(const char *bytes, gsize len) {
  char *path = g_build_filename(tmp_dir, "rules.ini", NULL);
  assert_true(g_file_set_contents(path, bytes, (gssize)len, NULL));
  return path;
}

static kh_dataset *dataset_new(void) {
  kh_dataset *ds = g_new0(kh_dataset, 1);
  ds->attr_names = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(ds->attr_names, g_strdup("population"));
  g_ptr_array_add(ds->attr_names, g_strdup("prepreg_task"));
  return ds;
}

/* Adds the fields a monthly file's headers would add. */
static void add_header_fields(kh_dataset *ds) {
  static const char *const ids[] = {"fee_paid", "fee_due", "checks", "dup_ids",
                                    "records"};
  for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
    kh_field *f = g_new0(kh_field, 1);
    f->id = g_strdup(ids[i]);
    g_ptr_array_add(ds->fields, f);
  }
}

static void dataset_free(kh_dataset *ds) {
  kh_rules_clear(&ds->rules);
  g_ptr_array_unref(ds->fields);
  g_ptr_array_unref(ds->attr_names);
  g_free(ds->rules_path);
  g_free(ds);
}

/* Every diagnostic as "LINE:COL: error|warning: MESSAGE\n". */
static char *diags_text(const kh_diags *diags) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < diags->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(diags->items, i);
    g_string_append_printf(s, "%d:%d: %s: %s\n", d->line, d->col,
                           d->severity == KH_ERROR ? "error" : "warning",
                           d->message);
  }
  return g_string_free(s, FALSE);
}

/* Reads and compiles bytes as rules.ini; returns the dataset and, in
 * *text, its diagnostics (caller frees both). */
static kh_dataset *load_bytes(const char *bytes, gsize len, char **text) {
  kh_dataset *ds = dataset_new();
  kh_diags *diags = kh_diags_new();
  char *path = write_rules(bytes, len);
  assert_true(kh_rules_read(ds, path, diags));
  add_header_fields(ds);
  bool used_attrs[2] = {false};
  kh_rules_compile(ds, used_attrs, diags);
  *text = diags_text(diags);
  kh_diags_free(diags);
  g_free(path);
  return ds;
}

static kh_dataset *load(const char *utf8, char **text) {
  return load_bytes(utf8, strlen(utf8), text);
}

static kh_tier *tier(GPtrArray *tiers, guint i) {
  return g_ptr_array_index(tiers, i);
}

/* ---- the example: every key ---------------------------------------------- */

static void test_spec_example(void **state) {
  (void)state;
  char *diags = NULL;
  kh_dataset *ds = load(spec_example, &diags);
  assert_string_equal(diags, "");
  const kh_rules *r = &ds->rules;
  assert_string_equal(r->title, "人口计生重点工作月考评");
  assert_string_equal(r->county, "某某县");
  assert_string_equal(r->issuer, "某某县人口和计划生育局");
  assert_int_equal(r->year, 2013);

  assert_int_equal(kh_n_fields(ds), 7);
  const kh_field *f = g_ptr_array_index(ds->fields, 1);
  assert_string_equal(f->id, "births_female");
  assert_string_equal(f->label, "出生女婴数");
  assert_true(f->declared);

  assert_int_equal(kh_n_indicators(ds), 4);
  const kh_indicator *sr = kh_indicator_at(ds, 0);
  assert_string_equal(sr->id, "sex_ratio");
  assert_string_equal(sr->name, "出生人口性别比");
  assert_string_equal(sr->unit, "");
  assert_int_equal(sr->decimals, 1);
  assert_string_equal(sr->value_src,
                      "ytd(births_male) / ytd(births_female) * 100");
  assert_non_null(sr->value);
  assert_int_equal(sr->op, KH_OP_LE);
  assert_string_equal(sr->target_src, "107");
  assert_int_equal(sr->target->kind, KH_EXPR_NUMBER);
  assert_true(sr->target->number == 107);
  assert_true(sr->weight == 20);
  assert_int_equal(sr->method, KH_METHOD_DEDUCT);
  assert_true(sr->points == 2 && sr->per == 1);
  assert_false(sr->veto);
  assert_false(sr->has_deadline);

  const kh_indicator *fee = kh_indicator_at(ds, 1);
  assert_string_equal(fee->id, "only_child_fee");
  assert_string_equal(fee->unit, "%");
  assert_int_equal(fee->op, KH_OP_GE);
  assert_int_equal(fee->method, KH_METHOD_ALL_OR_NOTHING);
  assert_true(fee->weight == 0 && fee->points == 0 && fee->per == 0);
  assert_true(fee->veto);
  assert_true(fee->has_deadline);
  assert_int_equal(fee->deadline_year, 2013);
  assert_int_equal(fee->deadline_month, 9);
  assert_int_equal(fee->deadline_day, 15);

  const kh_indicator *pp = kh_indicator_at(ds, 2);
  assert_int_equal(pp->method, KH_METHOD_RANK);
  assert_true(pp->points == 1.5 && pp->per == 0 && pp->weight == 15.5);
  assert_int_equal(kh_indicator_at(ds, 3)->method, KH_METHOD_PROPORTIONAL);

  assert_string_equal(r->docno_prefix, "某人口");
  assert_string_equal(r->addressees, "各乡（镇）人民政府，县直有关单位");
  assert_string_equal(r->copy_to, "县委办公室，县人民政府办公室");
  assert_string_equal(r->printed_by, "某某县人口和计划生育局办公室");
  assert_string_equal(r->font_body, "FangSong");
  assert_string_equal(r->font_title, "FZXiaoBiaoSong-B05S");
  assert_string_equal(r->font_heading1, "SimHei");
  assert_string_equal(r->font_heading2, "/usr/share/fonts/kaiti.ttc:1");
  assert_string_equal(r->veto_action, "取消本季度评先评优资格,通报批评");

  assert_int_equal(r->awards->len, 2);
  assert_string_equal(tier(r->awards, 0)->name, "first");
  assert_true(tier(r->awards, 0)->is_award);
  assert_int_equal(tier(r->awards, 0)->rank_lo, 1);
  assert_int_equal(tier(r->awards, 0)->rank_hi, 1);
  assert_false(tier(r->awards, 0)->has_min_score);
  assert_string_equal(tier(r->awards, 0)->action, "通报表扬,奖励工作经费3000元");
  assert_int_equal(tier(r->awards, 1)->rank_lo, 2);
  assert_int_equal(tier(r->awards, 1)->rank_hi, 3);
  assert_true(tier(r->awards, 1)->has_min_score);
  assert_true(tier(r->awards, 1)->min_score == 80);

  assert_int_equal(r->penalties->len, 2);
  assert_string_equal(tier(r->penalties, 0)->name, "last");
  assert_false(tier(r->penalties, 0)->is_award);
  assert_int_equal(tier(r->penalties, 0)->bottom, 1);
  assert_int_equal(tier(r->penalties, 0)->rank_lo, 0);
  assert_false(tier(r->penalties, 0)->has_below);
  assert_true(tier(r->penalties, 1)->has_below);
  assert_true(tier(r->penalties, 1)->below == 60.5);
  assert_int_equal(tier(r->penalties, 1)->bottom, 0);
  /* "#" after a value is part of the value (docs/reference/rules.md). */
  assert_string_equal(tier(r->penalties, 1)->action, "黄牌警告 # 这不是注释");

  bool ytd[7] = {false};
  for (int i = 0; i < kh_n_indicators(ds); i++) {
    kh_expr_ytd_fields(kh_indicator_at(ds, i)->value, ytd);
    kh_expr_ytd_fields(kh_indicator_at(ds, i)->target, ytd);
  }
  static const bool want_ytd[7] = {true, true, false, false, false, false, false};
  assert_memory_equal(ytd, want_ytd, sizeof ytd);
  g_free(diags);
  dataset_free(ds);
}

static void test_used_attrs(void **state) {
  (void)state;
  kh_dataset *ds = dataset_new();
  kh_diags *diags = kh_diags_new();
  char *path = write_rules(spec_example, strlen(spec_example));
  assert_true(kh_rules_read(ds, path, diags));
  add_header_fields(ds);
  bool used[2] = {false};
  kh_rules_compile(ds, used, diags);
  assert_int_equal(diags->items->len, 0);
  assert_false(used[0]); /* population */
  assert_true(used[1]);  /* prepreg_task */
  assert_string_equal(ds->rules_path, path);
  kh_diags_free(diags);
  g_free(path);
  dataset_free(ds);
}

/* ---- defaults ---------------------------------------------------------------- */

#define HEADER                                                               \
  "[assessment]\n"                                                           \
  "title = 考评\n"                                                           \
  "county = 某县\n"                                                          \
  "issuer = 某局\n"                                                          \
  "year = 2013\n"                                                            \
  "[field.births]\n"                                                         \
  "label = 出生数\n"                                                         \
  "[indicator.rate]\n"
/* lines 9..13 */
#define NAME "name = 比率\n"
#define VALUE "value = births / 2\n"
#define TARGET "target = >= 95\n"
#define WEIGHT "weight = 20\n"
#define METHOD "method = all-or-nothing\n"
#define INDICATOR NAME VALUE TARGET WEIGHT METHOD

/* v2 keys (docs/reference/dataset.md, §2.7): an indicator's from, a field's help,
 * integer and cumulative, an audit's rule split at its comparison. */
static void test_v2_keys(void **state) {
  (void)state;
  char *diags = NULL;
  kh_dataset *ds = load(HEADER INDICATOR "from = 2013-07\n"
                        "[field.total]\nhelp = 截至本月底\ninteger = true\ncumulative = true\n"
                        "[audit.within]\nrule = births != total * 2\nlevel = warning\n",
                        &diags);
  assert_string_equal(diags, "");
  assert_int_equal(kh_indicator_at(ds, 0)->from_month, 7);
  assert_false(kh_indicator_in_force(kh_indicator_at(ds, 0), 6));
  assert_true(kh_indicator_in_force(kh_indicator_at(ds, 0), 7));
  const kh_field *f = g_ptr_array_index(ds->fields, 1);
  assert_string_equal(f->help, "截至本月底");
  assert_true(f->integer && f->cumulative);
  const kh_audit *a = g_ptr_array_index(ds->rules.audits, 0);
  assert_int_equal(a->op, KH_AUDIT_NE);
  assert_string_equal(a->left_src, "births ");
  assert_string_equal(a->right_src, " total * 2");
  assert_int_equal(a->right_at, 9);
  assert_int_equal(a->level, KH_WARNING);
  assert_null(a->message);
  g_free(diags);
  dataset_free(ds);

  ds = load(HEADER INDICATOR "from = 2014-01\n[indicator.b]\n" INDICATOR "from = 2013-13\n", &diags);
  assert_string_equal(diags,
                      "14:8: error: [indicator.rate] from: 月份不在考核年度（2013 年）内\n"
                      "21:8: error: [indicator.b] from: 应写作 YYYY-MM（该指标开始考核的月份，如 2013-07），而不是“2013-13”\n");
  g_free(diags);
  dataset_free(ds);
}

static void test_defaults(void **state) {
  (void)state;
  char *diags = NULL;
  kh_dataset *ds = load(HEADER INDICATOR "[award.any]\naction = 表扬\n", &diags);
  assert_string_equal(diags, "");
  const kh_indicator *ind = kh_indicator_at(ds, 0);
  assert_string_equal(ind->unit, "");
  assert_int_equal(ind->decimals, 2);
  assert_false(ind->veto);
  assert_false(ind->has_deadline);
  const kh_rules *r = &ds->rules;
  assert_null(r->docno_prefix);
  assert_null(r->addressees);
  assert_null(r->copy_to);
  assert_null(r->printed_by);
  assert_null(r->font_body);
  assert_null(r->font_title);
  assert_null(r->font_heading1);
  assert_null(r->font_heading2);
  assert_null(r->veto_action);
  const kh_tier *t = tier(r->awards, 0);
  assert_int_equal(t->rank_lo, 0);
  assert_int_equal(t->rank_hi, 0);
  assert_false(t->has_min_score);
  assert_int_equal(t->bottom, 0);
  assert_false(t->has_below);
  assert_int_equal(r->penalties->len, 0);
  g_free(diags);
  dataset_free(ds);

  /* [assessment] decimals is the indicators' default; their own wins. */
  ds = load("[assessment]\ntitle = t\ncounty = c\nissuer = i\nyear = 2013\n"
            "decimals = 1\n[indicator.a]\n" INDICATOR
            "[indicator.b]\n" INDICATOR "decimals = 0\n"
            "[field.births]\n[notice]\nprinted_by =\n",
            &diags);
  assert_string_equal(diags, "");
  assert_int_equal(kh_indicator_at(ds, 0)->decimals, 1);
  assert_int_equal(kh_indicator_at(ds, 1)->decimals, 0);
  assert_null(((kh_field *)g_ptr_array_index(ds->fields, 0))->label);
  assert_null(ds->rules.printed_by);
  g_free(diags);
  dataset_free(ds);

  /* Blanks at the end of a value go, an ideographic space too; a comment
   * line may hold "=". */
  ds = load(HEADER "# weight = 1\nname = 比率\xe3\x80\x80 \n" VALUE TARGET
            "weight = 20\xe3\x80\x80\n" METHOD,
            &diags);
  assert_string_equal(diags, "");
  assert_string_equal(kh_indicator_at(ds, 0)->name, "比率");
  assert_true(kh_indicator_at(ds, 0)->weight == 20);
  g_free(diags);
  dataset_free(ds);
}

/* A key given twice is an error, and GLib's value (the last) is kept. */
static void test_duplicate_key_value(void **state) {
  (void)state;
  char *diags = NULL;
  kh_dataset *ds = load(HEADER INDICATOR "weight = 30\n", &diags);
  assert_string_equal(diags,
                      "14:1: error: [indicator.rate] weight: 键重复（第 12 行已给出）\n");
  assert_true(kh_indicator_at(ds, 0)->weight == 30);
  g_free(diags);
  dataset_free(ds);
}

/* ---- errors ------------------------------------------------------------------ */

static const struct {
  const char *text;
  const char *diags;
} error_rows[] = {
    /* keys and groups */
    {HEADER NAME VALUE TARGET "wieght = 20\n" METHOD,
     "12:1: error: [indicator.rate] wieght: 未知的键（此组可用：name、value、"
     "target、weight、method、unit、decimals、veto、deadline、from）\n"
     "8:1: error: [indicator.rate]: 缺少键 weight\n"},
    {HEADER NAME,
     "8:1: error: [indicator.rate]: 缺少键 value\n"
     "8:1: error: [indicator.rate]: 缺少键 target\n"
     "8:1: error: [indicator.rate]: 缺少键 weight\n"
     "8:1: error: [indicator.rate]: 缺少键 method\n"},
    {HEADER INDICATOR "[extra]\nfoo = 1\n",
     "14:1: warning: [extra]: 未知的组，已忽略\n"},
    {HEADER INDICATOR "  [indicator]\n", "14:3: warning: [indicator]: 未知的组，已忽略\n"},
    {HEADER INDICATOR "[indicator.rate]\nunit = %\n",
     "14:1: error: [indicator.rate]: 组重复（第 8 行已有这个组）\n"},
    {HEADER INDICATOR "[field.births]\n",
     "14:1: error: [field.births]: 组重复（第 6 行已有这个组）\n"},
    {HEADER INDICATOR "name = 又一个\n",
     "14:1: error: [indicator.rate] name: 键重复（第 9 行已给出）\n"},
    {HEADER INDICATOR "名称 = 比率\nname[zh_CN] = x\n",
     "14:1: error: [indicator.rate] 名称: 未知的键（此组可用：name、value、"
     "target、weight、method、unit、decimals、veto、deadline、from）\n"
     "15:1: error: [indicator.rate] name[zh_CN]: 未知的键（此组可用：name、"
     "value、target、weight、method、unit、decimals、veto、deadline、from）\n"},
    {HEADER INDICATOR "foo\n",
     "14:1: error: 无法识别的行：应为 [组名]、键 = 值，或以 # 开头的注释\n"},
    {HEADER INDICATOR "[award.a]  # 一等奖\naction = x\n",
     "14:12: error: 组名行应写作 [组名]，其后不能再有内容（注释须单独成行）\n"},
    {HEADER INDICATOR "[award.a\naction = x\n",
     "14:9: error: 组名行应写作 [组名]，其后不能再有内容（注释须单独成行）\n"},
    {HEADER INDICATOR "[]\naction = x\n", "14:1: error: 组名为空\n"},
    {HEADER INDICATOR "   = 1\n", "14:4: error: “=”前缺少键名\n"},
    {HEADER INDICATOR "[indicator.2x]\n" INDICATOR,
     "14:1: error: [indicator.2x]: 指标 ID“2x”应由小写字母、数字和下划线组成，"
     "且不以数字开头\n"},
    {HEADER INDICATOR "[indicator.]\n" INDICATOR,
     "14:1: error: [indicator.]: 指标 ID“”应由小写字母、数字和下划线组成，"
     "且不以数字开头\n"},
    {HEADER INDICATOR "[field.Boys]\n",
     "14:1: error: [field.Boys]: 字段 ID“Boys”应由小写字母、数字和下划线组成，"
     "且不以数字开头\n"},
    {HEADER INDICATOR "[field.month]\n",
     "14:1: error: [field.month]: “month”是保留名称，不能作字段 ID\n"},
    {HEADER INDICATOR "[field.boys]\nlabel = 出生数\n",
     "15:9: error: [field.boys] label: 标签“出生数”已用于字段 births\n"},
    {HEADER INDICATOR "[field.boys]\nlabel = births\n",
     "15:9: error: [field.boys] label: 标签“births”是字段 births 的 ID\n"},
    {HEADER INDICATOR "[field.boys]\nlabel = 乡镇\n",
     "15:9: error: [field.boys] label: 标签不能是“乡镇”（月报的乡镇列）\n"},
    /* values */
    {HEADER "name =\n" VALUE TARGET WEIGHT METHOD,
     "9:7: error: [indicator.rate] name: 不能为空\n"},
    {HEADER NAME VALUE "target = > 95\n" WEIGHT METHOD,
     "11:10: error: [indicator.rate] target: 应以 >= 或 <= 开头，后接公式（如 >= 95）\n"},
    {HEADER NAME VALUE "target = =< 95\n" WEIGHT METHOD,
     "11:10: error: [indicator.rate] target: 应以 >= 或 <= 开头，后接公式（如 >= 95）\n"},
    {HEADER NAME VALUE "target = >=\n" WEIGHT METHOD,
     "11:12: error: [indicator.rate] target: 公式为空\n"},
    {HEADER NAME VALUE "target = >= 9 5\n" WEIGHT METHOD,
     "11:15: error: [indicator.rate] target: 多余的内容“5”：公式应在此前结束\n"},
    {HEADER NAME VALUE "target = <=prepreg_task*(month/12\n" WEIGHT METHOD,
     "11:25: error: [indicator.rate] target: 括号不配对：“(”没有对应的“)”\n"},
    {HEADER NAME "value = birth_male / 2\n" TARGET WEIGHT METHOD,
     "10:9: error: [indicator.rate] value: 未知名称“birth_male”\n"},
    {HEADER NAME "value =\n" TARGET WEIGHT METHOD,
     "10:8: error: [indicator.rate] value: 公式为空\n"},
    {HEADER NAME "value = ytd(prepreg_task)\n" TARGET WEIGHT METHOD,
     "10:13: error: [indicator.rate] value: ytd() 只能用于字段，“prepreg_task”是乡镇属性\n"},
    {HEADER NAME "value = births\xe3\x80\x80+ )\n" TARGET WEIGHT METHOD,
     "10:18: error: [indicator.rate] value: 意外的“)”：此处应为数、名称或“(”\n"},
    {HEADER NAME "value = births / x\xe3\x80\x80\n" TARGET WEIGHT METHOD,
     "10:18: error: [indicator.rate] value: 未知名称“x”\n"},
    {HEADER NAME VALUE "target = >= 出生\xe3\x80\x80\n" WEIGHT METHOD,
     "11:13: error: [indicator.rate] target: 意外的字符“出”\n"},
    {HEADER NAME VALUE TARGET "weight = \xe3\x80\x80" "20\n" METHOD,
     "12:10: error: [indicator.rate] weight: 应为非负数（如 20 或 12.5），而不是“\xe3\x80\x80" "20”\n"},
    {HEADER NAME "value = 出生数 / 2\n" TARGET WEIGHT METHOD,
     "10:9: error: [indicator.rate] value: 意外的字符“出”\n"},
    {HEADER NAME VALUE TARGET "weight = -5\n" METHOD,
     "12:10: error: [indicator.rate] weight: 应为非负数（如 20 或 12.5），而不是“-5”\n"},
    {HEADER NAME VALUE TARGET "weight = 12.\n" METHOD,
     "12:12: error: [indicator.rate] weight: 应为非负数（如 20 或 12.5），而不是“12.”\n"},
    {HEADER NAME VALUE TARGET "weight = 20分\n" METHOD,
     "12:12: error: [indicator.rate] weight: 应为非负数（如 20 或 12.5），而不是“20分”\n"},
    {HEADER INDICATOR "decimals = 11\n",
     "14:12: error: [indicator.rate] decimals: 应为整数 0 到 10，而不是“11”\n"},
    {HEADER INDICATOR "decimals = 1.5\n",
     "14:13: error: [indicator.rate] decimals: 应为整数 0 到 10，而不是“1.5”\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = dedcut 2 per 1\n",
     "13:10: error: [indicator.rate] method: 未知的计分方法“dedcut”（可用："
     "all-or-nothing、proportional、deduct P per U、rank P）\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = 扣分 2 per 1\n",
     "13:10: error: [indicator.rate] method: 未知的计分方法“扣分”（可用："
     "all-or-nothing、proportional、deduct P per U、rank P）\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = deduct x per 1\n",
     "13:17: error: [indicator.rate] method: P 应为非负数，而不是“x”\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = deduct 2 pr 1\n",
     "13:19: error: [indicator.rate] method: 应写作 deduct P per U（如 deduct 2 per 1）\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = deduct 2 per 0\n",
     "13:23: error: [indicator.rate] method: U 应大于 0\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = deduct 2 per\n",
     "13:22: error: [indicator.rate] method: 应写作 deduct P per U（如 deduct 2 per 1）\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = rank\n",
     "13:14: error: [indicator.rate] method: 应写作 rank P（如 rank 2）\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = rank -1\n",
     "13:15: error: [indicator.rate] method: P 应为非负数，而不是“-1”\n"},
    {HEADER NAME VALUE TARGET WEIGHT "method = proportional 5\n",
     "13:23: error: [indicator.rate] method: 多余的内容“5”\n"},
    {HEADER INDICATOR "veto = yes\n",
     "14:8: error: [indicator.rate] veto: 应为 true 或 false，而不是“yes”\n"},
    {HEADER INDICATOR "deadline = 2013-09-15\n",
     "14:12: error: [indicator.rate] deadline: 只有 veto = true 的指标才能设截止日期\n"},
    {HEADER INDICATOR "veto = false\ndeadline = 2013-09-15\n",
     "15:12: error: [indicator.rate] deadline: 只有 veto = true 的指标才能设截止日期\n"},
    {HEADER INDICATOR "veto = 1\ndeadline = 2013-09-15\n",
     "14:8: error: [indicator.rate] veto: 应为 true 或 false，而不是“1”\n"},
    {HEADER INDICATOR "veto = true\ndeadline = 2013-02-30\n",
     "15:12: error: [indicator.rate] deadline: “2013-02-30”不是有效的日期\n"},
    {HEADER INDICATOR "veto = true\ndeadline = 2013-9-15\n",
     "15:18: error: [indicator.rate] deadline: 日期应写作 YYYY-MM-DD（如 "
     "2013-09-15），而不是“2013-9-15”\n"},
    {HEADER INDICATOR "veto = true\ndeadline = 2014-01-15\n",
     "15:12: warning: [indicator.rate] deadline: 截止日期不在考核年度（2013 年）内\n"},
    /* tiers and [quarter] */
    {HEADER INDICATOR "[award.a]\nranks = 3-2\naction = x\n",
     "15:11: error: [award.a] ranks: 名次范围的终点 2 小于起点 3\n"},
    {HEADER INDICATOR "[award.a]\nranks = 0\naction = x\n",
     "15:9: error: [award.a] ranks: 应写作名次 A 或名次范围 A-B（如 1 或 2-3），名次从 1 起\n"},
    {HEADER INDICATOR "[award.a]\nranks = 2 - x\naction = x\n",
     "15:13: error: [award.a] ranks: 应写作名次 A 或名次范围 A-B（如 1 或 2-3），名次从 1 起\n"},
    {HEADER INDICATOR "[award.a]\nranks = 1\n",
     "14:1: error: [award.a]: 缺少键 action\n"},
    {HEADER INDICATOR "[penalty.a]\nbottom = 0\nbelow = 六十\naction =\n",
     "17:9: error: [penalty.a] action: 不能为空\n"
     "15:10: error: [penalty.a] bottom: 应为正整数，而不是“0”\n"
     "16:9: error: [penalty.a] below: 应为非负数（如 20 或 12.5），而不是“六十”\n"},
    {HEADER INDICATOR "[award.]\naction = x\nmin_score = 1e3\n",
     "14:1: error: [award.]: 等级名为空（应写作 [award.名称] 或 [penalty.名称]）\n"
     "16:14: error: [award.] min_score: 应为非负数（如 20 或 12.5），而不是“1e3”\n"},
    {HEADER INDICATOR "[quarter]\ncombine = median\n",
     "15:11: error: [quarter] combine: 只支持 mean（三个月总分的平均数），而不是“median”\n"},
    /* [assessment] and the file as a whole */
    {"[assessment]\ntitle = t\ncounty = c\nissuer = i\nyear = 13\n"
     "[field.births]\n[indicator.rate]\n" INDICATOR,
     "5:8: error: [assessment] year: 应为四位数的年份（如 2013），而不是“13”\n"},
    {"[assessment]\ntitle = t\n[field.births]\n[indicator.rate]\n" INDICATOR,
     "1:1: error: [assessment]: 缺少键 year\n"
     "1:1: error: [assessment]: 缺少键 county\n"
     "1:1: error: [assessment]: 缺少键 issuer\n"},
    {"year = 2013\n[assessment]\ntitle = t\ncounty = c\nissuer = i\nyear = 2013\n"
     "[field.births]\n[indicator.rate]\n" INDICATOR,
     "1:1: error: 键“year”出现在第一个 [组] 之前\n"},
    {"[field.births]\n[indicator.rate]\n" INDICATOR,
     "1:1: error: 缺少 [assessment] 组（其中须有 year、title、county、issuer）\n"},
    {"[assessment]\ntitle = t\ncounty = c\nissuer = i\nyear = 2013\n",
     "1:1: error: 没有任何指标（[indicator.ID] 组）\n"},
    /* several problems: all are reported, scan errors first */
    {HEADER NAME "value = x\n" "target = >= y\n" "weight = -1\n" "method = rank\n"
     "oops\n[bad\n",
     "14:1: error: 无法识别的行：应为 [组名]、键 = 值，或以 # 开头的注释\n"
     "15:5: error: 组名行应写作 [组名]，其后不能再有内容（注释须单独成行）\n"
     "12:10: error: [indicator.rate] weight: 应为非负数（如 20 或 12.5），而不是“-1”\n"
     "13:14: error: [indicator.rate] method: 应写作 rank P（如 rank 2）\n"
     "10:9: error: [indicator.rate] value: 未知名称“x”\n"
     "11:13: error: [indicator.rate] target: 未知名称“y”\n"},
};

static void test_errors(void **state) {
  (void)state;
  for (size_t i = 0; i < G_N_ELEMENTS(error_rows); i++) {
    char *diags = NULL;
    kh_dataset *ds = load(error_rows[i].text, &diags);
    if (strcmp(diags, error_rows[i].diags) != 0)
      fail_msg("row %zu:\n%s\ngot:\n%s\nexpected:\n%s", i, error_rows[i].text,
               diags, error_rows[i].diags);
    g_free(diags);
    dataset_free(ds);
  }
}

/* [mail] from and the tiers' labels (v2): a label as written, else a
 * Chinese one by the tier's place, never the group id. */
static void test_mail_and_labels(void **state) {
  (void)state;
  char *diags = NULL;
  kh_dataset *ds = load(HEADER INDICATOR "[mail]\nfrom = 某局 <tjk@example.gov.cn>\n"
                        "[award.first]\nlabel = 特等奖\naction = 表扬\n"
                        "[award.second]\naction = 表扬\n[penalty.last]\naction = 批评\n"
                        "[penalty.low]\nlabel = 黄牌\naction = 警告\n",
                        &diags);
  assert_string_equal(diags, "");
  const kh_rules *r = &ds->rules;
  assert_string_equal(r->mail_from, "某局 <tjk@example.gov.cn>");
  assert_string_equal(tier(r->awards, 0)->label, "特等奖");
  assert_string_equal(tier(r->awards, 1)->label, "二等奖");
  assert_string_equal(tier(r->penalties, 0)->label, "一档处罚");
  assert_string_equal(tier(r->penalties, 1)->label, "黄牌");
  g_free(diags);
  dataset_free(ds);

  ds = load(HEADER INDICATOR "[mail]\nfrom = 某局 <not an address>\n", &diags);
  assert_non_null(strstr(diags, "error: [mail] from: 发件人应写作 名称 <地址> 或只写地址"));
  assert_null(ds->rules.mail_from);
  g_free(diags);
  dataset_free(ds);

  char *name, *address;
  assert_true(kh_mail_sender_parse("tjk@example.gov.cn", &name, &address));
  assert_null(name);
  assert_string_equal(address, "tjk@example.gov.cn");
  g_free(address);
  assert_true(kh_mail_sender_parse(" 某某县 局 <a@b.cn>", &name, &address));
  assert_string_equal(name, "某某县 局");
  assert_string_equal(address, "a@b.cn");
  g_free(name);
  g_free(address);
  assert_false(kh_mail_sender_parse("某局 <a@b.cn", &name, &address));
  assert_false(kh_mail_sender_parse("\"某局\" <a@b.cn>", &name, &address));
  assert_false(kh_mail_sender_parse("kaohe@localhost.", &name, &address));
  assert_null(name);
  assert_null(address);
}

/* [mail]'s server for the web console: read as written, checked as the
 * command checks --smtp, --user and --password-file. */
static void test_mail_server(void **state) {
  (void)state;
  char *diags = NULL;
  kh_dataset *ds = load(HEADER INDICATOR "[mail]\nfrom = tjk@example.gov.cn\n"
                        "smtp = smtps://mail.example.gov.cn:465\nuser = tjk\n"
                        "password_file = smtp-password\nca_file = /etc/ca.pem\n"
                        "starttls = false\n",
                        &diags);
  assert_string_equal(diags, "");
  const kh_rules *r = &ds->rules;
  assert_string_equal(r->mail_smtp, "smtps://mail.example.gov.cn:465");
  assert_string_equal(r->mail_user, "tjk");
  assert_string_equal(r->mail_password_file, "smtp-password");
  assert_string_equal(r->mail_ca_file, "/etc/ca.pem");
  assert_true(r->mail_no_starttls);
  g_free(diags);
  dataset_free(ds);

  ds = load(HEADER INDICATOR "[mail]\nsmtp = mail.example.gov.cn\n", &diags);
  assert_non_null(strstr(diags, "error: [mail] smtp: SMTP 服务器地址应以 smtp:// 或 smtps:// 开头"));
  assert_null(ds->rules.mail_smtp);
  assert_false(ds->rules.mail_no_starttls);
  g_free(diags);
  dataset_free(ds);

  ds = load(HEADER INDICATOR "[mail]\nsmtp = smtp://tjk:secret@mail.example.gov.cn\n"
            "password_file = p\n", &diags);
  assert_non_null(strstr(diags, "error: [mail] smtp: SMTP 服务器地址中不能写用户名或密码"));
  assert_non_null(strstr(diags, "error: [mail] password_file: password_file 需要与 user 一起使用"));
  assert_null(ds->rules.mail_smtp);
  assert_null(ds->rules.mail_password_file);
  g_free(diags);
  dataset_free(ds);
}

/* The diagnostic names the path as given and carries the source line. */
static void test_diag_place(void **state) {
  (void)state;
  kh_dataset *ds = dataset_new();
  kh_diags *diags = kh_diags_new();
  char *path = write_rules(HEADER NAME "value = birth_male / 2\n" TARGET WEIGHT
                           METHOD, strlen(HEADER NAME "value = birth_male / 2\n"
                                                  TARGET WEIGHT METHOD));
  assert_true(kh_rules_read(ds, path, diags));
  kh_rules_compile(ds, NULL, diags);
  assert_int_equal(diags->n_errors, 1);
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_string_equal(d->file, path);
  assert_string_equal(d->source_line, "value = birth_male / 2");
  char *shown = kh_diag_format(d);
  char *want = g_strdup_printf(
      "%s:10:9: error: [indicator.rate] value: 未知名称“birth_male”\n"
      "  value = birth_male / 2\n"
      "          ^",
      path);
  assert_string_equal(shown, want);
  g_free(shown);
  g_free(want);
  kh_diags_free(diags);
  g_free(path);
  dataset_free(ds);
}

/* A dataset built in memory, without a rules file, still gets its formula
 * errors, at line 1 with the column in the formula. */
static void test_compile_without_file(void **state) {
  (void)state;
  kh_dataset *ds = dataset_new();
  ds->fields = g_ptr_array_new();
  ds->rules.indicators = g_ptr_array_new();
  kh_indicator ind = {.id = "x", .value_src = "1 + nope", .target_src = "2"};
  g_ptr_array_add(ds->rules.indicators, &ind);
  kh_diags *diags = kh_diags_new();
  kh_rules_compile(ds, NULL, diags);
  char *text = diags_text(diags);
  assert_string_equal(text,
                      "1:1: error: [indicator.x] value: 公式第 5 个字符处：未知名称“nope”\n");
  assert_null(ind.value);
  assert_non_null(ind.target);
  kh_expr_free(ind.target);
  g_free(text);
  kh_diags_free(diags);
  g_ptr_array_unref(ds->rules.indicators);
  ds->rules.indicators = NULL;
  dataset_free(ds);
}

/* ---- encodings and line ends -------------------------------------------------- */

static const char with_error[] =
    HEADER NAME "value = 出生数 / 2\n" TARGET WEIGHT METHOD;
static const char with_error_diags[] =
    "10:9: error: [indicator.rate] value: 意外的字符“出”\n";

static void expect_same(const char *bytes, gsize len) {
  char *diags = NULL;
  kh_dataset *ds = load_bytes(bytes, len, &diags);
  assert_string_equal(diags, with_error_diags);
  assert_string_equal(kh_indicator_at(ds, 0)->name, "比率");
  assert_string_equal(ds->rules.title, "考评");
  g_free(diags);
  dataset_free(ds);
}

static void test_crlf(void **state) {
  (void)state;
  char **lines = g_strsplit(with_error, "\n", -1);
  char *crlf = g_strjoinv("\r\n", lines);
  expect_same(crlf, strlen(crlf));
  char *cr = g_strjoinv("\r", lines);
  expect_same(cr, strlen(cr));
  g_free(cr);
  g_free(crlf);
  g_strfreev(lines);
}

static void test_bom(void **state) {
  (void)state;
  char *bom = g_strconcat("\xEF\xBB\xBF", with_error, NULL);
  expect_same(bom, strlen(bom));
  g_free(bom);

  /* The BOM is not a character of line 1. */
  char *diags = NULL;
  kh_dataset *ds = load("\xEF\xBB\xBF[assessment] x\n", &diags);
  assert_string_equal(diags,
                      "1:14: error: 组名行应写作 [组名]，其后不能再有内容（注释须单独成行）\n"
                      "1:1: error: 缺少 [assessment] 组（其中须有 year、title、county、issuer）\n"
                      "1:1: error: 没有任何指标（[indicator.ID] 组）\n");
  g_free(diags);
  dataset_free(ds);
}

static void test_gb18030(void **state) {
  (void)state;
  gsize len = 0;
  char *gb = g_convert(with_error, -1, "GB18030", "UTF-8", NULL, &len, NULL);
  assert_non_null(gb);
  assert_false(g_utf8_validate(gb, (gssize)len, NULL));
  expect_same(gb, len);
  g_free(gb);
}

static void test_unreadable(void **state) {
  (void)state;
  kh_dataset *ds = dataset_new();
  kh_diags *diags = kh_diags_new();
  char *path = g_build_filename(tmp_dir, "absent.ini", NULL);
  assert_false(kh_rules_read(ds, path, diags));
  assert_int_equal(diags->n_errors, 1);
  assert_int_equal(kh_n_indicators(ds), 0);
  kh_rules_compile(ds, NULL, diags);
  assert_int_equal(diags->n_errors, 1);
  g_free(path);
  kh_diags_free(diags);
  dataset_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spec_example),
      cmocka_unit_test(test_used_attrs),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_v2_keys),
      cmocka_unit_test(test_duplicate_key_value),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_diag_place),
      cmocka_unit_test(test_mail_and_labels),
      cmocka_unit_test(test_mail_server),
      cmocka_unit_test(test_compile_without_file),
      cmocka_unit_test(test_crlf),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_gb18030),
      cmocka_unit_test(test_unreadable),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
