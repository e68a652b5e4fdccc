/* kaohe score DATASET (--month YYYY-MM | --quarter YYYYQn [--partial])
 * [--format table|csv|json]: scores, ranks and gaps to stdout (docs/reference/outputs.md, §8).
 * Nothing reaches stdout unless the whole document could be made. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } score_format;

typedef struct {
  char *month, *quarter, *format;
  gboolean partial;
} score_options;

static void options_clear(score_options *o) {
  g_free(o->month);
  g_free(o->quarter);
  g_free(o->format);
}

/* Checks the options' combination; prints the usage error and returns false
 * when it is wrong. */
static bool check_options(const score_options *o, int argc, score_format *format) {
  const char *problem = NULL;
  if (argc != 2)
    problem = "需要一个数据集目录";
  else if (!o->month == !o->quarter)
    problem = "须且只能给出 --month 或 --quarter 之一";
  else if (o->partial && !o->quarter)
    problem = "--partial 只能与 --quarter 一起使用 (--partial goes with --quarter)";
  else if (!o->format || strcmp(o->format, "table") == 0)
    *format = FORMAT_TABLE;
  else if (strcmp(o->format, "csv") == 0)
    *format = FORMAT_CSV;
  else if (strcmp(o->format, "json") == 0)
    *format = FORMAT_JSON;
  else
    problem = "--format 只能是 table、csv 或 json";
  if (problem)
    fprintf(stderr, "kaohe score: %s\n(kaohe score --help 查看用法)\n", problem);
  return problem == NULL;
}

/* The month's document, or NULL after printing why not. */
static GString *score_month(const kh_dataset *ds, int month, score_format format) {
  kh_diags *diags = kh_diags_new();
  bool ok = kh_dataset_check_month(ds, month, diags);
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  if (!ok)
    return NULL;
  kh_month_result *r = kh_assess_month(ds, month);
  GString *out = g_string_new(NULL);
  if (format == FORMAT_JSON)
    kh_score_json(r, out);
  else if (format == FORMAT_CSV)
    kh_score_csv(r, out);
  else
    kh_score_table(r, out);
  kh_month_result_free(r);
  return out;
}

/* The quarter's document, or NULL after printing why not. */
static GString *score_quarter(const kh_dataset *ds, int quarter, bool partial,
                              score_format format) {
  kh_diags *diags = kh_diags_new();
  /* The warnings of each month present (year-to-date gaps); an absent
   * month is kh_assess_quarter's to judge. */
  for (int k = 1; k <= 3; k++) {
    int month = 3 * (quarter - 1) + k;
    if (ds->months[month - 1].present)
      kh_dataset_check_month(ds, month, diags);
  }
  kh_quarter_result *q = kh_assess_quarter(ds, quarter, partial, diags);
  kh_cli_print_diags(diags);
  bool ok = q && diags->n_errors == 0;
  kh_diags_free(diags);
  GString *out = NULL;
  if (ok) {
    out = g_string_new(NULL);
    if (format == FORMAT_JSON)
      kh_quarter_json(q, out);
    else if (format == FORMAT_CSV)
      kh_quarter_csv(q, out);
    else
      kh_quarter_table(q, out);
  }
  kh_quarter_result_free(q);
  return out;
}

int kh_cmd_score(int argc, char **argv) {
  score_options o = {0};
  GOptionEntry entries[] = {
      {"month", 'm', 0, G_OPTION_ARG_STRING, &o.month, "考核月份", "YYYY-MM"},
      {"quarter", 'q', 0, G_OPTION_ARG_STRING, &o.quarter, "考核季度", "YYYYQn"},
      {"partial", 0, 0, G_OPTION_ARG_NONE, &o.partial,
       "季度月报不全时按已有月份平均（仅与 --quarter 同用）", NULL},
      {"format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
       "输出格式：table（默认）、csv 或 json", "FORMAT"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "score", .arguments = "DATASET (--month YYYY-MM | --quarter YYYYQn)",
      .summary = "计算得分、排名和差距", .options = entries,
      .description =
      "按 rules.ini 的考核办法计算某月（--month）或某季度（--quarter）各乡镇的\n"
      "得分、排名、差距和一票否决，写到标准输出：table 为终端表格，json 和 csv\n"
      "为供其他程序读取的格式（列名是英文标识；给人看、打印用 kaohe month 生成的\n"
      "全县考评得分汇总表）。数据集有任何\n"
      "错误时不输出任何内容，退出码为 1；用法错误退出码为 2。\n\n"
      "示例:\n"
      "  kaohe score samples/county-2013 --month 2013-07\n"
      "  kaohe score samples/county-2013 --month 2013-07 --format json > 2013-07.json\n"
      "  kaohe score samples/county-2013 --quarter 2013Q3 --partial --format csv\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  score_format format = FORMAT_TABLE;
  int year = 0, period = 0;
  int status = KH_EXIT_USAGE;
  kh_dataset *ds = NULL;
  GString *out = NULL;
  if (!parsed || !check_options(&o, argc, &format))
    goto done;
  if (!kh_cli_period("score", o.month ? "--month " : "--quarter ", o.month ? o.month : o.quarter,
                     !o.month, &year, &period))
    goto done;

  status = KH_EXIT_DATA;
  ds = kh_cli_load(argv[1]);
  if (!ds)
    goto done;
  if (year != ds->rules.year)
    fprintf(stderr, "kaohe score: %s 不在考核年度 %d 内\n",
            o.month ? o.month : o.quarter, ds->rules.year);
  else if (o.month)
    out = score_month(ds, period, format);
  else
    out = score_quarter(ds, period, o.partial, format);
  if (out) {
    fwrite(out->str, 1, out->len, stdout);
    status = fflush(stdout) == 0 && !ferror(stdout) ? KH_EXIT_OK : KH_EXIT_DATA;
    if (status != KH_EXIT_OK)
      fprintf(stderr, "kaohe score: 写标准输出失败\n");
  }
done:
  if (out)
    g_string_free(out, TRUE);
  kh_dataset_free(ds);
  options_clear(&o);
  return status;
}
