/* Loading a dataset for the work that gathers data (load.h
 * kh_dataset_load_rules_registry): only rules.ini and the registry must be
 * without errors; the monthly files' problems are counted, not reported. */
#include "kaohe/load.h"

kh_dataset *kh_dataset_load_rules_registry(const char *dir, kh_diags *diags, int *monthly_errors) {
  kh_diags *all = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, all);
  char *monthly = g_build_filename(dir, "monthly", "", NULL);
  kh_diags *shown = kh_diags_new();
  *monthly_errors = 0;
  for (guint i = 0; i < all->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(all->items, i);
    if (!g_str_has_prefix(d->file, monthly))
      kh_diags_add(shown, d->severity, d->file, d->line, d->col, d->source_line, "%s",
                   d->message);
    else if (d->severity == KH_ERROR)
      (*monthly_errors)++;
  }
  if (shown->n_errors > 0 || !ds)
    g_clear_pointer(&ds, kh_dataset_free);
  kh_diags_append(diags, shown);
  kh_diags_free(shown);
  kh_diags_free(all);
  g_free(monthly);
  return ds;
}
