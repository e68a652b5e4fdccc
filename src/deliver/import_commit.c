/* Importing returned files, the second step (deliver.h kh_import_commit):
 * the plan's merged month written as monthly/YYYY-MM.csv, the month's
 * earlier files moved to monthly/备份/ (month_file.c). */
#include "kaohe/deliver.h"

bool kh_import_commit(const kh_dataset *ds, const kh_import_plan *plan, const char *stamp,
                      kh_import_written *out, kh_diags *diags) {
  out->path = NULL;
  out->moved = g_ptr_array_new_with_free_func(g_free);
  if (!plan->changed)
    return true;
  kh_month_rows rows = {plan->has, plan->values};
  char *text = kh_month_file_text(ds, &rows);
  char *now_stamp = NULL;
  if (!stamp) {
    GDateTime *now = g_date_time_new_now_local();
    stamp = now_stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_date_time_unref(now);
  }
  bool ok = kh_month_file_write(ds, plan->month, text, stamp, out->moved, diags);
  if (ok)
    out->path = g_strdup_printf("%s/monthly/%04d-%02d.csv", ds->dir, ds->rules.year, plan->month);
  g_free(now_stamp);
  g_free(text);
  return ok;
}

void kh_import_written_clear(kh_import_written *w) {
  g_clear_pointer(&w->path, g_free);
  g_clear_pointer(&w->moved, g_ptr_array_unref);
}
