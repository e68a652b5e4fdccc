/* Township keys that name no township as written (docs/reference/dataset.md): rows of
 * totals, codes that lost their leading zeros in Excel, and near misses
 * worth suggesting. */
#include "load/dataset_parts.h"

#include "load/similar.h"

kh_row_kind kh_row_kind_of(const char *key) {
  if (g_str_equal(key, "合计") || g_str_equal(key, "总计") || g_str_equal(key, "全县"))
    return KH_ROW_TOTAL;
  return g_str_equal(key, "小计") ? KH_ROW_SUBTOTAL : KH_ROW_TOWNSHIP;
}

static const char *without_zeros(const char *s) {
  while (*s == '0')
    s++;
  return s;
}

int kh_registry_match_zeros(const kh_dataset *ds, const char *key) {
  const char *k = without_zeros(key);
  int found = -1;
  for (int t = 0; t < kh_n_townships(ds); t++)
    if (g_str_equal(without_zeros(kh_township_at(ds, t)->code), k)) {
      if (found >= 0)
        return -1; /* two codes, "01" and "001": no guess */
      found = t;
    }
  return found;
}

char *kh_registry_suggest(const kh_dataset *ds, const char *key) {
  const char *found = NULL;
  int t_found = -1;
  for (int t = 0; t < kh_n_townships(ds); t++) {
    const kh_township *tw = kh_township_at(ds, t);
    const char *names[] = {tw->name, tw->code};
    for (int k = 0; k < 2; k++) {
      if (kh_edit_distance(key, names[k], 1) != 1)
        continue;
      if (found && t_found != t)
        return NULL; /* two townships as near: no guess */
      found = names[k];
      t_found = t;
    }
  }
  return found ? g_strdup(found) : NULL;
}
