/* Townships in rank order (rank_order.h). */
#include "render/rank_order.h"

#include <stdlib.h>
#include <glib.h>

typedef struct {
  int key, index;
} rank_key;

static int compare_rank_keys(const void *a, const void *b) {
  const rank_key *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

int *kh_rank_order(const int *ranks, int n) {
  rank_key *keys = g_new(rank_key, MAX(n, 1));
  for (int t = 0; t < n; t++)
    keys[t] = (rank_key){ranks[t] >= 1 ? ranks[t] : G_MAXINT, t};
  qsort(keys, n, sizeof *keys, compare_rank_keys);
  int *order = g_new(int, MAX(n, 1));
  for (int k = 0; k < n; k++)
    order[k] = keys[k].index;
  g_free(keys);
  return order;
}
