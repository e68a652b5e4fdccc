/* kaohe mail DATASET YYYY-MM: each township's workbook by email (docs/reference/outputs.md,
 * §8, templates/README.md).
 *
 * Everything is prepared before anything leaves: the workbooks that
 * `kaohe month` wrote into OUTDIR/乡镇/ are found, and every message is
 * rendered from templates/mail.md and encoded. Only when all of that worked
 * does --eml write OUTDIR/邮件/ (all files at once) or --smtp send, in
 * --jobs threads sharing the delivery log OUTDIR/mail-log.tsv, which lets
 * a rerun skip what already went out. The outcome is reported per township,
 * in registry order, on stdout; errors go to stderr. With --forms the
 * mails carry the fill-in forms instead (mail_forms.c), through the same
 * .eml writing and delivery. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include "cli/mail_outgoing.h"
#include "cli/progress.h"
#include "kaohe/deliver.h"
#include "kaohe/render.h"

#define EML_FOLDER "邮件"

typedef struct {
  char *outdir, *smtp_url, *from, *user, *password_file, *ca_file, *test;
  gboolean eml, no_starttls, resend, forms;
  int jobs;
} mail_args;

static void outgoing_clear(outgoing *o) {
  g_free(o->workbook);
  if (o->attachment)
    g_bytes_unref(o->attachment);
  g_free(o->attachment_sha256);
  if (o->message)
    g_bytes_unref(o->message);
  g_free(o->message_id);
  kh_send_result_clear(&o->res);
  kh_diags_free(o->diags);
}

static void mail_args_clear(mail_args *a) {
  g_free(a->outdir);
  g_free(a->smtp_url);
  g_free(a->from);
  g_free(a->user);
  g_free(a->password_file);
  g_free(a->ca_file);
  g_free(a->test);
}

/* Whether the SMTP URL carries a user name or password (smtp://u:p@host):
 * the password would be an argument, visible to every user of the machine
 * (the man page, docs/kaohe.1.in: never from an argument). */
static bool url_has_userinfo(const char *url) {
  char *userinfo = NULL;
  bool parsed = g_uri_split(url, G_URI_FLAGS_NONE, NULL, &userinfo, NULL, NULL, NULL, NULL,
                            NULL, NULL);
  bool has = parsed ? userinfo != NULL : strchr(url, '@') != NULL;
  g_free(userinfo);
  return has;
}

/* Usage checks that need no dataset; prints and returns false. */
/* Whether --from is a sender kh_mail_sender_parse() takes. */
static bool sender_ok(const char *from) {
  char *name, *address;
  bool ok = kh_mail_sender_parse(from, &name, &address);
  g_free(name);
  g_free(address);
  return ok;
}

/* Usage checks that need no dataset; prints and returns false. */
static bool check_usage(const mail_args *a) {
  const char *bad = NULL;
  if (a->eml == (a->smtp_url != NULL))
    bad = "需要 --eml 或 --smtp URL 二者之一";
  else if (a->test && a->forms)
    bad = "--test 不能与 --forms 同用：试发设置请用 kaohe mail DATASET YYYY-MM --smtp URL --test 地址";
  else if (a->test && !a->smtp_url)
    bad = "--test 用于试发 --smtp 的设置";
  else if (a->test && !kh_email_address_ok(a->test))
    bad = "--test 应为一个邮件地址，如 tjk@example.gov.cn";
  else if (a->eml && (a->user || a->password_file || a->ca_file || a->no_starttls || a->resend))
    bad = "--user、--password-file、--ca-file、--no-starttls、--resend 只用于 --smtp";
  else if (a->password_file && !a->user)
    bad = "--password-file 需要与 --user 一起使用";
  else if (a->jobs < 0)
    bad = "--jobs 不能为负数";
  else if (a->smtp_url && !g_str_has_prefix(a->smtp_url, "smtp://") &&
           !g_str_has_prefix(a->smtp_url, "smtps://"))
    bad = "SMTP 服务器地址应以 smtp:// 或 smtps:// 开头，例如 smtp://mail.example.gov.cn:587";
  else if (a->smtp_url && url_has_userinfo(a->smtp_url))
    bad = "SMTP 服务器地址中不能写用户名或密码：用户名用 --user，密码用 --password-file 或环境变量 "
          "KAOHE_SMTP_PASSWORD";
  else if (a->from && !sender_ok(a->from))
    bad = "--from 应写作 名称 <地址> 或只写地址，如 \"某某县人口和计划生育局 <tjk@example.gov.cn>\"";
  if (bad)
    fprintf(stderr, "kaohe mail: %s\n(kaohe mail --help 查看用法)\n", bad);
  return bad == NULL;
}

static char *workbook_name(const void *result, int t) {
  return kh_township_xlsx_name(result, t);
}

/* The townships that have an address, with their workbooks in
 * OUTDIR/乡镇/, read and checked to be theirs (kh_mail_workbook_read). */
static bool find_workbooks(const kh_month_result *r, const char *outdir, const char *dataset,
                           const char *period, GArray *items, kh_diags *diags) {
  char *folder = g_build_filename(outdir, KH_TOWNSHIP_FOLDER, NULL);
  char *remedy = g_strdup_printf("kaohe month %s %s -o %s", dataset, period, outdir);
  kh_attachment_kind kind = {.what = "考评表", .period = period, .file_name = workbook_name,
                             .source = r, .read = kh_mail_workbook_read, .remedy = remedy};
  bool ok = kh_mail_find_attachments(r->ds, &kind, folder, items, diags);
  g_free(remedy);
  g_free(folder);
  return ok;
}

/* --test: the registry's first township as stand_in (a copy whose address
 * is the test address), with its workbook, read and checked like the
 * others. Says so when it is missing or not that township's. */
static bool find_test_workbook(const kh_month_result *r, const char *outdir, const char *period,
                               const kh_township *stand_in, GArray *items, kh_diags *diags) {
  char *folder = g_build_filename(outdir, KH_TOWNSHIP_FOLDER, NULL);
  char *name = kh_township_xlsx_name(r, 0);
  outgoing o = {.t = 0, .tw = stand_in, .workbook = g_build_filename(folder, name, NULL),
                .diags = kh_diags_new()};
  bool absent = true;
  if (g_file_test(folder, G_FILE_TEST_IS_DIR))
    o.attachment = kh_mail_workbook_read(folder, name, stand_in->code, period, &absent, diags);
  if (o.attachment)
    o.attachment_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, o.attachment);
  if (absent)
    fprintf(stderr, "kaohe mail: 找不到考评表 %s，先运行 kaohe month\n", o.workbook);
  g_free(name);
  g_free(folder);
  g_array_append_val(items, o);
  return o.attachment != NULL;
}

/* Renders and encodes every message. Stops at a template error (it would
 * repeat for every township); reports every bad address. */
static bool compose_all(const kh_month_result *r, const kh_month_result *prev,
                        const kh_doc_meta *meta, const char *from,
                        const char *from_name, GArray *items, kh_diags *diags) {
  kh_template *tpl = kh_template_load(KH_MAIL_TEMPLATE, meta->template_dir, diags);
  if (!tpl)
    return false;
  json_t *ctx = kh_month_context(r, prev, meta);
  bool ok = true;
  for (guint k = 0; k < items->len; k++) {
    outgoing *o = &g_array_index(items, outgoing, k);
    char *attachment = g_path_get_basename(o->workbook);
    kh_mail_text text;
    bool rendered = kh_render_mail(tpl, ctx, r, o->t, attachment, &text, diags);
    if (rendered) {
      ok = kh_mail_encode(o, &text, attachment, from, from_name, meta->created, diags) && ok;
    }
    kh_mail_text_clear(&text);
    g_free(attachment);
    if (!rendered) {
      ok = false;
      break;
    }
  }
  json_decref(ctx);
  kh_template_free(tpl);
  return ok;
}

/* What became of o's mail, for the report. Caller frees. */
typedef char *(*outcome_fn)(const outgoing *o);

/* The report on stdout: one line per township in registry order, those
 * without an address included. Returns how many have no address. */
static int report(const kh_dataset *ds, GArray *items, outcome_fn outcome) {
  int no_address = 0;
  guint k = 0;
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const kh_township *tw = kh_township_at(ds, t);
    if (k < items->len && g_array_index(items, outgoing, k).t == t) {
      char *what = outcome(&g_array_index(items, outgoing, k++));
      printf("%s %s <%s>: %s\n", tw->code, tw->name, tw->email, what);
      g_free(what);
    } else {
      printf("%s %s: 没有邮箱地址（townships.csv 的 email 列），未发邮件\n", tw->code, tw->name);
      no_address++;
    }
  }
  fflush(stdout);
  return no_address;
}

static char *eml_outcome(const outgoing *o) {
  char *name = kh_mail_eml_name(o->tw);
  char *text = g_strdup_printf("%s/%s", EML_FOLDER, name);
  g_free(name);
  return text;
}

/* --eml: every message into OUTDIR/邮件/, all at once. */
static int write_eml(const kh_dataset *ds, const char *outdir, GArray *items,
                     kh_diags *diags) {
  char *target = g_build_filename(outdir, EML_FOLDER, NULL);
  kh_outdir *out = kh_outdir_begin(target, diags);
  bool ok = out != NULL;
  for (guint k = 0; ok && k < items->len; k++) {
    outgoing *o = &g_array_index(items, outgoing, k);
    char *name = kh_mail_eml_name(o->tw);
    char *path = g_build_filename(kh_outdir_staging(out), name, NULL);
    gsize len = 0;
    const char *data = g_bytes_get_data(o->message, &len);
    GError *err = NULL;
    if (!g_file_set_contents(path, data, (gssize)len, &err)) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法写入邮件文件：%s", err->message);
      g_error_free(err);
      ok = false;
    }
    g_free(path);
    g_free(name);
  }
  ok = ok && kh_outdir_commit(out, diags);
  kh_outdir_free(out);
  if (ok) {
    int no_address = report(ds, items, eml_outcome);
    fprintf(stderr, "kaohe mail: 已在 %s 中写入 %u 封邮件", target, items->len);
    if (no_address)
      fprintf(stderr, "；%d 个乡镇没有邮箱地址，未写邮件", no_address);
    fprintf(stderr, "\n");
  }
  g_free(target);
  return ok ? KH_EXIT_OK : KH_EXIT_DATA;
}

typedef struct {
  const kh_smtp_options *opt;
  kh_mail_log *log;
  const char *dataset, *period, *kind; /* of the delivery key */
  GArray *items;
  bool resend;
  gint next;
  gint stop;   /* set after a failure that every later message would meet */
  gint log_failed; /* set when an outcome could not be recorded */
  GMutex lock; /* guards progress */
  kh_progress *progress;
} send_job;

/* Whether a failure concerns the server rather than one recipient: no
 * reply at all (connection, TLS, URL), the service closing (421), or the
 * login (454, 530, 534, 535, 538). Going on would only repeat it, and
 * repeated failed logins can get the account locked. */
static bool server_trouble(const kh_send_result *res) {
  if (res->status != KH_SEND_TRANSIENT && res->status != KH_SEND_PERMANENT)
    return false;
  switch (res->reply_code) {
  case 0:
  case 421:
  case 454:
  case 530:
  case 534:
  case 535:
  case 538:
    return true;
  default:
    return false;
  }
}

static gpointer send_some(gpointer data) {
  send_job *job = data;
  for (;;) {
    guint k = (guint)g_atomic_int_add(&job->next, 1);
    if (k >= job->items->len || g_atomic_int_get(&job->stop))
      break;
    outgoing *o = &g_array_index(job->items, outgoing, k);
    o->attempted = true;
    kh_delivery_key key = {.dataset = job->dataset, .period = job->period, .kind = job->kind,
                           .township = o->tw->code, .rcpt = o->tw->email,
                           .attachment_sha256 = o->attachment_sha256};
    kh_mail_deliver(job->opt, job->log, &key, o->message_id, o->message, job->resend,
                    &o->res, &o->recorded, o->diags);
    /* Without its record a rerun would send it again: nothing more goes
     * out while the log cannot be written. */
    if (!o->recorded)
      g_atomic_int_set(&job->log_failed, 1);
    if (server_trouble(&o->res) || !o->recorded)
      g_atomic_int_set(&job->stop, 1);
    g_mutex_lock(&job->lock);
    kh_progress_step(job->progress);
    g_mutex_unlock(&job->lock);
  }
  return NULL;
}

/* Why the townships not attempted were not: set by send_all() before the
 * report. */
static const char *stopped_why = "";

/* "已发送", "此前已发送，跳过" or why it failed. */
static char *smtp_outcome(const outgoing *o) {
  const kh_send_result *res = &o->res;
  if (!o->attempted)
    return g_strdup(stopped_why);
  if (!o->recorded && res->status == KH_SEND_SENT)
    return g_strdup("已发送，但发送记录写入失败：结果不明，重新运行会重发，请先核实");
  if (!o->recorded)
    return g_strdup("发送结果未能写入发送记录：结果不明，请先核实再重新运行");
  switch (res->status) {
  case KH_SEND_SENT:
    return res->attempts > 1 ? g_strdup_printf("已发送（尝试 %d 次）", res->attempts)
                             : g_strdup("已发送");
  case KH_SEND_SKIPPED:
    if (g_strcmp0(res->reply, kh_send_status_name(KH_SEND_UNCERTAIN)) == 0)
      return g_strdup("此前发送结果不明（邮件发出后连接中断），未自动重发：确认对方未收到后用 "
                      "--resend 重发");
    return g_strdup("此前已发送，跳过（--resend 可重发）");
  case KH_SEND_UNCERTAIN:
  case KH_SEND_TRANSIENT:
  case KH_SEND_PERMANENT:
    break;
  }
  char *why = kh_send_failure_text(res), *text;
  if (res->status == KH_SEND_UNCERTAIN)
    text = g_strdup_printf("结果不明：邮件已发出，服务器确认前连接中断，对方可能已收到；"
                           "不会自动重发，确认未收到后用 --resend 重发（%s）", why);
  else if (res->status == KH_SEND_TRANSIENT)
    text = g_strdup_printf("发送失败（暂时性故障，已尝试 %d 次，可稍后重新运行补发）：%s",
                           res->attempts, why);
  else
    text = g_strdup_printf("发送失败：%s", why);
  g_free(why);
  return text;
}

/* The SMTP settings of the command line, sending as from. */
static kh_smtp_options smtp_options(const mail_args *a, const char *password, const char *from) {
  kh_smtp_options opt = KH_SMTP_OPTIONS_INIT;
  opt.url = a->smtp_url;
  opt.from = from;
  opt.user = a->user;
  opt.password = password;
  opt.ca_file = a->ca_file;
  opt.no_starttls = a->no_starttls;
  /* A login over smtp:// travels only inside STARTTLS, unless the user
   * turned that off on purpose (kh_cmd_mail() has warned). */
  opt.require_tls = a->user && g_str_has_prefix(a->smtp_url, "smtp://") && !a->no_starttls;
  return opt;
}

/* --smtp: sends what the log does not list as sent, reports each township.
 * kind: what is sent, in the delivery key ("month" or "forms"). */
static int send_all(const kh_dataset *ds, const mail_args *a, const char *password,
                    const char *from, const char *outdir, const char *period, const char *kind,
                    GArray *items, kh_diags *diags) {
  kh_smtp_options opt = smtp_options(a, password, from);

  char *log_path = g_build_filename(outdir, KH_MAIL_LOG_NAME, NULL);
  kh_mail_log *log = kh_mail_log_open(log_path, diags);
  g_free(log_path);
  if (!log)
    return KH_EXIT_DATA;
  send_job job = {.opt = &opt, .log = log, .items = items, .resend = a->resend,
                  .dataset = ds->rules.county ? ds->rules.county : "", .period = period,
                  .kind = kind,
                  .progress = kh_progress_new("发送邮件", (int)items->len)};
  g_mutex_init(&job.lock);
  int jobs = kh_cli_jobs(a->jobs);
  if (jobs > (int)items->len)
    jobs = items->len > 0 ? (int)items->len : 1;
  GThread **threads = g_new(GThread *, jobs);
  for (int k = 1; k < jobs; k++)
    threads[k] = g_thread_new("mail", send_some, &job);
  send_some(&job); /* the calling thread sends too */
  for (int k = 1; k < jobs; k++)
    g_thread_join(threads[k]);
  g_free(threads);
  g_mutex_clear(&job.lock);
  kh_progress_free(job.progress);
  kh_mail_log_free(log);

  int sent = 0, skipped = 0, failed = 0, stopped = 0, uncertain = 0, unrecorded = 0;
  for (guint k = 0; k < items->len; k++) {
    const outgoing *o = &g_array_index(items, outgoing, k);
    kh_send_status st = o->res.status;
    bool attempted = o->attempted, recorded = attempted && o->recorded;
    stopped += !attempted;
    unrecorded += attempted && !recorded;
    sent += recorded && st == KH_SEND_SENT;
    bool was_uncertain = g_strcmp0(o->res.reply, kh_send_status_name(KH_SEND_UNCERTAIN)) == 0;
    skipped += recorded && st == KH_SEND_SKIPPED && !was_uncertain;
    uncertain += recorded && st == KH_SEND_SKIPPED && was_uncertain;
    failed += recorded && (st == KH_SEND_TRANSIENT || st == KH_SEND_PERMANENT);
    uncertain += recorded && st == KH_SEND_UNCERTAIN;
  }
  bool log_failed = g_atomic_int_get(&job.log_failed);
  stopped_why = log_failed ? "未发送：发送记录无法写入，已停止发送"
                           : "未发送：服务器连接、加密或登录失败，已停止发送";
  int no_address = report(ds, items, smtp_outcome);
  for (guint k = 0; k < items->len; k++)
    kh_cli_print_diags(g_array_index(items, outgoing, k).diags);
  fprintf(stderr, "kaohe mail: 已发送 %d 封，此前已发送而跳过 %d 封，失败 %d 封", sent, skipped,
          failed);
  if (uncertain)
    fprintf(stderr, "，结果不明 %d 封（不会自动重发，确认未收到后用 --resend 重发）", uncertain);
  if (unrecorded)
    fprintf(stderr, "，结果未能记录 %d 封", unrecorded);
  if (stopped)
    fprintf(stderr, "，因%s停止而未发送 %d 封", log_failed ? "发送记录无法写入" : "服务器故障",
            stopped);
  if (no_address)
    fprintf(stderr, "；%d 个乡镇没有邮箱地址，未发邮件", no_address);
  fprintf(stderr, "\n");
  if (unrecorded)
    fprintf(stderr, "kaohe mail: 发送记录无法写入：上面“结果未能记录”的乡镇重新运行时会再发一次，"
                    "请先核实它们是否已收到，修复后再运行\n");
  else if (failed || stopped)
    fprintf(stderr, "kaohe mail: 重新运行同一命令即可补发未发出的邮件，已发送的不会重复发送\n");
  return failed || stopped || uncertain || unrecorded ? KH_EXIT_DATA : KH_EXIT_OK;
}

/* --forms: each township its fill-in form (mail_forms.c). Needs only the
 * rules and the registry, like `kaohe forms`; the .eml files and the
 * delivery log go into the forms' folder. */
static int mail_forms(const mail_args *a, const char *dataset, const char *period_arg, int year,
                      int month, const char *password) {
  int status = KH_EXIT_DATA, monthly_errors = 0;
  kh_diags *diags = kh_diags_new();
  GArray *items = g_array_new(FALSE, TRUE, sizeof(outgoing));
  g_array_set_clear_func(items, (GDestroyNotify)outgoing_clear);
  char *folder = a->outdir ? g_strdup(a->outdir) : g_build_filename("forms", period_arg, NULL);
  char *from = NULL, *from_name = NULL;
  kh_doc_meta meta = {0};
  bool have_meta = false;
  kh_dataset *ds = kh_cli_load_rules_registry(dataset, &monthly_errors);
  if (!ds || !kh_cli_in_year("mail", period_arg, year, ds) ||
      !kh_cli_mail_sender(a->from, &ds->rules, &from_name, &from))
    goto done;
  have_meta = kh_cli_doc_meta(dataset, NULL, &meta);
  if (!have_meta)
    goto done;
  if (!kh_mail_forms_find(ds, month, folder, dataset, items, diags) ||
      !kh_mail_forms_compose(ds, month, &meta, from, from_name, items, diags)) {
    kh_cli_print_diags(diags);
    fprintf(stderr, "kaohe mail: 未%s任何邮件\n", a->eml ? "写入" : "发送");
    goto done;
  }
  status = a->eml ? write_eml(ds, folder, items, diags)
                  : send_all(ds, a, password, from, folder, period_arg, "forms", items, diags);
  kh_cli_print_diags(diags);
done:
  kh_diags_free(diags);
  g_array_unref(items);
  if (have_meta)
    g_free((char *)meta.template_dir);
  kh_dataset_free(ds);
  g_free(folder);
  g_free(from);
  g_free(from_name);
  return status;
}

int kh_cmd_mail(int argc, char **argv) {
  mail_args a = {0};
  GOptionEntry entries[] = {
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &a.outdir,
       "kaohe month 的输出目录，考评表从这里取（默认 out/YYYY-MM）", "OUTDIR"},
      {"forms", 0, 0, G_OPTION_ARG_NONE, &a.forms,
       "发送各乡镇的填报表（kaohe forms 的输出，-o 为其目录，默认 forms/YYYY-MM）", NULL},
      {"eml", 0, 0, G_OPTION_ARG_NONE, &a.eml, "把邮件写成 .eml 文件，放在 OUTDIR/" EML_FOLDER "/",
       NULL},
      {"smtp", 0, 0, G_OPTION_ARG_STRING, &a.smtp_url,
       "通过此 SMTP 服务器发送，如 smtp://mail.example.gov.cn:587 或 smtps://…:465", "URL"},
      {"from", 0, 0, G_OPTION_ARG_STRING, &a.from,
       "发件人，如 \"某某县人口和计划生育局 <tjk@example.gov.cn>\"（默认取 rules.ini 的 [mail] from）",
       "ADDR"},
      {"test", 0, 0, G_OPTION_ARG_STRING, &a.test,
       "试发：只把第一个乡镇的邮件发到此地址，检查服务器和发件人设置，各乡镇收不到", "ADDRESS"},
      {"user", 0, 0, G_OPTION_ARG_STRING, &a.user, "SMTP 登录用户名", "U"},
      {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &a.password_file,
       "从此文件的第一行读取 SMTP 密码（否则读环境变量 KAOHE_SMTP_PASSWORD）", "F"},
      {"no-starttls", 0, 0, G_OPTION_ARG_NONE, &a.no_starttls,
       "smtp:// 不使用 STARTTLS 加密（与 --user 同用时密码明文传输，会警告）", NULL},
      {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &a.ca_file,
       "用此 PEM 文件中的证书验证服务器（内网自签名证书），代替系统证书", "F"},
      {"resend", 0, 0, G_OPTION_ARG_NONE, &a.resend, "发送记录中已发送的也重新发送", NULL},
      {"jobs", 0, 0, G_OPTION_ARG_INT, &a.jobs, "同时发送的线程数（默认 CPU 核数）", "N"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "mail", .arguments = "DATASET YYYY-MM (--eml | --smtp URL)",
      .summary = "把各乡镇考评表通过邮件发送", .options = entries,
      .description =
      "给 townships.csv 中填有邮箱（email/邮箱 列）的每个乡镇发一封邮件：主题和正文由模板\n"
      "templates/mail.md 生成（第一行 Subject: 为主题；数据集的 templates/mail.md 优先），\n"
      "附件是 kaohe month 在 OUTDIR/" KH_TOWNSHIP_FOLDER "/ 中生成的该乡镇考评表。先运行 kaohe month；\n"
      "缺少考评表时不发送任何邮件。没有邮箱的乡镇会列出来。邮件日期为 SOURCE_DATE_EPOCH\n"
      "（设置时）或当前时间。\n"
      "发件人取 rules.ini 的 [mail] from（如 from = 某某县人口和计划生育局 <tjk@example.gov.cn>），\n"
      "--from 优先；两者都没有时不写入、不发送任何邮件。\n\n"
      "--eml：每个乡镇一个 .eml 文件（OUTDIR/" EML_FOLDER "/代码_名称.eml），可用邮件客户端打开。\n"
      "--smtp：逐个发送并报告每个乡镇的结果；暂时性故障自动重试。发送记录写在\n"
      "OUTDIR/" KH_MAIL_LOG_NAME "，重新运行只补发尚未发出的邮件（--resend 全部重发）。\n"
      "有乡镇发送失败时退出码为 1。\n"
      "密码只从 --password-file 或环境变量 KAOHE_SMTP_PASSWORD 读取，不接受命令行参数。\n"
      "用 smtp:// 并登录（--user）时必须使用 STARTTLS 加密，服务器不支持则不发送；\n"
      "确需明文时显式加 --no-starttls（会警告）。smtps:// 全程加密。\n"
      "--test 地址：只把第一个乡镇的邮件发到该地址，用来试服务器、登录和发件人设置，\n"
      "各乡镇收不到，也不记入发送记录。\n"
      "--forms：改为给每个乡镇发它的填报表（kaohe forms 写在 -o 目录中，默认 forms/YYYY-MM），\n"
      "正文由模板 templates/forms_mail.md 生成；.eml 文件和发送记录也在该目录中。只需考评方案\n"
      "和乡镇名册无误，月报有错也可发送。\n\n"
      "示例:\n"
      "  kaohe month samples/county-2013 2013-07 -o out/2013-07\n"
      "  kaohe mail samples/county-2013 2013-07 -o out/2013-07 --eml\n"
      "  kaohe forms samples/county-2013 2013-08 && kaohe mail samples/county-2013 2013-08 --forms --eml\n"
      "  kaohe mail samples/county-2013 2013-07 --smtp smtps://smtp.qq.com:465 \\\n"
      "      --from 12345678@qq.com --user 12345678@qq.com --password-file ~/.kaohe-smtp \\\n"
      "      --test 12345678@qq.com\n"
      "  KAOHE_SMTP_PASSWORD=... kaohe mail samples/county-2013 2013-07 -o out/2013-07 \\\n"
      "      --smtp smtp://mail.example.gov.cn:587 --from jsj@example.gov.cn --user jsj\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  int year = 0, month = 0;
  if (parsed && argc != 3) {
    fprintf(stderr, "kaohe mail: 需要 DATASET 和 YYYY-MM，例如 kaohe mail samples/county-2013 "
                    "2013-07 --eml\n");
    parsed = false;
  }
  parsed = parsed && kh_cli_period("mail", "月份", argv[2], false, &year, &month);
  if (!parsed || !check_usage(&a)) {
    mail_args_clear(&a);
    return KH_EXIT_USAGE;
  }

  int status = KH_EXIT_DATA;
  kh_diags *diags = kh_diags_new();
  char *password = NULL;
  kh_dataset *ds = NULL;
  kh_month_result *r = NULL, *prev = NULL;
  kh_doc_meta meta;
  bool have_meta = false;
  GArray *items = g_array_new(FALSE, TRUE, sizeof(outgoing));
  g_array_set_clear_func(items, (GDestroyNotify)outgoing_clear);
  char *outdir = kh_cli_month_outdir(a.outdir, year, month);
  bool refused = false; /* stopped before writing or sending anything */
  char *from = NULL, *from_name = NULL;
  kh_township stand_in = {0}; /* --test: the first township, sent to the test address */

  if (a.user) {
    if (!kh_smtp_read_password(a.password_file, &password, diags))
      goto done;
    if (!password) {
      fprintf(stderr, "kaohe mail: --user 需要密码：用 --password-file F 或环境变量 "
                      "KAOHE_SMTP_PASSWORD 提供\n");
      status = KH_EXIT_USAGE;
      goto done;
    }
    if (a.no_starttls && g_str_has_prefix(a.smtp_url, "smtp://"))
      fprintf(stderr, "kaohe mail: 警告: 使用了 --no-starttls，用户名和密码将以明文发送\n");
  }
  if (a.forms) {
    status = mail_forms(&a, argv[1], argv[2], year, month, password);
    goto done;
  }
  ds = kh_cli_load(argv[1]);
  if (!ds)
    goto done;
  if (!kh_cli_in_year("mail", argv[2], year, ds))
    goto done;
  bool month_ok = kh_dataset_check_month(ds, month, diags);
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  diags = kh_diags_new();
  if (!month_ok)
    goto done;
  if (!kh_cli_mail_sender(a.from, &ds->rules, &from_name, &from))
    goto done;
  have_meta = kh_cli_doc_meta(argv[1], NULL, &meta);
  if (!have_meta)
    goto done;
  meta.doc_no = kh_cli_registered_number(argv[1], "month", argv[2]);
  r = kh_assess_month(ds, month);
  if (month > 1 && ds->months[month - 2].present)
    prev = kh_assess_month(ds, month - 1);
  if (a.test) {
    stand_in = *kh_township_at(ds, 0);
    stand_in.email = a.test;
    stand_in.contact = NULL;
  }
  if (!(a.test ? find_test_workbook(r, outdir, argv[2], &stand_in, items, diags)
               : find_workbooks(r, outdir, argv[1], argv[2], items, diags)) ||
      !compose_all(r, prev, &meta, from, from_name, items, diags)) {
    refused = true;
    goto done;
  }
  if (a.test) {
    kh_smtp_options opt = smtp_options(&a, password, from);
    const outgoing *o = &g_array_index(items, outgoing, 0);
    status = kh_cli_mail_send_test(&opt, o->tw, a.test, o->message);
  } else {
    status = a.eml ? write_eml(ds, outdir, items, diags)
                   : send_all(ds, &a, password, from, outdir, argv[2], "month", items, diags);
  }

done:
  kh_cli_print_diags(diags);
  if (refused)
    fprintf(stderr, "kaohe mail: 未%s任何邮件\n", a.eml ? "写入" : "发送");
  kh_diags_free(diags);
  g_array_unref(items);
  if (have_meta)
    g_free((char *)meta.template_dir);
  kh_month_result_free(prev);
  kh_month_result_free(r);
  kh_dataset_free(ds);
  g_free(outdir);
  g_free(from);
  g_free(from_name);
  if (password)
    memset(password, 0, strlen(password));
  g_free(password);
  mail_args_clear(&a);
  return status;
}
