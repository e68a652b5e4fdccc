/* Importing returned files, the first step (load.h kh_import_prepare,
 * docs/reference/forms.md): each file read and checked on its own, merged
 * in memory over the month's current values when it has no error and no
 * conflict. The plan is data: the command prints it, the web console shows
 * it as a preview, and kh_import_commit() writes it. */
#include "kaohe/load.h"

#include <math.h>
#include <string.h>

static bool differs(double a, double b) { return isnan(a) != isnan(b) || (!isnan(a) && a != b); }

static void file_free(gpointer data) {
  kh_import_file *f = data;
  g_free(f->path);
  g_free(f->name);
  kh_diags_free(f->diags);
  g_array_unref(f->changes);
  g_free(f);
}

void kh_import_plan_free(kh_import_plan *p) {
  if (!p)
    return;
  g_ptr_array_unref(p->files);
  g_free(p->has);
  g_free(p->values);
  g_array_unref(p->missing);
  g_free(p);
}

/* Diagnostics read from path name the file as the user knows it. */
static void rename_file(kh_diags *d, const char *path, const char *name) {
  for (guint i = 0; i < d->items->len; i++) {
    kh_diag *item = g_ptr_array_index(d->items, i);
    if (strcmp(item->file, path) == 0) {
      g_free(item->file);
      item->file = g_strdup(name);
    }
  }
}

/* The values of r's rows that differ from the month as merged so far, for
 * townships already in it. */
static void find_changes(const kh_import_plan *p, int nf, const kh_returned *r, GArray *changes) {
  for (guint i = 0; i < r->rows->len; i++) {
    const kh_returned_row *row = &g_array_index(r->rows, kh_returned_row, i);
    if (!p->has[row->township])
      continue;
    for (int f = 0; f < nf; f++) {
      double old = p->values[row->township * nf + f];
      if (r->covered[f] && differs(old, row->values[f])) {
        kh_import_change c = {row->township, f, old, row->values[f]};
        g_array_append_val(changes, c);
      }
    }
  }
}

static void merge(kh_import_plan *p, int nf, const kh_returned *r) {
  for (guint i = 0; i < r->rows->len; i++) {
    const kh_returned_row *row = &g_array_index(r->rows, kh_returned_row, i);
    int t = row->township;
    if (!p->has[t]) {
      p->has[t] = true;
      p->changed = true;
    }
    for (int f = 0; f < nf; f++)
      if (r->covered[f] && differs(p->values[t * nf + f], row->values[f])) {
        p->values[t * nf + f] = row->values[f];
        p->changed = true;
      }
  }
}

static kh_import_file *prepare_file(const kh_dataset *ds, kh_import_plan *p,
                                    const kh_import_source *src) {
  kh_import_file *f = g_new0(kh_import_file, 1);
  f->path = g_strdup(src->path);
  f->name = g_strdup(src->name ? src->name : src->path);
  f->diags = kh_diags_new();
  f->changes = g_array_new(FALSE, FALSE, sizeof(kh_import_change));
  kh_returned *r = kh_returned_read(ds, p->month, src->path, f->diags);
  rename_file(f->diags, f->path, f->name);
  if (!r) {
    f->outcome = KH_IMPORT_ERRORS;
    return f;
  }
  f->kind = r->kind;
  f->n_rows = (int)r->rows->len;
  int nf = kh_n_fields(ds);
  find_changes(p, nf, r, f->changes);
  f->outcome = f->changes->len > 0 && !p->replace ? KH_IMPORT_CONFLICT : KH_IMPORT_ACCEPTED;
  if (f->outcome == KH_IMPORT_ACCEPTED)
    merge(p, nf, r);
  kh_returned_free(r);
  return f;
}

kh_import_plan *kh_import_prepare(const kh_dataset *ds, int month, const kh_import_source *sources,
                                  int n, bool replace) {
  int nt = kh_n_townships(ds), nf = kh_n_fields(ds);
  kh_import_plan *p = g_new0(kh_import_plan, 1);
  p->month = month;
  p->replace = replace;
  p->files = g_ptr_array_new_with_free_func(file_free);
  p->has = g_new0(bool, nt + 1);
  p->values = g_new(double, (gsize)nt * nf + 1);
  p->missing = g_array_new(FALSE, FALSE, sizeof(int));
  const kh_month_data *md = &ds->months[month - 1];
  for (int t = 0; t < nt; t++) {
    p->has[t] = kh_month_has_row(md, t);
    for (int f = 0; f < nf; f++)
      p->values[t * nf + f] = md->present ? md->values[t * nf + f] : NAN;
  }
  for (int i = 0; i < n; i++) {
    kh_import_file *f = prepare_file(ds, p, &sources[i]);
    p->n_refused += f->outcome != KH_IMPORT_ACCEPTED;
    g_ptr_array_add(p->files, f);
  }
  for (int t = 0; t < nt; t++)
    if (!p->has[t])
      g_array_append_val(p->missing, t);
  return p;
}
