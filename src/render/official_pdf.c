/* Official documents from templates (official_pdf.h). */
#include "render/official_pdf.h"

#include <string.h>

#include "kaohe/render.h"
#include "render/layout/pdf.h"
#include "render/punct.h"
#include "render/score_blocks.h"
#include "render/template/template.h"

/* Where {{> name}} stands in the template (1-based line and character
 * column of its "{{"), for messages; 1:1 when it cannot be found. */
static void partial_place(const char *text, const char *name, int *line, int *col) {
  *line = *col = 1;
  int ln = 1;
  for (const char *p = text; *p; p++) {
    if (p[0] == '{' && p[1] == '{') {
      const char *q = p + 2;
      while (*q == ' ')
        q++;
      if (*q == '>') {
        q++;
        while (*q == ' ')
          q++;
        size_t n = strlen(name);
        if (strncmp(q, name, n) == 0 && (q[n] == ' ' || q[n] == '}')) {
          const char *start = p;
          while (start > text && start[-1] != '\n')
            start--;
          *line = ln;
          *col = (int)g_utf8_strlen(start, p - start) + 1;
          return;
        }
      }
    }
    ln += *p == '\n';
  }
}

/* Replaces each PARTIAL block with its built-in block. */
static bool fill_partials(kh_doc *doc, const kh_official_doc *spec, const kh_template *tpl,
                          kh_diags *diags) {
  bool ok = true;
  for (guint k = 0; k < doc->blocks->len; k++) {
    kh_block *b = g_ptr_array_index(doc->blocks, k);
    if (b->kind != KH_BLOCK_PARTIAL)
      continue;
    kh_block *built = kh_builtin_block(b->partial, spec->month, spec->quarter);
    if (!built) {
      int line, col;
      partial_place(tpl->text, b->partial, &line, &col);
      kh_diags_add(diags, KH_ERROR, tpl->path, line, col, NULL,
                   "模板引用了未知的内置块“%s”（本文件可用：%s）", b->partial,
                   spec->month ? "score_table、totals_chart" : "quarter_table、quarter_chart");
      ok = false;
      continue;
    }
    kh_block_free(b);
    g_ptr_array_index(doc->blocks, k) = built;
  }
  return ok;
}

/* The text of the document's first title, for the PDF's information. */
static char *first_title(const kh_doc *doc) {
  for (guint k = 0; k < doc->blocks->len; k++) {
    const kh_block *b = g_ptr_array_index(doc->blocks, k);
    if (b->kind != KH_BLOCK_TITLE)
      continue;
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < b->runs->len; i++)
      g_string_append(s, ((kh_run *)g_ptr_array_index(b->runs, i))->text);
    return g_string_free(s, FALSE);
  }
  return NULL;
}

static void fill_frame(kh_doc *doc, const kh_dataset *ds, const kh_official_doc *spec,
                       const kh_doc_meta *meta) {
  const kh_rules *rules = &ds->rules;
  char *date = kh_fmt_date(meta->date_year, meta->date_month, meta->date_day);
  doc->issuer_mark = g_strdup(rules->issuer ? rules->issuer : "");
  doc->docno = kh_fmt_docno(rules->docno_prefix, spec->year, meta->doc_no);
  doc->addressees = g_strdup(rules->addressees);
  doc->signature = g_strdup(rules->issuer);
  doc->date_text = g_strdup(date);
  doc->copy_to = g_strdup(rules->copy_to);
  doc->printed_by = g_strdup(rules->printed_by);
  doc->print_date_text = date;
  doc->info_title = first_title(doc);
  doc->info_author = g_strdup(rules->issuer);
  doc->info_subject = g_strdup(spec->subject);
  doc->created = meta->created;
  doc->pdfa = spec->pdfa;
}

/* Full-width punctuation next to Chinese text (punct.h) in what did not
 * come through the template's Markdown, which is converted already: the
 * frame from rules.ini and the built-in blocks' tables and charts. */
static void chinese_punctuation(kh_doc *doc) {
  char **frame[] = {&doc->issuer_mark,     &doc->addressees, &doc->signature,
                    &doc->copy_to,         &doc->printed_by, &doc->info_title,
                    &doc->info_author,     &doc->info_subject};
  for (guint i = 0; i < G_N_ELEMENTS(frame); i++)
    kh_punct_chinese_inplace(frame[i]);
  for (guint b = 0; b < doc->blocks->len; b++) {
    kh_block *block = g_ptr_array_index(doc->blocks, b);
    for (guint r = 0; block->table && r < block->table->rows->len; r++) {
      char **row = g_ptr_array_index(block->table->rows, r);
      for (int c = 0; c < block->table->n_cols; c++)
        kh_punct_chinese_inplace(&row[c]);
    }
    for (guint l = 0; block->chart && l < block->chart->labels->len; l++)
      kh_punct_chinese_inplace((char **)&g_ptr_array_index(block->chart->labels, l));
    if (block->chart)
      kh_punct_chinese_inplace(&block->chart->note);
  }
}

bool kh_render_official_pdf(const kh_dataset *ds, const kh_official_doc *spec,
                            const kh_doc_meta *meta, const char *path, kh_diags *diags) {
  kh_template *tpl = kh_template_load(spec->template_name, meta->template_dir, diags);
  if (!tpl)
    return false;
  kh_doc *doc = kh_doc_new();
  bool ok = kh_template_render_doc(tpl->text, tpl->path, spec->context, doc, diags) &&
            fill_partials(doc, spec, tpl, diags);
  if (ok) {
    fill_frame(doc, ds, spec, meta);
    chinese_punctuation(doc);
    if (meta->title_out)
      *meta->title_out = g_strdup(doc->info_title);
    kh_font_request fonts = {.body = ds->rules.font_body,
                             .title = ds->rules.font_title,
                             .heading1 = ds->rules.font_heading1,
                             .heading2 = ds->rules.font_heading2,
                             .rules_path = ds->rules_path,
                             .warn_standins = true};
    ok = kh_layout_pdf(doc, &fonts, path, diags);
  }
  kh_doc_free(doc);
  kh_template_free(tpl);
  return ok;
}
