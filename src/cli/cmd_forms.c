/* kaohe forms DATASET YYYY-MM [-o OUTDIR]: the month's fill-in workbooks
 * (docs/reference/forms.md): one per township and the county's collection workbook.
 *
 * Forms are made before the month's data exists, and while other months
 * may still have errors: only rules.ini and the registry must be without
 * errors. Problems of the monthly files are counted, not listed (check
 * lists them); they only leave gaps in the column of last month's
 * values. */
#include "cli/cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "kaohe/render.h"

static bool write_forms(const kh_dataset *ds, int month, const char *outdir,
                        const kh_doc_meta *meta) {
  kh_diags *diags = kh_diags_new();
  int written = 0;
  for (int t = 0; t < kh_n_townships(ds); t++) {
    char *name = kh_form_xlsx_name(ds, month, t);
    char *path = g_build_filename(outdir, name, NULL);
    written += kh_render_form_xlsx(ds, month, t, meta, path, diags);
    g_free(path);
    g_free(name);
  }
  char *name = kh_collection_xlsx_name(ds, month);
  char *path = g_build_filename(outdir, name, NULL);
  bool collection = kh_render_collection_xlsx(ds, month, meta, path, diags);
  kh_cli_print_diags(diags);
  bool ok = diags->n_errors == 0;
  if (ok)
    printf("%s: %d 份乡镇填报表和汇总表 %s\n", outdir, written, name);
  (void)collection;
  g_free(path);
  g_free(name);
  kh_diags_free(diags);
  return ok;
}

int kh_cmd_forms(int argc, char **argv) {
  char *outdir = NULL;
  GOptionEntry entries[] = {
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir, "输出目录（默认为当前目录下的 forms/YYYY-MM）", "OUTDIR"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "forms", .arguments = "DATASET YYYY-MM", .summary = "生成某月的月报填报表",
      .options = entries,
      .description =
          "在 OUTDIR 中生成：每个乡镇一份填报表（填报表_YYYY-MM_代码_名称.xlsx），\n"
          "列出各数据项、上月数和待填的本月数；以及全县汇总表（汇总表_YYYY-MM.xlsx），\n"
          "每个乡镇一行，电话收集数据时用，填好后可直接存入 monthly/ 作为该月的月报。\n"
          "只需 rules.ini 和乡镇名册没有错误；该月还没有月报时也可以生成。\n\n"
          "示例:\n  kaohe forms samples/county-2013 2013-08\n"
          "  kaohe forms samples/county-2013 2013-10 -o 填报表/10月\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  int year = 0, month = 0;
  if (parsed && argc != 3) {
    fprintf(stderr, "kaohe forms: 需要 DATASET 和 YYYY-MM，例如 kaohe forms samples/county-2013 2013-08\n");
    parsed = false;
  }
  parsed = parsed && kh_cli_period("forms", "月份", argv[2], false, &year, &month);
  if (!parsed) {
    g_free(outdir);
    return KH_EXIT_USAGE;
  }
  int monthly_errors = 0;
  kh_dataset *ds = kh_cli_load_rules_registry(argv[1], &monthly_errors);
  int status = KH_EXIT_DATA;
  kh_doc_meta meta = {0};
  if (ds && !kh_cli_in_year("forms", argv[2], year, ds)) {
  } else if (ds && kh_cli_doc_meta(argv[1], NULL, &meta)) {
    char *dir = outdir ? g_strdup(outdir) : g_build_filename("forms", argv[2], NULL);
    if (g_mkdir_with_parents(dir, 0755) != 0) {
      fprintf(stderr, "kaohe forms: 无法建立目录 %s：%s\n", dir, g_strerror(errno));
    } else {
      if (monthly_errors > 0)
        fprintf(stderr, "注意：月报文件中有 %d 个错误（用 kaohe check 查看），"
                        "有错的格子在“上月数”中空着\n",
                monthly_errors);
      if (write_forms(ds, month, dir, &meta))
        status = KH_EXIT_OK;
    }
    g_free(dir);
    g_free((char *)meta.template_dir);
  }
  kh_dataset_free(ds);
  g_free(outdir);
  return status;
}
