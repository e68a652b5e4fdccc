/* The quarter's reward-and-penalty report archived (deliver.h
 * kh_publish_quarter): what `kaohe quarter` and the web console's
 * 生成季度存档 both do. The PDF/A report, the workbook and the scores JSON
 * go into the archive (archive.c), sealed with SHA256SUMS and published
 * all at once; the register records the report after that. */
#include "deliver/publish.h"

#include <string.h>

/* The three documents are made one after another whatever jobs says: the
 * quarter's are one PDF, one workbook and the JSON, a fraction of a second
 * together even at 5,000 townships (docs/performance.md), not worth
 * threads. */
static bool render_quarter(const kh_quarter_result *q, const kh_doc_meta *meta,
                           const char *dir, kh_diags *diags) {
  char period[16];
  g_snprintf(period, sizeof period, "%04dQ%d", q->year, q->quarter);

  GString *json = g_string_new(NULL);
  kh_quarter_json(q, json);
  char *json_path = g_strdup_printf("%s/scores_%s.json", dir, period);
  GError *err = NULL;
  bool ok = g_file_set_contents(json_path, json->str, (gssize)json->len, &err);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, json_path, 1, 1, NULL, "无法写入: %s", err->message);
    g_error_free(err);
  }
  g_free(json_path);
  g_string_free(json, TRUE);

  char *pdf = g_strdup_printf("%s/季度奖惩通报_%s.pdf", dir, period);
  ok = ok && kh_render_quarter_pdf(q, meta, pdf, diags);
  g_free(pdf);
  char *xlsx = g_strdup_printf("%s/季度考评得分_%s.xlsx", dir, period);
  ok = ok && kh_render_quarter_xlsx(q, meta, xlsx, diags);
  g_free(xlsx);
  return ok;
}

bool kh_publish_quarter(const kh_dataset *ds, const kh_publish_request *rq,
                        kh_publish_result *out, kh_diags *diags) {
  memset(out, 0, sizeof *out);
  /* Refused before any work: an existing archive stays as it is. */
  if (!kh_archive_check(rq->target, rq->force, diags))
    return false;
  kh_quarter_result *q = kh_assess_quarter(ds, rq->period, rq->partial, diags);
  if (!q)
    return false;
  kh_doc_meta meta;
  if (!kh_doc_meta_init(&meta, rq->dataset_dir, rq->date, diags)) {
    kh_quarter_result_free(q);
    return false;
  }
  char period[16];
  g_snprintf(period, sizeof period, "%04dQ%d", ds->rules.year, rq->period);
  char *title = NULL;
  meta.title_out = &title;
  bool ok = false;
  kh_register *reg = kh_publish_number(rq, &meta, "quarter", period, diags);
  if (!reg)
    goto done;
  kh_archive *archive = kh_archive_begin(rq->target, rq->force, diags);
  if (!archive)
    goto done;
  if (!render_quarter(q, &meta, kh_archive_staging_dir(archive), diags)) {
    kh_diags_move_files(diags, kh_archive_staging_dir(archive), rq->target);
    kh_archive_abort(archive);
    goto done;
  }
  if (!kh_archive_commit(archive, &out->replaced, diags))
    goto done;
  out->target = g_strdup(rq->target);
  out->document = g_strdup_printf("%s/季度奖惩通报_%s.pdf", rq->target, period);
  out->doc_no = meta.doc_no;
  ok = kh_publish_record(reg, &meta, "quarter", period, title, out->document, diags);

done:
  kh_register_close(reg);
  g_free(title);
  kh_doc_meta_clear(&meta);
  kh_quarter_result_free(q);
  return ok;
}

char *kh_quarter_default_archive(int year, int quarter) {
  return g_strdup_printf("archive/%04dQ%d", year, quarter);
}
