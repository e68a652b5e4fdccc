/* Loading templates and rendering them into documents and mails
 * (template.h): mustache with Markdown escaping, then markdown.c. */
#include "render/template/template.h"

#include <glib/gstdio.h>

#include "kaohe/load.h"
#include "render/punct.h"
#include "render/template/escape.h"
#include "render/template/markdown.h"
#include "render/template/mustache.h"
#include "kaohe/render.h"

void kh_template_free(kh_template *t) {
  if (!t)
    return;
  g_free(t->name);
  g_free(t->path);
  g_free(t->text);
  g_free(t);
}

/* A dataset's template file; the text is read as docs/reference/dataset.md says for every
 * dataset file (UTF-8 with or without BOM, else GB18030). */
static kh_template *load_dataset_file(const char *name, const char *path,
                                      kh_diags *diags) {
  GStatBuf st;
  if (g_stat(path, &st) == 0 && st.st_size > KH_MUSTACHE_MAX_TEMPLATE_BYTES) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "模板过大（%lld 字节，上限 %u 字节）", (long long)st.st_size,
                 KH_MUSTACHE_MAX_TEMPLATE_BYTES);
    return NULL;
  }
  gsize len;
  char *text = kh_read_text_file(path, &len, diags);
  if (!text)
    return NULL;
  kh_template *t = g_new0(kh_template, 1);
  t->name = g_strdup(name);
  t->path = g_strdup(path);
  t->text = text;
  t->from_dataset = true;
  return t;
}

kh_template *kh_template_load(const char *name,
                              const char *dataset_template_dir,
                              kh_diags *diags) {
  if (dataset_template_dir) {
    char *path = g_build_filename(dataset_template_dir, name, NULL);
    kh_template *t = NULL;
    /* Present when the folder has an entry of that name, even a broken
     * symbolic link: the author meant to override, so it must not fall
     * back to the shipped template silently. */
    GStatBuf st;
    bool present = g_lstat(path, &st) == 0;
    if (present)
      t = load_dataset_file(name, path, diags);
    g_free(path);
    if (present)
      return t;
  }
  const char *shipped = kh_shipped_template(name);
  if (!shipped) {
    kh_diags_add(diags, KH_ERROR, dataset_template_dir ? dataset_template_dir
                                                       : "templates",
                 1, 1, NULL, "找不到模板 %s：数据集和程序自带的模板中都没有",
                 name);
    return NULL;
  }
  kh_template *t = g_new0(kh_template, 1);
  t->name = g_strdup(name);
  t->path = g_strconcat("templates/", name, NULL);
  t->text = g_strdup(shipped);
  return t;
}

/* ---- rendering ------------------------------------------------------- */

/* A template expanded into Markdown, with what maps the Markdown back to
 * the template for error messages. */
typedef struct {
  kh_mustache *tpl;
  GString *markdown;
  GArray *origins; /* kh_mustache_origin */
  GArray *punct;   /* kh_punct_offset: the Markdown before its punctuation
                      was made Chinese */
} expansion;

static void expansion_clear(expansion *x) {
  kh_mustache_free(x->tpl);
  if (x->markdown)
    g_string_free(x->markdown, TRUE);
  if (x->origins)
    g_array_unref(x->origins);
  if (x->punct)
    g_array_unref(x->punct);
}

static bool expand(const char *text, const char *path, const json_t *context,
                   kh_mustache_partial_fn partial, expansion *x,
                   kh_diags *diags) {
  x->tpl = kh_mustache_parse(text, path, diags);
  x->markdown = g_string_new(NULL);
  x->origins = g_array_new(FALSE, FALSE, sizeof(kh_mustache_origin));
  if (!x->tpl)
    return false;
  kh_mustache_opts opts = {kh_escape_markdown, partial, NULL, x->origins};
  if (!kh_mustache_render(x->tpl, context, &opts, x->markdown, diags))
    return false;
  /* template text and data alike get Chinese punctuation (punct.h) */
  x->punct = g_array_new(FALSE, FALSE, sizeof(kh_punct_offset));
  char *md = kh_punct_chinese(x->markdown->str, x->markdown->len, true, x->punct);
  g_string_assign(x->markdown, md);
  g_free(md);
  return true;
}

/* Reports a Markdown error where the template produced that Markdown. */
static bool markdown_failed(const expansion *x, kh_markdown_error *err,
                            kh_diags *diags) {
  gsize offset = kh_punct_input_offset(x->punct, err->offset);
  kh_mustache_error_at(x->tpl, kh_mustache_source_offset(x->origins, offset), diags, "%s",
                       err->message);
  kh_markdown_error_clear(err);
  return false;
}

static bool is_partial_name(const char *name) {
  if (!*name)
    return false;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
      return false;
  return true;
}

/* {{> name}} in a document: a built-in block, written as a marker paragraph
 * (markdown.h) that becomes a KH_BLOCK_PARTIAL. */
static char *document_partial(const char *name, bool standalone,
                              const char *indent, void *user_data,
                              char **message) {
  (void)indent;
  (void)user_data;
  if (!standalone) {
    *message = g_strdup_printf("内置块 {{> %s}} 必须单独占一行", name);
    return NULL;
  }
  if (!is_partial_name(name)) {
    *message = g_strdup_printf("“%s”不是内置块的名称", name);
    return NULL;
  }
  GString *marker = g_string_new(NULL);
  kh_markdown_append_partial(marker, name);
  return g_string_free(marker, FALSE);
}

bool kh_template_render_doc(const char *text, const char *path,
                            json_t *context, kh_doc *doc, kh_diags *diags) {
  expansion x = {0};
  kh_markdown_error err = {0};
  bool ok = expand(text, path, context, document_partial, &x, diags);
  if (ok && !kh_markdown_to_blocks(x.markdown->str, x.markdown->len,
                                   doc->blocks, &err))
    ok = markdown_failed(&x, &err, diags);
  expansion_clear(&x);
  return ok;
}

bool kh_template_render_mail(const char *text, const char *path,
                             json_t *context, GString *plain, GString *html,
                             kh_diags *diags) {
  expansion x = {0};
  kh_markdown_error err = {0};
  GString *plain_part = g_string_new(NULL), *html_part = g_string_new(NULL);
  bool ok = expand(text, path, context, NULL, &x, diags);
  if (ok && (!kh_markdown_to_plain(x.markdown->str, x.markdown->len,
                                   plain_part, &err) ||
             !kh_markdown_to_html(x.markdown->str, x.markdown->len,
                                  html_part, &err)))
    ok = markdown_failed(&x, &err, diags);
  if (ok) {
    g_string_append_len(plain, plain_part->str, (gssize)plain_part->len);
    g_string_append_len(html, html_part->str, (gssize)html_part->len);
  }
  g_string_free(plain_part, TRUE);
  g_string_free(html_part, TRUE);
  expansion_clear(&x);
  return ok;
}
