/* The monthly supervision notice (督查通报), docs/reference/outputs.md: templates/notice.md
 * over the month's variables (month_context.h). */
#include "kaohe/render.h"
#include "render/official_pdf.h"

bool kh_render_notice_pdf(const kh_month_result *r, const kh_month_result *prev,
                          const kh_doc_meta *meta, const char *path, kh_diags *diags) {
  json_t *ctx = kh_month_context(r, prev, meta);
  char *subject = g_strdup_printf("%d年%d月督查通报", r->year, r->month);
  kh_official_doc spec = {.template_name = "notice.md",
                          .context = ctx,
                          .month = r,
                          .year = r->year,
                          .subject = subject};
  bool ok = kh_render_official_pdf(r->ds, &spec, meta, path, diags);
  g_free(subject);
  json_decref(ctx);
  return ok;
}
