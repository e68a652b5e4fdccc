/* The quarterly reward-and-penalty report (季度奖惩通报), docs/reference/outputs.md: an
 * archival PDF/A-1b from templates/quarterly.md over the quarter's
 * variables (quarter_context.h). */
#include "render/official_pdf.h"
#include "render/quarter_context.h"

bool kh_render_quarter_pdf(const kh_quarter_result *q, const kh_doc_meta *meta,
                           const char *path, kh_diags *diags) {
  json_t *ctx = kh_quarter_context(q, meta);
  char *subject = g_strdup_printf("%d年第%d季度奖惩通报", q->year, q->quarter);
  kh_official_doc spec = {.template_name = "quarterly.md",
                          .context = ctx,
                          .quarter = q,
                          .year = q->year,
                          .subject = subject,
                          .pdfa = true};
  bool ok = kh_render_official_pdf(q->ds, &spec, meta, path, diags);
  g_free(subject);
  json_decref(ctx);
  return ok;
}
