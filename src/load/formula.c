/* The formula language of docs/reference/formulas.md: a recursive-descent parser from text
 * to a kh_expr tree, and the walk that finds the year-to-date fields.
 *
 * Grammar (usual precedence, left-associative at equal precedence):
 *   expr    = term { ("+" | "-") term }
 *   term    = unary { ("*" | "/") unary }
 *   unary   = "-" unary | primary
 *   primary = NUMBER | "month" | "ytd" "(" NAME ")" | NAME | "(" expr ")"
 *             | "prev" "(" NAME ")"        (audit rules only, instead of ytd)
 *   NUMBER  = digits [ "." digits ]
 *   NAME    = [A-Za-z_][A-Za-z0-9_]*   (ids are lower case; any other
 *                                        spelling is simply an unknown name)
 * Blanks (space, tab, U+3000, U+00A0) may separate tokens.
 *
 * Both the parser's nesting (parentheses, unary minus) and the height of
 * the tree are capped at KH_MAX_FORMULA_DEPTH, so neither "((((…" nor a
 * sum of a million terms can exhaust the stack here or in the evaluator
 * that walks the tree later. */
#include "load/formula.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *src;
  const char *p; /* next unread byte */
  kh_name_lookup lookup;
  void *user;
  int nesting;
  bool audit;  /* an audit rule's side: prev() allowed, ytd() not */
  int err_col; /* 0 until the first error */
  char *err_msg;
} parser;

static int col_at(const parser *ps, const char *at) {
  return (int)g_utf8_pointer_to_offset(ps->src, at) + 1;
}

static void fail_at(parser *ps, const char *at, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Records the first error only: later ones are consequences of it. */
static void fail_at(parser *ps, const char *at, const char *fmt, ...) {
  if (ps->err_msg)
    return;
  va_list ap;
  va_start(ap, fmt);
  ps->err_msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  ps->err_col = col_at(ps, at);
}

static bool is_blank(gunichar c) {
  return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0;
}

static void skip_blanks(parser *ps) {
  while (*ps->p && is_blank(g_utf8_get_char(ps->p)))
    ps->p = g_utf8_next_char(ps->p);
}

static bool is_name_start(char c) { return g_ascii_isalpha(c) || c == '_'; }
static bool is_name_char(char c) { return g_ascii_isalnum(c) || c == '_'; }

/* The token starting at `at`, for messages: a whole name or number, else
 * one character. Caller frees with g_free(). */
static char *token_text(const char *at) {
  const char *end = at;
  if (is_name_start(*at) || g_ascii_isdigit(*at)) {
    while (is_name_char(*end) || *end == '.')
      end++;
  } else {
    end = g_utf8_next_char(at);
  }
  return g_strndup(at, (gsize)(end - at));
}

static bool is_token_start(char c) {
  return is_name_start(c) || g_ascii_isdigit(c) || strchr("+-*/()", c);
}

/* Reports the token at the cursor as out of place; `expected` says what
 * the grammar wanted there. A character that no token starts with is
 * reported as such, whatever was expected. */
static void fail_unexpected(parser *ps, const char *expected) {
  char *tok = token_text(ps->p);
  if (!is_token_start(*ps->p))
    fail_at(ps, ps->p, "意外的字符“%s”", tok);
  else
    fail_at(ps, ps->p, "意外的“%s”：此处应为%s", tok, expected);
  g_free(tok);
}

/* Something follows a complete formula. */
static void fail_trailing(parser *ps) {
  char *tok = token_text(ps->p);
  if (!is_token_start(*ps->p))
    fail_at(ps, ps->p, "意外的字符“%s”", tok);
  else
    fail_at(ps, ps->p, "多余的内容“%s”：公式应在此前结束", tok);
  g_free(tok);
}

static kh_expr *node_new(kh_expr_kind kind) {
  kh_expr *e = g_new0(kh_expr, 1);
  e->kind = kind;
  e->index = -1;
  return e;
}

/* Joins a and b under a new node of height 1 + max(ha, hb), or fails (and
 * frees both) when that would exceed the cap. `at` is the operator. */
static kh_expr *node_join(parser *ps, kh_expr_kind kind, kh_expr *a, int ha,
                          kh_expr *b, int hb, const char *at, int *height) {
  *height = 1 + MAX(ha, hb);
  if (*height > KH_MAX_FORMULA_DEPTH) {
    fail_at(ps, at, "公式嵌套太深或太长（最多 %d 层）", KH_MAX_FORMULA_DEPTH);
    kh_expr_free(a);
    kh_expr_free(b);
    return NULL;
  }
  kh_expr *e = node_new(kind);
  e->a = a;
  e->b = b;
  return e;
}

static kh_expr *parse_expr(parser *ps, int *height);

static kh_expr *parse_number(parser *ps, int *height) {
  const char *start = ps->p;
  while (g_ascii_isdigit(*ps->p))
    ps->p++;
  if (*ps->p == '.') {
    if (!g_ascii_isdigit(ps->p[1])) {
      fail_at(ps, ps->p, "数字的小数点后缺少数字");
      return NULL;
    }
    ps->p++;
    while (g_ascii_isdigit(*ps->p))
      ps->p++;
  }
  char *text = g_strndup(start, (gsize)(ps->p - start));
  double v = g_ascii_strtod(text, NULL);
  if (!isfinite(v))
    fail_at(ps, start, "数字“%s”太大", text);
  g_free(text);
  if (ps->err_msg)
    return NULL;
  kh_expr *e = node_new(KH_EXPR_NUMBER);
  e->number = v;
  *height = 1;
  return e;
}

/* Reads a name at the cursor. Caller frees with g_free(). */
static char *read_name(parser *ps) {
  const char *start = ps->p;
  while (is_name_char(*ps->p))
    ps->p++;
  return g_strndup(start, (gsize)(ps->p - start));
}

/* ytd(FIELD) or prev(FIELD) (`fn`); the cursor is on the "(" after the
 * function's name. */
static kh_expr *parse_call(parser *ps, const char *fn, int *height) {
  const char *open = ps->p++;
  skip_blanks(ps);
  if (!is_name_start(*ps->p)) {
    if (*ps->p)
      fail_unexpected(ps, "字段名");
    else
      fail_at(ps, open, "括号不配对：“(”没有对应的“)”");
    return NULL;
  }
  const char *at = ps->p;
  char *name = read_name(ps);
  bool is_field = false;
  bool is_month = strcmp(name, "month") == 0;
  int index = is_month ? -1 : ps->lookup(ps->user, name, &is_field);
  if (is_month)
    fail_at(ps, at, "%s() 只能用于字段，month 不是字段", fn);
  else if (index < 0)
    fail_at(ps, at, "未知名称“%s”", name);
  else if (!is_field)
    fail_at(ps, at, "%s() 只能用于字段，“%s”是乡镇属性", fn, name);
  g_free(name);
  if (ps->err_msg)
    return NULL;
  skip_blanks(ps);
  if (*ps->p != ')') {
    if (*ps->p)
      fail_unexpected(ps, "“)”");
    else
      fail_at(ps, open, "括号不配对：“(”没有对应的“)”");
    return NULL;
  }
  ps->p++;
  kh_expr *e = node_new(strcmp(fn, "ytd") == 0 ? KH_EXPR_YTD : KH_EXPR_PREV);
  e->index = index;
  *height = 1;
  return e;
}

static kh_expr *parse_name(parser *ps, int *height) {
  const char *at = ps->p;
  char *name = read_name(ps);
  kh_expr *e = NULL;
  skip_blanks(ps);
  bool call = *ps->p == '(';
  if (call && strcmp(name, "ytd") == 0 && ps->audit) {
    fail_at(ps, at, "审核规则中不能用 ytd()（可用 prev() 取上一次报送的值）");
  } else if (call && strcmp(name, "prev") == 0 && !ps->audit) {
    fail_at(ps, at, "prev() 只能用于审核规则（[audit.*] 的 rule）");
  } else if (call && (strcmp(name, "ytd") == 0 || strcmp(name, "prev") == 0)) {
    e = parse_call(ps, name, height);
  } else if (strcmp(name, "month") == 0) {
    e = node_new(KH_EXPR_MONTH);
    *height = 1;
  } else {
    bool is_field = false;
    int index = ps->lookup(ps->user, name, &is_field);
    if (index < 0) {
      fail_at(ps, at, "未知名称“%s”", name);
    } else {
      e = node_new(is_field ? KH_EXPR_FIELD : KH_EXPR_ATTR);
      e->index = index;
      *height = 1;
    }
  }
  g_free(name);
  return e;
}

static kh_expr *parse_primary(parser *ps, int *height) {
  skip_blanks(ps);
  char c = *ps->p;
  if (g_ascii_isdigit(c))
    return parse_number(ps, height);
  if (is_name_start(c))
    return parse_name(ps, height);
  if (c == '(') {
    const char *open = ps->p++;
    if (++ps->nesting > KH_MAX_FORMULA_DEPTH) {
      fail_at(ps, open, "公式嵌套太深或太长（最多 %d 层）",
              KH_MAX_FORMULA_DEPTH);
      return NULL;
    }
    kh_expr *e = parse_expr(ps, height);
    ps->nesting--;
    if (!e)
      return NULL;
    skip_blanks(ps);
    if (*ps->p == ')') {
      ps->p++;
      return e;
    }
    if (*ps->p)
      fail_unexpected(ps, "运算符或“)”");
    else
      fail_at(ps, open, "括号不配对：“(”没有对应的“)”");
    kh_expr_free(e);
    return NULL;
  }
  if (c == '\0')
    fail_at(ps, ps->p, "公式不完整：缺少运算数");
  else
    fail_unexpected(ps, "数、名称或“(”");
  return NULL;
}

static kh_expr *parse_unary(parser *ps, int *height) {
  skip_blanks(ps);
  if (*ps->p != '-')
    return parse_primary(ps, height);
  const char *minus = ps->p++;
  if (++ps->nesting > KH_MAX_FORMULA_DEPTH) {
    fail_at(ps, minus, "公式嵌套太深或太长（最多 %d 层）",
            KH_MAX_FORMULA_DEPTH);
    return NULL;
  }
  int h = 0;
  kh_expr *a = parse_unary(ps, &h);
  ps->nesting--;
  if (!a)
    return NULL;
  return node_join(ps, KH_EXPR_NEG, a, h, NULL, 0, minus, height);
}

static kh_expr *parse_term(parser *ps, int *height) {
  kh_expr *e = parse_unary(ps, height);
  while (e) {
    skip_blanks(ps);
    char c = *ps->p;
    if (c != '*' && c != '/')
      break;
    const char *op = ps->p++;
    int hb = 0;
    kh_expr *b = parse_unary(ps, &hb);
    if (!b) {
      kh_expr_free(e);
      return NULL;
    }
    e = node_join(ps, c == '*' ? KH_EXPR_MUL : KH_EXPR_DIV, e, *height, b, hb,
                  op, height);
  }
  return e;
}

static kh_expr *parse_expr(parser *ps, int *height) {
  kh_expr *e = parse_term(ps, height);
  while (e) {
    skip_blanks(ps);
    char c = *ps->p;
    if (c != '+' && c != '-')
      break;
    const char *op = ps->p++;
    int hb = 0;
    kh_expr *b = parse_term(ps, &hb);
    if (!b) {
      kh_expr_free(e);
      return NULL;
    }
    e = node_join(ps, c == '+' ? KH_EXPR_ADD : KH_EXPR_SUB, e, *height, b, hb,
                  op, height);
  }
  return e;
}

static kh_expr *parse_formula(const char *src, bool audit, kh_name_lookup lookup,
                              void *user, int *err_col, char **err_msg) {
  parser ps = {.src = src, .p = src, .lookup = lookup, .user = user, .audit = audit};
  kh_expr *e = NULL;
  int height = 0;
  const char *bad_utf8 = NULL;
  if (!g_utf8_validate(src, -1, &bad_utf8)) {
    /* The loader hands over UTF-8; this guards the byte walk below. */
    fail_at(&ps, bad_utf8, "公式含有无法解码的字节");
  } else {
    skip_blanks(&ps);
    if (*ps.p == '\0') {
      fail_at(&ps, src, "公式为空");
    } else {
      e = parse_expr(&ps, &height);
      skip_blanks(&ps);
      if (e && *ps.p == ')')
        fail_at(&ps, ps.p, "括号不配对：多余的“)”");
      else if (e && *ps.p)
        fail_trailing(&ps);
    }
  }
  if (ps.err_msg) {
    kh_expr_free(e);
    *err_col = ps.err_col;
    *err_msg = ps.err_msg;
    return NULL;
  }
  return e;
}

kh_expr *kh_formula_parse(const char *src, kh_name_lookup lookup, void *user,
                          int *err_col, char **err_msg) {
  return parse_formula(src, false, lookup, user, err_col, err_msg);
}

kh_expr *kh_audit_formula_parse(const char *src, kh_name_lookup lookup, void *user,
                                int *err_col, char **err_msg) {
  return parse_formula(src, true, lookup, user, err_col, err_msg);
}

void kh_expr_free(kh_expr *e) {
  if (!e)
    return;
  kh_expr_free(e->a);
  kh_expr_free(e->b);
  g_free(e);
}

void kh_expr_fields(const kh_expr *e, bool *fields) {
  if (!e)
    return;
  if (e->kind == KH_EXPR_FIELD || e->kind == KH_EXPR_YTD || e->kind == KH_EXPR_PREV)
    fields[e->index] = true;
  kh_expr_fields(e->a, fields);
  kh_expr_fields(e->b, fields);
}

bool kh_expr_ytd_fields(const kh_expr *e, bool *ytd_fields) {
  if (!e)
    return false;
  bool here = e->kind == KH_EXPR_YTD;
  if (here && ytd_fields)
    ytd_fields[e->index] = true;
  bool in_a = kh_expr_ytd_fields(e->a, ytd_fields);
  bool in_b = kh_expr_ytd_fields(e->b, ytd_fields);
  return here || in_a || in_b;
}
