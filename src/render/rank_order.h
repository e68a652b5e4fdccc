/* Townships in rank order, for every table and page that lists them so:
 * the workbooks (xlsx_county.c, xlsx_quarter.c), the console's tables
 * (score_table.c) and the web console's month and quarter pages. */
#ifndef KAOHE_RENDER_RANK_ORDER_H
#define KAOHE_RENDER_RANK_ORDER_H

/* Indices 0..n-1 ordered by ranks[] (1 = first), registry order within a
 * tie; ranks below 1 (0: not ranked, a vetoed township's quarter rank) come
 * last, in registry order. Caller frees with g_free(). */
int *kh_rank_order(const int *ranks, int n);

#endif
