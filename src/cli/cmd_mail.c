/* kaohe mail DATASET YYYY-MM: each township's workbook by email (docs/reference/outputs.md,
 * §8, templates/README.md).
 *
 * The deliver stage does the work (deliver.h, the month's mail), which the
 * web console's 邮件 buttons share: everything is prepared before anything
 * leaves — the workbooks that `kaohe month` wrote into OUTDIR/乡镇/ found,
 * every message rendered from templates/mail.md and encoded — and only then
 * does --eml write OUTDIR/邮件/ (all files at once) or --smtp send, in
 * --jobs threads sharing the delivery log OUTDIR/mail-log.tsv, which lets
 * a rerun skip what already went out; both hold the dataset's action lock.
 * This file reads the options and reports the outcome per township, in
 * registry order, on stdout; errors go to stderr. With --forms the mails
 * carry the fill-in forms instead (mail_forms.c), through the same .eml
 * writing and delivery. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include "cli/progress.h"
#include "kaohe/deliver.h"
#include "kaohe/render.h"

typedef struct {
  char *outdir, *smtp_url, *from, *user, *password_file, *ca_file, *test;
  gboolean eml, no_starttls, resend, forms;
  int jobs;
} mail_args;

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

/* Says which attachments are missing or not the townships' and what
 * makes them (what: 考评表 or 填报表; folder: where they were looked for). */
static void say_missing(const kh_mail_batch *b, const char *what, const char *folder,
                        const char *remedy) {
  int missing = 0, wrong = 0;
  if (b->no_folder)
    fprintf(stderr, "kaohe mail: 找不到%s目录 %s\n", what, folder);
  for (guint k = 0; k < b->items->len; k++) {
    const kh_mail_item *it = &g_array_index(b->items, kh_mail_item, k);
    if (it->absent && !b->no_folder && missing == 0)
      fprintf(stderr, "kaohe mail: 找不到以下乡镇的%s：\n", what);
    if (it->absent && !b->no_folder)
      fprintf(stderr, "  %s\n", it->attachment_path);
    missing += it->absent;
    wrong += !it->absent && !it->attachment;
  }
  if (missing || wrong)
    fprintf(stderr, "先生成%s: %s\n", what, remedy);
}

/* --test: the registry's first township as stand_in (a copy whose address
 * is the test address), with its workbook, read and checked like the
 * others. Says so when it is missing or not that township's. */
static bool find_test_workbook(const kh_month_result *r, kh_mail_batch *b,
                               const kh_township *stand_in, kh_diags *diags) {
  char *folder = g_build_filename(b->outdir, KH_TOWNSHIP_FOLDER, NULL);
  char *name = kh_township_xlsx_name(r, 0);
  kh_mail_item it = {.t = 0, .tw = stand_in,
                     .attachment_path = g_build_filename(folder, name, NULL),
                     .absent = true, .diags = kh_diags_new()};
  if (g_file_test(folder, G_FILE_TEST_IS_DIR))
    it.attachment = kh_mail_workbook_read(folder, name, stand_in->code, b->period, &it.absent,
                                          diags);
  if (it.attachment)
    it.attachment_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, it.attachment);
  if (it.absent)
    fprintf(stderr, "kaohe mail: 找不到考评表 %s，先运行 kaohe month\n", it.attachment_path);
  g_free(name);
  g_free(folder);
  g_array_append_val(b->items, it);
  return it.attachment != NULL;
}

/* What became of an item's mail, for the report. Caller frees. */
typedef char *(*outcome_fn)(const kh_mail_batch *b, const kh_mail_item *it);

/* The report on stdout: one line per township in registry order, those
 * without an address included. Returns how many have no address. */
static int report(const kh_mail_batch *b, outcome_fn outcome) {
  const kh_dataset *ds = b->ds;
  int no_address = 0;
  guint k = 0;
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const kh_township *tw = kh_township_at(ds, t);
    if (k < b->items->len && g_array_index(b->items, kh_mail_item, k).t == t) {
      char *what = outcome(b, &g_array_index(b->items, kh_mail_item, k++));
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

static char *eml_outcome(const kh_mail_batch *b, const kh_mail_item *it) {
  (void)b;
  char *name = kh_mail_eml_name(it->tw);
  char *text = g_strdup_printf("%s/%s", KH_EML_FOLDER, name);
  g_free(name);
  return text;
}

/* --eml: every message into OUTDIR/邮件/, all at once. */
static int write_eml(const kh_mail_batch *b, kh_diags *diags) {
  char *target = NULL;
  if (!kh_mail_batch_write_eml(b, &target, diags))
    return KH_EXIT_DATA;
  int no_address = report(b, eml_outcome);
  fprintf(stderr, "kaohe mail: 已在 %s 中写入 %u 封邮件", target, b->items->len);
  if (no_address)
    fprintf(stderr, "；%d 个乡镇没有邮箱地址，未写邮件", no_address);
  fprintf(stderr, "\n");
  g_free(target);
  return KH_EXIT_OK;
}

/* "已发送", "此前已发送，跳过" or why it failed. */
static char *smtp_outcome(const kh_mail_batch *b, const kh_mail_item *it) {
  const kh_send_result *res = &it->res;
  switch (kh_mail_item_outcome(it)) {
  case KH_MAIL_NOT_ATTEMPTED:
    return g_strdup(b->stop == KH_MAIL_STOP_LOG ? "未发送：发送记录无法写入，已停止发送"
                                                : "未发送：服务器连接、加密或登录失败，已停止发送");
  case KH_MAIL_UNRECORDED:
    return g_strdup(res->status == KH_SEND_SENT
                        ? "已发送，但发送记录写入失败：结果不明，重新运行会重发，请先核实"
                        : "发送结果未能写入发送记录：结果不明，请先核实再重新运行");
  case KH_MAIL_SENT:
    return res->attempts > 1 ? g_strdup_printf("已发送（尝试 %d 次）", res->attempts)
                             : g_strdup("已发送");
  case KH_MAIL_ALREADY_UNCERTAIN:
    return g_strdup("此前发送结果不明（邮件发出后连接中断），未自动重发：确认对方未收到后用 "
                    "--resend 重发");
  case KH_MAIL_ALREADY_SENT:
    return g_strdup("此前已发送，跳过（--resend 可重发）");
  case KH_MAIL_UNCERTAIN:
  case KH_MAIL_FAILED:
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

/* kh_progress_fn onto the terminal's progress bar. */
static void show_progress(void *cls, int done, int total) {
  kh_progress **bar = cls;
  if (!*bar)
    *bar = kh_progress_new("发送邮件", total);
  (void)done;
  kh_progress_step(*bar);
}

/* --smtp: sends what the log does not list as sent, reports each township. */
static int send_all(kh_mail_batch *b, const mail_args *a, const char *password, const char *from,
                    kh_diags *diags) {
  kh_smtp_options opt = smtp_options(a, password, from);
  kh_progress *bar = NULL;
  kh_mail_send_request rq = {.smtp = &opt, .resend = a->resend, .jobs = kh_cli_jobs(a->jobs),
                             .progress = show_progress, .progress_cls = &bar};
  bool opened = kh_mail_batch_send(b, &rq, diags);
  kh_progress_free(bar);
  if (!opened)
    return KH_EXIT_DATA;

  kh_mail_tally n;
  kh_mail_batch_tally(b, &n);
  int no_address = report(b, smtp_outcome);
  for (guint k = 0; k < b->items->len; k++)
    kh_cli_print_diags(g_array_index(b->items, kh_mail_item, k).diags);
  fprintf(stderr, "kaohe mail: 已发送 %d 封，此前已发送而跳过 %d 封，失败 %d 封", n.sent,
          n.already_sent, n.failed);
  if (n.uncertain)
    fprintf(stderr, "，结果不明 %d 封（不会自动重发，确认未收到后用 --resend 重发）", n.uncertain);
  if (n.unrecorded)
    fprintf(stderr, "，结果未能记录 %d 封", n.unrecorded);
  if (n.not_attempted)
    fprintf(stderr, "，因%s停止而未发送 %d 封",
            b->stop == KH_MAIL_STOP_LOG ? "发送记录无法写入" : "服务器故障", n.not_attempted);
  if (no_address)
    fprintf(stderr, "；%d 个乡镇没有邮箱地址，未发邮件", no_address);
  fprintf(stderr, "\n");
  if (n.unrecorded)
    fprintf(stderr, "kaohe mail: 发送记录无法写入：上面“结果未能记录”的乡镇重新运行时会再发一次，"
                    "请先核实它们是否已收到，修复后再运行\n");
  else if (n.failed || n.not_attempted)
    fprintf(stderr, "kaohe mail: 重新运行同一命令即可补发未发出的邮件，已发送的不会重复发送\n");
  return n.failed || n.not_attempted || n.uncertain || n.unrecorded ? KH_EXIT_DATA : KH_EXIT_OK;
}

/* --eml or --smtp for the prepared batch b, holding the dataset's lock. */
static int deliver(kh_mail_batch *b, const mail_args *a, const char *password, const char *from,
                   kh_diags *diags) {
  return a->eml ? write_eml(b, diags) : send_all(b, a, password, from, diags);
}

/* --test ADDRESS: the first township's message, sent to ADDRESS only,
 * without the delivery log (nothing is written: no lock). Returns the exit
 * status; *refused when the message could not be prepared. */
static int send_test(kh_mail_batch *b, const mail_args *a, const kh_doc_meta *meta,
                     const char *password, const char *from, const char *from_name,
                     bool *refused, kh_diags *diags) {
  kh_month_result *r = kh_assess_month(b->ds, b->month), *prev = NULL;
  if (b->month > 1 && b->ds->months[b->month - 2].present)
    prev = kh_assess_month(b->ds, b->month - 1);
  kh_township stand_in = *kh_township_at(b->ds, 0);
  stand_in.email = a->test;
  stand_in.contact = NULL;
  int status = KH_EXIT_DATA;
  if (find_test_workbook(r, b, &stand_in, diags) &&
      kh_month_mail_compose(b, r, prev, meta, from, from_name, diags)) {
    kh_smtp_options opt = smtp_options(a, password, from);
    const kh_mail_item *it = &g_array_index(b->items, kh_mail_item, 0);
    status = kh_cli_mail_send_test(&opt, it->tw, a->test, it->message);
  } else {
    *refused = true;
  }
  kh_month_result_free(prev);
  kh_month_result_free(r);
  return status;
}

/* --forms: each township its fill-in form (mail_forms.c). Needs only the
 * rules and the registry, like `kaohe forms`; the .eml files and the
 * delivery log go into the forms' folder. */
static int mail_forms(const mail_args *a, const char *dataset, const char *period_arg, int year,
                      int month, const char *password) {
  int status = KH_EXIT_DATA, monthly_errors = 0;
  kh_diags *diags = kh_diags_new();
  kh_mail_batch *b = NULL;
  kh_dataset_lock *lock = NULL;
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
  lock = kh_cli_lock(dataset, "mail");
  if (!lock)
    goto done;
  b = kh_mail_batch_new(ds, folder, month, KH_MAIL_KIND_FORMS);
  bool found = kh_mail_forms_find(b, diags);
  char *remedy = g_strdup_printf("kaohe forms %s %s -o %s", dataset, b->period, folder);
  say_missing(b, "填报表", folder, remedy);
  g_free(remedy);
  if (!found || !kh_mail_forms_compose(b, &meta, from, from_name, diags)) {
    kh_cli_print_diags(diags);
    fprintf(stderr, "kaohe mail: 未%s任何邮件\n", a->eml ? "写入" : "发送");
    goto done;
  }
  status = deliver(b, a, password, from, diags);
  kh_cli_print_diags(diags);
done:
  kh_dataset_lock_release(lock);
  kh_mail_batch_free(b);
  kh_diags_free(diags);
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
      {"eml", 0, 0, G_OPTION_ARG_NONE, &a.eml, "把邮件写成 .eml 文件，放在 OUTDIR/" KH_EML_FOLDER "/",
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
      "--eml：每个乡镇一个 .eml 文件（OUTDIR/" KH_EML_FOLDER "/代码_名称.eml），可用邮件客户端打开。\n"
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
  kh_dataset_lock *lock = NULL;
  kh_mail_batch *b = NULL;
  kh_doc_meta meta;
  bool have_meta = false;
  char *outdir = kh_cli_month_outdir(a.outdir, year, month);
  bool refused = false; /* stopped before writing or sending anything */
  char *from = NULL, *from_name = NULL;

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
  meta.doc_no = kh_register_number(argv[1], "month", argv[2]);
  b = kh_mail_batch_new(ds, outdir, month, KH_MAIL_KIND_MONTH);
  if (a.test) {
    status = send_test(b, &a, &meta, password, from, from_name, &refused, diags);
    goto done;
  }
  /* --eml replaces OUTDIR/邮件/ and --smtp writes the delivery log: one
   * action on the dataset at a time (the web console's included). */
  lock = kh_cli_lock(argv[1], "mail");
  if (!lock)
    goto done;
  bool prepared = kh_month_mail_prepare(b, &meta, from, from_name, diags);
  char *folder = g_build_filename(outdir, KH_TOWNSHIP_FOLDER, NULL);
  char *remedy = g_strdup_printf("kaohe month %s %s -o %s", argv[1], argv[2], outdir);
  say_missing(b, "考评表", folder, remedy);
  g_free(remedy);
  g_free(folder);
  if (!prepared) {
    refused = true;
    goto done;
  }
  status = deliver(b, &a, password, from, diags);

done:
  kh_cli_print_diags(diags);
  if (refused)
    fprintf(stderr, "kaohe mail: 未%s任何邮件\n", a.eml ? "写入" : "发送");
  kh_diags_free(diags);
  kh_dataset_lock_release(lock);
  kh_mail_batch_free(b);
  if (have_meta)
    g_free((char *)meta.template_dir);
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
