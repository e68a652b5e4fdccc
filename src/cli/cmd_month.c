/* kaohe month DATASET YYYY-MM: the month's documents (the man page, docs/kaohe.1.in).
 *
 * Everything is rendered into a staging folder beside OUTDIR first, which
 * takes OUTDIR's place whole only when every document succeeded
 * (deliver/outdir.h), so a failed or killed run leaves the folder of an
 * earlier run untouched. */
#include "cli/cli.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "cli/progress.h"
#include "kaohe/deliver.h"


/* One run's rendering, shared by its threads. */
typedef struct {
  const kh_month_result *result;
  const kh_doc_meta *meta;
  const char *staging; /* the county documents go here */
  const char *folder;  /* the township workbooks go here */
  gint next;           /* next township to render, taken atomically */
  gint failed;         /* set once any document failed: the others stop */
  GMutex lock;         /* guards progress */
  kh_progress *progress;
} month_job;

/* A document finished: counts it and stops the others if it failed. */
static void step(month_job *job, bool ok) {
  if (!ok)
    g_atomic_int_set(&job->failed, 1);
  g_mutex_lock(&job->lock);
  kh_progress_step(job->progress);
  g_mutex_unlock(&job->lock);
}

/* Renders township workbooks, each time the next one no thread has taken,
 * until none is left or a document failed. Appends to diags, which belongs
 * to the calling thread. */
static void render_townships(month_job *job, kh_diags *diags) {
  const kh_month_result *r = job->result;
  for (;;) {
    int t = g_atomic_int_add(&job->next, 1);
    if (t >= r->n_townships || g_atomic_int_get(&job->failed))
      return;
    char *name = kh_township_xlsx_name(r, t);
    char *path = g_build_filename(job->folder, name, NULL);
    step(job, kh_render_township_xlsx(r, t, job->meta, path, diags));
    g_free(path);
    g_free(name);
  }
}

typedef struct {
  month_job *job;
  kh_diags *diags; /* the worker's own */
} township_worker;

static gpointer township_worker_run(gpointer data) {
  township_worker *w = data;
  render_townships(w->job, w->diags);
  return NULL;
}

/* The scores as JSON (docs/reference/outputs.md) at path. */
static bool write_json(const kh_month_result *r, const char *path, kh_diags *diags) {
  GString *json = g_string_new(NULL);
  kh_score_json(r, json);
  GError *err = NULL;
  bool ok = g_file_set_contents(path, json->str, (gssize)json->len, &err);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法写入: %s", err->message);
    g_error_free(err);
  }
  g_string_free(json, TRUE);
  return ok;
}

/* The county's documents: the notice PDF (which compares with the previous
 * month, assessed here while other threads make workbooks), the county
 * workbook and the scores JSON. Each holds a table of every township in
 * memory while it is made (tens of megabytes for a province), so they are
 * made one after another in one thread, and what each freed goes back to
 * the system before the next (main.c keeps freed memory otherwise): the
 * peak is the largest of them, not their sum. */
static void render_county_documents(month_job *job, kh_diags *diags) {
  const kh_month_result *r = job->result;
  char period[16];
  g_snprintf(period, sizeof period, "%04d-%02d", r->year, r->month);

  kh_month_result *prev = NULL;
  if (r->month > 1 && r->ds->months[r->month - 2].present)
    prev = kh_assess_month(r->ds, r->month - 1);
  char *notice = g_strdup_printf("%s/督查通报_%s.pdf", job->staging, period);
  step(job, kh_render_notice_pdf(r, prev, job->meta, notice, diags));
  g_free(notice);
  kh_month_result_free(prev);
  malloc_trim(0);
  if (g_atomic_int_get(&job->failed))
    return;

  char *county = g_strdup_printf("%s/考评得分汇总_%s.xlsx", job->staging, period);
  step(job, kh_render_county_xlsx(r, job->meta, county, diags));
  g_free(county);
  malloc_trim(0);
  if (g_atomic_int_get(&job->failed))
    return;

  char *json = g_strdup_printf("%s/scores_%s.json", job->staging, period);
  step(job, write_json(r, json, diags));
  g_free(json);
  malloc_trim(0);
}

/* Renders the month's documents into staging with `jobs` threads: the
 * calling thread makes the county's documents and then joins the others,
 * which make township workbooks from the start. Every document is the same
 * whatever the number of threads. */
static bool render_month(const kh_month_result *r, const kh_doc_meta *meta, const char *staging, int jobs,
                         kh_diags *diags) {
  char *folder = g_build_filename(staging, KH_TOWNSHIP_FOLDER, NULL);
  if (g_mkdir_with_parents(folder, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, folder, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
    g_free(folder);
    return false;
  }
  month_job job = {.result = r, .meta = meta, .staging = staging,
                   .folder = folder,
                   .progress = kh_progress_new("生成文档", r->n_townships + 3)};
  g_mutex_init(&job.lock);

  int n_workers = MIN(jobs - 1, r->n_townships);
  township_worker *workers = g_new0(township_worker, MAX(n_workers, 1));
  GThread **threads = g_new0(GThread *, MAX(n_workers, 1));
  for (int k = 0; k < n_workers; k++) {
    workers[k] = (township_worker){&job, kh_diags_new()};
    threads[k] = g_thread_new("township", township_worker_run, &workers[k]);
  }
  render_county_documents(&job, diags);
  render_townships(&job, diags);
  for (int k = 0; k < n_workers; k++) {
    g_thread_join(threads[k]);
    kh_diags_append(diags, workers[k].diags);
    kh_diags_free(workers[k].diags);
  }
  g_free(threads);
  g_free(workers);
  kh_progress_free(job.progress);
  g_mutex_clear(&job.lock);
  g_free(folder);
  return !job.failed;
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
  kh_month_result *r = NULL;
  kh_doc_meta meta;
  bool have_meta = false;
  kh_register *reg = NULL;
  char *title = NULL;
  char period[16];
  kh_diags *diags = kh_diags_new();
  if (!ds)
    goto done;
  if (!kh_cli_in_year("month", argv[2], year, ds))
    goto done;
  bool month_ok = kh_dataset_check_month(ds, month, diags);
  kh_cli_print_diags(diags);
  if (!month_ok)
    goto done;
  kh_diags_free(diags);
  diags = kh_diags_new();
  have_meta = kh_cli_doc_meta(argv[1], date, &meta);
  if (!have_meta)
    goto done;
  g_snprintf(period, sizeof period, "%04d-%02d", year, month);
  reg = kh_cli_register_open(argv[1], "month", period, doc_no, &meta.doc_no);
  if (!reg)
    goto done;
  meta.title_out = &title;

  r = kh_assess_month(ds, month);
  char *target = kh_cli_month_outdir(outdir, year, month);
  kh_outdir *out = kh_outdir_begin(target, diags);
  g_free(target);
  kh_cli_libraries_quiet();
  bool rendered = out && render_month(r, &meta, kh_outdir_staging(out), kh_cli_jobs(jobs), diags);
  kh_cli_libraries_end();
  if (rendered && kh_outdir_commit(out, diags)) {
    status = KH_EXIT_OK;
    fprintf(stderr, "kaohe month: 已生成 %s\n", kh_outdir_target(out));
  }
  if (out)
    kh_outdir_unstage_diags(out, diags);
  kh_cli_print_diags(diags);
  if (status == KH_EXIT_OK) {
    char *notice = g_strdup_printf("%s/督查通报_%s.pdf", kh_outdir_target(out), period);
    if (!kh_cli_register_record(reg, &meta, "month", period, title, notice))
      status = KH_EXIT_DATA;
    g_free(notice);
  }
  kh_outdir_free(out);

done:
  kh_register_close(reg);
  g_free(title);
  kh_diags_free(diags);
  if (have_meta)
    g_free((char *)meta.template_dir);
  kh_month_result_free(r);
  kh_dataset_free(ds);
  g_free(outdir);
  g_free(date);
  return status;
}
