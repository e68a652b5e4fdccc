/* Reading the document register, 发文登记.csv (docs/reference/register.md):
 * one row per issued document, number,date,kind,period,title,file,sha256.
 * kaohe writes it (src/deliver/register.c) but people open it in Excel and
 * may save it back, so it is read like every other dataset file (UTF-8 or
 * GB18030, located errors) and checked for what would make a number be
 * issued twice. */
#include "load/csv_reader.h"

#include <string.h>

static const char *const register_columns[] = {"number", "date", "kind", "period",
                                               "title", "file", "sha256"};
enum { COL_NUMBER, COL_DATE, COL_KIND, COL_PERIOD, COL_TITLE, COL_FILE, COL_SHA256 };

void kh_register_entry_free(kh_register_entry *e) {
  if (!e)
    return;
  g_free(e->date);
  g_free(e->kind);
  g_free(e->period);
  g_free(e->title);
  g_free(e->file);
  g_free(e->sha256);
  g_free(e);
}

static bool header_ok(const kh_csv_table *t, kh_diags *diags) {
  const kh_csv_row *h = kh_csv_row_at(t, 0);
  bool ok = h->n_cells == (int)G_N_ELEMENTS(register_columns);
  for (int i = 0; ok && i < h->n_cells; i++)
    ok = strcmp(kh_csv_cell_at(t, h, i)->text, register_columns[i]) == 0;
  if (!ok)
    kh_csv_diag(t, diags, KH_ERROR, h->line, 1,
                "发文登记的表头应为 number,date,kind,period,title,file,sha256");
  return ok;
}

/* The row's entry, or NULL when a cell is unusable (reported). */
static kh_register_entry *read_row(const kh_csv_table *t, const kh_csv_row *row,
                                   kh_diags *diags) {
  const kh_csv_cell *number = kh_csv_cell_at(t, row, COL_NUMBER);
  const kh_csv_cell *kind = kh_csv_cell_at(t, row, COL_KIND);
  const kh_csv_cell *period = kh_csv_cell_at(t, row, COL_PERIOD);
  guint64 n = 0;
  bool ok = true;
  if (!g_ascii_string_to_unsigned(number->text, 10, 1, 99999, &n, NULL)) {
    kh_csv_diag(t, diags, KH_ERROR, number->line, number->col,
                "发文序号“%s”应为 1 到 99999 的整数", number->text);
    ok = false;
  }
  bool is_month = strcmp(kind->text, "month") == 0;
  if (!is_month && strcmp(kind->text, "quarter") != 0) {
    kh_csv_diag(t, diags, KH_ERROR, kind->line, kind->col,
                "文件类别“%s”应为 month（月度通报）或 quarter（季度通报）", kind->text);
    ok = false;
  }
  int y, m;
  if (ok && !(is_month ? kh_parse_month(period->text, &y, &m)
                       : kh_parse_quarter(period->text, &y, &m))) {
    kh_csv_diag(t, diags, KH_ERROR, period->line, period->col, "期别“%s”应为 %s",
                period->text, is_month ? "YYYY-MM" : "YYYYQn");
    ok = false;
  }
  if (!ok)
    return NULL;
  kh_register_entry *e = g_new0(kh_register_entry, 1);
  e->number = (int)n;
  e->date = g_strdup(kh_csv_cell_at(t, row, COL_DATE)->text);
  e->kind = g_strdup(kind->text);
  e->period = g_strdup(period->text);
  e->title = g_strdup(kh_csv_cell_at(t, row, COL_TITLE)->text);
  e->file = g_strdup(kh_csv_cell_at(t, row, COL_FILE)->text);
  e->sha256 = g_strdup(kh_csv_cell_at(t, row, COL_SHA256)->text);
  e->line = row->line;
  return e;
}

/* Appends an error at row's cell col when key was seen on an earlier row. */
static bool unique(GHashTable *seen, const char *key, const kh_csv_table *t,
                   const kh_csv_row *row, int col, const char *what, kh_diags *diags) {
  gpointer earlier = g_hash_table_lookup(seen, key);
  if (earlier) {
    const kh_csv_cell *c = kh_csv_cell_at(t, row, col);
    kh_csv_diag(t, diags, KH_ERROR, c->line, c->col, "%s“%s”已在第 %d 行登记", what, c->text,
                GPOINTER_TO_INT(earlier));
    return false;
  }
  g_hash_table_insert(seen, g_strdup(key), GINT_TO_POINTER(row->line));
  return true;
}

GPtrArray *kh_register_read(const char *path, kh_diags *diags) {
  GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)kh_register_entry_free);
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    return entries;
  int errors_before = diags->n_errors;
  kh_csv_table *t = kh_csv_read(path, diags);
  if (t && t->rows->len > 0 && header_ok(t, diags)) {
    GHashTable *numbers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *periods = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 1; i < t->rows->len; i++) {
      const kh_csv_row *row = kh_csv_row_at(t, i);
      kh_register_entry *e = read_row(t, row, diags);
      if (!e)
        continue;
      char *number = g_strdup_printf("%d", e->number);
      bool ok = unique(numbers, number, t, row, COL_NUMBER, "发文序号", diags);
      ok = unique(periods, e->period, t, row, COL_PERIOD, "期别", diags) && ok;
      g_free(number);
      if (ok)
        g_ptr_array_add(entries, e);
      else
        kh_register_entry_free(e);
    }
    g_hash_table_destroy(numbers);
    g_hash_table_destroy(periods);
  }
  kh_csv_free(t);
  if (diags->n_errors > errors_before) {
    g_ptr_array_free(entries, TRUE);
    return NULL;
  }
  return entries;
}
