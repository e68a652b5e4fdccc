/* A published document's number and its row in the register (publish.h). */
#include "deliver/publish.h"

kh_register *kh_publish_number(const kh_publish_request *rq, kh_doc_meta *meta,
                               const char *kind, const char *period, kh_diags *diags) {
  kh_register *reg = kh_register_open(rq->dataset_dir, rq->doc_no > 0, diags);
  if (reg && !kh_register_assign(reg, kind, period, rq->doc_no, &meta->doc_no, diags)) {
    kh_register_close(reg);
    reg = NULL;
  }
  return reg;
}

bool kh_publish_record(kh_register *reg, const kh_doc_meta *meta, const char *kind,
                       const char *period, const char *title, const char *file,
                       kh_diags *diags) {
  char *date = g_strdup_printf("%04d-%02d-%02d", meta->date_year, meta->date_month, meta->date_day);
  kh_register_entry entry = {.number = meta->doc_no, .date = date, .kind = (char *)kind,
                             .period = (char *)period, .title = (char *)(title ? title : ""),
                             .file = (char *)file};
  bool ok = kh_register_record(reg, &entry, diags);
  g_free(date);
  return ok;
}
