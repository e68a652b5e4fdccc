/* .xls (BIFF8, Excel 97–2003): the first visible worksheet
 * (workbook_reader.h).
 *
 * FreeXL 1.0.6 reads the numbers, texts (the shared string table and its
 * CONTINUE records) and dates, but returns formula, boolean and error
 * cells as empty, and does not say which sheets are hidden. So the
 * workbook stream is also walked here, opened with libgsf, record by
 * record: the sheet list (with each sheet's visibility), the date system,
 * the number formats (for percentages and formula results that are
 * dates), and in the chosen sheet the FORMULA (cached result, with the
 * STRING record after it for a text result) and BOOLERR records. A cell
 * that holds a value by its record but that neither reader could read is
 * never taken as empty: the file is refused, at that cell, with the advice
 * to save it as .xlsx. Excel 95 and older files (BIFF5 and before), whose
 * records differ, are refused the same way. */
#include "load/workbook_reader.h"

#include <freexl.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <glib/gstdio.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "load/sheet_table.h"

enum {
  REC_FORMULA = 0x0006, REC_EOF = 0x000A, REC_DATEMODE = 0x0022, REC_FILEPASS = 0x002F,
  REC_BOUNDSHEET = 0x0085, REC_MULRK = 0x00BD, REC_XF = 0x00E0, REC_LABELSST = 0x00FD,
  REC_NUMBER = 0x0203, REC_LABEL = 0x0204, REC_BOOLERR = 0x0205, REC_STRING = 0x0207,
  REC_RK = 0x027E, REC_FORMAT = 0x041E, REC_BOF = 0x0809, REC_RSTRING = 0x00D6,
};

#define SAVE_AS_XLSX "请用 Excel 或 WPS 打开此文件并另存为 .xlsx"

typedef struct {
  const guint8 *p;
  gsize len, pos;
} stream;

/* The next record: its type and body; false at the end or when damaged. */
static bool next_record(stream *s, guint16 *type, const guint8 **body, guint16 *len) {
  if (s->len - s->pos < 4)
    return false;
  const guint8 *h = s->p + s->pos;
  *type = (guint16)(h[0] | h[1] << 8);
  *len = (guint16)(h[2] | h[3] << 8);
  if (s->len - s->pos - 4 < *len)
    return false;
  *body = h + 4;
  s->pos += 4u + *len;
  return true;
}

static guint16 u16(const guint8 *p) { return (guint16)(p[0] | p[1] << 8); }
static guint32 u32(const guint8 *p) {
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static double f64(const guint8 *p) {
  guint64 bits = (guint64)u32(p) | (guint64)u32(p + 4) << 32;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* Text of `cch` characters at p (n bytes left): one byte each (Latin-1)
 * or UTF-16LE as `high` says. NULL when the text runs past the record
 * (it goes on in a CONTINUE record, which is not followed here). */
static char *biff_text(const guint8 *p, gsize n, guint cch, bool high) {
  if ((gsize)cch * (high ? 2u : 1u) > n)
    return NULL;
  if (!high)
    return g_convert((const char *)p, cch, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  gunichar2 *units = g_new(gunichar2, cch + 1);
  for (guint i = 0; i < cch; i++)
    units[i] = u16(p + 2 * i);
  char *s = g_utf16_to_utf8(units, cch, NULL, NULL, NULL);
  g_free(units);
  return s;
}

/* XLUnicodeString: cch (2 bytes), flags, optional run and extension counts, text. */
static char *unicode_string(const guint8 *p, gsize n) {
  if (n < 3)
    return NULL;
  guint cch = u16(p);
  guint8 flags = p[2];
  gsize skip = 3 + ((flags & 0x08) ? 2 : 0) + ((flags & 0x04) ? 4 : 0);
  return n < skip ? NULL : biff_text(p + skip, n - skip, cch, flags & 1);
}

static const char *error_text(guint8 code) {
  switch (code) {
  case 0x00: return "#NULL!";
  case 0x07: return "#DIV/0!";
  case 0x0F: return "#VALUE!";
  case 0x17: return "#REF!";
  case 0x1D: return "#NAME?";
  case 0x24: return "#NUM!";
  case 0x2A: return "#N/A";
  default: return "#ERROR!";
  }
}

typedef struct {
  char *name;
  guint32 pos;
  guint8 state, type;
} sheet_entry;

typedef struct {
  const char *path;
  kh_diags *diags;
  bool failed;
  bool date1904;
  GArray *sheets;       /* sheet_entry */
  GArray *xf_kinds;     /* kh_numfmt_kind per XF record */
  GHashTable *formats;  /* ifmt → format code (owned) */
} globals;

static void refuse(globals *g, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void refuse(globals *g, const char *fmt, ...) {
  if (g->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  kh_diags_add(g->diags, KH_ERROR, g->path, 1, 1, NULL, "%s", message);
  g_free(message);
  g->failed = true;
}

/* The workbook globals: from the first BOF to its EOF. */
static void read_globals(globals *g, stream *s) {
  guint16 type, len;
  const guint8 *b;
  if (!next_record(s, &type, &b, &len) || type != REC_BOF || len < 4) {
    refuse(g, "无法作为 .xls 工作簿读取：文件已损坏（工作簿流不以 BOF 开头）");
    return;
  }
  if (u16(b) != 0x0600) {
    refuse(g, "这是 Excel 95 或更早版本的 .xls，无法完整读取：" SAVE_AS_XLSX);
    return;
  }
  GArray *xf_formats = g_array_new(FALSE, FALSE, sizeof(guint16));
  while (next_record(s, &type, &b, &len) && type != REC_EOF) {
    if (type == REC_FILEPASS) {
      refuse(g, "工作簿设有打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码后另存为 .xlsx");
    } else if (type == REC_DATEMODE && len >= 2) {
      g->date1904 = u16(b) == 1;
    } else if (type == REC_BOUNDSHEET && len >= 8) {
      sheet_entry e = {biff_text(b + 8, len - 8u, b[6], b[7] & 1), u32(b), b[4] & 3, b[5]};
      if (e.name)
        g_array_append_val(g->sheets, e);
    } else if (type == REC_FORMAT && len >= 2) {
      char *code = unicode_string(b + 2, len - 2u);
      if (code)
        g_hash_table_replace(g->formats, GINT_TO_POINTER(u16(b)), code);
    } else if (type == REC_XF && len >= 4) {
      guint16 ifmt = u16(b + 2);
      g_array_append_val(xf_formats, ifmt);
    }
  }
  for (guint i = 0; i < xf_formats->len; i++) {
    int id = g_array_index(xf_formats, guint16, i);
    kh_numfmt_kind kind = kh_numfmt_classify(id, g_hash_table_lookup(g->formats, GINT_TO_POINTER(id)));
    g_array_append_val(g->xf_kinds, kind);
  }
  g_array_unref(xf_formats);
}

static kh_numfmt_kind xf_kind(const globals *g, guint16 ixfe) {
  return ixfe < g->xf_kinds->len ? g_array_index(g->xf_kinds, kh_numfmt_kind, ixfe)
                                 : KH_NUMFMT_PLAIN;
}

/* What the walk of the sheet learnt about one cell. */
typedef enum { SEEN_VALUE, SEEN_NUMBER, SEEN_TEXT, SEEN_UNREADABLE } seen_kind;

typedef struct {
  seen_kind kind;
  kh_numfmt_kind format; /* of a number */
  double number;
  char *text;
} seen_cell;

static void seen_free(seen_cell *c) {
  g_free(c->text);
  g_free(c);
}

#define KEY(row, col) GUINT_TO_POINTER(((guint)(row) << 8 | (guint)(col)) + 1u)

static void see(GHashTable *cells, guint row, guint col, seen_kind kind, kh_numfmt_kind format,
                double number, char *text) {
  if (row >= 65536 || col >= 256) {
    g_free(text);
    return;
  }
  seen_cell *c = g_new0(seen_cell, 1);
  *c = (seen_cell){kind, format, number, text};
  g_hash_table_replace(cells, KEY(row, col), c);
}

/* A FORMULA record's cached result; a text result is in the STRING record
 * that follows (after an ARRAY, SHRFMLA or TABLE record, if any). */
static void see_formula(const globals *g, GHashTable *cells, const guint8 *b, stream *s) {
  guint row = u16(b), col = u16(b + 2);
  kh_numfmt_kind format = xf_kind(g, u16(b + 4));
  const guint8 *v = b + 6;
  if (!(v[6] == 0xFF && v[7] == 0xFF)) {
    see(cells, row, col, SEEN_NUMBER, format, f64(v), NULL);
    return;
  }
  switch (v[0]) {
  case 0: { /* text, in the STRING record */
    stream look = *s;
    guint16 type, len;
    const guint8 *body;
    char *text = NULL;
    while (next_record(&look, &type, &body, &len)) {
      if (type == REC_STRING) {
        text = unicode_string(body, len);
        break;
      }
      if (type != 0x0221 && type != 0x04BC && type != 0x0236) /* ARRAY SHRFMLA TABLE */
        break;
    }
    see(cells, row, col, text ? SEEN_TEXT : SEEN_UNREADABLE, format, 0, text);
    break;
  }
  case 1:
    see(cells, row, col, SEEN_TEXT, format, 0, g_strdup(v[2] ? "TRUE" : "FALSE"));
    break;
  case 2:
    see(cells, row, col, SEEN_TEXT, format, 0, g_strdup(error_text(v[2])));
    break;
  case 3:
    see(cells, row, col, SEEN_TEXT, format, 0, g_strdup(""));
    break;
  default:
    see(cells, row, col, SEEN_UNREADABLE, format, 0, NULL);
  }
}

/* The cells of the sheet whose BOF is at `pos`, as its records say. */
static GHashTable *walk_sheet(globals *g, const guint8 *data, gsize len, guint32 pos) {
  GHashTable *cells = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)seen_free);
  stream s = {data, len, pos};
  guint16 type, n;
  const guint8 *b;
  if (pos >= len || !next_record(&s, &type, &b, &n) || type != REC_BOF) {
    refuse(g, "无法作为 .xls 工作簿读取：文件已损坏（工作表的位置无效）");
    return cells;
  }
  int depth = 1; /* charts embedded in the sheet have BOF … EOF of their own */
  while (depth > 0 && next_record(&s, &type, &b, &n)) {
    if (type == REC_BOF) {
      depth++;
    } else if (type == REC_EOF) {
      depth--;
    } else if (depth > 1) {
      continue;
    } else if (type == REC_FORMULA && n >= 20) {
      see_formula(g, cells, b, &s);
    } else if (type == REC_BOOLERR && n >= 8) {
      const char *text = b[7] ? error_text(b[6]) : b[6] ? "TRUE" : "FALSE";
      see(cells, u16(b), u16(b + 2), SEEN_TEXT, KH_NUMFMT_PLAIN, 0, g_strdup(text));
    } else if ((type == REC_NUMBER || type == REC_RK) && n >= 6) {
      see(cells, u16(b), u16(b + 2), SEEN_VALUE, xf_kind(g, u16(b + 4)), 0, NULL);
    } else if (type == REC_MULRK && n >= 6) {
      guint row = u16(b), col = u16(b + 2);
      for (gsize off = 4; off + 6 <= (gsize)n - 2; off += 6, col++)
        see(cells, row, col, SEEN_VALUE, xf_kind(g, u16(b + off)), 0, NULL);
    } else if ((type == REC_LABELSST || type == REC_LABEL || type == REC_RSTRING) && n >= 6) {
      see(cells, u16(b), u16(b + 2), SEEN_VALUE, KH_NUMFMT_PLAIN, 0, NULL);
    }
  }
  if (depth > 0)
    refuse(g, "无法作为 .xls 工作簿读取：文件已损坏（工作表不完整）");
  return cells;
}

/* The workbook stream ("Workbook", or "Book" in older files), read whole. */
static guint8 *workbook_stream(globals *g, const guint8 *data, gsize len, gsize *out_len) {
  GsfInput *in = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
  GsfInfile *ole = gsf_infile_msole_new(in, NULL);
  guint8 *bytes = NULL;
  if (!ole) {
    refuse(g, "无法作为 .xls 工作簿读取：文件已损坏（OLE 容器无法打开）");
  } else {
    GsfInput *wb = kh_ole_stream(ole, "Workbook");
    if (!wb)
      wb = kh_ole_stream(ole, "Book");
    gsf_off_t size = wb ? gsf_input_size(wb) : 0;
    if (!wb)
      refuse(g, "无法作为 .xls 工作簿读取：文件中没有工作簿流");
    else if (size < 0 || (guint64)size > KH_WORKBOOK_MAX_PART_BYTES)
      refuse(g, "工作簿流超过 %u MB 的上限，未读取", KH_WORKBOOK_MAX_PART_BYTES >> 20);
    else if (size > 0) {
      bytes = g_malloc((gsize)size);
      if (!gsf_input_read(wb, (size_t)size, bytes)) {
        refuse(g, "无法作为 .xls 工作簿读取：文件已损坏（工作簿流不完整）");
        g_clear_pointer(&bytes, g_free);
      }
      *out_len = (gsize)size;
    } else {
      refuse(g, "无法作为 .xls 工作簿读取：工作簿流为空");
    }
    if (wb)
      g_object_unref(wb);
    g_object_unref(ole);
  }
  g_object_unref(in);
  return bytes;
}

/* The worksheet called `wanted` (even hidden), or when wanted is NULL the
 * first visible one. */
static const sheet_entry *find_sheet(globals *g, const char *wanted) {
  for (guint i = 0; i < g->sheets->len; i++) {
    const sheet_entry *e = &g_array_index(g->sheets, sheet_entry, i);
    if (e->type == 0 && e->name[0] && (wanted ? strcmp(e->name, wanted) == 0 : e->state == 0))
      return e;
  }
  if (wanted)
    refuse(g, "工作簿中没有名为“%s”的工作表", wanted);
  else
    refuse(g, g->sheets->len ? "工作簿中没有可见的工作表" : "工作簿中没有工作表");
  return NULL;
}

/* FreeXL's index of the sheet called `name`, or -1. */
static int freexl_sheet(const void *xl, const char *name) {
  unsigned int count = 0;
  if (freexl_get_info(xl, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
    return -1;
  for (unsigned int i = 0; i < count && i < 65536; i++) {
    const char *n = NULL;
    if (freexl_get_worksheet_name(xl, (unsigned short)i, &n) == FREEXL_OK && n &&
        strcmp(n, name) == 0)
      return (int)i;
  }
  return -1;
}

/* Adds FreeXL's value of the cell; false when it has none. */
static bool add_freexl_value(kh_sheet_builder *b, const FreeXL_CellValue *v, guint row,
                             guint col, kh_numfmt_kind format, bool *go_on) {
  int r = (int)row + 1, c = (int)col + 1;
  switch (v->type) {
  case FREEXL_CELL_INT:
    *go_on = kh_sheet_add_number(b, r, c, v->value.int_value, format);
    return true;
  case FREEXL_CELL_DOUBLE:
    *go_on = kh_sheet_add_number(b, r, c, v->value.double_value, format);
    return true;
  case FREEXL_CELL_TEXT:
  case FREEXL_CELL_SST_TEXT:
  case FREEXL_CELL_DATE:
  case FREEXL_CELL_DATETIME:
  case FREEXL_CELL_TIME:
    *go_on = v->value.text_value == NULL ||
             kh_sheet_add_text(b, r, c, v->value.text_value, strlen(v->value.text_value));
    return v->value.text_value != NULL;
  default:
    return false;
  }
}

/* Adds what the walk read itself; false for a cell neither reader read. */
static bool add_seen_value(kh_sheet_builder *b, const seen_cell *s, guint row, guint col,
                           bool *go_on) {
  int r = (int)row + 1, c = (int)col + 1;
  if (s->kind == SEEN_NUMBER)
    *go_on = kh_sheet_add_number(b, r, c, s->number, s->format);
  else if (s->kind == SEEN_TEXT)
    *go_on = kh_sheet_add_text(b, r, c, s->text, strlen(s->text));
  return s->kind == SEEN_NUMBER || s->kind == SEEN_TEXT;
}

static void read_cells(globals *g, const void *xl, GHashTable *seen, kh_sheet_builder *b) {
  unsigned int rows = 0;
  unsigned short cols = 0;
  if (freexl_worksheet_dimensions(xl, &rows, &cols) != FREEXL_OK)
    rows = cols = 0;
  /* Every place FreeXL or the walk knows of, in order. */
  GHashTable *places = g_hash_table_new(NULL, NULL);
  GArray *order = g_array_new(FALSE, FALSE, sizeof(guint));
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, seen);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    guint k = GPOINTER_TO_UINT(key) - 1u;
    g_hash_table_add(places, GUINT_TO_POINTER(k + 1u));
    g_array_append_val(order, k);
  }
  for (guint r = 0; r < MIN(rows, 65536u); r++)
    for (guint c = 0; c < MIN(cols, 256u); c++) {
      FreeXL_CellValue v;
      guint k = r << 8 | c;
      if (!g_hash_table_contains(places, GUINT_TO_POINTER(k + 1u)) &&
          freexl_get_cell_value(xl, r, (unsigned short)c, &v) == FREEXL_OK &&
          v.type != FREEXL_CELL_NULL) {
        g_hash_table_add(places, GUINT_TO_POINTER(k + 1u));
        g_array_append_val(order, k);
      }
    }
  g_hash_table_destroy(places);

  bool go_on = true;
  int unreadable = 0, first_row = 0, first_col = 0;
  for (guint i = 0; i < order->len && go_on; i++) {
    guint k = g_array_index(order, guint, i), row = k >> 8, col = k & 0xFF;
    const seen_cell *s = g_hash_table_lookup(seen, KEY(row, col));
    FreeXL_CellValue v = {.type = FREEXL_CELL_NULL};
    if (s && s->kind != SEEN_VALUE) {
      if (add_seen_value(b, s, row, col, &go_on))
        continue;
    } else if (freexl_get_cell_value(xl, row, (unsigned short)col, &v) == FREEXL_OK &&
               add_freexl_value(b, &v, row, col, s ? s->format : KH_NUMFMT_PLAIN, &go_on)) {
      continue;
    }
    if (unreadable++ == 0)
      first_row = (int)row + 1, first_col = (int)col + 1;
  }
  g_array_unref(order);
  if (unreadable)
    kh_csv_diag(kh_sheet_builder_table(b), g->diags, KH_ERROR, first_row, first_col,
                "无法读取此单元格的内容（本表共 %d 个这样的单元格），此 .xls 不能完整读取：" SAVE_AS_XLSX,
                unreadable);
}

/* Whether the strings of an SST record and its CONTINUE records (at
 * s->pos, just past the SST's header) fit: a string's characters may go
 * on in the next CONTINUE, which then starts with a new flags byte; its
 * formatting runs and phonetic data may too, without one. */
static bool sst_sound(const guint8 *body, guint16 len, stream *rest) {
  if (len < 8)
    return false;
  guint32 unique = u32(body + 4);
  const guint8 *seg = body + 8;
  gsize left = len - 8u;
  /* the next segment: the body of the CONTINUE record that follows */
  #define NEXT_SEGMENT()                                                          \
    do {                                                                          \
      guint16 t, n;                                                               \
      const guint8 *b;                                                            \
      if (!next_record(rest, &t, &b, &n) || t != 0x003C)                          \
        return false;                                                             \
      seg = b, left = n;                                                          \
    } while (0)
  for (guint32 i = 0; i < unique; i++) {
    if (left == 0)
      NEXT_SEGMENT();
    if (left < 3)
      return false;
    guint cch = u16(seg);
    guint8 flags = seg[2];
    gsize head = 3 + ((flags & 0x08) ? 2 : 0) + ((flags & 0x04) ? 4 : 0);
    if (left < head)
      return false;
    gsize runs = (flags & 0x08) ? 4u * u16(seg + 3) : 0;
    gsize ext = (flags & 0x04) ? u32(seg + 3 + ((flags & 0x08) ? 2 : 0)) : 0;
    seg += head, left -= head;
    bool high = flags & 1;
    while (cch > 0) {
      if (left == 0) {
        NEXT_SEGMENT();
        if (left < 1)
          return false;
        high = seg[0] & 1;
        seg++, left--;
      }
      gsize fit = MIN((gsize)cch, left / (high ? 2u : 1u));
      if (fit == 0)
        return false;
      seg += fit * (high ? 2u : 1u), left -= fit * (high ? 2u : 1u);
      cch -= (guint)fit;
    }
    for (gsize more = runs + ext; more > 0;) {
      if (left == 0)
        NEXT_SEGMENT();
      gsize take = MIN(more, left);
      seg += take, left -= take, more -= take;
    }
  }
  #undef NEXT_SEGMENT
  return true;
}

/* Whether every record FreeXL takes apart is as long as its content says:
 * FreeXL 1.0.6 trusts the lengths inside records (a FORMAT record whose
 * text is longer than the record made it read 128 KB past its buffer, found
 * by fuzz_workbook) and sizes its cell table by the DIMENSION record. */
static bool records_sound(const guint8 *data, gsize len) {
  stream s = {data, len, 0};
  guint16 type, n;
  const guint8 *b;
  while (next_record(&s, &type, &b, &n)) {
    bool ok = true;
    switch (type) {
    case REC_FORMAT:
    case REC_LABEL:
    case REC_RSTRING: {
      gsize skip = type == REC_FORMAT ? 2 : 6;
      char *text = n >= skip ? unicode_string(b + skip, n - skip) : NULL;
      ok = text != NULL;
      g_free(text);
      break;
    }
    case REC_BOUNDSHEET:
      ok = n >= 8 && (gsize)b[6] * ((b[7] & 1) ? 2u : 1u) <= n - 8u;
      break;
    case 0x00FC: /* SST */
      ok = sst_sound(b, n, &s);
      break;
    case 0x0200: /* DIMENSION: rows and columns the sheet uses */
      ok = n >= 14 && u32(b + 4) <= 65536 && u16(b + 10) <= 256 &&
           (guint64)u32(b + 4) * u16(b + 10) <= KH_CSV_MAX_CELLS;
      break;
    case REC_MULRK:
    case 0x00BE: /* MULBLANK */
      ok = n >= 6 && u16(b + n - 2) >= u16(b + 2) && u16(b + n - 2) < 256 &&
           (gsize)(u16(b + n - 2) - u16(b + 2) + 1) * (type == REC_MULRK ? 6u : 2u) + 6u == n;
      break;
    case REC_NUMBER:
    case REC_FORMULA:
      ok = n >= (type == REC_NUMBER ? 14 : 20) && u16(b + 2) < 256;
      break;
    case REC_RK:
    case REC_LABELSST:
    case REC_BOOLERR:
    case 0x0201: /* BLANK */
      ok = n >= (type == 0x0201 ? 6 : type == REC_BOOLERR ? 8 : 10) && u16(b + 2) < 256;
      break;
    case REC_XF:
      ok = n >= 4;
      break;
    default:
      break;
    }
    if (!ok)
      return false;
  }
  return true;
}

/* A new OLE file holding only the workbook stream, for FreeXL to read:
 * FreeXL 1.0.6 reads past its buffers on some damaged OLE containers
 * (found by fuzz_workbook), so it is never given the user's file, only
 * one libgsf has read and written again. Returns its path, or NULL
 * (refused). Caller unlinks and frees. */
static char *clean_copy(globals *g, const guint8 *wb, gsize len) {
  GError *err = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp("kaohe-xls-XXXXXX", &path, &err);
  if (fd < 0) {
    refuse(g, "无法写临时文件：%s", err->message);
    g_error_free(err);
    return NULL;
  }
  close(fd);
  GsfOutput *out = gsf_output_stdio_new(path, NULL);
  GsfOutfile *ole = out ? gsf_outfile_msole_new(out) : NULL;
  GsfOutput *stream = ole ? gsf_outfile_new_child(ole, "Workbook", FALSE) : NULL;
  bool ok = stream && gsf_output_write(stream, len, wb) && gsf_output_close(stream);
  ok = ole && gsf_output_close(GSF_OUTPUT(ole)) && ok;
  if (stream)
    g_object_unref(stream);
  if (ole)
    g_object_unref(ole);
  if (out)
    g_object_unref(out);
  if (!ok) {
    refuse(g, "无法写临时文件：%s", path);
    g_unlink(path);
    g_clear_pointer(&path, g_free);
  }
  return path;
}

static const char *freexl_problem(int status) {
  switch (status) {
  case FREEXL_INSUFFICIENT_MEMORY:
    return "内存不足";
  case FREEXL_BIFF_INVALID_SST:
  case FREEXL_BIFF_ILLEGAL_SST_INDEX:
    return "共享字符串表损坏";
  case FREEXL_INVALID_CHARACTER:
  case FREEXL_UNSUPPORTED_CHARSET:
    return "文字编码无法识别";
  default:
    return "文件已损坏或格式不受支持";
  }
}

kh_csv_table *kh_xls_parse(const char *path, const guint8 *data, gsize len,
                           const char *wanted, kh_diags *diags) {
  globals g = {.path = path, .diags = diags};
  g.sheets = g_array_new(FALSE, FALSE, sizeof(sheet_entry));
  g.xf_kinds = g_array_new(FALSE, FALSE, sizeof(kh_numfmt_kind));
  g.formats = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  gsize wb_len = 0;
  guint8 *wb = workbook_stream(&g, data, len, &wb_len);
  kh_csv_table *t = NULL;
  const void *xl = NULL;
  if (wb) {
    stream s = {wb, wb_len, 0};
    read_globals(&g, &s);
    if (!g.failed && !records_sound(wb, wb_len))
      refuse(&g, "无法作为 .xls 工作簿读取：文件已损坏（记录的长度与内容不符）");
  }
  const sheet_entry *sheet = g.failed ? NULL : find_sheet(&g, wanted);
  GHashTable *seen = sheet ? walk_sheet(&g, wb, wb_len, sheet->pos) : NULL;
  if (!g.failed) {
    char *clean = clean_copy(&g, wb, wb_len);
    int status = clean ? freexl_open(clean, &xl) : FREEXL_FILE_NOT_FOUND;
    if (clean)
      g_unlink(clean);
    g_free(clean);
    int index = status == FREEXL_OK ? freexl_sheet(xl, sheet->name) : -1;
    if (status != FREEXL_OK)
      refuse(&g, "无法作为 .xls 工作簿读取（%s）：" SAVE_AS_XLSX, freexl_problem(status));
    else if (index < 0 || freexl_select_active_worksheet(xl, (unsigned short)index) != FREEXL_OK)
      refuse(&g, "无法读取工作表“%s”：" SAVE_AS_XLSX, sheet->name);
  }
  if (!g.failed) {
    kh_sheet_builder *b = kh_sheet_builder_new(path, sheet->name, g.date1904, diags);
    read_cells(&g, xl, seen, b);
    t = kh_sheet_builder_finish(b);
  }
  if (xl)
    freexl_close(xl);
  if (seen)
    g_hash_table_destroy(seen);
  for (guint i = 0; i < g.sheets->len; i++)
    g_free(g_array_index(g.sheets, sheet_entry, i).name);
  g_array_unref(g.sheets);
  g_array_unref(g.xf_kinds);
  g_hash_table_destroy(g.formats);
  g_free(wb);
  return t;
}
