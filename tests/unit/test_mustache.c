/* The mustache engine: every test of the Mustache spec's interpolation,
 * sections, inverted and comments files (run with the HTML escaper, as the
 * spec expects), then our own cases: errors with their positions, numbers,
 * partials through the callback, Markdown escaping, origins, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "render/template/escape.h"
#include "render/template/mustache.h"

/* ---- helpers --------------------------------------------------------- */

/* Renders template against the JSON text data with escaper esc; returns the
 * output (g_free) or NULL, leaving errors in diags. */
static char *render_with(const char *template, const char *data,
                         kh_mustache_escape_fn esc, kh_mustache_partial_fn partial,
                         void *user, kh_diags *diags) {
  json_error_t jerr;
  json_t *ctx = json_loads(data, JSON_DECODE_ANY, &jerr);
  assert_non_null(ctx);
  kh_mustache *t = kh_mustache_parse(template, "t.md", diags);
  char *result = NULL;
  if (t) {
    GString *out = g_string_new(NULL);
    kh_mustache_opts opts = {esc, partial, user, NULL};
    bool ok = kh_mustache_render(t, ctx, &opts, out, diags);
    result = g_string_free(out, !ok);
  }
  kh_mustache_free(t);
  json_decref(ctx);
  return result;
}

static char *render(const char *template, const char *data) {
  kh_diags *diags = kh_diags_new();
  char *s = render_with(template, data, kh_escape_html, NULL, NULL, diags);
  assert_int_equal(diags->n_errors, 0);
  kh_diags_free(diags);
  return s;
}

static void assert_renders(const char *template, const char *data,
                           const char *expected) {
  char *got = render(template, data);
  assert_non_null(got);
  assert_string_equal(got, expected);
  g_free(got);
}

/* Expects exactly one error at line:col whose message contains `part`. */
static void assert_error(const char *template, const char *data, int line,
                         int col, const char *part) {
  kh_diags *diags = kh_diags_new();
  char *got = render_with(template, data, kh_escape_html, NULL, NULL, diags);
  assert_null(got);
  assert_int_equal(diags->n_errors, 1);
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  if (!strstr(d->message, part) || d->line != line || d->col != col)
    fail_msg("expected %d:%d \"%s\", got %d:%d \"%s\"", line, col, part, d->line,
             d->col, d->message);
  assert_string_equal(d->file, "t.md");
  kh_diags_free(diags);
}

/* ---- the Mustache spec ----------------------------------------------- */

static char *spec_dir(void) {
  const char *src = g_getenv("KAOHE_SOURCE_DIR");
  char *candidates[] = {
      src ? g_build_filename(src, "..", "shared", "testdata", "mustache-spec",
                             NULL)
          : NULL,
      g_strdup("/work/shared/testdata/mustache-spec"),
  };
  char *found = NULL;
  for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
    if (!found && candidates[i] &&
        g_file_test(candidates[i], G_FILE_TEST_IS_DIR))
      found = g_strdup(candidates[i]);
    g_free(candidates[i]);
  }
  return found;
}

/* Runs one spec file; returns how many of its tests passed. */
static int run_spec_file(const char *dir, const char *file, int *total) {
  char *path = g_build_filename(dir, file, NULL);
  json_error_t jerr;
  json_t *doc = json_load_file(path, 0, &jerr);
  if (!doc)
    fail_msg("%s: %s", path, jerr.text);
  json_t *tests = json_object_get(doc, "tests");
  assert_true(json_is_array(tests));
  int passed = 0;
  size_t i;
  json_t *test;
  json_array_foreach(tests, i, test) {
    (*total)++;
    const char *name = json_string_value(json_object_get(test, "name"));
    const char *template = json_string_value(json_object_get(test, "template"));
    const char *expected = json_string_value(json_object_get(test, "expected"));
    kh_diags *diags = kh_diags_new();
    kh_mustache *t = kh_mustache_parse(template, file, diags);
    GString *out = g_string_new(NULL);
    kh_mustache_opts opts = {kh_escape_html, NULL, NULL, NULL};
    bool ok = t && kh_mustache_render(t, json_object_get(test, "data"), &opts,
                                      out, diags);
    if (ok && strcmp(out->str, expected) == 0) {
      passed++;
    } else {
      char *why = diags->n_errors
                      ? kh_diag_format(g_ptr_array_index(diags->items, 0))
                      : g_strdup("");
      print_error("FAIL %s / %s\n  expected: \"%s\"\n  got:      \"%s\"\n%s\n",
                  file, name, expected, out->str, why);
      g_free(why);
    }
    g_string_free(out, TRUE);
    kh_mustache_free(t);
    kh_diags_free(diags);
  }
  json_decref(doc);
  g_free(path);
  return passed;
}

static void test_spec(void **state) {
  (void)state;
  char *dir = spec_dir();
  if (!dir) {
    if (g_strcmp0(g_getenv("CI"), "true") == 0)
      fail_msg("the Mustache spec tests are missing "
               "($KAOHE_SOURCE_DIR/../shared/testdata/mustache-spec): under "
               "CI=true that is a failure");
    print_message("SKIP: the Mustache spec tests are not here "
                  "($KAOHE_SOURCE_DIR/../shared/testdata/mustache-spec)\n");
    skip();
  }
  static const char *files[] = {"interpolation.json", "sections.json",
                                "inverted.json", "comments.json"};
  int total = 0, passed = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
    passed += run_spec_file(dir, files[i], &total);
  print_message("mustache spec: %d of %d tests passed (interpolation, sections, "
                "inverted, comments)\n",
                passed, total);
  g_free(dir);
  assert_true(total > 100);
  assert_int_equal(passed, total);
}

/* ---- errors with positions ------------------------------------------- */

static void test_errors(void **state) {
  (void)state;
  assert_error("line one\n  {{#list}}\nbody\n", "{}", 2, 3, "没有关闭");
  assert_error("ab{{name", "{}", 1, 3, "标签没有闭合");
  assert_error("ab{{{name}}", "{}", 1, 3, "标签没有闭合");
  assert_error("{{#a}}x\n{{/b}}", "{}", 2, 1, "不匹配");
  assert_error("x {{/a}}", "{}", 1, 3, "没有对应的");
  assert_error("中文{{=<% %>=}}", "{}", 1, 3, "分隔符");
  assert_error("{{<parent}}{{/parent}}", "{}", 1, 1, "模板继承");
  assert_error("第一行\r\n第二行 {{}}", "{}", 2, 5, "空标签");
  assert_error("{{a b}}", "{}", 1, 1, "不是有效的名称");
  assert_error("{{a..b}}", "{}", 1, 1, "不是有效的名称");
  assert_error("before\n   {{> score_table}}\n", "{}", 2, 4,
               "未知的内置块 {{> score_table}}");
}

static void test_error_source_line(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  assert_null(render_with("甲\r\n乙{{#x}}\r\n", "{}", NULL, NULL, NULL, diags));
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_string_equal(d->source_line, "乙{{#x}}");
  assert_int_equal(d->line, 2);
  assert_int_equal(d->col, 2);
  kh_diags_free(diags);
}

static void test_limits(void **state) {
  (void)state;
  char *big = g_strnfill(KH_MUSTACHE_MAX_TEMPLATE_BYTES + 1, 'x');
  assert_error(big, "{}", 1, 1, "模板过大");
  g_free(big);

  GString *deep = g_string_new(NULL);
  for (int i = 0; i <= KH_MUSTACHE_MAX_DEPTH; i++)
    g_string_append(deep, "{{#a}}");
  assert_error(deep->str, "{}", 1, 6 * KH_MUSTACHE_MAX_DEPTH + 1, "嵌套");
  g_string_free(deep, TRUE);

  /* Nested lists multiply the output: 64^4 × 20 bytes is over the limit. */
  GString *list = g_string_new("[");
  for (int i = 0; i < 64; i++)
    g_string_append(list, i ? ",1" : "1");
  g_string_append(list, "]");
  char *data = g_strdup_printf("{\"l\": %s}", list->str);
  assert_error("{{#l}}{{#l}}{{#l}}{{#l}}01234567890123456789{{/l}}{{/l}}{{/l}}{{/l}}",
               data, 1, 25, "超过");
  g_free(data);
  g_string_free(list, TRUE);
}

/* ---- values ---------------------------------------------------------- */

static void test_numbers(void **state) {
  (void)state;
  assert_renders("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
                 "{\"a\": 1.5, \"b\": 3.0, \"c\": 0.1, \"d\": 84.71, "
                 "\"e\": -2.25, \"f\": 125.5, \"g\": 100}",
                 "1.5 3 0.1 84.71 -2.25 125.5 100");
  assert_renders("{{a}}|{{b}}", "{\"a\": 0.3, \"b\": 1e300}", "0.3|1e+300");
  assert_renders("{{t}} {{f}} [{{n}}] [{{o}}] [{{l}}]",
                 "{\"t\": true, \"f\": false, \"n\": null, \"o\": {}, \"l\": [1]}",
                 "true false [] [] []");
}

static void test_truthiness(void **state) {
  (void)state;
  assert_renders("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", "no");
  assert_renders("{{#s}}yes{{/s}}", "{\"s\": \"x\"}", "yes");
  assert_renders("{{#n}}{{.}}{{/n}}", "{\"n\": 0}", "0");
  assert_renders("{{#o}}{{k}}{{/o}}", "{\"o\": {\"k\": \"v\"}}", "v");
}

static void test_markdown_escaping(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  char *got = render_with("{{name}}|{{{name}}}|{{& name}}",
                          "{\"name\": \"*甲*乡\"}", kh_escape_markdown, NULL,
                          NULL, diags);
  assert_string_equal(got, "\\*甲\\*乡|*甲*乡|*甲*乡");
  g_free(got);
  got = render_with("{{v}}", "{\"v\": 84.71}", kh_escape_markdown, NULL, NULL,
                    diags);
  assert_string_equal(got, "84\\.71");
  g_free(got);
  assert_int_equal(diags->n_errors, 0);
  kh_diags_free(diags);
}

/* ---- partials -------------------------------------------------------- */

/* Answers "<name:standalone:indent>" for known names; "nope" gets a reason,
 * anything else is unknown. */
static char *echo_partial(const char *name, bool standalone, const char *indent,
                          void *user_data, char **message) {
  (*(int *)user_data)++;
  if (strcmp(name, "nope") == 0) {
    *message = g_strdup("nope is refused here");
    return NULL;
  }
  if (strcmp(name, "unknown") == 0)
    return NULL;
  return g_strdup_printf("<%s:%d:%s>", name, standalone, indent);
}

static void test_partials(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  int calls = 0;
  char *got = render_with("a\n  {{> table}}\nb {{>chart}} c\n{{#l}}\n{{> x}}\n{{/l}}",
                          "{\"l\": [1, 2]}", kh_escape_html, echo_partial,
                          &calls, diags);
  assert_string_equal(got, "a\n<table:1:  >b <chart:0:> c\n<x:1:><x:1:>");
  assert_int_equal(calls, 4);
  g_free(got);

  got = render_with("ok\n {{> nope}}\n", "{}", NULL, echo_partial, &calls,
                    diags);
  assert_null(got);
  assert_int_equal(diags->n_errors, 1);
  const kh_diag *d = g_ptr_array_index(diags->items, 0);
  assert_string_equal(d->message, "nope is refused here");
  assert_int_equal(d->line, 2);
  assert_int_equal(d->col, 2);

  got = render_with("{{> unknown}}", "{}", NULL, echo_partial, &calls, diags);
  assert_null(got);
  d = g_ptr_array_index(diags->items, 1);
  assert_string_equal(d->message, "未知的内置块 {{> unknown}}");
  kh_diags_free(diags);
}

/* ---- origins --------------------------------------------------------- */

static void test_origins(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  const char *src = "ab\n{{#l}}\n{{v}}|\n{{/l}}\nend";
  kh_mustache *t = kh_mustache_parse(src, "t.md", diags);
  json_t *ctx = json_loads("{\"l\": [{\"v\": \"xyz\"}]}", 0, NULL);
  GString *out = g_string_new(NULL);
  GArray *origins = g_array_new(FALSE, FALSE, sizeof(kh_mustache_origin));
  kh_mustache_opts opts = {NULL, NULL, NULL, origins};
  assert_true(kh_mustache_render(t, ctx, &opts, out, diags));
  assert_string_equal(out->str, "ab\nxyz|\nend");
  const char *tag = strstr(src, "{{v}}");
  /* "b" is literal; "y" came from {{v}}; "|" and "e" are literal again. */
  assert_int_equal(kh_mustache_source_offset(origins, 1), 1);
  assert_int_equal(kh_mustache_source_offset(origins, 4), tag - src);
  assert_int_equal(kh_mustache_source_offset(origins, 6), tag - src + 5);
  assert_int_equal(kh_mustache_source_offset(origins, 8),
                   strstr(src, "end") - src);
  g_array_unref(origins);
  g_string_free(out, TRUE);
  json_decref(ctx);
  kh_mustache_free(t);
  kh_diags_free(diags);
}

/* ---- threads --------------------------------------------------------- */

typedef struct {
  const kh_mustache *t;
  const json_t *ctx;
  char *out;
} job;

static gpointer render_job(gpointer data) {
  job *j = data;
  kh_diags *diags = kh_diags_new();
  GString *out = g_string_new(NULL);
  kh_mustache_opts opts = {kh_escape_markdown, NULL, NULL, NULL};
  for (int i = 0; i < 200; i++) {
    g_string_truncate(out, 0);
    kh_mustache_render(j->t, j->ctx, &opts, out, diags);
  }
  j->out = g_string_free(out, FALSE);
  kh_diags_free(diags);
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  kh_diags *diags = kh_diags_new();
  kh_mustache *t = kh_mustache_parse(
      "{{#towns}}{{name}} {{score}}\n{{/towns}}", "t.md", diags);
  json_t *ctx = json_loads("{\"towns\": [{\"name\": \"*甲*乡\", \"score\": 97.5},"
                           "{\"name\": \"乙镇\", \"score\": 88}]}",
                           0, NULL);
  job jobs[4];
  GThread *threads[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (job){t, ctx, NULL};
    threads[i] = g_thread_new("render", render_job, &jobs[i]);
  }
  for (int i = 0; i < 4; i++) {
    g_thread_join(threads[i]);
    assert_string_equal(jobs[i].out, "\\*甲\\*乡 97\\.5\n乙镇 88\n");
    g_free(jobs[i].out);
  }
  json_decref(ctx);
  kh_mustache_free(t);
  kh_diags_free(diags);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spec),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_error_source_line),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_truthiness),
      cmocka_unit_test(test_markdown_escaping),
      cmocka_unit_test(test_partials),
      cmocka_unit_test(test_origins),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
