/* kaohe month DATASET YYYY-MM: the month's documents (SPEC §8).
 *
 * Everything is rendered into a staging folder inside OUTDIR first and moved
 * into place only when every document succeeded, so a failed run leaves the
 * documents of an earlier run untouched. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "cli/progress.h"
#include "deliver/outdir.h"

#define TOWNSHIP_FOLDER "乡镇"

typedef struct {
  const kh_month_result *result;
  const kh_doc_meta *meta;
  const char *folder;
  gint next;        /* next township to render, taken atomically */
  gint failed;      /* set once any workbook failed */
  GMutex lock;      /* guards diags and progress */
  kh_diags *diags;
  kh_progress *progress;
} township_job;

static gpointer render_townships(gpointer data) {
  township_job *job = data;
  kh_diags *mine = kh_diags_new();
  for (;;) {
    int t = g_atomic_int_add(&job->next, 1);
    if (t >= job->result->n_townships || g_atomic_int_get(&job->failed))
      break;
    char *name = kh_township_xlsx_name(job->result, t);
    char *path = g_build_filename(job->folder, name, NULL);
    if (!kh_render_township_xlsx(job->result, t, job->meta, path, mine))
      g_atomic_int_set(&job->failed, 1);
    g_free(path);
    g_free(name);
    g_mutex_lock(&job->lock);
    kh_progress_step(job->progress);
    g_mutex_unlock(&job->lock);
  }
  g_mutex_lock(&job->lock);
  for (guint i = 0; i < mine->items->len; i++) {
    kh_diag *d = g_ptr_array_index(mine->items, i);
    kh_diags_add(job->diags, d->severity, d->file, d->line, d->col, d->source_line, "%s",
                 d->message);
  }
  g_mutex_unlock(&job->lock);
  kh_diags_free(mine);
  return NULL;
}

/* Renders every township workbook into folder with `jobs` threads. */
static bool render_all_townships(const kh_month_result *r, const kh_doc_meta *meta,
                                 const char *folder, int jobs, kh_progress *progress,
                                 kh_diags *diags) {
  if (g_mkdir_with_parents(folder, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, folder, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
    return false;
  }
  township_job job = {.result = r, .meta = meta, .folder = folder, .diags = diags,
                      .progress = progress};
  g_mutex_init(&job.lock);
  if (jobs > r->n_townships)
    jobs = r->n_townships > 0 ? r->n_townships : 1;
  GThread **threads = g_new(GThread *, jobs);
  for (int k = 1; k < jobs; k++)
    threads[k] = g_thread_new("township", render_townships, &job);
  render_townships(&job); /* the calling thread works too */
  for (int k = 1; k < jobs; k++)
    g_thread_join(threads[k]);
  g_free(threads);
  g_mutex_clear(&job.lock);
  return !job.failed;
}

static bool render_month(const kh_month_result *r, const kh_month_result *prev,
                         const kh_doc_meta *meta, const char *staging, int jobs,
                         kh_diags *diags) {
  char period[16];
  g_snprintf(period, sizeof period, "%04d-%02d", r->year, r->month);
  kh_progress *progress = kh_progress_new("生成文档", r->n_townships + 3);
  bool ok = true;

  char *json_path = g_strdup_printf("%s/scores_%s.json", staging, period);
  GString *json = g_string_new(NULL);
  kh_score_json(r, json);
  GError *err = NULL;
  if (!g_file_set_contents(json_path, json->str, (gssize)json->len, &err)) {
    kh_diags_add(diags, KH_ERROR, json_path, 1, 1, NULL, "无法写入: %s", err->message);
    g_error_free(err);
    ok = false;
  }
  g_string_free(json, TRUE);
  g_free(json_path);
  kh_progress_step(progress);

  char *notice = g_strdup_printf("%s/督查通报_%s.pdf", staging, period);
  ok = ok && kh_render_notice_pdf(r, prev, meta, notice, diags);
  g_free(notice);
  kh_progress_step(progress);

  char *county = g_strdup_printf("%s/考评得分汇总_%s.xlsx", staging, period);
  ok = ok && kh_render_county_xlsx(r, meta, county, diags);
  g_free(county);
  kh_progress_step(progress);

  char *folder = g_build_filename(staging, TOWNSHIP_FOLDER, NULL);
  ok = ok && render_all_townships(r, meta, folder, jobs, progress, diags);
  g_free(folder);
  kh_progress_free(progress);
  return ok;
}

int kh_cmd_month(int argc, char **argv) {
  char *outdir = NULL, *date = NULL;
  int doc_no = 0, jobs = 0;
  GOptionEntry entries[] = {
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir, "输出目录（默认为当前目录下的 out/YYYY-MM）", "OUTDIR"},
      {"doc-no", 0, 0, G_OPTION_ARG_INT, &doc_no, "发文字号中的序号（默认为月份）", "N"},
      {"date", 0, 0, G_OPTION_ARG_STRING, &date, "成文和印发日期（默认今天或 SOURCE_DATE_EPOCH）", "YYYY-MM-DD"},
      {"jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "并行生成的线程数（默认 CPU 核数）", "N"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  GOptionContext *ctx = g_option_context_new("DATASET YYYY-MM - 生成月度督查通报和考评表");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(
      ctx, "在 OUTDIR 中生成：督查通报 PDF、全县考评得分汇总 Excel、各乡镇考评表（"
           TOWNSHIP_FOLDER "/ 子目录）和得分 JSON。\n任何一个文件生成失败时，目录中原有的文件保持不变。\n"
           "数据集有错误（见 kaohe check）或缺少该月的月报时不生成任何文件，退出码为 1。\n\n"
           "示例:\n  kaohe month samples/county-2013 2013-07\n"
           "  kaohe month samples/county-2013 2013-07 -o out/2013-07 --doc-no 15 --date 2013-08-05\n");
  bool parsed = kh_cli_parse(ctx, &argc, &argv);
  g_option_context_free(ctx);
  int year, month;
  if (parsed && (argc != 3 || !kh_parse_month(argv[2], &year, &month))) {
    fprintf(stderr, "kaohe month: 需要 DATASET 和 YYYY-MM，例如 kaohe month samples/county-2013 2013-07\n");
    parsed = false;
  }
  if (!parsed || jobs < 0 || doc_no < 0) {
    g_free(outdir);
    g_free(date);
    return KH_EXIT_USAGE;
  }

  int status = KH_EXIT_DATA;
  kh_dataset *ds = kh_cli_load(argv[1]);
  kh_month_result *r = NULL, *prev = NULL;
  kh_doc_meta meta;
  bool have_meta = false;
  kh_diags *diags = kh_diags_new();
  if (!ds)
    goto done;
  if (year != ds->rules.year) {
    fprintf(stderr, "kaohe month: %s 不在考评年度 %d 内\n", argv[2], ds->rules.year);
    goto done;
  }
  bool month_ok = kh_dataset_check_month(ds, month, diags);
  kh_cli_print_diags(diags);
  if (!month_ok)
    goto done;
  kh_diags_free(diags);
  diags = kh_diags_new();
  have_meta = kh_cli_doc_meta(argv[1], date, doc_no, month, &meta);
  if (!have_meta)
    goto done;

  r = kh_assess_month(ds, month);
  if (month > 1 && ds->months[month - 2].present)
    prev = kh_assess_month(ds, month - 1);
  char *target = outdir ? g_strdup(outdir) : g_strdup_printf("out/%04d-%02d", year, month);
  kh_outdir *out = kh_outdir_begin(target, diags);
  g_free(target);
  if (out && render_month(r, prev, &meta, kh_outdir_staging(out), kh_cli_jobs(jobs), diags) &&
      kh_outdir_commit(out, diags)) {
    status = KH_EXIT_OK;
    fprintf(stderr, "kaohe month: 已生成 %s\n", kh_outdir_target(out));
  }
  kh_outdir_free(out);
  kh_cli_print_diags(diags);

done:
  kh_diags_free(diags);
  if (have_meta)
    g_free((char *)meta.template_dir);
  kh_month_result_free(prev);
  kh_month_result_free(r);
  kh_dataset_free(ds);
  g_free(outdir);
  g_free(date);
  return status;
}
