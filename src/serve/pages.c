/* Which page a path names, and the page: the dataset is loaded afresh for
 * every request (a statistician edits the files between two clicks), so a
 * page is always what `check`, `score` and the documents would say now.
 * No path ever names a file: a page is addressed by period or code. */
#include "serve/serve.h"

#include <string.h>
#include "kaohe/kaohe.h"

#define HTML "text/html; charset=utf-8"

static void error_page(kh_serve_reply *reply, unsigned status, const char *message) {
  reply->status = status;
  reply->type = HTML;
  kh_web_error_page((int)status, message, reply->body);
}

/* The dataset, or NULL after answering with what stops its pages. */
static kh_dataset *load(const char *dataset, kh_serve_reply *reply) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dataset, diags);
  if (ds && diags->n_errors > 0) {
    char *message = g_strdup_printf("数据集有 %d 个错误，改正之后才能考评：请回到首页查看", diags->n_errors);
    error_page(reply, 409, message);
    g_free(message);
    kh_dataset_free(ds);
    ds = NULL;
  } else if (!ds) {
    error_page(reply, 500, "数据集无法读取：请回到首页查看原因");
  }
  kh_diags_free(diags);
  return ds;
}

static void dataset_page(const char *dataset, kh_serve_reply *reply) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dataset, diags);
  kh_web_dataset_page(ds, dataset, diags, reply->body);
  kh_dataset_free(ds);
  kh_diags_free(diags);
}

static void month_page(const char *dataset, const char *period, kh_serve_reply *reply) {
  int year, month;
  if (!kh_parse_month(period, &year, &month))
    return error_page(reply, 404, "没有这个月份（应为 YYYY-MM）");
  kh_dataset *ds = load(dataset, reply);
  if (!ds)
    return;
  if (year != ds->rules.year || !ds->months[month - 1].present) {
    error_page(reply, 404, "这个月还没有月报");
  } else {
    kh_month_result *r = kh_assess_month(ds, month);
    kh_web_month_page(r, reply->body);
    kh_month_result_free(r);
  }
  kh_dataset_free(ds);
}

static void township_page(const char *dataset, const char *code, kh_serve_reply *reply) {
  kh_dataset *ds = load(dataset, reply);
  if (!ds)
    return;
  int found = -1;
  for (int t = 0; t < kh_n_townships(ds) && found < 0; t++)
    if (strcmp(kh_township_at(ds, t)->code, code) == 0)
      found = t;
  if (found < 0)
    error_page(reply, 404, "名册中没有这个乡镇代码");
  else
    kh_web_township_page(ds, found, reply->body);
  kh_dataset_free(ds);
}

static void quarter_page(const char *dataset, const char *period, kh_serve_reply *reply) {
  int year, quarter;
  if (!kh_parse_quarter(period, &year, &quarter))
    return error_page(reply, 404, "没有这个季度（应为 YYYYQn）");
  kh_dataset *ds = load(dataset, reply);
  if (!ds)
    return;
  kh_diags *diags = kh_diags_new();
  /* a quarter still being reported is shown as it stands, and says so */
  kh_quarter_result *q = year == ds->rules.year ? kh_assess_quarter(ds, quarter, true, diags) : NULL;
  if (!q)
    error_page(reply, 404, "这个季度还没有月报");
  else
    kh_web_quarter_page(q, reply->body);
  kh_quarter_result_free(q);
  kh_diags_free(diags);
  kh_dataset_free(ds);
}

void kh_serve_page(const char *dataset, const char *path, kh_serve_reply *reply) {
  reply->status = 200;
  reply->type = HTML;
  if (strcmp(path, "/") == 0) {
    dataset_page(dataset, reply);
  } else if (strcmp(path, "/style.css") == 0) {
    reply->type = "text/css; charset=utf-8";
    g_string_append(reply->body, kh_web_stylesheet());
  } else if (g_str_has_prefix(path, "/month/")) {
    month_page(dataset, path + strlen("/month/"), reply);
  } else if (g_str_has_prefix(path, "/township/") && path[strlen("/township/")]) {
    township_page(dataset, path + strlen("/township/"), reply);
  } else if (g_str_has_prefix(path, "/quarter/")) {
    quarter_page(dataset, path + strlen("/quarter/"), reply);
  } else {
    error_page(reply, 404, "没有这个页面");
  }
}
