/* What making the month's documents and the quarter's archive share
 * (publish_month.c, publish_quarter.c): the document's number from the
 * register before, and its row in the register after. Internal to
 * src/deliver. */
#ifndef KAOHE_DELIVER_PUBLISH_H
#define KAOHE_DELIVER_PUBLISH_H

#include "kaohe/deliver.h"
#include "kaohe/render.h"

/* Opens the register and sets meta->doc_no to kind's period's number (the
 * request's, or the register's). NULL with diags on error. */
kh_register *kh_publish_number(const kh_publish_request *rq, kh_doc_meta *meta,
                               const char *kind, const char *period, kh_diags *diags);

/* Records the published document file, titled title, with meta's number
 * and date. */
bool kh_publish_record(kh_register *reg, const kh_doc_meta *meta, const char *kind,
                       const char *period, const char *title, const char *file,
                       kh_diags *diags);

#endif
