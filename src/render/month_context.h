/* The variables the monthly notice and the mail templates see: one jansson
 * object built from a kh_month_result, with every number already formatted
 * for people (templates/README.md lists them). */
#ifndef KAOHE_RENDER_MONTH_CONTEXT_H
#define KAOHE_RENDER_MONTH_CONTEXT_H

#include <jansson.h>
#include "kaohe/render.h"

/* prev may be NULL. Caller frees with json_decref(). */
json_t *kh_month_context(const kh_month_result *r, const kh_month_result *prev,
                         const kh_doc_meta *meta);

/* Adds the variables about township t (its figures, rank, warnings) under
 * "township" to ctx: used by the mail (mail_render.c). */
void kh_month_context_township(json_t *ctx, const kh_month_result *r, int t);

#endif
