/* The web console's form decoding (src/serve/form.c): fields and files as
 * libmicrohttpd's post processor hands them over, piece by piece with
 * offsets; several files under one field; an empty file input; the body,
 * part and field limits refused with 413 and nothing kept; the name a
 * browser gives only shown (folders, control characters and broken UTF-8
 * taken out), never the name a file is saved under. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "serve/serve.h"
#include "deliver/fsops.h"

static int setup(void **state) {
  char *dir = g_dir_make_tmp("kaohe-form-XXXXXX", NULL);
  assert_non_null(dir);
  *state = dir;
  return 0;
}

static int teardown(void **state) {
  kh_fs_remove_tree(*state);
  g_free(*state);
  return 0;
}

static bool feed(kh_serve_form *f, const char *key, const char *filename, const char *data,
                 uint64_t off) {
  return kh_serve_form_feed(f, key, filename, data, off, strlen(data));
}

static char *contents(const char *path) {
  char *text = NULL;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  return text;
}

/* How many entries the folder holds (0 when it is gone). */
static int entries(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d)
    return 0;
  int n = 0;
  while (g_dir_read_name(d))
    n++;
  g_dir_close(d);
  return n;
}

static void test_fields_in_pieces(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "csrf", NULL, "0123", 0));
  assert_true(feed(&f, "csrf", NULL, "4567", 4));
  assert_true(feed(&f, "date", NULL, "2013-08-05", 0));
  assert_true(feed(&f, "doc_no", NULL, "", 0)); /* a field left empty */
  assert_true(kh_serve_form_finish(&f));
  assert_string_equal(kh_serve_form_field(&f, "csrf"), "01234567");
  assert_string_equal(kh_serve_form_field(&f, "date"), "2013-08-05");
  assert_string_equal(kh_serve_form_field(&f, "doc_no"), "");
  assert_null(kh_serve_form_field(&f, "missing"));
  assert_int_equal(f.parts, 3);
  assert_int_equal(f.uploads->len, 0);
  assert_null(f.upload_dir); /* no file, no folder */
  kh_serve_form_clear(&f);
}

/* A second part of the same name starts afresh (offset 0); the last wins. */
static void test_repeated_field(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "x", NULL, "first", 0));
  assert_true(feed(&f, "x", NULL, "second", 0));
  assert_true(kh_serve_form_finish(&f));
  assert_string_equal(kh_serve_form_field(&f, "x"), "second");
  assert_int_equal(f.parts, 2);
  kh_serve_form_clear(&f);
}

/* A field's bytes that are not UTF-8 come out valid. */
static void test_field_made_valid(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(kh_serve_form_feed(&f, "name", NULL, "a\xff\xfe" "b", 0, 4));
  assert_true(kh_serve_form_finish(&f));
  const char *v = kh_serve_form_field(&f, "name");
  assert_true(g_utf8_validate(v, -1, NULL));
  assert_int_equal(v[0], 'a');
  assert_int_equal(v[strlen(v) - 1], 'b');
  kh_serve_form_clear(&f);
}

static void test_files_under_one_field(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "csrf", NULL, "t", 0));
  assert_true(feed(&f, "files", "石桥镇.xlsx", "PK-one-", 0));
  assert_true(feed(&f, "files", "石桥镇.xlsx", "continued", 7));
  assert_true(feed(&f, "files", "2013-07.CSV", "code,value\n", 0)); /* the next file: offset 0 */
  assert_true(kh_serve_form_feed(&f, "files", "empty.csv", "", 0, 0)); /* an empty file */
  assert_true(kh_serve_form_finish(&f));
  assert_int_equal(f.parts, 4);
  assert_int_equal(f.uploads->len, 3);
  kh_serve_upload *a = g_ptr_array_index(f.uploads, 0);
  kh_serve_upload *b = g_ptr_array_index(f.uploads, 1);
  kh_serve_upload *c = g_ptr_array_index(f.uploads, 2);
  assert_string_equal(a->field, "files");
  assert_string_equal(a->filename, "石桥镇.xlsx");
  assert_int_equal(a->size, 16);
  char *text = contents(a->path);
  assert_string_equal(text, "PK-one-continued");
  g_free(text);
  assert_string_equal(b->filename, "2013-07.CSV");
  char *base = g_path_get_basename(b->path);
  assert_string_equal(base, "upload-2.csv"); /* the extension kept, lower-cased */
  g_free(base);
  assert_int_equal(c->size, 0);
  assert_true(g_file_test(c->path, G_FILE_TEST_IS_REGULAR));
  /* all in the form's own folder, under the state folder, gone with the form */
  char *dir = g_path_get_dirname(a->path);
  assert_string_equal(dir, f.upload_dir);
  assert_true(g_str_has_prefix(f.upload_dir, *state));
  kh_serve_form_clear(&f);
  assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
  g_free(dir);
  assert_int_equal(entries(*state), 0);
}

/* A file input left empty: a part with an empty filename and no data; a
 * field then, not a file. */
static void test_empty_file_input(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(kh_serve_form_feed(&f, "files", "", "", 0, 0));
  assert_true(kh_serve_form_finish(&f));
  assert_int_equal(f.uploads->len, 0);
  assert_null(f.upload_dir);
  assert_string_equal(kh_serve_form_field(&f, "files"), "");
  kh_serve_form_clear(&f);
}

/* The names a browser may give: its folders, control characters and bytes
 * that are not UTF-8 never reach the page; the saved copy is always
 * upload-N with at most a short alphanumeric extension. */
static void test_browser_names(void **state) {
  static const struct {
    const char *given, *shown, *saved;
  } cases[] = {
      {"C:\\Users\\统计\\收回\\a.xlsx", "a.xlsx", "upload-1.xlsx"},
      {"../../etc/passwd", "passwd", "upload-2"},
      {"/abs/path/../rules.ini", "rules.ini", "upload-3.ini"},
      {"a\r\nContent-Type: x\t.csv", "a  Content-Type: x .csv", "upload-4.csv"},
      {"bell\a\x7f.csv", "bell  .csv", "upload-5.csv"},
      {"dir/", "未命名", "upload-6"},
      {"..", "..", "upload-7"}, /* no extension after a final dot */
      {"x.tar.gz/../.htaccess", ".htaccess", "upload-8"}, /* longer than an extension */
      {"x.h/t", "t", "upload-9"},
      {"evil.x$(rm)", "evil.x$(rm)", "upload-10"},
      {"name.toolongext", "name.toolongext", "upload-11"},
      {"a.x\xc0\xae\xc0\xae", NULL, "upload-12"},
  };
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
    assert_true(feed(&f, "f", cases[i].given, "data", 0));
  assert_true(kh_serve_form_finish(&f));
  assert_int_equal(f.uploads->len, G_N_ELEMENTS(cases));
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    kh_serve_upload *u = g_ptr_array_index(f.uploads, i);
    assert_true(g_utf8_validate(u->filename, -1, NULL));
    for (const char *p = u->filename; *p; p++)
      assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_null(strchr(u->filename, '/'));
    assert_null(strchr(u->filename, '\\'));
    if (cases[i].shown)
      assert_string_equal(u->filename, cases[i].shown);
    char *base = g_path_get_basename(u->path);
    char *dir = g_path_get_dirname(u->path);
    assert_string_equal(base, cases[i].saved);
    assert_string_equal(dir, f.upload_dir);
    g_free(dir);
    g_free(base);
  }
  kh_serve_form_clear(&f);
}

/* Over 32 MB in all: refused with 413 at the piece that breaks it, every
 * later piece refused too, and the folder gone with the form. */
static void test_body_limit(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  size_t chunk = 1u << 20;
  char *block = g_malloc0(chunk);
  uint64_t off = 0;
  bool ok = true;
  for (int i = 0; i < 40 && ok; i++, off += chunk)
    ok = kh_serve_form_feed(&f, "f", "big.csv", block, off, chunk);
  assert_false(ok);
  assert_int_equal(f.error_status, 413);
  assert_non_null(strstr(f.error, "32 MB"));
  assert_true(f.bytes > KH_SERVE_MAX_BODY);
  assert_true(f.bytes <= KH_SERVE_MAX_BODY + chunk);
  /* the partial file is gone at once, not when the body has been read */
  assert_int_equal(f.uploads->len, 0);
  assert_int_equal(entries(*state), 0);
  assert_false(kh_serve_form_feed(&f, "g", NULL, "x", 0, 1));
  assert_null(kh_serve_form_field(&f, "g"));
  assert_int_equal(entries(*state), 0);
  assert_false(kh_serve_form_finish(&f));
  assert_int_equal(f.error_status, 413);
  kh_serve_form_clear(&f);
  g_free(block);
  assert_int_equal(entries(*state), 0);
}

static void test_part_limit(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  for (int i = 0; i < KH_SERVE_MAX_PARTS; i++) {
    char key[16];
    g_snprintf(key, sizeof key, "k%d", i);
    assert_true(feed(&f, key, i % 2 ? "x.csv" : NULL, "v", 0));
  }
  assert_false(feed(&f, "one-more", NULL, "v", 0));
  assert_int_equal(f.error_status, 413);
  assert_non_null(strstr(f.error, "64"));
  assert_null(kh_serve_form_field(&f, "one-more"));
  assert_null(kh_serve_form_field(&f, "k0")); /* nothing kept of a refused form */
  assert_int_equal(f.uploads->len, 0);
  assert_int_equal(entries(*state), 0);
  assert_false(kh_serve_form_finish(&f));
  kh_serve_form_clear(&f);
  assert_int_equal(entries(*state), 0);
}

/* A field (not a file) of more than 64 KB, whether in one piece or many. */
static void test_field_limit(void **state) {
  char *big = g_strnfill(KH_SERVE_MAX_FIELD, 'a');
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "note", NULL, big, 0)); /* exactly the limit */
  assert_true(kh_serve_form_finish(&f));
  assert_int_equal(strlen(kh_serve_form_field(&f, "note")), KH_SERVE_MAX_FIELD);
  kh_serve_form_clear(&f);

  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "note", NULL, big, 0));
  assert_false(feed(&f, "note", NULL, "b", KH_SERVE_MAX_FIELD));
  assert_int_equal(f.error_status, 413);
  assert_false(kh_serve_form_finish(&f));
  assert_null(kh_serve_form_field(&f, "note"));
  kh_serve_form_clear(&f);

  /* a file has no such limit: only the body's */
  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "f", "big.csv", big, 0));
  assert_true(feed(&f, "f", "big.csv", big, KH_SERVE_MAX_FIELD));
  assert_true(kh_serve_form_finish(&f));
  assert_int_equal(((kh_serve_upload *)g_ptr_array_index(f.uploads, 0))->size,
                   2 * KH_SERVE_MAX_FIELD);
  kh_serve_form_clear(&f);
  g_free(big);
  assert_int_equal(entries(*state), 0);
}

/* A state folder that cannot be written: 500, said plainly. */
static void test_unwritable_state(void **state) {
  char *gone = g_build_filename(*state, "missing", "deeper", NULL);
  kh_serve_form f;
  kh_serve_form_init(&f, gone);
  assert_false(feed(&f, "f", "a.csv", "x", 0));
  assert_int_equal(f.error_status, 500);
  assert_false(kh_serve_form_finish(&f));
  kh_serve_form_clear(&f);
  g_free(gone);
}

/* Clearing a form in the middle of a file (the connection dropped). */
static void test_clear_midway(void **state) {
  kh_serve_form f;
  kh_serve_form_init(&f, *state);
  assert_true(feed(&f, "f", "a.csv", "partial", 0));
  assert_true(feed(&f, "k", NULL, "half a val", 0));
  kh_serve_form_clear(&f);
  assert_int_equal(entries(*state), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_fields_in_pieces, setup, teardown),
      cmocka_unit_test_setup_teardown(test_repeated_field, setup, teardown),
      cmocka_unit_test_setup_teardown(test_field_made_valid, setup, teardown),
      cmocka_unit_test_setup_teardown(test_files_under_one_field, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_file_input, setup, teardown),
      cmocka_unit_test_setup_teardown(test_browser_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_body_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_part_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_field_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unwritable_state, setup, teardown),
      cmocka_unit_test_setup_teardown(test_clear_midway, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
