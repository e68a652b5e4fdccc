/* A worksheet's cells laid out as a table of located cells (sheet_table.h).
 *
 * Cells arrive as the file stores them (rows and columns may be skipped,
 * and nothing but convention keeps them in order), are kept sparse while
 * the sheet is read, and are laid out densely, sorted by row and column,
 * once it has been read. */
#include "load/sheet_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int row, col;
  const char *text; /* in the table's strings; never empty */
  bool percent;
} sparse_cell;

struct kh_sheet_builder {
  kh_csv_table *t;
  kh_diags *diags;
  bool date1904;
  GArray *cells; /* sparse_cell */
  bool stopped;
};

kh_numfmt_kind kh_numfmt_classify(int id, const char *code) {
  /* Built-in formats (ECMA-376 §18.8.30, with the ids East Asian versions
   * of Excel give their date formats: 27–36 and 50–58). */
  if (id == 9 || id == 10)
    return KH_NUMFMT_PERCENT;
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58))
    return KH_NUMFMT_DATE;
  if (!code)
    return KH_NUMFMT_PLAIN;
  /* A format code: what is quoted, escaped or bracketed is shown as is or
   * sets a colour or a condition; only [h], [m] and [s] (elapsed time) are
   * date parts there. Outside them, y m d h s are date parts and % is a
   * percentage. "General" holds no such letter outside its own name. */
  if (g_ascii_strncasecmp(code, "General", 7) == 0)
    code += 7;
  bool date = false, percent = false;
  for (const char *p = code; *p; p++) {
    char c = g_ascii_tolower(*p);
    if (c == '"') {
      const char *q = strchr(p + 1, '"');
      if (!q)
        break;
      p = q;
    } else if ((c == '\\' || c == '_' || c == '*') && p[1]) {
      p++;
    } else if (c == '[') {
      const char *q = strchr(p + 1, ']');
      if (!q)
        break;
      char first = g_ascii_tolower(p[1]);
      if ((first == 'h' || first == 'm' || first == 's') && strspn(p + 1, "hHmMsS") == (size_t)(q - p - 1))
        date = true;
      p = q;
    } else if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') {
      date = true;
    } else if (c == '%') {
      percent = true;
    }
  }
  return date ? KH_NUMFMT_DATE : percent ? KH_NUMFMT_PERCENT : KH_NUMFMT_PLAIN;
}

kh_sheet_builder *kh_sheet_builder_new(const char *path, const char *sheet,
                                       bool date1904, kh_diags *diags) {
  kh_sheet_builder *b = g_new0(kh_sheet_builder, 1);
  kh_csv_table *t = g_new0(kh_csv_table, 1);
  t->path = g_strdup(path);
  t->sheet = g_strdup(sheet);
  t->line_starts = g_array_new(FALSE, FALSE, sizeof(gsize)); /* no text to echo */
  t->strings = g_string_chunk_new(64 * 1024);
  t->cells = g_array_new(FALSE, FALSE, sizeof(kh_csv_cell));
  t->rows = g_array_new(FALSE, FALSE, sizeof(kh_csv_row));
  t->percent_cells = g_hash_table_new(NULL, NULL);
  b->t = t;
  b->diags = diags;
  b->date1904 = date1904;
  b->cells = g_array_new(FALSE, FALSE, sizeof(sparse_cell));
  return b;
}

const kh_csv_table *kh_sheet_builder_table(const kh_sheet_builder *b) { return b->t; }

static void stop(kh_sheet_builder *b, int row, int col, const char *message) {
  kh_csv_diag(b->t, b->diags, KH_ERROR, row, col, "%s，工作表的其余部分未读取", message);
  b->t->truncated = true;
  b->stopped = true;
}

/* Whether a cell at row:col may be stored (else reading stops, reported). */
static bool within_limits(kh_sheet_builder *b, int row, int col) {
  if (b->stopped)
    return false;
  if (row > KH_MAX_ROWS) {
    char *m = g_strdup_printf("行数超过上限（%d 行）", KH_MAX_ROWS);
    stop(b, row, MIN(col, KH_MAX_COLUMNS), m);
    g_free(m);
  } else if (col > KH_MAX_COLUMNS) {
    char *m = g_strdup_printf("列数超过上限（%d 列）", KH_MAX_COLUMNS);
    stop(b, row, col, m);
    g_free(m);
  } else if (b->cells->len >= KH_CSV_MAX_CELLS) {
    char *m = g_strdup_printf("单元格总数超过上限（%u 个）", KH_CSV_MAX_CELLS);
    stop(b, row, col, m);
    g_free(m);
  }
  return !b->stopped;
}

/* Blanks trimmed from cells, as the CSV reader trims them: space, tab,
 * U+3000 and U+00A0 (and the line breaks a cell may hold at its ends). */
static bool blank_at(const char *s, gsize n, gsize *width) {
  if (n >= 1 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
    return *width = 1, true;
  if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
    return *width = 3, true;
  if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
    return *width = 2, true;
  return false;
}

static bool blank_before(const char *e, gsize n, gsize *width) {
  if (n >= 1 && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
    return *width = 1, true;
  if (n >= 3 && memcmp(e - 3, "\xE3\x80\x80", 3) == 0)
    return *width = 3, true;
  if (n >= 2 && memcmp(e - 2, "\xC2\xA0", 2) == 0)
    return *width = 2, true;
  return false;
}

static bool add(kh_sheet_builder *b, int row, int col, const char *text, gsize len,
                bool percent) {
  if (row < 1 || col < 1 || !within_limits(b, row, col))
    return !b->stopped;
  gsize w;
  while (blank_at(text, len, &w))
    text += w, len -= w;
  while (blank_before(text + len, len, &w))
    len -= w;
  if (len == 0)
    return true;
  if (len > KH_MAX_CELL_BYTES) {
    char *m = g_strdup_printf("单元格过长（超过 %u KB）", KH_MAX_CELL_BYTES / 1024u);
    kh_csv_diag(b->t, b->diags, KH_ERROR, row, col, "%s", m);
    g_free(m);
    return true;
  }
  sparse_cell c = {row, col, g_string_chunk_insert_len(b->t->strings, text, (gssize)len),
                   percent};
  g_array_append_val(b->cells, c);
  return true;
}

bool kh_sheet_add_text(kh_sheet_builder *b, int row, int col, const char *text,
                       gsize len) {
  return add(b, row, col, text, len, false);
}

char *kh_sheet_number_text(double v) {
  if (v == 0)
    return g_strdup("0");
  /* 15 significant digits, d.dddddddddddddde±X, then written out without
   * the exponent: the number parser takes plain decimals only. */
  char e[40];
  g_snprintf(e, sizeof e, "%.14e", v);
  const char *p = e;
  bool negative = *p == '-';
  if (negative)
    p++;
  char digits[16];
  int n = 0;
  for (; *p && *p != 'e'; p++)
    if (g_ascii_isdigit(*p))
      digits[n++] = *p;
  int exponent = *p == 'e' ? atoi(p + 1) : 0;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  GString *s = g_string_new(negative ? "-" : "");
  int before_point = exponent + 1;
  if (before_point <= 0) {
    g_string_append(s, "0.");
    for (int i = 0; i < -before_point; i++)
      g_string_append_c(s, '0');
    g_string_append_len(s, digits, n);
  } else if (before_point >= n) {
    g_string_append_len(s, digits, n);
    for (int i = n; i < before_point; i++)
      g_string_append_c(s, '0');
  } else {
    g_string_append_len(s, digits, before_point);
    g_string_append_c(s, '.');
    g_string_append_len(s, digits + before_point, n - before_point);
  }
  return g_string_free(s, FALSE);
}

/* A date serial as the date (and time) it shows, so that a date in a field
 * is reported as the date the user sees. 1900 system: serial 1 is
 * 1900-01-01 and Excel counts a 29 February 1900 that never was (60). */
static char *date_text(double serial, bool date1904) {
  if (!(serial >= 0 && serial < 2958466)) /* up to 9999-12-31 */
    return kh_sheet_number_text(serial);
  double day_part = floor(serial);
  int days = (int)day_part;
  int seconds = (int)lround((serial - day_part) * 86400.0);
  if (seconds >= 86400)
    days++, seconds -= 86400;
  char *date;
  if (!date1904 && days == 60) {
    date = g_strdup("1900-02-29");
  } else {
    GDate *d = date1904 ? g_date_new_dmy(1, G_DATE_JANUARY, 1904)
                        : g_date_new_dmy(31, G_DATE_DECEMBER, 1899);
    g_date_add_days(d, (guint)(!date1904 && days > 60 ? days - 1 : days));
    date = g_strdup_printf("%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d),
                           g_date_get_day(d));
    g_date_free(d);
  }
  if (seconds == 0)
    return date;
  char *with_time = g_strdup_printf("%s %02d:%02d:%02d", date, seconds / 3600,
                                    seconds / 60 % 60, seconds % 60);
  g_free(date);
  return with_time;
}

bool kh_sheet_add_number(kh_sheet_builder *b, int row, int col, double v,
                         kh_numfmt_kind kind) {
  char *text = kind == KH_NUMFMT_DATE ? date_text(v, b->date1904) : kh_sheet_number_text(v);
  bool go_on = add(b, row, col, text, strlen(text), kind == KH_NUMFMT_PERCENT);
  g_free(text);
  return go_on;
}

static int compare_positions(gconstpointer a, gconstpointer b) {
  const sparse_cell *x = a, *y = b;
  if (x->row != y->row)
    return (x->row > y->row) - (x->row < y->row);
  return (x->col > y->col) - (x->col < y->col);
}

kh_csv_table *kh_sheet_builder_finish(kh_sheet_builder *b) {
  kh_csv_table *t = b->t;
  /* GLib's sort is stable: of two cells at one place the first stays first. */
  g_array_sort(b->cells, compare_positions);
  int width = 0, rows = 0;
  for (guint i = 0; i < b->cells->len; i++) {
    const sparse_cell *c = &g_array_index(b->cells, sparse_cell, i);
    width = MAX(width, c->col);
    if (i == 0 || c->row != g_array_index(b->cells, sparse_cell, i - 1).row)
      rows++;
  }
  if ((gint64)rows * width > KH_CSV_MAX_CELLS) {
    kh_diags_add(b->diags, KH_ERROR, t->path, 1, 1, NULL,
                 "工作表“%s”过大：%d 行 × %d 列超过 %u 个单元格的上限", t->sheet, rows,
                 width, KH_CSV_MAX_CELLS);
    t->truncated = true;
    rows = 0;
  }
  guint i = 0;
  while (rows > 0 && i < b->cells->len) {
    int row = g_array_index(b->cells, sparse_cell, i).row;
    kh_csv_row r = {.line = row, .record = row, .first = t->cells->len, .n_cells = width};
    g_array_append_val(t->rows, r);
    for (int col = 1; col <= width; col++) {
      kh_csv_cell cell = {.text = "", .line = row, .col = col, .record = row, .column = col - 1};
      while (i < b->cells->len) {
        const sparse_cell *s = &g_array_index(b->cells, sparse_cell, i);
        if (s->row != row || s->col > col)
          break;
        if (s->col == col && cell.text[0]) {
          kh_csv_diag(t, b->diags, KH_ERROR, row, col,
                      "单元格在文件中出现两次（文件已损坏），只读取了第一次的内容");
        } else if (s->col == col) {
          cell.text = s->text;
          if (s->percent)
            g_hash_table_add(t->percent_cells, GUINT_TO_POINTER(t->cells->len));
        }
        i++;
      }
      g_array_append_val(t->cells, cell);
    }
  }
  b->t = NULL;
  kh_sheet_builder_free(b);
  return t;
}

void kh_sheet_builder_free(kh_sheet_builder *b) {
  if (!b)
    return;
  kh_csv_free(b->t);
  g_array_unref(b->cells);
  g_free(b);
}

static bool needs_quotes(const char *sheet) {
  if (g_ascii_isdigit(sheet[0]))
    return true;
  for (const char *p = sheet; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!g_unichar_isalnum(c) && c != '_' && c != '.')
      return true;
  }
  return false;
}

char *kh_sheet_cell_message(const char *sheet, int row, int col, const char *message) {
  GString *s = g_string_new(NULL);
  if (needs_quotes(sheet)) {
    g_string_append_c(s, '\'');
    for (const char *p = sheet; *p; p++) {
      if (*p == '\'')
        g_string_append_c(s, '\'');
      g_string_append_c(s, *p);
    }
    g_string_append_c(s, '\'');
  } else {
    g_string_append(s, sheet);
  }
  g_string_append_c(s, '!');
  char letters[8];
  int n = 0;
  for (int c = col; c > 0 && n < (int)sizeof letters; c = (c - 1) / 26)
    letters[n++] = (char)('A' + (c - 1) % 26);
  while (n > 0)
    g_string_append_c(s, letters[--n]);
  g_string_append_printf(s, "%d %s", row, message);
  return g_string_free(s, FALSE);
}

bool kh_csv_cell_is_percent(const kh_csv_table *t, const kh_csv_cell *c) {
  if (!t->percent_cells || t->cells->len == 0)
    return false;
  const kh_csv_cell *first = &g_array_index(t->cells, kh_csv_cell, 0);
  return g_hash_table_contains(t->percent_cells, GUINT_TO_POINTER((guint)(c - first)));
}
