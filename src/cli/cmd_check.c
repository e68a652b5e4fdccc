/* kaohe check DATASET: report every problem of a dataset (docs/reference/dataset.md). */
#include "cli/cli.h"

#include <stdio.h>


/* Township × indicator × month places where missing data (a cell, a row,
 * a file a year-to-date sum needs) costs points, a veto or a veto warning
 * (docs/reference/dataset.md): the missing cells of every month present. A missing
 * indicator of weight 0 that is no veto item costs nothing. */
static int costly_gaps(const kh_dataset *ds) {
  int k = 0;
  for (int m = 1; m <= 12; m++) {
    if (!ds->months[m - 1].present)
      continue;
    kh_month_result *r = kh_assess_month(ds, m);
    for (int t = 0; t < r->n_townships; t++)
      for (int i = 0; i < r->n_indicators; i++) {
        const kh_indicator *ind = kh_result_indicator(r, i);
        k += kh_cell_at(r, t, i)->status == KH_STATUS_MISSING && (ind->weight > 0 || ind->veto);
      }
    kh_month_result_free(r);
  }
  return k;
}

int kh_cmd_check(int argc, char **argv) {
  static const GOptionEntry no_options[] = {{NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "check", .arguments = "DATASET", .summary = "检查数据集", .options = no_options,
      .description = "列出数据集（rules.ini、townships.csv、monthly/ 中的月报）的全部错误和警告，\n"
           "每条写作 文件:行:列: error: 说明（警告为 warning），下面是出错的那一行和\n"
           "指向出错位置的 ^。行号与记事本、Excel 中的行号相同，列按字数（一个汉字算一个）。\n"
           "有错误时退出码为 1，score、month、quarter、mail 也都拒绝运行；警告只是提醒。\n"
           "怎样改错见《kaohe 用户手册》（docs/用户手册.md）第五章。\n\n"
           "示例:\n  kaohe check samples/county-2013\n"};
  if (!kh_cli_parse(&help, &argc, &argv))
    return KH_EXIT_USAGE;
  if (argc != 2) {
    fprintf(stderr, "kaohe check: 需要一个数据集目录\n");
    return KH_EXIT_USAGE;
  }

  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(argv[1], diags);
  if (ds)
    kh_check_fonts(ds, diags);
  /* Year-to-date gaps matter from the latest month reported: name them. */
  int latest = 0;
  for (int m = 12; ds && diags->n_errors == 0 && m >= 1 && !latest; m--)
    if (ds->months[m - 1].present)
      latest = m;
  if (latest)
    kh_dataset_check_month(ds, latest, diags);
  else if (ds && diags->n_errors == 0)
    kh_diags_add(diags, KH_WARNING, argv[1], 1, 1, NULL, "monthly/ 中还没有任何月份的数据");
  kh_cli_print_diags(diags);
  int status = diags->n_errors > 0 || !ds ? KH_EXIT_DATA : KH_EXIT_OK;
  if (status == KH_EXIT_OK) {
    int months = 0;
    for (int m = 0; m < 12; m++)
      months += ds->months[m].present;
    int gaps = costly_gaps(ds);
    if (diags->n_warnings == 0 && gaps == 0)
      printf("%s: 检查通过：%d 个乡镇，%d 个月份，%d 项指标\n", argv[1], kh_n_townships(ds),
             months, kh_n_indicators(ds));
    else if (gaps == 0)
      printf("%s: 检查完成：0 个错误，%d 个警告\n", argv[1], diags->n_warnings);
    else
      printf("%s: 检查完成：0 个错误，%d 个警告，其中 %d 处缺报将按 0 分计或一票否决\n", argv[1],
             diags->n_warnings, gaps);
    if (fflush(stdout) != 0 || ferror(stdout)) {
      fprintf(stderr, "kaohe check: 写标准输出失败\n");
      status = KH_EXIT_DATA;
    }
  } else {
    fprintf(stderr, "%s: %d 个错误，%d 个警告\n", argv[1], diags->n_errors,
            diags->n_warnings);
  }
  kh_dataset_free(ds);
  kh_diags_free(diags);
  return status;
}
