/* The document model between the templates and the page layout.
 *
 * A template (mustache + Markdown) becomes a kh_doc: a list of blocks in
 * the official-document roles of templates/README.md (# title, ## 一、 heading, ### （一）
 * heading, #### 1. heading, paragraphs of styled runs, ruled tables, bar
 * charts). A thematic break (---) in a template starts an attachment (附件):
 * its # title becomes the attachment's title. Partials ({{> score_table}})
 * arrive as KH_BLOCK_PARTIAL and are replaced by the document's renderer
 * with a TABLE or CHART block before layout. The page layout only sets what
 * is here; it decides nothing about content. */
#ifndef KAOHE_RENDER_DOC_H
#define KAOHE_RENDER_DOC_H

#include <stdbool.h>
#include <time.h>
#include <glib.h>

typedef enum {
  KH_FACE_BODY,  /* 仿宋 */
  KH_FACE_TITLE, /* 小标宋 */
  KH_FACE_HEI,   /* 黑体: ## headings, **strong** */
  KH_FACE_KAI,   /* 楷体: ### headings, *emphasis* */
  KH_N_FACES
} kh_face;

typedef struct {
  kh_face face;
  char *text; /* UTF-8 */
} kh_run;

typedef enum {
  KH_BLOCK_TITLE,     /* #    */
  KH_BLOCK_HEADING1,  /* ##   一、 (黑体) */
  KH_BLOCK_HEADING2,  /* ###  （一） (楷体) */
  KH_BLOCK_HEADING3,  /* #### 1. (仿宋) */
  KH_BLOCK_PARAGRAPH, /* 2-character first-line indent */
  KH_BLOCK_TABLE,
  KH_BLOCK_CHART,
  KH_BLOCK_PARTIAL,   /* placeholder for a built-in block */
  KH_BLOCK_ATTACHMENT /* a thematic break: what follows is an attachment */
} kh_block_kind;

typedef enum { KH_ALIGN_LEFT, KH_ALIGN_CENTER, KH_ALIGN_RIGHT } kh_align;

typedef struct {
  int n_cols;
  int n_header_rows;   /* repeated at the top of every page */
  kh_align *align;     /* [n_cols] */
  GPtrArray *rows;     /* of char** (n_cols UTF-8 strings each), header rows first */
  GArray *row_marked;  /* of gboolean per row: print the row's text in red
                          (vetoed townships); may be empty */
} kh_table;

typedef struct {
  GPtrArray *labels;   /* char*, one per bar */
  GArray *values;      /* double, one per bar */
  double max_value;    /* the axis' end, e.g. the maximum score 100 */
  char *note;          /* printed under the chart, or NULL */
} kh_chart;

typedef struct {
  kh_block_kind kind;
  GPtrArray *runs;  /* kh_run*: TITLE..PARAGRAPH */
  kh_table *table;  /* TABLE */
  kh_chart *chart;  /* CHART */
  char *partial;    /* PARTIAL: its name */
} kh_block;

typedef struct {
  /* 版头 */
  char *issuer_mark;  /* 发文机关标志, red */
  char *docno;        /* 某人口〔2013〕7号 */
  char *addressees;   /* after the title, flush left, "：" appended */
  /* 主体 */
  GPtrArray *blocks;  /* kh_block*: body, then ATTACHMENT markers and theirs */
  char *signature;    /* 发文机关署名 */
  char *date_text;    /* 成文日期: 2013年9月5日 */
  /* 版记 */
  char *copy_to;      /* 抄送, without the "抄送：" */
  char *printed_by;   /* 印发机关 */
  char *print_date_text; /* 2013年9月5日 (印发 appended by layout) */
  /* document information */
  char *info_title, *info_author, *info_subject;
  time_t created;
  bool pdfa;          /* PDF/A-1b (archival quarterly report) */
} kh_doc;

kh_doc *kh_doc_new(void);
void kh_doc_free(kh_doc *doc); /* NULL-safe; frees blocks and strings */

kh_block *kh_block_new(kh_block_kind kind);
void kh_block_free(kh_block *b); /* NULL-safe */
void kh_block_add_run(kh_block *b, kh_face face, const char *text);

kh_table *kh_table_new(int n_cols, int n_header_rows);
/* Copies the n_cols strings of cells. */
void kh_table_add_row(kh_table *t, const char *const *cells, bool marked);
void kh_table_free(kh_table *t);

kh_chart *kh_chart_new(double max_value);
void kh_chart_add(kh_chart *c, const char *label, double value);
void kh_chart_free(kh_chart *c);

#endif
