/* Workbook plumbing shared by the workbooks (xlsx_common.h). */
#include "render/xlsx_common.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <uniwidth.h>
#include "kaohe/kaohe.h"
#include "render/format.h"
#include "render/punct.h"

/* Excel's limit on a sheet name, in UTF-16 units. */
#define SHEET_NAME_MAX 31
/* Headings wrap within this display width unless the data is wider. */
#define HEADING_WIDTH_CAP 16.0
/* Wrapped text columns (remarks) grow to this display width at most. */
#define WRAPPED_WIDTH_CAP 32.0
/* Points per line of 11 pt text, for rows of wrapped cells. */
#define LINE_HEIGHT 14.4
/* Excel's limits: characters in a cell, points of a row's height; and the
 * widest column worth making (display units). */
#define CELL_CHARS_MAX 32767
#define ROW_HEIGHT_MAX 409.0
#define COLUMN_WIDTH_CAP 80.0
#define BODY_FONT "宋体"
#define TITLE_FONT "黑体"
#define HEADER_FILL 0xD9D9D9
#define STRONG_FILL 0xF2F2F2
#define MISS_FILL 0xFFC7CE
#define MISS_TEXT 0x9C0006
#define VETO_FILL 0xFF9999
#define AWARD_FILL 0xC6EFCE
#define AWARD_TEXT 0x006100

struct kh_xlsx_book {
  lxw_workbook *wb;
  char *path;
  char *tmp_path;
  char *tmpdir;          /* libxlsxwriter's temporary parts: parts_folder() */
  GHashTable *formats;   /* key → lxw_format* (owned by wb) */
  GArray *numbers;       /* number_slot: the number formats asked for */
  GPtrArray *sheets;     /* kh_xlsx_sheet* */
  lxw_error err;         /* the first failure, or LXW_NO_ERROR */
  char *err_what;
  lxw_format *miss, *veto, *award;
};

/* A number format by what it was asked for, so that a cell's format is
 * found without building its format string again. */
typedef struct {
  bool gap;          /* kh_xlsx_gap() rather than kh_xlsx_number() */
  kh_xlsx_tone tone;
  int decimals;
  char *suffix;      /* the suffix or unit asked for, "" for none */
  lxw_format *f;
} number_slot;

typedef struct {
  int row, first_col, last_col; /* merged when first_col < last_col */
  double width;     /* display width of the text */
  double min_height;
} wrapped_cell;

/* ---- names ------------------------------------------------------------- */

static gunichar full_width(gunichar c) {
  switch (c) {
  case '[': return 0xFF3B;
  case ']': return 0xFF3D;
  case ':': return 0xFF1A;
  case '*': return 0xFF0A;
  case '?': return 0xFF1F;
  case '/': return 0xFF0F;
  case '\\': return 0xFF3C;
  default: return c;
  }
}

static bool trimmed_in_sheet_name(gunichar c) {
  return c == '\'' || g_unichar_isspace(c);
}

char *kh_xlsx_sheet_name(const char *wanted, const char *fallback) {
  char *valid = g_utf8_make_valid(wanted ? wanted : "", -1);
  GString *out = g_string_new(NULL);
  gsize keep = 0; /* length of out without trailing trimmed characters */
  int units = 0;
  for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
    gunichar c = full_width(g_utf8_get_char(p));
    if (g_unichar_iscntrl(c) || (out->len == 0 && trimmed_in_sheet_name(c)))
      continue;
    int u = c > 0xFFFF ? 2 : 1;
    if (units + u > SHEET_NAME_MAX)
      break;
    units += u;
    g_string_append_unichar(out, c);
    if (!trimmed_in_sheet_name(c))
      keep = out->len;
  }
  g_string_truncate(out, keep);
  g_free(valid);
  if (out->len == 0) {
    g_string_free(out, TRUE);
    return g_strdup(fallback);
  }
  return g_string_free(out, FALSE);
}

/* ---- numbers ----------------------------------------------------------- */

/* The longest prefix of s (made valid UTF-8) of at most max_bytes that ends
 * at a character boundary. Caller frees with g_free(). */
static char *utf8_prefix(const char *s, gsize max_bytes) {
  char *valid = g_utf8_make_valid(s, -1);
  const char *end = valid;
  while (*end && (gsize)(g_utf8_next_char(end) - valid) <= max_bytes)
    end = g_utf8_next_char(end);
  char *out = g_strndup(valid, end - valid);
  g_free(valid);
  return out;
}

static int clamp_decimals(int decimals) {
  return decimals < 0 ? 0 : decimals > 15 ? 15 : decimals;
}

char *kh_xlsx_number_format(int decimals, const char *suffix) {
  GString *f = g_string_new("0");
  decimals = clamp_decimals(decimals);
  if (decimals > 0) {
    g_string_append_c(f, '.');
    for (int k = 0; k < decimals; k++)
      g_string_append_c(f, '0');
  }
  /* libxlsxwriter keeps 127 bytes of a number format: cut a long unit. */
  char *cut = utf8_prefix(suffix ? suffix : "", 24);
  suffix = cut;
  if (*suffix) {
    /* A literal in quotes; a quote inside leaves the quotes and is escaped. */
    g_string_append_c(f, '"');
    for (const char *p = suffix; *p; p++) {
      if (*p == '"')
        g_string_append(f, "\"\\\"\"");
      else
        g_string_append_c(f, *p);
    }
    g_string_append_c(f, '"');
  }
  g_free(cut);
  return g_string_free(f, FALSE);
}

char *kh_xlsx_number_text(double v, int decimals, const char *suffix) {
  if (!isfinite(v))
    return g_strdup("");
  if (v == 0)
    v = 0; /* no "-0.00" */
  char *number = kh_fmt_decimal(v, clamp_decimals(decimals));
  char *text = g_strconcat(number, suffix ? suffix : "", NULL);
  g_free(number);
  return text;
}

const char *kh_xlsx_gap_suffix(const char *unit) {
  if (unit && strcmp(unit, "%") == 0)
    return "个百分点";
  return unit ? unit : "";
}

char *kh_xlsx_gap_format(int decimals, const char *unit) {
  char *one = kh_xlsx_number_format(decimals, kh_xlsx_gap_suffix(unit));
  char *f = g_strdup_printf("%s;-%s;0", one, one);
  g_free(one);
  return f;
}

/* ---- the workbook ------------------------------------------------------ */

static void sheet_free(kh_xlsx_sheet *s) {
  g_free(s->name);
  g_array_unref(s->widths);
  g_array_unref(s->wrapped);
  g_free(s);
}

static void book_free(kh_xlsx_book *b) {
  g_free(b->tmpdir);
  g_free(b->path);
  g_free(b->tmp_path);
  g_hash_table_unref(b->formats);
  for (guint k = 0; k < b->numbers->len; k++)
    g_free(g_array_index(b->numbers, number_slot, k).suffix);
  g_array_unref(b->numbers);
  g_ptr_array_unref(b->sheets);
  g_free(b->err_what);
  g_free(b);
}

/* Township workbooks are rendered in parallel, and workbook_close() (where
 * nearly all the work is: the XML of every part, deflated into the zip)
 * runs in several threads at once. What libxlsxwriter 1.1.4 shares between
 * threads there is harmless as kaohe uses it:
 *  - gmtime()'s static result, for the document properties: every workbook
 *    of a run records the same time (meta->created), and glibc stores only
 *    final field values, so a thread reading it while another fills it
 *    reads the same date. Nothing else of kaohe calls gmtime(),
 *    localtime() or ctime() (the PDF/A's ID is kaohe's own, pdfa.c).
 *  - the names of its temporary files (tmpfileplus, one per part, created
 *    with O_EXCL and unlinked at once): a name two threads happen to pick
 *    alike is refused to the second, which picks another.
 * GLib's g_mkstemp_full() counter is shared, and cheap to guard. */
G_LOCK_DEFINE_STATIC(mkstemp_counter);

/* The temporary file beside path: ".NAME.XXXXXX", created with the mode a
 * plain fopen() would give (0666 less the umask). */
static char *make_temporary(const char *path, kh_diags *diags) {
  char *dir = g_path_get_dirname(path);
  char *base = g_path_get_basename(path);
  char *name = g_strdup_printf(".%s.XXXXXX", strlen(base) <= 200 ? base : "kaohe");
  char *tmp = g_build_filename(dir, name, NULL);
  g_free(dir);
  g_free(base);
  g_free(name);
  G_LOCK(mkstemp_counter);
  int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0666);
  int e = errno;
  G_UNLOCK(mkstemp_counter);
  if (fd < 0) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "无法在目标文件夹中创建临时文件: %s", g_strerror(e));
    g_free(tmp);
    return NULL;
  }
  close(fd);
  return tmp;
}

/* Where libxlsxwriter writes the parts of a workbook before it deflates
 * them into the zip, one temporary file each (15,000 at province scale): a
 * memory file system when there is one, /dev/shm, else the workbook's own
 * folder (the staging folder), never /tmp, which may be small or slow and
 * is not the output's. The library has no way to keep them in memory, and
 * kaohe no longer puts its own functions in the library's place
 * (docs/decisions.md). Caller frees with g_free(). */
static char *parts_folder(const char *path) {
  if (g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) && g_access("/dev/shm", W_OK | X_OK) == 0)
    return g_strdup("/dev/shm");
  return g_path_get_dirname(path);
}

kh_xlsx_book *kh_xlsx_book_new(const char *path, const kh_doc_meta *meta,
                               const kh_xlsx_props *props, kh_diags *diags) {
  char *tmp = make_temporary(path, diags);
  if (!tmp)
    return NULL;
  char *parts = parts_folder(path);
  lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = parts,
                               .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(tmp, &opts);
  if (!wb) {
    g_free(parts);
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "无法创建 Excel 工作簿");
    g_unlink(tmp);
    g_free(tmp);
    return NULL;
  }
  kh_xlsx_book *b = g_new0(kh_xlsx_book, 1);
  b->wb = wb;
  b->tmpdir = parts;
  b->path = g_strdup(path);
  b->tmp_path = tmp;
  b->formats = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  b->numbers = g_array_new(FALSE, FALSE, sizeof(number_slot));
  b->sheets = g_ptr_array_new_with_free_func((GDestroyNotify)sheet_free);
  lxw_doc_properties p = {
      .title = (char *)props->title,
      .subject = (char *)props->subject,
      .author = (char *)props->author,
      .company = (char *)props->company,
      .keywords = (char *)props->keywords,
      .comments = "kaohe " KAOHE_VERSION,
      /* libxlsxwriter reads 0 as "now": SOURCE_DATE_EPOCH=0 would not give
       * the same file twice, so the epoch is recorded one second late. */
      .created = meta->created != 0 ? meta->created : 1,
  };
  kh_xlsx_check(b, workbook_set_properties(wb, &p), "文档属性");
  return b;
}

bool kh_xlsx_book_close(kh_xlsx_book *b, kh_diags *diags) {
  errno = 0;
  lxw_error closed = workbook_close(b->wb); /* frees wb, even on failure */
  /* What the system said when writing the file failed (a full disk):
   * libxlsxwriter's own text is only "ZIP_ERRNO". */
  int system_error = closed != LXW_NO_ERROR ? errno : 0;
  if (b->err == LXW_NO_ERROR && closed != LXW_NO_ERROR)
    kh_xlsx_check(b, closed, "文件");
  bool ok = b->err == LXW_NO_ERROR;
  if (!ok && system_error && b->err == closed)
    kh_diags_add(diags, KH_ERROR, b->path, 1, 1, NULL,
                 "无法写入 Excel 工作簿: %s: %s", lxw_strerror(b->err),
                 g_strerror(system_error)); /* the system's words last: see kh_cli_explain */
  else if (!ok)
    kh_diags_add(diags, KH_ERROR, b->path, 1, 1, NULL,
                 "无法写入 Excel 工作簿（%s出错：%s）", b->err_what, lxw_strerror(b->err));
  if (ok && g_rename(b->tmp_path, b->path) != 0) {
    int e = errno;
    kh_diags_add(diags, KH_ERROR, b->path, 1, 1, NULL,
                 "无法把工作簿移到目标位置: %s",
                 g_strerror(e));
    ok = false;
  }
  if (!ok)
    g_unlink(b->tmp_path);
  book_free(b);
  return ok;
}

lxw_workbook *kh_xlsx_workbook(kh_xlsx_book *b) { return b->wb; }

bool kh_xlsx_check(kh_xlsx_book *b, lxw_error err, const char *what) {
  if (err == LXW_NO_ERROR)
    return true;
  if (b->err == LXW_NO_ERROR) {
    b->err = err;
    b->err_what = g_strdup(what);
  }
  return false;
}

/* ---- formats ----------------------------------------------------------- */

static void apply_kind(lxw_format *f, kh_xlsx_kind kind, const char *num_format) {
  format_set_font_name(f, kind == KH_XLSX_TITLE ? TITLE_FONT : BODY_FONT);
  format_set_font_size(f, kind == KH_XLSX_TITLE ? 16 : 11);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  switch (kind) {
  case KH_XLSX_TITLE:
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_CENTER);
    break;
  case KH_XLSX_SUBTITLE:
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_text_wrap(f);
    break;
  case KH_XLSX_HEADER:
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_text_wrap(f);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, HEADER_FILL);
    break;
  case KH_XLSX_CENTER:
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_border(f, LXW_BORDER_THIN);
    break;
  case KH_XLSX_LEFT:
    format_set_align(f, LXW_ALIGN_LEFT);
    format_set_text_wrap(f);
    format_set_border(f, LXW_BORDER_THIN);
    break;
  case KH_XLSX_NUMBER:
  case KH_XLSX_NUMBER_LEFT:
    format_set_align(f, kind == KH_XLSX_NUMBER ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_num_format(f, num_format);
    break;
  case KH_XLSX_NOTE:
    format_set_align(f, LXW_ALIGN_LEFT);
    format_set_text_wrap(f);
    break;
  }
}

lxw_format *kh_xlsx_format(kh_xlsx_book *b, kh_xlsx_kind kind,
                           kh_xlsx_tone tone, const char *num_format) {
  bool number = kind == KH_XLSX_NUMBER || kind == KH_XLSX_NUMBER_LEFT;
  if (number && !(num_format && *num_format))
    num_format = "General";
  /* Asked for once per cell: the key is looked up from the stack. */
  char stack_key[128];
  char *key = stack_key;
  if (g_snprintf(stack_key, sizeof stack_key, "%d/%d/%s", (int)kind, (int)tone,
                 number ? num_format : "") >= (int)sizeof stack_key)
    key = g_strdup_printf("%d/%d/%s", (int)kind, (int)tone, num_format);
  lxw_format *f = g_hash_table_lookup(b->formats, key);
  if (f) {
    if (key != stack_key)
      g_free(key);
    return f;
  }
  f = workbook_add_format(b->wb);
  apply_kind(f, kind, num_format);
  if (tone == KH_XLSX_STRONG) {
    format_set_bold(f);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, STRONG_FILL);
  } else if (tone == KH_XLSX_MISS) {
    format_set_font_color(f, MISS_TEXT);
  }
  g_hash_table_insert(b->formats, key == stack_key ? g_strdup(key) : key, f);
  return f;
}

/* The slot of a number format asked for before, or NULL. */
static lxw_format *known_number(kh_xlsx_book *b, bool gap, kh_xlsx_tone tone,
                                int decimals, const char *suffix) {
  for (guint k = 0; k < b->numbers->len; k++) {
    const number_slot *n = &g_array_index(b->numbers, number_slot, k);
    if (n->gap == gap && n->tone == tone && n->decimals == decimals &&
        strcmp(n->suffix, suffix ? suffix : "") == 0)
      return n->f;
  }
  return NULL;
}

static lxw_format *remember_number(kh_xlsx_book *b, bool gap, kh_xlsx_tone tone,
                                   int decimals, const char *suffix, lxw_format *f) {
  number_slot n = {gap, tone, decimals, g_strdup(suffix ? suffix : ""), f};
  g_array_append_val(b->numbers, n);
  return f;
}

lxw_format *kh_xlsx_number(kh_xlsx_book *b, kh_xlsx_tone tone, int decimals,
                           const char *suffix) {
  lxw_format *f = known_number(b, false, tone, decimals, suffix);
  if (f)
    return f;
  char *nf = kh_xlsx_number_format(decimals, suffix);
  f = kh_xlsx_format(b, KH_XLSX_NUMBER, tone, nf);
  g_free(nf);
  return remember_number(b, false, tone, decimals, suffix, f);
}

lxw_format *kh_xlsx_gap(kh_xlsx_book *b, kh_xlsx_tone tone, int decimals,
                        const char *unit) {
  lxw_format *f = known_number(b, true, tone, decimals, unit);
  if (f)
    return f;
  char *nf = kh_xlsx_gap_format(decimals, unit);
  f = kh_xlsx_format(b, KH_XLSX_NUMBER, tone, nf);
  g_free(nf);
  return remember_number(b, true, tone, decimals, unit, f);
}

static lxw_format *miss_highlight(kh_xlsx_book *b) {
  if (!b->miss) {
    b->miss = workbook_add_format(b->wb);
    format_set_pattern(b->miss, LXW_PATTERN_SOLID);
    format_set_bg_color(b->miss, MISS_FILL);
    format_set_font_color(b->miss, MISS_TEXT);
  }
  return b->miss;
}

void kh_xlsx_highlight_misses(kh_xlsx_sheet *s, int first, int last, int met_col,
                              int n_cols) {
  char col[8], formula[96];
  lxw_col_to_name(col, (lxw_col_t)met_col, LXW_TRUE);
  g_snprintf(formula, sizeof formula, "=OR(%s%d=\"未达标\",%s%d=\"缺报\")", col, first + 1,
             col, first + 1);
  lxw_conditional_format miss = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                 .value_string = formula,
                                 .format = miss_highlight(s->book)};
  kh_xlsx_check(s->book,
                worksheet_conditional_format_range(s->ws, first, 0, last, n_cols - 1, &miss),
                s->name);
}

lxw_format *kh_xlsx_veto_highlight(kh_xlsx_book *b) {
  if (!b->veto) {
    b->veto = workbook_add_format(b->wb);
    format_set_pattern(b->veto, LXW_PATTERN_SOLID);
    format_set_bg_color(b->veto, VETO_FILL);
    format_set_font_color(b->veto, MISS_TEXT);
    format_set_bold(b->veto);
  }
  return b->veto;
}

lxw_format *kh_xlsx_award_highlight(kh_xlsx_book *b) {
  if (!b->award) {
    b->award = workbook_add_format(b->wb);
    format_set_pattern(b->award, LXW_PATTERN_SOLID);
    format_set_bg_color(b->award, AWARD_FILL);
    format_set_font_color(b->award, AWARD_TEXT);
  }
  return b->award;
}

/* ---- sheets ------------------------------------------------------------ */

static bool name_taken(kh_xlsx_book *b, const char *name) {
  char *folded = g_utf8_casefold(name, -1);
  bool taken = strcmp(folded, "history") == 0; /* reserved by Excel */
  for (guint k = 0; k < b->sheets->len && !taken; k++) {
    kh_xlsx_sheet *s = g_ptr_array_index(b->sheets, k);
    char *other = g_utf8_casefold(s->name, -1);
    taken = strcmp(folded, other) == 0;
    g_free(other);
  }
  g_free(folded);
  return taken;
}

static glong utf16_units(const char *s) {
  glong units = 0;
  g_free(g_utf8_to_utf16(s, -1, NULL, &units, NULL));
  return units;
}

/* `base` (a safe name) made unique with "(n)", cut to keep 31 units. */
static char *unique_name(kh_xlsx_book *b, const char *base) {
  char *name = g_strdup(base);
  for (int n = 2; name_taken(b, name); n++) {
    char *suffix = g_strdup_printf("(%d)", n);
    glong room = SHEET_NAME_MAX - (glong)strlen(suffix);
    char *cut = g_strdup(base);
    while (utf16_units(cut) > room) {
      char *shorter = g_utf8_substring(cut, 0, g_utf8_strlen(cut, -1) - 1);
      g_free(cut);
      cut = shorter;
    }
    g_free(name);
    name = g_strconcat(cut, suffix, NULL);
    g_free(cut);
    g_free(suffix);
  }
  return name;
}

kh_xlsx_sheet *kh_xlsx_sheet_add(kh_xlsx_book *b, const char *wanted,
                                 const char *fallback) {
  char *safe = kh_xlsx_sheet_name(wanted, fallback);
  char *name = unique_name(b, safe);
  g_free(safe);
  if (workbook_validate_sheet_name(b->wb, name) != LXW_NO_ERROR) {
    g_free(name);
    name = g_strdup_printf("Sheet%u", b->sheets->len + 1);
  }
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
  if (!ws)
    g_error("kaohe: libxlsxwriter could not add a worksheet: out of memory");
  kh_xlsx_sheet *s = g_new0(kh_xlsx_sheet, 1);
  s->book = b;
  s->ws = ws;
  s->name = name;
  s->widths = g_array_new(FALSE, TRUE, sizeof(double));
  s->wrapped = g_array_new(FALSE, FALSE, sizeof(wrapped_cell));
  g_ptr_array_add(b->sheets, s);
  return s;
}

/* Display width of UTF-8 text, its widest line; ambiguous characters (—, ≥)
 * count as wide, as Chinese fonts draw them. */
static double display_width(const char *text) {
  double widest = 0;
  const char *line = text;
  while (line) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    int w = u8_width((const uint8_t *)line, n, "GB18030");
    if (w > widest)
      widest = w;
    line = nl ? nl + 1 : NULL;
  }
  return widest;
}

static double *width_slot(kh_xlsx_sheet *s, int col) {
  if ((guint)col >= s->widths->len)
    g_array_set_size(s->widths, col + 1);
  return &g_array_index(s->widths, double, col);
}

/* Records what a cell needs: its column at least as wide as the text, or,
 * for wrapped text, at most `wrap_cap` wide and a row tall enough. */
static void note_width(kh_xlsx_sheet *s, int row, int col, double w, lxw_format *f,
                       double wrap_cap) {
  if (f && f->bold)
    w *= 1.1;
  double *slot = width_slot(s, col);
  if (f && f->text_wrap) {
    wrapped_cell c = {row, col, col, w, 0};
    g_array_append_val(s->wrapped, c);
    w = MIN(w, wrap_cap);
  }
  if (w > *slot)
    *slot = w;
}

static void note_content(kh_xlsx_sheet *s, int row, int col, const char *text,
                         lxw_format *f, double wrap_cap) {
  note_width(s, row, col, display_width(text ? text : ""), f, wrap_cap);
}

/* text, or a copy with Chinese punctuation (punct.h) cut to the
 * characters a cell holds (*owned, to free). */
static const char *cell_text(const char *text, char **owned) {
  *owned = NULL;
  if (kh_punct_may_convert(text))
    text = *owned = kh_punct_chinese(text, strlen(text), false, NULL);
  if (strlen(text) > CELL_CHARS_MAX && g_utf8_strlen(text, -1) > CELL_CHARS_MAX) {
    char *cut = g_utf8_substring(text, 0, CELL_CHARS_MAX);
    g_free(*owned);
    return *owned = cut;
  }
  return text;
}

static void put_text(kh_xlsx_sheet *s, int row, int col, const char *text,
                     lxw_format *f, double wrap_cap) {
  if (!text || !*text) {
    kh_xlsx_check(s->book, worksheet_write_blank(s->ws, row, col, f), s->name);
    width_slot(s, col);
    return;
  }
  char *owned;
  text = cell_text(text, &owned);
  kh_xlsx_check(s->book, worksheet_write_string(s->ws, row, col, text, f), s->name);
  note_content(s, row, col, text, f, wrap_cap);
  g_free(owned);
}

void kh_xlsx_text(kh_xlsx_sheet *s, int row, int col, const char *text,
                  lxw_format *f) {
  put_text(s, row, col, text, f, WRAPPED_WIDTH_CAP);
}

void kh_xlsx_num(kh_xlsx_sheet *s, int row, int col, double v,
                 const char *display, lxw_format *f) {
  if (!isfinite(v)) {
    kh_xlsx_text(s, row, col, NULL, f);
    return;
  }
  kh_xlsx_check(s->book, worksheet_write_number(s->ws, row, col, v, f), s->name);
  note_content(s, row, col, display, f, WRAPPED_WIDTH_CAP);
}

/* How many characters printf's "%.*f" writes for v (a sign, the integer
 * digits, the point and the decimals) without printing it; -1 when v lies
 * within rounding of the next power of ten (only printf knows whether it
 * carries into one more digit) or is too large to count this way. */
static int fixed_chars(double v, int decimals) {
  static const double unit[] = {1,     1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,  1e-7,
                                1e-8,  1e-9,  1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15};
  double a = fabs(v), next = 10;
  int digits = 1;
  if (!(a < 1e15))
    return -1;
  while (a >= next) {
    digits++;
    next *= 10;
  }
  if (next - a <= unit[decimals])
    return -1;
  return (v < 0) + digits + (decimals > 0 ? decimals + 1 : 0);
}

/* kh_xlsx_num() with kh_xlsx_number_text()'s display, whose width is
 * counted rather than printed: the workbooks hold tens of thousands of
 * numbers. */
static void put_number(kh_xlsx_sheet *s, int row, int col, double v, int decimals,
                       const char *suffix, lxw_format *f) {
  suffix = suffix ? suffix : "";
  int chars = isfinite(v) ? fixed_chars(v == 0 ? 0 : v, clamp_decimals(decimals)) : -1;
  if (chars < 0 || strchr(suffix, '\n')) {
    char *text = kh_xlsx_number_text(v, decimals, suffix);
    kh_xlsx_num(s, row, col, v, text, f);
    g_free(text);
    return;
  }
  kh_xlsx_check(s->book, worksheet_write_number(s->ws, row, col, v, f), s->name);
  note_width(s, row, col, chars + display_width(suffix), f, WRAPPED_WIDTH_CAP);
}

void kh_xlsx_value(kh_xlsx_sheet *s, int row, int col, double v, int decimals,
                   const char *unit, kh_xlsx_tone tone) {
  put_number(s, row, col, v, decimals, unit, kh_xlsx_number(s->book, tone, decimals, unit));
}

void kh_xlsx_gap_value(kh_xlsx_sheet *s, int row, int col, double gap, int decimals,
                       const char *unit, kh_xlsx_tone tone) {
  put_number(s, row, col, gap, decimals, kh_xlsx_gap_suffix(unit),
             kh_xlsx_gap(s->book, tone, decimals, unit));
}

void kh_xlsx_formula(kh_xlsx_sheet *s, int row, int col, const char *formula,
                     double value, const char *display, lxw_format *f) {
  kh_xlsx_check(s->book,
                worksheet_write_formula_num(s->ws, row, col, formula, f, value),
                s->name);
  note_content(s, row, col, display, f, WRAPPED_WIDTH_CAP);
}

void kh_xlsx_merged(kh_xlsx_sheet *s, int row, int first_col, int last_col,
                    const char *text, lxw_format *f, double min_height) {
  char *owned;
  text = cell_text(text, &owned);
  if (last_col > first_col)
    kh_xlsx_check(s->book,
                  worksheet_merge_range(s->ws, row, first_col, row, last_col, text, f),
                  s->name);
  else
    kh_xlsx_check(s->book, worksheet_write_string(s->ws, row, first_col, text, f),
                  s->name);
  wrapped_cell c = {row, first_col, last_col,
                    display_width(text) * (f->bold ? 1.1 : 1) * (f->font_size / 11),
                    min_height};
  if (f->text_wrap || min_height > 0)
    g_array_append_val(s->wrapped, c);
  g_free(owned);
}

void kh_xlsx_merged_num(kh_xlsx_sheet *s, int row, int first_col, int last_col,
                        double v, lxw_format *f) {
  if (last_col > first_col)
    kh_xlsx_check(s->book,
                  worksheet_merge_range(s->ws, row, first_col, row, last_col, "", f),
                  s->name);
  kh_xlsx_check(s->book, worksheet_write_number(s->ws, row, first_col, v, f), s->name);
}

void kh_xlsx_banner(kh_xlsx_sheet *s, int row, int n_cols, const char *text,
                    lxw_format *f, double height) {
  kh_xlsx_merged(s, row, 0, MAX(n_cols - 1, 0), text, f, height);
}

void kh_xlsx_note(kh_xlsx_sheet *s, int row, int n_cols, const char *text) {
  kh_xlsx_banner(s, row, n_cols, text,
                 kh_xlsx_format(s->book, KH_XLSX_NOTE, KH_XLSX_PLAIN, NULL), 0);
}

void kh_xlsx_headings(kh_xlsx_sheet *s, int row, const char *const *labels,
                      int n) {
  lxw_format *f = kh_xlsx_format(s->book, KH_XLSX_HEADER, KH_XLSX_PLAIN, NULL);
  for (int c = 0; c < n; c++)
    put_text(s, row, c, labels[c], f, HEADING_WIDTH_CAP);
}

/* Excel column width (in characters of the default font) for a display
 * width; Chinese glyphs are a little wider than two digits. */
static double column_width(double display) {
  return MAX(MIN(display, COLUMN_WIDTH_CAP) * 1.1 + 2, 6);
}

/* libxlsxwriter's conversion of a column width to pixels. */
static int column_pixels(double width) {
  return width < 1 ? (int)(width * 12 + 0.5) : (int)(width * 7 + 0.5) + 5;
}

/* Printing: the left and right margins (inches), and the smallest scale
 * a sheet prints at: its 11 pt type at 8.25 pt, 8 pt or more after the
 * office suite's own rounding (LibreOffice prints 11 pt at 73% as 7.99). */
#define PRINT_MARGIN 0.5
#define MIN_SCALE_PERCENT 75

/* Fit to the page's width while that keeps the type at 8 pt or more;
 * wider sheets print at the smallest scale, their columns broken over
 * pages with the frozen columns (rank, township) repeated on each. */
static void print_width(kh_xlsx_sheet *s, const kh_xlsx_layout *lay) {
  double paper = (lay->landscape ? 297.0 : 210.0) * 72 / 25.4; /* A4, pt */
  double room = paper - 2 * PRINT_MARGIN * 72;
  double need = kh_xlsx_sheet_pixels(s, lay->n_cols) * 0.75; /* 96 px an inch */
  if (need * MIN_SCALE_PERCENT / 100 <= room) {
    worksheet_fit_to_pages(s->ws, 1, 0);
    return;
  }
  worksheet_set_print_scale(s->ws, MIN_SCALE_PERCENT);
  if (lay->freeze_cols > 0)
    kh_xlsx_check(s->book, worksheet_repeat_columns(s->ws, 0, (lxw_col_t)(lay->freeze_cols - 1)),
                  s->name);
}

static double row_height_for(kh_xlsx_sheet *s, const wrapped_cell *c) {
  double room = 0;
  for (int k = c->first_col; k <= c->last_col; k++)
    room += k < (int)s->widths->len ? g_array_index(s->widths, double, k) : 8.43;
  /* Display units that fit: undo column_width()'s padding and factor. */
  room = MAX((room - 2) / 1.1, 2);
  int lines = MAX((int)ceil(c->width / room), 1);
  return MIN(MAX(c->min_height, lines * LINE_HEIGHT + 4), ROW_HEIGHT_MAX);
}

/* "&" starts a code in page headers: double it. */
/* Header and footer at the cells' 11 pt (&11; the font code after it ends
 * the number before a title that starts with digits), so that they too
 * print at 8 pt or more at the smallest print scale (not the office
 * suite's default, 10 pt). */
#define HEADER_START "&C&11&\"-,Regular\""

static char *page_header_text(const char *title) {
  char *cut = g_utf8_substring(title, 0, MIN(g_utf8_strlen(title, -1), 100));
  GString *out = g_string_new(HEADER_START);
  for (const char *p = cut; *p; p++) {
    if (*p == '&')
      g_string_append_c(out, '&');
    g_string_append_c(out, *p);
  }
  g_free(cut);
  return g_string_free(out, FALSE);
}

void kh_xlsx_sheet_finish(kh_xlsx_sheet *s, const kh_xlsx_layout *lay) {
  for (int c = 0; c < lay->n_cols; c++) {
    double *slot = width_slot(s, c);
    *slot = column_width(*slot);
    kh_xlsx_check(s->book, worksheet_set_column(s->ws, c, c, *slot, NULL), s->name);
  }
  /* Table rows one line of Chinese tall at least, rows of wrapped cells as
   * tall as their tallest cell needs. */
  GArray *heights = g_array_new(FALSE, TRUE, sizeof(double));
  g_array_set_size(heights, lay->last_row + 1);
  for (int row = lay->header_row + 1; row <= lay->last_row; row++)
    g_array_index(heights, double, row) = LINE_HEIGHT + 4;
  for (guint k = 0; k < s->wrapped->len; k++) {
    const wrapped_cell *c = &g_array_index(s->wrapped, wrapped_cell, k);
    if ((guint)c->row >= heights->len)
      g_array_set_size(heights, c->row + 1);
    double *h = &g_array_index(heights, double, c->row);
    *h = MAX(*h, row_height_for(s, c));
  }
  for (guint row = 0; row < heights->len; row++)
    if (g_array_index(heights, double, row) > 0)
      kh_xlsx_check(s->book,
                    worksheet_set_row(s->ws, row, g_array_index(heights, double, row), NULL),
                    s->name);
  g_array_unref(heights);
  worksheet_freeze_panes(s->ws, lay->header_row + 1, lay->freeze_cols);
  if (lay->filter_last >= lay->header_row)
    kh_xlsx_check(s->book,
                  worksheet_autofilter(s->ws, lay->header_row, 0, lay->filter_last,
                                       lay->n_cols - 1),
                  s->name);
  worksheet_set_paper(s->ws, 9); /* A4 */
  if (lay->landscape)
    worksheet_set_landscape(s->ws);
  else
    worksheet_set_portrait(s->ws);
  worksheet_set_margins(s->ws, PRINT_MARGIN, PRINT_MARGIN, 0.75, 0.75);
  worksheet_center_horizontally(s->ws);
  print_width(s, lay);
  kh_xlsx_check(s->book, worksheet_repeat_rows(s->ws, 0, lay->header_row), s->name);
  char *header = page_header_text(lay->page_title ? lay->page_title : s->name);
  kh_xlsx_check(s->book, worksheet_set_header(s->ws, header), s->name);
  g_free(header);
  kh_xlsx_check(s->book, worksheet_set_footer(s->ws, HEADER_START "第 &P 页 共 &N 页"), s->name);
}

int kh_xlsx_sheet_pixels(const kh_xlsx_sheet *s, int n_cols) {
  int px = 0;
  for (int c = 0; c < n_cols; c++)
    px += column_pixels(c < (int)s->widths->len ? g_array_index(s->widths, double, c)
                                                : 8.43);
  return px;
}

typedef struct {
  int key, index;
} rank_key;

static int compare_rank_keys(const void *a, const void *b) {
  const rank_key *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

int *kh_xlsx_rank_order(const int *ranks, int n) {
  rank_key *keys = g_new(rank_key, MAX(n, 1));
  for (int t = 0; t < n; t++)
    keys[t] = (rank_key){ranks[t] >= 1 ? ranks[t] : G_MAXINT, t};
  qsort(keys, n, sizeof *keys, compare_rank_keys);
  int *order = g_new(int, MAX(n, 1));
  for (int k = 0; k < n; k++)
    order[k] = keys[k].index;
  g_free(keys);
  return order;
}

double kh_xlsx_max_total(const kh_month_result *r) {
  double sum = 0;
  for (int i = 0; i < r->n_indicators; i++)
    sum += kh_result_indicator(r, i)->weight;
  return sum;
}

/* ---- words ------------------------------------------------------------- */

char *kh_xlsx_month_text(int year, int month) {
  return g_strdup_printf("%d年%d月", year, month);
}

char *kh_xlsx_veto_words(const kh_month_result *r, int t) {
  GString *veto = g_string_new(NULL), *warn = g_string_new(NULL);
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    const kh_indicator *ind = kh_result_indicator(r, i);
    if (c->vetoes) {
      g_string_append(veto, veto->len ? "、" : "一票否决：");
      g_string_append(veto, ind->name);
    } else if (c->warning) {
      g_string_append(warn, warn->len ? "、" : "预警：");
      g_string_append(warn, ind->name);
      if (ind->has_deadline) {
        char *date = kh_fmt_date(ind->deadline_year, ind->deadline_month,
                                 ind->deadline_day);
        g_string_append_printf(warn, "（%s前须达标）", date);
        g_free(date);
      }
    }
  }
  if (veto->len && warn->len)
    g_string_append(veto, "；");
  g_string_append(veto, warn->str);
  g_string_free(warn, TRUE);
  return g_string_free(veto, FALSE);
}

void kh_xlsx_target_gap(kh_xlsx_sheet *s, int row, int target_col, int gap_col,
                        kh_status status, double target, double gap,
                        const kh_indicator *ind, kh_xlsx_tone tone, lxw_format *blank) {
  if (status != KH_STATUS_OK) {
    kh_xlsx_text(s, row, target_col, NULL, blank);
    kh_xlsx_text(s, row, gap_col, NULL, blank);
    return;
  }
  const char *unit = ind->unit ? ind->unit : "";
  kh_xlsx_value(s, row, target_col, target, ind->decimals, unit, tone);
  kh_xlsx_gap_value(s, row, gap_col, gap, ind->decimals, unit, tone);
}

void kh_xlsx_rank_remark(kh_xlsx_sheet *s, int row, int rank_col, int note_col,
                         const kh_month_result *r, int t, int i, lxw_format *blank,
                         lxw_format *left) {
  int rank = r->indicator_ranks[t * r->n_indicators + i];
  if (rank > 0)
    kh_xlsx_value(s, row, rank_col, rank, 0, "", KH_XLSX_PLAIN);
  else
    kh_xlsx_text(s, row, rank_col, NULL, blank);
  char *remark = kh_xlsx_cell_remark(r, t, i);
  kh_xlsx_text(s, row, note_col, remark, left);
  g_free(remark);
}

char *kh_xlsx_cell_remark(const kh_month_result *r, int t, int i) {
  const kh_cell *c = kh_cell_at(r, t, i);
  const kh_indicator *ind = kh_result_indicator(r, i);
  if (c->vetoes)
    return g_strdup("一票否决");
  if (!c->warning)
    return NULL;
  if (!ind->has_deadline)
    return g_strdup("预警");
  char *date = kh_fmt_date(ind->deadline_year, ind->deadline_month, ind->deadline_day);
  char *s = g_strdup_printf("预警：须于%s前达标，逾期一票否决", date);
  g_free(date);
  return s;
}
