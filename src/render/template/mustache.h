/* A mustache engine over a jansson context (templates/README.md).
 *
 * What the Mustache spec's interpolation, sections, inverted and comments
 * tests cover: {{name}} (escaped by a pluggable function), {{{name}}} and
 * {{& name}} (raw), dotted names, {{.}}, sections {{#x}}…{{/x}} (a list
 * repeats its content once per element, any other truthy value is pushed on
 * the context stack for its content, a falsy one skips it), inverted
 * sections {{^x}}…{{/x}}, comments {{! …}}, and the standalone-line rule
 * (a section, inverted, closing, comment or partial tag alone on its line
 * takes the whole line with it). Partials {{> name}} are resolved by a
 * callback that returns the text to insert, not a template to expand.
 * Set delimiters and template inheritance are rejected with an error.
 *
 * Values: strings as they are; integers in decimal; reals in their shortest
 * form that reads back exactly (1.21, 3 — never 3.0); true and false as
 * "true" and "false"; null, missing names, objects and arrays as nothing.
 * Falsy for sections: missing, null, false, an empty list, an empty string.
 * A name is looked up from the innermost context outwards; in a dotted name
 * only the first part is, the rest must follow from what it found.
 *
 * Errors are diagnostics with the template's path, line and column:
 * unclosed tags, mismatched or unclosed sections, unknown partials, a
 * template or output over the limits below. A parsed template is read-only:
 * rendering it from several threads at once is safe. */
#ifndef KAOHE_RENDER_TEMPLATE_MUSTACHE_H
#define KAOHE_RENDER_TEMPLATE_MUSTACHE_H

#include <stdbool.h>
#include <glib.h>
#include <jansson.h>
#include "kaohe/diag.h"

#define KH_MUSTACHE_MAX_TEMPLATE_BYTES (1u << 20) /* 1 MiB */
#define KH_MUSTACHE_MAX_OUTPUT_BYTES (4u << 20)   /* 4 MiB */
#define KH_MUSTACHE_MAX_DEPTH 64                  /* nested sections */

/* Appends text[0..len) to out, escaped for the output's language
 * (kh_escape_html, kh_escape_markdown). */
typedef void (*kh_mustache_escape_fn)(GString *out, const char *text,
                                      gsize len);

/* Returns the text that replaces {{> name}}, inserted as it is (not expanded,
 * not escaped); the engine frees it with g_free(). standalone: the tag was
 * alone on its line, and the text replaces that whole line, newline included;
 * indent is the whitespace that preceded such a tag ("" otherwise): the
 * Mustache spec would indent each line of the partial by it, and the
 * callback decides whether to. Returns NULL when the partial cannot be used,
 * with *message set to a g_malloc'd reason, or left NULL for "unknown
 * partial" (未知的内置块). */
typedef char *(*kh_mustache_partial_fn)(const char *name, bool standalone,
                                        const char *indent, void *user_data,
                                        char **message);

/* Output bytes from out_offset onwards came from template byte tpl_offset:
 * literal text (the two advance together) or a tag's value. */
typedef struct {
  gsize out_offset;
  gsize tpl_offset;
  bool literal;
} kh_mustache_origin;

typedef struct {
  kh_mustache_escape_fn escape;   /* for {{name}}; NULL inserts raw */
  kh_mustache_partial_fn partial; /* NULL: every partial is unknown */
  void *user_data;                /* handed to partial */
  GArray *origins; /* of kh_mustache_origin, or NULL: when given, rendering
                      appends where each piece of output came from */
} kh_mustache_opts;

/* A parsed template. */
typedef struct kh_mustache kh_mustache;

/* Parses a NUL-terminated UTF-8 template; path names it in diagnostics.
 * Returns NULL after appending the first error to diags. Copies text and
 * path. Caller frees with kh_mustache_free(). */
kh_mustache *kh_mustache_parse(const char *text, const char *path,
                               kh_diags *diags);
void kh_mustache_free(kh_mustache *t); /* NULL-safe */

/* Appends the template rendered against context to out. Returns false after
 * appending an error to diags (out then holds a partial rendering). Borrows
 * context; reads it only. */
bool kh_mustache_render(const kh_mustache *t, const json_t *context,
                        const kh_mustache_opts *opts, GString *out,
                        kh_diags *diags);

/* The template byte that produced output byte out_offset, by the origins a
 * render recorded (0 when there are none). */
gsize kh_mustache_source_offset(const GArray *origins, gsize out_offset);

/* Appends an error at template byte tpl_offset (line, column in characters,
 * and the line itself) to diags. */
void kh_mustache_error_at(const kh_mustache *t, gsize tpl_offset,
                          kh_diags *diags, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

#endif
