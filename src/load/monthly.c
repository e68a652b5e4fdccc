/* monthly/YYYY-MM.csv (or .xlsx, .xls), the townships' monthly reports
 * (SPEC §2.2, §2.4).
 *
 * Two passes over the files of the year, in name order. The first reads
 * them all and learns the fields that only monthly headers declare, so
 * that every month's values can share one layout ([township * n_fields +
 * field]); the second maps each file's header to fields and stores its
 * rows. A file's diagnostics are gathered over both passes and reported
 * together, in the order of their places in the file. */
#include "load/dataset_parts.h"

#include <math.h>
#include <string.h>

#include "load/number.h"
#include "load/sheet_table.h"
#include "load/workbook_reader.h"

/* Townships named at most in the warning about townships without a row. */
#define MAX_LISTED 10

typedef struct {
  char *path;
  int month; /* 1..12 */
  kh_csv_table *table; /* NULL when unreadable */
  kh_diags *diags;     /* its problems, reported once it is loaded */
} month_file;

static void month_file_free(month_file *f) {
  g_free(f->path);
  kh_csv_free(f->table);
  kh_diags_free(f->diags);
  g_free(f);
}

static int compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static GPtrArray *sorted_names(const char *dir, kh_diags *diags) {
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  GError *err = NULL;
  GDir *d = g_dir_open(dir, 0, &err);
  if (!d) {
    kh_diags_add(diags, KH_ERROR, dir, 1, 1, NULL, "无法读取目录：%s", err->message);
    g_error_free(err);
    return names;
  }
  const char *name;
  while ((name = g_dir_read_name(d)))
    if (name[0] != '.') /* hidden files: editors' and systems' own */
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(d);
  g_ptr_array_sort(names, compare_names);
  return names;
}

/* The month files of the assessment year (of the first month file when
 * rules.ini gives no year), in name order; other entries are reported. */
static GPtrArray *list_month_files(const kh_dataset *ds, const char *dir,
                                   kh_diags *diags) {
  GPtrArray *files = g_ptr_array_new_with_free_func((GDestroyNotify)month_file_free);
  GPtrArray *names = sorted_names(dir, diags);
  month_file *of_month[13] = {0};
  int year = ds->rules.year;
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    char *path = g_build_filename(dir, name, NULL);
    gsize len = strlen(name);
    bool csv = len >= 4 && g_ascii_strcasecmp(name + len - 4, ".csv") == 0;
    bool workbook = kh_is_workbook_name(name);
    gsize ext = csv ? 4 : workbook ? strrchr(name, '.') - name : 0;
    int y = 0, m = 0;
    char *stem = csv || workbook ? g_strndup(name, csv ? len - 4 : ext) : NULL;
    if (kh_is_office_lock_file(name) || strcmp(name, "备份") == 0) {
      /* an office suite's lock or temporary file, or the folder where
       * kaohe import keeps the files it replaced: not data, said nowhere */
    } else if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "这是目录，已忽略");
    } else if (!csv && !workbook) {
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "不是 CSV 或 Excel 文件，已忽略");
    } else if ((csv && strcmp(name + len - 4, ".csv") != 0) || !kh_parse_month(stem, &y, &m)) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                   "文件名不是月份：应为 YYYY-MM.csv，如 2013-07.csv");
    } else if (year > 0 && y != year) {
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "不是 %d 年的月报，已忽略", year);
    } else if (of_month[m]) {
      char *first = g_path_get_basename(of_month[m]->path);
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                   "“%s”与“%s”是同一个月的两个文件：只能保留一个（已读取“%s”）", name, first,
                   first);
      g_free(first);
    } else {
      year = y;
      month_file *f = g_new0(month_file, 1);
      f->path = g_steal_pointer(&path);
      f->month = m;
      of_month[m] = f;
      g_ptr_array_add(files, f);
    }
    g_free(stem);
    g_free(path);
  }
  g_ptr_array_unref(names);
  return files;
}

/* Field lookups by id and by label (index + 1), kept in step with
 * ds->fields. */
typedef struct {
  GHashTable *by_id, *by_label;
} field_index;

static void index_field(field_index *fx, const kh_field *f, guint i) {
  g_hash_table_insert(fx->by_id, f->id, GUINT_TO_POINTER(i + 1));
  if (f->label && !g_hash_table_contains(fx->by_label, f->label))
    g_hash_table_insert(fx->by_label, f->label, GUINT_TO_POINTER(i + 1));
}

/* The field a header names, by id first and then by label; -1 if none. */
static int field_of(const field_index *fx, const char *header) {
  guint i = GPOINTER_TO_UINT(g_hash_table_lookup(fx->by_id, header));
  if (!i)
    i = GPOINTER_TO_UINT(g_hash_table_lookup(fx->by_label, header));
  return (int)i - 1;
}

static bool is_key_header(const char *h) {
  return strcmp(h, "township") == 0 || strcmp(h, "乡镇") == 0;
}

/* Values one month may hold (townships × fields, 8 bytes each): every month
 * keeps a full table, so a large registry and headers of many fields would
 * otherwise multiply into gigabytes. 100,000 townships by 50 fields. */
#define MAX_MONTH_VALUES 5000000

/* First pass: adds the identifier headers of the table not yet known; a
 * field past MAX_MONTH_VALUES is an error at its header (in diags). */
static void learn_fields(kh_dataset *ds, field_index *fx, const kh_csv_table *t,
                         kh_diags *diags) {
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  gint64 townships = MAX(kh_n_townships(ds), 1);
  for (int i = 0; i < hr->n_cells; i++) {
    const char *h = kh_csv_cell_at(t, hr, i)->text;
    if (field_of(fx, h) >= 0 || !kh_is_data_name(h))
      continue;
    if (townships * (kh_n_fields(ds) + 1) > MAX_MONTH_VALUES) {
      const kh_csv_cell *c = kh_csv_cell_at(t, hr, i);
      kh_csv_diag(t, diags, KH_ERROR, c->line, c->col,
                  "字段过多：%d 个乡镇 × %d 个字段超过每月 %d 个数值的上限，从“%s”起的字段未读取",
                  kh_n_townships(ds), kh_n_fields(ds) + 1, MAX_MONTH_VALUES, h);
      return;
    }
    kh_field *f = g_new0(kh_field, 1);
    f->id = g_strdup(h);
    g_ptr_array_add(ds->fields, f);
    index_field(fx, f, ds->fields->len - 1);
  }
}

/* Second pass, the header: fills field_of_col (-1: not a field) and
 * returns the township column, or -1 (reported). */
static int map_header(const kh_csv_table *t, const field_index *fx,
                      int *field_of_col, kh_diags *diags) {
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  int key_col = -1;
  GHashTable *seen = g_hash_table_new(NULL, NULL); /* field + 1 → col + 1 */
  for (int i = 0; i < hr->n_cells; i++) {
    const kh_csv_cell *c = kh_csv_cell_at(t, hr, i);
    field_of_col[i] = -1;
    if (!c->text[0]) {
      kh_csv_diag(t, diags, KH_WARNING, c->line, c->col, "第 %d 列没有表头，已忽略", i + 1);
    } else if (is_key_header(c->text)) {
      if (key_col >= 0)
        kh_csv_diag(t, diags, KH_ERROR, c->line, c->col,
                    "列“%s”重复（第 %d 列已是乡镇列）", c->text, key_col + 1);
      else
        key_col = i;
    } else {
      int f = field_of(fx, c->text);
      int other = f >= 0 ? GPOINTER_TO_INT(g_hash_table_lookup(seen, GINT_TO_POINTER(f + 1))) : 0;
      if (f < 0) {
        kh_csv_diag(t, diags, KH_WARNING, c->line, c->col, "未知列“%s”，已忽略", c->text);
      } else if (other) {
        kh_csv_diag(t, diags, KH_ERROR, c->line, c->col,
                    "字段重复：“%s”与第 %d 列“%s”是同一字段", c->text, other,
                    kh_csv_cell_at(t, hr, other - 1)->text);
      } else {
        g_hash_table_insert(seen, GINT_TO_POINTER(f + 1), GINT_TO_POINTER(i + 1));
        field_of_col[i] = f;
      }
    }
  }
  g_hash_table_destroy(seen);
  if (key_col < 0)
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "缺少乡镇列（township 或 乡镇）");
  return key_col;
}

/* The township a key cell names (index), or -1 (reported). */
static int township_of(const kh_dataset *ds, const kh_registry *reg,
                       const kh_csv_table *t, const kh_csv_cell *c, kh_diags *diags) {
  if (!c->text[0]) {
    kh_csv_diag(t, diags, KH_ERROR, c->line, c->col, "乡镇为空");
    return -1;
  }
  guint by_code = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_code, c->text));
  guint by_name = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_name, c->text));
  if (by_code && by_name && by_code != by_name) {
    kh_csv_diag(t, diags, KH_ERROR, c->line, c->col,
                "乡镇“%s”有歧义：既是“%s”的代码，又是另一乡镇的名称", c->text,
                kh_township_at(ds, (int)by_code - 1)->name);
    return -1;
  }
  if (!by_code && !by_name) {
    kh_csv_diag(t, diags, KH_ERROR, c->line, c->col,
                "未知乡镇“%s”（登记表中没有此代码或名称）", c->text);
    return -1;
  }
  return (int)(by_code ? by_code : by_name) - 1;
}

static void warn_missing_rows(const kh_dataset *ds, const kh_csv_table *t,
                              const int *row_line, kh_diags *diags) {
  GString *names = g_string_new(NULL);
  int missing = 0;
  for (int i = 0; i < kh_n_townships(ds); i++) {
    if (row_line[i])
      continue;
    if (++missing <= MAX_LISTED)
      g_string_append_printf(names, "%s“%s”", missing > 1 ? "、" : "",
                             kh_township_at(ds, i)->name);
  }
  if (missing)
    kh_diags_add(diags, KH_WARNING, t->path, 1, 1, NULL, "本月缺少 %d 个乡镇的数据行：%s%s", missing,
                names->str, missing > MAX_LISTED ? "等" : "");
  g_string_free(names, TRUE);
}

/* Second pass: one file's rows into md. */
static void load_rows(const kh_dataset *ds, const kh_registry *reg,
                      const kh_csv_table *t, const field_index *fx,
                      kh_month_data *md, kh_diags *diags) {
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  int *field_of_col = g_new(int, hr->n_cells);
  int key_col = map_header(t, fx, field_of_col, diags);
  int nf = kh_n_fields(ds);
  for (guint r = 1; r < t->rows->len; r++) {
    const kh_csv_row *row = kh_csv_row_at(t, r);
    int tw = -1;
    /* Without a registry every key would be unknown: that is said once,
     * about townships.csv. */
    if (key_col >= 0 && kh_n_townships(ds) > 0) {
      const kh_csv_cell *key = kh_csv_cell_at(t, row, key_col);
      tw = township_of(ds, reg, t, key, diags);
      if (tw >= 0 && md->row_line[tw]) {
        kh_csv_diag(t, diags, KH_ERROR, key->line, key->col,
                    "乡镇“%s”在本月出现两次（另见第 %d 行）", key->text, md->row_line[tw]);
        tw = -1;
      } else if (tw >= 0) {
        md->row_line[tw] = key->line;
      }
    }
    for (int i = 0; i < row->n_cells; i++) {
      if (field_of_col[i] < 0)
        continue;
      const kh_csv_cell *c = kh_csv_cell_at(t, row, i);
      double v;
      bool negative;
      kh_number_status st = kh_number_parse(c->text, &v, &negative);
      const char *header = kh_csv_cell_at(t, hr, i)->text;
      if (st == KH_NUMBER_INVALID)
        kh_csv_diag(t, diags, KH_ERROR, c->line, c->col, "不是有效数值：“%s”（列“%s”）",
                    c->text, header);
      else if (st == KH_NUMBER_OK && negative)
        kh_csv_diag(t, diags, KH_ERROR, c->line, c->col, "数值不能为负：“%s”（列“%s”）",
                    c->text, header);
      else if (st == KH_NUMBER_OK && tw >= 0)
        md->values[tw * nf + field_of_col[i]] = v;
      if (st == KH_NUMBER_OK && kh_csv_cell_is_percent(t, c))
        kh_csv_diag(t, diags, KH_WARNING, c->line, c->col,
                    "单元格设为百分比格式，但字段“%s”是数量：按存储的数值 %s 读取", header,
                    c->text);
    }
  }
  if (key_col >= 0 && !t->truncated)
    warn_missing_rows(ds, t, md->row_line, diags);
  g_free(field_of_col);
}

void kh_monthly_load(kh_dataset *ds, const kh_registry *reg, kh_diags *diags) {
  char *dir = g_build_filename(ds->dir, "monthly", NULL);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    kh_diags_add(diags, KH_WARNING, dir, 1, 1, NULL, "没有 monthly 目录：还没有任何月报");
    g_free(dir);
    return;
  }
  GPtrArray *files = list_month_files(ds, dir, diags);
  g_free(dir);

  field_index fx = {g_hash_table_new(g_str_hash, g_str_equal),
                    g_hash_table_new(g_str_hash, g_str_equal)};
  for (guint i = 0; i < ds->fields->len; i++)
    index_field(&fx, g_ptr_array_index(ds->fields, i), i);
  for (guint i = 0; i < files->len; i++) {
    month_file *f = g_ptr_array_index(files, i);
    f->diags = kh_diags_new();
    f->table = kh_table_read(f->path, f->diags);
    if (f->table && f->table->rows->len > 0)
      learn_fields(ds, &fx, f->table, f->diags);
  }

  int nt = kh_n_townships(ds), nf = kh_n_fields(ds);
  for (guint i = 0; i < files->len; i++) {
    month_file *f = g_ptr_array_index(files, i);
    if (!f->table) {
      kh_csv_append_diags(diags, f->diags);
      continue;
    }
    kh_month_data *md = &ds->months[f->month - 1];
    md->present = true;
    md->path = g_strdup(f->path);
    md->row_line = g_new0(int, nt + 1);
    md->values = g_new(double, (gsize)nt * (gsize)nf + 1);
    for (gsize k = 0; k < (gsize)nt * (gsize)nf; k++)
      md->values[k] = NAN;
    if (f->table->rows->len > 0)
      load_rows(ds, reg, f->table, &fx, md, f->diags);
    else if (!f->table->truncated)
      kh_diags_add(f->diags, KH_ERROR, f->path, 1, 1, NULL, "文件为空：应有表头和每个乡镇一行");
    kh_csv_append_diags(diags, f->diags);
  }
  g_hash_table_destroy(fx.by_id);
  g_hash_table_destroy(fx.by_label);
  g_ptr_array_unref(files);
}
