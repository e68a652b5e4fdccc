/* Sending mail (deliver.h, the man page, docs/kaohe.1.in `mail --smtp`): end to end against
 * tests/e2e/smtp_server.py on 127.0.0.1 — every message arrives intact
 * with the right recipient, a rejected recipient fails while the others
 * go out, a rerun sends only what failed, a 451 is retried, STARTTLS is
 * used when offered, AUTH works — and the delivery log and the password
 * helper on their own.
 *
 * The server needs Debian's python3-aiosmtpd: without it the server tests
 * are skipped with a message, except under CI=true, where that fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kaohe/deliver.h"
#include "deliver/fsops.h"

#define PYTHON "/usr/bin/python3"
#define FROM "kaohe@rkjs.example.gov.cn"

static bool have_aiosmtpd;

typedef struct {
  GPid pid;
  int port;
  char *dir;  /* where it saves messages and events.tsv */
  char *url;  /* smtp://127.0.0.1:PORT */
} server;

typedef struct {
  char *tmp;
  char *log_path;
  GPtrArray *servers; /* running, stopped by teardown when a test failed */
} fixture;

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->tmp = g_dir_make_tmp("kaohe-smtp-XXXXXX", NULL);
  f->log_path = g_build_filename(f->tmp, KH_MAIL_LOG_NAME, NULL);
  f->servers = g_ptr_array_new();
  *state = f;
  return 0;
}

static void server_stop(fixture *f, server *s);

static int teardown(void **state) {
  fixture *f = *state;
  while (f->servers->len)
    server_stop(f, g_ptr_array_index(f->servers, 0));
  g_ptr_array_unref(f->servers);
  kh_fs_remove_tree(f->tmp);
  g_free(f->tmp);
  g_free(f->log_path);
  g_free(f);
  return 0;
}

static char *script_path(void) {
  const char *src = g_getenv("KAOHE_SOURCE_DIR");
  return g_build_filename(src ? src : ".", "tests", "e2e", "smtp_server.py", NULL);
}

/* Starts the server with extra options (NULL-terminated), in tmp/NAME. */
static server *server_start(fixture *f, const char *name, const char *const *extra) {
  server *s = g_new0(server, 1);
  s->dir = g_build_filename(f->tmp, name, NULL);
  assert_int_equal(g_mkdir_with_parents(s->dir, 0755), 0);
  char *port_file = g_build_filename(s->dir, "port", NULL);
  char *script = script_path();
  GPtrArray *argv = g_ptr_array_new();
  const char *fixed[] = {PYTHON, script, "--dir", s->dir, "--port-file", port_file,
                         "--lifetime", "120"};
  for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (char *)fixed[i]);
  for (; extra && *extra; extra++)
    g_ptr_array_add(argv, (char *)*extra);
  g_ptr_array_add(argv, NULL);
  GError *err = NULL;
  if (!g_spawn_async(NULL, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                     NULL, &s->pid, &err))
    fail_msg("cannot start %s: %s", script, err->message);
  g_ptr_array_add(f->servers, s);
  char *text = NULL;
  for (int waited = 0; !g_file_get_contents(port_file, &text, NULL, NULL); waited++) {
    if (waited > 500 || waitpid(s->pid, NULL, WNOHANG) == s->pid)
      fail_msg("%s did not start (see its messages above)", script);
    g_usleep(20000);
  }
  s->port = atoi(text);
  assert_true(s->port > 0);
  s->url = g_strdup_printf("smtp://127.0.0.1:%d", s->port);
  g_free(text);
  g_ptr_array_unref(argv);
  g_free(script);
  g_free(port_file);
  return s;
}

static void server_stop(fixture *f, server *s) {
  g_ptr_array_remove(f->servers, s);
  kill(s->pid, SIGTERM);
  int status = 0;
  assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
  g_spawn_close_pid(s->pid);
  g_free(s->dir);
  g_free(s->url);
  g_free(s);
}

/* The server's events.tsv. Caller frees with g_free(). */
static char *events(const server *s) {
  char *path = g_build_filename(s->dir, "events.tsv", NULL);
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    text = g_strdup("");
  g_free(path);
  return text;
}

static void assert_events(const server *s, const char *expected) {
  char *got = events(s);
  assert_string_equal(got, expected);
  g_free(got);
}

/* The message the server saved as NNNN.eml. */
static GBytes *received(const server *s, int n) {
  char *name = g_strdup_printf("%04d.eml", n);
  char *path = g_build_filename(s->dir, name, NULL);
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  g_free(path);
  g_free(name);
  return g_bytes_new_take(data, len);
}

static kh_smtp_options options(const server *s) {
  kh_smtp_options o = KH_SMTP_OPTIONS_INIT;
  o.url = s ? s->url : NULL;
  o.from = FROM;
  o.connect_timeout_s = 10;
  o.timeout_s = 30;
  o.retry_delay_s = 0;
  return o;
}

/* One township of the test county, with its own workbook bytes. */
typedef struct {
  const char *code, *name, *email;
} township;

static const township COUNTY[] = {
    {"01", "城关镇", "ok1@example.org"},
    {"02", "东山乡", "bad@example.org"},
    {"03", "西河镇", "flaky@example.org"},
    {"04", "南岭乡", "ok2@example.org"},
};

typedef struct {
  GBytes *message;
  char *id;
  GBytes *workbook;
  char *sha256;
  kh_delivery_key key;
} outgoing;

/* t's mail, written on the day `date`. */
static outgoing compose_on(const township *t, time_t date) {
  outgoing o;
  char *book = g_strdup_printf("PK\3\4 workbook of %s %s\r\n.\r\n", t->code, t->name);
  o.workbook = g_bytes_new_take(book, strlen(book));
  char *subject = g_strdup_printf("2013年7月考评得分——%s", t->name);
  char *file = g_strdup_printf("2013-07_%s_%s_考评得分.xlsx", t->code, t->name);
  kh_mail m = {.from = FROM, .to = t->email, .to_name = t->name, .subject = subject,
               .text = "请查收附件。\n", .html = "<p>请查收附件。</p>\n",
               .attachment = o.workbook, .attachment_name = file,
               .date = date, .key = t->code};
  kh_diags *d = kh_diags_new();
  o.message = kh_mime_message(&m, d);
  assert_non_null(o.message);
  o.id = kh_mime_message_id(&m);
  o.sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, o.workbook);
  o.key = (kh_delivery_key){.dataset = "测试县", .period = "2013-07", .kind = "month",
                            .township = t->code, .rcpt = t->email, .attachment_sha256 = o.sha256};
  kh_diags_free(d);
  g_free(file);
  g_free(subject);
  return o;
}

static outgoing compose(const township *t) { return compose_on(t, 1378344600); }

static void outgoing_clear(outgoing *o) {
  g_bytes_unref(o->message);
  g_bytes_unref(o->workbook);
  g_free(o->id);
  g_free(o->sha256);
}

/* What arrived is what was sent (so the attachment is intact), up to the
 * final line break SMTP's end-of-data marker takes. */
static void assert_same_message(GBytes *got, GBytes *sent) {
  gsize got_len = 0, sent_len = 0;
  const char *g = g_bytes_get_data(got, &got_len);
  const char *s = g_bytes_get_data(sent, &sent_len);
  while (got_len > 0 && (g[got_len - 1] == '\n' || g[got_len - 1] == '\r'))
    got_len--;
  while (sent_len > 0 && (s[sent_len - 1] == '\n' || s[sent_len - 1] == '\r'))
    sent_len--;
  assert_int_equal(got_len, sent_len);
  assert_memory_equal(g, s, sent_len);
}

static int count_rows(const char *log_path) {
  char *text = NULL;
  assert_true(g_file_get_contents(log_path, &text, NULL, NULL));
  int lines = 0;
  for (char *p = text; *p; p++)
    lines += *p == '\n';
  g_free(text);
  return lines - 1; /* the header */
}

static void test_delivery_and_rerun(void **state) {
  if (!have_aiosmtpd)
    skip();
  fixture *f = *state;
  outgoing out[G_N_ELEMENTS(COUNTY)];
  for (size_t i = 0; i < G_N_ELEMENTS(COUNTY); i++)
    out[i] = compose(&COUNTY[i]);

  /* First run: 02 is refused, 03 fails once with 451 and is retried. */
  const char *args[] = {"--reject", "bad@example.org", "--tempfail-once",
                        "flaky@example.org", NULL};
  server *s = server_start(f, "first", args);
  kh_smtp_options o = options(s);
  kh_diags *d = kh_diags_new();
  kh_mail_log *log = kh_mail_log_open(f->log_path, d);
  assert_non_null(log);
  kh_send_status want[] = {KH_SEND_SENT, KH_SEND_PERMANENT, KH_SEND_SENT, KH_SEND_SENT};
  int attempts[] = {1, 1, 2, 1};
  for (size_t i = 0; i < G_N_ELEMENTS(COUNTY); i++) {
    kh_send_result res;
    kh_mail_deliver(&o, log, &out[i].key, out[i].id, out[i].message, false, &res, NULL, d);
    if (res.status != want[i])
      fail_msg("%s: %s (%s)", COUNTY[i].email, kh_send_status_name(res.status), res.reply);
    assert_int_equal(res.attempts, attempts[i]);
    if (i == 1) {
      assert_int_equal(res.reply_code, 550);
      assert_string_equal(res.reply, "550 5.1.1 <bad@example.org>: Recipient address rejected");
    } else {
      assert_int_equal(res.reply_code, 250);
    }
    kh_send_result_clear(&res);
  }
  assert_int_equal(d->n_errors, 1);
  char *message = kh_diag_format(g_ptr_array_index(d->items, 0));
  assert_string_equal(message, "kaohe: error: 乡镇 02 的邮件未能发送给 bad@example.org："
                               "收件人地址被拒绝（不存在或不接收）"
                               "（550 5.1.1 <bad@example.org>: Recipient address rejected）");
  g_free(message);
  assert_events(s, "RCPT\tok1@example.org\t250\n"
                   "DATA\t0001.eml\tok1@example.org\ttls=no\tauth=-\n"
                   "RCPT\tbad@example.org\t550\n"
                   "RCPT\tflaky@example.org\t451\n"
                   "RCPT\tflaky@example.org\t250\n"
                   "DATA\t0002.eml\tflaky@example.org\ttls=no\tauth=-\n"
                   "RCPT\tok2@example.org\t250\n"
                   "DATA\t0003.eml\tok2@example.org\ttls=no\tauth=-\n");
  int arrived[] = {0, 2, 3}; /* NNNN.eml of townships 01, 03, 04 */
  for (int k = 0; k < 3; k++) {
    GBytes *got = received(s, k + 1);
    assert_same_message(got, out[arrived[k]].message);
    g_bytes_unref(got);
  }
  assert_int_equal(count_rows(f->log_path), 4);
  kh_mail_log_free(log);
  server_stop(f, s);

  /* Rerun the next day, against a server that now takes everything: the
   * bodies now carry another date, and still only 02 goes. */
  for (size_t i = 0; i < G_N_ELEMENTS(COUNTY); i++) {
    outgoing_clear(&out[i]);
    out[i] = compose_on(&COUNTY[i], 1378344600 + 86400);
  }
  s = server_start(f, "rerun", NULL);
  o = options(s);
  log = kh_mail_log_open(f->log_path, d);
  assert_non_null(log);
  for (size_t i = 0; i < G_N_ELEMENTS(COUNTY); i++) {
    kh_send_result res;
    kh_mail_deliver(&o, log, &out[i].key, out[i].id, out[i].message, false, &res, NULL, d);
    assert_int_equal(res.status, i == 1 ? KH_SEND_SENT : KH_SEND_SKIPPED);
    assert_int_equal(res.attempts, i == 1 ? 1 : 0);
    kh_send_result_clear(&res);
  }
  assert_events(s, "RCPT\tbad@example.org\t250\n"
                   "DATA\t0001.eml\tbad@example.org\ttls=no\tauth=-\n");
  GBytes *got = received(s, 1);
  assert_same_message(got, out[1].message);
  g_bytes_unref(got);

  /* --resend sends again what went out already. */
  kh_send_result res;
  assert_int_equal(kh_mail_deliver(&o, log, &out[0].key, out[0].id, out[0].message, true,
                                   &res, NULL, d),
                   KH_SEND_SENT);
  kh_send_result_clear(&res);
  assert_int_equal(count_rows(f->log_path), 6);
  assert_int_equal(d->n_errors, 1);

  kh_mail_log_free(log);
  server_stop(f, s);
  kh_diags_free(d);
  for (size_t i = 0; i < G_N_ELEMENTS(COUNTY); i++)
    outgoing_clear(&out[i]);
}

static void test_transient_failure_after_retries(void **state) {
  if (!have_aiosmtpd)
    skip();
  fixture *f = *state;
  const char *args[] = {"--tempfail-once", "flaky@example.org", NULL};
  server *s = server_start(f, "srv", args);
  kh_smtp_options o = options(s);
  o.max_attempts = 1;
  outgoing out = compose(&COUNTY[2]);
  kh_diags *d = kh_diags_new();
  kh_mail_log *log = kh_mail_log_open(f->log_path, d);
  kh_send_result res;
  kh_mail_deliver(&o, log, &out.key, out.id, out.message, false, &res, NULL, d);
  assert_int_equal(res.status, KH_SEND_TRANSIENT);
  assert_int_equal(res.attempts, 1);
  assert_int_equal(res.reply_code, 451);
  char *message = kh_diag_format(g_ptr_array_index(d->items, 0));
  assert_string_equal(message, "kaohe: error: 乡镇 03 的邮件未能发送给 flaky@example.org"
                               "（尝试 1 次，暂时性故障，可稍后重发）："
                               "邮件服务器处理出错，可稍后重试"
                               "（451 4.3.0 <flaky@example.org>: Try again later）");
  g_free(message);
  kh_send_result_clear(&res);
  /* A failure is not "sent": the next run tries again, and succeeds. */
  assert_false(kh_mail_log_was_sent(log, &out.key, out.id, NULL));
  kh_mail_deliver(&o, log, &out.key, out.id, out.message, false, &res, NULL, d);
  assert_int_equal(res.status, KH_SEND_SENT);
  assert_true(kh_mail_log_was_sent(log, &out.key, out.id, NULL));
  kh_send_result_clear(&res);
  kh_mail_log_free(log);
  kh_diags_free(d);
  outgoing_clear(&out);
  server_stop(f, s);
}

/* A port nobody listens on: bound, then closed. */
static int closed_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

static void test_connection_failures_are_transient(void **state) {
  (void)state;
  outgoing out = compose(&COUNTY[0]);
  char *url = g_strdup_printf("smtp://127.0.0.1:%d", closed_port());
  kh_smtp_options o = options(NULL);
  o.url = url;
  o.max_attempts = 2;
  kh_send_result res;
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_TRANSIENT);
  assert_int_equal(res.attempts, 2);
  assert_int_equal(res.reply_code, 0);
  /* libcurl's English, as the detail of a Chinese message */
  assert_true(g_str_has_prefix(res.reply, "无法连接邮件服务器（"));
  assert_non_null(strstr(res.reply, "127.0.0.1"));
  assert_true(g_str_has_suffix(res.reply, "）"));
  kh_send_result_clear(&res);
  assert_null(res.reply);
  g_free(url);
  outgoing_clear(&out);
}

static void test_setup_errors_are_permanent(void **state) {
  (void)state;
  outgoing out = compose(&COUNTY[0]);
  kh_smtp_options o = options(NULL);
  o.url = "http://127.0.0.1:1";
  kh_send_result res;
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_PERMANENT);
  assert_string_equal(res.reply, "SMTP 服务器地址应以 smtp:// 或 smtps:// 开头");
  assert_int_equal(res.attempts, 0);
  kh_send_result_clear(&res);
  o.url = "smtp://127.0.0.1:1";
  assert_int_equal(kh_smtp_send(&o, "a@b.cn>\r\nRCPT TO:<c@d.cn", out.message, &res),
                   KH_SEND_PERMANENT);
  assert_string_equal(res.reply, "发件人或收件人地址无效");
  kh_send_result_clear(&res);
  assert_string_equal(kh_send_status_name(KH_SEND_SKIPPED), "skipped");
  outgoing_clear(&out);
}

/* A self-signed certificate for 127.0.0.1; false when openssl is absent. */
static bool make_certificate(const char *dir, char **cert, char **key) {
  *cert = g_build_filename(dir, "cert.pem", NULL);
  *key = g_build_filename(dir, "key.pem", NULL);
  char *argv[] = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                  "-days", "2", "-subj", "/CN=127.0.0.1",
                  "-addext", "subjectAltName=IP:127.0.0.1",
                  "-keyout", *key, "-out", *cert, NULL};
  int status = -1;
  return g_spawn_sync(NULL, argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                          G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status(status, NULL);
}

static void test_starttls_when_offered(void **state) {
  if (!have_aiosmtpd)
    skip();
  fixture *f = *state;
  char *cert = NULL, *key = NULL;
  if (!make_certificate(f->tmp, &cert, &key)) {
    g_free(cert);
    g_free(key);
    fprintf(stderr, "SKIP: openssl is needed to make a test certificate\n");
    skip();
  }
  const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
  server *s = server_start(f, "tls", args);
  outgoing out = compose(&COUNTY[0]);
  kh_smtp_options o = options(s);
  o.ca_file = cert;
  kh_send_result res;
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_SENT);
  kh_send_result_clear(&res);
  o.no_starttls = true;
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_SENT);
  kh_send_result_clear(&res);
  /* The certificate is checked: without our CA, STARTTLS fails for good. */
  o.no_starttls = false;
  o.ca_file = NULL;
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_PERMANENT);
  assert_int_equal(res.attempts, 1);
  kh_send_result_clear(&res);
  assert_events(s, "RCPT\tok1@example.org\t250\n"
                   "DATA\t0001.eml\tok1@example.org\ttls=yes\tauth=-\n"
                   "RCPT\tok1@example.org\t250\n"
                   "DATA\t0002.eml\tok1@example.org\ttls=no\tauth=-\n");
  outgoing_clear(&out);
  server_stop(f, s);
  g_free(cert);
  g_free(key);
}

static void test_login(void **state) {
  if (!have_aiosmtpd)
    skip();
  fixture *f = *state;
  const char *args[] = {"--auth", "kaohe:s3cret 密码", NULL};
  server *s = server_start(f, "auth", args);
  outgoing out = compose(&COUNTY[0]);
  kh_smtp_options o = options(s);
  o.user = "kaohe";
  o.password = "s3cret 密码";
  kh_send_result res;
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_SENT);
  kh_send_result_clear(&res);
  o.password = "wrong";
  assert_int_equal(kh_smtp_send(&o, COUNTY[0].email, out.message, &res), KH_SEND_PERMANENT);
  assert_int_equal(res.reply_code, 535);
  assert_int_equal(res.attempts, 1);
  kh_send_result_clear(&res);
  assert_events(s, "AUTH\tkaohe\tok\n"
                   "RCPT\tok1@example.org\t250\n"
                   "DATA\t0001.eml\tok1@example.org\ttls=no\tauth=kaohe\n"
                   "AUTH\tkaohe\tfail\n");
  outgoing_clear(&out);
  server_stop(f, s);
}

static kh_delivery_key log_key(const char *township, const char *rcpt, const char *sha256) {
  return (kh_delivery_key){.dataset = "测试县", .period = "2013-07", .kind = "month",
                           .township = township, .rcpt = rcpt, .attachment_sha256 = sha256};
}

static void test_log_file(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  kh_mail_log *log = kh_mail_log_open(f->log_path, d);
  assert_non_null(log);
  kh_delivery_key a = log_key("01", "a@b.cn", "aa"), c = log_key("01", "c@b.cn", "aa");
  kh_delivery_key other_book = log_key("01", "a@b.cn", "bb");
  kh_delivery_key other_month = a;
  other_month.period = "2013-08";
  assert_true(kh_mail_log_record(log, &a, "kaohe-1@x", KH_SEND_PERMANENT, "550 no\tsuch\r\nuser", d));
  assert_false(kh_mail_log_was_sent(log, &a, "kaohe-1@x", NULL));
  assert_true(kh_mail_log_record(log, &a, "kaohe-1@x", KH_SEND_SENT, "250 ok", d));
  assert_true(kh_mail_log_record(log, &c, "kaohe-3@x", KH_SEND_UNCERTAIN, "gone", d));
  kh_send_status st = KH_SEND_PERMANENT;
  assert_true(kh_mail_log_was_sent(log, &a, "another id: another day's text", &st));
  assert_int_equal(st, KH_SEND_SENT);
  assert_true(kh_mail_log_was_sent(log, &c, "kaohe-3@x", &st));
  assert_int_equal(st, KH_SEND_UNCERTAIN);
  assert_false(kh_mail_log_was_sent(log, &other_book, "kaohe-1@x", NULL));
  assert_false(kh_mail_log_was_sent(log, &other_month, "kaohe-1@x", NULL));

  /* The log is the run's alone until it is freed. */
  assert_null(kh_mail_log_open(f->log_path, d));
  assert_int_equal(d->n_errors, 1);
  char *busy = kh_diag_format(g_ptr_array_index(d->items, 0));
  assert_non_null(strstr(busy, "正在使用这个输出目录的发送记录"));
  g_free(busy);
  kh_mail_log_free(log);

  char *text = NULL;
  assert_true(g_file_get_contents(f->log_path, &text, NULL, NULL));
  assert_true(g_regex_match_simple(
      "^dataset\tperiod\tkind\ttownship\trecipient\tattachment_sha256\tmessage_id\tstatus\ttime\treply\n"
      "测试县\t2013-07\tmonth\t01\ta@b\\.cn\taa\tkaohe-1@x\tpermanent\t[0-9-]{10}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}\t550 no such  user\n"
      "测试县\t2013-07\tmonth\t01\ta@b\\.cn\taa\tkaohe-1@x\tsent\t[^\t]+\t250 ok\n"
      "测试县\t2013-07\tmonth\t01\tc@b\\.cn\taa\tkaohe-3@x\tuncertain\t[^\t]+\tgone\n$",
      text, 0, 0));

  /* A line a kill cut short is no record, and is cut off. */
  char *cut = g_strconcat(text, "测试县\t2013-07\tmonth\t01\td@b.cn\taa\tkaohe-4@x\tse", NULL);
  assert_true(g_file_set_contents(f->log_path, cut, -1, NULL));
  log = kh_mail_log_open(f->log_path, d);
  assert_non_null(log);
  assert_true(kh_mail_log_was_sent(log, &a, "kaohe-1@x", NULL));
  kh_delivery_key dkey = log_key("01", "d@b.cn", "aa");
  assert_false(kh_mail_log_was_sent(log, &dkey, "kaohe-4@x", NULL));
  kh_mail_log_free(log);
  g_free(cut);
  char *mended = NULL;
  assert_true(g_file_get_contents(f->log_path, &mended, NULL, NULL));
  assert_string_equal(mended, text);
  g_free(mended);
  g_free(text);

  /* A log of an earlier version: its rows match on recipient and id, and
   * new rows follow in the new form. */
  assert_true(g_file_set_contents(f->log_path,
                                  "township\trecipient\tmessage_id\tstatus\ttime\treply\n"
                                  "01\ta@b.cn\tkaohe-1@x\tsent\t2013-09-05T08:00:00+08:00\t250 ok\n",
                                  -1, NULL));
  log = kh_mail_log_open(f->log_path, d);
  assert_non_null(log);
  assert_true(kh_mail_log_was_sent(log, &a, "kaohe-1@x", NULL));
  assert_false(kh_mail_log_was_sent(log, &a, "kaohe-2@x", NULL));
  assert_true(kh_mail_log_record(log, &a, "kaohe-2@x", KH_SEND_SENT, "250 ok", d));
  kh_mail_log_free(log);
  log = kh_mail_log_open(f->log_path, d);
  assert_true(kh_mail_log_was_sent(log, &a, "kaohe-2@x", NULL));
  kh_mail_log_free(log);
  assert_int_equal(d->n_errors, 1);

  assert_true(g_file_set_contents(f->log_path,
                                  "township\trecipient\tmessage_id\tstatus\ttime\treply\n"
                                  "01\ta@b.cn\tsent\n", -1, NULL));
  assert_null(kh_mail_log_open(f->log_path, d));
  assert_true(g_file_set_contents(f->log_path, "乡镇,收件人\n", -1, NULL));
  assert_null(kh_mail_log_open(f->log_path, d));
  assert_int_equal(d->n_errors, 3);
  char *first = kh_diag_format(g_ptr_array_index(d->items, 1));
  *strchr(first, '\n') = '\0';
  char *expected = g_strdup_printf("%s:2:1: error: 发送记录的这一行应有 10 列", f->log_path);
  assert_string_equal(first, expected);
  g_free(expected);
  g_free(first);

  /* A log that cannot be read or written is an error, not a crash. */
  char *inside = g_build_filename(f->log_path, "x.tsv", NULL);
  assert_null(kh_mail_log_open(inside, d)); /* ENOTDIR: the log is a file */
  char *link = g_build_filename(f->tmp, "link.tsv", NULL);
  assert_int_equal(symlink(f->log_path, link), 0);
  assert_null(kh_mail_log_open(link, d)); /* never followed */
  assert_int_equal(d->n_errors, 5);
  g_free(link);
  g_free(inside);
  kh_diags_free(d);
}

/* A record that cannot be written (here: past a file-size limit, as on a
 * full disk) fails, leaves no half line, and every later record fails too:
 * the run must stop sending. */
static void test_log_write_failure(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  kh_mail_log *log = kh_mail_log_open(f->log_path, d);
  assert_non_null(log);
  GStatBuf st;
  assert_int_equal(g_stat(f->log_path, &st), 0);
  struct rlimit old, small = {.rlim_cur = (rlim_t)st.st_size + 20, .rlim_max = RLIM_INFINITY};
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  small.rlim_max = old.rlim_max;
  void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  kh_delivery_key a = log_key("01", "a@b.cn", "aa");
  bool first = kh_mail_log_record(log, &a, "id", KH_SEND_SENT, "250 ok", d);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, was);
  assert_false(first);
  assert_false(kh_mail_log_record(log, &a, "id", KH_SEND_SENT, "250 ok", d));
  assert_false(kh_mail_log_was_sent(log, &a, "id", NULL));
  assert_int_equal(d->n_errors, 2);
  kh_mail_log_free(log);
  GStatBuf after;
  assert_int_equal(g_stat(f->log_path, &after), 0);
  assert_int_equal(after.st_size, st.st_size);
  kh_diags_free(d);
}

static void test_password(void **state) {
  fixture *f = *state;
  kh_diags *d = kh_diags_new();
  char *file = g_build_filename(f->tmp, "password", NULL);
  char *pw = NULL;

  assert_true(g_file_set_contents(file, "s3cret 密码\r\nsecond line\n", -1, NULL));
  g_chmod(file, 0600);
  assert_true(kh_smtp_read_password(file, &pw, d));
  assert_string_equal(pw, "s3cret 密码");
  assert_int_equal(d->items->len, 0);
  g_free(pw);

  g_chmod(file, 0644);
  assert_true(kh_smtp_read_password(file, &pw, d));
  assert_string_equal(pw, "s3cret 密码");
  assert_int_equal(d->n_warnings, 1);
  g_free(pw);

  g_setenv("KAOHE_SMTP_PASSWORD", "from-env", TRUE);
  assert_true(kh_smtp_read_password(NULL, &pw, d));
  assert_string_equal(pw, "from-env");
  g_free(pw);
  g_unsetenv("KAOHE_SMTP_PASSWORD");
  assert_true(kh_smtp_read_password(NULL, &pw, d));
  assert_null(pw);

  assert_true(g_file_set_contents(file, "\n", -1, NULL));
  assert_false(kh_smtp_read_password(file, &pw, d));
  assert_null(pw);
  char *missing = g_build_filename(f->tmp, "no-such-file", NULL);
  assert_false(kh_smtp_read_password(missing, &pw, d));
  assert_int_equal(d->n_errors, 2);
  char *message = kh_diag_format(g_ptr_array_index(d->items, 1));
  char *expected = g_strdup_printf("%s:1:1: error: 密码文件的第一行是空的", file);
  assert_string_equal(message, expected);
  g_free(expected);
  g_free(message);
  g_free(missing);
  g_free(file);
  kh_diags_free(d);
}

static bool aiosmtpd_installed(void) {
  char *argv[] = {PYTHON, "-c", "import aiosmtpd", NULL};
  int status = -1;
  return g_spawn_sync(NULL, argv, NULL,
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                      NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status(status, NULL);
}

int main(void) {
  have_aiosmtpd = aiosmtpd_installed();
  if (!have_aiosmtpd) {
    if (g_strcmp0(g_getenv("CI"), "true") == 0) {
      fprintf(stderr, "FAIL: python3-aiosmtpd is missing and CI=true: "
                      "install it (scripts/install-deps.sh --tests)\n");
      return 1;
    }
    fprintf(stderr, "SKIP: the SMTP tests need python3-aiosmtpd for %s "
                    "(apt-get install python3-aiosmtpd)\n", PYTHON);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_delivery_and_rerun, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transient_failure_after_retries, setup, teardown),
      cmocka_unit_test_setup_teardown(test_connection_failures_are_transient, setup, teardown),
      cmocka_unit_test_setup_teardown(test_setup_errors_are_permanent, setup, teardown),
      cmocka_unit_test_setup_teardown(test_starttls_when_offered, setup, teardown),
      cmocka_unit_test_setup_teardown(test_login, setup, teardown),
      cmocka_unit_test_setup_teardown(test_log_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_log_write_failure, setup, teardown),
      cmocka_unit_test_setup_teardown(test_password, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
