/* Competition ranking (1, 2, 2, 4), shared by the monthly total, the rank
 * method and the quarter (docs/reference/scoring.md, §3.5, §3.6). Internal to assess. */
#ifndef KAOHE_ASSESS_RANK_H
#define KAOHE_ASSESS_RANK_H

#include <stdbool.h>

/* Ranks the n keys whose `eligible` entry is true (all when eligible is
 * NULL): rank = 1 + the number of eligible keys strictly better, where
 * better is larger when `descending`, else smaller. Equal keys (exactly
 * equal doubles) share a rank. Ineligible entries get rank 0. Writes
 * ranks[0..n-1]. */
void kh_competition_rank(const double *keys, const bool *eligible, int n,
                         bool descending, int *ranks);

#endif
