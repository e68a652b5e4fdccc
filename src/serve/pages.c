/* Which page a path names, and the page: the dataset is loaded afresh for
 * every request (a statistician edits the files between two clicks), so a
 * page is always what `check`, `score` and the documents would say now.
 * No path ever names a file: a page is addressed by period or code. */
#include "serve/serve.h"

#include <string.h>

#define HTML "text/html; charset=utf-8"

void kh_serve_error(kh_serve_reply *reply, unsigned status, const char *message) {
  reply->status = status;
  reply->type = HTML;
  g_string_truncate(reply->body, 0);
  kh_web_error_page((int)status, message, reply->body);
}

void kh_serve_reply_clear(kh_serve_reply *reply) {
  if (reply->body)
    g_string_free(reply->body, TRUE);
  g_free(reply->location);
  g_free(reply->file);
  g_free(reply->filename);
  memset(reply, 0, sizeof *reply);
}

kh_dataset *kh_serve_load(const char *dataset, kh_serve_reply *reply) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dataset, diags);
  if (ds && diags->n_errors > 0) {
    char *message = g_strdup_printf("数据集有 %d 个错误，改正之后才能考评：请回到首页查看", diags->n_errors);
    kh_serve_error(reply, 409, message);
    g_free(message);
    kh_dataset_free(ds);
    ds = NULL;
  } else if (!ds) {
    kh_serve_error(reply, 500, "数据集无法读取：请回到首页查看原因");
  }
  kh_diags_free(diags);
  return ds;
}

json_t *kh_serve_console(const kh_serve_ctx *ctx) {
  json_t *console = json_object();
  json_object_set_new(console, "csrf", json_string(ctx->csrf));
  json_object_set_new(console, "busy", json_boolean(kh_dataset_lock_busy(ctx->dataset)));
  return console;
}

static void dataset_page(const kh_serve_ctx *ctx, kh_serve_reply *reply) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(ctx->dataset, diags);
  json_t *console = kh_serve_console(ctx);
  if (ds)
    json_object_set_new(console, "import", json_pack("{s:o}", "months", kh_serve_import_months(ds)));
  kh_web_dataset_page(ds, ctx->dataset, diags, console, reply->body);
  json_decref(console);
  kh_dataset_free(ds);
  kh_diags_free(diags);
}

static void month_page(const kh_serve_ctx *ctx, const char *period, kh_serve_reply *reply) {
  int year, month;
  if (!kh_parse_month(period, &year, &month))
    return kh_serve_error(reply, 404, "没有这个月份（应为 YYYY-MM）");
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  if (year != ds->rules.year || !ds->months[month - 1].present) {
    kh_serve_error(reply, 404, "这个月还没有月报");
  } else {
    kh_month_result *r = kh_assess_month(ds, month);
    json_t *console = kh_serve_console(ctx);
    json_object_set_new(console, "make", json_pack("{s:o, s:s}", "action",
                                                   json_sprintf("/month/%s/make", period), "csrf",
                                                   ctx->csrf));
    json_object_set_new(console, "documents", kh_serve_month_documents(ds, month));
    json_object_set_new(console, "mail", kh_serve_month_mail(ctx, r));
    kh_web_month_page(r, console, reply->body);
    json_decref(console);
    kh_month_result_free(r);
  }
  kh_dataset_free(ds);
}

static void township_page(const kh_serve_ctx *ctx, const char *code, kh_serve_reply *reply) {
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  int found = -1;
  for (int t = 0; t < kh_n_townships(ds) && found < 0; t++)
    if (strcmp(kh_township_at(ds, t)->code, code) == 0)
      found = t;
  if (found < 0)
    kh_serve_error(reply, 404, "名册中没有这个乡镇代码");
  else
    kh_web_township_page(ds, found, reply->body);
  kh_dataset_free(ds);
}

static void quarter_page(const kh_serve_ctx *ctx, const char *period, kh_serve_reply *reply) {
  int year, quarter;
  if (!kh_parse_quarter(period, &year, &quarter))
    return kh_serve_error(reply, 404, "没有这个季度（应为 YYYYQn）");
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  kh_diags *diags = kh_diags_new();
  /* a quarter still being reported is shown as it stands, and says so */
  kh_quarter_result *q = year == ds->rules.year ? kh_assess_quarter(ds, quarter, true, diags) : NULL;
  if (!q) {
    kh_serve_error(reply, 404, "这个季度还没有月报");
  } else {
    json_t *console = kh_serve_console(ctx);
    json_object_set_new(console, "make",
                        json_pack("{s:o, s:s, s:b}", "action",
                                  json_sprintf("/quarter/%04dQ%d/make", year, quarter), "csrf",
                                  ctx->csrf, "quarter", 1));
    json_object_set_new(console, "documents", kh_serve_quarter_documents(ds, quarter));
    kh_web_quarter_page(q, console, reply->body);
    json_decref(console);
  }
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  kh_dataset_free(ds);
}

/* Whether path is PREFIX PERIOD "/doc/" KIND, the period free of slashes. */
static bool is_document(const char *path) {
  if (!g_str_has_prefix(path, "/month/") && !g_str_has_prefix(path, "/quarter/"))
    return false;
  const char *period = strchr(path + 1, '/') + 1;
  const char *slash = strchr(period, '/');
  return slash && slash > period && g_str_has_prefix(slash, "/doc/") && slash[5];
}

void kh_serve_page(const kh_serve_ctx *ctx, const char *path, kh_serve_reply *reply) {
  reply->status = 200;
  reply->type = HTML;
  if (strcmp(path, "/") == 0) {
    dataset_page(ctx, reply);
  } else if (strcmp(path, "/style.css") == 0) {
    reply->type = "text/css; charset=utf-8";
    g_string_append(reply->body, kh_web_stylesheet());
  } else if (is_document(path)) {
    kh_serve_document(ctx, path, reply);
  } else if (g_str_has_prefix(path, "/month/")) {
    month_page(ctx, path + strlen("/month/"), reply);
  } else if (g_str_has_prefix(path, "/township/") && path[strlen("/township/")]) {
    township_page(ctx, path + strlen("/township/"), reply);
  } else if (g_str_has_prefix(path, "/quarter/")) {
    quarter_page(ctx, path + strlen("/quarter/"), reply);
  } else {
    kh_serve_error(reply, 404, "没有这个页面");
  }
}
