/* Loading a dataset for the commands that gather data (docs/reference/audits.md: forms,
 * import and mail --forms need only a rules.ini and a registry without
 * errors): the monthly files' problems are counted, not printed, since
 * check lists them and they do not stop the work. */
#include "cli/cli.h"

/* Whether diagnostic d is about a file under DATASET/monthly/. */
static bool about_monthly(const kh_diag *d, const char *monthly) {
  return g_str_has_prefix(d->file, monthly);
}

kh_dataset *kh_cli_load_rules_registry(const char *dir, int *monthly_errors) {
  kh_diags *all = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, all);
  char *monthly = g_build_filename(dir, "monthly", "", NULL);
  kh_diags *shown = kh_diags_new();
  *monthly_errors = 0;
  for (guint i = 0; i < all->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(all->items, i);
    if (!about_monthly(d, monthly))
      kh_diags_add(shown, d->severity, d->file, d->line, d->col, d->source_line, "%s",
                   d->message);
    else if (d->severity == KH_ERROR)
      (*monthly_errors)++;
  }
  kh_cli_print_diags(shown);
  if (shown->n_errors > 0 || !ds) {
    kh_dataset_free(ds);
    ds = NULL;
  }
  kh_diags_free(shown);
  kh_diags_free(all);
  g_free(monthly);
  return ds;
}

