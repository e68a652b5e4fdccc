/* The CSV reader: quotes, embedded newlines, CRLF, blanks, empty rows, the
 * place of every cell, malformed rows and limits, with exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/csv_reader.h"

static kh_csv_table *parse(const char *text, kh_diags *d) {
  return kh_csv_parse("m.csv", text, strlen(text), d);
}

static void assert_cell(const kh_csv_table *t, guint row, int i,
                        const char *text, int line, int col) {
  assert_true(row < t->rows->len);
  const kh_csv_row *r = kh_csv_row_at(t, row);
  assert_true(i < r->n_cells);
  const kh_csv_cell *c = kh_csv_cell_at(t, r, i);
  assert_string_equal(c->text, text);
  assert_int_equal(c->line, line);
  assert_int_equal(c->col, col);
}

/* Checks the printed first lines of all diagnostics, in order. */
static void assert_diags(const kh_diags *d, const char *const *expected, guint n) {
  for (guint i = 0; i < d->items->len && i < n; i++) {
    char *s = kh_diag_format(g_ptr_array_index(d->items, i));
    char *nl = strchr(s, '\n');
    if (nl)
      *nl = '\0';
    assert_string_equal(s, expected[i]);
    g_free(s);
  }
  assert_int_equal(d->items->len, n);
}

static void test_simple(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a,b\n1,2\n", d);
  assert_int_equal(t->rows->len, 2);
  assert_cell(t, 0, 0, "a", 1, 1);
  assert_cell(t, 0, 1, "b", 1, 3);
  assert_cell(t, 1, 0, "1", 2, 1);
  assert_cell(t, 1, 1, "2", 2, 3);
  assert_int_equal(kh_csv_row_at(t, 1)->line, 2);
  assert_int_equal(d->items->len, 0);
  assert_false(t->truncated);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_crlf_and_no_final_newline(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a,b\r\n1,2\r\n3,4", d);
  assert_int_equal(t->rows->len, 3);
  assert_cell(t, 1, 1, "2", 2, 3);
  assert_cell(t, 2, 0, "3", 3, 1);
  assert_cell(t, 2, 1, "4", 3, 3);
  kh_csv_free(t);
  t = parse("a,b\r1,2\r", d);
  assert_int_equal(t->rows->len, 2);
  assert_cell(t, 1, 1, "2", 2, 3);
  assert_int_equal(d->items->len, 0);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_quotes_and_embedded_newlines(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a,b\n\"x\r\ny, z\",\"1,234\"\n\"he said \"\"hi\"\"\",2\n", d);
  assert_int_equal(t->rows->len, 3);
  assert_cell(t, 1, 0, "x\r\ny, z", 2, 1);
  assert_cell(t, 1, 1, "1,234", 3, 7);
  assert_cell(t, 2, 0, "he said \"hi\"", 4, 1);
  assert_cell(t, 2, 1, "2", 4, 18);
  assert_int_equal(d->items->len, 0);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_columns_count_characters(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("乡镇,出生男婴数\n城关镇,12\n", d);
  assert_cell(t, 0, 1, "出生男婴数", 1, 4);
  assert_cell(t, 1, 1, "12", 2, 5);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_blanks_trimmed(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a,b,c,d,e\n"
                          " x ,\t y\t,\xE3\x80\x80z\xE3\x80\x80,\xC2\xA0w\xC2\xA0,"
                          "\" \xE3\x80\x80q r \"\n",
                          d);
  assert_int_equal(t->rows->len, 2);
  assert_cell(t, 1, 0, "x", 2, 1);
  assert_cell(t, 1, 1, "y", 2, 5);
  assert_cell(t, 1, 2, "z", 2, 10);
  assert_cell(t, 1, 3, "w", 2, 14);
  assert_cell(t, 1, 4, "q r", 2, 18);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_empty_rows_ignored(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("\n,,\na,b\n,\n \t, \xE3\x80\x80 \n\n  \n1,2\n,\n\"\",\n3,4", d);
  assert_int_equal(t->rows->len, 3);
  assert_cell(t, 0, 0, "a", 3, 1);
  assert_cell(t, 1, 0, "1", 8, 1);
  assert_cell(t, 2, 1, "4", 11, 3);
  assert_int_equal(d->items->len, 0);
  kh_csv_free(t);
  t = parse("", d);
  assert_int_equal(t->rows->len, 0);
  kh_csv_free(t);
  t = parse("\r\n\r\n  \n", d);
  assert_int_equal(t->rows->len, 0);
  assert_int_equal(d->items->len, 0);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_malformed_rows_reported_and_skipped(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a,b\n"
                          "1,2\"3\n"      /* quote inside an unquoted cell */
                          "\"1\"x,2\n"    /* text after a closing quote */
                          "4,5\n"
                          "6\n"           /* too few cells */
                          "7,8,9,10\n"    /* too many */
                          "乡,\"11\n",    /* quote never closed */
                          d);
  const char *const expected[] = {
      "m.csv:2:3: error: B2 引号不成对：未用引号括起的单元格中有引号",
      "m.csv:3:1: error: A3 引号不成对：右引号后应为逗号或行尾",
      "m.csv:5:1: error: A5 此行有 1 个单元格，表头有 2 个",
      "m.csv:6:5: error: C6 此行有 4 个单元格，表头有 2 个",
      "m.csv:7:3: error: B7 引号不成对：引号未闭合",
  };
  assert_diags(d, expected, 5);
  assert_int_equal(t->rows->len, 2);
  assert_cell(t, 1, 0, "4", 4, 1);
  kh_diag *first = g_ptr_array_index(d->items, 0);
  assert_string_equal(first->source_line, "1,2\"3");
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_malformed_header_stops(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a\"b,c\n1,2\n", d);
  const char *const expected[] = {
      "m.csv:1:1: error: A1 引号不成对：未用引号括起的单元格中有引号",
  };
  assert_diags(d, expected, 1);
  assert_int_equal(t->rows->len, 0);
  assert_true(t->truncated);
  kh_csv_free(t);
  kh_diags_free(d);
}

static void test_cell_too_long(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  GString *s = g_string_new("a,b\n1,2\n3,");
  for (int i = 0; i < 70000; i++)
    g_string_append_c(s, 'x');
  g_string_append(s, "\n4,5\n");
  kh_csv_table *t = parse(s->str, d);
  const char *const expected[] = {"m.csv:3:3: error: B3 单元格过长（超过 64 KB）"};
  assert_diags(d, expected, 1);
  assert_true(t->truncated);
  assert_int_equal(t->rows->len, 2);
  kh_csv_free(t);
  kh_diags_free(d);

  d = kh_diags_new();
  g_string_assign(s, "a\n\"");
  for (int i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c(s, i % 50 ? 'y' : '\n');
  t = parse(s->str, d);
  const char *const quoted[] = {"m.csv:2:1: error: A2 单元格过长（超过 64 KB），可能是引号未闭合"};
  assert_diags(d, quoted, 1);
  kh_csv_free(t);
  kh_diags_free(d);
  g_string_free(s, TRUE);
}

static void test_too_many_columns(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  GString *s = g_string_new(NULL);
  for (int i = 0; i <= KH_MAX_COLUMNS; i++)
    g_string_append(s, i ? ",c" : "c");
  g_string_append(s, "\n1\n");
  kh_csv_table *t = parse(s->str, d);
  /* column 1001 is ALM in Excel */
  char *expected = g_strdup_printf("m.csv:1:%d: error: ALM1 列数超过上限（%d 列）",
                                   2 * KH_MAX_COLUMNS + 1, KH_MAX_COLUMNS);
  const char *const e[] = {expected};
  assert_diags(d, e, 1);
  assert_int_equal(t->rows->len, 0);
  assert_true(t->truncated);
  kh_csv_free(t);
  kh_diags_free(d);
  g_free(expected);

  /* A data row far wider than the limit is one wrong-count error. */
  d = kh_diags_new();
  g_string_assign(s, "a,b\n1");
  for (int i = 0; i < 3 * KH_MAX_COLUMNS; i++)
    g_string_append(s, ",1");
  g_string_append(s, "\n2,3\n");
  t = parse(s->str, d);
  expected = g_strdup_printf("m.csv:2:5: error: C2 此行有 %d 个单元格，表头有 2 个",
                             3 * KH_MAX_COLUMNS + 1);
  const char *const e2[] = {expected};
  assert_diags(d, e2, 1);
  assert_int_equal(t->rows->len, 2);
  kh_csv_free(t);
  kh_diags_free(d);
  g_free(expected);
  g_string_free(s, TRUE);
}

static void test_too_many_rows(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  GString *s = g_string_new("a\n");
  for (int i = 0; i < KH_MAX_ROWS + 5; i++)
    g_string_append(s, "1\n");
  kh_csv_table *t = parse(s->str, d);
  char *expected = g_strdup_printf("m.csv:%d:1: error: 行数超过上限（%d 行）",
                                   KH_MAX_ROWS + 2, KH_MAX_ROWS);
  const char *const e[] = {expected};
  assert_diags(d, e, 1);
  assert_int_equal(t->rows->len, KH_MAX_ROWS + 1);
  assert_true(t->truncated);
  kh_csv_free(t);
  kh_diags_free(d);
  g_free(expected);
  g_string_free(s, TRUE);
}

static void test_diag_echoes_line(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("乡镇,a\r\n城关镇,x\r\n", d);
  kh_csv_diag(t, d, KH_WARNING, 2, 5, "值“%s”", "x");
  char *s = kh_diag_format(g_ptr_array_index(d->items, 0));
  assert_string_equal(s, "m.csv:2:5: warning: 值“x”\n  城关镇,x\n         ^");
  g_free(s);
  kh_csv_free(t);
  kh_diags_free(d);
}

/* Excel's names of cells (docs/reference/spreadsheet-inputs.md): letters from A to ZZ and beyond, and
 * row numbers that count records, so a quoted line break starts no new
 * row and an empty line still is one. */
static void test_excel_names(void **state) {
  (void)state;
  const struct {
    int col, record;
    const char *name;
  } names[] = {{0, 1, "A1"}, {6, 5, "G5"}, {25, 2, "Z2"}, {26, 3, "AA3"},
               {51, 4, "AZ4"}, {52, 7, "BA7"}, {701, 9, "ZZ9"}, {702, 10, "AAA10"}};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    char *n = kh_cell_name(names[i].col, names[i].record);
    assert_string_equal(n, names[i].name);
    g_free(n);
  }
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("a,b\n\"x\ny\",1\n\n2,q\n", d);
  assert_int_equal(t->rows->len, 3);
  assert_int_equal(kh_csv_row_at(t, 1)->record, 2);
  assert_int_equal(kh_csv_row_at(t, 2)->line, 5);
  assert_int_equal(kh_csv_row_at(t, 2)->record, 4); /* line 4 is empty: row 3 */
  kh_csv_cell_diag(t, d, KH_ERROR, kh_csv_cell_at(t, kh_csv_row_at(t, 2), 1), "坏");
  const char *const e[] = {"m.csv:5:3: error: B4 坏"};
  assert_diags(d, e, 1);
  kh_csv_free(t);
  kh_diags_free(d);
}

/* Tab-separated text (docs/reference/dataset.md): its header line has a tab and no comma
 * outside quotes; a comma in a cell is then only a character. */
static void test_tab_separated(void **state) {
  (void)state;
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = parse("k\t\"a,b\"\tc\n1\t2,5\t 3\n", d);
  assert_int_equal(t->rows->len, 2);
  assert_cell(t, 0, 1, "a,b", 1, 3);
  assert_cell(t, 1, 1, "2,5", 2, 3);
  assert_cell(t, 1, 2, "3", 2, 7);
  const char *const e[] = {"m.csv:1:1: warning: 文件以制表符分隔（不是逗号），已按制表符分隔读取"};
  assert_diags(d, e, 1);
  kh_csv_free(t);
  kh_diags_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_simple),
      cmocka_unit_test(test_crlf_and_no_final_newline),
      cmocka_unit_test(test_quotes_and_embedded_newlines),
      cmocka_unit_test(test_columns_count_characters),
      cmocka_unit_test(test_blanks_trimmed),
      cmocka_unit_test(test_empty_rows_ignored),
      cmocka_unit_test(test_malformed_rows_reported_and_skipped),
      cmocka_unit_test(test_malformed_header_stops),
      cmocka_unit_test(test_cell_too_long),
      cmocka_unit_test(test_too_many_columns),
      cmocka_unit_test(test_excel_names),
      cmocka_unit_test(test_tab_separated),
      cmocka_unit_test(test_too_many_rows),
      cmocka_unit_test(test_diag_echoes_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
