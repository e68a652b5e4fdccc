/* Numbers in the dataset's CSV cells (SPEC §2.2), internal to the load
 * stage: digits, optionally a point and more digits, the integer part
 * optionally grouped by thousands ("1,234"), and an optional leading '-'
 * that callers accept only where the SPEC allows a sign (attributes). */
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

#endif
