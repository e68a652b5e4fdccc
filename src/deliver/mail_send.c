/* Sending a batch of mails (deliver.h kh_mail_batch_send): rq->jobs
 * threads share the batch's delivery log, each taking the next item no
 * thread has taken; an item's outcome is recorded in the log before the
 * next goes, so a rerun sends only what has not gone out. */
#include "kaohe/deliver.h"

typedef struct {
  const kh_mail_send_request *rq;
  kh_mail_batch *b;
  kh_mail_log *log;
  const char *dataset; /* of the delivery key */
  gint next;
  gint stop;           /* a kh_mail_stop, set by the first reason to stop */
  GMutex lock;         /* guards done and the progress callback */
  int done;
} send_job;

/* Whether a failure concerns the server rather than one recipient: no
 * reply at all (connection, TLS, URL), the service closing (421), or the
 * login (454, 530, 534, 535, 538). Going on would only repeat it, and
 * repeated failed logins can get the account locked. */
static bool server_trouble(const kh_send_result *res) {
  if (res->status != KH_SEND_TRANSIENT && res->status != KH_SEND_PERMANENT)
    return false;
  switch (res->reply_code) {
  case 0:
  case 421:
  case 454:
  case 530:
  case 534:
  case 535:
  case 538:
    return true;
  default:
    return false;
  }
}

static gpointer send_some(gpointer data) {
  send_job *job = data;
  GArray *items = job->b->items;
  for (;;) {
    guint k = (guint)g_atomic_int_add(&job->next, 1);
    if (k >= items->len || g_atomic_int_get(&job->stop) != KH_MAIL_STOP_NONE)
      break;
    kh_mail_item *it = &g_array_index(items, kh_mail_item, k);
    if (!it->diags)
      it->diags = kh_diags_new();
    it->attempted = true;
    kh_delivery_key key = {.dataset = job->dataset, .period = job->b->period,
                           .kind = job->b->kind, .township = it->tw->code,
                           .rcpt = it->tw->email, .attachment_sha256 = it->attachment_sha256};
    kh_mail_deliver(job->rq->smtp, job->log, &key, it->message_id, it->message,
                    job->rq->resend, &it->res, &it->recorded, it->diags);
    /* Without its record a rerun would send it again: nothing more goes
     * out while the log cannot be written. */
    if (!it->recorded)
      g_atomic_int_set(&job->stop, KH_MAIL_STOP_LOG);
    else if (server_trouble(&it->res))
      (void)g_atomic_int_compare_and_exchange(&job->stop, KH_MAIL_STOP_NONE, KH_MAIL_STOP_SERVER);
    g_mutex_lock(&job->lock);
    job->done++;
    if (job->rq->progress)
      job->rq->progress(job->rq->progress_cls, job->done, (int)items->len);
    g_mutex_unlock(&job->lock);
  }
  return NULL;
}

bool kh_mail_batch_send(kh_mail_batch *b, const kh_mail_send_request *rq, kh_diags *diags) {
  char *log_path = g_build_filename(b->outdir, KH_MAIL_LOG_NAME, NULL);
  kh_mail_log *log = kh_mail_log_open(log_path, diags);
  g_free(log_path);
  if (!log)
    return false;
  send_job job = {.rq = rq, .b = b, .log = log,
                  .dataset = b->ds->rules.county ? b->ds->rules.county : ""};
  g_mutex_init(&job.lock);
  int jobs = rq->jobs;
  if (jobs > (int)b->items->len)
    jobs = (int)b->items->len;
  if (jobs < 1)
    jobs = 1;
  GThread **threads = g_new(GThread *, jobs);
  for (int k = 1; k < jobs; k++)
    threads[k] = g_thread_new("mail", send_some, &job);
  send_some(&job); /* the calling thread sends too */
  for (int k = 1; k < jobs; k++)
    g_thread_join(threads[k]);
  g_free(threads);
  g_mutex_clear(&job.lock);
  kh_mail_log_free(log);
  b->stop = (kh_mail_stop)g_atomic_int_get(&job.stop);
  return true;
}
