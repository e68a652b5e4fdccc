/* kaohe check DATASET: report every problem of a dataset (SPEC §2.3). */
#include "cli/cli.h"

#include <stdio.h>

int kh_cmd_check(int argc, char **argv) {
  GOptionContext *ctx = g_option_context_new("DATASET - 检查数据集");
  g_option_context_set_description(
      ctx, "列出数据集（rules.ini、townships.csv、monthly/ 中的月报）的全部错误和警告，\n"
           "每条写作 文件:行:列: error: 说明（警告为 warning），下面是出错的那一行和\n"
           "指向出错位置的 ^。行号与记事本、Excel 中的行号相同，列按字数（一个汉字算一个）。\n"
           "有错误时退出码为 1，score、month、quarter、mail 也都拒绝运行；警告只是提醒。\n"
           "怎样改错见《kaohe 用户手册》（docs/用户手册.md）第五章。\n\n"
           "示例:\n  kaohe check samples/county-2013\n");
  bool ok = kh_cli_parse(ctx, &argc, &argv);
  g_option_context_free(ctx);
  if (!ok)
    return KH_EXIT_USAGE;
  if (argc != 2) {
    fprintf(stderr, "kaohe check: 需要一个数据集目录 (expected one DATASET)\n");
    return KH_EXIT_USAGE;
  }

  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(argv[1], diags);
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
    printf("%s: 检查通过：%d 个乡镇，%d 个月份，%d 项指标（%d 个警告）\n",
           argv[1], kh_n_townships(ds), months, kh_n_indicators(ds),
           diags->n_warnings);
  } else {
    fprintf(stderr, "%s: %d 个错误，%d 个警告\n", argv[1], diags->n_errors,
            diags->n_warnings);
  }
  kh_dataset_free(ds);
  kh_diags_free(diags);
  return status;
}
