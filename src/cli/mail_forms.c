/* kaohe mail --forms (docs/reference/forms.md): each township its fill-in
 * form. The forms are the ones `kaohe forms` wrote into its folder, read
 * and checked to be that township's and month's (kh_mail_form_read); the
 * text comes from templates/forms_mail.md. Sending, .eml files and the
 * delivery log are the month's mail's (cmd_mail.c), with "forms" in the
 * delivery key. */
#include "cli/cli.h"
#include "cli/mail_outgoing.h"

#include <stdio.h>
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

bool kh_mail_forms_find(const kh_dataset *ds, int month, const char *folder,
                        const char *dataset_arg, GArray *items, kh_diags *diags) {
  char *period = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  char *remedy = g_strdup_printf("kaohe forms %s %s -o %s", dataset_arg, period, folder);
  forms_source source = {ds, month};
  kh_attachment_kind kind = {.what = "填报表", .period = period, .file_name = form_name,
                             .source = &source, .read = kh_mail_form_read, .remedy = remedy};
  bool ok = kh_mail_find_attachments(ds, &kind, folder, items, diags);
  g_free(remedy);
  g_free(period);
  return ok;
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

bool kh_mail_forms_compose(const kh_dataset *ds, int month, const kh_doc_meta *meta,
                           const char *from, const char *from_name, GArray *items,
                           kh_diags *diags) {
  kh_template *tpl = kh_template_load(KH_FORMS_MAIL_TEMPLATE, meta->template_dir, diags);
  if (!tpl)
    return false;
  json_t *ctx = forms_context(ds, month, meta);
  bool ok = true;
  for (guint k = 0; k < items->len; k++) {
    outgoing *o = &g_array_index(items, outgoing, k);
    char *attachment = g_path_get_basename(o->workbook);
    json_t *township = json_object();
    json_object_set_new(township, "code", json_string(o->tw->code));
    json_object_set_new(township, "name", json_string(o->tw->name));
    json_object_set_new(township, "contact", json_string(o->tw->contact ? o->tw->contact : ""));
    json_object_set_new(ctx, "township", township);
    json_object_set_new(ctx, "attachment", json_string(attachment));
    kh_mail_text text;
    bool rendered = kh_render_mail_text(tpl, ctx, &text, diags);
    if (rendered) {
      ok = kh_mail_encode(o, &text, attachment, from, from_name, meta->created, diags) && ok;
    }
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
