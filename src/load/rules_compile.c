/* Parsing the indicators' formulas once every name is known (docs/reference/formulas.md):
 * month, the attributes of townships.csv, and the fields declared in
 * rules.ini or found in the monthly files' headers.
 *
 * kh_rules does not keep the places of its values, so a formula error is
 * located by scanning rules.ini again (only when there is an error). A
 * dataset built in memory, without that file, still gets the error, at
 * line 1 of the path it names. */
#include "load/rules.h"

#include <math.h>
#include <string.h>

#include "load/formula.h"
#include "load/rules_lines.h"
#include "load/rules_values.h"

/* Names to indices: a field f as f + 1, an attribute a as -(a + 1). A name
 * that is both is an error of the registry; the field wins here. */
static GHashTable *name_table(const kh_dataset *ds) {
  GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
  for (int a = 0; a < kh_n_attrs(ds); a++)
    g_hash_table_insert(t, g_ptr_array_index(ds->attr_names, a),
                        GINT_TO_POINTER(-(a + 1)));
  for (int f = 0; f < kh_n_fields(ds); f++) {
    const kh_field *field = g_ptr_array_index(ds->fields, f);
    g_hash_table_insert(t, field->id, GINT_TO_POINTER(f + 1));
  }
  return t;
}

static int lookup(void *user, const char *name, bool *is_field) {
  int code = GPOINTER_TO_INT(g_hash_table_lookup(user, name));
  *is_field = code > 0;
  return code > 0 ? code - 1 : code < 0 ? -code - 1 : -1;
}

/* The places of rules.ini's values, read on first need. */
typedef struct {
  const char *path;
  bool tried;
  kh_ini_lines *ini; /* NULL when the file could not be read again */
} locator;

static const kh_ini_key *locate(locator *loc, const char *group,
                                const char *key) {
  if (!loc->tried) {
    loc->tried = true;
    kh_diags *scratch = kh_diags_new(); /* reported by kh_rules_read() */
    gsize len = 0;
    char *text = kh_read_text_file(loc->path, &len, scratch);
    if (text)
      loc->ini = kh_ini_lines_scan(text, loc->path, scratch);
    g_free(text);
    kh_diags_free(scratch);
  }
  const kh_ini_group *g = loc->ini ? kh_ini_lines_group(loc->ini, group) : NULL;
  return g ? kh_ini_group_key(g, key) : NULL;
}

/* A formula of `group`'s `key` that did not parse: located in rules.ini at
 * the error, `offset` characters into the value being where src starts. */
static void report(const char *group, const char *key, const char *src, int offset,
                   int col, const char *msg, locator *loc, kh_diags *diags) {
  const kh_ini_key *k = locate(loc, group, key);
  if (offset < 0 && k) { /* src ends the value: the target after its operator */
    char *value = kh_ini_trim_end(g_strdup(k->value));
    offset = (int)MAX(g_utf8_strlen(value, -1) - g_utf8_strlen(src, -1), 0);
    g_free(value);
  }
  if (k)
    kh_diags_add(diags, KH_ERROR, loc->path, k->line, k->value_col + offset + col - 1,
                 kh_ini_lines_source(loc->ini, k->line), "[%s] %s: %s", group, key, msg);
  else
    kh_diags_add(diags, KH_ERROR, loc->path, 1, 1, NULL, "[%s] %s: 公式第 %d 个字符处：%s",
                 group, key, col, msg);
}

/* Parses one formula of ind, that of `key` ("value" or "target"). src is
 * the end of the key's value (after the target's operator), which places
 * its columns within the line. */
static kh_expr *compile_one(const kh_indicator *ind, const char *key,
                            const char *src, GHashTable *names, locator *loc,
                            kh_diags *diags) {
  int col = 0;
  char *msg = NULL;
  kh_expr *e = kh_formula_parse(src, lookup, names, &col, &msg);
  if (e)
    return e;
  char *group = g_strconcat("indicator.", ind->id, NULL);
  report(group, key, src, -1, col, msg, loc, diags);
  g_free(group);
  g_free(msg);
  return NULL;
}

/* Parses one side of an audit's rule, `offset` characters into it. */
static kh_expr *compile_side(const kh_audit *a, const char *src, int offset,
                             GHashTable *names, locator *loc, kh_diags *diags) {
  int col = 0;
  char *msg = NULL;
  kh_expr *e = kh_audit_formula_parse(src, lookup, names, &col, &msg);
  if (e)
    return e;
  char *group = g_strconcat("audit.", a->name, NULL);
  report(group, "rule", src, offset, col, msg, loc, diags);
  g_free(group);
  g_free(msg);
  return NULL;
}

static void mark_attrs(const kh_expr *e, bool *used_attrs) {
  if (!e)
    return;
  if (e->kind == KH_EXPR_ATTR)
    used_attrs[e->index] = true;
  mark_attrs(e->a, used_attrs);
  mark_attrs(e->b, used_attrs);
}

void kh_rules_compile(kh_dataset *ds, bool *used_attrs, kh_diags *diags) {
  GHashTable *names = name_table(ds);
  locator loc = {.path = ds->rules_path ? ds->rules_path : "rules.ini",
                 .tried = !ds->rules_path};
  for (int i = 0; i < kh_n_indicators(ds); i++) {
    kh_indicator *ind = kh_indicator_at(ds, i);
    g_clear_pointer(&ind->value, kh_expr_free);
    g_clear_pointer(&ind->target, kh_expr_free);
    if (ind->value_src)
      ind->value =
          compile_one(ind, "value", ind->value_src, names, &loc, diags);
    if (ind->target_src)
      ind->target =
          compile_one(ind, "target", ind->target_src, names, &loc, diags);
    if (used_attrs) {
      mark_attrs(ind->value, used_attrs);
      mark_attrs(ind->target, used_attrs);
    }
  }
  for (guint k = 0; ds->rules.audits && k < ds->rules.audits->len; k++) {
    kh_audit *a = g_ptr_array_index(ds->rules.audits, k);
    g_clear_pointer(&a->left, kh_expr_free);
    g_clear_pointer(&a->right, kh_expr_free);
    if (!a->left_src)
      continue;
    a->left = compile_side(a, a->left_src, a->left_at, names, &loc, diags);
    a->right = compile_side(a, a->right_src, a->right_at, names, &loc, diags);
    if (used_attrs) {
      mark_attrs(a->left, used_attrs);
      mark_attrs(a->right, used_attrs);
    }
  }
  kh_ini_lines_free(loc.ini);
  g_hash_table_unref(names);
}

void kh_rules_check_weights(const kh_dataset *ds, kh_diags *diags) {
  double sum = 0;
  for (int i = 0; i < kh_n_indicators(ds); i++)
    sum += kh_indicator_at(ds, i)->weight;
  if (kh_n_indicators(ds) == 0 || fabs(sum - 100) < 1e-9)
    return;
  locator loc = {.path = ds->rules_path ? ds->rules_path : "rules.ini",
                 .tried = !ds->rules_path};
  char *group = g_strconcat("indicator.", kh_indicator_at(ds, 0)->id, NULL);
  const kh_ini_key *k = locate(&loc, group, "weight");
  kh_diags_add(diags, KH_WARNING, loc.path, k ? k->line : 1, k ? k->col : 1,
               k ? kh_ini_lines_source(loc.ini, k->line) : NULL,
               "各指标的权重合计为 %.10g 分，不是 100 分：请核对各 [indicator.*] 的 weight", sum);
  g_free(group);
  kh_ini_lines_free(loc.ini);
}
