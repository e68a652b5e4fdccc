/* The variables the quarterly reward-and-penalty report's template sees:
 * one jansson object built from a kh_quarter_result, every number already
 * formatted (templates/README.md lists them). */
#ifndef KAOHE_RENDER_QUARTER_CONTEXT_H
#define KAOHE_RENDER_QUARTER_CONTEXT_H

#include <jansson.h>
#include "kaohe/render.h"

/* Caller frees with json_decref(). */
json_t *kh_quarter_context(const kh_quarter_result *q, const kh_doc_meta *meta);

#endif
