/* The words of the score output (docs/reference/outputs.md) shared by its JSON, CSV and
 * table forms, so the three never disagree. Internal to render. */
#ifndef KAOHE_RENDER_SCORE_WORDS_H
#define KAOHE_RENDER_SCORE_WORDS_H

#include <glib.h>
#include "kaohe/assess.h"

/* "ok", "missing", "na". Static strings. */
const char *kh_status_word(kh_status s);

/* ">=" or "<=". Static string. */
const char *kh_op_word(kh_op op);

/* "2013-07" for a month, "2013Q3" for a quarter. Caller frees with g_free(). */
char *kh_month_period(int year, int month);
char *kh_quarter_period(int year, int quarter);

/* The quarter's months joined with sep ("2013-07;2013-08"); with
 * `vetoed_of` >= 0 only the months in which that township was vetoed.
 * Caller frees with g_free(). */
char *kh_quarter_months(const kh_quarter_result *q, int vetoed_of, const char *sep);

#endif
