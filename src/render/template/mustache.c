/* The mustache engine (mustache.h): a parser that turns the template into a
 * tree of text, tags and sections, checking its structure once, and a
 * renderer that walks the tree against a stack of jansson contexts.
 *
 * The standalone-line rule is applied while parsing: when a section,
 * inverted, closing, comment or partial tag is the only thing on its line
 * besides spaces and tabs, the text node before it is cut back to the start
 * of the line and the text after it resumes past the line's end. */
#include "render/template/mustache.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

typedef enum {
  NODE_TEXT,     /* literal template text */
  NODE_VAR,      /* {{name}}: escaped */
  NODE_RAW,      /* {{{name}}} or {{& name}} */
  NODE_SECTION,  /* {{#name}}…{{/name}} */
  NODE_INVERTED, /* {{^name}}…{{/name}} */
  NODE_PARTIAL   /* {{> name}} */
} node_kind;

typedef struct node {
  node_kind kind;
  gsize offset;        /* where the text or the tag starts in the template */
  gsize len;           /* TEXT: its length */
  char *name;          /* tags: the name as written, trimmed */
  char **path;         /* VAR..INVERTED: name split at dots; NULL for "." */
  GPtrArray *children; /* SECTION, INVERTED: node* */
  bool standalone;     /* PARTIAL: alone on its line */
  char *indent;        /* PARTIAL: whitespace before a standalone tag */
} node;

struct kh_mustache {
  char *text;
  gsize len;
  char *path;
  GPtrArray *nodes; /* node*: the top level */
};

static void node_free(node *n) {
  if (!n)
    return;
  g_free(n->name);
  g_strfreev(n->path);
  if (n->children)
    g_ptr_array_unref(n->children);
  g_free(n->indent);
  g_free(n);
}

static GPtrArray *node_list_new(void) {
  return g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
}

void kh_mustache_free(kh_mustache *t) {
  if (!t)
    return;
  g_free(t->text);
  g_free(t->path);
  if (t->nodes)
    g_ptr_array_unref(t->nodes);
  g_free(t);
}

/* ---- positions ------------------------------------------------------- */

void kh_mustache_error_at(const kh_mustache *t, gsize tpl_offset,
                          kh_diags *diags, const char *fmt, ...) {
  gsize off = MIN(tpl_offset, t->len);
  gsize line_start = off;
  while (line_start > 0 && t->text[line_start - 1] != '\n')
    line_start--;
  int line = 1;
  for (gsize i = 0; i < line_start; i++)
    line += t->text[i] == '\n';
  /* Columns count characters: every byte but UTF-8 continuation bytes. */
  int col = 1;
  for (gsize i = line_start; i < off; i++)
    col += ((unsigned char)t->text[i] & 0xC0) != 0x80;
  gsize line_end = off;
  while (line_end < t->len && t->text[line_end] != '\n')
    line_end++;
  if (line_end > line_start && t->text[line_end - 1] == '\r')
    line_end--;
  char *source_line = g_strndup(t->text + line_start, line_end - line_start);
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  kh_diags_add(diags, KH_ERROR, t->path, line, col, source_line, "%s",
               message);
  g_free(message);
  g_free(source_line);
}

gsize kh_mustache_source_offset(const GArray *origins, gsize out_offset) {
  if (!origins || origins->len == 0)
    return 0;
  /* The last origin that starts at or before out_offset. */
  guint lo = 0, hi = origins->len;
  while (hi - lo > 1) {
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(origins, kh_mustache_origin, mid).out_offset <= out_offset)
      lo = mid;
    else
      hi = mid;
  }
  const kh_mustache_origin *o = &g_array_index(origins, kh_mustache_origin, lo);
  if (o->literal && out_offset >= o->out_offset)
    return o->tpl_offset + (out_offset - o->out_offset);
  return o->tpl_offset;
}

/* ---- parsing --------------------------------------------------------- */

typedef struct {
  node *section;       /* the open section, or NULL at the top level */
  GPtrArray *children; /* where the nodes being read go */
} open_level;

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Splits a tag's name into its dotted parts; "." is the current context.
 * Returns false for names that cannot be looked up ("", "a..b", "a b"). */
static bool split_name(const char *name, char ***path) {
  *path = NULL;
  if (strcmp(name, ".") == 0)
    return true;
  if (name[0] == '\0')
    return false;
  for (const char *p = name; *p; p++)
    if (g_ascii_isspace(*p))
      return false;
  char **parts = g_strsplit(name, ".", -1);
  for (char **p = parts; *p; p++) {
    if (**p == '\0') {
      g_strfreev(parts);
      return false;
    }
  }
  *path = parts;
  return true;
}

static void add_text(GPtrArray *to, gsize from, gsize until) {
  if (until <= from)
    return;
  node *n = g_new0(node, 1);
  n->kind = NODE_TEXT;
  n->offset = from;
  n->len = until - from;
  g_ptr_array_add(to, n);
}

/* Where the line holding position `at` starts. */
static gsize line_start_of(const char *text, gsize at) {
  while (at > 0 && text[at - 1] != '\n')
    at--;
  return at;
}

/* If the tag [tag_start, tag_end) may stand alone and does, returns true with
 * *line_start and *next (the first byte after the line's end). A tag stands
 * alone when only spaces and tabs share its line and no other tag does
 * (prev_tag_end is where the previous tag, with its line if standalone,
 * ended). */
static bool standalone_line(const char *text, gsize len, gsize tag_start,
                            gsize tag_end, gsize prev_tag_end,
                            gsize *line_start, gsize *next) {
  gsize ls = line_start_of(text, tag_start);
  if (ls < prev_tag_end)
    return false;
  for (gsize i = ls; i < tag_start; i++)
    if (!is_blank(text[i]))
      return false;
  gsize r = tag_end;
  while (r < len && is_blank(text[r]))
    r++;
  if (r < len && text[r] == '\r' && r + 1 < len && text[r + 1] == '\n')
    r += 2;
  else if (r < len && text[r] == '\n')
    r += 1;
  else if (r < len)
    return false;
  *line_start = ls;
  *next = r;
  return true;
}

static bool parse_into(kh_mustache *t, kh_diags *diags) {
  const char *text = t->text;
  gsize len = t->len;
  GArray *levels = g_array_new(FALSE, FALSE, sizeof(open_level));
  open_level top = {NULL, t->nodes};
  g_array_append_val(levels, top);
  gsize text_start = 0, prev_tag_end = 0;
  bool ok = true;

  while (ok) {
    const char *open = strstr(text + text_start, "{{");
    open_level *cur = &g_array_index(levels, open_level, levels->len - 1);
    if (!open) {
      add_text(cur->children, text_start, len);
      break;
    }
    gsize tag_start = (gsize)(open - text);
    bool triple = text[tag_start + 2] == '{';
    const char *closer = triple ? "}}}" : "}}";
    gsize content_start = tag_start + (triple ? 3 : 2);
    const char *close = strstr(text + content_start, closer);
    if (!close) {
      kh_mustache_error_at(t, tag_start, diags,
                           "标签没有闭合：“%s”之后缺少“%s”",
                           triple ? "{{{" : "{{", closer);
      ok = false;
      break;
    }
    gsize content_end = (gsize)(close - text);
    gsize tag_end = content_end + strlen(closer);
    char sigil = triple ? '{' : text[content_start];
    if (!triple && strchr("#^/!>&=<$", sigil))
      content_start++;
    else if (!triple)
      sigil = '\0';
    char *name = g_strstrip(
        g_strndup(text + content_start, content_end - content_start));

    if (sigil == '=') {
      kh_mustache_error_at(t, tag_start, diags,
                           "不支持更改分隔符（{{=<%% %%>=}}）：标签一律写作 {{ 和 }}");
      ok = false;
    } else if (sigil == '<' || sigil == '$') {
      kh_mustache_error_at(t, tag_start, diags,
                           "不支持模板继承（{{<…}} 和 {{$…}}）");
      ok = false;
    } else if (sigil != '!' && name[0] == '\0') {
      kh_mustache_error_at(t, tag_start, diags, "空标签：缺少名称");
      ok = false;
    }
    char **path = NULL;
    if (ok && sigil != '!' && sigil != '>' && !split_name(name, &path)) {
      kh_mustache_error_at(t, tag_start, diags,
                           "“%s”不是有效的名称：名称由字母、数字和 _ 组成，"
                           "各部分用点号连接",
                           name);
      ok = false;
    }
    if (!ok) {
      g_free(name);
      break;
    }

    bool may_stand_alone = sigil && strchr("#^/!>", sigil);
    gsize line_start = 0, next = tag_end;
    bool standalone = may_stand_alone &&
                      standalone_line(text, len, tag_start, tag_end,
                                      prev_tag_end, &line_start, &next);
    add_text(cur->children, text_start, standalone ? line_start : tag_start);
    text_start = standalone ? next : tag_end;
    prev_tag_end = text_start;

    node *n = g_new0(node, 1);
    n->offset = tag_start;
    n->name = name;
    n->path = path;
    switch (sigil) {
    case '!':
      node_free(n);
      continue;
    case '#':
    case '^': {
      if (levels->len > KH_MUSTACHE_MAX_DEPTH) {
        kh_mustache_error_at(t, tag_start, diags,
                             "区块嵌套超过 %d 层",
                             KH_MUSTACHE_MAX_DEPTH);
        node_free(n);
        ok = false;
        continue;
      }
      n->kind = sigil == '#' ? NODE_SECTION : NODE_INVERTED;
      n->children = node_list_new();
      g_ptr_array_add(cur->children, n);
      open_level level = {n, n->children};
      g_array_append_val(levels, level);
      continue;
    }
    case '/':
      if (!cur->section) {
        kh_mustache_error_at(t, tag_start, diags,
                             "{{/%s}} 前面没有对应的 {{#%s}} 或 {{^%s}}",
                             name, name, name);
        ok = false;
      } else if (strcmp(cur->section->name, name) != 0) {
        kh_mustache_error_at(t, tag_start, diags,
                             "{{/%s}} 与尚未关闭的区块 {{%c%s}} 不匹配："
                             "请先关闭该区块",
                             name,
                             cur->section->kind == NODE_SECTION ? '#' : '^',
                             cur->section->name);
        ok = false;
      } else {
        g_array_set_size(levels, levels->len - 1);
      }
      node_free(n);
      continue;
    case '>':
      n->kind = NODE_PARTIAL;
      n->standalone = standalone;
      n->indent = standalone ? g_strndup(text + line_start,
                                         tag_start - line_start)
                             : g_strdup("");
      break;
    case '{':
    case '&':
      n->kind = NODE_RAW;
      break;
    default:
      n->kind = NODE_VAR;
    }
    g_ptr_array_add(cur->children, n);
  }

  if (ok && levels->len > 1) {
    node *unclosed = g_array_index(levels, open_level, levels->len - 1).section;
    kh_mustache_error_at(t, unclosed->offset, diags,
                         "区块 {{%c%s}} 没有关闭（缺少 {{/%s}}）",
                         unclosed->kind == NODE_SECTION ? '#' : '^',
                         unclosed->name, unclosed->name);
    ok = false;
  }
  g_array_unref(levels);
  return ok;
}

kh_mustache *kh_mustache_parse(const char *text, const char *path,
                               kh_diags *diags) {
  kh_mustache *t = g_new0(kh_mustache, 1);
  t->path = g_strdup(path);
  t->nodes = node_list_new();
  gsize len = strlen(text);
  if (len > KH_MUSTACHE_MAX_TEMPLATE_BYTES) {
    t->text = g_strdup("");
    kh_mustache_error_at(t, 0, diags,
                         "模板过大（%zu 字节，上限 %u 字节）",
                         (size_t)len, KH_MUSTACHE_MAX_TEMPLATE_BYTES);
    kh_mustache_free(t);
    return NULL;
  }
  t->text = g_strndup(text, len);
  t->len = len;
  if (!parse_into(t, diags)) {
    kh_mustache_free(t);
    return NULL;
  }
  return t;
}

/* ---- rendering ------------------------------------------------------- */

typedef struct {
  const kh_mustache *t;
  const kh_mustache_opts *opts;
  GString *out;
  gsize out_start;
  GPtrArray *stack; /* const json_t*: the context stack, innermost last */
  kh_diags *diags;
} render_state;

static const json_t *lookup(const GPtrArray *stack, char *const *path) {
  if (!path)
    return g_ptr_array_index(stack, stack->len - 1);
  const json_t *v = NULL;
  for (guint i = stack->len; i-- > 0 && !v;) {
    const json_t *ctx = g_ptr_array_index(stack, i);
    if (json_is_object(ctx))
      v = json_object_get(ctx, path[0]);
  }
  for (int k = 1; v && path[k]; k++)
    v = json_is_object(v) ? json_object_get(v, path[k]) : NULL;
  return v;
}

static bool is_falsy(const json_t *v) {
  return !v || json_is_null(v) || json_is_false(v) ||
         (json_is_array(v) && json_array_size(v) == 0) ||
         (json_is_string(v) && json_string_length(v) == 0);
}

/* The shortest decimal that reads back as v; integral values without ".0".
 * g_ascii_formatd keeps the '.' whatever the locale says. */
static void append_real(GString *s, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v == floor(v) && fabs(v) < 1e15) {
    g_ascii_formatd(buf, sizeof buf, "%.0f", v);
  } else {
    for (int precision = 1; precision <= 17; precision++) {
      char format[8];
      g_snprintf(format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd(buf, sizeof buf, format, v);
      if (g_ascii_strtod(buf, NULL) == v)
        break;
    }
  }
  g_string_append(s, buf);
}

static void append_value(GString *s, const json_t *v) {
  if (json_is_string(v))
    g_string_append_len(s, json_string_value(v), json_string_length(v));
  else if (json_is_integer(v))
    g_string_append_printf(s, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  else if (json_is_real(v))
    append_real(s, json_real_value(v));
  else if (json_is_true(v))
    g_string_append(s, "true");
  else if (json_is_false(v))
    g_string_append(s, "false");
}

static void note_origin(render_state *st, gsize tpl_offset, bool literal) {
  if (!st->opts->origins)
    return;
  kh_mustache_origin o = {st->out->len, tpl_offset, literal};
  g_array_append_val(st->opts->origins, o);
}

static bool within_limit(render_state *st, const node *n) {
  if (st->out->len - st->out_start <= KH_MUSTACHE_MAX_OUTPUT_BYTES)
    return true;
  kh_mustache_error_at(st->t, n->offset, st->diags,
                       "展开后的文本在此处超过 %u 字节",
                       KH_MUSTACHE_MAX_OUTPUT_BYTES);
  return false;
}

static bool render_nodes(render_state *st, const GPtrArray *nodes);

static bool render_in_context(render_state *st, const node *n,
                              const json_t *ctx) {
  g_ptr_array_add(st->stack, (gpointer)ctx);
  bool ok = render_nodes(st, n->children);
  g_ptr_array_set_size(st->stack, st->stack->len - 1);
  return ok;
}

static bool render_partial(render_state *st, const node *n) {
  char *message = NULL;
  char *text = st->opts->partial
                   ? st->opts->partial(n->name, n->standalone, n->indent,
                                       st->opts->user_data, &message)
                   : NULL;
  if (!text) {
    if (message)
      kh_mustache_error_at(st->t, n->offset, st->diags, "%s", message);
    else
      kh_mustache_error_at(st->t, n->offset, st->diags,
                           "未知的内置块 {{> %s}}", n->name);
    g_free(message);
    return false;
  }
  note_origin(st, n->offset, false);
  g_string_append(st->out, text);
  g_free(text);
  return true;
}

static bool render_nodes(render_state *st, const GPtrArray *nodes) {
  for (guint i = 0; i < nodes->len; i++) {
    const node *n = g_ptr_array_index(nodes, i);
    const json_t *v;
    bool ok = true;
    switch (n->kind) {
    case NODE_TEXT:
      note_origin(st, n->offset, true);
      g_string_append_len(st->out, st->t->text + n->offset, n->len);
      break;
    case NODE_VAR:
    case NODE_RAW:
      v = lookup(st->stack, n->path);
      if (v) {
        note_origin(st, n->offset, false);
        if (n->kind == NODE_VAR && st->opts->escape) {
          GString *plain = g_string_new(NULL);
          append_value(plain, v);
          st->opts->escape(st->out, plain->str, plain->len);
          g_string_free(plain, TRUE);
        } else {
          append_value(st->out, v);
        }
      }
      break;
    case NODE_SECTION:
      v = lookup(st->stack, n->path);
      if (is_falsy(v))
        break;
      if (json_is_array(v)) {
        for (size_t k = 0; ok && k < json_array_size(v); k++)
          ok = render_in_context(st, n, json_array_get(v, k));
      } else {
        ok = render_in_context(st, n, v);
      }
      break;
    case NODE_INVERTED:
      if (is_falsy(lookup(st->stack, n->path)))
        ok = render_nodes(st, n->children);
      break;
    case NODE_PARTIAL:
      ok = render_partial(st, n);
      break;
    }
    if (!ok || !within_limit(st, n))
      return false;
  }
  return true;
}

bool kh_mustache_render(const kh_mustache *t, const json_t *context,
                        const kh_mustache_opts *opts, GString *out,
                        kh_diags *diags) {
  static const kh_mustache_opts raw = {0};
  render_state st = {t, opts ? opts : &raw, out, out->len,
                     g_ptr_array_new(), diags};
  g_ptr_array_add(st.stack, (gpointer)context);
  bool ok = render_nodes(&st, t->nodes);
  g_ptr_array_unref(st.stack);
  return ok;
}
