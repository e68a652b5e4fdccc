/* Returned reports (returned.h).
 *
 * A file is first asked for a sheet named `kaohe`, which `kaohe forms`
 * writes (hidden) into every form: key/value rows (kind, county, year,
 * month, township), then one row per field with the field's id and its
 * row on the form (a township form) or its column (a collection
 * workbook). Without that sheet, or for a collection workbook, the first
 * visible sheet is read as a month file: a 乡镇/township column and the
 * fields by id or Chinese label. Cells follow the month file's rules: an
 * empty cell is missing, anything but a non-negative decimal is an
 * error. A file read without errors is then audited (audit_rows). */
#include "kaohe/load.h"

#include <math.h>
#include <string.h>

#include "load/dataset_parts.h"
#include "load/number.h"
#include "load/sheet_table.h"
#include "load/workbook_reader.h"

void kh_returned_free(kh_returned *r) {
  if (!r)
    return;
  for (guint i = 0; i < r->rows->len; i++) {
    g_free(g_array_index(r->rows, kh_returned_row, i).values);
    g_free(g_array_index(r->rows, kh_returned_row, i).places);
  }
  g_array_unref(r->rows);
  g_free(r->covered);
  g_free(r->path);
  g_free(r);
}

static kh_returned *returned_new(const kh_dataset *ds, const char *path, const char *kind) {
  kh_returned *r = g_new0(kh_returned, 1);
  r->path = g_strdup(path);
  r->kind = kind;
  r->covered = g_new0(bool, kh_n_fields(ds) + 1);
  r->rows = g_array_new(FALSE, FALSE, sizeof(kh_returned_row));
  return r;
}

static int field_by_id(const kh_dataset *ds, const char *id) {
  for (int f = 0; f < kh_n_fields(ds); f++)
    if (strcmp(((const kh_field *)g_ptr_array_index(ds->fields, f))->id, id) == 0)
      return f;
  return -1;
}

/* The field a header names, by id and then by label; -1 if none. */
static int field_of_header(const kh_dataset *ds, const char *h) {
  int f = field_by_id(ds, h);
  for (int i = 0; f < 0 && i < kh_n_fields(ds); i++) {
    const kh_field *fd = g_ptr_array_index(ds->fields, i);
    if (fd->label && strcmp(fd->label, h) == 0)
      f = i;
  }
  return f;
}

static int township_by_key(const kh_dataset *ds, const char *key) {
  for (int t = 0; t < kh_n_townships(ds); t++)
    if (strcmp(kh_township_at(ds, t)->code, key) == 0)
      return t;
  for (int t = 0; t < kh_n_townships(ds); t++)
    if (strcmp(kh_township_at(ds, t)->name, key) == 0)
      return t;
  return -1;
}

/* Stores the cell's value (NAN when empty); false on an error (said). */
static bool read_value(const kh_csv_table *t, const kh_csv_cell *c, const char *label,
                       double *out, kh_diags *diags) {
  bool negative;
  double v;
  kh_number_status st = kh_number_parse(c->text, &v, &negative);
  if (st == KH_NUMBER_INVALID || (st == KH_NUMBER_OK && negative)) {
    kh_csv_diag(t, diags, KH_ERROR, c->line, c->col, "%s：“%s”（%s）",
                st == KH_NUMBER_INVALID ? "不是有效数值" : "数值不能为负", c->text, label);
    return false;
  }
  if (st == KH_NUMBER_OK && kh_csv_cell_is_percent(t, c))
    kh_csv_diag(t, diags, KH_WARNING, c->line, c->col,
                "单元格设为百分比格式，但“%s”是数量：按存储的数值 %s 读取", label, c->text);
  *out = st == KH_NUMBER_OK ? v : NAN;
  return true;
}

static kh_place place_of(const kh_csv_cell *c) {
  return (kh_place){c->line, c->col, c->record, c->column};
}

static kh_returned_row *add_row(const kh_dataset *ds, kh_returned *r, int township) {
  kh_returned_row row = {township, g_new(double, kh_n_fields(ds) + 1),
                         g_new0(kh_place, kh_n_fields(ds) + 1), {0}};
  for (int f = 0; f < kh_n_fields(ds); f++)
    row.values[f] = NAN;
  g_array_append_val(r->rows, row);
  return &g_array_index(r->rows, kh_returned_row, r->rows->len - 1);
}

/* A month-shaped table: the header, then a row per township. */
static bool read_table(const kh_dataset *ds, const kh_csv_table *t, kh_returned *r,
                       kh_diags *diags) {
  if (t->rows->len == 0) {
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "文件为空：应有表头和每个乡镇一行");
    return false;
  }
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  int key = -1;
  int *field_of_col = g_new(int, hr->n_cells + 1);
  bool ok = true;
  for (int i = 0; i < hr->n_cells; i++) {
    const kh_csv_cell *c = kh_csv_cell_at(t, hr, i);
    field_of_col[i] = -1;
    if ((strcmp(c->text, "township") == 0 || strcmp(c->text, "乡镇") == 0) && key < 0) {
      key = i;
    } else if (c->text[0] && (field_of_col[i] = field_of_header(ds, c->text)) < 0) {
      kh_csv_diag(t, diags, KH_WARNING, c->line, c->col, "未知列“%s”，已忽略", c->text);
    } else if (field_of_col[i] >= 0 && r->covered[field_of_col[i]]) {
      kh_csv_diag(t, diags, KH_ERROR, c->line, c->col, "字段重复：“%s”", c->text);
      ok = false;
    } else if (field_of_col[i] >= 0) {
      r->covered[field_of_col[i]] = true;
    }
  }
  if (key < 0) {
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "缺少乡镇列（township 或 乡镇）");
    ok = false;
  }
  bool *seen = g_new0(bool, kh_n_townships(ds) + 1);
  for (guint i = 1; ok && i < t->rows->len; i++) {
    const kh_csv_row *row = kh_csv_row_at(t, i);
    const kh_csv_cell *k = kh_csv_cell_at(t, row, key);
    int tw = township_by_key(ds, k->text);
    if (tw < 0 || seen[tw]) {
      kh_csv_diag(t, diags, KH_ERROR, k->line, k->col,
                  tw < 0 ? "未知乡镇“%s”（登记表中没有此代码或名称）" : "乡镇“%s”在文件中出现两次",
                  k->text);
      ok = false;
      continue;
    }
    seen[tw] = true;
    kh_returned_row *out = add_row(ds, r, tw);
    out->key = place_of(k);
    for (int c = 0; c < row->n_cells; c++)
      if (field_of_col[c] >= 0) {
        const kh_csv_cell *cell = kh_csv_cell_at(t, row, c);
        out->places[field_of_col[c]] = place_of(cell);
        ok = read_value(t, cell, kh_csv_cell_at(t, hr, c)->text, &out->values[field_of_col[c]],
                        diags) && ok;
      }
  }
  g_free(seen);
  g_free(field_of_col);
  return ok;
}

/* The `kaohe` sheet's facts. */
typedef struct {
  const char *kind, *county, *year, *month, *township;
  GArray *fields; /* int field index per form row/column; -1: unknown */
  GArray *places; /* int: the row (form) or column (collection), 1-based */
} identity;

static const char *fact(const kh_csv_table *t, const char *key) {
  for (guint i = 0; i < t->rows->len; i++) {
    const kh_csv_row *row = kh_csv_row_at(t, i);
    if (row->n_cells >= 2 && strcmp(kh_csv_cell_at(t, row, 0)->text, key) == 0)
      return kh_csv_cell_at(t, row, 1)->text;
  }
  return "";
}

/* Reads the facts and checks them against ds and month; false: refused. */
static bool read_identity(const kh_dataset *ds, int month, const kh_csv_table *k,
                          identity *id, kh_diags *diags) {
  id->kind = fact(k, "kind");
  id->county = fact(k, "county");
  id->year = fact(k, "year");
  id->month = fact(k, "month");
  id->township = fact(k, "township");
  char *want = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  const char *county = ds->rules.county ? ds->rules.county : "";
  bool ok = false;
  if (strcmp(id->kind, "township") != 0 && strcmp(id->kind, "collection") != 0)
    kh_diags_add(diags, KH_ERROR, k->path, 1, 1, NULL, "不是 kaohe forms 生成的填报表（kaohe 表已被改动）");
  else if (strcmp(id->county, county) != 0)
    kh_diags_add(diags, KH_ERROR, k->path, 1, 1, NULL, "这是“%s”的填报表，不是本县（%s）的",
                 id->county, county);
  else if (atoi(id->year) != ds->rules.year)
    kh_diags_add(diags, KH_ERROR, k->path, 1, 1, NULL, "这是 %s 年的填报表，不是 %d 年的", id->year,
                 ds->rules.year);
  else if (strcmp(id->month, want) != 0)
    kh_diags_add(diags, KH_ERROR, k->path, 1, 1, NULL, "这是 %s 的填报表，不是 %s 的", id->month,
                 want);
  else
    ok = true;
  g_free(want);
  id->fields = g_array_new(FALSE, FALSE, sizeof(int));
  id->places = g_array_new(FALSE, FALSE, sizeof(int));
  bool in_fields = false;
  for (guint i = 0; ok && i < k->rows->len; i++) {
    const kh_csv_row *row = kh_csv_row_at(k, i);
    const char *a = kh_csv_cell_at(k, row, 0)->text;
    if (!in_fields) {
      in_fields = strcmp(a, "field") == 0;
      continue;
    }
    int f = field_by_id(ds, a), place = row->n_cells >= 2 ? atoi(kh_csv_cell_at(k, row, 1)->text) : 0;
    if (f < 0) {
      kh_diags_add(diags, KH_ERROR, k->path, 1, 1, NULL,
                   "填报表中的数据项“%s”不在本数据集中：请用 kaohe forms 重新生成填报表", a);
      ok = false;
    }
    g_array_append_val(id->fields, f);
    g_array_append_val(id->places, place);
  }
  return ok;
}

/* A township's form: field i's value in column 4 (本月数) of its row. */
static bool read_form(const kh_dataset *ds, const kh_csv_table *t, const identity *id,
                      kh_returned *r, kh_diags *diags) {
  int tw = -1;
  for (int i = 0; i < kh_n_townships(ds) && tw < 0; i++)
    if (strcmp(kh_township_at(ds, i)->code, id->township) == 0)
      tw = i;
  if (tw < 0) {
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "填报表的乡镇代码“%s”不在乡镇名册中",
                 id->township);
    return false;
  }
  kh_returned_row *out = add_row(ds, r, tw);
  bool ok = true;
  for (guint i = 0; i < id->fields->len; i++) {
    int f = g_array_index(id->fields, int, i), place = g_array_index(id->places, int, i);
    r->covered[f] = true;
    for (guint k = 0; k < t->rows->len; k++) {
      const kh_csv_row *row = kh_csv_row_at(t, k);
      if (row->line != place || row->n_cells < 4)
        continue;
      const kh_field *fd = g_ptr_array_index(ds->fields, f);
      const kh_csv_cell *cell = kh_csv_cell_at(t, row, 3);
      out->places[f] = place_of(cell);
      if (out->key.line == 0)
        out->key = place_of(cell);
      ok = read_value(t, cell, fd->label ? fd->label : fd->id, &out->values[f], diags) && ok;
    }
  }
  return ok;
}

/* The audits of check (kh_month_audits) over the file's rows, located in
 * the file: a view of the dataset whose month holds those rows, each with
 * the file's values and the month's current ones for the fields the file
 * has no place for (those cells are not located: line 0). Earlier months,
 * for prev() and running totals, are the dataset's. */
static void audit_rows(const kh_dataset *ds, int month, const kh_csv_table *t,
                       const kh_returned *r, kh_diags *diags) {
  int nt = kh_n_townships(ds), nf = kh_n_fields(ds);
  const kh_month_data *now = &ds->months[month - 1];
  kh_month_data md = {
      .present = true,
      .path = t->path,
      .row_line = g_new0(int, nt + 1),
      .values = g_new(double, (gsize)nt * nf + 1),
      .places = g_new0(kh_place, (gsize)nt * nf + 1),
      .key_places = g_new0(kh_place, nt + 1),
      .field_column = now->field_column,
      .header_line = 1,
  };
  for (gsize i = 0; i < (gsize)nt * nf; i++)
    md.values[i] = NAN;
  for (guint i = 0; i < r->rows->len; i++) {
    const kh_returned_row *row = &g_array_index(r->rows, kh_returned_row, i);
    int tw = row->township;
    md.key_places[tw] = row->key.line > 0 ? row->key : (kh_place){1, 1, 1, 0};
    md.row_line[tw] = md.key_places[tw].line;
    for (int f = 0; f < nf; f++) {
      gsize at = (gsize)tw * nf + f;
      if (r->covered[f]) {
        md.values[at] = row->values[f];
        md.places[at] = row->places[f];
      } else if (kh_month_has_row(now, tw)) {
        md.values[at] = now->values[at];
      }
    }
  }
  kh_dataset view = *ds;
  view.months[month - 1] = md;
  kh_month_audits(&view, month, t, diags);
  g_free(md.row_line);
  g_free(md.values);
  g_free(md.places);
  g_free(md.key_places);
}

kh_returned *kh_returned_read(const kh_dataset *ds, int month, const char *path,
                              kh_diags *diags) {
  kh_diags *found = kh_diags_new();
  kh_csv_table *k = NULL;
  if (kh_is_workbook_name(path)) {
    kh_diags *quiet = kh_diags_new(); /* no kaohe sheet: not a form */
    k = kh_workbook_read_sheet(path, "kaohe", quiet);
    kh_diags_free(quiet);
  }
  identity id = {0};
  kh_returned *r = NULL;
  bool ok = !k || read_identity(ds, month, k, &id, found);
  kh_csv_table *t = ok ? kh_table_read(path, NULL, found) : NULL;
  if (t) {
    bool form = k && strcmp(id.kind, "township") == 0;
    r = returned_new(ds, path, form ? "township" : k ? "collection" : "table");
    ok = form ? read_form(ds, t, &id, r, found) : read_table(ds, t, r, found);
    if (ok && found->n_errors == 0)
      audit_rows(ds, month, t, r, found);
  }
  ok = ok && t && found->n_errors == 0;
  kh_csv_append_diags(diags, found);
  if (!ok)
    g_clear_pointer(&r, kh_returned_free);
  if (id.fields) {
    g_array_unref(id.fields);
    g_array_unref(id.places);
  }
  kh_csv_free(t);
  kh_csv_free(k);
  kh_diags_free(found);
  return r;
}
