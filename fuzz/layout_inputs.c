/* The sample county's built-in blocks and template decoding for
 * fuzz_layout (layout_inputs.h). */
#include "layout_inputs.h"

#include <stdlib.h>
#include "support.h"
#include "load/encoding.h"
#include "render/score_blocks.h"

char *kh_fuzz_decode(const uint8_t *data, size_t size, gsize *len) {
  kh_diags *diags = kh_diags_new();
  char *text = kh_decode_text("templates/notice.md", (const char *)data, size, len, diags);
  kh_diags_free(diags);
  return text;
}

kh_block *kh_fuzz_sample_block(const char *name) {
  static kh_month_result *result;
  if (!result) {
    char *dir = g_build_filename(kh_fuzz_source_dir(), "samples", "county-2013", NULL);
    kh_diags *diags = kh_diags_new();
    kh_dataset *ds = kh_dataset_load(dir, diags); /* kept: the result borrows it */
    if (!ds || diags->n_errors)
      abort();
    result = kh_assess_month(ds, 7);
    kh_diags_free(diags);
    g_free(dir);
  }
  return kh_builtin_block(name, result, NULL);
}
