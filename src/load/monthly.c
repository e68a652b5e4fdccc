/* monthly/YYYY-MM.csv (or .xlsx, .xls), the townships' monthly reports
 * (docs/reference/dataset.md, §2.4).
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
#include "load/similar.h"
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
 * rules.ini gives no year), in name order: YYYY-MM.csv, YYYY-MM.txt
 * (tab-separated text, docs/reference/dataset.md), YYYY-MM.xlsx or .xls (docs/reference/spreadsheet-inputs.md); office
 * lock files and the import's 备份 folder are passed over; other entries are
 * reported, and so is a second file for one month. */
static GPtrArray *list_month_files(const kh_dataset *ds, const char *dir,
                                   kh_diags *diags) {
  GPtrArray *files = g_ptr_array_new_with_free_func((GDestroyNotify)month_file_free);
  GPtrArray *names = sorted_names(dir, diags);
  int year = ds->rules.year;
  const char *seen[12] = {NULL}; /* the file taken for each month */
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    char *path = g_build_filename(dir, name, NULL);
    int y = 0, m = 0;
    const char *dot = strrchr(name, '.');
    const char *ext = dot ? dot : "";
    bool text = g_ascii_strcasecmp(ext, ".csv") == 0 || g_ascii_strcasecmp(ext, ".txt") == 0;
    bool workbook = kh_is_workbook_name(name);
    char *stem = dot ? g_strndup(name, (gsize)(dot - name)) : NULL;
    bool named_month = stem && kh_parse_month(stem, &y, &m);
    if (kh_is_office_lock_file(name) || strcmp(name, "备份") == 0) {
      /* an office suite's lock or temporary file, or the folder where
       * kaohe import keeps the files it replaced: not data, said nowhere */
    } else if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "这是目录，已忽略");
    } else if ((!text && !workbook) || (g_ascii_strcasecmp(ext, ".txt") == 0 && !named_month)) {
      /* notes.txt and the like: a .txt is a month only when named as one */
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "不是 CSV 或 Excel 文件，已忽略");
    } else if ((text && strcmp(ext, ".csv") != 0 && strcmp(ext, ".txt") != 0) || !named_month) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                   "文件名不是月份：应为 YYYY-MM.csv，如 2013-07.csv");
    } else if (year > 0 && y != year) {
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "不是 %d 年的月报，已忽略", year);
    } else if (seen[m - 1]) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "同一个月有两个文件：%s 和 %s，只能留一个",
                   seen[m - 1], name);
    } else {
      year = y;
      seen[m - 1] = name;
      month_file *f = g_new0(month_file, 1);
      f->path = g_steal_pointer(&path);
      f->month = m;
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
      kh_csv_cell_diag(t, diags, KH_ERROR, c,
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

/* The field label or id nearest to an unknown header, at edit distance 2
 * or less ("身份证 号码重复数" for 身份证号码重复数); NULL when none. */
static const char *nearest_field(const kh_dataset *ds, const char *header) {
  const char *best = NULL;
  int best_d = 3;
  for (int f = 0; f < kh_n_fields(ds); f++) {
    const kh_field *fd = kh_field_at(ds, f);
    const char *names[] = {fd->label, fd->id};
    for (int k = 0; k < 2; k++) {
      int d = names[k] ? kh_edit_distance(header, names[k], 2) : 3;
      if (d < best_d) {
        best_d = d;
        best = names[k];
      }
    }
  }
  return best;
}

/* Second pass, the header: fills field_of_col (-1: not a field) and
 * returns the township column, or -1 (reported). */
static int map_header(const kh_dataset *ds, const kh_csv_table *t, const field_index *fx,
                      int *field_of_col, kh_diags *diags) {
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  int key_col = -1;
  GHashTable *seen = g_hash_table_new(NULL, NULL); /* field + 1 → col + 1 */
  for (int i = 0; i < hr->n_cells; i++) {
    const kh_csv_cell *c = kh_csv_cell_at(t, hr, i);
    field_of_col[i] = -1;
    if (!c->text[0]) {
      kh_csv_cell_diag(t, diags, KH_WARNING, c,
                       "第 %d 列没有表头，已忽略", i + 1);
    } else if (is_key_header(c->text)) {
      if (key_col >= 0)
        kh_csv_cell_diag(t, diags, KH_ERROR, c,
                         "列“%s”重复（第 %d 列已是乡镇列）", c->text, key_col + 1);
      else
        key_col = i;
    } else {
      int f = field_of(fx, c->text);
      int other = f >= 0 ? GPOINTER_TO_INT(g_hash_table_lookup(seen, GINT_TO_POINTER(f + 1))) : 0;
      if (f < 0) {
        const char *near = nearest_field(ds, c->text);
        char *hint = near ? g_strdup_printf("；是不是“%s”？", near) : g_strdup("");
        kh_csv_cell_diag(t, diags, KH_WARNING, c, "未知列“%s”，已忽略%s", c->text, hint);
        g_free(hint);
      } else if (other) {
        kh_csv_cell_diag(t, diags, KH_ERROR, c,
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

/* Cells of one file read in a forgiving way: the first, and how many. */
typedef struct {
  const kh_csv_cell *first;
  int count;
} forgiven_cells;

/* The township a key cell names (index), or -1 (reported). A code that
 * lost its leading zeros is counted in zeros. */
static int township_of(const kh_dataset *ds, const kh_registry *reg, const kh_csv_table *t,
                       const kh_csv_cell *c, forgiven_cells *zeros, kh_diags *diags) {
  if (!c->text[0]) {
    kh_csv_cell_diag(t, diags, KH_ERROR, c, "乡镇为空");
    return -1;
  }
  guint by_code = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_code, c->text));
  guint by_name = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_name, c->text));
  if (by_code && by_name && by_code != by_name) {
    kh_csv_cell_diag(t, diags, KH_ERROR, c,
                     "乡镇“%s”有歧义：既是“%s”的代码，又是另一乡镇的名称", c->text,
                     kh_township_at(ds, (int)by_code - 1)->name);
    return -1;
  }
  if (!by_code && !by_name) {
    int by_zeros = kh_registry_match_zeros(ds, c->text);
    if (by_zeros >= 0) {
      if (!zeros->first)
        zeros->first = c;
      zeros->count++;
      return by_zeros;
    }
    char *near = kh_registry_suggest(ds, c->text);
    char *hint = near ? g_strdup_printf("，是不是“%s”？", near) : g_strdup("");
    kh_csv_cell_diag(t, diags, KH_ERROR, c, "未知乡镇“%s”（登记表中没有此代码或名称）%s",
                     c->text, hint);
    g_free(hint);
    g_free(near);
    return -1;
  }
  return (int)(by_code ? by_code : by_name) - 1;
}

/* Keys read as codes that lost their leading zeros: said once a file, at
 * the first. */
static void warn_zeros(const kh_dataset *ds, const kh_csv_table *t, const forgiven_cells *z,
                       kh_diags *diags) {
  if (!z->first)
    return;
  const kh_township *tw = kh_township_at(ds, kh_registry_match_zeros(ds, z->first->text));
  kh_csv_cell_diag(t, diags, KH_WARNING, z->first,
                   "乡镇代码“%s”按“%s”（%s）读取：Excel 会去掉代码开头的 0（本文件共 %d 处这样读取）",
                   z->first->text, tw->code, tw->name, z->count);
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

/* A 合计/总计/全县 row is no township: it is said so at its key, and each
 * of its numbers is checked against the sum of the township rows read
 * (docs/reference/dataset.md). */
static void check_total(const kh_dataset *ds, const kh_csv_table *t, const kh_csv_row *row,
                        int key_col, const int *field_of_col, const kh_month_data *md,
                        kh_diags *diags) {
  const kh_csv_cell *key = kh_csv_cell_at(t, row, key_col);
  kh_csv_cell_diag(t, diags, KH_WARNING, key, "“%s”行不是乡镇，已跳过（各列已与各乡镇之和核对）",
                   key->text);
  int nf = kh_n_fields(ds);
  for (int i = 0; i < row->n_cells; i++) {
    int f = field_of_col[i];
    const kh_csv_cell *c = kh_csv_cell_at(t, row, i);
    char *ascii = kh_number_ascii(c->text);
    double total, sum = 0;
    bool negative;
    kh_number_status st = kh_number_parse(ascii ? ascii : c->text, &total, &negative);
    g_free(ascii);
    if (f < 0 || st != KH_NUMBER_OK || negative)
      continue;
    for (int tw = 0; tw < kh_n_townships(ds); tw++)
      if (md->row_line[tw] && !isnan(md->values[tw * nf + f]))
        sum += md->values[tw * nf + f];
    if (fabs(total - sum) <= 1e-9 * MAX(1.0, fabs(sum)))
      continue;
    char *a = kh_number_grouped(total), *b = kh_number_grouped(sum);
    kh_csv_cell_diag(t, diags, KH_WARNING, c, "“%s”行的“%s”为 %s，各乡镇之和为 %s", key->text,
                     kh_field_label(kh_field_at(ds, f)), a, b);
    g_free(a);
    g_free(b);
  }
}

/* Second pass: one file's rows into md. */
static void load_rows(const kh_dataset *ds, const kh_registry *reg,
                      const kh_csv_table *t, const field_index *fx,
                      kh_month_data *md, kh_diags *diags) {
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  int *field_of_col = g_new(int, hr->n_cells);
  int key_col = map_header(ds, t, fx, field_of_col, diags);
  int nf = kh_n_fields(ds);
  forgiven_cells zeros = {NULL, 0};
  forgiven_cells full_width = {NULL, 0}; /* cells read with full-width digits */
  GPtrArray *totals = g_ptr_array_new(); /* kh_csv_row*: 合计 rows, checked last */
  md->header_line = hr->line;
  for (int i = 0; i < hr->n_cells; i++)
    if (field_of_col[i] >= 0)
      md->field_column[field_of_col[i]] = i;
  for (guint r = 1; r < t->rows->len; r++) {
    const kh_csv_row *row = kh_csv_row_at(t, r);
    int tw = -1;
    /* Without a registry every key would be unknown: that is said once,
     * about townships.csv. */
    if (key_col >= 0 && kh_n_townships(ds) > 0) {
      const kh_csv_cell *key = kh_csv_cell_at(t, row, key_col);
      kh_row_kind kind = kh_row_kind_of(key->text);
      if (kind == KH_ROW_TOTAL) {
        g_ptr_array_add(totals, (gpointer)row);
        continue;
      }
      if (kind == KH_ROW_SUBTOTAL) {
        kh_csv_cell_diag(t, diags, KH_WARNING, key, "“%s”行不是乡镇，已跳过（不核对）", key->text);
        continue;
      }
      tw = township_of(ds, reg, t, key, &zeros, diags);
      if (tw >= 0 && md->row_line[tw]) {
        kh_csv_cell_diag(t, diags, KH_ERROR, key,
                         "乡镇“%s”在本月出现两次（另见第 %d 行）", key->text, md->row_line[tw]);
        tw = -1;
      } else if (tw >= 0) {
        md->row_line[tw] = key->line;
        md->key_places[tw] = (kh_place){key->line, key->col, row->record, key_col};
      }
    }
    for (int i = 0; i < row->n_cells; i++) {
      if (field_of_col[i] < 0)
        continue;
      const kh_csv_cell *c = kh_csv_cell_at(t, row, i);
      double v;
      bool negative;
      char *ascii = kh_number_ascii(c->text);
      kh_number_status st = kh_number_parse(ascii ? ascii : c->text, &v, &negative);
      if (ascii && st == KH_NUMBER_OK) {
        if (!full_width.first)
          full_width.first = c;
        full_width.count++;
      }
      g_free(ascii);
      const char *header = kh_csv_cell_at(t, hr, i)->text;
      if (st == KH_NUMBER_INVALID)
        kh_csv_cell_diag(t, diags, KH_ERROR, c,
                         "不是有效数值：“%s”（列“%s”）",
                         c->text, header);
      else if (st == KH_NUMBER_OK && negative)
        kh_csv_cell_diag(t, diags, KH_ERROR, c,
                         "数值不能为负：“%s”（列“%s”）",
                         c->text, header);
      else if (st == KH_NUMBER_OK && tw >= 0)
        md->values[tw * nf + field_of_col[i]] = v;
      /* A cell that is not a number is an error of its own: marked (line
       * -1) so it is not also taken for an empty one. */
      bool bad = st == KH_NUMBER_INVALID || (st == KH_NUMBER_OK && negative);
      if (tw >= 0)
        md->places[tw * nf + field_of_col[i]] =
            (kh_place){bad ? -1 : c->line, c->col, row->record, i};
      if (st == KH_NUMBER_OK && kh_csv_cell_is_percent(t, c))
        kh_csv_diag(t, diags, KH_WARNING, c->line, c->col,
                    "单元格设为百分比格式，但字段“%s”是数量：按存储的数值 %s 读取", header,
                    c->text);
    }
  }
  for (guint k = 0; k < totals->len; k++)
    check_total(ds, t, g_ptr_array_index(totals, k), key_col, field_of_col, md, diags);
  g_ptr_array_unref(totals);
  warn_zeros(ds, t, &zeros, diags);
  if (full_width.first)
    kh_csv_cell_diag(t, diags, KH_WARNING, full_width.first,
                     "“%s”中的全角数字或标点已按半角读取（本文件共 %d 格这样读取）",
                     full_width.first->text, full_width.count);
  if (key_col >= 0 && !t->truncated)
    warn_missing_rows(ds, t, md->row_line, diags);
  g_free(field_of_col);
}

struct kh_monthly {
  GPtrArray *files; /* month_file*, name order */
};

kh_monthly *kh_monthly_load(kh_dataset *ds, const kh_registry *reg, kh_diags *diags) {
  char *dir = g_build_filename(ds->dir, "monthly", NULL);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    kh_diags_add(diags, KH_WARNING, dir, 1, 1, NULL, "没有 monthly 目录：还没有任何月报");
    g_free(dir);
    return NULL;
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
    static const char *const keys[] = {"township", "乡镇", NULL};
    f->table = kh_table_read(f->path, keys, f->diags);
    if (f->table && f->table->rows->len > 0)
      learn_fields(ds, &fx, f->table, f->diags);
  }

  int nt = kh_n_townships(ds), nf = kh_n_fields(ds);
  for (guint i = 0; i < files->len; i++) {
    month_file *f = g_ptr_array_index(files, i);
    if (!f->table)
      continue;
    kh_month_data *md = &ds->months[f->month - 1];
    md->present = true;
    md->path = g_strdup(f->path);
    md->row_line = g_new0(int, nt + 1);
    md->values = g_new(double, (gsize)nt * (gsize)nf + 1);
    for (gsize k = 0; k < (gsize)nt * (gsize)nf; k++)
      md->values[k] = NAN;
    md->places = g_new0(kh_place, (gsize)nt * (gsize)nf + 1);
    md->key_places = g_new0(kh_place, nt + 1);
    md->field_column = g_new(int, nf + 1);
    for (int k = 0; k < nf; k++)
      md->field_column[k] = -1;
    if (f->table->rows->len > 0)
      load_rows(ds, reg, f->table, &fx, md, f->diags);
    else if (!f->table->truncated)
      kh_diags_add(f->diags, KH_ERROR, f->path, 1, 1, NULL, "文件为空：应有表头和每个乡镇一行");
  }
  g_hash_table_destroy(fx.by_id);
  g_hash_table_destroy(fx.by_label);
  kh_monthly *mon = g_new0(kh_monthly, 1);
  mon->files = files;
  return mon;
}

void kh_monthly_finish(kh_dataset *ds, kh_monthly *mon, bool compiled, kh_diags *diags) {
  if (!mon)
    return;
  for (guint i = 0; i < mon->files->len; i++) {
    month_file *f = g_ptr_array_index(mon->files, i);
    kh_month_data *md = &ds->months[f->month - 1];
    if (compiled && f->table && md->present && f->table->rows->len > 0)
      kh_month_checks(ds, f->month, f->table, f->diags);
    kh_csv_append_diags(diags, f->diags);
  }
  g_ptr_array_unref(mon->files);
  g_free(mon);
}
