/* The layout every page shares, and rendering a page into it. */
#include "render/web/web.h"

#include "render/template/escape.h"
#include "render/template/mustache.h"

json_t *kh_web_owned(char *text) {
  json_t *s = json_string(text ? text : "");
  g_free(text);
  return s;
}

json_t *kh_web_township_href(const char *code) {
  char *escaped = g_uri_escape_string(code, NULL, TRUE);
  char *href = g_strconcat("/township/", escaped, NULL);
  g_free(escaped);
  return kh_web_owned(href);
}

/* Renders compiled-in template name over ctx, HTML-escaped, into out. */
static bool render_into(const char *name, json_t *ctx, GString *out) {
  const char *text = kh_web_file(name);
  if (!text)
    return false;
  kh_diags *diags = kh_diags_new();
  kh_mustache *t = kh_mustache_parse(text, name, diags);
  kh_mustache_opts opts = {.escape = kh_escape_html};
  bool ok = t && kh_mustache_render(t, ctx, &opts, out, diags);
  kh_mustache_free(t);
  kh_diags_free(diags);
  return ok;
}

/* The months of the year that have a file, for the navigation. */
static json_t *month_links(const kh_dataset *ds) {
  json_t *months = json_array();
  for (int m = 1; ds && m <= 12; m++) {
    if (!ds->months[m - 1].present)
      continue;
    json_t *link = json_object();
    json_object_set_new(link, "href", kh_web_owned(g_strdup_printf("/month/%04d-%02d", ds->rules.year, m)));
    json_object_set_new(link, "text", kh_web_owned(g_strdup_printf("%d月", m)));
    json_array_append_new(months, link);
  }
  return months;
}

static json_t *quarter_links(const kh_dataset *ds) {
  json_t *quarters = json_array();
  for (int q = 1; ds && q <= 4; q++) {
    bool any = false;
    for (int m = 3 * q - 2; m <= 3 * q; m++)
      any = any || ds->months[m - 1].present;
    if (!any)
      continue;
    json_t *link = json_object();
    json_object_set_new(link, "href", kh_web_owned(g_strdup_printf("/quarter/%04dQ%d", ds->rules.year, q)));
    json_object_set_new(link, "text", kh_web_owned(g_strdup_printf("第%d季度", q)));
    json_array_append_new(quarters, link);
  }
  return quarters;
}

/* Blocks shown alike on several pages, rendered once from their own
 * template into KEY_html beside KEY: a period's documents (where they go,
 * which are there, the preview: on its page and after making them), the
 * form that makes them, the month's mail panel, and diagnostics grouped
 * by file (the dataset's check, an action's outcome). */
static void render_block(json_t *holder, const char *key, const char *template_name) {
  json_t *value = holder ? json_object_get(holder, key) : NULL;
  if (!value)
    return;
  json_t *block = json_object();
  json_object_set(block, key, value);
  GString *html = g_string_new(NULL);
  if (render_into(template_name, block, html)) {
    char *html_key = g_strconcat(key, "_html", NULL);
    json_object_set_new(holder, html_key, json_string(html->str));
    g_free(html_key);
  }
  g_string_free(html, TRUE);
  json_decref(block);
}

void kh_web_render(const char *name, const char *title, const kh_dataset *ds, json_t *ctx,
                   json_t *console, GString *out) {
  render_block(console, "documents", "documents.html");
  render_block(console, "make", "make_form.html");
  render_block(console, "mail", "mail_panel.html");
  render_block(ctx, "documents", "documents.html");
  render_block(ctx, "files", "diagnostics.html");
  if (console)
    json_object_set(ctx, "console", console);
  GString *body = g_string_new(NULL);
  if (!render_into(name, ctx, body))
    g_string_assign(body, "<p class=\"bad\">页面模板有误（kaohe 的缺陷），请报告。</p>");
  json_t *page = json_object();
  json_object_set_new(page, "title", json_string(title));
  json_object_set_new(page, "county", json_string(ds && ds->rules.county ? ds->rules.county : ""));
  json_object_set_new(page, "year", json_integer(ds ? ds->rules.year : 0));
  json_object_set_new(page, "months", month_links(ds));
  json_object_set_new(page, "quarters", quarter_links(ds));
  json_object_set_new(page, "body", json_string(body->str));
  if (console)
    json_object_set(page, "console", console);
  if (!render_into("layout.html", page, out))
    g_string_append(out, body->str);
  json_decref(page);
  g_string_free(body, TRUE);
}

void kh_web_page(const char *name, const char *title, const kh_dataset *ds, json_t *ctx,
                 GString *out) {
  kh_web_render(name, title, ds, ctx, NULL, out);
}

const char *kh_web_stylesheet(void) { return kh_web_file("style.css"); }

void kh_web_error_page(int status, const char *message, GString *out) {
  json_t *ctx = json_object();
  json_object_set_new(ctx, "status", json_integer(status));
  json_object_set_new(ctx, "message", json_string(message));
  kh_web_render("error.html", "出错了", NULL, ctx, NULL, out);
  json_decref(ctx);
}
