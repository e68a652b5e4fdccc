/* Reading rules.ini into ds->rules (docs/reference/rules.md): the text is converted to
 * UTF-8, scanned line by line for places (rules_lines.c), parsed by GLib's
 * key-file parser, and each group is checked key by key. Formulas are kept
 * as text here; rules_compile.c parses them once every name is known.
 *
 * Required keys. [assessment] needs year, and also title, county and
 * issuer: every document prints them (the notice's title line, the county
 * in the text, the issuing authority's red header), so a scheme without
 * them could be checked and scored but not published; better to say so at
 * `kaohe check` time. An indicator needs name, value, target, weight and
 * method; a tier needs action. Everything else is optional.
 *
 * Choices where the rules are silent: values are taken as written (GLib's
 * raw value, no escape sequences: a "\" is an ordinary character), with
 * blanks trimmed at both ends (an ideographic space too, at the end);
 * [assessment] decimals, when given, is the default of indicators that do
 * not give their own (else 2); an optional text given empty ([notice],
 * [fonts], veto_action, a field's label) counts as absent; a field id may
 * not be month, ytd or township, and a label may not be another field's id
 * or the monthly files' township column; a deadline outside the assessment
 * year is a warning; a scheme without any indicator is an error. */
#include "load/rules.h"

#include <stdarg.h>
#include <string.h>

#include "load/formula.h"
#include "load/rules_lines.h"
#include "load/rules_values.h"

typedef struct {
  kh_dataset *ds;
  kh_rules *r;
  const char *path;
  kh_ini_lines *ini;
  GKeyFile *kf;
  kh_diags *diags;
  const kh_ini_group *g; /* the group being read */
  int default_decimals;
} reader;

/* ---- diagnostics --------------------------------------------------------- */

static void add(reader *rd, kh_severity sev, int line, int col,
                const char *prefix, const char *fmt, va_list ap) {
  char *msg = g_strdup_vprintf(fmt, ap);
  kh_diags_add(rd->diags, sev, rd->path, line, col,
               kh_ini_lines_source(rd->ini, line), "%s: %s", prefix, msg);
  g_free(msg);
}

/* A problem with a key's value, at byte `at` of the value text `value`. */
static void value_diag(reader *rd, kh_severity sev, const kh_ini_key *k,
                       const char *value, const char *at, const char *fmt,
                       va_list ap) {
  char *prefix = g_strdup_printf("[%s] %s", rd->g->name, k->key);
  int col = k->value_col + (int)g_utf8_pointer_to_offset(value, at);
  add(rd, sev, k->line, col, prefix, fmt, ap);
  g_free(prefix);
}

static void value_error(reader *rd, const kh_ini_key *k, const char *value,
                        const char *at, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
static void value_error(reader *rd, const kh_ini_key *k, const char *value,
                        const char *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  value_diag(rd, KH_ERROR, k, value, at, fmt, ap);
  va_end(ap);
}

static void value_warning(reader *rd, const kh_ini_key *k, const char *value,
                          const char *at, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
static void value_warning(reader *rd, const kh_ini_key *k, const char *value,
                          const char *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  value_diag(rd, KH_WARNING, k, value, at, fmt, ap);
  va_end(ap);
}

/* Reports msg (from a rules_values.h parser) when it is not NULL, and
 * frees it. Returns whether there was nothing to report. */
static bool report(reader *rd, const kh_ini_key *k, const char *value,
                   const char *bad, char *msg) {
  if (msg)
    value_error(rd, k, value, bad, "%s", msg);
  g_free(msg);
  return msg == NULL;
}

static void key_error(reader *rd, const kh_ini_key *k, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static void key_error(reader *rd, const kh_ini_key *k, const char *fmt, ...) {
  char *prefix = g_strdup_printf("[%s] %s", rd->g->name, k->key);
  va_list ap;
  va_start(ap, fmt);
  add(rd, KH_ERROR, k->line, k->col, prefix, fmt, ap);
  va_end(ap);
  g_free(prefix);
}

static void group_diag(reader *rd, kh_severity sev, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static void group_diag(reader *rd, kh_severity sev, const char *fmt, ...) {
  char *prefix = g_strdup_printf("[%s]", rd->g->name);
  va_list ap;
  va_start(ap, fmt);
  add(rd, sev, rd->g->line, rd->g->col, prefix, fmt, ap);
  va_end(ap);
  g_free(prefix);
}

/* ---- values -------------------------------------------------------------- */

/* The value of `key` in the current group, blanks trimmed, and its place;
 * NULL when the key is absent. Caller frees with g_free(). */
static char *get(reader *rd, const char *key, const kh_ini_key **where) {
  *where = kh_ini_group_key(rd->g, key);
  char *v =
      *where ? g_key_file_get_value(rd->kf, rd->g->name, key, NULL) : NULL;
  return v ? kh_ini_trim_end(v) : NULL;
}

/* A text that must not be empty; NULL when absent or empty (reported). */
static char *get_text(reader *rd, const char *key) {
  const kh_ini_key *k;
  char *v = get(rd, key, &k);
  if (v && !*v) {
    value_error(rd, k, v, v, "不能为空");
    g_clear_pointer(&v, g_free);
  }
  return v;
}

/* A text that may be left out or empty: NULL then. */
static char *get_optional_text(reader *rd, const char *key) {
  const kh_ini_key *k;
  char *v = get(rd, key, &k);
  if (v && !*v)
    g_clear_pointer(&v, g_free);
  return v;
}

/* Reads a non-negative decimal into *out when the key is given. Returns
 * whether it was given and valid. */
static bool get_decimal(reader *rd, const char *key, double *out) {
  const kh_ini_key *k;
  char *v = get(rd, key, &k);
  const char *bad = NULL;
  bool ok = v && kh_ini_decimal(v, out, &bad);
  if (v && !ok)
    value_error(rd, k, v, bad, "应为非负数（如 20 或 12.5），而不是“%s”", v);
  g_free(v);
  return ok;
}

/* Reads an integer lo..hi into *out when the key is given; `what` says
 * what was expected. Returns whether it was given and valid. */
static bool get_int(reader *rd, const char *key, int lo, int hi, int *out,
                    const char *what) {
  const kh_ini_key *k;
  char *v = get(rd, key, &k);
  const char *bad = NULL;
  bool ok = v && kh_ini_int(v, lo, hi, out, &bad);
  if (v && !ok)
    value_error(rd, k, v, bad, "应为%s，而不是“%s”", what, v);
  g_free(v);
  return ok;
}

/* Reads true/false into *out when the key is given. Returns whether it was
 * given and valid. */
static bool get_bool(reader *rd, const char *key, bool *out) {
  const kh_ini_key *k;
  char *v = get(rd, key, &k);
  const char *bad = NULL;
  char *msg = v ? kh_ini_bool(v, out, &bad) : NULL;
  bool ok = v && report(rd, k, v, bad, msg);
  g_free(v);
  return ok;
}

/* ---- groups -------------------------------------------------------------- */

static void read_assessment(reader *rd, const char *suffix) {
  (void)suffix;
  kh_rules *r = rd->r;
  r->title = get_text(rd, "title");
  r->county = get_text(rd, "county");
  r->issuer = get_text(rd, "issuer");
  get_int(rd, "year", 1000, 9999, &r->year, "四位数的年份（如 2013）");
  get_int(rd, "decimals", 0, 10, &rd->default_decimals, "整数 0 到 10");
}

static void read_notice(reader *rd, const char *suffix) {
  (void)suffix;
  kh_rules *r = rd->r;
  r->docno_prefix = get_optional_text(rd, "docno_prefix");
  r->addressees = get_optional_text(rd, "addressees");
  r->copy_to = get_optional_text(rd, "copy_to");
  r->printed_by = get_optional_text(rd, "printed_by");
}

static void read_fonts(reader *rd, const char *suffix) {
  (void)suffix;
  kh_rules *r = rd->r;
  r->font_body = get_optional_text(rd, "body");
  r->font_title = get_optional_text(rd, "title");
  r->font_heading1 = get_optional_text(rd, "heading1");
  r->font_heading2 = get_optional_text(rd, "heading2");
}

/* How the web console sends (docs/reference/console.md): the SMTP server
 * and its login, as `kaohe mail --smtp URL --user U --password-file F
 * --ca-file F [--no-starttls]` would give them, checked by the same rules.
 * The password itself never is in rules.ini. */
static void read_mail_server(reader *rd) {
  kh_rules *r = rd->r;
  const kh_ini_key *k;
  char *url = get(rd, "smtp", &k);
  if (url && !g_str_has_prefix(url, "smtp://") && !g_str_has_prefix(url, "smtps://")) {
    value_error(rd, k, url, url,
                "SMTP 服务器地址应以 smtp:// 或 smtps:// 开头，例如 "
                "smtp://mail.example.gov.cn:587，而不是“%s”", url);
    g_clear_pointer(&url, g_free);
  } else if (url && strchr(url, '@')) {
    value_error(rd, k, url, strchr(url, '@'),
                "SMTP 服务器地址中不能写用户名或密码：用户名写在 user，密码放在 password_file "
                "指定的文件中");
    g_clear_pointer(&url, g_free);
  }
  r->mail_smtp = url;
  r->mail_user = get_optional_text(rd, "user");
  r->mail_ca_file = get_optional_text(rd, "ca_file");
  char *password_file = get(rd, "password_file", &k);
  if (password_file && *password_file && !r->mail_user) {
    value_error(rd, k, password_file, password_file, "password_file 需要与 user 一起使用");
    g_clear_pointer(&password_file, g_free);
  } else if (password_file && !*password_file) {
    g_clear_pointer(&password_file, g_free);
  }
  r->mail_password_file = password_file;
  bool starttls = true;
  if (get_bool(rd, "starttls", &starttls))
    r->mail_no_starttls = !starttls;
}

static void read_mail(reader *rd, const char *suffix) {
  (void)suffix;
  const kh_ini_key *k;
  char *from = get(rd, "from", &k), *name, *address;
  if (from && !kh_mail_sender_parse(from, &name, &address)) {
    value_error(rd, k, from, from,
                "发件人应写作 名称 <地址> 或只写地址，如 某某县人口和计划生育局 "
                "<tjk@example.gov.cn>，而不是“%s”", from);
    g_clear_pointer(&from, g_free);
  } else if (from) {
    g_free(name);
    g_free(address);
  }
  rd->r->mail_from = from;
  read_mail_server(rd);
}

static void read_quarter(reader *rd, const char *suffix) {
  (void)suffix;
  const kh_ini_key *k;
  char *combine = get(rd, "combine", &k);
  if (combine && strcmp(combine, "mean") != 0)
    value_error(rd, k, combine, combine,
                "只支持 mean（三个月总分的平均数），而不是“%s”", combine);
  g_free(combine);
  rd->r->veto_action = get_optional_text(rd, "veto_action");
}

static void read_field(reader *rd, const char *id) {
  static const char *const reserved[] = {"month", "ytd", "township"};
  if (!kh_is_identifier(id)) {
    group_diag(rd, KH_ERROR,
               "字段 ID“%s”应由小写字母、数字和下划线组成，"
               "且不以数字开头",
               id);
    return;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++)
    if (strcmp(id, reserved[i]) == 0) {
      group_diag(rd, KH_ERROR, "“%s”是保留名称，不能作字段 ID", id);
      return;
    }
  kh_field *f = g_new0(kh_field, 1);
  f->id = g_strdup(id);
  f->label = get_optional_text(rd, "label");
  f->help = get_optional_text(rd, "help");
  get_bool(rd, "integer", &f->integer);
  get_bool(rd, "cumulative", &f->cumulative);
  f->declared = true;
  g_ptr_array_add(rd->ds->fields, f);
}

/* from = YYYY-MM, a month of the assessment year (docs/reference/dataset.md). */
static void read_from(reader *rd, kh_indicator *ind) {
  const kh_ini_key *k;
  char *v = get(rd, "from", &k);
  int y = 0, m = 0;
  if (v && !kh_parse_month(v, &y, &m))
    value_error(rd, k, v, v, "应写作 YYYY-MM（该指标开始考核的月份，如 2013-07），而不是“%s”", v);
  else if (v && rd->r->year && y != rd->r->year)
    value_error(rd, k, v, v, "月份不在考核年度（%d 年）内", rd->r->year);
  else if (v)
    ind->from_month = m;
  g_free(v);
}

/* rule = LEFT OP RIGHT with OP one of <= >= < > == != (docs/reference/audits.md): splits
 * the rule at its one comparison; the formulas are compiled later. */
static void split_rule(reader *rd, kh_audit *a, const kh_ini_key *k) {
  static const struct {
    const char *text;
    kh_audit_op op;
  } ops[] = {{"<=", KH_AUDIT_LE}, {">=", KH_AUDIT_GE}, {"==", KH_AUDIT_EQ},
             {"!=", KH_AUDIT_NE}, {"<", KH_AUDIT_LT},  {">", KH_AUDIT_GT}};
  const char *src = a->rule_src, *at = NULL;
  size_t op_len = 0;
  for (const char *p = src; *p; p++) {
    if (!strchr("<>=!", *p))
      continue;
    size_t i = 0;
    while (i < G_N_ELEMENTS(ops) && strncmp(p, ops[i].text, strlen(ops[i].text)) != 0)
      i++;
    if (i == G_N_ELEMENTS(ops) || at) {
      value_error(rd, k, src, p,
                  at ? "只能有一个比较符（<= >= < > == != 之一）"
                     : "比较符应为 <= >= < > == != 之一");
      return;
    }
    at = p;
    op_len = strlen(ops[i].text);
    a->op = ops[i].op;
    p += op_len - 1;
  }
  if (!at) {
    value_error(rd, k, src, src, "规则应写作“公式 比较符 公式”，如 id_entered <= population");
    return;
  }
  a->left_src = g_strndup(src, (gsize)(at - src));
  a->right_src = g_strdup(at + op_len);
  a->left_at = 0;
  a->right_at = (int)g_utf8_pointer_to_offset(src, at + op_len);
}

static void read_audit(reader *rd, const char *name) {
  if (!kh_is_identifier(name))
    group_diag(rd, KH_ERROR, "审核名“%s”应由小写字母、数字和下划线组成，且不以数字开头", name);
  kh_audit *a = g_new0(kh_audit, 1);
  a->name = g_strdup(name);
  a->level = KH_ERROR;
  const kh_ini_key *k;
  a->rule_src = get(rd, "rule", &k);
  if (a->rule_src && !*a->rule_src)
    value_error(rd, k, a->rule_src, a->rule_src, "不能为空");
  else if (a->rule_src)
    split_rule(rd, a, k);
  a->message = get_optional_text(rd, "message");
  char *level = get(rd, "level", &k);
  if (level && strcmp(level, "warning") == 0)
    a->level = KH_WARNING;
  else if (level && strcmp(level, "error") != 0)
    value_error(rd, k, level, level, "应为 error（有错时不生成文件）或 warning（只提醒），而不是“%s”",
                level);
  g_free(level);
  g_ptr_array_add(rd->r->audits, a);
}

/* target = >= FORMULA | <= FORMULA: the operator now, the formula's text
 * for kh_rules_compile(). */
static void read_target(reader *rd, kh_indicator *ind) {
  const kh_ini_key *k;
  char *v = get(rd, "target", &k);
  const char *bad = NULL, *formula = NULL;
  char *msg = v ? kh_ini_target(v, &ind->op, &formula, &bad) : NULL;
  if (v && report(rd, k, v, bad, msg))
    ind->target_src = g_strdup(formula);
  g_free(v);
}

static void read_method(reader *rd, kh_indicator *ind) {
  const kh_ini_key *k;
  char *v = get(rd, "method", &k);
  const char *bad = NULL;
  char *msg =
      v ? kh_ini_method(v, &ind->method, &ind->points, &ind->per, &bad) : NULL;
  if (v)
    report(rd, k, v, bad, msg);
  g_free(v);
}

/* deadline = YYYY-MM-DD, only with veto = true (read before; when veto
 * itself was invalid, its error is enough). */
static void read_deadline(reader *rd, kh_indicator *ind, bool veto_valid) {
  const kh_ini_key *k;
  char *v = get(rd, "deadline", &k);
  const char *bad = NULL;
  int y = 0, m = 0, d = 0;
  char *msg = v ? kh_ini_date(v, &y, &m, &d, &bad) : NULL;
  if (v && report(rd, k, v, bad, msg)) {
    if (!ind->veto) {
      if (veto_valid)
        value_error(rd, k, v, v, "只有 veto = true 的指标才能设截止日期");
    } else {
      ind->has_deadline = true;
      ind->deadline_year = y;
      ind->deadline_month = m;
      ind->deadline_day = d;
      if (rd->r->year && y != rd->r->year)
        value_warning(rd, k, v, v, "截止日期不在考核年度（%d 年）内",
                      rd->r->year);
    }
  }
  g_free(v);
}

static void read_indicator(reader *rd, const char *id) {
  if (!kh_is_identifier(id))
    group_diag(rd, KH_ERROR,
               "指标 ID“%s”应由小写字母、数字和下划线组成，"
               "且不以数字开头",
               id);
  kh_indicator *ind = g_new0(kh_indicator, 1);
  ind->id = g_strdup(id);
  ind->name = get_text(rd, "name");
  const kh_ini_key *k;
  ind->value_src = get(rd, "value", &k);
  ind->unit = get(rd, "unit", &k);
  if (!ind->unit)
    ind->unit = g_strdup("");
  ind->decimals = rd->default_decimals;
  get_int(rd, "decimals", 0, 10, &ind->decimals, "整数 0 到 10");
  read_target(rd, ind);
  get_decimal(rd, "weight", &ind->weight);
  read_method(rd, ind);
  bool veto_valid =
      get_bool(rd, "veto", &ind->veto) || !kh_ini_group_key(rd->g, "veto");
  read_deadline(rd, ind, veto_valid);
  ind->from_month = 1;
  read_from(rd, ind);
  g_ptr_array_add(rd->r->indicators, ind);
}

static void read_tier(reader *rd, const char *name, bool is_award) {
  if (!*name)
    group_diag(rd, KH_ERROR,
               "等级名为空（应写作 [award.名称] 或 [penalty.名称]）");
  kh_tier *t = g_new0(kh_tier, 1);
  t->name = g_strdup(name);
  t->is_award = is_award;
  t->action = get_text(rd, "action");
  t->label = get_text(rd, "label");
  const kh_ini_key *k;
  char *ranks = get(rd, "ranks", &k);
  const char *bad = NULL;
  char *msg =
      ranks ? kh_ini_ranks(ranks, &t->rank_lo, &t->rank_hi, &bad) : NULL;
  if (ranks && !report(rd, k, ranks, bad, msg))
    t->rank_lo = t->rank_hi = 0;
  g_free(ranks);
  t->has_min_score = get_decimal(rd, "min_score", &t->min_score);
  get_int(rd, "bottom", 1, G_MAXINT, &t->bottom, "正整数");
  t->has_below = get_decimal(rd, "below", &t->below);
  g_ptr_array_add(is_award ? rd->r->awards : rd->r->penalties, t);
}

static void read_award(reader *rd, const char *name) {
  read_tier(rd, name, true);
}
static void read_penalty(reader *rd, const char *name) {
  read_tier(rd, name, false);
}

/* The keys of each group kaohe knows, the required ones first. */
static const char *const assessment_keys[] = {"year",   "title",    "county",
                                              "issuer", "decimals", NULL};
static const char *const notice_keys[] = {"docno_prefix", "addressees",
                                          "copy_to", "printed_by", NULL};
static const char *const fonts_keys[] = {"body", "title", "heading1",
                                         "heading2", NULL};
static const char *const quarter_keys[] = {"combine", "veto_action", NULL};
static const char *const field_keys[] = {"label", "help", "integer", "cumulative", NULL};
static const char *const indicator_keys[] = {
    "name", "value",    "target", "weight",   "method",
    "unit", "decimals", "veto",   "deadline", "from", NULL};
static const char *const audit_keys[] = {"rule", "message", "level", NULL};
static const char *const tier_keys[] = {"action", "ranks", "min_score",
                                        "bottom", "below", "label", NULL};
static const char *const mail_keys[] = {"from", "smtp", "user", "password_file", "ca_file",
                                        "starttls", NULL};

/* The groups kaohe knows. A name ending in "." is a prefix ("indicator."
 * for [indicator.ID]). */
static const struct group_kind {
  const char *name;
  const char *const *keys; /* NULL-terminated */
  int n_required;          /* the first n keys */
  void (*read)(reader *rd, const char *suffix);
} kinds[] = {
    {"assessment", assessment_keys, 4, read_assessment},
    {"notice", notice_keys, 0, read_notice},
    {"fonts", fonts_keys, 0, read_fonts},
    {"quarter", quarter_keys, 0, read_quarter},
    {"mail", mail_keys, 0, read_mail},
    {"field.", field_keys, 0, read_field},
    {"indicator.", indicator_keys, 5, read_indicator},
    {"award.", tier_keys, 1, read_award},
    {"penalty.", tier_keys, 1, read_penalty},
    {"audit.", audit_keys, 1, read_audit},
};

/* The kind of group `name` is, and in *suffix what follows its prefix. */
static const struct group_kind *find_kind(const char *name,
                                          const char **suffix) {
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
    const char *kn = kinds[i].name;
    bool prefix = g_str_has_suffix(kn, ".");
    if (prefix ? g_str_has_prefix(name, kn) : strcmp(name, kn) == 0) {
      *suffix = name + strlen(kn);
      return &kinds[i];
    }
  }
  return NULL;
}

static bool knows(const struct group_kind *kind, const char *key) {
  for (size_t i = 0; kind->keys[i]; i++)
    if (strcmp(kind->keys[i], key) == 0)
      return true;
  return false;
}

/* Unknown keys and missing required keys of the current group. */
static void check_keys(reader *rd, const struct group_kind *kind) {
  for (guint i = 0; i < rd->g->keys->len; i++) {
    const kh_ini_key *k = g_ptr_array_index(rd->g->keys, i);
    if (knows(kind, k->key))
      continue;
    GString *known = g_string_new(NULL);
    for (size_t j = 0; kind->keys[j]; j++)
      g_string_append_printf(known, "%s%s", j ? "、" : "", kind->keys[j]);
    key_error(rd, k, "未知的键（此组可用：%s）", known->str);
    g_string_free(known, TRUE);
  }
  for (int i = 0; i < kind->n_required; i++)
    if (!kh_ini_group_key(rd->g, kind->keys[i]))
      group_diag(rd, KH_ERROR, "缺少键 %s", kind->keys[i]);
}

static void read_group(reader *rd, const kh_ini_group *g) {
  rd->g = g;
  const char *suffix = NULL;
  const struct group_kind *kind = find_kind(g->name, &suffix);
  if (!kind) {
    group_diag(rd, KH_WARNING, "未知的组，已忽略");
    return;
  }
  check_keys(rd, kind);
  kind->read(rd, suffix);
}

/* Labels name monthly columns, so each must name one field only: not the
 * township column, not another field's id, not another field's label.
 * Checks the fields from index `first` on (those of this file). */
static void check_labels(reader *rd, guint first) {
  GPtrArray *fields = rd->ds->fields;
  for (guint i = first; i < fields->len; i++) {
    const kh_field *f = g_ptr_array_index(fields, i);
    if (!f->label)
      continue;
    char *group = g_strconcat("field.", f->id, NULL);
    rd->g = kh_ini_lines_group(rd->ini, group);
    g_free(group);
    const kh_ini_key *k = kh_ini_group_key(rd->g, "label");
    if (strcmp(f->label, "township") == 0 || strcmp(f->label, "乡镇") == 0)
      value_error(rd, k, k->value, k->value, "标签不能是“%s”（月报的乡镇列）",
                  f->label);
    for (guint j = first; j < fields->len; j++) {
      const kh_field *o = g_ptr_array_index(fields, j);
      if (j != i && strcmp(f->label, o->id) == 0)
        value_error(rd, k, k->value, k->value, "标签“%s”是字段 %s 的 ID",
                    f->label, o->id);
      if (j < i && o->label && strcmp(f->label, o->label) == 0)
        value_error(rd, k, k->value, k->value, "标签“%s”已用于字段 %s",
                    f->label, o->id);
    }
  }
}

/* A tier without a label gets one people can read (never its group id,
 * which is a key for programs): by its place among its kind, 一等奖,
 * 二等奖 … and 一档处罚, 二档处罚 … */
static void default_labels(GPtrArray *tiers) {
  static const char *const numerals[] = {"一", "二", "三", "四", "五",
                                         "六", "七", "八", "九", "十"};
  for (guint k = 0; k < tiers->len; k++) {
    kh_tier *t = g_ptr_array_index(tiers, k);
    if (t->label)
      continue;
    char *n = k < G_N_ELEMENTS(numerals) ? g_strdup(numerals[k])
                                         : g_strdup_printf("%u", k + 1);
    t->label = g_strdup_printf(t->is_award ? "%s等奖" : "%s档处罚", n);
    g_free(n);
  }
}

static void read_groups(reader *rd) {
  const kh_ini_group *assessment = kh_ini_lines_group(rd->ini, "assessment");
  if (assessment)
    read_group(rd, assessment);
  else
    kh_diags_add(
        rd->diags, KH_ERROR, rd->path, 1, 1, NULL,
        "缺少 [assessment] 组（其中须有 year、title、county、issuer）");
  guint first_field = rd->ds->fields->len;
  for (guint i = 0; i < rd->ini->groups->len; i++) {
    const kh_ini_group *g = g_ptr_array_index(rd->ini->groups, i);
    if (g != assessment)
      read_group(rd, g);
  }
  check_labels(rd, first_field);
  default_labels(rd->r->awards);
  default_labels(rd->r->penalties);
  if (rd->r->indicators->len == 0)
    kh_diags_add(rd->diags, KH_ERROR, rd->path, 1, 1, NULL,
                 "没有任何指标（[indicator.ID] 组）");
}

/* ---- the rules as a whole ------------------------------------------------ */

static void indicator_free(kh_indicator *ind) {
  g_free(ind->id);
  g_free(ind->name);
  g_free(ind->unit);
  g_free(ind->value_src);
  kh_expr_free(ind->value);
  g_free(ind->target_src);
  kh_expr_free(ind->target);
  g_free(ind);
}

static void audit_free(kh_audit *a) {
  g_free(a->name);
  g_free(a->rule_src);
  g_free(a->left_src);
  g_free(a->right_src);
  kh_expr_free(a->left);
  kh_expr_free(a->right);
  g_free(a->message);
  g_free(a);
}

static void tier_free(kh_tier *t) {
  g_free(t->name);
  g_free(t->action);
  g_free(t->label);
  g_free(t);
}

static void field_free(kh_field *f) {
  g_free(f->id);
  g_free(f->label);
  g_free(f->help);
  g_free(f);
}

bool kh_rules_read(kh_dataset *ds, const char *path, kh_diags *diags) {
  kh_rules *r = &ds->rules;
  if (!r->indicators)
    r->indicators =
        g_ptr_array_new_with_free_func((GDestroyNotify)indicator_free);
  if (!r->awards)
    r->awards = g_ptr_array_new_with_free_func((GDestroyNotify)tier_free);
  if (!r->penalties)
    r->penalties = g_ptr_array_new_with_free_func((GDestroyNotify)tier_free);
  if (!r->audits)
    r->audits = g_ptr_array_new_with_free_func((GDestroyNotify)audit_free);
  if (!ds->fields)
    ds->fields = g_ptr_array_new_with_free_func((GDestroyNotify)field_free);
  if (!ds->rules_path)
    ds->rules_path = g_strdup(path);

  gsize len = 0;
  char *text = kh_read_text_file(path, &len, diags);
  if (!text)
    return false;
  reader rd = {
      .ds = ds, .r = r, .path = path, .diags = diags, .default_decimals = 2};
  rd.ini = kh_ini_lines_scan(text, path, diags);
  rd.kf = g_key_file_new();
  GError *err = NULL;
  if (g_key_file_load_from_data(rd.kf, rd.ini->clean->str, rd.ini->clean->len,
                                G_KEY_FILE_NONE, &err)) {
    read_groups(&rd);
  } else {
    /* The scan hands GLib only lines it accepts; this is its last word. */
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法解析：%s",
                 err->message);
    g_error_free(err);
  }
  g_key_file_free(rd.kf);
  kh_ini_lines_free(rd.ini);
  g_free(text);
  return true;
}

void kh_rules_clear(kh_rules *r) {
  g_free(r->title);
  g_free(r->county);
  g_free(r->issuer);
  g_free(r->docno_prefix);
  g_free(r->addressees);
  g_free(r->copy_to);
  g_free(r->printed_by);
  g_free(r->font_body);
  g_free(r->font_title);
  g_free(r->font_heading1);
  g_free(r->font_heading2);
  g_free(r->veto_action);
  g_free(r->mail_from);
  g_free(r->mail_smtp);
  g_free(r->mail_user);
  g_free(r->mail_password_file);
  g_free(r->mail_ca_file);
  if (r->indicators)
    g_ptr_array_unref(r->indicators);
  if (r->awards)
    g_ptr_array_unref(r->awards);
  if (r->penalties)
    g_ptr_array_unref(r->penalties);
  if (r->audits)
    g_ptr_array_unref(r->audits);
  memset(r, 0, sizeof *r);
}
