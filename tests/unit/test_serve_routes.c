/* Which answer a request path gets in the web console (src/serve: pages.c,
 * documents.c, actions.c, session.c): sessions' form tokens; the POST
 * checks before any action runs (token, route, the dataset's lock); and
 * GET routing, where no path, however it is spelled after libmicrohttpd
 * has decoded it, ever sends a file other than a published document of
 * the period and kind it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "serve/serve.h"
#include "deliver/fsops.h"
#include "kaohe/deliver.h"
#include "kaohe/render.h"

#define SECRET "SECRET-CONTENT-outside-the-documents"

/* Each test runs in a folder of its own (where the console looks for out/
 * and archive/), with a file outside every document folder beside them. */
typedef struct {
  char *dir, *old_cwd, *sample;
} fixture;

static int setup(void **state) {
  fixture *fx = g_new0(fixture, 1);
  fx->dir = g_dir_make_tmp("kaohe-routes-XXXXXX", NULL);
  assert_non_null(fx->dir);
  fx->old_cwd = g_get_current_dir();
  assert_int_equal(chdir(fx->dir), 0);
  const char *src = getenv("KAOHE_SOURCE_DIR");
  fx->sample = g_build_filename(src ? src : ".", "samples", "county-2013", NULL);
  assert_true(g_file_set_contents("secret.txt", SECRET, -1, NULL));
  assert_int_equal(g_mkdir_with_parents("out/2013-07/" KH_TOWNSHIP_FOLDER, 0755), 0);
  assert_int_equal(g_mkdir_with_parents("archive/2013Q3", 0755), 0);
  assert_true(g_file_set_contents("out/2013-07/督查通报_2013-07.pdf", "%PDF notice", -1, NULL));
  assert_true(g_file_set_contents("archive/2013Q3/SHA256SUMS", "sums", -1, NULL));
  assert_true(kh_serve_secret_init());
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  assert_int_equal(chdir(fx->old_cwd), 0);
  kh_fs_remove_tree(fx->dir);
  g_free(fx->dir);
  g_free(fx->old_cwd);
  g_free(fx->sample);
  g_free(fx);
  return 0;
}

static kh_serve_reply new_reply(void) {
  return (kh_serve_reply){.status = 200, .body = g_string_new(NULL)};
}

/* ---- sessions -------------------------------------------------------------------- */

static bool lower_hex(const char *s, size_t n) {
  return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

static void test_session_tokens(void **state) {
  (void)state;
  char a[33], b[33], ta[33], ta2[33], tb[33];
  kh_serve_session_new(a);
  kh_serve_session_new(b);
  assert_true(lower_hex(a, 32));
  assert_string_not_equal(a, b);
  kh_serve_csrf(a, ta);
  kh_serve_csrf(a, ta2);
  kh_serve_csrf(b, tb);
  assert_true(lower_hex(ta, 32));
  assert_string_equal(ta, ta2); /* nothing remembered: the same session, the same token */
  assert_string_not_equal(ta, tb);
  assert_string_not_equal(ta, a); /* not the session id itself */
}

static void test_malformed_sessions(void **state) {
  (void)state;
  static const char *const bad[] = {
      "",
      "0123456789abcdef0123456789abcde",   /* 31 */
      "0123456789abcdef0123456789abcdef0", /* 33 */
      "0123456789ABCDEF0123456789ABCDEF",  /* upper case: not one we gave */
      "0123456789abcdef0123456789abcdeg",
      "0123456789abcdef 123456789abcdef",
      "00000000000000000000000000000000",  /* what a failed draw gives */
      "../../../../../../../../etc/pass",
  };
  char token[33];
  kh_serve_csrf(NULL, token);
  assert_string_equal(token, "");
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    memset(token, 'x', sizeof token);
    kh_serve_csrf(bad[i], token);
    assert_string_equal(token, "");
  }
}

static void test_same_secret(void **state) {
  (void)state;
  const char *t = "0123456789abcdef0123456789abcdef";
  assert_true(kh_serve_same_secret(t, t));
  assert_true(kh_serve_same_secret("0123456789abcdef0123456789abcdef", t));
  assert_false(kh_serve_same_secret("0123456789abcdef0123456789abcdee", t));
  assert_false(kh_serve_same_secret("1123456789abcdef0123456789abcdef", t));
  assert_false(kh_serve_same_secret("0123456789abcdef0123456789abcde", t));
  assert_false(kh_serve_same_secret("0123456789abcdef0123456789abcdef0", t));
  assert_false(kh_serve_same_secret("", t));
  assert_false(kh_serve_same_secret(NULL, t));
  assert_false(kh_serve_same_secret("", ""));   /* no token expected: nothing matches */
  assert_false(kh_serve_same_secret(NULL, ""));
}

/* ---- POST ---------------------------------------------------------------------------- */

static void post(const char *dataset, const char *csrf, const char *given, const char *path,
                 kh_serve_reply *reply) {
  kh_serve_form form;
  kh_serve_form_init(&form, ".");
  if (given)
    assert_true(kh_serve_form_feed(&form, "csrf", NULL, given, 0, strlen(given)));
  assert_true(kh_serve_form_finish(&form));
  kh_serve_ctx ctx = {.dataset = dataset, .csrf = csrf, .state_dir = "."};
  *reply = new_reply();
  kh_serve_post(&ctx, path, &form, reply);
  kh_serve_form_clear(&form);
}

static void expect_post(const char *dataset, const char *csrf, const char *given, const char *path,
                        unsigned status, const char *says) {
  kh_serve_reply reply;
  post(dataset, csrf, given, path, &reply);
  if (reply.status != status)
    fail_msg("POST %s answered %u, expected %u", path, reply.status, status);
  assert_null(reply.location);
  assert_null(reply.file);
  if (says && !strstr(reply.body->str, says))
    fail_msg("POST %s: the page lacks %s", path, says);
  kh_serve_reply_clear(&reply);
}

static void test_post_refusals(void **state) {
  fixture *fx = *state;
  char session[33], token[33], other[33], other_token[33];
  kh_serve_session_new(session);
  kh_serve_csrf(session, token);
  kh_serve_session_new(other);
  kh_serve_csrf(other, other_token);
  const char *ds = fx->dir; /* no dataset: nothing here may get as far as loading one */
  const char *expired = "页面已过期";
  expect_post(ds, token, NULL, "/month/2013-07/make", 403, expired);
  expect_post(ds, token, "", "/month/2013-07/make", 403, expired);
  expect_post(ds, token, other_token, "/month/2013-07/make", 403, expired);
  expect_post(ds, token, session, "/month/2013-07/make", 403, expired);
  expect_post(ds, "", "", "/month/2013-07/make", 403, expired); /* no session cookie */
  expect_post(ds, token, "0123456789abcdef0123456789abcdef", "/nothing", 403, expired);
  /* the right token: then the route */
  expect_post(ds, token, token, "/nothing", 404, "没有这个操作");
  expect_post(ds, token, token, "/", 404, "没有这个操作");
  expect_post(ds, token, token, "/month/make", 404, "没有这个操作");
  expect_post(ds, token, token, "/month/2013-07/make/", 404, "没有这个操作");
  expect_post(ds, token, token, "/month/2013-07/makes", 404, "没有这个操作");
  expect_post(ds, token, token, "/month/../../x/make", 404, "没有这个操作");
  expect_post(ds, token, token, "/month/2013-07/../make", 404, "没有这个操作");
  expect_post(ds, token, token, "/quarter/2013Q3/x/make", 404, "没有这个操作");
  expect_post(ds, token, token, "/MONTH/2013-07/make", 404, "没有这个操作");
  /* a route whose period does not parse: refused by the action */
  expect_post(ds, token, token, "/month//make", 404, "没有这个月份");
  expect_post(ds, token, token, "/month/../make", 404, "没有这个月份");
  expect_post(ds, token, token, "/month/2013-7/make", 404, "没有这个月份");
  expect_post(ds, token, token, "/quarter/2013Q5/make", 404, "没有这个季度");
  expect_post(ds, token, token, "/quarter/..\\..\\x/make", 404, "没有这个季度");
  /* the upload and its confirmation: an ID is 32 lower-case hex digits of an
     upload kept by this console, never a path */
  expect_post(ds, token, token, "/importx", 404, "没有这个操作");
  expect_post(ds, token, token, "/import/", 404, "没有这个操作");
  expect_post(ds, token, token, "/import/../x/confirm", 404, "没有这个操作");
  const char *gone = "这次上传已经导入或已过期";
  expect_post(ds, token, token, "/import/../confirm", 404, gone);
  expect_post(ds, token, token, "/import//confirm", 404, gone);
  expect_post(ds, token, token, "/import/0123456789abcdef0123456789abcdef/confirm", 404, gone);
  expect_post(ds, token, token, "/import/0123456789ABCDEF0123456789ABCDEF/confirm", 404, gone);
  expect_post(ds, token, token, "/import/0123456789abcdef0123456789abcdef0/confirm", 404, gone);
  expect_post(ds, token, token, "/import/..\\..\\..\\etc/confirm", 404, gone);
}

/* While the dataset's lock is held, an action is answered 忙 and not run. */
static void test_post_busy(void **state) {
  fixture *fx = *state;
  char session[33], token[33];
  kh_serve_session_new(session);
  kh_serve_csrf(session, token);
  kh_diags *d = kh_diags_new();
  /* the test's own folder stands for the dataset: the lock is all it needs
     (the sample's own folder may be locked by tests running beside) */
  kh_dataset_lock *held = kh_dataset_lock_take(fx->dir, false, NULL, d);
  assert_non_null(held);
  expect_post(fx->dir, token, token, "/month/2013-07/make", 409, "忙：");
  expect_post(fx->dir, token, token, "/quarter/2013Q3/make", 409, "忙：");
  /* the token is checked first: a foreign POST learns nothing of the lock */
  expect_post(fx->dir, token, "", "/month/2013-07/make", 403, NULL);
  kh_dataset_lock_release(held);
  assert_false(kh_dataset_lock_busy(fx->dir));
  kh_diags_free(d);
}

/* ---- GET ------------------------------------------------------------------------------- */

static void get(const fixture *fx, const char *path, kh_serve_reply *reply) {
  kh_serve_ctx ctx = {.dataset = fx->sample, .csrf = "0123456789abcdef0123456789abcdef",
                      .state_dir = "."};
  *reply = new_reply();
  kh_serve_page(&ctx, path, reply);
}

/* path must get a 404 page, never a file, never the secret. */
static void expect_404(const fixture *fx, const char *path) {
  kh_serve_reply reply;
  get(fx, path, &reply);
  if (reply.status != 404 || reply.file)
    fail_msg("GET %s answered %u%s%s, expected 404", path, reply.status,
             reply.file ? " with the file " : "", reply.file ? reply.file : "");
  assert_null(strstr(reply.body->str, SECRET));
  assert_non_null(strstr(reply.body->str, "<html"));
  kh_serve_reply_clear(&reply);
}

/* path must send the file want (relative to the test's folder). */
static void expect_file(const fixture *fx, const char *path, const char *want) {
  kh_serve_reply reply;
  get(fx, path, &reply);
  if (!reply.file)
    fail_msg("GET %s answered %u without a file", path, reply.status);
  assert_string_equal(reply.file, want);
  kh_serve_reply_clear(&reply);
}

static void test_pages(void **state) {
  fixture *fx = *state;
  kh_serve_reply reply;
  static const char *const pages[] = {"/", "/month/2013-07", "/township/01", "/quarter/2013Q3",
                                      "/style.css"};
  for (size_t i = 0; i < G_N_ELEMENTS(pages); i++) {
    get(fx, pages[i], &reply);
    if (reply.status != 200 || reply.file)
      fail_msg("GET %s answered %u", pages[i], reply.status);
    kh_serve_reply_clear(&reply);
  }
}

static void test_documents_by_period_and_kind(void **state) {
  fixture *fx = *state;
  expect_file(fx, "/month/2013-07/doc/notice", "out/2013-07/督查通报_2013-07.pdf");
  expect_file(fx, "/month/2013-07/doc/notice-preview", "out/2013-07/督查通报_2013-07.pdf");
  expect_file(fx, "/quarter/2013Q3/doc/sums", "archive/2013Q3/SHA256SUMS");
  expect_file(fx, "/quarter/2013q3/doc/sums", "archive/2013Q3/SHA256SUMS");
  kh_diags *d = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(fx->sample, d);
  assert_non_null(ds);
  char *name = kh_township_xlsx_file(ds, 2013, 7, 0);
  char *path = g_build_filename("out", "2013-07", KH_TOWNSHIP_FOLDER, name, NULL);
  assert_true(g_file_set_contents(path, "xlsx", -1, NULL));
  char *url = g_strconcat("/month/2013-07/doc/township/", kh_township_at(ds, 0)->code, NULL);
  expect_file(fx, url, path);
  g_free(url);
  g_free(path);
  g_free(name);
  kh_dataset_free(ds);
  kh_diags_free(d);
  /* NUL-truncated: what libmicrohttpd decodes %00 into ends the path there */
  expect_file(fx, "/month/2013-07/doc/notice\0/../../../secret.txt", "out/2013-07/督查通报_2013-07.pdf");
  /* kinds not made yet, and periods without documents */
  expect_404(fx, "/month/2013-07/doc/county");
  expect_404(fx, "/month/2013-08/doc/notice");
  expect_404(fx, "/quarter/2013Q3/doc/report");
}

/* A document replaced by a link (to anything) is not a document. */
static void test_symlinked_document(void **state) {
  fixture *fx = *state;
  assert_int_equal(g_unlink("out/2013-07/督查通报_2013-07.pdf"), 0);
  char *target = g_build_filename(fx->dir, "secret.txt", NULL);
  assert_int_equal(symlink(target, "out/2013-07/督查通报_2013-07.pdf"), 0);
  g_free(target);
  expect_404(fx, "/month/2013-07/doc/notice");
  assert_int_equal(symlink("../../secret.txt", "archive/2013Q3/SHA256SUMS.tmp"), 0);
  assert_int_equal(g_rename("archive/2013Q3/SHA256SUMS.tmp", "archive/2013Q3/SHA256SUMS"), 0);
  expect_404(fx, "/quarter/2013Q3/doc/sums");
}

/* Traversal in every spelling libmicrohttpd may hand over once it has
 * decoded the URL (%2e%2e -> "..", %2f -> "/", %5c -> "\\", %c0%ae stays
 * two bytes that are not UTF-8, %252e -> "%2e"), and names and periods of
 * every wrong shape. */
static void test_traversal_refused(void **state) {
  fixture *fx = *state;
  static const char *const paths[] = {
      "/../secret.txt",
      "/../../../../etc/passwd",
      "/secret.txt",
      "/./secret.txt",
      "//secret.txt",
      "/style.css/../secret.txt",
      "/month/../secret.txt",
      "/month/../../secret.txt/doc/notice",
      "/month/2013-07/../../secret.txt",
      "/month/2013-07/doc/../../../secret.txt",
      "/month/2013-07/doc/notice/../../../secret.txt",
      "/month/2013-07/doc/./notice",
      "/month/2013-07/doc/notice/",
      "/month/2013-07/doc/NOTICE",
      "/month/2013-07/doc/notice.pdf",
      "/month/2013-07/doc/督查通报_2013-07.pdf",
      "/month/2013-07/doc/township/../../../secret.txt",
      "/month/2013-07/doc/township/01/../../../../secret.txt",
      "/month/2013-07/doc/township/",
      "/month/2013-07/doc/township",
      "/month/2013-07/doc/",
      "/month/2013-07/doc",
      "/month//doc/notice",
      "/month/./doc/notice",
      "/month/2013-07/./doc/notice",
      "/month/..\\..\\secret.txt",
      "/month/2013-07/doc/..\\..\\..\\secret.txt",
      "/month/2013-07/doc/%2e%2e/%2e%2e/secret.txt", /* %252e%252e decoded once */
      "/month/2013-07/doc/\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/secret.txt",
      "/month/2013-07/doc/\xe0\x80\xae\xe0\x80\xae/secret.txt",
      "/month/2013-07/doc/notice\xc0\xaf..\xc0\xaf..\xc0\xafsecret.txt",
      "/quarter/../../secret.txt",
      "/quarter/2013Q3/doc/../../../secret.txt",
      "/quarter/2013Q3/doc/sums/../../../../secret.txt",
      "/quarter/2013Q3/../../secret.txt/doc/sums",
      /* periods: overlong, short, signed, spaced, out of range */
      "/month/2013-007",
      "/month/02013-07",
      "/month/2013-07-01",
      "/month/2013-7",
      "/month/+2013-07",
      "/month/2013-07 ",
      "/month/2013-00",
      "/month/2013-13",
      "/month/0000-07",
      "/month/99999999999999999999-07",
      "/month/2013-07/doc/../../2013-07/doc/notice",
      "/month/2013-007/doc/notice",
      "/month/2013-07.pdf/doc/notice",
      "/quarter/2013Q33",
      "/quarter/2013Q0",
      "/quarter/2013-Q3",
      "/quarter/2013Q3/doc/sums/",
      /* townships: codes with slashes, dots, nothing */
      "/township/",
      "/township/01/",
      "/township/01/../02",
      "/township/../01",
      "/township/..",
      "/township/01\\..\\02",
      "/township/%30%31",
      "/township/01/../../secret.txt",
      "/townships/01",
      /* not pages at all */
      "",
      "secret.txt",
      "/month",
      "/quarter",
      "/township",
      "/rules.ini",
      "/monthly/2013-07.csv",
      "/http://127.0.0.1/secret.txt",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(paths); i++)
    expect_404(fx, paths[i]);

  /* a period or kind of any length */
  GString *longer = g_string_new("/month/");
  for (int i = 0; i < 10000; i++)
    g_string_append(longer, "../");
  expect_404(fx, longer->str);
  g_string_append(longer, "/doc/notice");
  expect_404(fx, longer->str);
  g_string_assign(longer, "/month/2013-07/doc/");
  for (int i = 0; i < 10000; i++)
    g_string_append(longer, "../");
  expect_404(fx, longer->str);
  g_string_assign(longer, "/township/");
  for (int i = 0; i < 100000; i++)
    g_string_append_c(longer, '0');
  expect_404(fx, longer->str);
  g_string_free(longer, TRUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_session_tokens, setup, teardown),
      cmocka_unit_test_setup_teardown(test_malformed_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_secret, setup, teardown),
      cmocka_unit_test_setup_teardown(test_post_refusals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_post_busy, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
      cmocka_unit_test_setup_teardown(test_documents_by_period_and_kind, setup, teardown),
      cmocka_unit_test_setup_teardown(test_symlinked_document, setup, teardown),
      cmocka_unit_test_setup_teardown(test_traversal_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
