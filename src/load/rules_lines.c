/* The line scan of rules.ini: classifies each line the way GLib's key-file
 * parser does (gkeyfile.c: a line is blank, a "#" comment, "[group]", or
 * "key = value"; leading whitespace is skipped, the key loses its trailing
 * whitespace and the value its leading whitespace), so that the places it
 * records are the places of the values GLib returns. GLib stops at the
 * first malformed line and merges a repeated group or key silently; this
 * scan reports them all and hands GLib a clean text instead. */
#include "load/rules_lines.h"

#include <string.h>

static void key_free(kh_ini_key *k) {
  g_free(k->key);
  g_free(k->value);
  g_free(k);
}

static void group_free(kh_ini_group *g) {
  g_free(g->name);
  g_ptr_array_unref(g->keys);
  g_hash_table_unref(g->by_key);
  g_free(g);
}

void kh_ini_lines_free(kh_ini_lines *s) {
  if (!s)
    return;
  g_ptr_array_unref(s->lines);
  g_hash_table_unref(s->by_name);
  g_ptr_array_unref(s->groups);
  g_string_free(s->clean, TRUE);
  g_free(s);
}

const kh_ini_group *kh_ini_lines_group(const kh_ini_lines *s,
                                       const char *name) {
  return g_hash_table_lookup(s->by_name, name);
}

const kh_ini_key *kh_ini_group_key(const kh_ini_group *g, const char *key) {
  return g_hash_table_lookup(g->by_key, key);
}

const char *kh_ini_lines_source(const kh_ini_lines *s, int n) {
  return n >= 1 && n <= (int)s->lines->len ? g_ptr_array_index(s->lines, n - 1)
                                           : NULL;
}

/* Column (1-based, in characters) of byte `at` of line. */
static int col_of(const char *line, const char *at) {
  return (int)g_utf8_pointer_to_offset(line, at) + 1;
}

static void split_lines(kh_ini_lines *s, const char *text) {
  const char *p = text;
  while (*p) {
    gsize n = strcspn(p, "\r\n");
    g_ptr_array_add(s->lines, g_strndup(p, n));
    p += n;
    if (p[0] == '\r' && p[1] == '\n')
      p += 2;
    else if (*p)
      p++;
  }
}

/* The state of the scan: the group the lines now belong to, or NULL
 * before the first group and after an invalid one. */
typedef struct {
  kh_ini_lines *s;
  const char *path;
  kh_diags *diags;
  kh_ini_group *group;
  bool in_bad_group;
  int line;           /* 1-based number of the line being scanned */
  const char *source; /* its text */
} scan;

static void scan_error(scan *sc, const char *at, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void scan_error(scan *sc, const char *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  kh_diags_add(sc->diags, KH_ERROR, sc->path, sc->line, col_of(sc->source, at),
               sc->source, "%s", msg);
  g_free(msg);
}

/* GLib's group-name rule (g_key_file_is_group_name): not empty, no "[" or
 * "]", no control character. */
static bool is_group_name(const char *name) {
  if (!*name)
    return false;
  for (const char *p = name; *p; p++)
    if (*p == '[' || *p == ']' || g_ascii_iscntrl(*p))
      return false;
  return true;
}

/* "[name]", blanks allowed after it. Returns whether the line is kept. */
static bool scan_group(scan *sc, const char *open) {
  const char *close = strchr(open, ']');
  const char *after = close ? close + 1 : open + strlen(open);
  while (*after == ' ' || *after == '\t')
    after++;
  sc->group = NULL;
  sc->in_bad_group = true;
  if (!close || *after) {
    scan_error(sc, after,
               "组名行应写作 [组名]，其后不能再有内容（注释须单独成行）");
    return false;
  }
  char *name = g_strndup(open + 1, (gsize)(close - open - 1));
  if (!is_group_name(name)) {
    scan_error(sc, open, *name ? "无效的组名“%s”" : "组名为空", name);
    g_free(name);
    return false;
  }
  sc->in_bad_group = false;
  kh_ini_group *g = g_hash_table_lookup(sc->s->by_name, name);
  if (g) {
    scan_error(sc, open, "[%s]: 组重复（第 %d 行已有这个组）", name, g->line);
    g_free(name);
  } else {
    g = g_new0(kh_ini_group, 1);
    g->name = name;
    g->line = sc->line;
    g->col = col_of(sc->source, open);
    g->keys = g_ptr_array_new_with_free_func((GDestroyNotify)key_free);
    g->by_key = g_hash_table_new(g_str_hash, g_str_equal);
    g_ptr_array_add(sc->s->groups, g);
    g_hash_table_insert(sc->s->by_name, g->name, g);
  }
  sc->group = g;
  return true;
}

/* "key = value". Returns whether the line goes to GLib: keys with "[" or
 * "]" (GLib's locale keys, which kaohe does not use) stay with the scan
 * only, so GLib cannot stop on one it finds invalid. */
static bool scan_key(scan *sc, const char *start, const char *eq) {
  const char *key_end = eq;
  while (key_end > start && g_ascii_isspace(key_end[-1]))
    key_end--;
  if (key_end == start) {
    scan_error(sc, start, "“=”前缺少键名");
    return false;
  }
  char *name = g_strndup(start, (gsize)(key_end - start));
  const char *value = eq + 1;
  while (g_ascii_isspace(*value))
    value++;
  if (!sc->group) {
    if (!sc->in_bad_group)
      scan_error(sc, start, "键“%s”出现在第一个 [组] 之前", name);
    g_free(name);
    return false;
  }
  kh_ini_key *k = g_new0(kh_ini_key, 1);
  k->key = name;
  k->line = sc->line;
  k->col = col_of(sc->source, start);
  k->value_col = col_of(sc->source, value);
  k->value = g_strdup(value);
  kh_ini_group *g = sc->group;
  kh_ini_key *old = g_hash_table_lookup(g->by_key, name);
  if (old) {
    scan_error(sc, start, "[%s] %s: 键重复（第 %d 行已给出）", g->name, name,
               old->line);
    guint i = 0;
    g_ptr_array_find(g->keys, old, &i);
    g_hash_table_replace(g->by_key, k->key, k); /* old->key goes below */
    g_ptr_array_index(g->keys, i) = k;
    key_free(old);
  } else {
    g_ptr_array_add(g->keys, k);
    g_hash_table_insert(g->by_key, k->key, k);
  }
  return strpbrk(name, "[]") == NULL;
}

kh_ini_lines *kh_ini_lines_scan(const char *text, const char *path,
                                kh_diags *diags) {
  kh_ini_lines *s = g_new0(kh_ini_lines, 1);
  s->lines = g_ptr_array_new_with_free_func(g_free);
  s->groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
  s->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  s->clean = g_string_new(NULL);
  split_lines(s, text);

  scan sc = {.s = s, .path = path, .diags = diags};
  for (guint i = 0; i < s->lines->len; i++) {
    sc.line = (int)i + 1;
    sc.source = g_ptr_array_index(s->lines, i);
    const char *start = sc.source;
    while (g_ascii_isspace(*start))
      start++;
    const char *eq = strchr(start, '=');
    bool keep = true;
    if (*start == '\0' || *start == '#') {
      /* blank line or comment */
    } else if (*start == '[') {
      keep = scan_group(&sc, start);
    } else if (eq) {
      keep = scan_key(&sc, start, eq);
    } else {
      scan_error(&sc, start,
                 "无法识别的行：应为 [组名]、键 = 值，或以 # 开头的注释");
      keep = false;
    }
    if (keep)
      g_string_append(s->clean, sc.source);
    g_string_append_c(s->clean, '\n');
  }
  return s;
}
