/* What every command shares: printing diagnostics, loading, option parsing. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

void kh_cli_print_diags(const kh_diags *diags) {
  for (guint i = 0; i < diags->items->len; i++) {
    char *text = kh_diag_format(g_ptr_array_index(diags->items, i));
    fprintf(stderr, "%s\n", text);
    g_free(text);
  }
  /* A list keeps a bounded number of diagnostics (diag.c) and counts the rest. */
  guint counted = (guint)(diags->n_errors + diags->n_warnings);
  if (counted > diags->items->len)
    fprintf(stderr, "kaohe: 另有 %u 个问题未逐条列出 (%u more not listed)\n",
            counted - diags->items->len, counted - diags->items->len);
}

kh_dataset *kh_cli_load(const char *dir) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, diags);
  kh_cli_print_diags(diags);
  bool failed = diags->n_errors > 0;
  if (failed)
    fprintf(stderr, "kaohe: %d 个错误，未生成任何文件 (%d error(s); nothing written)\n",
            diags->n_errors, diags->n_errors);
  kh_diags_free(diags);
  if (failed) {
    kh_dataset_free(ds);
    return NULL;
  }
  return ds;
}

bool kh_cli_parse(GOptionContext *ctx, int *argc, char ***argv) {
  GError *err = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &err)) {
    fprintf(stderr, "kaohe: %s\n(kaohe %s --help 查看用法)\n", err->message,
            (*argv)[0]);
    g_error_free(err);
    return false;
  }
  return true;
}

bool kh_cli_doc_meta(const char *dataset, const char *date, int doc_no,
                     int default_no, kh_doc_meta *meta) {
  memset(meta, 0, sizeof *meta);
  meta->doc_no = doc_no > 0 ? doc_no : default_no;
  meta->template_dir = g_build_filename(dataset, "templates", NULL);

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
    GTimeZone *china = g_time_zone_new_offset(8 * 3600);
    GDateTime *utc = g_date_time_new_from_unix_utc(secs);
    when = g_date_time_to_timezone(utc, china);
    g_date_time_unref(utc);
    g_time_zone_unref(china);
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
    char tail;
    if (sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y)) {
      fprintf(stderr, "kaohe: --date 应为 YYYY-MM-DD 格式的有效日期: %s\n", date);
      return false;
    }
    meta->date_year = y, meta->date_month = m, meta->date_day = d;
  }
  return true;
}

int kh_cli_jobs(int requested) {
  if (requested > 0)
    return requested > 64 ? 64 : requested;
  int cores = (int)g_get_num_processors();
  return cores > 0 ? cores : 1;
}
