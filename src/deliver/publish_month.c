/* The month's documents made and published (deliver.h kh_publish_month):
 * what `kaohe month` and the web console's 生成本月文档 both do.
 *
 * Everything is rendered into a staging folder beside the target, which
 * takes the target's place whole only when every document succeeded
 * (outdir.c), so a failed or killed run leaves the folder of an earlier
 * run untouched; the register records the notice only after that. */
#include "deliver/publish.h"

#include <errno.h>
#include <string.h>
#include <malloc.h>
#include <glib/gstdio.h>

/* One run's rendering, shared by its threads. */
typedef struct {
  const kh_month_result *result;
  const kh_doc_meta *meta;
  const char *staging; /* the county documents go here */
  const char *folder;  /* the township workbooks go here */
  gint next;           /* next township to render, taken atomically */
  gint failed;         /* set once any document failed: the others stop */
  GMutex lock;         /* guards done and the progress callback */
  int done, total;
  const kh_publish_request *rq;
} month_job;

/* A document finished: counts it and stops the others if it failed. */
static void step(month_job *job, bool ok) {
  if (!ok)
    g_atomic_int_set(&job->failed, 1);
  g_mutex_lock(&job->lock);
  job->done++;
  if (job->rq->progress)
    job->rq->progress(job->rq->progress_cls, job->done, job->total);
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

/* Renders the month's documents into staging with rq->jobs threads: the
 * calling thread makes the county's documents and then joins the others,
 * which make township workbooks from the start. Every document is the same
 * whatever the number of threads. */
static bool render_month(const kh_month_result *r, const kh_doc_meta *meta, const char *staging,
                         const kh_publish_request *rq, kh_diags *diags) {
  char *folder = g_build_filename(staging, KH_TOWNSHIP_FOLDER, NULL);
  if (g_mkdir_with_parents(folder, 0755) != 0) {
    kh_diags_add(diags, KH_ERROR, folder, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
    g_free(folder);
    return false;
  }
  month_job job = {.result = r, .meta = meta, .staging = staging, .folder = folder,
                   .total = r->n_townships + 3, .rq = rq};
  g_mutex_init(&job.lock);

  int n_workers = MIN(MAX(rq->jobs, 1) - 1, r->n_townships);
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
  g_mutex_clear(&job.lock);
  g_free(folder);
  return !job.failed;
}

bool kh_publish_month(const kh_dataset *ds, const kh_publish_request *rq,
                      kh_publish_result *out, kh_diags *diags) {
  memset(out, 0, sizeof *out);
  int month = rq->period;
  if (!kh_dataset_check_month(ds, month, diags))
    return false;
  kh_doc_meta meta;
  if (!kh_doc_meta_init(&meta, rq->dataset_dir, rq->date, diags))
    return false;
  char period[16];
  g_snprintf(period, sizeof period, "%04d-%02d", ds->rules.year, month);
  char *title = NULL;
  meta.title_out = &title;
  bool ok = false;
  kh_month_result *r = NULL;
  kh_outdir *o = NULL;
  kh_register *reg = kh_publish_number(rq, &meta, "month", period, diags);
  if (!reg)
    goto done;

  r = kh_assess_month(ds, month);
  o = kh_outdir_begin(rq->target, diags);
  if (!o || !render_month(r, &meta, kh_outdir_staging(o), rq, diags) ||
      !kh_outdir_commit(o, diags)) {
    if (o)
      kh_outdir_unstage_diags(o, diags);
    goto done;
  }
  kh_outdir_unstage_diags(o, diags);
  out->target = g_strdup(kh_outdir_target(o));
  out->document = g_strdup_printf("%s/督查通报_%s.pdf", out->target, period);
  out->doc_no = meta.doc_no;
  ok = kh_publish_record(reg, &meta, "month", period, title, out->document, diags);

done:
  kh_outdir_free(o);
  kh_month_result_free(r);
  kh_register_close(reg);
  g_free(title);
  kh_doc_meta_clear(&meta);
  return ok;
}

void kh_publish_result_clear(kh_publish_result *out) {
  g_free(out->target);
  g_free(out->document);
  g_free(out->replaced);
  memset(out, 0, sizeof *out);
}

char *kh_month_default_outdir(int year, int month) {
  return g_strdup_printf("out/%04d-%02d", year, month);
}
