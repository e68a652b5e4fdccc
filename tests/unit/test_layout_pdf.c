/* The page layout end to end on a realistic 督查通报: the PDF is written,
 * reproducible, atomic; the canvas has the GB/T 9704 geometry (header, grid,
 * page numbers, landscape attachment with its header row on every page,
 * closing block on the type area's bottom edge); PDF/A parts are present.
 *
 * With KAOHE_LAYOUT_OUT=DIR set, the sample notice is also written to
 * DIR/notice.pdf and DIR/notice-pdfa.pdf for tests/e2e/layout_pdf.sh. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "render/layout/chart.h"
#include "render/layout/compose.h"
#include "render/layout/page.h"
#include "render/layout/pdf.h"
#include "render/layout/text.h"

static const char *const townships[] = {"城关镇", "河口乡", "石门乡", "东岭乡", "西山乡",
                                        "南湖镇", "北坝乡", "龙泉镇", "桃源乡", "青石乡",
                                        "白水镇", "金沙乡", "柳林镇", "马场乡"};
static const double totals[] = {96.5, 94.2, 91.8, 90.3, 88.7, 87.1, 85.6,
                                83.9, 81.2, 79.5, 76.8, 72.4, 68.9, 61.3};

static void para(kh_doc *doc, kh_block_kind kind, const char *text) {
  kh_block *b = kh_block_new(kind);
  kh_block_add_run(b, KH_FACE_BODY, text);
  g_ptr_array_add(doc->blocks, b);
}

/* A paragraph starting with a run-in heading in 楷体. */
static void run_in(kh_doc *doc, const char *head, const char *text) {
  kh_block *b = kh_block_new(KH_BLOCK_PARAGRAPH);
  kh_block_add_run(b, KH_FACE_KAI, head);
  kh_block_add_run(b, KH_FACE_BODY, text);
  g_ptr_array_add(doc->blocks, b);
}

static kh_table *score_table(int rows) {
  kh_table *t = kh_table_new(10, 1);
  const char *head[] = {"排名", "乡（镇）", "出生人口性别比", "孕前优生健康检查",
                        "数据库主要数据项完整率", "身份证号码录入率", "身份证号码重复率",
                        "独生子女保健费兑现", "总分", "备注"};
  kh_table_add_row(t, head, false);
  for (int r = 0; r < rows; r++) {
    char rank[8], a[16], b[16], c[16], d[16], e[16], f[16], total[16];
    g_snprintf(rank, sizeof rank, "%d", r + 1);
    g_snprintf(a, sizeof a, "%.1f", 20 - r * 0.8);
    g_snprintf(b, sizeof b, "%.1f", 15 - r * 0.3);
    g_snprintf(c, sizeof c, "%.2f", 15 - r * 0.25);
    g_snprintf(d, sizeof d, "%.2f", 20 - r * 0.9);
    g_snprintf(e, sizeof e, "%.2f", 10 - r * 0.1);
    g_snprintf(f, sizeof f, "%d", r == 13 ? 0 : 20);
    g_snprintf(total, sizeof total, "%.1f", totals[r % 14]);
    const char *row[] = {rank, townships[r % 14], a, b, c, d, e, f, total,
                         r == 13 ? "保健费未兑现，一票否决" : ""};
    kh_table_add_row(t, row, r == 13);
  }
  for (int c = 0; c < 10; c++)
    t->align[c] = c == 1 || c == 9 ? KH_ALIGN_LEFT : KH_ALIGN_CENTER;
  return t;
}

/* The sample: 关于2013年7月全县人口计生重点工作考评情况的通报. */
static kh_doc *sample_notice(int table_rows) {
  kh_doc *doc = kh_doc_new();
  doc->issuer_mark = g_strdup("某某县人口和计划生育局");
  doc->docno = g_strdup("某人口〔2013〕15号");
  doc->addressees = g_strdup("各乡（镇）人民政府，县直有关单位");
  doc->signature = g_strdup("某某县人口和计划生育局");
  doc->date_text = g_strdup("2013年9月5日");
  doc->copy_to = g_strdup("县委办公室，县人民政府办公室，县人大常委会办公室，县政协办公室");
  doc->printed_by = g_strdup("某某县人口和计划生育局办公室");
  doc->print_date_text = g_strdup("2013年9月5日");
  doc->info_title = g_strdup("关于2013年7月全县人口计生重点工作考评情况的通报");
  doc->info_author = g_strdup("某某县人口和计划生育局");
  doc->info_subject = g_strdup("2013年7月人口计生重点工作考评");
  doc->created = 1378353600; /* 2013-09-05 12:00 +08:00 */
  para(doc, KH_BLOCK_TITLE, "关于2013年7月全县人口计生重点工作考评情况的通报");
  para(doc, KH_BLOCK_PARAGRAPH,
       "为全面掌握各乡（镇）人口和计划生育重点工作进展情况，根据《某某县人口和计划生育"
       "目标管理责任制考核办法》，县人口和计划生育局于2013年8月上旬对全县14个乡（镇）7月份"
       "重点工作完成情况进行了考评。考评采取查阅资料、入户抽查和数据比对相结合的方式进行。"
       "现将有关情况通报如下：");
  para(doc, KH_BLOCK_HEADING1, "一、基本情况");
  para(doc, KH_BLOCK_PARAGRAPH,
       "从考评结果看，全县人口计生重点工作总体进展顺利，各项主要指标完成情况较好。1—7月，"
       "全县出生人口性别比为125.5，高于控制目标（107）18.5，较上月下降1.2；免费孕前优生健康"
       "检查完成年度任务的68.3%，较上月提高9.6个百分点；人口数据库主要数据项完整率达97.6%；"
       "身份证号码录入率为84.71%，低于责任指标（95%）10.29个百分点；身份证号码重复率为0.86%，"
       "控制在1%以内。");
  para(doc, KH_BLOCK_PARAGRAPH,
       "城关镇和河口乡两个单位在考评中综合得分均位居全县前列，其工作经验值得各地认真学习"
       "借鉴，希望受到表扬的单位珍惜荣誉，再接再厉，继续发挥示范带头作用。各乡（镇）综合"
       "得分如下图：");
  kh_block *chart = kh_block_new(KH_BLOCK_CHART);
  chart->chart = kh_chart_new(100);
  for (int i = 0; i < 14; i++)
    kh_chart_add(chart->chart, townships[i], totals[i]);
  chart->chart->note = g_strdup("图1  各乡（镇）2013年7月考评综合得分（满分100分）");
  g_ptr_array_add(doc->blocks, chart);
  para(doc, KH_BLOCK_HEADING1, "二、存在的主要问题");
  para(doc, KH_BLOCK_HEADING2, "（一）出生人口性别比依然偏高");
  para(doc, KH_BLOCK_PARAGRAPH,
       "全县有5个乡（镇）出生人口性别比超过120，其中石门乡高达138.2，比全县平均水平高出"
       "12.7，与控制目标差距较大。");
  para(doc, KH_BLOCK_HEADING2, "（二）身份证号码录入率偏低");
  para(doc, KH_BLOCK_PARAGRAPH,
       "全县没有一个乡（镇）达到95%的责任指标，石门乡、东岭乡、马场乡3个乡低于90%，"
       "其中马场乡仅为73.15%，排名全县末位。");
  para(doc, KH_BLOCK_HEADING2, "（三）独生子女保健费兑现不到位");
  kh_block *veto = kh_block_new(KH_BLOCK_PARAGRAPH);
  kh_block_add_run(veto, KH_FACE_BODY, "截至7月底，仍有4个乡（镇）未足额兑现独生子女保健费。");
  kh_block_add_run(veto, KH_FACE_HEI, "请相关乡（镇）于2013-09-15前兑现到位，");
  kh_block_add_run(veto, KH_FACE_BODY, "逾期未兑现的，实行“一票否决”。");
  g_ptr_array_add(doc->blocks, veto);
  para(doc, KH_BLOCK_HEADING1, "三、下步工作要求");
  run_in(doc, "（一）强化责任落实。",
         "各乡（镇）要对照考评中发现的问题，认真分析原因，制定切实可行的整改措施，明确"
         "责任人和完成时限，确保各项指标按期完成。主要领导要亲自过问，分管领导要具体负责，"
         "一级抓一级，层层抓落实。");
  run_in(doc, "（二）加强督促检查。",
         "县人口和计划生育局将加大督查力度，对整改情况进行跟踪督查，每月通报一次进展情况。");
  run_in(doc, "（三）严格兑现奖惩。",
         "考评结果纳入年度目标管理责任制考核，对连续两次考评排名末位的乡（镇），给予黄牌警告。");
  g_ptr_array_add(doc->blocks, kh_block_new(KH_BLOCK_ATTACHMENT));
  para(doc, KH_BLOCK_TITLE, "各乡（镇）2013年7月人口计生重点工作考评得分排名表");
  kh_block *table = kh_block_new(KH_BLOCK_TABLE);
  table->table = score_table(table_rows);
  g_ptr_array_add(doc->blocks, table);
  return doc;
}

/* A fresh folder under the system's temporary folder. */
static char *temp_dir(void) {
  GError *err = NULL;
  char *dir = g_dir_make_tmp("kaohe-layout-XXXXXX", &err);
  assert_non_null(dir);
  return dir;
}

static void remove_dir(char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    char *p = g_build_filename(dir, name, NULL);
    g_unlink(p);
    g_free(p);
  }
  if (d)
    g_dir_close(d);
  g_rmdir(dir);
  g_free(dir);
}

static kh_canvas *compose_sample(kh_doc *doc, kh_fontset **fs) {
  kh_diags *diags = kh_diags_new();
  *fs = kh_fontset_open(NULL, diags);
  assert_non_null(*fs);
  kh_canvas *c = kh_compose(doc, *fs, "notice.pdf", diags);
  assert_non_null(c);
  assert_int_equal(diags->n_errors, 0);
  kh_diags_free(diags);
  return c;
}

/* The first text operation on page p containing `needle`, or NULL. */
static const kh_draw_op *find_text(const kh_canvas *c, guint p, const char *needle) {
  const kh_page *pg = g_ptr_array_index(c->pages, p);
  for (guint i = 0; i < pg->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
    if (op->kind == KH_OP_TEXT && strstr(op->text, needle))
      return op;
  }
  return NULL;
}

static void test_header_geometry(void **state) {
  (void)state;
  kh_doc *doc = sample_notice(14);
  kh_fontset *fs;
  kh_canvas *c = compose_sample(doc, &fs);
  kh_area a = kh_page_area(false);
  const kh_draw_op *mark = find_text(c, 0, "某某县人口和计划生育局");
  assert_non_null(mark);
  assert_true(mark->color.r > 0.8 && mark->color.g < 0.1); /* red */
  double top = mark->y + kh_fontset_ascent(fs, KH_FACE_TITLE) * mark->size;
  assert_true(fabs(a.top - top - 35 * KH_MM) < 0.5);
  /* compressed to the type area's width, centred */
  double w = 0;
  for (const char *s = mark->text; *s; s = g_utf8_next_char(s))
    w += kh_fontset_advance(fs, KH_FACE_TITLE, g_utf8_get_char(s)) / 1000.0 * mark->size;
  w *= mark->hscale / 100;
  assert_true(w <= a.right - a.left + 0.01);
  assert_true(fabs(mark->x - a.left - (a.right - a.left - w) / 2) < 0.01);
  const kh_draw_op *docno = find_text(c, 0, "某人口〔2013〕15号");
  assert_non_null(docno);
  assert_true(fabs(mark->y - docno->y - 2 * kh_grid_pitch()) < 0.01);
  /* the red rule 4 mm under the document number's glyph box, as wide as
   * the type area */
  bool rule = false;
  const kh_page *p0 = g_ptr_array_index(c->pages, 0);
  double docno_bottom = docno->y - kh_fontset_descent(fs, KH_FACE_BODY) * KH_BODY_SIZE;
  for (guint i = 0; i < p0->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(p0->ops, kh_draw_op, i);
    if (op->kind == KH_OP_LINE && op->color.r > 0.8 && op->color.g < 0.1)
      rule = fabs(docno_bottom - op->y - 4 * KH_MM) < 0.01 && fabs(op->x - a.left) < 0.01 &&
             fabs(op->x2 - a.right) < 0.01 && op->y == op->y2;
  }
  assert_true(rule);
  /* addressees flush left, on the grid */
  const kh_draw_op *to = find_text(c, 0, "各乡（镇）人民政府");
  assert_non_null(to);
  assert_true(fabs(to->x - a.left) < 0.01);
  assert_true(g_str_has_suffix(to->text, "："));
  kh_canvas_free(c);
  kh_fontset_free(fs);
  kh_doc_free(doc);
}

/* 发文机关署名 and 成文日期 without a seal (GB/T 9704 7.3.5.2): the
 * signature right-indented two characters, the date on the next grid line
 * starting two characters right of the signature's start; the longer date
 * is right-indented two characters instead and the signature moves left. */
static void test_signature(void **state) {
  (void)state;
  for (int longer_date = 0; longer_date < 2; longer_date++) {
    kh_doc *doc = sample_notice(14);
    if (longer_date) {
      g_free(doc->signature);
      doc->signature = g_strdup("某县局");
    }
    kh_fontset *fs;
    kh_canvas *c = compose_sample(doc, &fs);
    const kh_draw_op *sig = NULL, *date = NULL;
    for (guint p = 0; p < c->pages->len && !date; p++) {
      const kh_page *pg = g_ptr_array_index(c->pages, p);
      for (guint i = 0; i < pg->ops->len; i++) {
        const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
        if (op->kind == KH_OP_TEXT && strcmp(op->text, doc->signature) == 0 && !pg->landscape)
          sig = op;
        if (sig && op->kind == KH_OP_TEXT && strcmp(op->text, "2013年9月5日") == 0)
          date = op;
      }
    }
    assert_non_null(sig);
    assert_non_null(date);
    kh_area a = kh_page_area(false);
    double ch = kh_grid_char();
    double sw = kh_text_width(fs, KH_FACE_BODY, KH_BODY_SIZE, sig->char_space, sig->text);
    double dw = kh_text_width(fs, KH_FACE_BODY, KH_BODY_SIZE, date->char_space, date->text);
    assert_true(fabs(sig->y - date->y - kh_grid_pitch()) < 0.01);
    assert_true(fabs(date->x - sig->x - 2 * ch) < 0.01);
    double right = a.right - 2 * ch;
    if (longer_date)
      assert_true(fabs(date->x + dw - right) < 0.01);
    else
      assert_true(fabs(sig->x + sw - right) < 0.01);
    kh_canvas_free(c);
    kh_fontset_free(fs);
    kh_doc_free(doc);
  }
}

/* Every body text line on page 2 starts on the grid. */
static void test_grid(void **state) {
  (void)state;
  kh_doc *doc = sample_notice(14);
  kh_fontset *fs;
  kh_canvas *c = compose_sample(doc, &fs);
  assert_true(c->pages->len >= 3);
  kh_area a = kh_page_area(false);
  const kh_page *pg = g_ptr_array_index(c->pages, 1);
  int on_grid = 0;
  for (guint i = 0; i < pg->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
    if (op->kind != KH_OP_TEXT || op->size != KH_BODY_SIZE)
      continue;
    bool hit = false;
    for (int k = 0; k < KH_GRID_LINES; k++)
      hit |= fabs(op->y - kh_grid_baseline(fs, &a, k)) < 0.01;
    assert_true(hit);
    assert_true(op->x >= a.left - 0.01 && op->x < a.right);
    on_grid++;
  }
  assert_true(on_grid > 5);
  /* the first line box starts at the top margin */
  double b0 = kh_grid_baseline(fs, &a, 0);
  double asc = kh_fontset_ascent(fs, KH_FACE_BODY) * KH_BODY_SIZE;
  assert_true(fabs(KH_A4_H - (b0 + asc) - 37 * KH_MM) < 3 * KH_MM);
  kh_canvas_free(c);
  kh_fontset_free(fs);
  kh_doc_free(doc);
}

/* A 40-row table on landscape attachment pages: header row on every table
 * page, page numbers rotated at the physical edge, closing block on a
 * portrait page of its own with its last rule on the type area's bottom. */
static void test_attachment_and_closing(void **state) {
  (void)state;
  kh_doc *doc = sample_notice(40);
  kh_fontset *fs;
  kh_canvas *c = compose_sample(doc, &fs);
  int landscape = 0;
  for (guint p = 0; p < c->pages->len; p++) {
    const kh_page *pg = g_ptr_array_index(c->pages, p);
    char *num = g_strdup_printf("— %u —", p + 1);
    const kh_draw_op *n = find_text(c, p, num);
    assert_true(pg->unnumbered ? n == NULL : n != NULL);
    if (n)
      assert_int_equal(n->rotated, pg->landscape);
    g_free(num);
    if (!pg->landscape)
      continue;
    landscape++;
    assert_non_null(find_text(c, p, "总分")); /* the header row */
  }
  assert_true(landscape >= 2);
  const kh_page *first_att = NULL;
  for (guint p = 0; p < c->pages->len && !first_att; p++)
    if (((kh_page *)g_ptr_array_index(c->pages, p))->landscape)
      first_att = g_ptr_array_index(c->pages, p);
  assert_non_null(find_text(c, (guint)first_att->number - 1, "附件"));
  const kh_page *last = kh_canvas_last_page(c);
  assert_false(last->landscape);
  assert_non_null(find_text(c, last->number - 1, "抄送："));
  assert_non_null(find_text(c, last->number - 1, "2013年9月5日印发"));
  kh_area a = kh_page_area(false);
  bool bottom_rule = false;
  for (guint i = 0; i < last->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(last->ops, kh_draw_op, i);
    if (op->kind == KH_OP_LINE && fabs(op->y - a.bottom) < 0.01 && fabs(op->y2 - a.bottom) < 0.01 &&
        fabs(op->x - a.left) < 0.01 && fabs(op->x2 - a.right) < 0.01)
      bottom_rule = fabs(op->line_width - 0.35 * KH_MM) < 0.01;
  }
  assert_true(bottom_rule);
  /* the marked (vetoed) row is red */
  bool red = false;
  for (guint p = 0; p < c->pages->len; p++) {
    const kh_draw_op *op = find_text(c, p, "马场乡");
    if (op && ((kh_page *)g_ptr_array_index(c->pages, p))->landscape)
      red |= op->color.r > 0.8 && op->color.g < 0.1;
  }
  assert_true(red);
  kh_canvas_free(c);
  kh_fontset_free(fs);
  kh_doc_free(doc);
}

/* How the 版记 was placed in a composed document. */
typedef enum { CLOSING_WITH_TEXT, CLOSING_NUMBERED, CLOSING_AFTER_BLANK } closing_place;

/* The 版记 is on the last page, which is even; the page before it is blank
 * and both are unnumbered, or every page is numbered. */
static closing_place assert_closing_even(const kh_canvas *c) {
  guint n = c->pages->len;
  assert_int_equal(n % 2, 0);
  const kh_page *last = kh_canvas_last_page(c);
  assert_non_null(find_text(c, n - 1, "印发"));
  const kh_page *before = g_ptr_array_index(c->pages, n - 2);
  bool blank = before->ops->len == 0;
  int body_ops = 0;
  for (guint p = 0; p < n; p++) {
    const kh_page *pg = g_ptr_array_index(c->pages, p);
    char *num = g_strdup_printf("— %u —", p + 1);
    bool numbered = find_text(c, p, num) != NULL;
    g_free(num);
    bool bare = blank && p + 2 >= n;
    assert_int_equal(pg->unnumbered, bare);
    assert_int_equal(numbered, !bare);
    if (p + 2 < n || !blank)
      assert_true(pg->ops->len > 0);
  }
  for (guint i = 0; i < last->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(last->ops, kh_draw_op, i);
    body_ops += op->kind == KH_OP_TEXT && op->size == KH_BODY_SIZE;
  }
  return blank ? CLOSING_AFTER_BLANK : body_ops ? CLOSING_WITH_TEXT : CLOSING_NUMBERED;
}

/* The 版记 on the last face, an even page (GB/T 9704 7.4.1, 7.5), for
 * bodies ending on odd and even pages, with and without room left: at the
 * foot of an even page with room, on the next (even) page after an odd
 * one, after an unnumbered blank page when it needs an odd page of its
 * own. */
static void test_closing_on_even_page(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(NULL, diags);
  assert_non_null(fs);
  bool seen[3] = {false, false, false};
  for (int k = 0; k < 48; k++) {
    kh_doc *doc = sample_notice(0);
    g_ptr_array_set_size(doc->blocks, 1); /* the title */
    for (int i = 0; i < k; i++)
      para(doc, KH_BLOCK_PARAGRAPH,
           "各乡（镇）要对照考评中发现的问题，认真分析原因，制定切实可行的整改措施，"
           "明确责任人和完成时限。");
    kh_canvas *c = kh_compose(doc, fs, "notice.pdf", diags);
    assert_non_null(c);
    seen[assert_closing_even(c)] = true;
    kh_canvas_free(c);
    kh_doc_free(doc);
  }
  assert_true(seen[CLOSING_WITH_TEXT] && seen[CLOSING_NUMBERED] && seen[CLOSING_AFTER_BLANK]);
  /* the wide table's landscape pages, 14 to 80 rows */
  for (int rows = 14; rows <= 80; rows += 11) {
    kh_doc *doc = sample_notice(rows);
    kh_canvas *c = kh_compose(doc, fs, "notice.pdf", diags);
    assert_non_null(c);
    assert_int_not_equal(assert_closing_even(c), CLOSING_WITH_TEXT);
    kh_canvas_free(c);
    kh_doc_free(doc);
  }
  assert_int_equal(diags->n_errors, 0);
  kh_fontset_free(fs);
  kh_diags_free(diags);
}

/* The body lines of a page (16 pt body-face text, the page number left
 * out), as the text of each line from the top, joined left to right. */
static GPtrArray *body_lines(const kh_page *pg, double *chart_top, double *chart_bottom) {
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  GArray *ys = g_array_new(FALSE, FALSE, sizeof(double));
  *chart_top = -1, *chart_bottom = 1e9;
  for (guint i = 0; i < pg->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
    if (op->kind == KH_OP_RECT) {
      *chart_top = MAX(*chart_top, op->y + op->y2);
      *chart_bottom = MIN(*chart_bottom, op->y);
    }
    if (op->kind != KH_OP_TEXT || op->size != KH_BODY_SIZE || op->face != KH_FACE_BODY)
      continue;
    guint k = 0;
    while (k < ys->len && fabs(g_array_index(ys, double, k) - op->y) > 0.01)
      k++;
    if (k == ys->len) {
      double y = op->y;
      g_array_append_val(ys, y);
      g_ptr_array_add(lines, g_strdup(""));
    }
    char *joined = g_strconcat(g_ptr_array_index(lines, k), op->text, NULL);
    g_free(g_ptr_array_index(lines, k));
    g_ptr_array_index(lines, k) = joined;
  }
  /* lines above the chart keep their y; record which are above it */
  for (guint k = 0; k < lines->len; k++)
    if (g_array_index(ys, double, k) < *chart_top && *chart_top > 0) {
      char *mark = g_strconcat("\x01", g_ptr_array_index(lines, k), NULL);
      g_free(g_ptr_array_index(lines, k));
      g_ptr_array_index(lines, k) = mark; /* below the chart */
    }
  g_array_unref(ys);
  return lines;
}

/* A chart too tall for the rest of its page waits for a page top, and
 * never for one inside a paragraph (issue 16 item 7): whatever number of
 * paragraphs comes before it, the body line just before the chart (on its
 * page, or the last of the page before when it is at the top) ends a
 * paragraph. Each paragraph here ends with its only 。. */
static void test_chart_between_paragraphs(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(NULL, diags);
  int deferred = 0;
  for (int k = 0; k < 24; k++) {
    kh_doc *doc = kh_doc_new();
    for (int i = 0; i < k; i++)
      para(doc, KH_BLOCK_PARAGRAPH, "各乡（镇）要对照考评中发现的问题认真分析原因，制定切实可行的整改措施。");
    kh_block *chart = kh_block_new(KH_BLOCK_CHART);
    chart->chart = kh_chart_new(100);
    for (int i = 0; i < 28; i++)
      kh_chart_add(chart->chart, townships[i % 14], totals[i % 14]);
    g_ptr_array_add(doc->blocks, chart);
    for (int i = 0; i < 12; i++)
      para(doc, KH_BLOCK_PARAGRAPH,
           "县人口和计划生育局将加大督查力度，对工作滞后、指标差距较大的乡（镇）实行跟踪督办，"
           "督查结果纳入年度目标管理责任制考核，对连续两次考评排名末位的乡（镇）给予黄牌警告。");
    kh_canvas *c = kh_compose(doc, fs, "notice.pdf", diags);
    assert_non_null(c);
    for (guint p = 0; p < c->pages->len; p++) {
      double top, bottom;
      GPtrArray *lines = body_lines(g_ptr_array_index(c->pages, p), &top, &bottom);
      if (top > 0) {
        const char *before = NULL;
        for (guint l = 0; l < lines->len; l++)
          if (((char *)g_ptr_array_index(lines, l))[0] != '\x01')
            before = g_ptr_array_index(lines, l);
        if (!before && p > 0) { /* at the top: the last line of the page before */
          double t2, b2;
          GPtrArray *prev = body_lines(g_ptr_array_index(c->pages, p - 1), &t2, &b2);
          assert_true(prev->len > 0);
          before = g_strdup(g_ptr_array_index(prev, prev->len - 1));
          g_ptr_array_unref(prev);
          deferred++;
          if (!g_str_has_suffix(before, "。"))
            fail_msg("%d paragraphs before: the chart on page %u splits a paragraph after "
                     "“%s”", k, p + 1, before);
          g_free((char *)before);
        } else if (before) {
          assert_true(g_str_has_suffix(before, "。"));
        }
      }
      g_ptr_array_unref(lines);
    }
    kh_canvas_free(c);
    kh_doc_free(doc);
  }
  assert_true(deferred > 0);
  assert_int_equal(diags->n_errors, 0);
  kh_fontset_free(fs);
  kh_diags_free(diags);
}

/* 1,500 bars: the chart shows 40 and says so. */
static void test_chart_many_bars(void **state) {
  (void)state;
  kh_doc *doc = kh_doc_new();
  kh_block *b = kh_block_new(KH_BLOCK_CHART);
  b->chart = kh_chart_new(100);
  for (int i = 0; i < 1500; i++) {
    char label[32];
    g_snprintf(label, sizeof label, "单位%d", i + 1);
    kh_chart_add(b->chart, label, 100 - i / 15.0);
  }
  g_ptr_array_add(doc->blocks, b);
  kh_fontset *fs;
  kh_canvas *c = compose_sample(doc, &fs);
  assert_int_equal(c->pages->len, 1);
  assert_non_null(find_text(c, 0, "单位20"));
  assert_null(find_text(c, 0, "单位21"));
  assert_non_null(find_text(c, 0, "单位1481"));
  assert_non_null(find_text(c, 0, "共1500个单位"));
  kh_area a = kh_page_area(false);
  const kh_page *pg = g_ptr_array_index(c->pages, 0);
  for (guint i = 0; i < pg->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
    if (op->kind == KH_OP_RECT)
      assert_true(op->y >= a.bottom && op->x + op->x2 <= a.right + 0.01);
  }
  kh_canvas_free(c);
  kh_fontset_free(fs);
  kh_doc_free(doc);
}

/* A NaN reaching the canvas makes the layout fail instead of corrupting
 * the content stream. */
static void test_non_finite_refused(void **state) {
  (void)state;
  kh_doc *doc = kh_doc_new();
  kh_block *b = kh_block_new(KH_BLOCK_CHART);
  b->chart = kh_chart_new(NAN);
  kh_chart_add(b->chart, "甲", NAN);
  kh_chart_add(b->chart, "乙", INFINITY);
  g_ptr_array_add(doc->blocks, b);
  kh_diags *diags = kh_diags_new();
  kh_fontset *fs = kh_fontset_open(NULL, diags);
  kh_canvas *c = kh_compose(doc, fs, "x.pdf", diags);
  assert_non_null(c); /* the chart guards its numbers itself */
  assert_false(c->bad);
  kh_page *pg = kh_canvas_last_page(c);
  kh_canvas_line(c, pg, 0, NAN, 1, 1, 1, KH_BLACK);
  assert_true(c->bad);
  kh_canvas_free(c);
  kh_fontset_free(fs);
  kh_diags_free(diags);
  kh_doc_free(doc);
}

/* Every operation but the page number lies inside its page's type area. */
static void assert_inside(const kh_canvas *c, const kh_fontset *fs) {
  for (guint p = 0; p < c->pages->len; p++) {
    const kh_page *pg = g_ptr_array_index(c->pages, p);
    kh_area a = kh_page_area(pg->landscape);
    for (guint i = 0; i < pg->ops->len; i++) {
      const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
      double x1 = op->x, y1 = op->y, x2 = op->x2, y2 = op->y2;
      if (op->kind == KH_OP_TEXT) {
        if (op->face == KH_FACE_PAGENO)
          continue;
        double w = kh_text_width(fs, op->face, op->size, op->char_space, op->text);
        x2 = x1 + w * op->hscale / 100 - op->char_space;
        y2 = y1 + kh_fontset_ascent(fs, op->face) * op->size;
        y1 -= kh_fontset_descent(fs, op->face) * op->size;
      } else if (op->kind == KH_OP_RECT) {
        x2 += x1, y2 += y1;
      }
      double slack = op->kind == KH_OP_LINE ? op->line_width : 0.5;
      if (MIN(x1, x2) < a.left - slack || MAX(x1, x2) > a.right + slack ||
          MIN(y1, y2) < a.bottom - slack - 4 || MAX(y1, y2) > a.top + slack)
        fail_msg("page %u op %u (%s) outside the type area: %.1f,%.1f - %.1f,%.1f", p + 1, i,
                 op->text ? op->text : "line", x1, y1, x2, y2);
    }
  }
}

/* A document without header or copy-to, with long text over pages, a
 * character beyond U+FFFF, a small table, a wide table in the body, two
 * attachments. */
static kh_doc *edge_doc(void) {
  kh_doc *doc = kh_doc_new();
  doc->printed_by = g_strdup("某某县人口和计划生育局办公室");
  doc->signature = g_strdup("某某县人口和计划生育局");
  doc->date_text = g_strdup("2013年12月25日");
  GString *longtext = g_string_new(NULL);
  for (int i = 0; i < 40; i++)
    g_string_append(longtext, "各乡（镇）要对照考评中发现的问题，认真分析原因，制定整改措施；");
  para(doc, KH_BLOCK_PARAGRAPH, longtext->str);
  g_string_free(longtext, TRUE);
  para(doc, KH_BLOCK_HEADING3, "1.罕用字𠀾的处理");
  kh_block *small = kh_block_new(KH_BLOCK_TABLE);
  small->table = kh_table_new(3, 1);
  const char *h[] = {"乡（镇）", "得分", "说明"}, *r1[] = {"城关镇", "96.5", "好"};
  kh_table_add_row(small->table, h, false);
  kh_table_add_row(small->table, r1, false);
  g_ptr_array_add(doc->blocks, small);
  kh_block *wide = kh_block_new(KH_BLOCK_TABLE);
  wide->table = score_table(20);
  g_ptr_array_add(doc->blocks, wide);
  para(doc, KH_BLOCK_PARAGRAPH, "表后的正文回到竖排页面。");
  g_ptr_array_add(doc->blocks, kh_block_new(KH_BLOCK_ATTACHMENT));
  para(doc, KH_BLOCK_TITLE,
       "一个很长很长的附件标题：某某县2013年度人口和计划生育目标管理责任制考核实施细则");
  para(doc, KH_BLOCK_PARAGRAPH, "附件正文。");
  g_ptr_array_add(doc->blocks, kh_block_new(KH_BLOCK_ATTACHMENT));
  para(doc, KH_BLOCK_TITLE, "得分图");
  kh_block *chart = kh_block_new(KH_BLOCK_CHART);
  chart->chart = kh_chart_new(100);
  for (int i = 0; i < 14; i++)
    kh_chart_add(chart->chart, townships[i], totals[i]);
  kh_chart_add(chart->chart, "扣分单位", -5);
  g_ptr_array_add(doc->blocks, chart);
  return doc;
}

/* The edge document: all inside the type area, the wide table on landscape
 * pages between portrait ones, the attachments numbered. */
static void test_everything_inside(void **state) {
  (void)state;
  kh_doc *doc = edge_doc();
  kh_fontset *fs;
  kh_canvas *c = compose_sample(doc, &fs);
  assert_false(c->bad);
  assert_inside(c, fs);
  bool seen_landscape = false, portrait_after = false;
  for (guint p = 0; p < c->pages->len; p++) {
    const kh_page *pg = g_ptr_array_index(c->pages, p);
    seen_landscape |= pg->landscape;
    if (seen_landscape && !pg->landscape && find_text(c, p, "表后的正文"))
      portrait_after = true;
  }
  assert_true(seen_landscape && portrait_after);
  bool att1 = false, att2 = false, note = false;
  for (guint p = 0; p < c->pages->len; p++) {
    att1 |= find_text(c, p, "附件1") != NULL;
    att2 |= find_text(c, p, "附件2") != NULL;
    note |= find_text(c, p, "附件：1.") != NULL;
  }
  assert_true(att1 && att2 && note);
  /* the character beyond U+FFFF is kept, to be drawn with its glyph */
  bool rare = false;
  for (guint p = 0; p < c->pages->len; p++)
    rare |= find_text(c, p, "罕用字𠀾的处理") != NULL;
  assert_true(rare);
  kh_canvas_free(c);
  kh_fontset_free(fs);
  char *dir = temp_dir();
  char *path = g_build_filename(dir, "x.pdf", NULL);
  kh_diags *diags = kh_diags_new();
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  assert_int_equal(diags->n_warnings, 0);
  kh_diags_free(diags);
  g_free(path);
  remove_dir(dir);
  kh_doc_free(doc);
}

static char *read_all(const char *path, gsize *len) {
  char *data = NULL;
  assert_true(g_file_get_contents(path, &data, len, NULL));
  return data;
}

/* PDF files hold NUL bytes: search them as bytes. */
static bool contains(const char *data, gsize len, const char *needle) {
  return memmem(data, len, needle, strlen(needle)) != NULL;
}

static void test_write_reproducible(void **state) {
  (void)state;
  char *dir = temp_dir();
  char *p1 = g_build_filename(dir, "a.pdf", NULL), *p2 = g_build_filename(dir, "b.pdf", NULL);
  kh_doc *doc = sample_notice(14);
  kh_diags *diags = kh_diags_new();
  assert_true(kh_layout_pdf(doc, NULL, p1, diags));
  assert_true(kh_layout_pdf(doc, NULL, p2, diags));
  assert_int_equal(diags->n_errors, 0);
  assert_int_equal(diags->n_warnings, 0);
  gsize l1, l2;
  char *d1 = read_all(p1, &l1), *d2 = read_all(p2, &l2);
  assert_int_equal(l1, l2);
  assert_memory_equal(d1, d2, l1);
  assert_true(g_str_has_prefix(d1, "%PDF-1."));
  assert_true(l1 < 150 * 1024);
  assert_true(contains(d1, l1, "/ID"));
  assert_true(contains(d1, l1, "D:20130905120000+08'00'"));
  assert_false(contains(d1, l1, "/Metadata"));
  g_free(d1);
  g_free(d2);
  kh_diags_free(diags);
  kh_doc_free(doc);
  g_free(p1);
  g_free(p2);
  remove_dir(dir);
}

static void test_pdfa_parts(void **state) {
  (void)state;
  char *dir = temp_dir();
  char *path = g_build_filename(dir, "a.pdf", NULL);
  kh_doc *doc = sample_notice(14);
  doc->pdfa = true;
  g_free(doc->info_title);
  doc->info_title = g_strdup("R&D <x> 季度报告");
  kh_diags *diags = kh_diags_new();
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  gsize len;
  char *d = read_all(path, &len);
  assert_true(g_str_has_prefix(d, "%PDF-1.4"));
  assert_true(contains(d, len, "<pdfaid:part>1</pdfaid:part>"));
  assert_true(contains(d, len, "<pdfaid:conformance>B</pdfaid:conformance>"));
  assert_true(contains(d, len, "R&amp;D &lt;x&gt; 季度报告"));
  assert_true(contains(d, len, "/DestOutputProfile "));     /* the key and a value */
  assert_false(contains(d, len, "/DestOutputProfile  "));   /* libharu's misspelt key */
  assert_true(contains(d, len, "/GTS_PDFA1"));
  assert_true(contains(d, len, "/CIDSet"));
  assert_true(contains(d, len, "<xmp:CreateDate>2013-09-05T12:00:00+08:00</xmp:CreateDate>"));
  g_free(d);
  kh_diags_free(diags);
  kh_doc_free(doc);
  g_free(path);
  remove_dir(dir);
}

/* A failed write leaves the old file as it was. */
static void test_failure_keeps_old_file(void **state) {
  (void)state;
  char *dir = temp_dir();
  char *blocker = g_build_filename(dir, "file", NULL);
  assert_true(g_file_set_contents(blocker, "old", -1, NULL));
  char *bad = g_build_filename(blocker, "notice.pdf", NULL); /* ENOTDIR */
  kh_doc *doc = sample_notice(3);
  kh_diags *diags = kh_diags_new();
  assert_false(kh_layout_pdf(doc, NULL, bad, diags));
  assert_true(diags->n_errors > 0);
  /* an unresolvable partial is an error too, and the old file stays */
  char *old = g_build_filename(dir, "old.pdf", NULL);
  assert_true(g_file_set_contents(old, "old", -1, NULL));
  kh_block *partial = kh_block_new(KH_BLOCK_PARTIAL);
  partial->partial = g_strdup("score_table");
  g_ptr_array_insert(doc->blocks, 2, partial);
  assert_false(kh_layout_pdf(doc, NULL, old, diags));
  gsize len;
  char *d = read_all(old, &len);
  assert_string_equal(d, "old");
  g_free(d);
  kh_diags_free(diags);
  kh_doc_free(doc);
  g_free(old);
  g_free(bad);
  g_free(blocker);
  remove_dir(dir);
}

static gpointer render_thread(gpointer path) {
  kh_doc *doc = sample_notice(14);
  kh_diags *diags = kh_diags_new();
  gboolean ok = kh_layout_pdf(doc, NULL, path, diags);
  kh_diags_free(diags);
  kh_doc_free(doc);
  return GINT_TO_POINTER(ok);
}

/* Four documents in four threads give four identical files. */
static void test_parallel(void **state) {
  (void)state;
  char *dir = temp_dir();
  char *paths[4];
  GThread *threads[4];
  for (int i = 0; i < 4; i++) {
    paths[i] = g_strdup_printf("%s/t%d.pdf", dir, i);
    threads[i] = g_thread_new("render", render_thread, paths[i]);
  }
  for (int i = 0; i < 4; i++)
    assert_true(GPOINTER_TO_INT(g_thread_join(threads[i])));
  gsize l0;
  char *d0 = read_all(paths[0], &l0);
  for (int i = 1; i < 4; i++) {
    gsize l;
    char *d = read_all(paths[i], &l);
    assert_int_equal(l, l0);
    assert_memory_equal(d, d0, l);
    g_free(d);
  }
  g_free(d0);
  for (int i = 0; i < 4; i++)
    g_free(paths[i]);
  remove_dir(dir);
}

/* For tests/e2e/layout_pdf.sh: the sample notice, plain and PDF/A. */
/* A page of one character: in the body face and in a 一、 heading (黑体,
 * whose stand-in lacks the rarest characters). */
static void write_glyph_page(const char *out, const char *name, const char *ch,
                             kh_diags *diags) {
  kh_doc *doc = kh_doc_new();
  char *head = g_strconcat("一、", ch, ch, ch, NULL);
  para(doc, KH_BLOCK_HEADING1, head);
  g_free(head);
  GString *body = g_string_new(NULL);
  for (int i = 0; i < 24; i++)
    g_string_append(body, ch);
  para(doc, KH_BLOCK_PARAGRAPH, body->str);
  g_string_free(body, TRUE);
  char *file = g_strdup_printf("glyph-%s.pdf", name);
  char *path = g_build_filename(out, file, NULL);
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  g_free(path);
  g_free(file);
  kh_doc_free(doc);
}

static void test_write_samples(void **state) {
  (void)state;
  const char *out = g_getenv("KAOHE_LAYOUT_OUT");
  if (!out)
    skip();
  kh_doc *doc = sample_notice(14);
  kh_diags *diags = kh_diags_new();
  char *path = g_build_filename(out, "notice.pdf", NULL);
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  g_free(path);
  doc->pdfa = true;
  path = g_build_filename(out, "notice-pdfa.pdf", NULL);
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  g_free(path);
  kh_doc_free(doc);
  doc = sample_notice(40);
  path = g_build_filename(out, "notice-long.pdf", NULL);
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  g_free(path);
  kh_doc_free(doc);
  doc = edge_doc();
  path = g_build_filename(out, "edge.pdf", NULL);
  assert_true(kh_layout_pdf(doc, NULL, path, diags));
  g_free(path);
  /* for tests/e2e/text_layer.sh: 𠀾 (U+2003E), 〓, and a character no face
   * has (U+10FFFD), which draws the .notdef box */
  write_glyph_page(out, "rare", "𠀾", diags);
  write_glyph_page(out, "geta", "〓", diags);
  write_glyph_page(out, "notdef", "\U0010FFFD", diags);
  assert_int_equal(diags->n_errors, 0);
  kh_diags_free(diags);
  kh_doc_free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header_geometry),
      cmocka_unit_test(test_grid),
      cmocka_unit_test(test_signature),
      cmocka_unit_test(test_attachment_and_closing),
      cmocka_unit_test(test_closing_on_even_page),
      cmocka_unit_test(test_chart_between_paragraphs),
      cmocka_unit_test(test_chart_many_bars),
      cmocka_unit_test(test_non_finite_refused),
      cmocka_unit_test(test_everything_inside),
      cmocka_unit_test(test_write_reproducible),
      cmocka_unit_test(test_pdfa_parts),
      cmocka_unit_test(test_failure_keeps_old_file),
      cmocka_unit_test(test_parallel),
      cmocka_unit_test(test_write_samples),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
