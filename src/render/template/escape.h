/* Escapers for mustache's {{name}}: HTML (the Mustache spec's tests, the
 * mail's HTML) and Markdown (every template we ship is Markdown, so a value
 * must print as written: a township called *甲*乡 stays *甲*乡).
 *
 * Both have the shape of kh_mustache_escape_fn and are reentrant. */
#ifndef KAOHE_RENDER_TEMPLATE_ESCAPE_H
#define KAOHE_RENDER_TEMPLATE_ESCAPE_H

#include <glib.h>

/* Appends text[0..len) to out with & < > " ' as character references. */
void kh_escape_html(GString *out, const char *text, gsize len);

/* Appends text[0..len) to out so Markdown reads it as plain text: every
 * ASCII punctuation character gets a backslash (CommonMark lets any of them
 * be escaped), which covers emphasis, a leading #, -, + or >, "1." list
 * markers, | in table cells, links and entities. A value is one line:
 * line breaks and tabs become spaces (a newline could end a paragraph or a
 * table row). U+E000, the partial marker of markdown.h, becomes U+FFFD so a
 * value can never pose as a built-in block. Escapes mean nothing inside code
 * spans, so a template should not put {{name}} between backticks. */
void kh_escape_markdown(GString *out, const char *text, gsize len);

#endif
