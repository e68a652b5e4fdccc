/* An earlier year's rules.ini carried into a new year (rules_carry.h). */
#include "kaohe/load.h"

#include <stdio.h>
#include <string.h>
#include "load/rules_lines.h"

/* ---- the notes of the skeleton ------------------------------------------- */

static bool is_comment(const char *line) {
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '#';
}

/* What kind of group name is: "indicator." for [indicator.x], else name. */
static char *kind_of(const char *name) {
  const char *dot = strchr(name, '.');
  return dot ? g_strndup(name, (gsize)(dot - name + 1)) : g_strdup(name);
}

/* The comment lines directly above line n (1-based), first to last. */
static GPtrArray *comments_above(const kh_ini_lines *s, int n) {
  int first = n;
  while (first > 1 && is_comment(g_ptr_array_index(s->lines, first - 2)))
    first--;
  GPtrArray *block = g_ptr_array_new();
  for (int i = first; i < n; i++)
    g_ptr_array_add(block, g_ptr_array_index(s->lines, i - 1));
  return block;
}

static bool is_blank(const char *line) { return strspn(line, " \t") == strlen(line); }

/* The explanation above the group at line n of the skeleton: the comment
 * paragraphs between the content before it and its header, without the
 * last one when there are several (that one is the group's own note, e.g.
 * the worked example above the first indicator). */
static GPtrArray *banner_above(const kh_ini_lines *s, int n) {
  int first = n, last_paragraph = n;
  while (first > 1) {
    const char *above = g_ptr_array_index(s->lines, first - 2);
    if (!is_comment(above) && !is_blank(above))
      break;
    first--;
    if (is_blank(above) && last_paragraph == n)
      last_paragraph = first; /* the blank line before the last paragraph */
  }
  while (first < n && is_blank(g_ptr_array_index(s->lines, first - 1)))
    first++;
  int end = last_paragraph < n && last_paragraph > first ? last_paragraph : n;
  GPtrArray *block = g_ptr_array_new();
  for (int i = first; i < end; i++)
    g_ptr_array_add(block, g_ptr_array_index(s->lines, i - 1));
  while (block->len && is_blank(g_ptr_array_index(block, block->len - 1)))
    g_ptr_array_set_size(block, block->len - 1);
  return block;
}

/* A line of block that tells it apart (words, no digits, not a rule of
 * "#====" or "#----"), to see whether a file holds the block already. */
static const char *marker(const GPtrArray *block) {
  for (guint i = 0; i < block->len; i++) {
    const char *line = g_ptr_array_index(block, i);
    if (strpbrk(line, "0123456789") || strspn(line, "#=- ") == strlen(line))
      continue;
    if (g_utf8_strlen(line, -1) >= 8)
      return line;
  }
  return NULL;
}

/* Whether block is worth adding to a file whose lines are `has`. */
static bool missing(const GPtrArray *block, GHashTable *has) {
  const char *m = marker(block);
  return block->len > 0 && m && !g_hash_table_contains(has, m);
}

typedef struct {
  kh_ini_lines *scan;
  GPtrArray *header;      /* the comment lines before the first group */
  GHashTable *banners;    /* kind -> GPtrArray of lines above its first group */
  GHashTable *key_notes;  /* "kind\nkey" -> GPtrArray of lines above the key */
} skeleton_notes;

static skeleton_notes *skeleton_read(const char *text) {
  skeleton_notes *sk = g_new0(skeleton_notes, 1);
  kh_diags *ignored = kh_diags_new(); /* kaohe's own skeleton: no error */
  sk->scan = kh_ini_lines_scan(text, "rules.ini", ignored);
  kh_diags_free(ignored);
  sk->banners = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)g_ptr_array_unref);
  sk->key_notes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)g_ptr_array_unref);
  sk->header = g_ptr_array_new();
  const kh_ini_group *first = sk->scan->groups->len ? g_ptr_array_index(sk->scan->groups, 0) : NULL;
  for (int i = 1; first && i < first->line; i++) {
    const char *line = g_ptr_array_index(sk->scan->lines, i - 1);
    if (!is_comment(line))
      break;
    g_ptr_array_add(sk->header, (char *)line);
  }
  for (guint g = 0; g < sk->scan->groups->len; g++) {
    const kh_ini_group *grp = g_ptr_array_index(sk->scan->groups, g);
    char *kind = kind_of(grp->name);
    if (g_hash_table_contains(sk->banners, kind)) {
      g_free(kind);
      continue;
    }
    GPtrArray *banner = banner_above(sk->scan, grp->line);
    if (g == 0) /* the header stands above the first group: not its banner */
      g_ptr_array_set_size(banner, 0);
    for (guint k = 0; k < grp->keys->len; k++) {
      const kh_ini_key *key = g_ptr_array_index(grp->keys, k);
      GPtrArray *note = comments_above(sk->scan, key->line);
      if (note->len)
        g_hash_table_insert(sk->key_notes, g_strconcat(kind, "\n", key->key, NULL), note);
      else
        g_ptr_array_unref(note);
    }
    g_hash_table_insert(sk->banners, kind, banner);
  }
  return sk;
}

static void skeleton_free(skeleton_notes *sk) {
  g_hash_table_destroy(sk->banners);
  g_hash_table_destroy(sk->key_notes);
  g_ptr_array_unref(sk->header);
  kh_ini_lines_free(sk->scan);
  g_free(sk);
}

static void append_block(GString *out, const GPtrArray *block) {
  for (guint i = 0; i < block->len; i++)
    g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(block, i));
}

/* Whether line says the file is made by a program and not to be edited. */
static bool says_generated(const char *line) {
  return is_comment(line) && strstr(line, "请勿手工修改");
}

/* The old file's lines with the skeleton's missing notes put in and the
 * generator's "do not edit" lines taken out, as text. */
static char *with_notes(const kh_ini_lines *old, const char *skeleton) {
  skeleton_notes *sk = skeleton_read(skeleton);
  GHashTable *has = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < old->lines->len; i++)
    g_hash_table_add(has, g_ptr_array_index(old->lines, i));

  /* Where each banner goes: above the comments attached to the first group
   * of its kind. Line number -> kind. */
  GHashTable *banner_at = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *key_at = g_hash_table_new_full(NULL, NULL, NULL, g_free); /* line -> "kind\nkey" */
  for (guint g = 0; g < old->groups->len; g++) {
    const kh_ini_group *grp = g_ptr_array_index(old->groups, g);
    char *kind = kind_of(grp->name);
    for (guint k = 0; k < grp->keys->len; k++) {
      const kh_ini_key *key = g_ptr_array_index(grp->keys, k);
      g_hash_table_insert(key_at, GINT_TO_POINTER(key->line),
                          g_strconcat(kind, "\n", key->key, NULL));
    }
    if (g_hash_table_contains(seen, kind)) {
      g_free(kind);
      continue;
    }
    GPtrArray *attached = comments_above(old, grp->line);
    g_hash_table_insert(banner_at, GINT_TO_POINTER(grp->line - (int)attached->len),
                        g_strdup(kind));
    g_ptr_array_unref(attached);
    g_hash_table_add(seen, kind);
  }

  GString *out = g_string_new(NULL);
  if (missing(sk->header, has)) {
    append_block(out, sk->header);
    g_string_append_c(out, '\n');
  }
  const char *previous = "";
  for (guint i = 0; i < old->lines->len; i++) {
    const char *line = g_ptr_array_index(old->lines, i);
    int n = (int)i + 1;
    const char *kind = g_hash_table_lookup(banner_at, GINT_TO_POINTER(n));
    const GPtrArray *banner = kind ? g_hash_table_lookup(sk->banners, kind) : NULL;
    if (banner && missing(banner, has)) {
      if (*previous)
        g_string_append_c(out, '\n');
      append_block(out, banner);
    }
    const char *at_key = g_hash_table_lookup(key_at, GINT_TO_POINTER(n));
    const GPtrArray *note = at_key ? g_hash_table_lookup(sk->key_notes, at_key) : NULL;
    if (note && !is_comment(previous) &&
        !g_hash_table_contains(has, g_ptr_array_index(note, note->len - 1)))
      append_block(out, note);
    if (says_generated(line))
      continue;
    g_string_append_printf(out, "%s\n", line);
    previous = line;
  }
  g_hash_table_destroy(key_at);
  g_hash_table_destroy(seen);
  g_hash_table_destroy(banner_at);
  g_hash_table_destroy(has);
  skeleton_free(sk);
  return g_string_free(out, FALSE);
}

/* ---- the year moved on ---------------------------------------------------- */

/* Replaces the value of key k in lines (from its value_col to the end of
 * its line) by `value`. */
static void replace_value(GPtrArray *lines, const kh_ini_key *k, const char *value) {
  char *line = g_ptr_array_index(lines, k->line - 1);
  const char *at = g_utf8_offset_to_pointer(line, k->value_col - 1);
  char *moved = g_strdup_printf("%.*s%s", (int)(at - line), line, value);
  g_free(line);
  g_ptr_array_index(lines, k->line - 1) = moved;
}

/* Moves the deadline k (YYYY-MM-DD, checked by the loader) on by delta
 * years; 29 February becomes 28 February in a year that has none. */
static void move_deadline(GPtrArray *lines, const kh_ini_key *k, int delta, const char *new_path,
                          kh_diags *notes) {
  int y = 0, m = 0, d = 0;
  if (sscanf(k->value, "%d-%d-%d", &y, &m, &d) != 3)
    return;
  y += delta;
  if (m == 2 && d == 29 && !g_date_is_leap_year((GDateYear)y)) {
    d = 28;
    kh_diags_add(notes, KH_WARNING, new_path, k->line, k->value_col,
                 g_ptr_array_index(lines, k->line - 1),
                 "%d 年没有 2 月 29 日，截止日期改为 %d-02-28", y, y);
  }
  char *date = g_strdup_printf("%04d-%02d-%02d", y, m, d);
  replace_value(lines, k, date);
  g_free(date);
}

/* Points out each place in lines, other than the lines in `moved`, where the
 * old year still stands as a number of its own. */
static void note_old_year(GPtrArray *lines, GHashTable *moved, int old_year, int new_year,
                          const char *new_path, kh_diags *notes) {
  char *needle = g_strdup_printf("%d", old_year);
  for (guint i = 0; i < lines->len; i++) {
    if (g_hash_table_contains(moved, GUINT_TO_POINTER(i + 1)))
      continue;
    const char *line = g_ptr_array_index(lines, i);
    for (const char *p = strstr(line, needle); p; p = strstr(p + 1, needle)) {
      bool alone = (p == line || !g_ascii_isdigit(p[-1])) && !g_ascii_isdigit(p[strlen(needle)]);
      if (!alone)
        continue;
      kh_diags_add(notes, KH_WARNING, new_path, (int)i + 1,
                   (int)g_utf8_pointer_to_offset(line, p) + 1, line,
                   "这里的“%s”没有改动，请看是否应改为 %d", needle, new_year);
      break;
    }
  }
  g_free(needle);
}

char *kh_rules_carry(const kh_dataset *old, int new_year, const char *skeleton,
                     const char *new_path, kh_diags *notes) {
  gsize len = 0;
  char *text = kh_read_text_file(old->rules_path, &len, notes);
  if (!text)
    return NULL;
  kh_diags *ignored = kh_diags_new(); /* the loader has judged this file */
  kh_ini_lines *as_written = kh_ini_lines_scan(text, old->rules_path, ignored);
  char *noted = with_notes(as_written, skeleton);
  kh_ini_lines *ini = kh_ini_lines_scan(noted, new_path, ignored);
  kh_ini_lines_free(as_written);
  kh_diags_free(ignored);
  g_free(noted);
  g_free(text);

  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < ini->lines->len; i++)
    g_ptr_array_add(lines, g_strdup(g_ptr_array_index(ini->lines, i)));
  GHashTable *moved = g_hash_table_new(NULL, NULL);
  int delta = new_year - old->rules.year;
  const kh_ini_key *year = kh_ini_group_key(kh_ini_lines_group(ini, "assessment"), "year");
  char *y = g_strdup_printf("%d", new_year);
  replace_value(lines, year, y);
  g_free(y);
  g_hash_table_add(moved, GUINT_TO_POINTER(year->line));
  for (guint g = 0; g < ini->groups->len; g++) {
    const kh_ini_group *grp = g_ptr_array_index(ini->groups, g);
    const kh_ini_key *k = kh_ini_group_key(grp, "deadline");
    if (!g_str_has_prefix(grp->name, "indicator.") || !k)
      continue;
    move_deadline(lines, k, delta, new_path, notes);
    g_hash_table_add(moved, GUINT_TO_POINTER(k->line));
  }
  if (delta != 0)
    note_old_year(lines, moved, old->rules.year, new_year, new_path, notes);
  g_hash_table_destroy(moved);
  kh_ini_lines_free(ini);

  GString *out = g_string_new(NULL);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(lines, i));
  g_ptr_array_unref(lines);
  bool header = false;
  for (int f = 0; f < kh_n_fields(old); f++) {
    const kh_field *fd = g_ptr_array_index(old->fields, f);
    if (fd->declared)
      continue;
    if (!header)
      g_string_append_printf(
          out,
          "\n# 以下数据项在 %d 年的月报中出现、但没有声明，由 kaohe init 补上声明"
          "（可加 label = 中文列名）\n",
          old->rules.year);
    header = true;
    g_string_append_printf(out, "[field.%s]\n", fd->id);
  }
  return g_string_free(out, FALSE);
}
