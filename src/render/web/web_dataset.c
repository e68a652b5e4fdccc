/* The dataset's page: which months have a file and who has not reported,
 * and every diagnostic of `kaohe check`, grouped by file, each shown at its
 * line with the offending cell marked. */
#include "render/web/web.h"

#include <string.h>

/* Splits a diagnostic's line around the cell starting at column col (in
 * characters): the cell runs to the next separator outside quotes. */
static void mark_cell(json_t *item, const char *line, int col) {
  glong n = g_utf8_strlen(line, -1);
  if (col < 1 || col > n + 1)
    col = 1;
  const char *start = g_utf8_offset_to_pointer(line, col - 1);
  const char *end = start;
  bool quoted = *end == '"';
  if (quoted)
    end++;
  while (*end && (quoted ? *end != '"' : (*end != ',' && *end != '\t' && *end != '=')))
    end++;
  if (quoted && *end == '"')
    end++;
  json_object_set_new(item, "before", json_stringn(line, (size_t)(start - line)));
  json_object_set_new(item, "cell", json_stringn(start, (size_t)(end - start)));
  json_object_set_new(item, "after", json_string(end));
}

json_t *kh_web_in_dataset(const char *dir, const char *path) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/')
    n--;
  if (strncmp(path, dir, n) == 0 && path[n] == '/')
    return json_string(path + n + 1);
  return json_string(path);
}

json_t *kh_web_diagnostics(const char *dir, const kh_diags *diags) {
  json_t *files = json_array();
  json_t *current = NULL;
  const char *current_file = NULL;
  for (guint k = 0; k < diags->items->len; k++) {
    const kh_diag *d = g_ptr_array_index(diags->items, k);
    if (!current_file || strcmp(current_file, d->file) != 0) {
      current = json_object();
      json_object_set_new(current, "file", kh_web_in_dataset(dir, d->file));
      json_object_set_new(current, "items", json_array());
      json_array_append_new(files, current);
      current_file = d->file;
    }
    json_t *item = json_object();
    json_object_set_new(item, "error", json_boolean(d->severity == KH_ERROR));
    if (d->line > 0) { /* a message about a whole file has no place in it */
      json_object_set_new(item, "line", json_integer(d->line));
      json_object_set_new(item, "col", json_integer(d->col));
    }
    json_object_set_new(item, "message", kh_web_owned(kh_explain_system_words(d->message)));
    if (d->source_line)
      mark_cell(item, d->source_line, d->col);
    json_array_append_new(json_object_get(current, "items"), item);
  }
  return files;
}

static json_t *months(const kh_dataset *ds, const char *dir) {
  json_t *list = json_array();
  for (int m = 1; m <= 12; m++) {
    const kh_month_data *md = &ds->months[m - 1];
    if (!md->present)
      continue;
    json_t *row = json_object();
    json_object_set_new(row, "month", kh_web_owned(g_strdup_printf("%d月", m)));
    json_object_set_new(row, "href", kh_web_owned(g_strdup_printf("/month/%04d-%02d", ds->rules.year, m)));
    json_object_set_new(row, "file", kh_web_in_dataset(dir, md->path));
    json_t *missing = json_array();
    for (int t = 0; t < kh_n_townships(ds); t++)
      if (!kh_month_has_row(md, t))
        json_array_append_new(missing, json_string(kh_township_at(ds, t)->name));
    json_object_set_new(row, "n_reported",
                        json_integer(kh_n_townships(ds) - (json_int_t)json_array_size(missing)));
    json_object_set_new(row, "unreported", missing);
    json_array_append_new(list, row);
  }
  return list;
}

void kh_web_dataset_page(const kh_dataset *ds, const char *dataset_dir, const kh_diags *diags,
                         json_t *console, GString *out) {
  json_t *ctx = json_object();
  char *title = ds ? g_strdup_printf("%s%d年考评数据", ds->rules.county ? ds->rules.county : "",
                                     ds->rules.year)
                   : g_strdup("考评数据");
  json_object_set_new(ctx, "title", json_string(title));
  json_object_set_new(ctx, "dir", json_string(dataset_dir));
  if (ds) {
    json_object_set_new(ctx, "n_townships", json_integer(kh_n_townships(ds)));
    json_object_set_new(ctx, "n_indicators", json_integer(kh_n_indicators(ds)));
    json_t *list = months(ds, dataset_dir);
    json_object_set_new(ctx, "has_months", json_boolean(json_array_size(list) > 0));
    json_object_set_new(ctx, "months", list);
  }
  json_object_set_new(ctx, "n_errors", json_integer(diags->n_errors));
  json_object_set_new(ctx, "n_warnings", json_integer(diags->n_warnings));
  json_object_set_new(ctx, "clean", json_boolean(diags->n_errors + diags->n_warnings == 0));
  json_object_set_new(ctx, "files", kh_web_diagnostics(dataset_dir, diags));
  kh_web_render("dataset.html", title, ds, ctx, console, out);
  json_decref(ctx);
  g_free(title);
}
