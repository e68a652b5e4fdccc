/* The templates/ files compiled into the program (cmake/embed_templates.cmake). */
#ifndef KAOHE_RENDER_SHIPPED_H
#define KAOHE_RENDER_SHIPPED_H

/* The text of shipped template NAME (e.g. "notice.md"), or NULL. */
const char *kh_shipped_template(const char *name);

#endif
