/* What a loaded month costs the townships when data is missing (docs/reference/dataset.md),
 * checked once the formulas say which fields each month needs:
 *
 * - a field an indicator in force reads, absent from the header, is an
 *   error in every month (a misspelt header would otherwise silently give
 *   every township 0 on the indicators that read it);
 * - a column of such a field with no value at all is one warning at its
 *   header; an empty cell in it, one at the cell; a township row whose
 *   field cells are all empty, one at its key. Each says what it costs:
 *   0 points, a veto, or a veto warning (预警) before the deadline.
 *
 * Then the month's audits (audit.c). */
#include "load/dataset_parts.h"

#include <math.h>
#include <string.h>

#include "load/formula.h"
#include "load/similar.h"

/* Whether a veto indicator's shortfall in `month` vetoes (else warns). */
static bool veto_in_force(const kh_dataset *ds, const kh_indicator *ind, int month) {
  return !ind->has_deadline ||
         ds->rules.year * 12 + month >= ind->deadline_year * 12 + ind->deadline_month;
}

/* What a township missing indicator ind in `month` loses. */
static void append_cost(GString *out, const kh_dataset *ds, const kh_indicator *ind,
                        int month) {
  if (out->len)
    g_string_append(out, "，");
  if (!ind->veto)
    g_string_append_printf(out, "“%s”按缺报计 0 分", ind->name);
  else if (veto_in_force(ds, ind, month))
    g_string_append_printf(out, "“%s”按缺报将被一票否决", ind->name);
  else
    g_string_append_printf(out, "“%s”按缺报将预警", ind->name);
}

typedef struct {
  const kh_dataset *ds;
  int month;
  const kh_month_data *md;
  const kh_csv_table *t;
  kh_diags *diags;
  bool *reads;      /* [i * nf + f]: indicator i (in force) reads field f */
  bool *needed;     /* [f]: some indicator in force reads it */
} month_ctx;

static bool reads(const month_ctx *c, int i, int f) {
  return c->reads[i * kh_n_fields(c->ds) + f];
}

/* The indicators in force reading f, as “A”、“B”. */
static char *readers(const month_ctx *c, int f) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < kh_n_indicators(c->ds); i++)
    if (reads(c, i, f))
      g_string_append_printf(s, "%s“%s”", s->len ? "、" : "", kh_indicator_at(c->ds, i)->name);
  return g_string_free(s, FALSE);
}

/* What an empty value of f costs this month; NULL when nothing. */
static char *cost_of_field(const month_ctx *c, int f) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < kh_n_indicators(c->ds); i++)
    if (reads(c, i, f))
      append_cost(s, c->ds, kh_indicator_at(c->ds, i), c->month);
  return g_string_free(s, s->len == 0);
}

static bool is_key_header(const char *h) {
  return strcmp(h, "township") == 0 || strcmp(h, "乡镇") == 0;
}

/* Whether header h is some field's id or label (a column given twice is
 * such a header, and no candidate for a missing field). */
static bool names_a_field(const kh_dataset *ds, const char *h) {
  for (int f = 0; f < kh_n_fields(ds); f++) {
    const kh_field *fd = kh_field_at(ds, f);
    if (strcmp(h, fd->id) == 0 || (fd->label && strcmp(h, fd->label) == 0))
      return true;
  }
  return false;
}

/* The header cell of the file nearest to field f's label or id, among the
 * columns that name nothing kaohe knows; -1 when there is none. */
static int nearest_header(const month_ctx *c, int f) {
  const kh_csv_row *hr = kh_csv_row_at(c->t, 0);
  const kh_field *fd = kh_field_at(c->ds, f);
  bool *known = g_new0(bool, hr->n_cells + 1);
  for (int k = 0; k < kh_n_fields(c->ds); k++)
    if (c->md->field_column[k] >= 0)
      known[c->md->field_column[k]] = true;
  int best = -1, best_d = G_MAXINT;
  for (int i = 0; i < hr->n_cells; i++) {
    const char *h = kh_csv_cell_at(c->t, hr, i)->text;
    if (known[i] || !h[0] || is_key_header(h) || names_a_field(c->ds, h))
      continue;
    int d = kh_edit_distance(h, fd->id, 64);
    if (fd->label)
      d = MIN(d, kh_edit_distance(h, fd->label, 64));
    if (d < best_d) {
      best_d = d;
      best = i;
    }
  }
  g_free(known);
  return best;
}

static void report_absent_field(const month_ctx *c, int f) {
  const kh_csv_row *hr = kh_csv_row_at(c->t, 0);
  const kh_field *fd = kh_field_at(c->ds, f);
  char *who = readers(c, f);
  int near = nearest_header(c, f);
  char *id = fd->label ? g_strdup_printf("（%s）", fd->id) : g_strdup("");
  if (near >= 0) {
    const kh_csv_cell *h = kh_csv_cell_at(c->t, hr, near);
    char *name = kh_cell_name(near, hr->record);
    kh_csv_diag(c->t, c->diags, KH_ERROR, h->line, h->col,
                "表头中没有字段“%s”%s，最接近的是 %s“%s”：本月指标%s要读取此字段，"
                "请把表头改为“%s”",
                kh_field_label(fd), id, name, h->text, who, kh_field_label(fd));
    g_free(name);
  } else {
    kh_csv_diag(c->t, c->diags, KH_ERROR, hr->line, 1,
                "表头中没有字段“%s”%s：本月指标%s要读取此字段，请加上这一列",
                kh_field_label(fd), id, who);
  }
  g_free(id);
  g_free(who);
}

/* Whether some township row holds a value of f. */
static bool column_has_value(const month_ctx *c, int f) {
  int nf = kh_n_fields(c->ds);
  for (int t = 0; t < kh_n_townships(c->ds); t++)
    if (kh_month_has_row(c->md, t) && !isnan(c->md->values[t * nf + f]))
      return true;
  return false;
}

/* Whether township t's row has no value in any field column (a cell that
 * is not a number counts as written: it is an error of its own). */
static bool row_all_empty(const month_ctx *c, int t) {
  int nf = kh_n_fields(c->ds);
  bool any_column = false;
  for (int f = 0; f < nf; f++) {
    if (c->md->field_column[f] < 0)
      continue;
    any_column = true;
    const kh_place *p = &c->md->places[t * nf + f];
    if (!isnan(c->md->values[t * nf + f]) || p->line < 0)
      return false;
  }
  return any_column;
}

static void report_empty_row(const month_ctx *c, int t) {
  GString *cost = g_string_new(NULL);
  for (int i = 0; i < kh_n_indicators(c->ds); i++) {
    const kh_indicator *ind = kh_indicator_at(c->ds, i);
    if (kh_indicator_in_force(ind, c->month) && ind->veto)
      append_cost(cost, c->ds, ind, c->month);
  }
  const kh_place *k = &c->md->key_places[t];
  kh_csv_cell at = kh_place_cell(k);
  kh_csv_cell_diag(c->t, c->diags, KH_WARNING, &at,
                   "%s这一行除乡镇外全部为空：本月各项指标均按缺报计 0 分%s%s",
                   kh_township_at(c->ds, t)->name, cost->len ? "，" : "", cost->str);
  g_string_free(cost, TRUE);
}

static void report_empty_cells(const month_ctx *c) {
  int nf = kh_n_fields(c->ds);
  bool *whole = g_new0(bool, nf + 1);
  const kh_csv_row *hr = kh_csv_row_at(c->t, 0);
  for (int f = 0; f < nf; f++) {
    int col = c->md->field_column[f];
    if (!c->needed[f] || col < 0 || column_has_value(c, f))
      continue;
    whole[f] = true;
    char *cost = cost_of_field(c, f);
    kh_csv_cell_diag(c->t, c->diags, KH_WARNING, kh_csv_cell_at(c->t, hr, col),
                     "“%s”整列为空：本月各乡镇%s", kh_field_label(kh_field_at(c->ds, f)),
                     cost ? cost : "按缺报计");
    g_free(cost);
  }
  for (int t = 0; t < kh_n_townships(c->ds); t++) {
    if (!kh_month_has_row(c->md, t))
      continue;
    if (row_all_empty(c, t)) {
      report_empty_row(c, t);
      continue;
    }
    for (int f = 0; f < nf; f++) {
      const kh_place *p = &c->md->places[t * nf + f];
      if (!c->needed[f] || whole[f] || p->line <= 0 || !isnan(c->md->values[t * nf + f]))
        continue;
      char *cost = cost_of_field(c, f);
      kh_csv_cell at = kh_place_cell(p);
      kh_csv_cell_diag(c->t, c->diags, KH_WARNING, &at, "%s“%s”为空：本月%s",
                       kh_township_at(c->ds, t)->name, kh_field_label(kh_field_at(c->ds, f)), cost);
      g_free(cost);
    }
  }
  g_free(whole);
}

void kh_month_checks(const kh_dataset *ds, int month, const kh_csv_table *t,
                     kh_diags *diags) {
  int nf = kh_n_fields(ds), ni = kh_n_indicators(ds);
  month_ctx c = {ds, month, &ds->months[month - 1], t, diags,
                 g_new0(bool, (gsize)ni * nf + 1), g_new0(bool, nf + 1)};
  for (int i = 0; i < ni; i++) {
    const kh_indicator *ind = kh_indicator_at(ds, i);
    if (!kh_indicator_in_force(ind, month))
      continue;
    kh_expr_fields(ind->value, c.reads + (gsize)i * nf);
    kh_expr_fields(ind->target, c.reads + (gsize)i * nf);
    for (int f = 0; f < nf; f++)
      c.needed[f] |= reads(&c, i, f);
  }
  for (int f = 0; f < nf; f++)
    if (c.needed[f] && c.md->field_column[f] < 0)
      report_absent_field(&c, f);
  bool any_row = false;
  for (int t = 0; t < kh_n_townships(ds) && !any_row; t++)
    any_row = kh_month_has_row(c.md, t);
  if (any_row) /* else the file's own errors say why (no township column) */
    report_empty_cells(&c);
  kh_month_audits(ds, month, t, diags);
  g_free(c.reads);
  g_free(c.needed);
}
