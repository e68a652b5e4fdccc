/* The import's pages in the web console (docs/reference/console.md): the
 * preview of what an upload would merge, read from the plan of
 * kh_import_prepare() before anything is written, and the result after
 * confirmation. Each file's diagnostics are shown as on the dataset page,
 * at their line with the offending cell marked, named by the file's name
 * as uploaded. */
#include "render/web/web.h"

#include <math.h>
#include <string.h>

static json_t *value_text(double v) {
  return isnan(v) ? json_string("空") : kh_web_owned(kh_sheet_number_text(v));
}

static const char *kind_text(const char *kind) {
  return !kind                                ? ""
         : strcmp(kind, "township") == 0   ? "乡镇填报表"
         : strcmp(kind, "collection") == 0 ? "汇总表"
                                           : "月报格式的表";
}

static json_t *changes(const kh_dataset *ds, const kh_import_file *f) {
  json_t *list = json_array();
  for (guint i = 0; i < f->changes->len; i++) {
    const kh_import_change *c = &g_array_index(f->changes, kh_import_change, i);
    json_t *row = json_object();
    json_object_set_new(row, "township", json_string(kh_township_at(ds, c->township)->name));
    json_object_set_new(row, "field", json_string(kh_field_label(kh_field_at(ds, c->field))));
    json_object_set_new(row, "old", value_text(c->old_value));
    json_object_set_new(row, "new", value_text(c->value));
    json_array_append_new(list, row);
  }
  return list;
}

static json_t *file_entry(const kh_dataset *ds, const kh_import_file *f) {
  json_t *e = json_object();
  json_object_set_new(e, "name", json_string(f->name));
  bool accepted = f->outcome == KH_IMPORT_ACCEPTED;
  json_object_set_new(e, "accepted", json_boolean(accepted));
  json_object_set_new(e, "errors", json_boolean(f->outcome == KH_IMPORT_ERRORS));
  json_object_set_new(e, "conflict", json_boolean(f->outcome == KH_IMPORT_CONFLICT));
  json_object_set_new(e, "kind", json_string(kind_text(f->kind)));
  json_object_set_new(e, "n_rows", json_integer(f->n_rows));
  json_object_set_new(e, "n_errors", json_integer(f->diags->n_errors));
  json_object_set_new(e, "n_warnings", json_integer(f->diags->n_warnings));
  json_object_set_new(e, "diags", kh_web_diagnostics(ds->dir, f->diags));
  json_t *list = changes(ds, f);
  json_object_set_new(e, "has_changes", json_boolean(json_array_size(list) > 0));
  json_object_set_new(e, "n_changes", json_integer((json_int_t)json_array_size(list)));
  json_object_set_new(e, "changes", list);
  return e;
}

/* What both pages say: the month, each file, the townships still missing. */
static json_t *plan_context(const kh_dataset *ds, const kh_import_plan *p) {
  json_t *ctx = json_object();
  json_object_set_new(ctx, "month", kh_web_owned(g_strdup_printf("%d年%d月", ds->rules.year, p->month)));
  json_object_set_new(ctx, "month_href",
                      kh_web_owned(g_strdup_printf("/month/%04d-%02d", ds->rules.year, p->month)));
  json_object_set_new(ctx, "period", kh_web_owned(g_strdup_printf("%04d-%02d", ds->rules.year, p->month)));
  json_object_set_new(ctx, "replace", json_boolean(p->replace));
  json_t *files = json_array();
  for (guint i = 0; i < p->files->len; i++)
    json_array_append_new(files, file_entry(ds, g_ptr_array_index(p->files, i)));
  json_object_set_new(ctx, "uploads", files);
  json_object_set_new(ctx, "n_files", json_integer(p->files->len));
  json_object_set_new(ctx, "n_refused", json_integer(p->n_refused));
  json_object_set_new(ctx, "changed", json_boolean(p->changed));
  json_t *missing = json_array();
  for (guint i = 0; i < p->missing->len; i++)
    json_array_append_new(missing, json_string(kh_township_at(ds, g_array_index(p->missing, int, i))->name));
  json_object_set_new(ctx, "n_missing", json_integer(p->missing->len));
  json_object_set_new(ctx, "all_reported", json_boolean(p->missing->len == 0));
  json_object_set_new(ctx, "missing", missing);
  json_object_set_new(ctx, "n_townships", json_integer(kh_n_townships(ds)));
  return ctx;
}

void kh_web_import_preview_page(const kh_dataset *ds, const kh_import_plan *plan, json_t *console,
                                GString *out) {
  json_t *ctx = plan_context(ds, plan);
  json_object_set_new(ctx, "confirm", json_boolean(console && plan->changed));
  char *title = g_strdup_printf("导入预览：%d年%d月", ds->rules.year, plan->month);
  json_object_set_new(ctx, "title", json_string(title));
  kh_web_render("import_preview.html", title, ds, ctx, console, out);
  g_free(title);
  json_decref(ctx);
}

void kh_web_import_result_page(const kh_dataset *ds, const kh_import_plan *plan,
                               const char *written, const GPtrArray *moved, GString *out) {
  json_t *ctx = plan_context(ds, plan);
  if (written)
    json_object_set_new(ctx, "written", kh_web_in_dataset(ds->dir, written));
  json_t *list = json_array();
  for (guint i = 0; moved && i < moved->len; i++)
    json_array_append_new(list, kh_web_in_dataset(ds->dir, g_ptr_array_index(moved, i)));
  json_object_set_new(ctx, "moved", list);
  char *title = g_strdup_printf("导入结果：%d年%d月", ds->rules.year, plan->month);
  json_object_set_new(ctx, "title", json_string(title));
  kh_web_render("import_result.html", title, ds, ctx, NULL, out);
  g_free(title);
  json_decref(ctx);
}
