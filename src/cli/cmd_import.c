/* kaohe import DATASET YYYY-MM FILE... [--replace]: returned forms,
 * collection workbooks and CSV files merged into monthly/YYYY-MM.csv
 * (docs/reference/forms.md).
 *
 * Each file is read and checked on its own (returned.h); a file with an
 * error is not imported, the others are. The month starts from what its
 * file holds now (whatever its format); a township already there with
 * different values is a refusal of that file unless --replace, which then
 * lists every value it changes. When nothing changes nothing is written,
 * so importing the same files again changes nothing; otherwise the new
 * file is written atomically and the old one moved to monthly/备份/
 * (deliver/month_file.h). The townships still missing are named last. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kaohe/deliver.h"
#include "kaohe/load.h"

/* Townships named at most in a list. */
#define MAX_LISTED 20

typedef struct {
  const kh_dataset *ds;
  int nf;
  bool *has;
  double *values;
  bool replace, changed;
} month_state;

static const char *label_of(const kh_dataset *ds, int f) {
  const kh_field *fd = g_ptr_array_index(ds->fields, f);
  return fd->label ? fd->label : fd->id;
}

static char *value_text(double v) { return isnan(v) ? g_strdup("空") : kh_sheet_number_text(v); }

static bool differs(double a, double b) { return isnan(a) != isnan(b) || (!isnan(a) && a != b); }

/* The values of the file's rows that differ from the month's, as
 * "城关镇“出生男婴数”：53 → 55" lines; NULL when none. */
static GString *differences(const month_state *m, const kh_returned *r) {
  GString *s = NULL;
  for (guint i = 0; i < r->rows->len; i++) {
    const kh_returned_row *row = &g_array_index(r->rows, kh_returned_row, i);
    if (!m->has[row->township])
      continue;
    for (int f = 0; f < m->nf; f++) {
      double old = m->values[row->township * m->nf + f];
      if (!r->covered[f] || !differs(old, row->values[f]))
        continue;
      if (!s)
        s = g_string_new(NULL);
      char *a = value_text(old), *b = value_text(row->values[f]);
      g_string_append_printf(s, "  %s“%s”：%s → %s\n", kh_township_at(m->ds, row->township)->name,
                             label_of(m->ds, f), a, b);
      g_free(a);
      g_free(b);
    }
  }
  return s;
}

static void apply(month_state *m, const kh_returned *r) {
  for (guint i = 0; i < r->rows->len; i++) {
    const kh_returned_row *row = &g_array_index(r->rows, kh_returned_row, i);
    int t = row->township;
    if (!m->has[t]) {
      m->has[t] = true;
      m->changed = true;
    }
    for (int f = 0; f < m->nf; f++)
      if (r->covered[f] && differs(m->values[t * m->nf + f], row->values[f])) {
        m->values[t * m->nf + f] = row->values[f];
        m->changed = true;
      }
  }
}

/* Reads and merges one file; false when it was not imported (said). */
static bool import_file(month_state *m, int month, const char *path) {
  kh_diags *diags = kh_diags_new();
  kh_returned *r = kh_returned_read(m->ds, month, path, diags);
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  if (!r) {
    fprintf(stderr, "%s: 有错误，未导入\n", path);
    return false;
  }
  GString *diff = differences(m, r);
  bool ok = !diff || m->replace;
  if (!ok)
    fprintf(stderr,
            "%s:1:1: error: 此文件中的乡镇本月已有数据，且数值不同：\n%s"
            "未导入；确认要用此文件的数替换时，加 --replace 再导入一次\n",
            path, diff->str);
  if (ok) {
    apply(m, r);
    printf("%s：%u 个乡镇%s\n", path, r->rows->len,
           strcmp(r->kind, "township") == 0 ? "（乡镇填报表）"
           : strcmp(r->kind, "collection") == 0 ? "（汇总表）" : "");
    if (diff)
      printf("替换了这些数：\n%s", diff->str);
  }
  if (diff)
    g_string_free(diff, TRUE);
  kh_returned_free(r);
  return ok;
}

static void report_missing(const month_state *m) {
  GString *names = g_string_new(NULL);
  int missing = 0, n = kh_n_townships(m->ds);
  for (int t = 0; t < n; t++)
    if (!m->has[t] && ++missing <= MAX_LISTED)
      g_string_append_printf(names, "%s%s", missing > 1 ? "、" : "", kh_township_at(m->ds, t)->name);
  if (missing)
    printf("未报（%d 个乡镇）：%s%s\n", missing, names->str, missing > MAX_LISTED ? "等" : "");
  else
    printf("全部 %d 个乡镇均已报送\n", n);
  g_string_free(names, TRUE);
}

/* Writes the merged month; false on failure (said). */
static bool write_month(const month_state *m, int month) {
  kh_month_rows rows = {m->has, m->values};
  char *text = kh_month_file_text(m->ds, &rows);
  GDateTime *now = g_date_time_new_now_local();
  char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
  g_date_time_unref(now);
  GPtrArray *moved = g_ptr_array_new_with_free_func(g_free);
  kh_diags *diags = kh_diags_new();
  bool ok = kh_month_file_write(m->ds, month, text, stamp, moved, diags);
  kh_cli_print_diags(diags);
  if (ok) {
    printf("已写入 %s/monthly/%04d-%02d.csv\n", m->ds->dir, m->ds->rules.year, month);
    for (guint i = 0; i < moved->len; i++)
      printf("原文件已移到 %s\n", (const char *)g_ptr_array_index(moved, i));
  }
  kh_diags_free(diags);
  g_ptr_array_unref(moved);
  g_free(stamp);
  g_free(text);
  return ok;
}

int kh_cmd_import(int argc, char **argv) {
  gboolean replace = FALSE;
  GOptionEntry entries[] = {
      {"replace", 0, 0, G_OPTION_ARG_NONE, &replace, "用文件中的数替换本月已有的不同数值（并逐一列出）", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "import", .arguments = "DATASET YYYY-MM FILE...",
      .summary = "把收回的报表合并为该月的月报", .options = entries,
      .description =
          "FILE 可以是乡镇交回的填报表（.xlsx、.xls，由 kaohe forms 生成，改了文件名也认得）、\n"
          "全县汇总表，或与月报格式相同的 CSV、Excel 文件。逐个检查，有错的文件不导入，其余照常导入。\n"
          "合并结果写入 monthly/YYYY-MM.csv（UTF-8 带 BOM）；该月原有的月报文件（不论格式）移到\n"
          "monthly/备份/，文件名带时间。其他县、其他年份或月份的填报表拒收。乡镇本月已有数据而数值\n"
          "不同时拒收该文件，除非加 --replace。没有变化时不改动任何文件。最后列出还未报的乡镇。\n"
          "有文件未导入时退出码为 1。\n\n"
          "示例:\n  kaohe import samples/county-2013 2013-08 收回/*.xlsx\n"
          "  kaohe import samples/county-2013 2013-08 收回/填报表_2013-08_03_石桥镇.xlsx --replace\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  int year = 0, month = 0;
  if (parsed && argc < 4) {
    fprintf(stderr, "kaohe import: 需要 DATASET、YYYY-MM 和至少一个文件，"
                    "例如 kaohe import samples/county-2013 2013-08 收回/*.xlsx\n");
    parsed = false;
  }
  parsed = parsed && kh_cli_period("import", "月份", argv[2], false, &year, &month);
  if (!parsed)
    return KH_EXIT_USAGE;
  int monthly_errors = 0;
  kh_dataset *ds = kh_cli_load_rules_registry(argv[1], &monthly_errors);
  if (!ds)
    return KH_EXIT_DATA;
  if (!kh_cli_in_year("import", argv[2], year, ds)) {
    kh_dataset_free(ds);
    return KH_EXIT_DATA;
  }
  int nt = kh_n_townships(ds), nf = kh_n_fields(ds);
  month_state m = {ds, nf, g_new0(bool, nt + 1), g_new(double, (gsize)nt * nf + 1),
                   replace, false};
  const kh_month_data *md = &ds->months[month - 1];
  for (int t = 0; t < nt; t++) {
    m.has[t] = kh_month_has_row(md, t);
    for (int f = 0; f < nf; f++)
      m.values[t * nf + f] = md->present ? md->values[t * nf + f] : NAN;
  }
  int failed = 0;
  for (int i = 3; i < argc; i++)
    failed += !import_file(&m, month, argv[i]);
  bool written = true;
  if (m.changed)
    written = write_month(&m, month);
  else
    printf("没有变化：月报文件未改动\n");
  report_missing(&m);
  g_free(m.has);
  g_free(m.values);
  kh_dataset_free(ds);
  return failed == 0 && written ? KH_EXIT_OK : KH_EXIT_DATA;
}
