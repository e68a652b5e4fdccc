/* Fuzzes Markdown into the page layout, in memory: the text (decoded like
 * a dataset's template) becomes document blocks through md4c with its
 * guards, also plain text and HTML; partials become the sample county's
 * real score table and chart; the document is composed into pages of
 * drawing operations (kh_compose, no PDF written) in the official layout,
 * and each paragraph also goes through the line breaker on its own at a
 * width the input chooses. A composition that computes a non-finite
 * coordinate is a bug here (the layout refuses it, but should never
 * produce one). An input with KH_FUZZ_SEPARATOR carries the document's
 * frame before it, one line each: issuing authority, document number,
 * addressees, signature, date, copy-to, printed-by (rules.ini's values in
 * real runs, so untrusted too). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "layout_inputs.h"
#include "render/layout/compose.h"
#include "render/layout/text.h"
#include "render/template/markdown.h"

#define KH_FUZZ_SEPARATOR '\x1e' /* as support.h, which this file cannot include */

static kh_fontset *fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  kh_diags *diags = kh_diags_new();
  fonts = kh_fontset_open(NULL, diags);
  kh_block *warm = kh_fuzz_sample_block("score_table"); /* loads the sample once */
  if (!fonts || !warm || diags->n_errors)
    abort();
  kh_block_free(warm);
  kh_diags_free(diags);
  return 0;
}

static void set_frame(kh_doc *doc, const char *frame) {
  char **f = g_strsplit(frame ? frame : "某某县人口和计划生育局\n某人口〔2013〕7号\n"
                                        "各乡（镇）人民政府\n某某县人口和计划生育局\n"
                                        "2013年8月5日\n县委办公室\n某某县人口计生局办公室",
                        "\n", 7);
  char **slots[] = {&doc->issuer_mark, &doc->docno, &doc->addressees, &doc->signature,
                    &doc->date_text, &doc->copy_to, &doc->printed_by};
  for (guint i = 0; i < G_N_ELEMENTS(slots) && f[i]; i++)
    *slots[i] = g_strdup(f[i]);
  doc->print_date_text = g_strdup(doc->date_text);
  g_strfreev(f);
}

/* Replaces partials by the sample's built-in blocks, or drops them. */
static void fill_partials(kh_doc *doc) {
  for (guint k = 0; k < doc->blocks->len;) {
    kh_block *b = g_ptr_array_index(doc->blocks, k);
    if (b->kind != KH_BLOCK_PARTIAL) {
      k++;
      continue;
    }
    kh_block *built = kh_fuzz_sample_block(b->partial);
    if (built) {
      kh_block_free(b);
      g_ptr_array_index(doc->blocks, k++) = built;
    } else {
      kh_block_free(g_ptr_array_steal_index(doc->blocks, k));
    }
  }
}

/* Greedy breaking at any width; for a title also balanced breaking (only
 * titles get it) at the widths a title can have, about the type area's. */
static void break_lines(const kh_block *b, double width, double title_width) {
  if (!b->runs)
    return;
  kh_para *p = kh_para_new(fonts, 16, 0);
  for (guint i = 0; i < b->runs->len; i++) {
    const kh_run *r = g_ptr_array_index(b->runs, i);
    kh_para_add(p, (int)r->face, r->text);
  }
  GArray *lines[2] = {kh_para_wrap(p, width / 2, width),
                      b->kind == KH_BLOCK_TITLE ? kh_para_wrap_balanced(p, title_width)
                                                : g_array_new(FALSE, FALSE, sizeof(kh_line))};
  for (int w = 0; w < 2; w++) {
    int at = 0;
    for (guint i = 0; i < lines[w]->len; i++) {
      const kh_line *l = &g_array_index(lines[w], kh_line, i);
      if (l->start < at || l->end < l->start)
        __builtin_trap(); /* lines follow each other, in order */
      for (; at < l->start; at++) /* only spaces are dropped at a break */
        if (g_array_index(p->chars, kh_tchar, at).uc != ' ')
          __builtin_trap();
      at = l->end;
    }
    if (at != kh_para_len(p) && lines[w]->len)
      __builtin_trap(); /* and reach its end */
    g_array_unref(lines[w]);
  }
  kh_para_min_width(p);
  kh_para_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gsize len;
  char *text = kh_fuzz_decode(data, size, &len);
  if (!text)
    return 0;
  kh_diags *diags = kh_diags_new();
  char *frame = NULL, *md = text;
  char *sep = strchr(text, KH_FUZZ_SEPARATOR);
  if (sep) {
    *sep = '\0';
    frame = text;
    md = sep + 1;
  }
  gsize md_len = strlen(md);

  kh_markdown_error err = {0};
  GString *out = g_string_new(NULL);
  kh_markdown_to_plain(md, md_len, out, &err);
  kh_markdown_error_clear(&err);
  kh_markdown_to_html(md, md_len, out, &err);
  kh_markdown_error_clear(&err);
  g_string_free(out, TRUE);

  kh_doc *doc = kh_doc_new();
  if (kh_markdown_to_blocks(md, md_len, doc->blocks, &err)) {
    fill_partials(doc);
    set_frame(doc, frame);
    double width = 8.0 + (double)(md_len % 61) * 8.0;
    double title_width = 300.0 + (double)(md_len % 17) * 10.0;
    for (guint k = 0; k < doc->blocks->len; k++)
      break_lines(g_ptr_array_index(doc->blocks, k), width, title_width);
    kh_canvas *c = kh_compose(doc, fonts, "notice.pdf", diags);
    for (guint i = 0; i < diags->items->len; i++)
      if (strstr(((kh_diag *)g_ptr_array_index(diags->items, i))->message, "非有限数"))
        __builtin_trap();
    kh_canvas_free(c);
  }
  kh_markdown_error_clear(&err);
  kh_doc_free(doc);
  kh_diags_free(diags);
  g_free(text);
  return 0;
}
