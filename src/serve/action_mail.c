/* The month's mail in the console (docs/reference/console.md): the 邮件
 * panel of a month's page, and POST /month/YYYY-MM/mail/eml and
 * /month/YYYY-MM/mail/send, which do what `kaohe mail DATASET YYYY-MM
 * --eml` and `--smtp …` do with the default output folder: the same
 * deliver-stage batch (deliver.h kh_month_mail_prepare, then
 * kh_mail_batch_write_eml or kh_mail_batch_send) into the same out/YYYY-MM,
 * keeping the same delivery log. The dataset's lock is held by the
 * dispatcher (actions.c). The sender is rules.ini's [mail] from, and the
 * server its [mail] smtp, user, password_file, ca_file and starttls; the
 * password is read from password_file or serve's KAOHE_SMTP_PASSWORD and
 * never shown or taken from a request. */
#include "serve/serve.h"

#include <string.h>

/* A string the JSON takes over (freed here). */
static json_t *owned(char *text) {
  json_t *j = json_string(text);
  g_free(text);
  return j;
}

/* A file setting of rules.ini: relative to the dataset folder. */
static char *dataset_file(const kh_serve_ctx *ctx, const char *file) {
  if (!file)
    return NULL;
  return g_path_is_absolute(file) ? g_strdup(file) : g_build_filename(ctx->dataset, file, NULL);
}

/* What a page says of a township's mail, and its style. */
static const char *state_text(kh_mail_state state, const char **style) {
  *style = "";
  switch (state) {
  case KH_MAIL_STATE_NO_ADDRESS:
    return "没有邮箱地址";
  case KH_MAIL_STATE_NO_WORKBOOK:
    *style = "warn";
    return "缺考评表";
  case KH_MAIL_STATE_NOT_SENT:
    return "未发送";
  case KH_MAIL_STATE_SENT:
    *style = "good";
    return "已发送";
  case KH_MAIL_STATE_FAILED:
    *style = "bad";
    return "发送失败";
  case KH_MAIL_STATE_UNCERTAIN:
    *style = "warn";
    return "结果不明";
  }
  return "";
}

json_t *kh_serve_month_mail(const kh_serve_ctx *ctx, const kh_month_result *r) {
  const kh_dataset *ds = r->ds;
  json_t *mail = json_object();
  char *period = g_strdup_printf("%04d-%02d", r->year, r->month);
  char *outdir = kh_month_default_outdir(r->year, r->month);
  char *where = g_canonicalize_filename(outdir, NULL);
  char *books = g_build_filename(outdir, KH_TOWNSHIP_FOLDER, NULL);
  char *emls = g_build_filename(outdir, KH_EML_FOLDER, NULL);
  bool workbooks = g_file_test(books, G_FILE_TEST_IS_DIR);
  char *name = NULL, *address = NULL;
  bool sender = kh_mail_sender(NULL, &ds->rules, &name, &address);
  json_object_set_new(mail, "csrf", json_string(ctx->csrf));
  json_object_set_new(mail, "eml_action", owned(g_strdup_printf("/month/%s/mail/eml", period)));
  json_object_set_new(mail, "send_action", owned(g_strdup_printf("/month/%s/mail/send", period)));
  json_object_set_new(mail, "target", json_string(outdir));
  json_object_set_new(mail, "where", json_string(where));
  json_object_set_new(mail, "workbooks", json_boolean(workbooks));
  json_object_set_new(mail, "eml_present", json_boolean(g_file_test(emls, G_FILE_TEST_IS_DIR)));
  if (sender)
    json_object_set_new(mail, "sender", owned(name ? g_strdup_printf("%s <%s>", name, address)
                                                          : g_strdup(address)));
  if (ds->rules.mail_smtp)
    json_object_set_new(mail, "smtp", json_string(ds->rules.mail_smtp));
  json_object_set_new(mail, "can_write", json_boolean(sender && workbooks));
  json_object_set_new(mail, "can_send", json_boolean(sender && workbooks && ds->rules.mail_smtp));

  kh_mail_state *states = g_new0(kh_mail_state, kh_n_townships(ds));
  kh_diags *diags = kh_diags_new();
  bool read = kh_month_mail_states(r, outdir, states, diags);
  if (!read)
    json_object_set_new(mail, "log_error", json_string("发送记录无法读取，各乡镇的发送状态未知"));
  json_t *rows = json_array();
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const kh_township *tw = kh_township_at(ds, t);
    const char *style;
    const char *text = state_text(read ? states[t] : tw->email ? KH_MAIL_STATE_NOT_SENT
                                                               : KH_MAIL_STATE_NO_ADDRESS, &style);
    json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", tw->code, "name",
                                          tw->name, "email", tw->email ? tw->email : "",
                                          "state", read ? text : "未知", "class", style));
  }
  json_object_set_new(mail, "townships", rows);
  kh_diags_free(diags);
  g_free(states);
  g_free(name);
  g_free(address);
  g_free(emls);
  g_free(books);
  g_free(where);
  g_free(outdir);
  g_free(period);
  return mail;
}

/* The township's outcome after sending, and its style. Caller frees. */
static char *send_text(const kh_mail_batch *b, const kh_mail_item *it, const char **style) {
  const kh_send_result *res = &it->res;
  *style = "bad";
  switch (kh_mail_item_outcome(it)) {
  case KH_MAIL_NOT_ATTEMPTED:
    return g_strdup(b->stop == KH_MAIL_STOP_LOG ? "未发送：发送记录无法写入，已停止发送"
                                                : "未发送：服务器连接、加密或登录失败，已停止发送");
  case KH_MAIL_UNRECORDED:
    return g_strdup(res->status == KH_SEND_SENT
                        ? "已发送，但发送记录写入失败：结果不明，再次发送会重发，请先核实"
                        : "发送结果未能写入发送记录：结果不明，请先核实");
  case KH_MAIL_SENT:
    *style = "good";
    return res->attempts > 1 ? g_strdup_printf("已发送（尝试 %d 次）", res->attempts)
                             : g_strdup("已发送");
  case KH_MAIL_ALREADY_SENT:
    *style = "good";
    return g_strdup("此前已发送，跳过");
  case KH_MAIL_ALREADY_UNCERTAIN:
    *style = "warn";
    return g_strdup("此前发送结果不明（邮件发出后连接中断），未自动重发：确认对方未收到后，"
                    "用命令 kaohe mail … --resend 重发");
  case KH_MAIL_UNCERTAIN:
  case KH_MAIL_FAILED:
    break;
  }
  char *why = kh_send_failure_text(res), *text;
  if (res->status == KH_SEND_UNCERTAIN) {
    *style = "warn";
    text = g_strdup_printf("结果不明：邮件已发出，服务器确认前连接中断，对方可能已收到；"
                           "不会自动重发（%s）", why);
  } else if (res->status == KH_SEND_TRANSIENT) {
    text = g_strdup_printf("发送失败（暂时性故障，已尝试 %d 次，可稍后再点“发送”补发）：%s",
                           res->attempts, why);
  } else {
    text = g_strdup_printf("发送失败：%s", why);
  }
  g_free(why);
  return text;
}

static char *eml_text(const kh_mail_batch *b, const kh_mail_item *it, const char **style) {
  (void)b;
  *style = "good";
  char *name = kh_mail_eml_name(it->tw);
  char *text = g_strdup_printf("%s/%s", KH_EML_FOLDER, name);
  g_free(name);
  return text;
}

typedef char *(*outcome_fn)(const kh_mail_batch *b, const kh_mail_item *it, const char **style);

/* One row per township in registry order, those without an address too. */
static json_t *outcome_rows(const kh_mail_batch *b, outcome_fn outcome) {
  json_t *rows = json_array();
  guint k = 0;
  for (int t = 0; t < kh_n_townships(b->ds); t++) {
    const kh_township *tw = kh_township_at(b->ds, t);
    const char *style = "";
    char *text;
    if (k < b->items->len && g_array_index(b->items, kh_mail_item, k).t == t)
      text = outcome(b, &g_array_index(b->items, kh_mail_item, k++), &style);
    else
      text = g_strdup("没有邮箱地址（townships.csv 的 email 列），未发邮件");
    json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", tw->code, "name",
                                          tw->name, "email", tw->email ? tw->email : "",
                                          "outcome", text, "class", style));
    g_free(text);
  }
  return rows;
}

/* The workbooks that are not there, for a refused page. */
static json_t *missing_rows(const kh_mail_batch *b) {
  json_t *missing = json_array();
  for (guint k = 0; k < b->items->len; k++) {
    const kh_mail_item *it = &g_array_index(b->items, kh_mail_item, k);
    if (it->absent && !b->no_folder)
      json_array_append_new(missing, json_string(it->attachment_path));
  }
  return missing;
}

/* The SMTP settings of rules.ini, sending as from; the password read into
 * *password (caller frees). false with diags when they cannot be used. */
static bool smtp_settings(const kh_serve_ctx *ctx, const kh_rules *rules, const char *from,
                          kh_smtp_options *opt, char **password, char **files, kh_diags *diags) {
  *opt = (kh_smtp_options)KH_SMTP_OPTIONS_INIT;
  *password = NULL;
  files[0] = dataset_file(ctx, rules->mail_password_file);
  files[1] = dataset_file(ctx, rules->mail_ca_file);
  if (!rules->mail_smtp) {
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL,
                 "rules.ini 的 [mail] 中没有 smtp（发送用的邮件服务器），只能生成 .eml 文件");
    return false;
  }
  if (rules->mail_user) {
    if (!kh_smtp_read_password(files[0], password, diags))
      return false;
    if (!*password) {
      kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL,
                   "[mail] user 需要密码：在 [mail] password_file 指定的文件中写密码，"
                   "或启动工作台前设置环境变量 KAOHE_SMTP_PASSWORD");
      return false;
    }
  }
  opt->url = rules->mail_smtp;
  opt->from = from;
  opt->user = rules->mail_user;
  opt->password = *password;
  opt->ca_file = files[1];
  opt->no_starttls = rules->mail_no_starttls;
  /* As the command: a login over smtp:// travels only inside STARTTLS,
   * unless starttls = false says otherwise on purpose. */
  opt->require_tls = rules->mail_user && g_str_has_prefix(rules->mail_smtp, "smtp://") &&
                     !rules->mail_no_starttls;
  return true;
}

/* Prepares the month's mails and writes (send false) or sends them,
 * answering with the page of what happened to each township. */
static void mail_action(const kh_serve_ctx *ctx, const char *arg, bool send,
                        kh_serve_reply *reply) {
  int year, month;
  if (!kh_parse_month(arg, &year, &month))
    return kh_serve_error(reply, 404, "没有这个月份（应为 YYYY-MM）");
  kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
  if (!ds)
    return;
  if (year != ds->rules.year || !ds->months[month - 1].present) {
    kh_dataset_free(ds);
    return kh_serve_error(reply, 404, "这个月还没有月报");
  }
  kh_diags *diags = kh_diags_new();
  char *outdir = kh_month_default_outdir(year, month);
  char *from = NULL, *from_name = NULL, *password = NULL, *files[2] = {NULL, NULL};
  kh_doc_meta meta = {0};
  bool have_meta = false, ok = false, refused = true;
  kh_smtp_options opt;
  kh_mail_batch *b = kh_mail_batch_new(ds, outdir, month, KH_MAIL_KIND_MONTH);
  json_t *page = json_object();

  if (!kh_dataset_check_month(ds, month, diags))
    goto answer;
  if (!kh_mail_sender(NULL, &ds->rules, &from_name, &from)) {
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL,
                 "没有设置发件人：请在 rules.ini 中加上 [mail] from = %s <单位邮箱地址>",
                 ds->rules.issuer ? ds->rules.issuer : "某某县人口和计划生育局");
    goto answer;
  }
  if (send && !smtp_settings(ctx, &ds->rules, from, &opt, &password, files, diags))
    goto answer;
  have_meta = kh_doc_meta_init(&meta, ctx->dataset, NULL, diags);
  if (!have_meta)
    goto answer;
  meta.doc_no = kh_register_number(ctx->dataset, "month", arg);
  if (!kh_month_mail_prepare(b, &meta, from, from_name, diags)) {
    json_object_set_new(page, "no_workbooks", json_boolean(b->no_folder));
    json_t *missing = missing_rows(b);
    json_object_set_new(page, "has_missing", json_boolean(json_array_size(missing) > 0));
    json_object_set_new(page, "missing", missing);
    goto answer;
  }
  refused = false;
  if (!send) {
    char *folder = NULL;
    ok = kh_mail_batch_write_eml(b, &folder, diags);
    if (ok) {
      json_object_set_new(page, "folder", owned(g_canonicalize_filename(folder, NULL)));
      json_object_set_new(page, "rows", outcome_rows(b, eml_text));
    }
    refused = !ok;
    g_free(folder);
  } else {
    kh_mail_send_request rq = {.smtp = &opt, .jobs = (int)MAX(g_get_num_processors(), 1)};
    refused = !kh_mail_batch_send(b, &rq, diags);
    if (!refused) {
      kh_mail_tally n;
      kh_mail_batch_tally(b, &n);
      ok = !(n.failed || n.not_attempted || n.uncertain || n.unrecorded);
      json_object_set_new(page, "rows", outcome_rows(b, send_text));
      json_object_set_new(page, "summary",
                          owned(g_strdup_printf(
                              "已发送 %d 封，此前已发送而跳过 %d 封，失败 %d 封，结果不明 %d 封，"
                              "未发送 %d 封；%d 个乡镇没有邮箱地址",
                              n.sent, n.already_sent, n.failed, n.uncertain,
                              n.unrecorded + n.not_attempted, n.no_address)));
      if (!ok)
        json_object_set_new(page, "retry", json_true());
    }
  }

answer:;
  char *title = g_strdup_printf("%d年%d月的邮件%s", year, month,
                                refused ? (send ? "未发送" : "未写入")
                                        : send ? (ok ? "已发送" : "未全部发出") : "已写入");
  json_object_set_new(page, "title", json_string(title));
  json_object_set_new(page, "ok", json_boolean(ok));
  json_object_set_new(page, "refused", json_boolean(refused));
  json_object_set_new(page, "send", json_boolean(send));
  json_object_set_new(page, "back", owned(g_strdup_printf("/month/%s#mail", arg)));
  json_object_set_new(page, "has_rows", json_boolean(json_object_get(page, "rows") != NULL));
  json_object_set_new(page, "n_errors", json_integer(diags->n_errors));
  json_object_set_new(page, "files", kh_web_diagnostics(ctx->dataset, diags));
  reply->status = refused ? 422 : 200;
  kh_web_page("mail_result.html", title, ds, page, reply->body);
  g_free(title);
  json_decref(page);
  kh_mail_batch_free(b);
  if (have_meta)
    kh_doc_meta_clear(&meta);
  if (password)
    memset(password, 0, strlen(password));
  g_free(password);
  g_free(files[0]);
  g_free(files[1]);
  g_free(from);
  g_free(from_name);
  g_free(outdir);
  kh_diags_free(diags);
  kh_dataset_free(ds);
}

void kh_serve_mail_eml(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                       kh_serve_reply *reply) {
  (void)form;
  mail_action(ctx, arg, false, reply);
}

void kh_serve_mail_send(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                        kh_serve_reply *reply) {
  (void)form;
  mail_action(ctx, arg, true, reply);
}
