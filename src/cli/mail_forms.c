/* kaohe mail --forms (docs/reference/forms.md): each township its fill-in
 * form. The forms are the ones `kaohe forms` wrote into its folder, read
 * and checked to be that township's and month's (kh_mail_form_read); the
 * text comes from templates/forms_mail.md. Sending, .eml files and the
 * delivery log are the month's mail's (deliver.h's batch), with "forms" in
 * the delivery key. */
#include "cli/cli.h"

#include <stdio.h>
#include "kaohe/deliver.h"
#include "kaohe/render.h"

/* Whose forms, for form_name(). */
typedef struct {
  const kh_dataset *ds;
  int month;
} forms_source;

static char *form_name(const void *source, int t) {
  const forms_source *f = source;
  return kh_form_xlsx_name(f->ds, f->month, t);
}

bool kh_mail_forms_find(kh_mail_batch *b, kh_diags *diags) {
  forms_source source = {b->ds, b->month};
  kh_attachment_kind kind = {.period = b->period, .file_name = form_name, .source = &source,
                             .read = kh_mail_form_read};
  return kh_mail_find_attachments(b, &kind, b->outdir, diags);
}

/* The variables of forms_mail.md but the township's (templates/README.md). */
static json_t *forms_context(const kh_dataset *ds, int month, const kh_doc_meta *meta) {
  json_t *ctx = json_object();
  const kh_rules *rules = &ds->rules;
  json_object_set_new(ctx, "county", json_string(rules->county ? rules->county : ""));
  json_object_set_new(ctx, "issuer", json_string(rules->issuer ? rules->issuer : ""));
  json_object_set_new(ctx, "title", json_string(rules->title ? rules->title : ""));
  json_object_set_new(ctx, "year", json_integer(rules->year));
  json_object_set_new(ctx, "month", json_integer(month));
  char *period = g_strdup_printf("%d年%d月", rules->year, month);
  json_object_set_new(ctx, "period", json_string(period));
  g_free(period);
  json_object_set_new(ctx, "n_fields", json_integer(kh_n_fields(ds)));
  char *date = kh_fmt_date(meta->date_year, meta->date_month, meta->date_day);
  json_object_set_new(ctx, "date", json_string(date));
  g_free(date);
  return ctx;
}

bool kh_mail_forms_compose(kh_mail_batch *b, const kh_doc_meta *meta, const char *from,
                           const char *from_name, kh_diags *diags) {
  kh_template *tpl = kh_template_load(KH_FORMS_MAIL_TEMPLATE, meta->template_dir, diags);
  if (!tpl)
    return false;
  json_t *ctx = forms_context(b->ds, b->month, meta);
  bool ok = true;
  for (guint k = 0; k < b->items->len; k++) {
    kh_mail_item *it = &g_array_index(b->items, kh_mail_item, k);
    char *attachment = g_path_get_basename(it->attachment_path);
    json_t *township = json_object();
    json_object_set_new(township, "code", json_string(it->tw->code));
    json_object_set_new(township, "name", json_string(it->tw->name));
    json_object_set_new(township, "contact", json_string(it->tw->contact ? it->tw->contact : ""));
    json_object_set_new(ctx, "township", township);
    json_object_set_new(ctx, "attachment", json_string(attachment));
    kh_mail_text text;
    bool rendered = kh_render_mail_text(tpl, ctx, &text, diags);
    if (rendered)
      ok = kh_mail_encode(it, &text, attachment, from, from_name, meta->created, diags) && ok;
    kh_mail_text_clear(&text);
    g_free(attachment);
    if (!rendered) { /* a template error would repeat for every township */
      ok = false;
      break;
    }
  }
  json_decref(ctx);
  kh_template_free(tpl);
  return ok;
}
