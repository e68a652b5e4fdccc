/* Near misses (docs/reference/dataset.md, §2.6): how far a name a user typed is from the
 * names kaohe knows, so a message can suggest the one that was meant.
 * Internal to the load stage. */
#ifndef KAOHE_LOAD_SIMILAR_H
#define KAOHE_LOAD_SIMILAR_H

#include <glib.h>

/* Levenshtein distance between two UTF-8 strings, counted in characters
 * (东山乡 / 东山镇 is 1, not 3), capped: any distance above `cap` is
 * returned as cap + 1. */
int kh_edit_distance(const char *a, const char *b, int cap);

#endif
