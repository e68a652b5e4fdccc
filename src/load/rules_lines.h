/* The line scan of rules.ini, internal to the load stage: where each group
 * and key sits in the file, which GLib's key-file parser does not keep
 * (docs/reference/dataset.md), and the problems only a line scan can see. */
#ifndef KAOHE_LOAD_RULES_LINES_H
#define KAOHE_LOAD_RULES_LINES_H

#include "kaohe/load.h"

typedef struct {
  char *key;     /* as written, blanks trimmed */
  int line;      /* 1-based */
  int col;       /* the key's first character, 1-based */
  int value_col; /* the value's first character (after "=" and blanks) */
  char *value;   /* the value as written, from value_col to the line end */
} kh_ini_key;

typedef struct {
  char *name;         /* between "[" and "]" */
  int line, col;      /* of the first "[name]" line; col is that of "[" */
  GPtrArray *keys;    /* kh_ini_key*, first-appearance order; a key given twice
                         holds its last place (GLib keeps the last value) */
  GHashTable *by_key; /* key -> kh_ini_key*, borrowed from keys */
} kh_ini_group;

typedef struct {
  GPtrArray *lines;    /* char*: every line, line ends removed; [0] is line 1 */
  GPtrArray *groups;   /* kh_ini_group*, first-appearance order */
  GHashTable *by_name; /* name -> kh_ini_group*, borrowed from groups */
  GString *clean;      /* the text for g_key_file_load_from_data(): lines
                          ending in "\n", malformed ones and those outside a
                          valid group left empty */
} kh_ini_lines;

/* Scans UTF-8 text (lines end in "\n", "\r\n" or a lone "\r") the way
 * GLib's key-file parser reads it, and appends an error to diags, located
 * in `path`, for each malformed line, each key outside a group, each
 * invalid group name, and each group or key given twice. Never fails.
 * Caller frees with kh_ini_lines_free(). */
kh_ini_lines *kh_ini_lines_scan(const char *text, const char *path,
                                kh_diags *diags);
void kh_ini_lines_free(kh_ini_lines *s); /* NULL-safe */

/* Borrowed lookups; NULL when absent. */
const kh_ini_group *kh_ini_lines_group(const kh_ini_lines *s, const char *name);
const kh_ini_key *kh_ini_group_key(const kh_ini_group *g, const char *key);

/* Line n (1-based) as written, or NULL past the end. Borrowed. */
const char *kh_ini_lines_source(const kh_ini_lines *s, int n);

#endif
