/* The built-in blocks that templates name as partials: {{> score_table}}
 * and {{> totals_chart}} for a month, {{> quarter_table}} and
 * {{> quarter_chart}} for a quarter. Each returns a TABLE or CHART block
 * built from the results alone. */
#ifndef KAOHE_RENDER_SCORE_BLOCKS_H
#define KAOHE_RENDER_SCORE_BLOCKS_H

#include "kaohe/assess.h"
#include "render/doc.h"

/* Charts with more bars than this show the best and the worst
 * KH_CHART_EDGE townships and say so in a note. */
#define KH_CHART_MAX_BARS 40
#define KH_CHART_EDGE 20

/* Caller frees with kh_block_free(). */
kh_block *kh_score_table_block(const kh_month_result *r);
kh_block *kh_totals_chart_block(const kh_month_result *r);
kh_block *kh_quarter_table_block(const kh_quarter_result *q);
kh_block *kh_quarter_chart_block(const kh_quarter_result *q);

/* The block for partial NAME of a month (q NULL) or a quarter (r NULL), or
 * NULL when NAME is not a built-in block of that document. */
kh_block *kh_builtin_block(const char *name, const kh_month_result *r,
                           const kh_quarter_result *q);

#endif
