/* kaohe import DATASET YYYY-MM FILE... [--replace]: returned forms,
 * collection workbooks and CSV files merged into monthly/YYYY-MM.csv
 * (docs/reference/forms.md).
 *
 * The work is the library's two steps (load.h kh_import_prepare, deliver.h
 * kh_import_commit), shared with the web console; this file says what they
 * found and did. The dataset's action lock is held from loading the month
 * to writing it, so the month merged is the one replaced. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kaohe/deliver.h"
#include "kaohe/load.h"

/* Townships named at most in a list. */
#define MAX_LISTED 20

static char *value_text(double v) { return isnan(v) ? g_strdup("空") : kh_sheet_number_text(v); }

/* A file's changes as "  城关镇“出生男婴数”：53 → 55" lines. */
static GString *changes_text(const kh_dataset *ds, const kh_import_file *f) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < f->changes->len; i++) {
    const kh_import_change *c = &g_array_index(f->changes, kh_import_change, i);
    char *a = value_text(c->old_value), *b = value_text(c->value);
    g_string_append_printf(s, "  %s“%s”：%s → %s\n", kh_township_at(ds, c->township)->name,
                           kh_field_label(kh_field_at(ds, c->field)), a, b);
    g_free(a);
    g_free(b);
  }
  return s;
}

static void report_file(const kh_dataset *ds, const kh_import_file *f) {
  kh_cli_print_diags(f->diags);
  if (f->outcome == KH_IMPORT_ERRORS) {
    fprintf(stderr, "%s: 有错误，未导入\n", f->name);
    return;
  }
  GString *changes = changes_text(ds, f);
  if (f->outcome == KH_IMPORT_CONFLICT) {
    fprintf(stderr,
            "%s:1:1: error: 此文件中的乡镇本月已有数据，且数值不同：\n%s"
            "未导入；确认要用此文件的数替换时，加 --replace 再导入一次\n",
            f->name, changes->str);
  } else {
    printf("%s：%d 个乡镇%s\n", f->name, f->n_rows,
           strcmp(f->kind, "township") == 0     ? "（乡镇填报表）"
           : strcmp(f->kind, "collection") == 0 ? "（汇总表）"
                                                : "");
    if (changes->len > 0)
      printf("替换了这些数：\n%s", changes->str);
  }
  g_string_free(changes, TRUE);
}

static void report_missing(const kh_dataset *ds, const kh_import_plan *p) {
  GString *names = g_string_new(NULL);
  int missing = (int)p->missing->len;
  for (int i = 0; i < missing && i < MAX_LISTED; i++)
    g_string_append_printf(names, "%s%s", i > 0 ? "、" : "",
                           kh_township_at(ds, g_array_index(p->missing, int, i))->name);
  if (missing)
    printf("未报（%d 个乡镇）：%s%s\n", missing, names->str, missing > MAX_LISTED ? "等" : "");
  else
    printf("全部 %d 个乡镇均已报送\n", kh_n_townships(ds));
  g_string_free(names, TRUE);
}

/* Writes the plan's month; false on failure (said). */
static bool write_month(const kh_dataset *ds, const kh_import_plan *p) {
  kh_diags *diags = kh_diags_new();
  kh_import_written written;
  bool ok = kh_import_commit(ds, p, NULL, &written, diags);
  kh_cli_print_diags(diags);
  if (ok) {
    printf("已写入 %s\n", written.path);
    for (guint i = 0; i < written.moved->len; i++)
      printf("原文件已移到 %s\n", (const char *)g_ptr_array_index(written.moved, i));
  }
  kh_import_written_clear(&written);
  kh_diags_free(diags);
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
  /* The lock is on the folder; a missing one is the loader's to report. */
  kh_dataset_lock *lock = NULL;
  if (g_file_test(argv[1], G_FILE_TEST_IS_DIR) && !(lock = kh_cli_lock(argv[1], "import")))
    return KH_EXIT_DATA;
  int monthly_errors = 0;
  kh_dataset *ds = kh_cli_load_rules_registry(argv[1], &monthly_errors);
  if (!ds || !kh_cli_in_year("import", argv[2], year, ds)) {
    kh_dataset_free(ds);
    kh_dataset_lock_release(lock);
    return KH_EXIT_DATA;
  }
  int n = argc - 3;
  kh_import_source *sources = g_new0(kh_import_source, n);
  for (int i = 0; i < n; i++)
    sources[i].path = argv[3 + i];
  kh_import_plan *plan = kh_import_prepare(ds, month, sources, n, replace);
  for (guint i = 0; i < plan->files->len; i++)
    report_file(ds, g_ptr_array_index(plan->files, i));
  bool written = true;
  if (plan->changed)
    written = write_month(ds, plan);
  else
    printf("没有变化：月报文件未改动\n");
  report_missing(ds, plan);
  int status = plan->n_refused == 0 && written ? KH_EXIT_OK : KH_EXIT_DATA;
  kh_import_plan_free(plan);
  g_free(sources);
  kh_dataset_free(ds);
  kh_dataset_lock_release(lock);
  return status;
}
