/* Competition ranking (rank.h): sort the eligible indices by key, then give
 * each run of equal keys the position of its first member. */
#include "assess/rank.h"

#include <glib.h>

typedef struct {
  const double *keys;
  bool descending;
} rank_order;

static gint compare_indices(gconstpointer a, gconstpointer b, gpointer user) {
  const rank_order *order = user;
  double ka = order->keys[*(const int *)a], kb = order->keys[*(const int *)b];
  int c = (ka > kb) - (ka < kb);
  if (order->descending)
    c = -c;
  /* Ties keep index order, so the sort's result does not depend on qsort's
   * stability. */
  return c ? c : (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

void kh_competition_rank(const double *keys, const bool *eligible, int n,
                         bool descending, int *ranks) {
  int *order = g_new(int, n > 0 ? n : 1);
  int m = 0;
  for (int i = 0; i < n; i++) {
    ranks[i] = 0;
    if (!eligible || eligible[i])
      order[m++] = i;
  }
  rank_order how = {keys, descending};
  g_qsort_with_data(order, m, sizeof *order, compare_indices, &how);
  for (int k = 0; k < m; k++)
    ranks[order[k]] = k > 0 && keys[order[k]] == keys[order[k - 1]]
                          ? ranks[order[k - 1]]
                          : k + 1;
  g_free(order);
}
