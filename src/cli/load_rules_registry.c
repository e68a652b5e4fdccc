/* Loading a dataset for the commands that gather data (forms, import and
 * mail --forms; load.h kh_dataset_load_rules_registry), its problems
 * printed. */
#include "cli/cli.h"

kh_dataset *kh_cli_load_rules_registry(const char *dir, int *monthly_errors) {
  kh_diags *shown = kh_diags_new();
  kh_dataset *ds = kh_dataset_load_rules_registry(dir, shown, monthly_errors);
  kh_cli_print_diags(shown);
  kh_diags_free(shown);
  return ds;
}
