/* Markdown (read by md4c 0.4.8) into the document model, plain text and
 * HTML (templates/README.md).
 *
 * md4c runs with tables on and raw HTML off (MD_FLAG_TABLES |
 * MD_FLAG_NOHTML) and nothing else: permissive autolinks, LaTeX math and
 * wiki links corrupt memory in 0.4.8 (docs/dependencies.md). It always gets
 * a copy of the text that ends in '\n' followed by a spare NUL (0.4.8 reads
 * one byte past "[](" otherwise), at most KH_MARKDOWN_MAX_BYTES long, with
 * no line holding more than KH_MARKDOWN_MAX_PIPES unescaped '|' (which
 * bounds a table's width before md4c sees it).
 *
 * Markdown → blocks (doc.h):
 *   #  → KH_BLOCK_TITLE (title face)     ##   → KH_BLOCK_HEADING1 (黑体)
 *   ### → KH_BLOCK_HEADING2 (楷体)       #### and deeper → KH_BLOCK_HEADING3
 *   (仿宋); setext headings (=== / --- under a line) count as # and ##, so
 *   a thematic break needs a blank line above it.
 *   A paragraph → KH_BLOCK_PARAGRAPH of runs: plain text KH_FACE_BODY,
 *   *em* KH_FACE_KAI, **strong** KH_FACE_HEI (strong wins when nested);
 *   inside a heading every run has the heading's face.
 *   Soft line breaks join the lines without a space when either side is a
 *   wide (Chinese) character, with one space between two narrow ones
 *   ("共计\n15个" → "共计15个", "total\nscore" → "total score").
 *   A hard line break (two spaces or "\" at the line's end) starts a new
 *   paragraph. Items of lists become paragraphs; an ordered item keeps its
 *   number ("1. 加强" → "1.加强"). Block quotes, code blocks and code spans
 *   give their text as body text, links their text, images their alt text.
 *   Entities &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric ones are
 *   decoded; others stay as written.
 *   A table → KH_BLOCK_TABLE with 1 header row, each column's alignment
 *   from the delimiter row (unmarked → left), cells as plain text.
 *   A thematic break (---, ***, ___) → KH_BLOCK_ATTACHMENT.
 *   A partial marker paragraph → KH_BLOCK_PARTIAL (below).
 *
 * Partial markers: the mustache stage writes a built-in block such as
 * {{> score_table}} into the Markdown as its own paragraph — blank lines,
 * KH_PARTIAL_SENTINEL (U+E000, a private-use character no text carries)
 * followed by the name, blank lines (kh_markdown_append_partial). The tag
 * must be alone on its line (template.c refuses it elsewhere).
 * A paragraph whose whole text is the sentinel followed by a name (no
 * spaces, no second sentinel) becomes a KH_BLOCK_PARTIAL with that name.
 * kh_escape_markdown() turns U+E000 in values into U+FFFD, so data cannot
 * forge a marker.
 *
 * Every function here is reentrant. */
#ifndef KAOHE_RENDER_TEMPLATE_MARKDOWN_H
#define KAOHE_RENDER_TEMPLATE_MARKDOWN_H

#include <stdbool.h>
#include <glib.h>
#include "render/doc.h"

#define KH_MARKDOWN_MAX_BYTES (4u << 20) /* 4 MiB */
#define KH_MARKDOWN_MAX_PIPES 65         /* a row of 64 columns */
#define KH_PARTIAL_SENTINEL "\xEE\x80\x80" /* U+E000 in UTF-8 */

/* A problem in Markdown text: the byte offset where it is, and what it is
 * (g_malloc'd; free with kh_markdown_error_clear()). */
typedef struct {
  gsize offset;
  char *message;
} kh_markdown_error;

void kh_markdown_error_clear(kh_markdown_error *err);

/* Appends the marker paragraph of partial NAME to out, with blank lines
 * before and after so it never joins a neighbouring paragraph or table (the
 * name itself Markdown-escaped, so md4c gives it back unchanged). */
void kh_markdown_append_partial(GString *out, const char *name);

/* Appends the blocks of md[0..len) to blocks (of kh_block*, which then owns
 * them). On a failure returns false, fills *err and appends nothing. */
bool kh_markdown_to_blocks(const char *md, gsize len, GPtrArray *blocks,
                           kh_markdown_error *err);

/* Appends md[0..len) as plain text to out, for a mail's text part: every
 * block on its own lines with a blank line between blocks; headings and
 * paragraphs as their text (one line per paragraph); tables as columns
 * aligned by display width, their header underlined with '-'; a thematic
 * break as a line of '-'; partial markers leave nothing. On a failure
 * returns false, fills *err and appends nothing. */
bool kh_markdown_to_plain(const char *md, gsize len, GString *out,
                          kh_markdown_error *err);

/* Appends md[0..len) rendered by md4c-html to out: the content of <body>
 * only; the caller adds the document around it (with a UTF-8 charset).
 * On a failure returns false, fills *err and appends nothing. */
bool kh_markdown_to_html(const char *md, gsize len, GString *out,
                         kh_markdown_error *err);

#endif
