/* `kaohe check`'s look at the faces rules.ini's [fonts] names (render.h). */
#include "kaohe/render.h"
#include "render/layout/fonts.h"

/* The faces the [fonts] entries of rules.ini name, looked up now so that a
 * wrong path or family shows before a notice is due. A font is not data
 * (the man page, docs/kaohe.1.in lists a missing font apart from errors in the data), so its
 * problems are warnings here; `month` and `quarter` refuse on them. */
void kh_check_fonts(const kh_dataset *ds, kh_diags *diags) {
  const kh_rules *r = &ds->rules;
  if (!r->font_body && !r->font_title && !r->font_heading1 && !r->font_heading2)
    return;
  kh_font_request req = {.body = r->font_body, .title = r->font_title,
                         .heading1 = r->font_heading1, .heading2 = r->font_heading2,
                         .rules_path = ds->rules_path};
  kh_diags *found = kh_diags_new();
  kh_fontset_free(kh_fontset_open(&req, found));
  for (guint i = 0; i < found->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(found->items, i);
    kh_diags_add(diags, KH_WARNING, d->file, d->line, d->col, d->source_line, "%s%s",
                 d->message,
                 d->severity == KH_ERROR ? "（kaohe month 和 quarter 将因此无法生成 PDF）" : "");
  }
  kh_diags_free(found);
}
