/* What every command shares: printing diagnostics, loading, option parsing. */
#include "cli/cli.h"

#include <unistd.h>

#include <fcntl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kh_cli_print_diags(const kh_diags *diags) {
  for (guint i = 0; i < diags->items->len; i++) {
    kh_diag shown = *(const kh_diag *)g_ptr_array_index(diags->items, i);
    shown.message = kh_explain_system_words(shown.message);
    char *text = kh_diag_format(&shown);
    fprintf(stderr, "%s\n", text);
    g_free(text);
    g_free(shown.message);
  }
  /* A list keeps a bounded number of diagnostics (diag.c) and counts the rest. */
  guint counted = (guint)(diags->n_errors + diags->n_warnings);
  if (counted > diags->items->len)
    fprintf(stderr, "kaohe: 另有 %u 个问题未逐条列出\n", counted - diags->items->len);
}

kh_dataset *kh_cli_load(const char *dir) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, diags);
  kh_cli_print_diags(diags);
  bool failed = diags->n_errors > 0;
  if (failed)
    fprintf(stderr, "kaohe: %d 个错误，未生成任何文件\n", diags->n_errors);
  kh_diags_free(diags);
  if (failed) {
    kh_dataset_free(ds);
    return NULL;
  }
  return ds;
}


bool kh_cli_period(const char *command, const char *name, const char *text, bool quarter,
                   int *year, int *period) {
  if (quarter ? kh_parse_quarter(text, year, period) : kh_parse_month(text, year, period))
    return true;
  fprintf(stderr, "kaohe %s: %s“%s”格式不对，应为 %s\n(kaohe %s --help 查看用法)\n", command, name,
          text,
          quarter ? "YYYYQn：四位年份、Q 和季度 1 到 4，中间没有其他字符，例如 2013Q3"
                  : "YYYY-MM：四位年份、- 和两位月份，例如 2013-07（不是 2013-7）",
          command);
  return false;
}

bool kh_cli_doc_options(const char *command, const char *doc_no_text, const char *date,
                        int jobs, int *doc_no) {
  *doc_no = 0;
  if (jobs < 0) {
    fprintf(stderr, "kaohe %s: --jobs 不能为负数\n", command);
    return false;
  }
  if (doc_no_text) {
    guint64 n = 0;
    if (!g_ascii_string_to_unsigned(doc_no_text, 10, 1, 99999, &n, NULL)) {
      fprintf(stderr, "kaohe %s: --doc-no 应为 1 到 99999 的整数（发文字号中的序号），而不是“%s”\n"
                      "(kaohe %s --help 查看用法)\n", command, doc_no_text, command);
      return false;
    }
    *doc_no = (int)n;
  }
  int y, m, d;
  if (date && !kh_parse_date(date, &y, &m, &d)) {
    fprintf(stderr, "kaohe %s: --date 应为 YYYY-MM-DD 格式的有效日期，如 2013-08-05，而不是“%s”\n"
                    "(kaohe %s --help 查看用法)\n", command, date, command);
    return false;
  }
  return true;
}

bool kh_cli_doc_meta(const char *dataset, const char *date, kh_doc_meta *meta) {
  kh_diags *diags = kh_diags_new();
  bool ok = kh_doc_meta_init(meta, dataset, date, diags);
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  return ok;
}

kh_dataset_lock *kh_cli_lock(const char *dataset, const char *command) {
  kh_diags *diags = kh_diags_new();
  bool busy = false;
  kh_dataset_lock *lock = kh_dataset_lock_take(dataset, false, &busy, diags);
  if (!lock && busy) {
    fprintf(stderr, "kaohe %s: 数据集正被另一个操作使用（另一个 kaohe 命令或工作台），等它结束……\n",
            command);
    kh_diags_free(diags);
    diags = kh_diags_new();
    lock = kh_dataset_lock_take(dataset, true, NULL, diags);
  }
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  return lock;
}

int kh_cli_jobs(int requested) {
  if (requested > 0)
    return requested > 64 ? 64 : requested;
  int cores = (int)g_get_num_processors();
  return cores > 0 ? cores : 1;
}

/* The stderr stream while libraries are quiet; NULL otherwise. */
static FILE *quieted_stderr;

void kh_cli_libraries_quiet(void) {
  /* Opened without O_CREAT: /dev/null is there to write to, not to make. */
  int fd = quieted_stderr ? -1 : open("/dev/null", O_WRONLY | O_CLOEXEC);
  FILE *null = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!null) {
    if (fd >= 0)
      close(fd);
    return; /* already quiet, or no /dev/null: the messages show */
  }
  fflush(stderr);
  quieted_stderr = stderr;
  stderr = null;
}

void kh_cli_libraries_end(void) {
  if (!quieted_stderr)
    return;
  fclose(stderr);
  stderr = quieted_stderr;
  quieted_stderr = NULL;
}

FILE *kh_cli_terminal(void) { return quieted_stderr ? quieted_stderr : stderr; }

char *kh_cli_month_outdir(const char *given, int year, int month) {
  return given ? g_strdup(given) : kh_month_default_outdir(year, month);
}

bool kh_cli_in_year(const char *command, const char *period, int year, const kh_dataset *ds) {
  if (year == ds->rules.year)
    return true;
  fprintf(stderr, "kaohe %s: %s 不在考评年度 %d 内\n", command, period, ds->rules.year);
  return false;
}
