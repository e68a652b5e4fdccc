/* Fuzzes the template engine as a dataset's templates/notice.md reaches it:
 * the file decoded like every dataset file, then the mustache engine
 * (tags, sections, inverted sections, comments, dotted names, standalone
 * lines, partials, limits) with Markdown and with HTML escaping, the
 * origin map that places errors, and the template stages after it: the
 * Markdown into document blocks, and a mail's plain-text and HTML parts.
 * The context is the real one of the sample county's 2013-07 notice,
 * with township 01's variables added as for its mail. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "support.h"
#include "load/encoding.h"
#include "kaohe/render.h"
#include "render/template/escape.h"
#include "render/template/mustache.h"
#include "render/template/template.h"

static json_t *context;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char *dir = g_build_filename(kh_fuzz_source_dir(), "samples", "county-2013", NULL);
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, diags);
  if (!ds || diags->n_errors)
    abort();
  kh_month_result *r = kh_assess_month(ds, 7);
  kh_month_result *prev = kh_assess_month(ds, 6);
  kh_doc_meta meta = {.doc_no = 15, .date_year = 2013, .date_month = 8, .date_day = 5};
  context = kh_month_context(r, prev, &meta);
  kh_month_context_township(context, r, 0);
  /* The context holds copies: the dataset may go. */
  kh_month_result_free(prev);
  kh_month_result_free(r);
  kh_dataset_free(ds);
  kh_diags_free(diags);
  g_free(dir);
  return 0;
}

static char *partial(const char *name, bool standalone, const char *indent,
                     void *user_data, char **message) {
  (void)user_data;
  if (strcmp(name, "bad") == 0) {
    *message = g_strdup("不可用");
    return NULL;
  }
  if (strcmp(name, "score_table") != 0 && strcmp(name, "totals_chart") != 0)
    return NULL;
  return g_strdup_printf("%s| 乡镇 | 得分 |\n|---|---:|\n| *甲* | 1 |%s", indent,
                         standalone ? "\n" : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kh_diags *diags = kh_diags_new();
  gsize len;
  char *text = kh_decode_text("templates/notice.md", (const char *)data, size, &len, diags);
  if (!text) {
    kh_diags_free(diags);
    return 0;
  }

  kh_mustache *t = kh_mustache_parse(text, "templates/notice.md", diags);
  if (t) {
    GString *out = g_string_new(NULL);
    GArray *origins = g_array_new(FALSE, FALSE, sizeof(kh_mustache_origin));
    kh_mustache_opts md = {kh_escape_markdown, partial, NULL, origins};
    kh_mustache_render(t, context, &md, out, diags);
    for (gsize off = 0; off < out->len; off += 1 + out->len / 8) {
      gsize src = kh_mustache_source_offset(origins, off);
      if (src > len)
        __builtin_trap(); /* an output byte must come from inside the template */
      kh_mustache_error_at(t, src, diags, "测试");
    }
    g_string_truncate(out, 0);
    kh_mustache_opts html = {kh_escape_html, NULL, NULL, NULL};
    kh_mustache_render(t, context, &html, out, diags);
    g_array_unref(origins);
    g_string_free(out, TRUE);
  }
  kh_mustache_free(t);

  kh_doc *doc = kh_doc_new();
  kh_template_render_doc(text, "templates/notice.md", context, doc, diags);
  kh_doc_free(doc);
  GString *plain = g_string_new(NULL), *html = g_string_new(NULL);
  kh_template_render_mail(text, "templates/mail.md", context, plain, html, diags);
  g_string_free(plain, TRUE);
  g_string_free(html, TRUE);

  for (guint i = 0; i < diags->items->len; i++)
    g_free(kh_diag_format(g_ptr_array_index(diags->items, i)));
  kh_diags_free(diags);
  g_free(text);
  return 0;
}
