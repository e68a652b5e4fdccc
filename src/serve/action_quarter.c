/* POST /quarter/YYYYQn/make: the quarter's archive, as `kaohe quarter
 * DATASET YYYYQn [--date D] [--doc-no N] [--partial] [--force]` makes it
 * (the same kh_publish_quarter into the same archive/YYYYQn, refused the
 * same way when it exists and 替换 was not ticked), with the dataset's
 * lock already held. */
#include "serve/serve.h"

#include <string.h>

/* A checkbox: present and "1". */
static bool ticked(const kh_serve_form *form, const char *name) {
  const char *v = kh_serve_form_field(form, name);
  return v && strcmp(v, "1") == 0;
}

void kh_serve_make_quarter(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                           kh_serve_reply *reply) {
  int year, quarter, doc_no;
  const char *date;
  if (!kh_parse_quarter(arg, &year, &quarter))
    return kh_serve_error(reply, 404, "没有这个季度（应为 YYYYQn）");
  if (!kh_serve_doc_fields(form, &date, &doc_no, reply))
    return;
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  if (year != ds->rules.year) {
    kh_dataset_free(ds);
    return kh_serve_error(reply, 404, "这个季度不在考评年度内");
  }
  char *target = kh_quarter_default_archive(year, quarter);
  kh_publish_request rq = {.dataset_dir = ctx->dataset, .target = target, .period = quarter,
                           .doc_no = doc_no, .date = date, .jobs = 1,
                           .partial = ticked(form, "partial"), .force = ticked(form, "force")};
  kh_publish_result res;
  kh_diags *diags = kh_diags_new();
  bool ok = kh_publish_quarter(ds, &rq, &res, diags);
  static const char *const names[] = {"一", "二", "三", "四"};
  char *title = g_strdup_printf("%d年第%s季度奖惩通报%s", year, names[quarter - 1],
                                ok ? "已存档" : "未能存档");
  char *back = g_strdup_printf("/quarter/%04dQ%d", year, quarter);
  kh_serve_made_page(ctx, ds, title, ok, &res, kh_serve_quarter_documents(ds, quarter), back,
                     diags, reply);
  g_free(back);
  g_free(title);
  kh_publish_result_clear(&res);
  kh_diags_free(diags);
  g_free(target);
  kh_dataset_free(ds);
}
