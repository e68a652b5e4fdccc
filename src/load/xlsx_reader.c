/* .xlsx: the first visible worksheet (workbook_reader.h).
 *
 * The package is opened from memory with minizip and each part is streamed
 * through libxml2's xmlTextReader, never loaded as a tree: a sheet of
 * millions of cells costs the cells, not the XML. Parts are found the way
 * the format says, through the relationships (_rels/.rels → the workbook →
 * its sheets, shared strings and styles), with names compared by local
 * name so that prefixed XML (`<x:c>`) and Strict OOXML read the same.
 *
 * Every part is held to KH_WORKBOOK_MAX_PART_BYTES unpacked, counted as it
 * is read (the sizes in a zip's directory can lie). */
#include "load/workbook_reader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <libxml/xmlreader.h>
#include <minizip/unzip.h>
#include <stdlib.h>
#include <string.h>

#include "load/sheet_table.h"

/* ---- the package, from memory ------------------------------------------- */

typedef struct {
  const guint8 *data;
  gsize len, pos;
} mem_file;

static voidpf ZCALLBACK mem_open(voidpf opaque, const char *name, int mode) {
  (void)name, (void)mode;
  mem_file *m = opaque;
  m->pos = 0;
  return m;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size) {
  (void)opaque;
  mem_file *m = stream;
  gsize n = MIN((gsize)size, m->len - m->pos);
  memcpy(buf, m->data + m->pos, n);
  m->pos += n;
  return (uLong)n;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size) {
  (void)opaque, (void)stream, (void)buf, (void)size;
  return 0;
}

static long ZCALLBACK mem_tell(voidpf opaque, voidpf stream) {
  (void)opaque;
  return (long)((mem_file *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, uLong offset, int origin) {
  (void)opaque;
  mem_file *m = stream;
  gsize base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0
               : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
                                                  : m->len;
  if (offset > m->len - base)
    return -1;
  m->pos = base + offset;
  return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream) {
  (void)opaque, (void)stream;
  return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream) {
  (void)opaque, (void)stream;
  return 0;
}

/* ---- parts --------------------------------------------------------------- */

typedef struct {
  const char *path; /* the workbook, for diagnostics */
  kh_diags *diags;
  unzFile zip;
  bool failed; /* a problem with the whole file was reported */
} package;

/* One part being read: the reader, and what its input callback saw. */
typedef struct {
  package *pkg;
  const char *name;
  xmlTextReaderPtr xml;
  gsize read;
  bool too_big, broken;
  char *xml_error; /* libxml2's first message, with its line */
} part;

static void fail(package *pkg, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void fail(package *pkg, const char *fmt, ...) {
  if (pkg->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  kh_diags_add(pkg->diags, KH_ERROR, pkg->path, 1, 1, NULL, "%s", message);
  g_free(message);
  pkg->failed = true;
}

static int read_part(void *ctx, char *buf, int size) {
  part *p = ctx;
  int n = unzReadCurrentFile(p->pkg->zip, buf, (unsigned)size);
  if (n < 0) {
    p->broken = true;
    return -1;
  }
  p->read += (gsize)n;
  if (p->read > KH_WORKBOOK_MAX_PART_BYTES) {
    p->too_big = true;
    return -1;
  }
  return n;
}

static void on_xml_error(void *ctx, xmlErrorPtr e) {
  part *p = ctx;
  if (!p->xml_error && e && e->level >= XML_ERR_ERROR)
    p->xml_error = g_strdup_printf("第 %d 行：%s", e->line, e->message ? g_strstrip(e->message) : "");
}

/* Opens the part `name`; false when the package has no such part (said
 * only when `required`) or it cannot be read (always said). */
static bool part_open(package *pkg, const char *name, bool required, part *p) {
  memset(p, 0, sizeof *p);
  p->pkg = pkg;
  p->name = name;
  if (unzLocateFile(pkg->zip, name, 2 /* case-insensitive */) != UNZ_OK) {
    if (required)
      fail(pkg, "工作簿已损坏：缺少“%s”部分", name);
    return false;
  }
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(pkg->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
    fail(pkg, "工作簿已损坏：无法读取“%s”部分", name);
    return false;
  }
  if (info.flag & 1) {
    fail(pkg, "工作簿已加密，无法读取：请在 Excel 或 WPS 中取消密码后另存");
    return false;
  }
  if (info.uncompressed_size > KH_WORKBOOK_MAX_PART_BYTES) {
    fail(pkg, "工作簿中的“%s”解压后超过 %u MB 的上限，未读取", name,
         KH_WORKBOOK_MAX_PART_BYTES >> 20);
    return false;
  }
  if (unzOpenCurrentFile(pkg->zip) != UNZ_OK) {
    fail(pkg, "工作簿已损坏：无法解压“%s”部分", name);
    return false;
  }
  p->xml = xmlReaderForIO(read_part, NULL, p, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!p->xml) {
    unzCloseCurrentFile(pkg->zip);
    fail(pkg, "内存不足，无法读取“%s”部分", name);
    return false;
  }
  xmlTextReaderSetStructuredErrorHandler(p->xml, on_xml_error, p);
  return true;
}

/* Closes the part; false when it turned out damaged or too big (said).
 * status: the last xmlTextReaderRead() result. */
static bool part_close(part *p, int status) {
  xmlFreeTextReader(p->xml);
  int crc = unzCloseCurrentFile(p->pkg->zip);
  bool ok = false;
  if (p->too_big)
    fail(p->pkg, "工作簿中的“%s”解压后超过 %u MB 的上限，未读取", p->name,
         KH_WORKBOOK_MAX_PART_BYTES >> 20);
  else if (p->broken || crc == UNZ_CRCERROR)
    fail(p->pkg, "工作簿已损坏：“%s”部分无法解压", p->name);
  else if (status < 0)
    fail(p->pkg, "工作簿已损坏：“%s”%s", p->name, p->xml_error ? p->xml_error : "不是有效的 XML");
  else
    ok = true;
  g_free(p->xml_error);
  return ok;
}

static bool is_element(xmlTextReaderPtr r, const char *local) {
  return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
         strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static bool is_end(xmlTextReaderPtr r, const char *local) {
  return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
         strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static bool is_text(xmlTextReaderPtr r) {
  int type = xmlTextReaderNodeType(r);
  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The attribute with this local name and no namespace; caller frees. */
static char *attr(xmlTextReaderPtr r, const char *name) {
  return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* The relationship id of an element (r:id in any namespace); caller frees. */
static char *relationship_id(xmlTextReaderPtr r) {
  char *id = NULL;
  for (int ok = xmlTextReaderMoveToFirstAttribute(r); ok == 1 && !id;
       ok = xmlTextReaderMoveToNextAttribute(r))
    if (strcmp((const char *)xmlTextReaderConstLocalName(r), "id") == 0 &&
        xmlTextReaderConstNamespaceUri(r))
      id = (char *)xmlTextReaderValue(r);
  xmlTextReaderMoveToElement(r);
  return id;
}

static bool is_true(const char *v) {
  return v && (strcmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0);
}

/* ---- relationships ----------------------------------------------------------- */

typedef struct {
  char *id, *type, *target; /* target: a part name in the package */
} relationship;

static void relationship_free(relationship *rel) {
  g_free(rel->id);
  g_free(rel->type);
  g_free(rel->target);
  g_free(rel);
}

/* The part a relationship of `source` points at: targets are relative to
 * the source's folder, or absolute from the package's root. */
static char *resolve(const char *source, const char *target) {
  GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
  if (target[0] != '/') {
    char *dir = g_path_get_dirname(source);
    char **segs = g_strsplit(dir, "/", -1);
    for (char **s = segs; *s; s++)
      if (**s && strcmp(*s, ".") != 0)
        g_ptr_array_add(parts, g_strdup(*s));
    g_strfreev(segs);
    g_free(dir);
  }
  char **segs = g_strsplit(target, "/", -1);
  for (char **s = segs; *s; s++) {
    if (!**s || strcmp(*s, ".") == 0)
      continue;
    if (strcmp(*s, "..") == 0) {
      if (parts->len)
        g_ptr_array_remove_index(parts, parts->len - 1);
    } else {
      g_ptr_array_add(parts, g_strdup(*s));
    }
  }
  g_strfreev(segs);
  g_ptr_array_add(parts, NULL);
  char *name = g_strjoinv("/", (char **)parts->pdata);
  g_ptr_array_unref(parts);
  return name;
}

/* The relationships of part `source` (from its _rels/NAME.rels), or NULL
 * when there are none. */
static GPtrArray *read_relationships(package *pkg, const char *source) {
  char *dir = g_path_get_dirname(source);
  char *base = g_path_get_basename(source);
  char *name = strcmp(dir, ".") == 0 ? g_strdup_printf("_rels/%s.rels", base)
                                     : g_strdup_printf("%s/_rels/%s.rels", dir, base);
  g_free(dir);
  g_free(base);
  part p;
  GPtrArray *rels = NULL;
  if (part_open(pkg, name, false, &p)) {
    rels = g_ptr_array_new_with_free_func((GDestroyNotify)relationship_free);
    int status;
    while ((status = xmlTextReaderRead(p.xml)) == 1) {
      if (!is_element(p.xml, "Relationship"))
        continue;
      char *mode = attr(p.xml, "TargetMode");
      relationship *rel = g_new0(relationship, 1);
      rel->id = attr(p.xml, "Id");
      rel->type = attr(p.xml, "Type");
      char *target = attr(p.xml, "Target");
      if (target && !(mode && strcmp(mode, "External") == 0))
        rel->target = resolve(source, target);
      xmlFree(target);
      xmlFree(mode);
      if (rel->id && rel->type && rel->target)
        g_ptr_array_add(rels, rel);
      else
        relationship_free(rel);
    }
    if (!part_close(&p, status))
      g_clear_pointer(&rels, g_ptr_array_unref);
  }
  g_free(name);
  return rels;
}

static const relationship *find_rel(GPtrArray *rels, const char *id, const char *type_suffix) {
  for (guint i = 0; rels && i < rels->len; i++) {
    const relationship *rel = g_ptr_array_index(rels, i);
    if (id && strcmp(rel->id, id) != 0)
      continue;
    if (type_suffix && !g_str_has_suffix(rel->type, type_suffix))
      continue;
    return rel;
  }
  return NULL;
}

/* ---- the workbook -------------------------------------------------------- */

typedef struct {
  char *part;    /* the workbook part, usually xl/workbook.xml */
  char *sheet;   /* the first visible worksheet's name */
  char *sheet_part;
  char *strings_part, *styles_part; /* NULL when absent */
  bool date1904, full_calc_on_load;
} workbook;

static void workbook_clear(workbook *wb) {
  g_free(wb->part);
  g_free(wb->sheet);
  g_free(wb->sheet_part);
  g_free(wb->strings_part);
  g_free(wb->styles_part);
}

/* Finds the workbook part and, in it, the worksheet called `wanted` (even
 * hidden), or when wanted is NULL the first visible one. */
static bool read_workbook(package *pkg, workbook *wb, const char *wanted) {
  GPtrArray *root = read_relationships(pkg, "");
  if (pkg->failed)
    return false;
  const relationship *doc = find_rel(root, NULL, "/officeDocument");
  wb->part = g_strdup(doc ? doc->target : "xl/workbook.xml");
  if (root)
    g_ptr_array_unref(root);
  GPtrArray *rels = read_relationships(pkg, wb->part);
  if (!rels) {
    fail(pkg, "工作簿已损坏：缺少“%s”的关系部分", wb->part);
    return false;
  }
  const relationship *strings = find_rel(rels, NULL, "/sharedStrings");
  const relationship *styles = find_rel(rels, NULL, "/styles");
  wb->strings_part = strings ? g_strdup(strings->target) : NULL;
  wb->styles_part = styles ? g_strdup(styles->target) : NULL;

  part p;
  if (!part_open(pkg, wb->part, true, &p)) {
    g_ptr_array_unref(rels);
    return false;
  }
  int status, sheets = 0;
  while ((status = xmlTextReaderRead(p.xml)) == 1) {
    if (is_element(p.xml, "workbookPr")) {
      char *v = attr(p.xml, "date1904");
      wb->date1904 = is_true(v);
      xmlFree(v);
    } else if (is_element(p.xml, "calcPr")) {
      char *v = attr(p.xml, "fullCalcOnLoad");
      wb->full_calc_on_load = is_true(v);
      xmlFree(v);
    } else if (is_element(p.xml, "sheet") && !wb->sheet) {
      sheets++;
      char *name = attr(p.xml, "name"), *state = attr(p.xml, "state");
      char *id = relationship_id(p.xml);
      const relationship *rel = id ? find_rel(rels, id, "/worksheet") : NULL;
      bool chosen = wanted ? name && strcmp(name, wanted) == 0
                           : !state || strcmp(state, "visible") == 0;
      if (name && name[0] && rel && chosen) {
        wb->sheet = g_strdup(name);
        wb->sheet_part = g_strdup(rel->target);
      }
      xmlFree(name);
      xmlFree(state);
      xmlFree(id);
    }
  }
  g_ptr_array_unref(rels);
  if (!part_close(&p, status))
    return false;
  if (!wb->sheet && wanted)
    fail(pkg, "工作簿中没有名为“%s”的工作表", wanted);
  else if (!wb->sheet)
    fail(pkg, sheets ? "工作簿中没有可见的工作表（%d 张表都已隐藏或不是工作表）"
                     : "工作簿中没有工作表",
         sheets);
  return !pkg->failed;
}

/* ---- shared strings and styles -------------------------------------------- */

/* The shared strings, in order (in `chunk`). Rich strings are the text of
 * their runs; phonetic guides (rPh) are not part of the text. */
static GPtrArray *read_strings(package *pkg, const char *name, GStringChunk *chunk) {
  GPtrArray *strings = g_ptr_array_new();
  part p;
  if (!name || !part_open(pkg, name, false, &p))
    return strings;
  GString *s = g_string_new(NULL);
  int status, phonetic = 0;
  bool in_text = false, in_item = false;
  while ((status = xmlTextReaderRead(p.xml)) == 1) {
    if (is_element(p.xml, "si")) {
      g_string_truncate(s, 0);
      in_item = true;
      if (xmlTextReaderIsEmptyElement(p.xml)) {
        g_ptr_array_add(strings, g_string_chunk_insert(chunk, ""));
        in_item = false;
      }
    } else if (is_end(p.xml, "si") && in_item) {
      g_ptr_array_add(strings, g_string_chunk_insert_len(chunk, s->str, (gssize)s->len));
      in_item = false;
    } else if (is_element(p.xml, "rPh") && !xmlTextReaderIsEmptyElement(p.xml)) {
      phonetic++;
    } else if (is_end(p.xml, "rPh")) {
      phonetic--;
    } else if (is_element(p.xml, "t")) {
      in_text = !xmlTextReaderIsEmptyElement(p.xml);
    } else if (is_end(p.xml, "t")) {
      in_text = false;
    } else if (in_text && in_item && phonetic == 0 && is_text(p.xml) &&
               s->len <= KH_MAX_CELL_BYTES) {
      g_string_append(s, (const char *)xmlTextReaderConstValue(p.xml));
    }
    if (strings->len > KH_CSV_MAX_CELLS) {
      fail(pkg, "工作簿的共享字符串超过 %u 个的上限", KH_CSV_MAX_CELLS);
      break;
    }
  }
  g_string_free(s, TRUE);
  part_close(&p, status);
  return strings;
}

/* What each cell format (the s of a cell, an index in cellXfs) does to a
 * number. */
static GArray *read_styles(package *pkg, const char *name) {
  GArray *kinds = g_array_new(FALSE, FALSE, sizeof(kh_numfmt_kind));
  part p;
  if (!name || !part_open(pkg, name, false, &p))
    return kinds;
  GHashTable *codes = g_hash_table_new_full(NULL, NULL, NULL, xmlFree); /* id → code */
  int status;
  bool in_cell_xfs = false;
  while ((status = xmlTextReaderRead(p.xml)) == 1) {
    if (is_element(p.xml, "numFmt")) {
      char *id = attr(p.xml, "numFmtId"), *code = attr(p.xml, "formatCode");
      if (id && code)
        g_hash_table_replace(codes, GINT_TO_POINTER(atoi(id)), code);
      else
        xmlFree(code);
      xmlFree(id);
    } else if (is_element(p.xml, "cellXfs")) {
      in_cell_xfs = !xmlTextReaderIsEmptyElement(p.xml);
    } else if (is_end(p.xml, "cellXfs")) {
      in_cell_xfs = false;
    } else if (in_cell_xfs && is_element(p.xml, "xf") && kinds->len < 65536) {
      char *v = attr(p.xml, "numFmtId");
      int id = v ? atoi(v) : 0;
      xmlFree(v);
      kh_numfmt_kind kind = kh_numfmt_classify(id, g_hash_table_lookup(codes, GINT_TO_POINTER(id)));
      g_array_append_val(kinds, kind);
    }
  }
  g_hash_table_destroy(codes);
  part_close(&p, status);
  return kinds;
}

/* ---- the sheet ----------------------------------------------------------- */

/* Row and column (1-based) of a reference like "AB12"; false if it is not
 * one. A reference without its row ("AB") leaves *row alone. */
static bool parse_ref(const char *ref, int *row, int *col) {
  const char *p = ref;
  int c = 0;
  while (g_ascii_isalpha(*p) && c <= 16384)
    c = c * 26 + (g_ascii_toupper(*p++) - 'A' + 1);
  if (c == 0 || c > 16384)
    return false;
  if (*p) {
    char *end;
    errno = 0;
    long r = strtol(p, &end, 10);
    if (*end || errno || r < 1 || r > 1048576 || !g_ascii_isdigit(*p))
      return false;
    *row = (int)r;
  }
  *col = c;
  return true;
}

/* The cell being read. */
typedef struct {
  int row, col;
  char *type;  /* the t attribute, or NULL */
  int style;   /* the s attribute */
  bool formula, has_value;
  GString *value; /* <v>, or the text of <is> */
} cell;

typedef struct {
  package *pkg;
  const workbook *wb;
  kh_sheet_builder *b;
  GPtrArray *strings;
  GArray *styles;
  int formulas;                 /* formula cells seen */
  int uncached, first_uncached_row, first_uncached_col;
  int first_formula_row, first_formula_col;
} sheet_state;

static void cell_error(sheet_state *st, const cell *c, const char *message) {
  kh_csv_diag(kh_sheet_builder_table(st->b), st->pkg->diags, KH_ERROR, c->row, c->col,
              "%s", message);
}

/* Stores a finished cell; false once reading should stop. */
static bool store_cell(sheet_state *st, cell *c) {
  const char *t = c->type ? c->type : "n";
  const char *v = c->value->str;
  if (c->formula) {
    if (st->formulas++ == 0)
      st->first_formula_row = c->row, st->first_formula_col = c->col;
    /* An empty <v> is a cached empty text only in a text result. */
    if (!c->has_value || (!v[0] && strcmp(t, "str") != 0)) {
      if (st->uncached++ == 0)
        st->first_uncached_row = c->row, st->first_uncached_col = c->col;
      return true;
    }
  } else if (!c->has_value) {
    return true; /* a formatted empty cell */
  }
  if (strcmp(t, "s") == 0) {
    char *end;
    errno = 0;
    unsigned long i = strtoul(v, &end, 10);
    if (!v[0] || *end || errno || i >= st->strings->len) {
      cell_error(st, c, "共享字符串编号无效（文件已损坏）");
      return true;
    }
    const char *s = g_ptr_array_index(st->strings, i);
    return kh_sheet_add_text(st->b, c->row, c->col, s, strlen(s));
  }
  if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0 || strcmp(t, "e") == 0 ||
      strcmp(t, "d") == 0)
    return kh_sheet_add_text(st->b, c->row, c->col, v, c->value->len);
  if (strcmp(t, "b") == 0) {
    const char *b = strcmp(g_strstrip(c->value->str), "1") == 0 ? "TRUE" : "FALSE";
    return kh_sheet_add_text(st->b, c->row, c->col, b, strlen(b));
  }
  if (strcmp(t, "n") != 0) {
    cell_error(st, c, "单元格类型无效（文件已损坏）");
    return true;
  }
  char *end;
  double x = g_ascii_strtod(g_strstrip(c->value->str), &end);
  if (!v[0] || *end || !isfinite(x)) {
    cell_error(st, c, "数值单元格的内容无效（文件已损坏）");
    return true;
  }
  kh_numfmt_kind kind = c->style >= 0 && (guint)c->style < st->styles->len
                            ? g_array_index(st->styles, kh_numfmt_kind, c->style)
                            : KH_NUMFMT_PLAIN;
  return kh_sheet_add_number(st->b, c->row, c->col, x, kind);
}

/* Reads the sheet's cells into st->b; false when the part was unreadable. */
static bool read_cells(sheet_state *st) {
  part p;
  if (!part_open(st->pkg, st->wb->sheet_part, true, &p))
    return false;
  cell c = {.value = g_string_new(NULL)};
  int row = 0, col = 0, status, phonetic = 0;
  bool in_cell = false, capture = false, in_inline = false, go_on = true;
  while (go_on && (status = xmlTextReaderRead(p.xml)) == 1) {
    xmlTextReaderPtr r = p.xml;
    if (is_element(r, "row")) {
      char *v = attr(r, "r");
      long n = v ? strtol(v, NULL, 10) : 0;
      row = n >= 1 && n <= 1048576 ? (int)n : row + 1;
      col = 0;
      xmlFree(v);
    } else if (is_element(r, "c")) {
      char *ref = attr(r, "r"), *s = attr(r, "s");
      g_free(c.type);
      c.type = attr(r, "t");
      c.style = s ? atoi(s) : 0;
      c.formula = c.has_value = false;
      g_string_truncate(c.value, 0);
      c.row = MAX(row, 1);
      c.col = col + 1;
      if (ref && !parse_ref(ref, &c.row, &c.col)) {
        kh_csv_diag(kh_sheet_builder_table(st->b), st->pkg->diags, KH_ERROR, c.row, c.col,
                    "单元格地址“%s”无效（文件已损坏）", ref);
      }
      row = c.row;
      col = c.col;
      xmlFree(ref);
      xmlFree(s);
      in_cell = !xmlTextReaderIsEmptyElement(r);
      if (!in_cell)
        go_on = store_cell(st, &c);
    } else if (!in_cell) {
      continue;
    } else if (is_end(r, "c")) {
      in_cell = false;
      go_on = store_cell(st, &c);
    } else if (is_element(r, "f")) {
      c.formula = true;
    } else if (is_element(r, "v")) {
      c.has_value = true;
      capture = !xmlTextReaderIsEmptyElement(r);
    } else if (is_end(r, "v")) {
      capture = false;
    } else if (is_element(r, "is")) {
      c.has_value = true;
      in_inline = !xmlTextReaderIsEmptyElement(r);
    } else if (is_end(r, "is")) {
      in_inline = false;
    } else if (in_inline && is_element(r, "t")) {
      capture = !xmlTextReaderIsEmptyElement(r);
    } else if (in_inline && is_end(r, "t")) {
      capture = false;
    } else if (in_inline && is_element(r, "rPh")) {
      phonetic += !xmlTextReaderIsEmptyElement(r); /* a guide is not the text */
    } else if (in_inline && is_end(r, "rPh")) {
      phonetic--;
    } else if (capture && phonetic == 0 && is_text(r) && c.value->len <= KH_MAX_CELL_BYTES) {
      g_string_append(c.value, (const char *)xmlTextReaderConstValue(r));
    }
  }
  g_free(c.type);
  g_string_free(c.value, TRUE);
  return part_close(&p, go_on ? status : 0);
}

/* The formula cells whose results cannot be used, said once per sheet at
 * the first of them. */
static void report_formulas(sheet_state *st) {
  const kh_csv_table *t = kh_sheet_builder_table(st->b);
  if (st->wb->full_calc_on_load && st->formulas > 0)
    kh_csv_diag(t, st->pkg->diags, KH_ERROR, st->first_formula_row, st->first_formula_col,
                "公式的结果不可信：写出此工作簿的程序不计算公式，只标记了“打开时重新计算”"
                "（本表共 %d 个公式单元格）。请用 Excel 或 WPS 打开此文件并保存后再读取",
                st->formulas);
  else if (st->uncached > 0)
    kh_csv_diag(t, st->pkg->diags, KH_ERROR, st->first_uncached_row, st->first_uncached_col,
                "公式没有计算结果（本表共 %d 个这样的单元格）：请用 Excel 或 WPS "
                "打开此文件并保存后再读取",
                st->uncached);
}

kh_csv_table *kh_xlsx_parse(const char *path, const guint8 *data, gsize len,
                            const char *sheet, kh_diags *diags) {
  mem_file mem = {data, len, 0};
  zlib_filefunc_def io = {mem_open, mem_read, mem_write, mem_tell, mem_seek,
                          mem_close, mem_error, &mem};
  package pkg = {path, diags, unzOpen2(path, &io), false};
  if (!pkg.zip) {
    fail(&pkg, "无法作为 .xlsx 工作簿读取：文件已损坏（zip 结构不完整）");
    return NULL;
  }
  workbook wb = {0};
  kh_csv_table *t = NULL;
  if (read_workbook(&pkg, &wb, sheet)) {
    sheet_state st = {.pkg = &pkg, .wb = &wb};
    GStringChunk *chunk = g_string_chunk_new(64 * 1024);
    st.strings = read_strings(&pkg, wb.strings_part, chunk);
    st.styles = read_styles(&pkg, wb.styles_part);
    st.b = kh_sheet_builder_new(path, wb.sheet, wb.date1904, diags);
    if (!pkg.failed && read_cells(&st)) {
      report_formulas(&st);
      t = kh_sheet_builder_finish(st.b);
    } else {
      kh_sheet_builder_free(st.b);
    }
    g_ptr_array_unref(st.strings);
    g_array_unref(st.styles);
    g_string_chunk_free(chunk);
  }
  workbook_clear(&wb);
  unzClose(pkg.zip);
  return t;
}
