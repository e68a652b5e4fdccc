/* Constructors and destructors of the document model (doc.h). */
#include "render/doc.h"

kh_doc *kh_doc_new(void) {
  kh_doc *doc = g_new0(kh_doc, 1);
  doc->blocks = g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  return doc;
}

void kh_doc_free(kh_doc *doc) {
  if (!doc)
    return;
  g_ptr_array_unref(doc->blocks);
  g_free(doc->issuer_mark);
  g_free(doc->docno);
  g_free(doc->addressees);
  g_free(doc->signature);
  g_free(doc->date_text);
  g_free(doc->copy_to);
  g_free(doc->printed_by);
  g_free(doc->print_date_text);
  g_free(doc->info_title);
  g_free(doc->info_author);
  g_free(doc->info_subject);
  g_free(doc);
}

static void run_free(kh_run *run) {
  g_free(run->text);
  g_free(run);
}

kh_block *kh_block_new(kh_block_kind kind) {
  kh_block *b = g_new0(kh_block, 1);
  b->kind = kind;
  b->runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_free);
  return b;
}

void kh_block_free(kh_block *b) {
  if (!b)
    return;
  g_ptr_array_unref(b->runs);
  kh_table_free(b->table);
  kh_chart_free(b->chart);
  g_free(b->partial);
  g_free(b);
}

void kh_block_add_run(kh_block *b, kh_face face, const char *text) {
  kh_run *run = g_new(kh_run, 1);
  run->face = face;
  run->text = g_strdup(text);
  g_ptr_array_add(b->runs, run);
}

static void row_free(char **cells) { g_strfreev(cells); }

kh_table *kh_table_new(int n_cols, int n_header_rows) {
  kh_table *t = g_new0(kh_table, 1);
  t->n_cols = n_cols;
  t->n_header_rows = n_header_rows;
  t->align = g_new0(kh_align, n_cols > 0 ? n_cols : 1);
  t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)row_free);
  t->row_marked = g_array_new(FALSE, TRUE, sizeof(gboolean));
  return t;
}

void kh_table_add_row(kh_table *t, const char *const *cells, bool marked) {
  char **row = g_new0(char *, t->n_cols + 1);
  for (int c = 0; c < t->n_cols; c++)
    row[c] = g_strdup(cells[c] ? cells[c] : "");
  g_ptr_array_add(t->rows, row);
  gboolean m = marked;
  g_array_append_val(t->row_marked, m);
}

void kh_table_free(kh_table *t) {
  if (!t)
    return;
  g_free(t->align);
  g_ptr_array_unref(t->rows);
  g_array_unref(t->row_marked);
  g_free(t);
}

kh_chart *kh_chart_new(double max_value) {
  kh_chart *c = g_new0(kh_chart, 1);
  c->labels = g_ptr_array_new_with_free_func(g_free);
  c->values = g_array_new(FALSE, FALSE, sizeof(double));
  c->max_value = max_value;
  return c;
}

void kh_chart_add(kh_chart *c, const char *label, double value) {
  g_ptr_array_add(c->labels, g_strdup(label));
  g_array_append_val(c->values, value);
}

void kh_chart_free(kh_chart *c) {
  if (!c)
    return;
  g_ptr_array_unref(c->labels);
  g_array_unref(c->values);
  g_free(c->note);
  g_free(c);
}
