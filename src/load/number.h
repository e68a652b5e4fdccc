/* Numbers in the dataset's CSV cells (docs/reference/dataset.md), internal to the load
 * stage: digits, optionally a point and more digits, the integer part
 * optionally grouped by thousands ("1,234"), and an optional leading '-'
 * that callers accept only where the dataset's rules allow a sign (attributes). */
#ifndef KAOHE_LOAD_NUMBER_H
#define KAOHE_LOAD_NUMBER_H

#include <stdbool.h>

typedef enum {
  KH_NUMBER_OK,      /* *value and *negative are set */
  KH_NUMBER_EMPTY,   /* an empty cell: the value is missing */
  KH_NUMBER_INVALID  /* anything else: text, ".5", "12.", "12,34", "1e3"... */
} kh_number_status;

/* Parses an already trimmed cell. *negative tells that a '-' was written
 * (also for "-0"), so values can reject it. */
kh_number_status kh_number_parse(const char *text, double *value, bool *negative);

/* The cell with its full-width digits, point and comma (１２３，４５６．７)
 * turned into ASCII, as the user meant them (docs/reference/dataset.md); NULL when it
 * has none. Caller frees with g_free(). */
char *kh_number_ascii(const char *text);

/* v as messages show numbers: thousands grouped, at most 15 significant
 * digits, no trailing zeros ("23,250", "1,234.5"). Caller frees with
 * g_free(). */
char *kh_number_grouped(double v);

#endif
