/* Markdown into the document model, plain text and HTML (markdown.h), and
 * templates end to end (template.h): headings and faces, tables,
 * attachments, partial markers, escaping round trips, the md4c guards,
 * odd inputs, soft-break joining, loading and overriding templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "render/template/markdown.h"
#include "render/template/mustache.h"
#include "render/template/template.h"

/* ---- helpers --------------------------------------------------------- */

static GPtrArray *blocks_of(const char *md) {
  GPtrArray *blocks =
      g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  kh_markdown_error err = {0};
  if (!kh_markdown_to_blocks(md, strlen(md), blocks, &err))
    fail_msg("unexpected error at %zu: %s", (size_t)err.offset, err.message);
  return blocks;
}

static const kh_block *block(GPtrArray *blocks, guint i) {
  assert_true(i < blocks->len);
  return g_ptr_array_index(blocks, i);
}

static void assert_run(const kh_block *b, guint i, kh_face face,
                       const char *text) {
  assert_true(i < b->runs->len);
  const kh_run *r = g_ptr_array_index(b->runs, i);
  assert_string_equal(r->text, text);
  assert_int_equal(r->face, face);
}

/* A one-paragraph document's text, all runs joined. */
static char *paragraph_text(const char *md) {
  GPtrArray *blocks = blocks_of(md);
  assert_int_equal(blocks->len, 1);
  const kh_block *b = block(blocks, 0);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < b->runs->len; i++)
    g_string_append(s, ((kh_run *)g_ptr_array_index(b->runs, i))->text);
  g_ptr_array_unref(blocks);
  return g_string_free(s, FALSE);
}

static void assert_joined(const char *md, const char *expected) {
  char *text = paragraph_text(md);
  assert_string_equal(text, expected);
  g_free(text);
}

/* Renders a template into a fresh doc; NULL on failure (errors in diags). */
static kh_doc *render_doc(const char *template, const char *data,
                          kh_diags *diags) {
  json_t *ctx = json_loads(data, 0, NULL);
  assert_non_null(ctx);
  kh_doc *doc = kh_doc_new();
  if (!kh_template_render_doc(template, "notice.md", ctx, doc, diags))
    g_clear_pointer(&doc, kh_doc_free);
  json_decref(ctx);
  return doc;
}

/* ---- Markdown → blocks ----------------------------------------------- */

static void test_headings(void **state) {
  (void)state;
  GPtrArray *b = blocks_of("# 标题\n\n## 一、基本情况\n\n### （一）*强化*责任\n\n"
                           "#### 1.细则\n\n##### 更深\n\n正文。\n");
  assert_int_equal(b->len, 6);
  assert_int_equal(block(b, 0)->kind, KH_BLOCK_TITLE);
  assert_run(block(b, 0), 0, KH_FACE_TITLE, "标题");
  assert_int_equal(block(b, 1)->kind, KH_BLOCK_HEADING1);
  assert_run(block(b, 1), 0, KH_FACE_HEI, "一、基本情况");
  /* Emphasis inside a heading keeps the heading's face: one run. */
  assert_int_equal(block(b, 2)->kind, KH_BLOCK_HEADING2);
  assert_int_equal(block(b, 2)->runs->len, 1);
  assert_run(block(b, 2), 0, KH_FACE_KAI, "（一）强化责任");
  assert_int_equal(block(b, 3)->kind, KH_BLOCK_HEADING3);
  assert_run(block(b, 3), 0, KH_FACE_BODY, "1.细则");
  assert_int_equal(block(b, 4)->kind, KH_BLOCK_HEADING3);
  assert_int_equal(block(b, 5)->kind, KH_BLOCK_PARAGRAPH);
  assert_run(block(b, 5), 0, KH_FACE_BODY, "正文。");
  g_ptr_array_unref(b);
}

static void test_emphasis_faces(void **state) {
  (void)state;
  GPtrArray *b = blocks_of("*（一）强化责任*。正文**重点**和***两者***完。\n");
  const kh_block *p = block(b, 0);
  assert_int_equal(p->runs->len, 6);
  assert_run(p, 0, KH_FACE_KAI, "（一）强化责任");
  assert_run(p, 1, KH_FACE_BODY, "。正文");
  assert_run(p, 2, KH_FACE_HEI, "重点");
  assert_run(p, 3, KH_FACE_BODY, "和");
  assert_run(p, 4, KH_FACE_HEI, "两者");
  assert_run(p, 5, KH_FACE_BODY, "完。");
  g_ptr_array_unref(b);
}

static void test_tables(void **state) {
  (void)state;
  GPtrArray *b = blocks_of("前文\n\n| 名次 | 乡镇 | 得分 |\n|:--:|---|--:|\n"
                           "| 1 | **城关镇** | 97.5 |\n| 2 | 甲\\|乙 |\n");
  assert_int_equal(b->len, 2);
  const kh_table *t = block(b, 1)->table;
  assert_int_equal(block(b, 1)->kind, KH_BLOCK_TABLE);
  assert_int_equal(t->n_cols, 3);
  assert_int_equal(t->n_header_rows, 1);
  assert_int_equal(t->align[0], KH_ALIGN_CENTER);
  assert_int_equal(t->align[1], KH_ALIGN_LEFT);
  assert_int_equal(t->align[2], KH_ALIGN_RIGHT);
  assert_int_equal(t->rows->len, 3);
  char **head = g_ptr_array_index(t->rows, 0);
  char **r1 = g_ptr_array_index(t->rows, 1);
  char **r2 = g_ptr_array_index(t->rows, 2);
  assert_string_equal(head[1], "乡镇");
  assert_string_equal(r1[1], "城关镇"); /* cells are plain text */
  assert_string_equal(r1[2], "97.5");
  assert_string_equal(r2[1], "甲|乙");
  assert_string_equal(r2[2], ""); /* a short row is filled */
  g_ptr_array_unref(b);
}

static void test_attachments(void **state) {
  (void)state;
  GPtrArray *b = blocks_of("正文。\n\n---\n\n# 附件标题\n\n***\n");
  assert_int_equal(b->len, 4);
  assert_int_equal(block(b, 0)->kind, KH_BLOCK_PARAGRAPH);
  assert_int_equal(block(b, 1)->kind, KH_BLOCK_ATTACHMENT);
  assert_int_equal(block(b, 2)->kind, KH_BLOCK_TITLE);
  assert_int_equal(block(b, 3)->kind, KH_BLOCK_ATTACHMENT);
  g_ptr_array_unref(b);
}

static void test_partial_markers(void **state) {
  (void)state;
  GString *md = g_string_new("排名如下：");
  kh_markdown_append_partial(md, "score_table");
  g_string_append(md, "下文。\n");
  kh_markdown_append_partial(md, "_odd_name_");
  g_string_append(md, KH_PARTIAL_SENTINEL "two words\n");
  GPtrArray *b = blocks_of(md->str);
  assert_int_equal(b->len, 5);
  assert_int_equal(block(b, 0)->kind, KH_BLOCK_PARAGRAPH);
  assert_int_equal(block(b, 1)->kind, KH_BLOCK_PARTIAL);
  assert_string_equal(block(b, 1)->partial, "score_table");
  assert_int_equal(block(b, 1)->runs->len, 0);
  assert_int_equal(block(b, 2)->kind, KH_BLOCK_PARAGRAPH);
  assert_string_equal(block(b, 3)->partial, "_odd_name_");
  /* Not a marker: a space in the name. */
  assert_int_equal(block(b, 4)->kind, KH_BLOCK_PARAGRAPH);
  g_ptr_array_unref(b);
  g_string_free(md, TRUE);
}

static void test_soft_breaks(void **state) {
  (void)state;
  assert_joined("中文\n继续", "中文继续");
  assert_joined("total\nscore", "total score");
  assert_joined("共计\n15个", "共计15个");
  assert_joined("2013\n年", "2013年");
  assert_joined("84.71%，\n低于", "84.71%，低于");
  assert_joined("他说\n“好”\n他", "他说“好”他");
  assert_joined("A\n1", "A 1");
  assert_joined("**粗体**\n正文", "粗体正文");
  /* A hard break starts the next paragraph. */
  GPtrArray *b = blocks_of("甲  \n乙\n");
  assert_int_equal(b->len, 2);
  g_ptr_array_unref(b);
}

static void test_lists_and_others(void **state) {
  (void)state;
  GPtrArray *b = blocks_of("1. 加强领导\n2. Keep going\n\n- 条目\n\n"
                           "> 引文\n\n    缩进的\n    代码\n\n"
                           "[链接](http://x) ![图](y.png) `码` &amp; &#x4e2d; "
                           "&#20013; &bogus; &#0;\n");
  assert_int_equal(b->len, 6);
  assert_run(block(b, 0), 0, KH_FACE_BODY, "1.加强领导");
  assert_run(block(b, 1), 0, KH_FACE_BODY, "2. Keep going");
  assert_run(block(b, 2), 0, KH_FACE_BODY, "条目");
  assert_run(block(b, 3), 0, KH_FACE_BODY, "引文");
  assert_run(block(b, 4), 0, KH_FACE_BODY, "缩进的代码");
  assert_run(block(b, 5), 0, KH_FACE_BODY,
             "链接 图 码 & 中 中 &bogus; \xEF\xBF\xBD");
  g_ptr_array_unref(b);
}

static void test_raw_html_is_text(void **state) {
  (void)state;
  assert_joined("<b>粗</b>", "<b>粗</b>");
  GString *html = g_string_new(NULL);
  assert_true(kh_markdown_to_html("<b>x</b>\n", 9, html, NULL));
  assert_string_equal(html->str, "<p>&lt;b&gt;x&lt;/b&gt;</p>\n");
  g_string_free(html, TRUE);
}

/* ---- guards and odd input -------------------------------------------- */

/* Bytes placed so that the first byte after them is an inaccessible page:
 * reading one byte too far crashes the test instead of passing unseen. */
static char *before_guard_page(const char *bytes, size_t n, void **map,
                               size_t *map_len) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  *map_len = 2 * page;
  char *m = mmap(NULL, *map_len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert_true(m != MAP_FAILED);
  assert_int_equal(mprotect(m + page, page, PROT_NONE), 0);
  *map = m;
  memcpy(m + page - n, bytes, n);
  return m + page - n;
}

static void test_md4c_guard(void **state) {
  (void)state;
  /* md4c 0.4.8 reads one byte past "[](" handed to it as is (a bare
   * md_parse() on this very buffer dies of SIGSEGV); ours gets a copy that
   * ends in '\n' and a spare NUL. */
  void *map;
  size_t map_len;
  const char *input = before_guard_page("[](", 3, &map, &map_len);
  GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  assert_true(kh_markdown_to_blocks(input, 3, blocks, NULL));
  assert_int_equal(blocks->len, 1);
  assert_run(g_ptr_array_index(blocks, 0), 0, KH_FACE_BODY, "[](");
  GString *out = g_string_new(NULL);
  assert_true(kh_markdown_to_html(input, 3, out, NULL));
  assert_string_equal(out->str, "<p>[](</p>\n");
  g_string_truncate(out, 0);
  assert_true(kh_markdown_to_plain(input, 3, out, NULL));
  assert_string_equal(out->str, "[](\n");
  g_string_free(out, TRUE);
  g_ptr_array_unref(blocks);
  munmap(map, map_len);
}

static void test_limits(void **state) {
  (void)state;
  kh_markdown_error err = {0};
  GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  char *big = g_strnfill(KH_MARKDOWN_MAX_BYTES + 1, 'a');
  assert_false(kh_markdown_to_blocks(big, strlen(big), blocks, &err));
  assert_non_null(strstr(err.message, "文本过大"));
  kh_markdown_error_clear(&err);
  g_free(big);

  /* 64 columns pass; 66 pipes on a line do not, even in the middle. */
  GString *row = g_string_new("|");
  for (int c = 0; c < 64; c++)
    g_string_append(row, " x |");
  GString *delim = g_string_new("|");
  for (int c = 0; c < 64; c++)
    g_string_append(delim, "---|");
  char *ok = g_strdup_printf("%s\n%s\n%s\n", row->str, delim->str, row->str);
  assert_true(kh_markdown_to_blocks(ok, strlen(ok), blocks, &err));
  assert_int_equal(((kh_block *)g_ptr_array_index(blocks, 0))->table->n_cols, 64);
  char *wide = g_strdup_printf("前文\n%s |\n", row->str);
  assert_false(kh_markdown_to_blocks(wide, strlen(wide), blocks, &err));
  assert_int_equal(err.offset, strlen(wide) - 2);
  assert_non_null(strstr(err.message, "表格最多 64 列"));
  kh_markdown_error_clear(&err);
  /* Escaped pipes do not count. */
  GString *escaped = g_string_new(NULL);
  for (int i = 0; i < 500; i++)
    g_string_append(escaped, "\\|");
  assert_true(kh_markdown_to_blocks(escaped->str, escaped->len, blocks, &err));
  assert_int_equal(blocks->len, 2);
  g_string_free(escaped, TRUE);
  g_free(wide);
  g_free(ok);
  g_string_free(row, TRUE);
  g_string_free(delim, TRUE);
  g_ptr_array_unref(blocks);
}

static void test_odd_input(void **state) {
  (void)state;
  static const char *patterns[] = {"[", "*", "**_", ">", "- ", "1. ", "`",
                                   "[](", "![", "<", "&#", "\\", "|", "#",
                                   "    ", "\r", "\t", "\xE4\xB8", "\xFF"};
  GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  GString *out = g_string_new(NULL);
  for (size_t i = 0; i < G_N_ELEMENTS(patterns); i++) {
    GString *md = g_string_new(NULL);
    for (int k = 0; k < 20000; k++)
      g_string_append(md, patterns[i]);
    kh_markdown_to_blocks(md->str, md->len, blocks, NULL);
    kh_markdown_to_plain(md->str, md->len, out, NULL);
    kh_markdown_to_html(md->str, md->len, out, NULL);
    g_string_free(md, TRUE);
  }
  /* NUL bytes inside the text become U+FFFD. */
  assert_true(kh_markdown_to_blocks("a\0b", 3, blocks, NULL));
  assert_run(g_ptr_array_index(blocks, blocks->len - 1), 0, KH_FACE_BODY,
             "a\xEF\xBF\xBD" "b");
  /* Nothing at all is no block. */
  guint before = blocks->len;
  assert_true(kh_markdown_to_blocks("", 0, blocks, NULL));
  assert_int_equal(blocks->len, before);
  g_string_free(out, TRUE);
  g_ptr_array_unref(blocks);
}

/* ---- plain text and HTML --------------------------------------------- */

static void test_plain(void **state) {
  (void)state;
  const char *md = "# 标题\n\n## 一、情况\n\n正文*楷体*，\n继续。\n\n"
                   "| 乡镇 | 得分 |\n|:--|--:|\n| 城关镇 | 97.5 |\n| 乙 | 8 |\n\n---\n";
  GString *out = g_string_new(NULL);
  assert_true(kh_markdown_to_plain(md, strlen(md), out, NULL));
  assert_string_equal(out->str,
                      "标题\n\n一、情况\n\n正文楷体，继续。\n\n"
                      "乡镇    得分\n"
                      "------------\n"
                      "城关镇  97.5\n"
                      "乙         8\n\n"
                      "----------------------------------------\n");
  g_string_free(out, TRUE);
}

static void test_html(void **state) {
  (void)state;
  const char *md = "# 标题\n\n正文**重点**。\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n";
  GString *out = g_string_new(NULL);
  assert_true(kh_markdown_to_html(md, strlen(md), out, NULL));
  assert_non_null(strstr(out->str, "<h1>标题</h1>"));
  assert_non_null(strstr(out->str, "<strong>重点</strong>"));
  assert_non_null(strstr(out->str, "<table>"));
  assert_non_null(strstr(out->str, "<th align=\"center\">b</th>"));
  g_string_free(out, TRUE);
}

/* ---- templates ------------------------------------------------------- */

static void test_escaping_round_trip(void **state) {
  (void)state;
  static const char *names[] = {
      "*甲*乡", "# 标题", "- 乙", "+ 丙", "1. 丁", "> 戊", "a|b", "[链](x)",
      "&amp;", "`码`", "_下_", "\\*", "<b>", "1) x", "==", "!",
      KH_PARTIAL_SENTINEL "score_table",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    json_t *ctx = json_pack("{s:s}", "name", names[i]);
    kh_diags *diags = kh_diags_new();
    kh_doc *doc = kh_doc_new();
    const char *template = "{{name}}\n\n| 乡镇 |\n|---|\n| {{name}} |\n";
    assert_true(kh_template_render_doc(template, "t.md", ctx, doc, diags));
    assert_int_equal(doc->blocks->len, 2);
    const kh_block *p = g_ptr_array_index(doc->blocks, 0);
    const kh_block *t = g_ptr_array_index(doc->blocks, 1);
    assert_int_equal(p->kind, KH_BLOCK_PARAGRAPH);
    assert_int_equal(p->runs->len, 1);
    const char *expected = i + 1 == G_N_ELEMENTS(names)
                               ? "\xEF\xBF\xBDscore_table" /* no forged marker */
                               : names[i];
    assert_run(p, 0, KH_FACE_BODY, expected);
    assert_int_equal(t->kind, KH_BLOCK_TABLE);
    assert_string_equal(((char **)g_ptr_array_index(t->table->rows, 1))[0],
                        expected);
    kh_doc_free(doc);
    kh_diags_free(diags);
    json_decref(ctx);
  }
}

static void test_render_doc(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  kh_doc *doc = render_doc(
      "{{! comment }}\n# 关于{{period}}的通报\n\n{{#towns}}\n{{name}}得分{{score}}"
      "。\n{{/towns}}\n{{> totals_chart}}\n## 一、情况\n\n---\n\n# 附件\n\n"
      "  {{> score_table}}\n",
      "{\"period\": \"2013年7月\", \"towns\": [{\"name\": \"甲镇\", \"score\": 97.5},"
      " {\"name\": \"乙乡\", \"score\": 88}]}",
      diags);
  assert_non_null(doc);
  assert_int_equal(diags->n_errors, 0);
  static const kh_block_kind kinds[] = {
      KH_BLOCK_TITLE,      KH_BLOCK_PARAGRAPH,  KH_BLOCK_PARTIAL,
      KH_BLOCK_HEADING1,   KH_BLOCK_ATTACHMENT, KH_BLOCK_TITLE,
      KH_BLOCK_PARTIAL,
  };
  assert_int_equal(doc->blocks->len, G_N_ELEMENTS(kinds));
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
    assert_int_equal(block(doc->blocks, i)->kind, kinds[i]);
  assert_run(block(doc->blocks, 0), 0, KH_FACE_TITLE, "关于2013年7月的通报");
  assert_run(block(doc->blocks, 1), 0, KH_FACE_BODY,
             "甲镇得分97.5。乙乡得分88。");
  assert_string_equal(block(doc->blocks, 2)->partial, "totals_chart");
  assert_string_equal(block(doc->blocks, 6)->partial, "score_table");
  kh_doc_free(doc);
  kh_diags_free(diags);
}

static void test_render_doc_errors(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  /* A built-in block in the middle of a line. */
  assert_null(render_doc("第一段。\n\n见下表{{> score_table}}。\n", "{}", diags));
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_string_equal(d->file, "notice.md");
  assert_int_equal(d->line, 3);
  assert_int_equal(d->col, 4);
  assert_non_null(strstr(d->message, "必须单独占一行"));
  /* A Markdown error is reported where the template produced it. */
  GString *pipes = g_string_new(NULL);
  for (int i = 0; i < 70; i++)
    g_string_append_c(pipes, '|');
  char *data = g_strdup_printf("{\"row\": \"%s\"}", pipes->str);
  assert_null(render_doc("标题行\n前文 {{{row}}}\n", data, diags));
  d = g_ptr_array_index(diags->items, 1);
  assert_int_equal(d->line, 2);
  assert_int_equal(d->col, 4);
  assert_non_null(strstr(d->message, "“|”"));
  /* The same through {{row}} is escaped, so harmless. */
  kh_doc *doc = render_doc("{{row}}\n", data, diags);
  assert_non_null(doc);
  kh_doc_free(doc);
  assert_int_equal(diags->n_errors, 2);
  g_free(data);
  g_string_free(pipes, TRUE);
  kh_diags_free(diags);
}

static void test_render_mail(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  json_t *ctx = json_pack("{s:s,s:f}", "town", "*甲*乡", "score", 97.5);
  GString *plain = g_string_new(NULL), *html = g_string_new(NULL);
  assert_true(kh_template_render_mail("{{town}}：\n\n本月得分**{{score}}**。\n",
                                      "mail.md", ctx, plain, html, diags));
  assert_string_equal(plain->str, "*甲*乡：\n\n本月得分97.5。\n");
  assert_string_equal(html->str,
                      "<p>*甲*乡：</p>\n<p>本月得分<strong>97.5</strong>。</p>\n");
  assert_false(kh_template_render_mail("{{> score_table}}\n", "mail.md", ctx,
                                       plain, html, diags));
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_string_equal(d->message, "未知的内置块 {{> score_table}}");
  assert_int_equal(plain->len, strlen("*甲*乡：\n\n本月得分97.5。\n"));
  g_string_free(plain, TRUE);
  g_string_free(html, TRUE);
  json_decref(ctx);
  kh_diags_free(diags);
}

static void test_shipped_templates_render(void **state) {
  (void)state;
  static const char *names[] = {"notice.md", "quarterly.md"};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    kh_diags *diags = kh_diags_new();
    kh_template *t = kh_template_load(names[i], NULL, diags);
    assert_non_null(t);
    assert_false(t->from_dataset);
    assert_true(g_str_has_prefix(t->path, "templates/"));
    kh_doc *doc = kh_doc_new();
    json_t *ctx = json_object();
    assert_true(kh_template_render_doc(t->text, t->path, ctx, doc, diags));
    assert_int_equal(block(doc->blocks, 0)->kind, KH_BLOCK_TITLE);
    json_decref(ctx);
    kh_doc_free(doc);
    kh_template_free(t);
    kh_diags_free(diags);
  }
}

static void test_load_override(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("kaohe-tpl-XXXXXX", NULL);
  assert_non_null(dir);
  kh_diags *diags = kh_diags_new();

  /* Nothing by that name anywhere. */
  assert_null(kh_template_load("no-such.md", dir, diags));
  assert_int_equal(diags->n_errors, 1);

  /* A GB18030 file with a BOM-less body overrides; UTF-8 with a BOM too. */
  gsize n;
  char *gb = g_convert("# 自定义通报\n", -1, "GB18030", "UTF-8", NULL, &n, NULL);
  char *path = g_build_filename(dir, "gb.md", NULL);
  assert_true(g_file_set_contents(path, gb, (gssize)n, NULL));
  kh_template *t = kh_template_load("gb.md", dir, diags);
  assert_non_null(t);
  assert_true(t->from_dataset);
  assert_string_equal(t->path, path);
  assert_string_equal(t->text, "# 自定义通报\n");
  kh_template_free(t);
  g_free(path);
  g_free(gb);

  path = g_build_filename(dir, "bom.md", NULL);
  assert_true(g_file_set_contents(path, "\xEF\xBB\xBF# 标题\n", -1, NULL));
  t = kh_template_load("bom.md", dir, diags);
  assert_string_equal(t->text, "# 标题\n");
  kh_template_free(t);
  g_free(path);

  /* A NUL byte, and a file over the limit, are errors, not a fallback. */
  path = g_build_filename(dir, "nul.md", NULL);
  assert_true(g_file_set_contents(path, "a\0b", 3, NULL));
  assert_null(kh_template_load("nul.md", dir, diags));
  g_unlink(path);
  g_free(path);
  path = g_build_filename(dir, "big.md", NULL);
  char *big = g_strnfill(KH_MUSTACHE_MAX_TEMPLATE_BYTES + 1, 'x');
  assert_true(g_file_set_contents(path, big, -1, NULL));
  assert_null(kh_template_load("big.md", dir, diags));
  const kh_diag *d = g_ptr_array_index(diags->items, diags->items->len - 1);
  assert_non_null(strstr(d->message, "模板过大"));
  assert_int_equal(diags->n_errors, 3);
  g_unlink(path);
  g_free(path);
  g_free(big);

  static const char *made[] = {"gb.md", "bom.md"};
  for (size_t i = 0; i < G_N_ELEMENTS(made); i++) {
    path = g_build_filename(dir, made[i], NULL);
    g_unlink(path);
    g_free(path);
  }
  g_rmdir(dir);
  g_free(dir);
  kh_diags_free(diags);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_headings),
      cmocka_unit_test(test_emphasis_faces),
      cmocka_unit_test(test_tables),
      cmocka_unit_test(test_attachments),
      cmocka_unit_test(test_partial_markers),
      cmocka_unit_test(test_soft_breaks),
      cmocka_unit_test(test_lists_and_others),
      cmocka_unit_test(test_raw_html_is_text),
      cmocka_unit_test(test_md4c_guard),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_odd_input),
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_html),
      cmocka_unit_test(test_escaping_round_trip),
      cmocka_unit_test(test_render_doc),
      cmocka_unit_test(test_render_doc_errors),
      cmocka_unit_test(test_render_mail),
      cmocka_unit_test(test_shipped_templates_render),
      cmocka_unit_test(test_load_override),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
