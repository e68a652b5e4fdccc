/* What a POST may do, and the checks before it does it: the session's
 * token (session.c), then the dataset's action lock for the actions that
 * change something (deliver.h kh_dataset_lock_*), taken without waiting:
 * a second action while one runs gets a 忙 page, not a queue. Pages are
 * never locked out: they read files that actions replace whole. */
#include "serve/serve.h"

#include <string.h>

typedef struct {
  const char *prefix, *suffix; /* the path is PREFIX ARG SUFFIX */
  bool needs_lock;
  kh_serve_action run;
} route;

static const route routes[] = {
    {"/month/", "/make", true, kh_serve_make_month},
    {"/quarter/", "/make", true, kh_serve_make_quarter},
    {"/month/", "/mail/eml", true, kh_serve_mail_eml},
    {"/month/", "/mail/send", true, kh_serve_mail_send},
    {"/import", "", false, kh_serve_import_upload},
    {"/import/", "/confirm", true, kh_serve_import_confirm},
};

/* The route path takes, with its ARG (owned) in *arg; NULL when none. */
static const route *find_route(const char *path, char **arg) {
  size_t n = strlen(path);
  for (size_t k = 0; k < G_N_ELEMENTS(routes); k++) {
    size_t p = strlen(routes[k].prefix), s = strlen(routes[k].suffix);
    if (n >= p + s && g_str_has_prefix(path, routes[k].prefix) &&
        g_str_has_suffix(path, routes[k].suffix)) {
      *arg = g_strndup(path + p, n - p - s);
      if (!strchr(*arg, '/'))
        return &routes[k];
      g_free(*arg);
    }
  }
  *arg = NULL;
  return NULL;
}

void kh_serve_post(const kh_serve_ctx *ctx, const char *path, const kh_serve_form *form,
                   kh_serve_reply *reply) {
  if (!ctx->csrf[0] ||
      !kh_serve_same_secret(kh_serve_form_field(form, "csrf"), ctx->csrf))
    return kh_serve_error(reply, 403, "页面已过期或不是从本工作台提交的：请刷新页面后再操作");
  char *arg = NULL;
  const route *r = find_route(path, &arg);
  if (!r)
    return kh_serve_error(reply, 404, "没有这个操作");
  kh_dataset_lock *lock = NULL;
  if (r->needs_lock) {
    kh_diags *diags = kh_diags_new();
    bool busy = false;
    lock = kh_dataset_lock_take(ctx->dataset, false, &busy, diags);
    kh_diags_free(diags);
    if (!lock) {
      kh_serve_error(reply, busy ? 409 : 500,
                     busy ? "忙：另一个操作（生成文档、导入或发送邮件）正在进行，请等它结束后再试"
                          : "无法锁定数据集目录");
      g_free(arg);
      return;
    }
  }
  r->run(ctx, arg, form, reply);
  kh_dataset_lock_release(lock);
  g_free(arg);
}
