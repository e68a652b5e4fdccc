/* The township email (deliver.h, docs/reference/outputs.md): what Python's email
 * package (policy.default, a strict modern parser) reads back from our
 * bytes, the line rules (CRLF, ≤ 76 characters, encoded-words never split a
 * character), determinism, and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kaohe/deliver.h"
#include "kaohe/load.h"
#include "deliver/fsops.h"
#include "deliver/mime_encode.h"

#define SEP_5_2013_0930 ((time_t)1378344600) /* 2013-09-05 09:30 China time */

static const char SUBJECT[] =
    "某某县2013年7月人口计生重点工作考评得分——城关镇（请于9月15日前核对并回复）";
static const char TEXT[] =
    "城关镇：\n\n附件是贵镇2013年7月的考评得分表，请查收。\n"
    ".这一行以句点开头\n合计 84.71%，低于责任指标(95%)10.29个百分点。\n";
static const char HTML[] =
    "<p>城关镇：</p>\n<p>附件是贵镇<strong>2013年7月</strong>的考评得分表，请查收。</p>\n";
static const char LONG_NAME[] = "2013-07_01_城关镇_人口计生重点工作考评得分.xlsx";
static const char SHORT_NAME[] = "城关镇.xlsx";

/* Python's reading of a message: argv = eml, attachment file (or ""),
 * subject, to name, to address, text, html (or ""), file name (or ""). */
static const char CHECK_PY[] =
    "import sys, email, email.header, datetime\n"
    "from email import policy\n"
    "eml, att, subject, to_name, to_addr, text, html, fname = sys.argv[1:9]\n"
    "m = email.message_from_bytes(open(eml, 'rb').read(), policy=policy.default)\n"
    "def eq(what, got, want):\n"
    "    if got != want: sys.exit('%s: got %r, want %r' % (what, got, want))\n"
    "eq('defects', [p.defects for p in m.walk() if p.defects], [])\n"
    "eq('subject', str(m['Subject']), subject)\n"
    "eq('to name', m['To'].addresses[0].display_name, to_name)\n"
    "eq('to addr', m['To'].addresses[0].addr_spec, to_addr)\n"
    "eq('from name', m['From'].addresses[0].display_name, '某某县人口和计划生育局')\n"
    "eq('date', m['Date'].datetime, datetime.datetime(2013, 9, 5, 9, 30,\n"
    "   tzinfo=datetime.timezone(datetime.timedelta(hours=8))))\n"
    "eq('mime', m['MIME-Version'], '1.0')\n"
    "eq('bcc', m['Bcc'], None)\n"
    "crlf = lambda s: s.replace('\\r\\n', '\\n')\n"
    "eq('text', crlf(m.get_body(('plain',)).get_content()), text)\n"
    "eq('text charset', m.get_body(('plain',)).get_content_charset(), 'utf-8')\n"
    "if html:\n"
    "    eq('html', crlf(m.get_body(('html',)).get_content()), html)\n"
    "    eq('alternative', m.get_body(('plain',)) is m.get_body(('html',)), False)\n"
    "parts = list(m.iter_attachments())\n"
    "eq('attachments', len(parts), 1 if att else 0)\n"
    "if att:\n"
    "    a = parts[0]\n"
    "    eq('type', a.get_content_type(),\n"
    "       'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')\n"
    "    eq('bytes', a.get_content(), open(att, 'rb').read())\n"
    "    eq('filename*', a.get_filename(), fname)\n"
    "    raw = open(eml, 'rb').read().decode('ascii')\n"
    "    import re\n"
    "    for key in ('name', 'filename'):\n"
    "        plain = re.findall(r'\\b' + key + r'=\"([^\"]*)\"', raw)\n"
    "        eq(key + '= present', len(plain), 1)\n"
    "        ok = re.fullmatch(r'[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)?', plain[0]) is not None\n"
    "        eq(key + '= plain ASCII without / or =?: ' + plain[0], ok, True)\n"
    "        eq(key + '= extension', plain[0].rsplit('.', 1)[-1], fname.rsplit('.', 1)[-1])\n";

typedef struct {
  char *tmp;
  char *xlsx; /* attachment bytes on disk */
  GBytes *bytes;
} fixture;

static int setup(void **state) {
  fixture *f = g_new0(fixture, 1);
  f->tmp = g_dir_make_tmp("kaohe-mime-XXXXXX", NULL);
  /* Every byte value, CR LF pairs and a "." line start: bytes that would
   * be damaged by a wrong transfer encoding or SMTP dot handling. */
  GByteArray *a = g_byte_array_new();
  g_byte_array_append(a, (const guint8 *)"PK\3\4\r\n.\r\n", 9);
  for (int i = 0; i < 2048; i++) {
    guint8 b = (guint8)(i * 7 + i / 256);
    g_byte_array_append(a, &b, 1);
  }
  f->bytes = g_byte_array_free_to_bytes(a);
  f->xlsx = g_build_filename(f->tmp, LONG_NAME, NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data(f->bytes, &len);
  assert_true(g_file_set_contents(f->xlsx, data, (gssize)len, NULL));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kh_fs_remove_tree(f->tmp);
  g_free(f->tmp);
  g_free(f->xlsx);
  g_bytes_unref(f->bytes);
  g_free(f);
  return 0;
}

static kh_mail sample_mail(const fixture *f) {
  kh_mail m = {
      .from = "kaohe@rkjs.example.gov.cn",
      .from_name = "某某县人口和计划生育局",
      .to = "chengguan@example.org",
      .to_name = "张三丰",
      .subject = SUBJECT,
      .text = TEXT,
      .html = HTML,
      .attachment_path = f->xlsx,
      .date = SEP_5_2013_0930,
      .key = "01",
  };
  return m;
}

/* Writes message to tmp/NAME and has Python check it. */
static void python_check(const fixture *f, GBytes *message, const char *att,
                         const kh_mail *m, const char *fname) {
  char *eml = g_build_filename(f->tmp, "message.eml", NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data(message, &len);
  assert_true(g_file_set_contents(eml, data, (gssize)len, NULL));
  char *argv[] = {"/usr/bin/python3", "-c", (char *)CHECK_PY, eml, (char *)att,
                  (char *)m->subject, (char *)(m->to_name ? m->to_name : ""),
                  (char *)m->to, (char *)m->text, (char *)(m->html ? m->html : ""),
                  (char *)fname, NULL};
  char *out = NULL, *err = NULL;
  int status = -1;
  assert_true(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status(status, NULL))
    fail_msg("python's email package disagrees:\n%s%s", out, err);
  g_free(out);
  g_free(err);
  g_free(eml);
}

/* CRLF everywhere, lines within 76 characters (the attachment's type line,
 * 80 characters as every client writes it, within RFC 5322's 998), and
 * every encoded-word at most 75 characters of whole UTF-8 characters. */
static void assert_lines(GBytes *message) {
  gsize len = 0;
  const char *data = g_bytes_get_data(message, &len);
  char *text = g_strndup(data, len);
  assert_int_equal(strlen(text), len);
  assert_true(g_str_has_suffix(text, "\r\n"));
  char **lines = g_strsplit(text, "\r\n", -1);
  for (char **l = lines; *l; l++) {
    assert_null(strchr(*l, '\n'));
    assert_null(strchr(*l, '\r'));
    if (g_str_has_prefix(*l, "Content-Type: " KH_MIME_XLSX ";"))
      continue;
    if (strlen(*l) > 76)
      fail_msg("line longer than 76: %s", *l);
  }
  GRegex *word = g_regex_new("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=", 0, 0, NULL);
  GMatchInfo *match = NULL;
  int words = 0;
  for (g_regex_match(word, text, 0, &match); g_match_info_matches(match);
       g_match_info_next(match, NULL)) {
    char *all = g_match_info_fetch(match, 0);
    char *b64 = g_match_info_fetch(match, 1);
    assert_true(strlen(all) <= 75);
    gsize n = 0;
    guchar *raw = g_base64_decode(b64, &n);
    assert_true(n > 0);
    assert_true(g_utf8_validate((const char *)raw, (gssize)n, NULL));
    words++;
    g_free(raw);
    g_free(b64);
    g_free(all);
  }
  assert_true(words >= 4);
  g_match_info_free(match);
  g_regex_unref(word);
  g_strfreev(lines);
  g_free(text);
}

static bool has_header_line(GBytes *message, const char *line) {
  gsize len = 0;
  const char *data = g_bytes_get_data(message, &len);
  char *text = g_strndup(data, len);
  char *needle = g_strconcat("\r\n", line, "\r\n", NULL);
  bool found = strstr(text, needle) != NULL;
  g_free(needle);
  g_free(text);
  return found;
}

static void test_full_message_reads_back(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  kh_diags *d = kh_diags_new();
  GBytes *msg = kh_mime_message(&m, d);
  assert_non_null(msg);
  assert_int_equal(d->items->len, 0);
  assert_lines(msg);
  assert_true(has_header_line(msg, "Date: Thu, 05 Sep 2013 09:30:00 +0800"));
  assert_true(has_header_line(msg, "MIME-Version: 1.0"));
  /* the long name needs RFC 2231 continuations */
  gsize len = 0;
  const char *data = g_bytes_get_data(msg, &len);
  assert_non_null(g_strstr_len(data, (gssize)len, " filename*0*=UTF-8''2013-07_01_%E5%9F%8E"));
  assert_non_null(g_strstr_len(data, (gssize)len, " filename*1*="));
  python_check(f, msg, f->xlsx, &m, LONG_NAME);
  g_bytes_unref(msg);
  kh_diags_free(d);
}

static void test_short_name_and_bytes(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  m.attachment_path = NULL;
  m.attachment = f->bytes;
  m.attachment_name = SHORT_NAME;
  m.to_name = "Wang Wu";
  kh_diags *d = kh_diags_new();
  GBytes *msg = kh_mime_message(&m, d);
  assert_non_null(msg);
  assert_lines(msg);
  gsize len = 0;
  const char *data = g_bytes_get_data(msg, &len);
  assert_non_null(g_strstr_len(data, (gssize)len,
                               ";\r\n filename*=UTF-8''%E5%9F%8E%E5%85%B3%E9%95%87.xlsx;\r\n"));
  python_check(f, msg, f->xlsx, &m, SHORT_NAME);
  g_bytes_unref(msg);
  kh_diags_free(d);
}

static void test_text_only_without_attachment(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  m.html = NULL;
  m.attachment_path = NULL;
  m.to_name = NULL;
  m.text = "无附件。\r\n第二行\n";
  kh_diags *d = kh_diags_new();
  GBytes *msg = kh_mime_message(&m, d);
  assert_non_null(msg);
  assert_true(has_header_line(msg, "To: chengguan@example.org"));
  assert_true(has_header_line(msg, "Content-Type: text/plain; charset=UTF-8"));
  kh_mail expected = m;
  expected.text = "无附件。\n第二行\n";
  python_check(f, msg, "", &expected, "");
  g_bytes_unref(msg);
  kh_diags_free(d);
}

/* A line break in a subject cannot start a header of its own. */
static void test_line_breaks_cannot_inject_headers(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  m.subject = "得分\r\nBcc: evil@example.com";
  m.to_name = "张三\nBcc: evil@example.com";
  kh_diags *d = kh_diags_new();
  GBytes *msg = kh_mime_message(&m, d);
  kh_mail expected = m;
  expected.subject = "得分  Bcc: evil@example.com";
  expected.to_name = "张三 Bcc: evil@example.com";
  python_check(f, msg, f->xlsx, &expected, LONG_NAME);
  g_bytes_unref(msg);
  kh_diags_free(d);
}

static void test_same_mail_same_bytes(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  kh_diags *d = kh_diags_new();
  GBytes *a = kh_mime_message(&m, d);
  GBytes *b = kh_mime_message(&m, d);
  assert_true(g_bytes_equal(a, b));

  char *id = kh_mime_message_id(&m);
  assert_true(g_regex_match_simple("^kaohe-[0-9a-f]{32}@rkjs\\.example\\.gov\\.cn$", id, 0, 0));
  char *header = g_strdup_printf("Message-ID: <%s>", id);
  assert_true(has_header_line(a, header));

  kh_mail later = m;
  later.date += 86400; /* a rerun the next day is the same message */
  char *id_later = kh_mime_message_id(&later);
  assert_string_equal(id_later, id);
  kh_mail other = m;
  other.key = "02";
  char *id_other = kh_mime_message_id(&other);
  assert_string_not_equal(id_other, id);
  kh_mail changed = m; /* a corrected workbook is a new message */
  changed.attachment_path = NULL;
  changed.attachment = f->bytes;
  changed.attachment_name = "x.xlsx";
  char *id_changed = kh_mime_message_id(&changed);
  assert_string_not_equal(id_changed, id);

  g_free(id_changed);
  g_free(id_other);
  g_free(id_later);
  g_free(header);
  g_free(id);
  g_bytes_unref(a);
  g_bytes_unref(b);
  kh_diags_free(d);
}

static void test_write_eml(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  kh_diags *d = kh_diags_new();
  char *path = g_build_filename(f->tmp, "01_城关镇.eml", NULL);
  assert_true(kh_mime_write_eml(&m, path, d));
  GBytes *msg = kh_mime_message(&m, d);
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  GBytes *written = g_bytes_new_take(data, len);
  assert_true(g_bytes_equal(written, msg));

  char *bad = g_build_filename(f->xlsx, "x.eml", NULL); /* inside a file */
  assert_false(kh_mime_write_eml(&m, bad, d));
  assert_int_equal(d->n_errors, 1);
  g_free(bad);
  g_bytes_unref(written);
  g_bytes_unref(msg);
  g_free(path);
  kh_diags_free(d);
}

static void assert_refused(kh_mail *m, const char *expected) {
  kh_diags *d = kh_diags_new();
  assert_null(kh_mime_message(m, d));
  assert_int_equal(d->n_errors, 1);
  char *got = kh_diag_format(g_ptr_array_index(d->items, 0));
  assert_string_equal(got, expected);
  g_free(got);
  kh_diags_free(d);
}

static void test_refusals(void **state) {
  fixture *f = *state;
  kh_mail m = sample_mail(f);
  m.to = "张三@example.org";
  assert_refused(&m, "kaohe: error: 乡镇 01 的邮件无法生成：收件人地址无效（收件人：张三@example.org）");
  m = sample_mail(f);
  m.from = "kaohe";
  assert_refused(&m, "kaohe: error: 乡镇 01 的邮件无法生成：发件人地址无效（收件人：chengguan@example.org）");
  m = sample_mail(f);
  m.subject = "\xff\xfe";
  assert_refused(&m, "kaohe: error: 乡镇 01 的邮件无法生成：含有无效的 UTF-8 文字（收件人：chengguan@example.org）");
  m = sample_mail(f);
  m.attachment_path = "/nonexistent/01.xlsx";
  kh_diags *d = kh_diags_new();
  assert_null(kh_mime_message(&m, d));
  char *got = kh_diag_format(g_ptr_array_index(d->items, 0));
  assert_true(g_str_has_prefix(got, "/nonexistent/01.xlsx:1:1: error: 无法读取邮件附件："));
  g_free(got);
  kh_diags_free(d);
}

static void test_addresses(void **state) {
  (void)state;
  const char *good[] = {"a@b.cn", "zhang.san+kh@rkjs.example.gov.cn", "x_1@a-b.org"};
  const char *bad[] = {"", "a", "@b.cn", "a@", "a b@c.cn", "a@b.cn\r\nBcc: x@y",
                       "<a@b.cn>", "a..b@c.cn", ".a@b.cn", "a.@b.cn", "a@b..cn",
                       "a@-b.cn", "a@b.cn.", "张三@b.cn", "a@测试.cn", "\"a\"@b.cn"};
  for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
    if (!kh_email_address_ok(good[i]))
      fail_msg("refused %s", good[i]);
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    if (kh_email_address_ok(bad[i]))
      fail_msg("accepted %s", bad[i]);
  assert_false(kh_email_address_ok(NULL));
}

static void test_dates_and_words(void **state) {
  (void)state;
  char *date = kh_mime_date(SEP_5_2013_0930);
  assert_string_equal(date, "Thu, 05 Sep 2013 09:30:00 +0800");
  g_free(date);
  date = kh_mime_date(0); /* UTC midnight is 08:00 in China */
  assert_string_equal(date, "Thu, 01 Jan 1970 08:00:00 +0800");
  g_free(date);

  /* A 4-byte character never splits, wherever the line starts. */
  for (int col = 0; col < 70; col++) {
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "%*s", col, "");
    kh_mime_append_words(out, "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", col, 1);
    char **lines = g_strsplit(out->str, "\r\n", -1);
    for (char **l = lines; *l; l++)
      assert_true(strlen(*l) + (l[1] ? 0 : 1) <= 76);
    g_strfreev(lines);
    g_string_free(out, TRUE);
  }
}

int main(void) {
  if (!g_file_test("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)) {
    fprintf(stderr, "test_mime needs /usr/bin/python3 (Debian's python3)\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_full_message_reads_back, setup, teardown),
      cmocka_unit_test_setup_teardown(test_short_name_and_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_text_only_without_attachment, setup, teardown),
      cmocka_unit_test_setup_teardown(test_line_breaks_cannot_inject_headers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_mail_same_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_write_eml, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
      cmocka_unit_test(test_addresses),
      cmocka_unit_test(test_dates_and_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
