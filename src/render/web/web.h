/* The web console's pages (render.h kh_web_*), internal to src/render/web:
 * each page is a jansson context rendered by the mustache engine with HTML
 * escaping into a page template, inside the common layout. The templates
 * and the stylesheet (pages/) are compiled into the program, so the console
 * works offline and serves nothing it did not make. */
#ifndef KAOHE_RENDER_WEB_H
#define KAOHE_RENDER_WEB_H

#include <jansson.h>
#include "kaohe/render.h"

/* The compiled-in file pages/NAME, or NULL (cmake/embed_templates.cmake). */
const char *kh_web_file(const char *name);

/* kh_web_page with the console's part (may be NULL) set in ctx as
 * "console". A template that does not render is a bug of ours: the page
 * then says so instead of its content. */
void kh_web_render(const char *name, const char *title, const kh_dataset *ds, json_t *ctx,
                   json_t *console, GString *out);

/* An inline SVG line chart of values[0..n) (NAN = no point) over labels
 * (month numbers), its height spanning [lo, hi]; large draws axes and
 * labels, else a sparkline for a table cell. Caller frees with g_free(). */
char *kh_web_chart(const double *values, const int *labels, int n, double lo, double hi, bool large);

/* The link to township code's page, the code percent-encoded. */
json_t *kh_web_township_href(const char *code);

/* path as the dataset's own (monthly/2013-07.csv, not DIR/monthly/…);
 * other paths as they are (web_dataset.c). */
json_t *kh_web_in_dataset(const char *dir, const char *path);

/* json_string of a g_malloc'd string, which it frees. */
json_t *kh_web_owned(char *text);

#endif
