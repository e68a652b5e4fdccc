/* kaohe month DATASET YYYY-MM: the month's documents (the man page, docs/kaohe.1.in),
 * made by the deliver stage's kh_publish_month, which also serves the web
 * console: this file reads the options, holds the dataset's lock and
 * reports. */
#include "cli/cli.h"

#include <stdio.h>
#include "cli/progress.h"
#include "kaohe/deliver.h"

/* kh_progress_fn onto the terminal's progress bar. */
static void show_progress(void *cls, int done, int total) {
  kh_progress **bar = cls;
  if (!*bar)
    *bar = kh_progress_new("生成文档", total);
  (void)done;
  kh_progress_step(*bar);
}

int kh_cmd_month(int argc, char **argv) {
  char *outdir = NULL, *date = NULL, *doc_no_text = NULL;
  int doc_no = 0, jobs = 0;
  GOptionEntry entries[] = {
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir, "输出目录（默认为当前目录下的 out/YYYY-MM）", "OUTDIR"},
      {"doc-no", 0, 0, G_OPTION_ARG_STRING, &doc_no_text, "发文字号中的序号（默认按发文登记：本月已登记的沿用，否则取最大序号加 1）", "N"},
      {"date", 0, 0, G_OPTION_ARG_STRING, &date, "成文和印发日期（默认今天或 SOURCE_DATE_EPOCH）", "YYYY-MM-DD"},
      {"jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "并行生成的线程数（默认 CPU 核数）", "N"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "month", .arguments = "DATASET YYYY-MM", .summary = "生成月度督查通报和考评表",
      .options = entries,
      .description = "在 OUTDIR 中生成：督查通报 PDF、全县考评得分汇总 Excel、各乡镇考评表（"
           KH_TOWNSHIP_FOLDER "/ 子目录）和得分 JSON。\n任何一个文件生成失败时，目录中原有的文件保持不变。\n"
           "数据集有错误（见 kaohe check）或缺少该月的月报时不生成任何文件，退出码为 1。\n\n"
           "示例:\n  kaohe month samples/county-2013 2013-07\n"
           "  kaohe month samples/county-2013 2013-07 -o out/2013-07 --doc-no 15 --date 2013-08-05\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  int year, month;
  if (parsed && argc != 3) {
    fprintf(stderr, "kaohe month: 需要 DATASET 和 YYYY-MM，例如 kaohe month samples/county-2013 2013-07\n");
    parsed = false;
  }
  parsed = parsed && kh_cli_period("month", "月份", argv[2], false, &year, &month);
  parsed = parsed && kh_cli_doc_options("month", doc_no_text, date, jobs, &doc_no);
  g_free(doc_no_text);
  if (!parsed) {
    g_free(outdir);
    g_free(date);
    return KH_EXIT_USAGE;
  }

  int status = KH_EXIT_DATA;
  kh_dataset *ds = kh_cli_load(argv[1]);
  if (!ds || !kh_cli_in_year("month", argv[2], year, ds))
    goto done;
  kh_diags *diags = kh_diags_new();
  kh_dataset_lock *lock = kh_cli_lock(argv[1], "month");
  char *target = kh_cli_month_outdir(outdir, year, month);
  kh_progress *bar = NULL;
  kh_publish_request rq = {.dataset_dir = argv[1], .target = target, .period = month,
                           .doc_no = doc_no, .date = date, .jobs = kh_cli_jobs(jobs),
                           .progress = show_progress, .progress_cls = &bar};
  kh_publish_result res = {0};
  kh_cli_libraries_quiet();
  bool ok = lock && kh_publish_month(ds, &rq, &res, diags);
  kh_cli_libraries_end();
  kh_progress_free(bar);
  if (ok) {
    status = KH_EXIT_OK;
    fprintf(stderr, "kaohe month: 已生成 %s\n", res.target);
  }
  kh_cli_print_diags(diags);
  kh_publish_result_clear(&res);
  kh_dataset_lock_release(lock);
  kh_diags_free(diags);
  g_free(target);

done:
  kh_dataset_free(ds);
  g_free(outdir);
  g_free(date);
  return status;
}
