/* The skeleton of a new dataset (init/ in the repository), compiled into the
 * program by cmake/embed_init.cmake so `kaohe init` works from any folder. */
#ifndef KAOHE_CLI_INIT_SKELETON_H
#define KAOHE_CLI_INIT_SKELETON_H

/* The text of init/NAME (e.g. "rules.ini"), UTF-8 without a BOM, or NULL.
 * Static storage: never freed. */
const char *kh_init_file(const char *name);

#endif
