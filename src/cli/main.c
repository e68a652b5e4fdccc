/* kaohe: dispatch to one command per file. */
#include "cli/cli.h"

#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"check", kh_cmd_check, "检查数据集，列出全部错误和警告"},
    {"score", kh_cmd_score, "计算某月或某季度的得分、排名和差距"},
    {"month", kh_cmd_month, "生成月度督查通报 PDF、全县和各乡镇 Excel 考评表"},
    {"quarter", kh_cmd_quarter, "生成季度奖惩通报并存档（带 SHA256 校验）"},
    {"init", kh_cmd_init, "新建数据集（新的县或新的年度），可沿用往年的方案和名册"},
    {"mail", kh_cmd_mail, "把各乡镇考评表通过邮件发送（.eml 或 SMTP）"},
    {"forms", kh_cmd_forms, "生成某月的月报填报表（每乡镇一份）和全县汇总表"},
    {"import", kh_cmd_import, "把收回的填报表、汇总表和 CSV 合并为该月的月报"},
    {"serve", kh_cmd_serve, "在浏览器中查看检查结果、排名、走势和季度奖惩（考评工作台）"},
};

static void usage(FILE *out) {
  fprintf(out, "用法: kaohe COMMAND DATASET ...\n\n"
               "人口计生重点工作\"月考评、季奖惩\"：CSV 进，得分、排名、督查通报 PDF、"
               "Excel 考评表出。\n\n命令:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n每个命令都有 --help，例如: kaohe score --help\n"
               "示例: kaohe check samples/county-2013\n");
}

/* glibc gives the free top of a heap back to the kernel and takes it again
 * for the next workbook: madvise calls, page faults and zeroed pages for
 * every one of thousands of workbooks a thread writes (glibc stops doing
 * so once a large block has been freed, which made it depend on the order
 * documents happen to be made in). Keep freed memory for reuse; big blocks
 * (128 KiB and more) still come from mmap and go back at once, and
 * commands that hold whole documents in memory trim after each. */
static void keep_freed_memory(void) {
  mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 128 * 1024); /* the default, no longer raised */
}

int main(int argc, char **argv) {
  keep_freed_memory();
  /* The user's locale for the terminal's character set, and no further:
   * no locale may change a byte of the outputs (docs/decisions.md, Installing). kaohe's own
   * code formats and parses numbers with g_ascii_*; libxlsxwriter writes
   * the numbers of its XML with printf, so numbers, sorting and dates stay
   * C's for the whole process. */
  setlocale(LC_ALL, "");
  setlocale(LC_NUMERIC, "C");
  setlocale(LC_COLLATE, "C");
  setlocale(LC_TIME, "C");
  if (argc < 2) {
    usage(stderr);
    return KH_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return KH_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("kaohe %s\n", KAOHE_VERSION);
    return KH_EXIT_OK;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "kaohe: 未知命令 '%s'\n\n", argv[1]);
  usage(stderr);
  return KH_EXIT_USAGE;
}
