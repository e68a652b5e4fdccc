/* POST /month/YYYY-MM/make and /quarter/YYYYQn/make: the month's documents
 * and the quarter's archive, as `kaohe month` and `kaohe quarter` make them
 * (the same kh_publish_month and kh_publish_quarter into the same out/ and
 * archive/ folders, refused alike), with the dataset's lock already held.
 * The form's fields are the commands' options: date (--date), doc_no
 * (--doc-no), and for the quarter partial and force. */
#include "serve/serve.h"

#include <string.h>

/* What differs between making a month and a quarter. */
typedef struct {
  bool (*parse)(const char *text, int *year, int *period);
  const char *not_a_period; /* 404 when the URL's period does not parse */
  char *(*target)(int year, int period);
  bool (*publish)(const kh_dataset *ds, const kh_publish_request *rq, kh_publish_result *out,
                  kh_diags *diags);
  json_t *(*documents)(const kh_dataset *ds, int period);
  char *(*title)(int year, int period, bool ok);
  const char *page; /* the period's page, a printf pattern over year and period */
} make_kind;

/* The optional date and number fields, checked as the commands check
 * --date and --doc-no; false after answering 400 when either is malformed. */
static bool doc_fields(const kh_serve_form *form, const char **date, int *doc_no,
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

/* A checkbox: present and "1". */
static bool ticked(const kh_serve_form *form, const char *name) {
  const char *v = kh_serve_form_field(form, name);
  return v && strcmp(v, "1") == 0;
}

/* The page after making: what was made and its number, or that nothing
 * was and why, every diagnostic, and the documents now there. */
static void made_page(const kh_serve_ctx *ctx, const kh_dataset *ds, const char *title, bool ok,
                      const kh_publish_result *res, json_t *documents, const char *back,
                      const kh_diags *diags, kh_serve_reply *reply) {
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
  json_object_set_new(page, "files", kh_web_diagnostics(ctx->dataset, diags));
  reply->status = ok ? 200 : 422;
  kh_web_page("made.html", title, ds, page, reply->body);
  json_decref(page);
}

static void make(const make_kind *kind, const kh_serve_ctx *ctx, const char *arg,
                 const kh_serve_form *form, kh_serve_reply *reply) {
  int year, period, doc_no;
  const char *date;
  if (!kind->parse(arg, &year, &period))
    return kh_serve_error(reply, 404, kind->not_a_period);
  if (!doc_fields(form, &date, &doc_no, reply))
    return;
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  if (year != ds->rules.year) {
    kh_dataset_free(ds);
    return kh_serve_error(reply, 404, "不在考评年度内");
  }
  char *target = kind->target(year, period);
  kh_publish_request rq = {.dataset_dir = ctx->dataset, .target = target, .period = period,
                           .doc_no = doc_no, .date = date,
                           .jobs = (int)MAX(g_get_num_processors(), 1),
                           .partial = ticked(form, "partial"), .force = ticked(form, "force")};
  kh_publish_result res;
  kh_diags *diags = kh_diags_new();
  bool ok = kind->publish(ds, &rq, &res, diags);
  char *title = kind->title(year, period, ok);
  char *back = g_strdup_printf(kind->page, year, period);
  made_page(ctx, ds, title, ok, &res, kind->documents(ds, period), back, diags, reply);
  g_free(back);
  g_free(title);
  kh_publish_result_clear(&res);
  kh_diags_free(diags);
  g_free(target);
  kh_dataset_free(ds);
}

static char *month_title(int year, int month, bool ok) {
  return g_strdup_printf("%d年%d月督查通报和考评表%s", year, month, ok ? "已生成" : "未能生成");
}

static char *quarter_title(int year, int quarter, bool ok) {
  static const char *const names[] = {"一", "二", "三", "四"};
  return g_strdup_printf("%d年第%s季度奖惩通报%s", year, names[quarter - 1], ok ? "已存档" : "未能存档");
}

void kh_serve_make_month(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                         kh_serve_reply *reply) {
  static const make_kind month = {kh_parse_month, "没有这个月份（应为 YYYY-MM）",
                                  kh_month_default_outdir, kh_publish_month,
                                  kh_serve_month_documents, month_title, "/month/%04d-%02d"};
  make(&month, ctx, arg, form, reply);
}

void kh_serve_make_quarter(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                           kh_serve_reply *reply) {
  static const make_kind quarter = {kh_parse_quarter, "没有这个季度（应为 YYYYQn）",
                                    kh_quarter_default_archive, kh_publish_quarter,
                                    kh_serve_quarter_documents, quarter_title, "/quarter/%04dQ%d"};
  make(&quarter, ctx, arg, form, reply);
}
