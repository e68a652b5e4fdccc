/* The month's mail as the deliver stage does it (deliver.h: mail_batch.c,
 * mail_send.c, month_mail.c; what `kaohe mail` and the web console share),
 * on a copy of the sample with its month made by kh_publish_month:
 *   - nothing is prepared without the workbooks, and the batch says which;
 *   - the .eml folder holds each prepared message byte for byte, the same
 *     on a second run;
 *   - sending gives each township its outcome as data (sent, failed with
 *     the server's reply, skipped as already sent, not attempted after a
 *     server failure), counted by kh_mail_batch_tally, and the page's view
 *     of the delivery log (kh_month_mail_states) follows;
 *   - the log read without its lock: absent, a half-written line;
 *   - the sender: given, rules.ini's, a bare address with the issuer.
 * The sending tests need Debian's python3-aiosmtpd (skipped without it,
 * failed under CI=true). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kaohe/deliver.h"
#include "deliver/fsops.h"

#define PYTHON "/usr/bin/python3"
#define N_WITH_ADDRESS 12 /* the sample's townships with an email; 2 have none */

static bool have_aiosmtpd;

typedef struct {
  char *tmp, *dataset, *outdir;
  kh_dataset *ds;
  kh_doc_meta meta;
  GPid server;
  char *server_dir, *url;
} fixture;

static void run(const char *const *argv) {
  int status = 0;
  GError *err = NULL;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    &status, &err))
    fail_msg("%s: %s", argv[0], err->message);
  assert_true(g_spawn_check_wait_status(status, NULL));
}

/* A copy of the sample (its register left out) in a fresh folder. */
static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->tmp = g_dir_make_tmp("kaohe-mailbatch-XXXXXX", NULL);
  const char *src = g_getenv("KAOHE_SOURCE_DIR");
  char *sample = g_build_filename(src ? src : ".", "samples", "county-2013", NULL);
  f->dataset = g_build_filename(f->tmp, "sample", NULL);
  const char *cp[] = {"cp", "-r", sample, f->dataset, NULL};
  run(cp);
  char *reg = g_build_filename(f->dataset, KH_REGISTER_NAME, NULL);
  g_unlink(reg);
  g_free(reg);
  g_free(sample);
  f->outdir = g_build_filename(f->tmp, "out", "2013-07", NULL);
  kh_diags *d = kh_diags_new();
  f->ds = kh_dataset_load(f->dataset, d);
  assert_int_equal(d->n_errors, 0);
  g_setenv("SOURCE_DATE_EPOCH", "1378339200", TRUE);
  assert_true(kh_doc_meta_init(&f->meta, f->dataset, NULL, d));
  kh_diags_free(d);
  *state = f;
  return 0;
}

static void server_stop(fixture *f) {
  if (!f->server)
    return;
  kill(f->server, SIGTERM);
  int status = 0;
  waitpid(f->server, &status, 0);
  g_spawn_close_pid(f->server);
  f->server = 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  server_stop(f);
  kh_doc_meta_clear(&f->meta);
  kh_dataset_free(f->ds);
  kh_fs_remove_tree(f->tmp);
  g_free(f->tmp);
  g_free(f->dataset);
  g_free(f->outdir);
  g_free(f->server_dir);
  g_free(f->url);
  g_free(f);
  return 0;
}

/* `kaohe month` for July into f->outdir. */
static void make_month(fixture *f) {
  kh_publish_request rq = {.dataset_dir = f->dataset, .target = f->outdir, .period = 7,
                           .jobs = 1};
  kh_publish_result res = {0};
  kh_diags *d = kh_diags_new();
  assert_true(kh_publish_month(f->ds, &rq, &res, d));
  kh_publish_result_clear(&res);
  kh_diags_free(d);
}

/* A prepared batch of July's mails, sent by 统计科. */
static kh_mail_batch *prepared(fixture *f) {
  kh_mail_batch *b = kh_mail_batch_new(f->ds, f->outdir, 7, KH_MAIL_KIND_MONTH);
  kh_diags *d = kh_diags_new();
  assert_true(kh_month_mail_prepare(b, &f->meta, "tjk@example.gov.cn", "统计科", d));
  assert_int_equal(d->n_errors, 0);
  kh_diags_free(d);
  assert_int_equal(b->items->len, N_WITH_ADDRESS);
  return b;
}

static kh_mail_item *item(kh_mail_batch *b, guint k) {
  return &g_array_index(b->items, kh_mail_item, k);
}

/* The item of township code. */
static kh_mail_item *item_of(kh_mail_batch *b, const char *code) {
  for (guint k = 0; k < b->items->len; k++)
    if (strcmp(item(b, k)->tw->code, code) == 0)
      return item(b, k);
  fail_msg("no item for %s", code);
  return NULL;
}

static void test_nothing_without_workbooks(void **state) {
  fixture *f = *state;
  kh_mail_batch *b = kh_mail_batch_new(f->ds, f->outdir, 7, KH_MAIL_KIND_MONTH);
  kh_diags *d = kh_diags_new();
  assert_false(kh_month_mail_prepare(b, &f->meta, "tjk@example.gov.cn", NULL, d));
  assert_true(b->no_folder);
  assert_int_equal(b->items->len, N_WITH_ADDRESS);
  for (guint k = 0; k < b->items->len; k++) {
    assert_true(item(b, k)->absent);
    assert_null(item(b, k)->message);
  }
  assert_string_equal(b->period, "2013-07");
  kh_diags_free(d);
  kh_mail_batch_free(b);

  /* One workbook gone: that one is absent, the folder is there. */
  make_month(f);
  kh_month_result *r = kh_assess_month(f->ds, 7);
  char *name = kh_township_xlsx_name(r, 1);
  char *path = g_build_filename(f->outdir, KH_TOWNSHIP_FOLDER, name, NULL);
  assert_int_equal(g_unlink(path), 0);
  b = kh_mail_batch_new(f->ds, f->outdir, 7, KH_MAIL_KIND_MONTH);
  d = kh_diags_new();
  assert_false(kh_month_mail_prepare(b, &f->meta, "tjk@example.gov.cn", NULL, d));
  assert_false(b->no_folder);
  assert_true(item(b, 1)->absent);
  assert_string_equal(item(b, 1)->attachment_path, path);
  assert_false(item(b, 0)->absent);
  kh_diags_free(d);
  kh_mail_batch_free(b);
  g_free(path);
  g_free(name);
  kh_month_result_free(r);
}

/* The .eml folder holds every message as prepared, and a second run
 * writes the same bytes. */
static void test_eml_folder(void **state) {
  fixture *f = *state;
  make_month(f);
  kh_mail_batch *b = prepared(f);
  kh_diags *d = kh_diags_new();
  char *folder = NULL;
  assert_true(kh_mail_batch_write_eml(b, &folder, d));
  char *expected = g_build_filename(f->outdir, KH_EML_FOLDER, NULL);
  assert_string_equal(folder, expected);
  for (int pass = 0; pass < 2; pass++) {
    for (guint k = 0; k < b->items->len; k++) {
      char *name = kh_mail_eml_name(item(b, k)->tw);
      char *path = g_build_filename(folder, name, NULL);
      char *data = NULL;
      gsize len = 0;
      assert_true(g_file_get_contents(path, &data, &len, NULL));
      gsize want = 0;
      const void *message = g_bytes_get_data(item(b, k)->message, &want);
      assert_int_equal(len, want);
      assert_memory_equal(data, message, len);
      g_free(data);
      g_free(path);
      g_free(name);
    }
    kh_mail_batch_free(b);
    b = prepared(f);
    g_free(folder);
    folder = NULL;
    assert_true(kh_mail_batch_write_eml(b, &folder, d));
  }
  assert_int_equal(d->n_errors, 0);
  kh_diags_free(d);
  g_free(expected);
  g_free(folder);
  kh_mail_batch_free(b);
}

static void server_start(fixture *f, const char *reject) {
  g_free(f->server_dir);
  f->server_dir = g_build_filename(f->tmp, reject ? "server-reject" : "server", NULL);
  assert_int_equal(g_mkdir_with_parents(f->server_dir, 0755), 0);
  char *port_file = g_build_filename(f->server_dir, "port", NULL);
  const char *src = g_getenv("KAOHE_SOURCE_DIR");
  char *script = g_build_filename(src ? src : ".", "tests", "e2e", "smtp_server.py", NULL);
  const char *argv[] = {PYTHON, script, "--dir", f->server_dir, "--port-file", port_file,
                        "--lifetime", "120", reject ? "--reject" : NULL, reject, NULL};
  GError *err = NULL;
  if (!g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                     &f->server, &err))
    fail_msg("cannot start %s: %s", script, err->message);
  char *text = NULL;
  for (int waited = 0; !g_file_get_contents(port_file, &text, NULL, NULL); waited++) {
    if (waited > 500 || waitpid(f->server, NULL, WNOHANG) == f->server)
      fail_msg("%s did not start", script);
    g_usleep(20000);
  }
  g_free(f->url);
  f->url = g_strdup_printf("smtp://127.0.0.1:%d", atoi(text));
  g_free(text);
  g_free(script);
  g_free(port_file);
}

static void send(fixture *f, kh_mail_batch *b, int jobs, bool resend) {
  kh_smtp_options opt = KH_SMTP_OPTIONS_INIT;
  opt.url = f->url;
  opt.from = "tjk@example.gov.cn";
  opt.connect_timeout_s = 10;
  opt.timeout_s = 30;
  opt.max_attempts = 1;
  kh_mail_send_request rq = {.smtp = &opt, .resend = resend, .jobs = jobs};
  kh_diags *d = kh_diags_new();
  assert_true(kh_mail_batch_send(b, &rq, d));
  assert_int_equal(d->n_errors, 0); /* a failed delivery is the item's */
  kh_diags_free(d);
}

static void states(fixture *f, kh_mail_state *out) {
  kh_month_result *r = kh_assess_month(f->ds, 7);
  kh_diags *d = kh_diags_new();
  assert_true(kh_month_mail_states(r, f->outdir, out, d));
  kh_diags_free(d);
  kh_month_result_free(r);
}

/* Township t's state in out, by code. */
static kh_mail_state state_of(fixture *f, const kh_mail_state *out, const char *code) {
  for (int t = 0; t < kh_n_townships(f->ds); t++)
    if (strcmp(kh_township_at(f->ds, t)->code, code) == 0)
      return out[t];
  fail_msg("no township %s", code);
  return KH_MAIL_STATE_NO_ADDRESS;
}

static void test_send_outcomes(void **state) {
  if (!have_aiosmtpd)
    skip();
  fixture *f = *state;
  make_month(f);
  kh_mail_state st[32];
  assert_true(kh_n_townships(f->ds) <= 32);
  states(f, st);
  assert_int_equal(state_of(f, st, "01"), KH_MAIL_STATE_NOT_SENT);
  assert_int_equal(state_of(f, st, "12"), KH_MAIL_STATE_NO_ADDRESS);

  server_start(f, "03@example.org");
  kh_mail_batch *b = prepared(f);
  send(f, b, 3, false);
  assert_int_equal(b->stop, KH_MAIL_STOP_NONE);
  kh_mail_item *refused = item_of(b, "03");
  assert_int_equal(kh_mail_item_outcome(refused), KH_MAIL_FAILED);
  assert_int_equal(refused->res.status, KH_SEND_PERMANENT);
  assert_int_equal(refused->res.reply_code, 550);
  assert_int_equal(refused->diags->n_errors, 1);
  assert_int_equal(kh_mail_item_outcome(item_of(b, "01")), KH_MAIL_SENT);
  kh_mail_tally n;
  kh_mail_batch_tally(b, &n);
  assert_int_equal(n.sent, N_WITH_ADDRESS - 1);
  assert_int_equal(n.failed, 1);
  assert_int_equal(n.no_address, 2);
  assert_int_equal(n.already_sent + n.uncertain + n.unrecorded + n.not_attempted, 0);
  kh_mail_batch_free(b);
  states(f, st);
  assert_int_equal(state_of(f, st, "01"), KH_MAIL_STATE_SENT);
  assert_int_equal(state_of(f, st, "03"), KH_MAIL_STATE_FAILED);
  server_stop(f);

  /* A rerun sends only 03. */
  server_start(f, NULL);
  b = prepared(f);
  send(f, b, 2, false);
  kh_mail_batch_tally(b, &n);
  assert_int_equal(n.already_sent, N_WITH_ADDRESS - 1);
  assert_int_equal(n.sent, 1);
  assert_int_equal(kh_mail_item_outcome(item_of(b, "03")), KH_MAIL_SENT);
  assert_int_equal(kh_mail_item_outcome(item_of(b, "01")), KH_MAIL_ALREADY_SENT);
  kh_mail_batch_free(b);
  states(f, st);
  assert_int_equal(state_of(f, st, "03"), KH_MAIL_STATE_SENT);
  server_stop(f);

  /* No server: the first fails, the others are not attempted. */
  b = prepared(f);
  send(f, b, 1, true);
  assert_int_equal(b->stop, KH_MAIL_STOP_SERVER);
  assert_int_equal(kh_mail_item_outcome(item(b, 0)), KH_MAIL_FAILED);
  kh_mail_batch_tally(b, &n);
  assert_int_equal(n.failed, 1);
  assert_int_equal(n.not_attempted, N_WITH_ADDRESS - 1);
  kh_mail_batch_free(b);
  states(f, st); /* the latest row of 01 is the failure */
  assert_int_equal(state_of(f, st, "01"), KH_MAIL_STATE_FAILED);
  assert_int_equal(state_of(f, st, "02"), KH_MAIL_STATE_SENT);

  /* A workbook changed since is another mail: not sent yet. */
  kh_month_result *r = kh_assess_month(f->ds, 7);
  char *name = kh_township_xlsx_name(r, 1);
  char *path = g_build_filename(f->outdir, KH_TOWNSHIP_FOLDER, name, NULL);
  assert_true(g_file_set_contents(path, "another workbook", -1, NULL));
  states(f, st);
  assert_int_equal(state_of(f, st, "02"), KH_MAIL_STATE_NOT_SENT);
  assert_int_equal(g_unlink(path), 0);
  states(f, st);
  assert_int_equal(state_of(f, st, "02"), KH_MAIL_STATE_NO_WORKBOOK);
  g_free(path);
  g_free(name);
  kh_month_result_free(r);
}

/* The log read for a look: absent is empty, a line being written is not a
 * record, and it cannot record. */
static void test_log_read(void **state) {
  fixture *f = *state;
  char *path = g_build_filename(f->tmp, KH_MAIL_LOG_NAME, NULL);
  kh_diags *d = kh_diags_new();
  kh_delivery_key key = {.dataset = "某某县", .period = "2013-07", .kind = "month",
                         .township = "01", .rcpt = "01@example.org",
                         .attachment_sha256 = "ab"};
  kh_send_status status = KH_SEND_SKIPPED;
  kh_mail_log *log = kh_mail_log_read(path, d);
  assert_non_null(log);
  assert_false(kh_mail_log_latest(log, &key, &status));
  assert_false(kh_mail_log_record(log, &key, "id", KH_SEND_SENT, "250", d));
  assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
  kh_mail_log_free(log);

  const char *text =
      "dataset\tperiod\tkind\ttownship\trecipient\tattachment_sha256\tmessage_id\tstatus\ttime\treply\n"
      "某某县\t2013-07\tmonth\t01\t01@example.org\tab\tid\ttransient\tT\t451\n"
      "某某县\t2013-07\tmonth\t01\t01@example.org\tcd\tid\tsent\tT\t250\n"
      "某某县\t2013-07\tmonth\t01\t01@example.org\tab\tid\tsent\tT\t2";
  assert_true(g_file_set_contents(path, text, -1, NULL));
  log = kh_mail_log_read(path, d);
  assert_non_null(log);
  assert_true(kh_mail_log_latest(log, &key, &status));
  assert_int_equal(status, KH_SEND_TRANSIENT);
  kh_mail_log_free(log);

  assert_true(g_file_set_contents(path, "not a log\n", -1, NULL));
  assert_null(kh_mail_log_read(path, d));
  assert_int_equal(d->n_errors, 2); /* the refused record, the header */
  kh_diags_free(d);
  g_free(path);
}

static void test_sender(void **state) {
  fixture *f = *state;
  kh_rules rules = f->ds->rules;
  char *name = NULL, *address = NULL;
  assert_true(kh_mail_sender(NULL, &rules, &name, &address));
  assert_string_equal(name, "某某县人口和计划生育局");
  assert_string_equal(address, "tjk@example.gov.cn");
  g_free(name);
  g_free(address);
  assert_true(kh_mail_sender("jsj@example.gov.cn", &rules, &name, &address));
  assert_string_equal(name, rules.issuer); /* a bare address shows the issuer */
  assert_string_equal(address, "jsj@example.gov.cn");
  g_free(name);
  g_free(address);
  assert_false(kh_mail_sender("不是地址", &rules, &name, &address));
  rules.mail_from = NULL;
  assert_false(kh_mail_sender(NULL, &rules, &name, &address));
  assert_null(name);
  assert_null(address);
}

static bool aiosmtpd_installed(void) {
  const char *argv[] = {PYTHON, "-c", "import aiosmtpd", NULL};
  int status = 0;
  return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                      NULL, &status, NULL) &&
         g_spawn_check_wait_status(status, NULL);
}

int main(void) {
  have_aiosmtpd = aiosmtpd_installed();
  if (!have_aiosmtpd) {
    if (g_strcmp0(g_getenv("CI"), "true") == 0) {
      fprintf(stderr, "FAIL: python3-aiosmtpd is missing and CI=true\n");
      return 1;
    }
    fprintf(stderr, "SKIP: sending needs python3-aiosmtpd for %s\n", PYTHON);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_nothing_without_workbooks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eml_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_send_outcomes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_log_read, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sender, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
