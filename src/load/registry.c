/* townships.csv, the township registry (docs/reference/dataset.md).
 *
 * Columns are found by header: code/代码 and name/名称 (required),
 * email/邮箱 and contact/联系人 (optional), and every other identifier is a
 * numeric attribute; anything else is ignored with a warning. Codes and
 * names are unique, and no code is another township's name, so a monthly
 * key names one township. A code is used in file names: it is at most
 * MAX_CODE_CHARS characters, without characters that Windows forbids in
 * file names. A row with an empty, duplicate or unusable code or name is
 * reported and left out; an email cell that is not one address is a warning. */
#include "load/dataset_parts.h"
#include "load/workbook_reader.h"

#include <math.h>
#include <string.h>

#include "load/number.h"

#define MAX_CODE_CHARS 32
#define CODE_FORBIDDEN "/\\:*?\"<>|"

typedef enum { COL_IGNORED, COL_CODE, COL_NAME, COL_EMAIL, COL_CONTACT, COL_ATTR } column_role;

static const struct {
  column_role role;
  const char *en, *zh;
} known_columns[] = {
    {COL_CODE, "code", "代码"},
    {COL_NAME, "name", "名称"},
    {COL_EMAIL, "email", "邮箱"},
    {COL_CONTACT, "contact", "联系人"},
};

bool kh_is_data_name(const char *s) {
  if (!(g_ascii_islower(s[0]) || s[0] == '_'))
    return false;
  for (const char *p = s + 1; *p; p++)
    if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '_'))
      return false;
  return strcmp(s, "month") != 0 && strcmp(s, "ytd") != 0 &&
         strcmp(s, "township") != 0;
}

static column_role known_role(const char *header) {
  for (gsize i = 0; i < G_N_ELEMENTS(known_columns); i++)
    if (strcmp(header, known_columns[i].en) == 0 ||
        strcmp(header, known_columns[i].zh) == 0)
      return known_columns[i].role;
  return COL_IGNORED;
}

typedef struct {
  column_role *roles; /* per column */
  int *attr_of;       /* per column: attribute index, or -1 */
  int code_col, name_col, email_col, contact_col;
} header_map;

/* Maps the header row's columns to roles, reporting duplicates and
 * ignored columns. Returns whether the required columns are there. */
static bool map_header(kh_dataset *ds, kh_registry *reg, header_map *h,
                       kh_diags *diags) {
  const kh_csv_table *t = reg->table;
  const kh_csv_row *hr = kh_csv_row_at(t, 0);
  h->roles = g_new0(column_role, hr->n_cells);
  h->attr_of = g_new(int, hr->n_cells);
  h->code_col = h->name_col = h->email_col = h->contact_col = -1;
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal); /* → col + 1 */
  for (int i = 0; i < hr->n_cells; i++) {
    const kh_csv_cell *c = kh_csv_cell_at(t, hr, i);
    h->attr_of[i] = -1;
    if (!c->text[0]) {
      kh_csv_cell_diag(t, diags, KH_WARNING, c,
                       "第 %d 列没有表头，已忽略", i + 1);
      continue;
    }
    column_role role = known_role(c->text);
    if (role == COL_IGNORED && kh_is_data_name(c->text))
      role = COL_ATTR;
    if (role == COL_IGNORED) {
      kh_csv_cell_diag(t, diags, KH_WARNING, c,
                       "未知列“%s”，已忽略", c->text);
      continue;
    }
    /* code and 代码 are one column: key the check by the English name. */
    const char *key = c->text;
    for (gsize k = 0; k < G_N_ELEMENTS(known_columns); k++)
      if (known_columns[k].role == role)
        key = known_columns[k].en;
    int other = GPOINTER_TO_INT(g_hash_table_lookup(seen, key));
    if (other) {
      kh_csv_cell_diag(t, diags, KH_ERROR, c,
                       "列“%s”重复（第 %d 列已是此列）",
                       c->text, other);
      continue;
    }
    g_hash_table_insert(seen, (gpointer)key, GINT_TO_POINTER(i + 1));
    h->roles[i] = role;
    switch (role) {
    case COL_CODE: h->code_col = i; break;
    case COL_NAME: h->name_col = i; break;
    case COL_EMAIL: h->email_col = i; break;
    case COL_CONTACT: h->contact_col = i; break;
    case COL_ATTR: {
      h->attr_of[i] = (int)ds->attr_names->len;
      g_ptr_array_add(ds->attr_names, g_strdup(c->text));
      guint cell = hr->first + (guint)i;
      g_array_append_val(reg->attr_headers, cell);
      break;
    }
    case COL_IGNORED: break;
    }
  }
  g_hash_table_destroy(seen);
  if (h->code_col < 0)
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "缺少乡镇代码列（code 或 代码）");
  if (h->name_col < 0)
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "缺少乡镇名称列（name 或 名称）");
  return h->code_col >= 0 && h->name_col >= 0;
}

/* A row of totals (合计, 总计, 全县, 小计 as its code or name) is no
 * township: skipped with a warning (docs/reference/dataset.md). */
static bool is_total_row(const kh_csv_table *t, const kh_csv_row *r, const header_map *h,
                         kh_diags *diags) {
  const int cols[] = {h->code_col, h->name_col};
  for (int k = 0; k < 2; k++) {
    const kh_csv_cell *c = kh_csv_cell_at(t, r, cols[k]);
    if (kh_row_kind_of(c->text) != KH_ROW_TOWNSHIP) {
      kh_csv_cell_diag(t, diags, KH_WARNING, c, "“%s”行不是乡镇，已跳过", c->text);
      return true;
    }
  }
  return false;
}

/* Whether a code can go into file names; reports why not. */
static bool code_usable(const kh_csv_table *t, const kh_csv_cell *c, kh_diags *diags) {
  if (g_utf8_strlen(c->text, -1) > MAX_CODE_CHARS) {
    kh_csv_cell_diag(t, diags, KH_ERROR, c,
                     "乡镇代码“%s”过长（最多 %d 个字符）",
                     c->text, MAX_CODE_CHARS);
    return false;
  }
  for (const char *p = c->text; *p; p++)
    if (strchr(CODE_FORBIDDEN, *p) || (unsigned char)*p < 0x20) {
      kh_csv_cell_diag(t, diags, KH_ERROR, c,
                       "乡镇代码“%s”含有文件名中不能用的字符（%s 或控制字符）",
                       c->text, CODE_FORBIDDEN);
      return false;
    }
  return true;
}

static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F)
      return true;
  return false;
}

/* Line of township u's row, for "see line N" in messages. */
static int township_line(const kh_registry *reg, guint u) {
  return kh_csv_row_at(reg->table, g_array_index(reg->township_rows, guint, u))->line;
}

/* Checks the key cells of row r; returns whether the row is a township. */
static bool row_key_ok(const kh_registry *reg, const kh_csv_row *r,
                       const header_map *h, kh_diags *diags) {
  const kh_csv_table *t = reg->table;
  const kh_csv_cell *code = kh_csv_cell_at(t, r, h->code_col);
  const kh_csv_cell *name = kh_csv_cell_at(t, r, h->name_col);
  bool ok = true;
  if (!code->text[0]) {
    kh_csv_cell_diag(t, diags, KH_ERROR, code,
                     "乡镇代码为空");
    ok = false;
  } else if (!code_usable(t, code, diags)) {
    ok = false;
  } else {
    guint u = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_code, code->text));
    if (u) {
      kh_csv_cell_diag(t, diags, KH_ERROR, code,
                       "乡镇代码“%s”重复（第 %d 行已有）", code->text, township_line(reg, u - 1));
      ok = false;
    }
  }
  if (!name->text[0]) {
    kh_csv_cell_diag(t, diags, KH_ERROR, name,
                     "乡镇名称为空");
    ok = false;
  } else if (has_control(name->text)) {
    /* It would reach terminals and documents raw (ESC sequences, line
     * breaks inside a table row). */
    kh_csv_diag(t, diags, KH_ERROR, name->line, name->col,
                "乡镇名称中有控制字符（换行、制表符、ESC 等），请删去");
    ok = false;
  } else {
    guint u = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_name, name->text));
    if (u) {
      kh_csv_cell_diag(t, diags, KH_ERROR, name,
                       "乡镇名称“%s”重复（第 %d 行已有）", name->text, township_line(reg, u - 1));
      ok = false;
    }
  }
  return ok;
}

/* An email cell holds one address or nothing: `kaohe mail` cannot send to
 * anything else (docs/reference/outputs.md: one message per township) and refuses to run. A
 * warning, not an error: the scores and the notice do not need it. */
static void check_email(const kh_csv_table *t, const kh_csv_row *r, int col, kh_diags *diags) {
  const kh_csv_cell *c = col >= 0 ? kh_csv_cell_at(t, r, col) : NULL;
  if (c && c->text[0] && !kh_email_address_ok(c->text))
    kh_csv_cell_diag(t, diags, KH_WARNING, c,
                     "邮箱“%s”不是有效的邮件地址，kaohe mail 无法发送：每格只写一个地址，"
                     "如 zhangsan@example.gov.cn",
                     c->text);
}

static char *optional_text(const kh_csv_table *t, const kh_csv_row *r, int col) {
  if (col < 0)
    return NULL;
  const char *s = kh_csv_cell_at(t, r, col)->text;
  return s[0] ? g_strdup(s) : NULL;
}

/* Adds the township of row r with its attribute values. */
static void add_township(kh_dataset *ds, kh_registry *reg, guint row_index,
                         const header_map *h, GArray *attrs, kh_diags *diags) {
  const kh_csv_table *t = reg->table;
  const kh_csv_row *r = kh_csv_row_at(t, row_index);
  kh_township *tw = g_new0(kh_township, 1);
  tw->code = g_strdup(kh_csv_cell_at(t, r, h->code_col)->text);
  tw->name = g_strdup(kh_csv_cell_at(t, r, h->name_col)->text);
  tw->email = optional_text(t, r, h->email_col);
  tw->contact = optional_text(t, r, h->contact_col);
  g_ptr_array_add(ds->townships, tw);
  guint index = ds->townships->len;
  g_hash_table_insert(reg->by_code, tw->code, GUINT_TO_POINTER(index));
  g_hash_table_insert(reg->by_name, tw->name, GUINT_TO_POINTER(index));
  g_array_append_val(reg->township_rows, row_index);

  for (int i = 0; i < r->n_cells; i++) {
    if (h->attr_of[i] < 0)
      continue;
    double v = NAN;
    bool negative;
    const kh_csv_cell *c = kh_csv_cell_at(t, r, i);
    char *ascii = kh_number_ascii(c->text);
    kh_number_status st = kh_number_parse(ascii ? ascii : c->text, &v, &negative);
    if (ascii && st == KH_NUMBER_OK)
      kh_csv_cell_diag(t, diags, KH_WARNING, c, "“%s”中的全角数字或标点已按半角读取", c->text);
    g_free(ascii);
    if (st == KH_NUMBER_INVALID) {
      kh_bad_attr bad = {h->attr_of[i], r->first + (guint)i};
      g_array_append_val(reg->bad_attrs, bad);
      v = NAN;
    }
    g_array_append_val(attrs, v);
  }
}

/* No township's code may be another's name (docs/reference/dataset.md). */
static void check_codes_against_names(const kh_dataset *ds, const kh_registry *reg,
                                      int code_col, kh_diags *diags) {
  for (guint i = 0; i < ds->townships->len; i++) {
    const kh_township *tw = g_ptr_array_index(ds->townships, i);
    guint u = GPOINTER_TO_UINT(g_hash_table_lookup(reg->by_name, tw->code));
    if (!u || u - 1 == i)
      continue;
    const kh_csv_row *r = kh_csv_row_at(reg->table, g_array_index(reg->township_rows, guint, i));
    const kh_csv_cell *c = kh_csv_cell_at(reg->table, r, code_col);
    kh_csv_cell_diag(reg->table, diags, KH_ERROR, c,
                     "乡镇代码“%s”是另一乡镇的名称（第 %d 行）", tw->code, township_line(reg, u - 1));
  }
}

/* Every township's files (workbook, mail) are named by its file stem, so
 * two townships whose stems are one file name would get one file: the
 * later row is an error at its code. */
static void check_file_stems(const kh_dataset *ds, const kh_registry *reg, int code_col,
                             kh_diags *diags) {
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < ds->townships->len; i++) {
    char *stem = kh_township_file_stem(g_ptr_array_index(ds->townships, i));
    char *key = kh_file_stem_key(stem);
    guint u = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key));
    if (u) {
      const kh_csv_row *r = kh_csv_row_at(reg->table, g_array_index(reg->township_rows, guint, i));
      const kh_csv_cell *c = kh_csv_cell_at(reg->table, r, code_col);
      kh_csv_diag(reg->table, diags, KH_ERROR, c->line, c->col,
                  "乡镇代码和名称组成的文件名“%s”与第 %d 行的乡镇相同（文件名中 /\\:*?\"<>| "
                  "成为 _，代码只取前 40 字节、名称前 90 字节，不分大小写）：请改用不同的代码",
                  stem, township_line(reg, u - 1));
      g_free(key);
    } else {
      g_hash_table_insert(seen, key, GUINT_TO_POINTER(i + 1));
    }
    g_free(stem);
  }
  g_hash_table_destroy(seen);
}

void kh_registry_load(kh_dataset *ds, kh_registry *reg, kh_diags *all_diags) {
  kh_diags *diags = kh_diags_new(); /* this file's, reported in place order */
  reg->by_code = g_hash_table_new(g_str_hash, g_str_equal);
  reg->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  reg->township_rows = g_array_new(FALSE, FALSE, sizeof(guint));
  reg->attr_headers = g_array_new(FALSE, FALSE, sizeof(guint));
  reg->bad_attrs = g_array_new(FALSE, FALSE, sizeof(kh_bad_attr));
  GArray *attrs = g_array_new(FALSE, FALSE, sizeof(double));

  char *path = kh_data_file_path(ds->dir, "townships", diags);
  static const char *const keys[] = {"code", "代码", NULL};
  reg->table = kh_table_read(path, keys, diags);
  g_free(path);
  const kh_csv_table *t = reg->table;
  header_map h = {0};
  if (t && t->rows->len == 0 && !t->truncated)
    kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "乡镇登记表为空：应有表头和每个乡镇一行");
  if (t && t->rows->len > 0 && map_header(ds, reg, &h, diags)) {
    if (t->rows->len == 1 && !t->truncated)
      kh_diags_add(diags, KH_ERROR, t->path, 1, 1, NULL, "乡镇登记表中没有乡镇");
    for (guint r = 1; r < t->rows->len; r++) {
      if (ds->townships->len >= KH_MAX_TOWNSHIPS) {
        const kh_csv_row *row = kh_csv_row_at(t, r);
        kh_csv_diag(t, diags, KH_ERROR, row->line, 1, "乡镇数超过上限（%d 个）",
                    KH_MAX_TOWNSHIPS);
        break;
      }
      if (is_total_row(t, kh_csv_row_at(t, r), &h, diags))
        continue;
      check_email(t, kh_csv_row_at(t, r), h.email_col, diags);
      if (row_key_ok(reg, kh_csv_row_at(t, r), &h, diags))
        add_township(ds, reg, r, &h, attrs, diags);
    }
    check_codes_against_names(ds, reg, h.code_col, diags);
    check_file_stems(ds, reg, h.code_col, diags);
  }
  g_free(h.roles);
  g_free(h.attr_of);
  /* One spare element so that a dataset without attributes still has an
   * array. */
  double spare = NAN;
  g_array_append_val(attrs, spare);
  ds->attrs = (double *)(void *)g_array_free(attrs, FALSE);
  kh_csv_append_diags(all_diags, diags);
  kh_diags_free(diags);
}

void kh_registry_report_bad_attrs(const kh_dataset *ds, const kh_registry *reg,
                                  const bool *used_attrs, kh_diags *diags) {
  for (guint i = 0; i < reg->bad_attrs->len; i++) {
    const kh_bad_attr *bad = &g_array_index(reg->bad_attrs, kh_bad_attr, i);
    if (!used_attrs[bad->attr])
      continue;
    const kh_csv_cell *c = &g_array_index(reg->table->cells, kh_csv_cell, bad->cell);
    kh_csv_cell_diag(reg->table, diags, KH_ERROR, c,
                     "不是有效数值：“%s”（属性“%s”用于公式）", c->text,
                     (const char *)g_ptr_array_index(ds->attr_names, bad->attr));
  }
}

void kh_registry_clear(kh_registry *reg) {
  kh_csv_free(reg->table);
  if (reg->by_code)
    g_hash_table_destroy(reg->by_code);
  if (reg->by_name)
    g_hash_table_destroy(reg->by_name);
  if (reg->township_rows)
    g_array_unref(reg->township_rows);
  if (reg->attr_headers)
    g_array_unref(reg->attr_headers);
  if (reg->bad_attrs)
    g_array_unref(reg->bad_attrs);
  memset(reg, 0, sizeof *reg);
}
