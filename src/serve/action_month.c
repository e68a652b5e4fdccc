/* POST /month/YYYY-MM/make: the month's documents, as `kaohe month DATASET
 * YYYY-MM [--date D] [--doc-no N]` makes them (the same kh_publish_month,
 * into the same out/YYYY-MM), with the dataset's lock already held. */
#include "serve/serve.h"

#include <stdlib.h>

/* The optional date and number fields, as the command's options; false
 * after answering when either is malformed. */
bool kh_serve_doc_fields(const kh_serve_form *form, const char **date, int *doc_no,
                         kh_serve_reply *reply) {
  const char *d = kh_serve_form_field(form, "date");
  const char *n = kh_serve_form_field(form, "doc_no");
  int y, m, day;
  *date = d && *d ? d : NULL;
  if (*date && !kh_parse_date(*date, &y, &m, &day)) {
    kh_serve_error(reply, 400, "成文日期应为 YYYY-MM-DD 格式的有效日期，如 2013-08-05");
    return false;
  }
  guint64 number = 0;
  if (n && *n && !g_ascii_string_to_unsigned(n, 10, 1, 99999, &number, NULL)) {
    kh_serve_error(reply, 400, "发文字号的序号应为 1 到 99999 的整数，或留空按发文登记编号");
    return false;
  }
  *doc_no = (int)number;
  return true;
}

void kh_serve_made_page(const kh_serve_ctx *ctx, const kh_dataset *ds, const char *title,
                        bool ok, const kh_publish_result *res, json_t *documents,
                        const char *back, const kh_diags *diags, kh_serve_reply *reply) {
  json_t *page = json_object();
  json_object_set_new(page, "title", json_string(title));
  json_object_set_new(page, "ok", json_boolean(ok));
  if (ok)
    json_object_set_new(page, "doc_no", json_integer(res->doc_no));
  if (ok && res->replaced)
    json_object_set_new(page, "replaced", json_string(res->replaced));
  json_object_set_new(page, "documents", documents);
  json_object_set_new(page, "back", json_string(back));
  json_object_set_new(page, "n_errors", json_integer(diags->n_errors));
  json_object_set_new(page, "n_warnings", json_integer(diags->n_warnings));
  json_object_set_new(page, "files", kh_web_diagnostics(ctx->dataset, diags));
  reply->status = ok ? 200 : 422;
  kh_web_page("made.html", title, ds, page, reply->body);
  json_decref(page);
}

void kh_serve_make_month(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                         kh_serve_reply *reply) {
  int year, month, doc_no;
  const char *date;
  if (!kh_parse_month(arg, &year, &month))
    return kh_serve_error(reply, 404, "没有这个月份（应为 YYYY-MM）");
  if (!kh_serve_doc_fields(form, &date, &doc_no, reply))
    return;
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  if (year != ds->rules.year) {
    kh_dataset_free(ds);
    return kh_serve_error(reply, 404, "这个月份不在考评年度内");
  }
  char *target = kh_month_default_outdir(year, month);
  kh_publish_request rq = {.dataset_dir = ctx->dataset, .target = target, .period = month,
                           .doc_no = doc_no, .date = date,
                           .jobs = (int)MAX(g_get_num_processors(), 1)};
  kh_publish_result res;
  kh_diags *diags = kh_diags_new();
  bool ok = kh_publish_month(ds, &rq, &res, diags);
  char *title = g_strdup_printf("%d年%d月督查通报和考评表%s", year, month, ok ? "已生成" : "未能生成");
  char *back = g_strdup_printf("/month/%s", arg);
  kh_serve_made_page(ctx, ds, title, ok, &res, kh_serve_month_documents(ds, month), back, diags,
                     reply);
  g_free(back);
  g_free(title);
  kh_publish_result_clear(&res);
  kh_diags_free(diags);
  g_free(target);
  kh_dataset_free(ds);
}
