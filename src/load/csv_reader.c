/* CSV files as tables of located, trimmed cells (csv_reader.h).
 *
 * libcsv does the parsing (strict mode: a stray quote is an error, an
 * unclosed quote at the end of the file too) but tells nothing about
 * positions. Its callbacks fire only on a comma, a CR or a LF outside quotes,
 * or at the end of the input, so the text is fed to it in chunks that end
 * at each such byte: when a callback fires, the byte that ended the cell is
 * the last byte of the chunk, and the next cell starts right after it.
 *
 * Lines end at "\n", "\r\n" or a lone "\r"; a column counts UTF-8
 * characters from 1. A row's first cell is placed at column 1 of its line
 * (libcsv skips blank lines before it); any other cell right after its
 * comma. */
#include "load/csv_reader.h"
#include "load/sheet_table.h"

#include <csv.h>
#include <stdarg.h>
#include <string.h>

/* Bytes fed to libcsv at most at once, so a growing cell is measured often
 * enough to stop it soon after KH_MAX_CELL_BYTES. */
#define CHUNK_BYTES (16u * 1024u)

typedef struct {
  kh_csv_table *t;
  kh_diags *diags;
  const char *text;
  gsize len;
  /* Cursor turning byte offsets into line:col; offsets only grow. */
  gsize cur_off;
  int cur_line, cur_col;
  gsize event;      /* offset of the byte that makes libcsv call back */
  gsize next_start; /* offset where the next cell starts */
  bool at_row_start;
  guint row_first;  /* index in cells of the current row's first cell */
  int row_cells;    /* cells of the current row, stored or not */
  int row_line;
  int breaks_in_quotes; /* line breaks so far inside quoted cells */
  char delim;       /* ',' or, for tab-separated text, '\t' */
  bool any_row;     /* a row has been stored */ /* -1 until the header row is read */
  bool stop;
} parser_state;

static bool ends_line(const char *s, gsize len, gsize i) {
  return s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'));
}

/* Line and column of byte `off`, which is never before the last one asked. */
static void position(parser_state *st, gsize off, int *line, int *col) {
  for (gsize i = st->cur_off; i < off; i++) {
    if (ends_line(st->text, st->len, i)) {
      st->cur_line++;
      st->cur_col = 1;
    } else if (st->text[i] != '\r' && ((unsigned char)st->text[i] & 0xC0) != 0x80) {
      st->cur_col++;
    }
  }
  if (off > st->cur_off)
    st->cur_off = off;
  *line = st->cur_line;
  *col = st->cur_col;
}

/* Where a row starting the search at `from` begins: libcsv skips spaces,
 * tabs and line ends before a row, so the row is on the line of the first
 * other byte, and starts at that line's beginning. */
static gsize row_start(const parser_state *st, gsize from) {
  gsize line_start = from;
  for (gsize i = from; i < st->len; i++) {
    char c = st->text[i];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      break;
    if (ends_line(st->text, st->len, i))
      line_start = i + 1;
  }
  return line_start;
}

/* Offset of the cell being read now (libcsv's current field). */
static gsize current_cell_start(const parser_state *st) {
  return st->at_row_start ? row_start(st, st->next_start) : st->next_start;
}

/* The 0-based column of the cell being read now. */
static int current_column(const parser_state *st) {
  return st->at_row_start ? 0 : st->row_cells;
}

/* An error about the cell of 0-based `column` of the row being read, which
 * starts at byte `off`: located there and named as Excel names it. */
static void error_at(parser_state *st, gsize off, int column, const char *message) {
  int line, col;
  position(st, off, &line, &col);
  int row_line = column == 0 ? line : st->row_line;
  char *name = kh_cell_name(column, row_line - st->breaks_in_quotes);
  kh_csv_diag(st->t, st->diags, KH_ERROR, line, col, "%s %s", name, message);
  g_free(name);
}

/* Strips blanks (space, tab, U+3000, U+00A0) from both ends of s[0..n). */
static void trim_blanks(const char **s, size_t *n) {
  for (;;) {
    if (*n >= 1 && (**s == ' ' || **s == '\t')) {
      *s += 1, *n -= 1;
    } else if (*n >= 3 && memcmp(*s, "\xE3\x80\x80", 3) == 0) {
      *s += 3, *n -= 3;
    } else if (*n >= 2 && memcmp(*s, "\xC2\xA0", 2) == 0) {
      *s += 2, *n -= 2;
    } else {
      break;
    }
  }
  for (;;) {
    const char *e = *s + *n;
    if (*n >= 1 && (e[-1] == ' ' || e[-1] == '\t'))
      *n -= 1;
    else if (*n >= 3 && memcmp(e - 3, "\xE3\x80\x80", 3) == 0)
      *n -= 3;
    else if (*n >= 2 && memcmp(e - 2, "\xC2\xA0", 2) == 0)
      *n -= 2;
    else
      break;
  }
}

static void stop_reading(parser_state *st) {
  st->stop = true;
  st->t->truncated = true;
}

/* A cell over KH_MAX_CELL_BYTES stops the file: past it, nothing can be
 * trusted (it is most often a quote that never closes). */
static void cell_too_long(parser_state *st, gsize start, int column, bool quoted) {
  char *message = g_strdup_printf("单元格过长（超过 %u KB）%s", KH_MAX_CELL_BYTES / 1024u,
                                  quoted ? "，可能是引号未闭合" : "");
  error_at(st, start, column, message);
  g_free(message);
  stop_reading(st);
}

static void on_cell(void *data, size_t len, void *user) {
  parser_state *st = user;
  if (st->stop)
    return;
  gsize start = current_cell_start(st);
  if (st->at_row_start) {
    st->row_first = st->t->cells->len;
    st->row_cells = 0;
  }
  st->at_row_start = false;
  st->next_start = st->event + 1;
  st->row_cells++;
  if (len > KH_MAX_CELL_BYTES) {
    cell_too_long(st, start, st->row_cells - 1, false);
    return;
  }
  /* Cells past the column limit are only counted: the row is reported as
   * having the wrong number of cells, at the first extra one. */
  if (st->row_cells > KH_MAX_COLUMNS + 1)
    return;
  kh_csv_cell cell;
  position(st, start, &cell.line, &cell.col);
  cell.column = st->row_cells - 1;
  cell.record = 0; /* known at the row's end */
  if (st->row_cells == 1)
    st->row_line = cell.line;
  const char *s = data;
  trim_blanks(&s, &len);
  cell.text = g_string_chunk_insert_len(st->t->strings, s, (gssize)len);
  g_array_append_val(st->t->cells, cell);
}

static bool row_is_empty(const parser_state *st) {
  guint stored = st->t->cells->len - st->row_first;
  if ((int)stored != st->row_cells)
    return false;
  for (guint i = st->row_first; i < st->t->cells->len; i++)
    if (g_array_index(st->t->cells, kh_csv_cell, i).text[0] != '\0')
      return false;
  return true;
}

static void drop_row(parser_state *st) {
  g_array_set_size(st->t->cells, st->row_first);
}

static void on_row_end(int c, void *user) {
  (void)c;
  parser_state *st = user;
  if (st->stop)
    return;
  st->at_row_start = true;
  /* Excel numbers records, not lines: the line breaks inside this row's
   * quoted cells are taken off every later row's number. */
  int record = st->row_line - st->breaks_in_quotes;
  if (st->row_cells > 0 && !st->stop) {
    int end_line, end_col;
    position(st, st->event, &end_line, &end_col);
    st->breaks_in_quotes += end_line - st->row_line;
  }
  if (row_is_empty(st)) {
    drop_row(st);
    return;
  }
  for (guint i = st->row_first; i < st->t->cells->len; i++)
    g_array_index(st->t->cells, kh_csv_cell, i).record = record;
  const kh_csv_cell *cells = &g_array_index(st->t->cells, kh_csv_cell, st->row_first);
  /* A later row that long is reported as not matching the header (its
   * cells past the limit were only counted). */
  if (st->row_cells > KH_MAX_COLUMNS && !st->any_row) {
    kh_csv_cell_diag(st->t, st->diags, KH_ERROR, &cells[KH_MAX_COLUMNS], "列数超过上限（%d 列）",
                     KH_MAX_COLUMNS);
    drop_row(st);
    stop_reading(st);
    return;
  } else if (st->t->rows->len > KH_MAX_ROWS) {
    kh_csv_diag(st->t, st->diags, KH_ERROR, cells[0].line, cells[0].col,
                "行数超过上限（%d 行）", KH_MAX_ROWS);
    drop_row(st);
    stop_reading(st);
    return;
  } else if (st->t->cells->len > KH_CSV_MAX_CELLS) {
    kh_csv_diag(st->t, st->diags, KH_ERROR, cells[0].line, cells[0].col,
                "单元格总数超过上限（%u 个），文件的其余部分未读取", KH_CSV_MAX_CELLS);
    drop_row(st);
    stop_reading(st);
    return;
  }
  st->any_row = true;
  kh_csv_row row = {st->row_line, record, st->row_first, st->row_cells};
  g_array_append_val(st->t->rows, row);
}

/* After a syntax error at offset `bad`: reports it at the start of the
 * cell, drops the row, and returns where reading resumes (the next line),
 * or len when it cannot (the header itself is malformed). */
static gsize recover(parser_state *st, struct csv_parser *p, gsize bad,
                     const char *message) {
  error_at(st, current_cell_start(st), current_column(st), message);
  if (!st->at_row_start)
    drop_row(st);
  if (!st->any_row) {
    stop_reading(st);
    return st->len;
  }
  gsize i = bad;
  while (i < st->len && !ends_line(st->text, st->len, i))
    i++;
  gsize resume = i < st->len ? i + 1 : st->len;
  csv_free(p);
  csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  csv_set_delim(p, (unsigned char)st->delim);
  st->at_row_start = true;
  st->next_start = resume;
  return resume;
}

static bool is_cell_end(char c, char delim) { return c == delim || c == '\r' || c == '\n'; }

static void parse_all(parser_state *st) {
  struct csv_parser p;
  csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  csv_set_delim(&p, (unsigned char)st->delim);
  csv_set_blk_size(&p, 4096);
  gsize pos = 0;
  while (pos < st->len && !st->stop) {
    gsize cap = MIN(st->len, pos + CHUNK_BYTES);
    gsize end = pos;
    while (end < cap && !is_cell_end(st->text[end], st->delim))
      end++;
    gsize chunk_end = end < cap ? end + 1 : cap;
    st->event = end;
    size_t n = csv_parse(&p, st->text + pos, chunk_end - pos, on_cell, on_row_end, st);
    if (st->stop)
      break;
    if (n < chunk_end - pos) {
      if (csv_error(&p) != CSV_EPARSE) {
        error_at(st, current_cell_start(st), current_column(st), "内存不足，无法读取此文件");
        stop_reading(st);
        break;
      }
      pos = recover(st, &p, pos + n,
                    p.quoted ? "引号不成对：右引号后应为逗号或行尾"
                             : "引号不成对：未用引号括起的单元格中有引号");
      continue;
    }
    if (p.entry_pos > KH_MAX_CELL_BYTES) {
      cell_too_long(st, current_cell_start(st), current_column(st), p.quoted);
      break;
    }
    pos = chunk_end;
  }
  if (!st->stop) {
    st->event = st->len;
    if (csv_fini(&p, on_cell, on_row_end, st) != 0)
      recover(st, &p, st->len, "引号不成对：引号未闭合");
  }
  csv_free(&p);
}

/* The separator of the text: a tab when the header line (the first line
 * with a tab or a comma outside quotes, so a title line above it does not
 * count) has a tab and no such comma (docs/reference/dataset.md: Excel's "Unicode text"
 * and tab-separated .txt), else a comma. */
static char separator(const char *text, gsize len) {
  bool quoted = false, tab = false, comma = false;
  for (gsize i = 0; i < len; i++) {
    char c = text[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && c == '\t')
      tab = true;
    else if (!quoted && c == ',')
      comma = true;
    else if (!quoted && (c == '\n' || c == '\r') && (tab || comma))
      break;
  }
  return tab && !comma ? '\t' : ',';
}

static bool holds_key(const kh_csv_table *t, const kh_csv_row *r, const char *const *keys) {
  for (int i = 0; i < r->n_cells && i <= KH_MAX_COLUMNS; i++)
    for (const char *const *k = keys; *k; k++)
      if (strcmp(kh_csv_cell_at(t, r, i)->text, *k) == 0)
        return true;
  return false;
}

static int non_empty_cells(const kh_csv_table *t, const kh_csv_row *r) {
  int n = 0;
  for (int i = 0; i < r->n_cells && i <= KH_MAX_COLUMNS; i++)
    n += kh_csv_cell_at(t, r, i)->text[0] != '\0';
  return n;
}

/* How many title rows stand above the header (docs/reference/dataset.md): up to three,
 * each with at most one non-empty cell, before the first row that holds
 * one of the key column's names. 0 without keys or such a row. */
static guint title_rows(const kh_csv_table *t, const char *const *keys) {
  for (guint r = 0; keys && r < MIN(t->rows->len, (guint)KH_MAX_TITLE_ROWS + 1); r++) {
    if (holds_key(t, kh_csv_row_at(t, r), keys))
      return r;
    if (non_empty_cells(t, kh_csv_row_at(t, r)) > 1)
      return 0;
  }
  return 0;
}

void kh_csv_settle_rows(kh_csv_table *t, const char *const *keys, kh_diags *diags) {
  guint titles = title_rows(t, keys);
  if (titles > 0) {
    const kh_csv_row *first = kh_csv_row_at(t, 0);
    kh_csv_cell_diag(t, diags, KH_WARNING, kh_csv_cell_at(t, first, 0),
                     "表头上方的 %u 行标题已跳过，从第 %d 行的表头读起", titles,
                     kh_csv_row_at(t, titles)->record);
  }
  GArray *kept = g_array_new(FALSE, FALSE, sizeof(kh_csv_row));
  int header_cells = 0;
  for (guint r = titles; r < t->rows->len; r++) {
    kh_csv_row row = *kh_csv_row_at(t, r);
    if (r == titles) {
      header_cells = row.n_cells;
    } else if (row.n_cells != header_cells) {
      const kh_csv_cell *at = kh_csv_cell_at(t, &row, row.n_cells > header_cells ? header_cells : 0);
      kh_csv_cell_diag(t, diags, KH_ERROR, at, "此行有 %d 个单元格，表头有 %d 个", row.n_cells,
                       header_cells);
      continue;
    }
    g_array_append_val(kept, row);
  }
  g_array_unref(t->rows);
  t->rows = kept;
}

/* kh_csv_parse() taking ownership of text; keys as kh_csv_read_keyed(). */
static kh_csv_table *parse_owned(const char *path, char *text, gsize len,
                                 const char *const *keys, kh_diags *all_diags) {
  kh_csv_table *t = g_new0(kh_csv_table, 1);
  t->path = g_strdup(path);
  t->text = text;
  t->line_starts = g_array_new(FALSE, FALSE, sizeof(gsize));
  gsize zero = 0;
  g_array_append_val(t->line_starts, zero);
  for (gsize i = 0; i < len; i++)
    if (ends_line(text, len, i)) {
      gsize next = i + 1;
      g_array_append_val(t->line_starts, next);
    }
  t->strings = g_string_chunk_new(64 * 1024);
  t->cells = g_array_new(FALSE, FALSE, sizeof(kh_csv_cell));
  t->rows = g_array_new(FALSE, FALSE, sizeof(kh_csv_row));

  kh_diags *diags = kh_diags_new(); /* reported in the order of their places */
  parser_state st = {
      .t = t, .diags = diags, .text = t->text, .len = len,
      .cur_line = 1, .cur_col = 1, .at_row_start = true, .delim = separator(text, len),
  };
  if (st.delim == '\t')
    kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL, "文件以制表符分隔（不是逗号），已按制表符分隔读取");
  parse_all(&st);
  kh_csv_settle_rows(t, keys, diags);
  kh_csv_append_diags(all_diags, diags);
  kh_diags_free(diags);
  return t;
}

kh_csv_table *kh_csv_parse(const char *path, const char *text, gsize len,
                           kh_diags *diags) {
  return parse_owned(path, g_strndup(text, len), len, NULL, diags);
}

kh_csv_table *kh_csv_read(const char *path, kh_diags *diags) {
  return kh_csv_read_keyed(path, NULL, diags);
}

kh_csv_table *kh_csv_read_keyed(const char *path, const char *const *keys, kh_diags *diags) {
  gsize len = 0;
  char *text = kh_read_text_file(path, &len, diags);
  if (!text)
    return NULL;
  return parse_owned(path, text, len, keys, diags);
}

void kh_csv_free(kh_csv_table *t) {
  if (!t)
    return;
  g_free(t->path);
  g_free(t->text);
  g_array_unref(t->line_starts);
  g_string_chunk_free(t->strings);
  g_array_unref(t->cells);
  g_array_unref(t->rows);
  g_free(t->sheet);
  if (t->percent_cells)
    g_hash_table_unref(t->percent_cells);
  g_free(t);
}

void kh_csv_diag(const kh_csv_table *t, kh_diags *diags, kh_severity sev,
                 int line, int col, const char *fmt, ...) {
  char *source = NULL;
  if (line >= 1 && (guint)line <= t->line_starts->len) {
    const char *s = t->text + g_array_index(t->line_starts, gsize, line - 1);
    source = g_strndup(s, strcspn(s, "\r\n"));
  }
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (t->sheet) {
    char *named = kh_sheet_cell_message(t->sheet, line, col, message);
    g_free(message);
    message = named;
  }
  kh_diags_add(diags, sev, t->path, line, col, source, "%s", message);
  g_free(message);
  g_free(source);
}

char *kh_cell_name(int col, int record) {
  char letters[8];
  int n = 0;
  for (int c = col + 1; c > 0 && n < (int)sizeof letters; c = (c - 1) / 26)
    letters[n++] = (char)('A' + (c - 1) % 26);
  GString *s = g_string_new(NULL);
  while (n > 0)
    g_string_append_c(s, letters[--n]);
  g_string_append_printf(s, "%d", record);
  return g_string_free(s, FALSE);
}

void kh_csv_cell_diag(const kh_csv_table *t, kh_diags *diags, kh_severity sev,
                      const kh_csv_cell *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (t->sheet) { /* kh_csv_diag() names a worksheet's cell itself: Sheet1!G5 */
    kh_csv_diag(t, diags, sev, c->line, c->col, "%s", message);
  } else {
    char *name = kh_cell_name(c->column, c->record);
    kh_csv_diag(t, diags, sev, c->line, c->col, "%s %s", name, message);
    g_free(name);
  }
  g_free(message);
}

static int compare_places(gconstpointer a, gconstpointer b) {
  const kh_diag *x = *(kh_diag *const *)a, *y = *(kh_diag *const *)b;
  return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
                            : (x->col > y->col) - (x->col < y->col);
}

void kh_csv_append_diags(kh_diags *to, kh_diags *file_diags) {
  /* GLib's sort is stable: diagnostics at one place keep their order. */
  g_ptr_array_sort(file_diags->items, compare_places);
  kh_diags_append(to, file_diags);
}
