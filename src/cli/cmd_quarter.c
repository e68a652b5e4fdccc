/* kaohe quarter DATASET YYYYQn: the quarterly reward-and-penalty report,
 * archived (docs/reference/outputs.md) by the deliver stage's
 * kh_publish_quarter, which also serves the web console: this file reads
 * the options, holds the dataset's lock and reports. */
#include "cli/cli.h"

#include <stdio.h>
#include "kaohe/deliver.h"

int kh_cmd_quarter(int argc, char **argv) {
  char *outdir = NULL, *date = NULL, *doc_no_text = NULL;
  int doc_no = 0, jobs = 0;
  gboolean partial = FALSE, force = FALSE;
  GOptionEntry entries[] = {
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir, "存档目录（默认为当前目录下的 archive/YYYYQn）", "OUTDIR"},
      {"doc-no", 0, 0, G_OPTION_ARG_STRING, &doc_no_text, "发文字号中的序号（默认按发文登记：本季度已登记的沿用，否则取最大序号加 1）", "N"},
      {"date", 0, 0, G_OPTION_ARG_STRING, &date, "成文和印发日期（默认今天或 SOURCE_DATE_EPOCH）", "YYYY-MM-DD"},
      {"partial", 0, 0, G_OPTION_ARG_NONE, &partial, "允许缺月：按已有月份计算，并在通报中注明", NULL},
      {"force", 0, 0, G_OPTION_ARG_NONE, &force, "替换已有存档（旧存档改名保留）", NULL},
      {"jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "并行线程数（默认 CPU 核数）", "N"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "quarter", .arguments = "DATASET YYYYQn", .summary = "生成季度奖惩通报并存档",
      .options = entries,
      .description = "在存档目录中生成：季度奖惩通报 PDF（PDF/A-1b）、季度考评 Excel、得分 JSON 和\n"
           "SHA256SUMS 校验文件。已有存档不会被覆盖，除非给出 --force（旧存档改名保留）。\n"
           "在存档目录中运行 sha256sum -c SHA256SUMS 可校验文件完整。\n"
           "季度内缺月时报错；确需按已有月份计算时加 --partial。\n\n"
           "示例:\n  kaohe quarter samples/county-2013 2013Q3 --date 2013-10-10\n"
           "  cd archive/2013Q3 && sha256sum -c SHA256SUMS\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  int year, quarter;
  if (parsed && argc != 3) {
    fprintf(stderr, "kaohe quarter: 需要 DATASET 和 YYYYQn，例如 kaohe quarter samples/county-2013 2013Q3\n");
    parsed = false;
  }
  parsed = parsed && kh_cli_period("quarter", "季度", argv[2], true, &year, &quarter);
  parsed = parsed && kh_cli_doc_options("quarter", doc_no_text, date, jobs, &doc_no);
  g_free(doc_no_text);
  if (!parsed) {
    g_free(outdir);
    g_free(date);
    return KH_EXIT_USAGE;
  }

  int status = KH_EXIT_DATA;
  char *target = outdir ? g_strdup(outdir) : kh_quarter_default_archive(year, quarter);
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = NULL;
  kh_dataset_lock *lock = NULL;
  kh_publish_result res = {0};
  /* Refuse before any work: an existing archive stays as it is. */
  if (!kh_archive_check(target, force, diags))
    goto done;
  ds = kh_cli_load(argv[1]);
  if (!ds || !kh_cli_in_year("quarter", argv[2], year, ds))
    goto done;
  lock = kh_cli_lock(argv[1], "quarter");
  if (!lock)
    goto done;
  kh_publish_request rq = {.dataset_dir = argv[1], .target = target, .period = quarter,
                           .doc_no = doc_no, .date = date, .jobs = kh_cli_jobs(jobs),
                           .partial = partial, .force = force};
  kh_cli_libraries_quiet();
  bool ok = kh_publish_quarter(ds, &rq, &res, diags);
  kh_cli_libraries_end();
  if (ok) {
    status = KH_EXIT_OK;
    fprintf(stderr, "kaohe quarter: 已存档 %s\n", target);
    if (res.replaced)
      fprintf(stderr, "kaohe quarter: 原存档已改名保留为 %s\n", res.replaced);
  }

done:
  kh_cli_print_diags(diags);
  kh_publish_result_clear(&res);
  kh_dataset_lock_release(lock);
  kh_diags_free(diags);
  kh_dataset_free(ds);
  g_free(target);
  g_free(outdir);
  g_free(date);
  return status;
}
