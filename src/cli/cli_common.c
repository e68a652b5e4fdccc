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
    shown.message = kh_cli_explain(shown.message);
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

/* "YYYY-MM-DD", digits exactly so, naming a real day. */
static bool parse_date(const char *text, int *y, int *m, int *d) {
  static const char form[] = "dddd-dd-dd";
  if (strlen(text) != sizeof form - 1)
    return false;
  for (size_t i = 0; form[i]; i++)
    if (form[i] == 'd' ? !g_ascii_isdigit(text[i]) : text[i] != form[i])
      return false;
  *y = atoi(text), *m = atoi(text + 5), *d = atoi(text + 8);
  return *m >= 1 && *m <= 12 && *d >= 1 && *y >= 1 &&
         g_date_valid_dmy((GDateDay)*d, (GDateMonth)*m, (GDateYear)*y);
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
  if (date && !parse_date(date, &y, &m, &d)) {
    fprintf(stderr, "kaohe %s: --date 应为 YYYY-MM-DD 格式的有效日期，如 2013-08-05，而不是“%s”\n"
                    "(kaohe %s --help 查看用法)\n", command, date, command);
    return false;
  }
  return true;
}

bool kh_cli_doc_meta(const char *dataset, const char *date, kh_doc_meta *meta) {
  memset(meta, 0, sizeof *meta);

  const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
  GDateTime *when;
  if (epoch && *epoch) {
    char *end;
    gint64 secs = g_ascii_strtoll(epoch, &end, 10);
    if (*end || secs < 0) {
      fprintf(stderr, "kaohe: SOURCE_DATE_EPOCH 不是有效的秒数: %s\n", epoch);
      return false;
    }
    meta->created = (time_t)secs;
    GDateTime *utc = g_date_time_new_from_unix_utc(secs);
    GTimeZone *china = g_time_zone_new_offset(8 * 3600);
    when = utc ? g_date_time_to_timezone(utc, china) : NULL;
    if (utc)
      g_date_time_unref(utc);
    g_time_zone_unref(china);
    if (!when) { /* past the year 9999 in China, or over 2^63 (strtoll saturates) */
      fprintf(stderr, "kaohe: SOURCE_DATE_EPOCH 超出日期范围: %s\n", epoch);
      return false;
    }
  } else {
    meta->created = time(NULL);
    when = g_date_time_new_now_local();
  }
  meta->date_year = g_date_time_get_year(when);
  meta->date_month = g_date_time_get_month(when);
  meta->date_day = g_date_time_get_day_of_month(when);
  g_date_time_unref(when);

  if (date) {
    int y, m, d;
    if (!parse_date(date, &y, &m, &d)) {
      fprintf(stderr, "kaohe: --date 应为 YYYY-MM-DD 格式的有效日期: %s\n", date);
      return false;
    }
    meta->date_year = y, meta->date_month = m, meta->date_day = d;
  }
  meta->template_dir = g_build_filename(dataset, "templates", NULL);
  return true;
}

kh_register *kh_cli_register_open(const char *dataset, const char *kind, const char *period,
                                  int doc_no, int *number) {
  kh_diags *diags = kh_diags_new();
  kh_register *reg = kh_register_open(dataset, doc_no > 0, diags);
  if (reg && !kh_register_assign(reg, kind, period, doc_no, number, diags)) {
    kh_register_close(reg);
    reg = NULL;
  }
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  return reg;
}

int kh_cli_registered_number(const char *dataset, const char *kind, const char *period) {
  kh_diags *diags = kh_diags_new();
  char *path = g_build_filename(dataset, KH_REGISTER_NAME, NULL);
  GPtrArray *entries = kh_register_read(path, diags);
  int number = 0;
  for (guint i = 0; entries && i < entries->len; i++) {
    const kh_register_entry *e = g_ptr_array_index(entries, i);
    if (strcmp(e->kind, kind) == 0 && strcmp(e->period, period) == 0)
      number = e->number;
  }
  if (entries)
    g_ptr_array_free(entries, TRUE);
  g_free(path);
  kh_diags_free(diags);
  return number;
}

bool kh_cli_register_record(kh_register *reg, const kh_doc_meta *meta, const char *kind,
                            const char *period, const char *title, const char *file) {
  char *date = g_strdup_printf("%04d-%02d-%02d", meta->date_year, meta->date_month, meta->date_day);
  kh_register_entry entry = {.number = meta->doc_no, .date = date, .kind = (char *)kind,
                             .period = (char *)period, .title = (char *)(title ? title : ""),
                             .file = (char *)file};
  kh_diags *diags = kh_diags_new();
  bool ok = kh_register_record(reg, &entry, diags);
  kh_cli_print_diags(diags);
  kh_diags_free(diags);
  g_free(date);
  return ok;
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
  return given ? g_strdup(given) : g_strdup_printf("out/%04d-%02d", year, month);
}

bool kh_cli_in_year(const char *command, const char *period, int year, const kh_dataset *ds) {
  if (year == ds->rules.year)
    return true;
  fprintf(stderr, "kaohe %s: %s 不在考评年度 %d 内\n", command, period, ds->rules.year);
  return false;
}
