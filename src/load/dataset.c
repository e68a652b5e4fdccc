/* Loading a dataset folder (docs/reference/dataset.md) and checking a month before it is
 * assessed.
 *
 * The order matters: rules.ini first (it declares fields and their Chinese
 * labels, which the monthly headers may use), then townships.csv (the
 * attributes), then the monthly files (which may add fields), then the
 * checks across files, then the formulas, which can only be parsed once
 * every name is known, and last the attribute cells that those formulas
 * turned out to use. */
#include "kaohe/load.h"

#include <math.h>
#include <string.h>

#include "load/dataset_parts.h"
#include "load/formula.h"
#include "load/rules.h"

static void township_free(kh_township *t) {
  g_free(t->code);
  g_free(t->name);
  g_free(t->email);
  g_free(t->contact);
  g_free(t);
}

static void field_free(kh_field *f) {
  g_free(f->id);
  g_free(f->label);
  g_free(f->help);
  g_free(f);
}

/* A name may not be both an attribute and a field (docs/reference/dataset.md): reported at
 * the attribute's header in townships.csv. */
static void check_name_clashes(const kh_dataset *ds, const kh_registry *reg,
                               kh_diags *diags) {
  GHashTable *fields = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint f = 0; f < ds->fields->len; f++) {
    kh_field *fd = g_ptr_array_index(ds->fields, f);
    g_hash_table_insert(fields, fd->id, fd);
  }
  for (guint a = 0; a < ds->attr_names->len; a++) {
    const char *name = g_ptr_array_index(ds->attr_names, a);
    const kh_field *fd = g_hash_table_lookup(fields, name);
    if (!fd)
      continue;
    guint cell = g_array_index(reg->attr_headers, guint, a);
    const kh_csv_cell *c = &g_array_index(reg->table->cells, kh_csv_cell, cell);
    kh_csv_cell_diag(reg->table, diags, KH_ERROR, c,
                     "属性“%s”与字段同名（%s）", name,
                     fd->declared ? "rules.ini 中已声明此字段" : "月报中有此列");
  }
  g_hash_table_destroy(fields);
}

static guint count_of(const kh_diags *d, kh_severity sev) {
  guint n = 0;
  for (guint i = 0; i < d->items->len; i++)
    n += ((const kh_diag *)g_ptr_array_index(d->items, i))->severity == sev;
  return n;
}

/* Appends every diagnostic of `from` to `to`, in their order. */
static void append_in_order(kh_diags *to, const kh_diags *from) {
  for (guint i = 0; i < from->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(from->items, i);
    kh_diags_add(to, d->severity, d->file, d->line, d->col, d->source_line, "%s",
                 d->message);
  }
  /* Those past the list's cap were only counted. */
  to->n_errors += from->n_errors - (int)count_of(from, KH_ERROR);
  to->n_warnings += from->n_warnings - (int)count_of(from, KH_WARNING);
}

/* Township-indicator pairs a dataset may have: every assessed month keeps a
 * result for each pair and its documents describe each one, so memory grows
 * with the product (the score JSON takes about 2 KB a pair). A million is
 * 100,000 townships by 10 indicators, or 5,000 by 200. */
#define MAX_ASSESSED_PAIRS 1000000

static void check_size(const kh_dataset *ds, kh_diags *diags) {
  gint64 pairs = (gint64)kh_n_townships(ds) * kh_n_indicators(ds);
  if (pairs <= MAX_ASSESSED_PAIRS)
    return;
  char *path = g_build_filename(ds->dir, "townships.csv", NULL);
  kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
               "数据规模超过上限：%d 个乡镇 × %d 项指标 = %" G_GINT64_FORMAT
               " 个考评项，上限 %d 个",
               kh_n_townships(ds), kh_n_indicators(ds), pairs, MAX_ASSESSED_PAIRS);
  g_free(path);
}

kh_dataset *kh_dataset_load(const char *dir, kh_diags *diags) {
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    kh_diags_add(diags, KH_ERROR, dir, 1, 1, NULL,
                 g_file_test(dir, G_FILE_TEST_EXISTS) ? "数据集应是一个目录"
                                                      : "数据集目录不存在");
    return NULL;
  }
  kh_dataset *ds = g_new0(kh_dataset, 1);
  ds->dir = g_strdup(dir);
  ds->rules_path = g_build_filename(dir, "rules.ini", NULL);
  ds->townships = g_ptr_array_new_with_free_func((GDestroyNotify)township_free);
  ds->attr_names = g_ptr_array_new_with_free_func(g_free);
  ds->fields = g_ptr_array_new_with_free_func((GDestroyNotify)field_free);

  int errors_before = diags->n_errors;
  bool rules_read = kh_rules_read(ds, ds->rules_path, diags);
  /* A weight that could not be read would make the sum wrong: said once. */
  if (rules_read && diags->n_errors == errors_before)
    kh_rules_check_weights(ds, diags);
  kh_registry reg = {0};
  kh_registry_load(ds, &reg, diags);
  if (rules_read)
    check_size(ds, diags);
  kh_monthly *mon = kh_monthly_load(ds, &reg, diags);
  /* Found after the monthly files' checks, reported after their problems. */
  kh_diags *later = kh_diags_new();
  check_name_clashes(ds, &reg, later);
  if (rules_read) {
    bool *used_attrs = g_new0(bool, kh_n_attrs(ds) + 1);
    kh_rules_compile(ds, used_attrs, later);
    kh_registry_report_bad_attrs(ds, &reg, used_attrs, later);
    g_free(used_attrs);
  }
  kh_monthly_finish(ds, mon, rules_read, diags);
  append_in_order(diags, later);
  kh_diags_free(later);
  kh_registry_clear(&reg);
  return ds;
}

void kh_dataset_free(kh_dataset *ds) {
  if (!ds)
    return;
  kh_rules_clear(&ds->rules);
  g_ptr_array_unref(ds->townships);
  g_ptr_array_unref(ds->attr_names);
  g_ptr_array_unref(ds->fields);
  g_free(ds->attrs);
  for (int m = 0; m < 12; m++) {
    g_free(ds->months[m].path);
    g_free(ds->months[m].row_line);
    g_free(ds->months[m].values);
    g_free(ds->months[m].places);
    g_free(ds->months[m].key_places);
    g_free(ds->months[m].field_column);
  }
  g_free(ds->dir);
  g_free(ds->rules_path);
  g_free(ds);
}

/* ---- a month to be assessed ---------------------------------------------- */

/* The month's file, or where it would be (as .csv) when there is none. */
static char *month_path(const kh_dataset *ds, int month) {
  if (ds->months[month - 1].present)
    return g_strdup(ds->months[month - 1].path);
  char *name = g_strdup_printf("%04d-%02d.csv", ds->rules.year, month);
  char *path = g_build_filename(ds->dir, "monthly", name, NULL);
  g_free(name);
  return path;
}

/* Whether some township with a row in md has ytd field f; a field with no
 * value at all in a month is reported once for the month instead of once
 * per township. */
static bool field_reported(const kh_dataset *ds, const kh_month_data *md, int f) {
  for (int t = 0; t < kh_n_townships(ds); t++)
    if (kh_month_has_row(md, t) && !isnan(md->values[t * kh_n_fields(ds) + f]))
      return true;
  return false;
}

/* Months before `month` whose data a year-to-date indicator lacks: absent
 * files, fields without any value, and per township, rows or cells.
 * ytd[f] is the first month summed of field f (0: not summed). */
static void warn_ytd_gaps(const kh_dataset *ds, int month, const int *ytd,
                          kh_diags *diags) {
  int first_summed = 13;
  for (int f = 0; f < kh_n_fields(ds); f++)
    if (ytd[f])
      first_summed = MIN(first_summed, ytd[f]);
  int nf = kh_n_fields(ds), nt = kh_n_townships(ds);
  bool *whole = g_new0(bool, 12 * nf + 1); /* [m * nf + f]: empty in month m */
  char *assessed = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  for (int m = first_summed; m < month; m++) {
    const kh_month_data *md = &ds->months[m - 1];
    char *path = month_path(ds, m);
    if (!md->present)
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL,
                   "缺少 %04d-%02d 的月报：累计（ytd）指标在 %s 将缺失",
                   ds->rules.year, m, assessed);
    for (int f = 0; md->present && f < nf; f++) {
      if (!ytd[f] || m < ytd[f] || field_reported(ds, md, f))
        continue;
      whole[(m - 1) * nf + f] = true;
      kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL,
                   "本月没有字段“%s”的数据：累计（ytd）指标在 %s 将缺失",
                   kh_field_label(kh_field_at(ds, f)), assessed);
    }
    g_free(path);
  }
  for (int t = 0; t < nt; t++) {
    GString *months = g_string_new(NULL);
    int first = 0;
    for (int m = first_summed; m < month; m++) {
      const kh_month_data *md = &ds->months[m - 1];
      bool gap = md->present && !kh_month_has_row(md, t);
      for (int f = 0; md->present && !gap && f < nf; f++)
        gap = ytd[f] && m >= ytd[f] && !whole[(m - 1) * nf + f] &&
              isnan(md->values[t * nf + f]);
      if (!gap)
        continue;
      if (!first)
        first = m;
      g_string_append_printf(months, "%s%04d-%02d", months->len ? "、" : "", ds->rules.year, m);
    }
    if (first) { /* at its row with an empty cell, or the header when it has none */
      char *path = month_path(ds, first);
      int line = ds->months[first - 1].row_line[t];
      kh_diags_add(diags, KH_WARNING, path, line > 0 ? line : 1, 1, NULL,
                   "乡镇“%s”缺少 %s 的数据：累计（ytd）指标在 %s 将缺失",
                   kh_township_at(ds, t)->name, months->str, assessed);
      g_free(path);
    }
    g_string_free(months, TRUE);
  }
  g_free(assessed);
  g_free(whole);
}

bool kh_dataset_check_month(const kh_dataset *ds, int month, kh_diags *diags) {
  if (month < 1 || month > 12) {
    kh_diags_add(diags, KH_ERROR, ds->rules_path, 1, 1, NULL,
                 "月份 %d 不在 %d 年之内（应为 1–12）", month, ds->rules.year);
    return false;
  }
  if (!ds->months[month - 1].present) {
    char *path = month_path(ds, month);
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "缺少 %04d-%02d 的月报文件",
                 ds->rules.year, month);
    g_free(path);
    return false;
  }
  /* ytd[f]: the first month an indicator in force sums f from (its
   * `from`), 0 when none sums it. */
  int nf = kh_n_fields(ds);
  int *ytd = g_new0(int, nf + 1);
  bool *reads = g_new(bool, nf + 1);
  bool any = false;
  for (int i = 0; i < kh_n_indicators(ds); i++) {
    const kh_indicator *ind = kh_indicator_at(ds, i);
    if (!kh_indicator_in_force(ind, month))
      continue;
    memset(reads, 0, sizeof *reads * (nf + 1));
    kh_expr_ytd_fields(ind->value, reads);
    kh_expr_ytd_fields(ind->target, reads);
    for (int f = 0; f < nf; f++)
      if (reads[f]) {
        int first = MAX(ind->from_month, 1);
        ytd[f] = ytd[f] ? MIN(ytd[f], first) : first;
        any = true;
      }
  }
  if (any)
    warn_ytd_gaps(ds, month, ytd, diags);
  g_free(reads);
  g_free(ytd);
  return true;
}

/* ---- YYYY-MM and YYYYQn ------------------------------------------------ */

static bool digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!g_ascii_isdigit(s[i]))
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool kh_parse_month(const char *s, int *year, int *month) {
  int y, m;
  if (strlen(s) != 7 || s[4] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
      y < 1 || m < 1 || m > 12)
    return false;
  *year = y;
  *month = m;
  return true;
}

bool kh_parse_date(const char *s, int *year, int *month, int *day) {
  int y, m, d;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
      !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d) || y < 1 || m < 1 || m > 12 || d < 1 ||
      !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return false;
  *year = y, *month = m, *day = d;
  return true;
}

bool kh_parse_quarter(const char *s, int *year, int *quarter) {
  int y, q;
  if (strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') || !digits(s, 4, &y) ||
      !digits(s + 5, 1, &q) || y < 1 || q < 1 || q > 4)
    return false;
  *year = y;
  *quarter = q;
  return true;
}
