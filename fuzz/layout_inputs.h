/* What fuzz_layout needs from the rest of the library: the dataset's text
 * decoding and the sample county's built-in blocks, kept apart so the
 * harness itself deals only in the document model and the layout. */
#ifndef KAOHE_FUZZ_LAYOUT_INPUTS_H
#define KAOHE_FUZZ_LAYOUT_INPUTS_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "render/doc.h"

/* data decoded as a dataset's template file is (UTF-8 or GB18030, no NUL);
 * NULL when it cannot be. Caller frees with g_free(). */
char *kh_fuzz_decode(const uint8_t *data, size_t size, gsize *len);

/* The sample county's 2013-07 built-in block NAME (score_table,
 * totals_chart), or NULL for another name. Caller frees the block. */
kh_block *kh_fuzz_sample_block(const char *name);

#endif
