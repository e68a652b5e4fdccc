/* kaohe quarter DATASET YYYYQn: the quarterly reward-and-penalty report,
 * archived (docs/reference/outputs.md, §8): the PDF/A report, the workbook, the scores JSON
 * and SHA256SUMS, published all at once by the deliver stage's archive. */
#include "cli/cli.h"

#include <stdio.h>
#include "kaohe/deliver.h"

/* The three documents are made one after another whatever --jobs says:
 * the quarter's are one PDF, one workbook and the JSON, a fraction of a
 * second together even at 5,000 townships (docs/performance.md), not
 * worth threads. */
static bool render_quarter(const kh_quarter_result *q, const kh_doc_meta *meta,
                           const char *dir, kh_diags *diags) {
  char period[16];
  g_snprintf(period, sizeof period, "%04dQ%d", q->year, q->quarter);

  GString *json = g_string_new(NULL);
  kh_quarter_json(q, json);
  char *json_path = g_strdup_printf("%s/scores_%s.json", dir, period);
  GError *err = NULL;
  bool ok = g_file_set_contents(json_path, json->str, (gssize)json->len, &err);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, json_path, 1, 1, NULL, "无法写入: %s", err->message);
    g_error_free(err);
  }
  g_free(json_path);
  g_string_free(json, TRUE);

  char *pdf = g_strdup_printf("%s/季度奖惩通报_%s.pdf", dir, period);
  ok = ok && kh_render_quarter_pdf(q, meta, pdf, diags);
  g_free(pdf);
  char *xlsx = g_strdup_printf("%s/季度考评得分_%s.xlsx", dir, period);
  ok = ok && kh_render_quarter_xlsx(q, meta, xlsx, diags);
  g_free(xlsx);
  return ok;
}

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
  char *target = outdir ? g_strdup(outdir) : g_strdup_printf("archive/%04dQ%d", year, quarter);
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = NULL;
  kh_quarter_result *q = NULL;
  kh_doc_meta meta;
  bool have_meta = false;
  kh_register *reg = NULL;
  char *title = NULL;
  char period[16];
  /* Refuse before any work: an existing archive stays as it is. */
  if (!kh_archive_check(target, force, diags))
    goto done;
  ds = kh_cli_load(argv[1]);
  if (!ds)
    goto done;
  if (!kh_cli_in_year("quarter", argv[2], year, ds))
    goto done;
  q = kh_assess_quarter(ds, quarter, partial, diags);
  if (!q)
    goto done;
  have_meta = kh_cli_doc_meta(argv[1], date, &meta);
  if (!have_meta)
    goto done;
  g_snprintf(period, sizeof period, "%04dQ%d", year, quarter);
  reg = kh_cli_register_open(argv[1], "quarter", period, doc_no, &meta.doc_no);
  if (!reg)
    goto done;
  meta.title_out = &title;

  kh_archive *archive = kh_archive_begin(target, force, diags);
  if (!archive)
    goto done;
  kh_cli_libraries_quiet();
  bool rendered = render_quarter(q, &meta, kh_archive_staging_dir(archive), diags);
  kh_cli_libraries_end();
  if (!rendered) {
    kh_diags_move_files(diags, kh_archive_staging_dir(archive), target);
    kh_archive_abort(archive);
    goto done;
  }
  char *replaced = NULL;
  if (kh_archive_commit(archive, &replaced, diags)) {
    status = KH_EXIT_OK;
    fprintf(stderr, "kaohe quarter: 已存档 %s\n", target);
    if (replaced)
      fprintf(stderr, "kaohe quarter: 原存档已改名保留为 %s\n", replaced);
  }
  g_free(replaced);

done:
  kh_cli_print_diags(diags);
  if (status == KH_EXIT_OK) {
    char *report = g_strdup_printf("%s/季度奖惩通报_%s.pdf", target, period);
    if (!kh_cli_register_record(reg, &meta, "quarter", period, title, report))
      status = KH_EXIT_DATA;
    g_free(report);
  }
  kh_register_close(reg);
  g_free(title);
  kh_diags_free(diags);
  if (have_meta)
    g_free((char *)meta.template_dir);
  kh_quarter_result_free(q);
  kh_dataset_free(ds);
  g_free(target);
  g_free(outdir);
  g_free(date);
  return status;
}
