/* Fonts, composition, subsetting and libharu output (pdf.h). */
#include "render/layout/pdf.h"

#include <hpdf.h>
#include <math.h>
#include <string.h>

#include "render/layout/canvas.h"
#include "render/layout/compose.h"
#include "render/layout/pdf_font.h"
#include "render/layout/pdf_objects.h"
#include "render/layout/pdfa.h"
#include "render/layout/subset.h"

#define MISSING_SHOWN 20 /* characters listed per face in a warning */
#define CREATOR "kaohe"

/* libharu reports errors through a callback: the first one is kept. */
typedef struct {
  HPDF_STATUS error, detail;
} hpdf_status;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data) {
  hpdf_status *st = data;
  if (!st->error) {
    st->error = error;
    st->detail = detail;
  }
}

static void hpdf_failed(const hpdf_status *st, const char *path, kh_diags *diags) {
  kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
               "libharu 生成 PDF 时出错（错误码 0x%04X，详细码 %u）", (unsigned)st->error,
               (unsigned)st->detail);
}

/* Warns that face f lacks the characters of `missing`. */
static void warn_missing(const kh_fontset *fs, int f, hb_set_t *missing,
                         const char *path, kh_diags *diags) {
  GString *list = g_string_new(NULL);
  int shown = 0;
  for (hb_codepoint_t cp = HB_SET_VALUE_INVALID;
       shown < MISSING_SHOWN && hb_set_next(missing, &cp); shown++) {
    if (shown)
      g_string_append(list, "、");
    g_string_append_unichar(list, cp);
    g_string_append_printf(list, "（U+%04X）", cp);
  }
  kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL,
               "字体“%s”没有这些字符，印出来会是空框：%s%s", kh_fontset_family(fs, f),
               list->str, hb_set_get_population(missing) > MISSING_SHOWN ? "等" : "");
  g_string_free(list, TRUE);
}

/* The code points each font slot must hold, one hb_set per slot (a
 * character a face lacks is drawn from the fallback chain,
 * kh_fontset_char_slot); warns about characters no face has. Caller
 * destroys the sets and frees the array. */
static hb_set_t **used_chars(const kh_canvas *c, const kh_fontset *fs,
                             const char *path, kh_diags *diags) {
  int n = kh_fontset_n_slots(fs);
  hb_set_t **sets = g_new0(hb_set_t *, n);
  for (int s = 0; s < n; s++)
    sets[s] = hb_set_create();
  hb_set_t *missing[KH_LAYOUT_N_FACES];
  for (int f = 0; f < KH_LAYOUT_N_FACES; f++)
    missing[f] = hb_set_create();
  for (guint p = 0; p < c->pages->len; p++) {
    const kh_page *pg = g_ptr_array_index(c->pages, p);
    for (guint i = 0; i < pg->ops->len; i++) {
      const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
      if (op->kind != KH_OP_TEXT)
        continue;
      for (const char *t = op->text; *t; t = g_utf8_next_char(t)) {
        gunichar uc = g_utf8_get_char(t);
        int s = kh_fontset_char_slot(fs, op->face, uc);
        hb_set_add(sets[s], uc);
        if (uc != ' ' && !kh_fontset_slot_has(fs, s, uc))
          hb_set_add(missing[op->face], uc);
      }
    }
  }
  for (int f = 0; f < KH_LAYOUT_N_FACES; f++) {
    if (!hb_set_is_empty(missing[f]))
      warn_missing(fs, f, missing[f], path, diags);
    hb_set_destroy(missing[f]);
  }
  return sets;
}

/* A text entry of the Info dictionary as UTF-16BE with a byte-order mark:
 * libharu's own conversion mangles three-byte UTF-8. */
static bool set_info_text(HPDF_Doc pdf, const char *key, const char *value) {
  if (!value || !*value)
    return true;
  glong n = 0;
  gunichar2 *u = g_utf8_to_utf16(value, -1, NULL, &n, NULL);
  if (!u)
    return false;
  guint8 *bytes = g_new(guint8, 2 * n + 2);
  bytes[0] = 0xFE, bytes[1] = 0xFF;
  for (glong i = 0; i < n; i++)
    bytes[2 + 2 * i] = (guint8)(u[i] >> 8), bytes[3 + 2 * i] = (guint8)(u[i] & 0xFF);
  bool ok = kh_pdfo_info_bytes(pdf, key, bytes, 2 * n + 2);
  g_free(bytes);
  g_free(u);
  return ok;
}

static bool set_info(HPDF_Doc pdf, const kh_pdf_info *info) {
  HPDF_Date date = kh_pdf_date(info->created);
  return HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, CREATOR) == HPDF_OK &&
         HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date) == HPDF_OK &&
         HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date) == HPDF_OK &&
         set_info_text(pdf, "Title", info->title) && set_info_text(pdf, "Author", info->author) &&
         set_info_text(pdf, "Subject", info->subject);
}

/* Adds an integer to the digest, in little-endian bytes. */
static void sum_int(GChecksum *sum, gint64 v) {
  gint64 le = GINT64_TO_LE(v);
  g_checksum_update(sum, (const guchar *)&le, sizeof le);
}

/* Adds a length in points to the digest as whole thousandths of a point:
 * what the layout decided, to 0.001 pt, without printing every number (a
 * notice of 1,500 townships has tens of thousands of operations). Canvas
 * numbers are finite (canvas.h). */
static void sum_points(GChecksum *sum, double v) { sum_int(sum, (gint64)llround(v * 1000)); }

/* Adds a string and its end to the digest. */
static void sum_text(GChecksum *sum, const char *s) {
  s = s ? s : "";
  g_checksum_update(sum, (const guchar *)s, (gssize)strlen(s) + 1);
}

/* A digest of everything laid out and of the document information: the
 * trailer ID, the same for the same content. */
static void content_id(const kh_canvas *c, const kh_fontset *fs, const kh_pdf_info *info,
                       bool pdfa, guint8 id[16]) {
  GChecksum *sum = g_checksum_new(G_CHECKSUM_MD5);
  for (guint p = 0; p < c->pages->len; p++) {
    const kh_page *pg = g_ptr_array_index(c->pages, p);
    sum_int(sum, pg->number);
    sum_int(sum, pg->landscape);
    for (guint i = 0; i < pg->ops->len; i++) {
      const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
      const double points[] = {op->x,          op->y,      op->x2,      op->y2,
                               op->line_width, op->size,   op->char_space, op->hscale,
                               op->color.r,    op->color.g, op->color.b};
      sum_int(sum, op->kind);
      for (guint k = 0; k < G_N_ELEMENTS(points); k++)
        sum_points(sum, points[k]);
      sum_int(sum, op->rotated);
      sum_text(sum, op->kind == KH_OP_TEXT ? kh_fontset_family(fs, op->face) : "");
      sum_text(sum, op->text);
    }
  }
  sum_text(sum, info->title);
  sum_text(sum, info->author);
  sum_text(sum, info->subject);
  sum_int(sum, (gint64)info->created);
  sum_int(sum, pdfa);
  gsize len = 16;
  g_checksum_get_digest(sum, id, &len);
  g_checksum_free(sum);
}

/* The fonts of a document as embedded, by slot: their parts (glyph IDs)
 * and their PDF objects; NULL for a slot that sets nothing. */
typedef struct {
  kh_pdf_font **parts;
  kh_pdfo_font **objects;
} embedded;

/* What is currently set in a page's content stream, so operators are
 * written only when a value changes. */
typedef struct {
  int slot;
  float size, char_space, hscale, line_width;
  kh_rgb fill, stroke;
  bool fill_set, stroke_set, in_text;
} pen;

/* A number as the content stream has it: at most four decimals, without
 * trailing zeros, whatever the locale; then a space. */
static void put_num(GString *s, double v) {
  gint64 n = llround(v * 10000);
  if (n < 0)
    g_string_append_c(s, '-'), n = -n;
  g_string_append_printf(s, "%" G_GINT64_FORMAT, n / 10000);
  int frac = (int)(n % 10000);
  if (frac) {
    char digits[5];
    g_snprintf(digits, sizeof digits, "%04d", frac);
    int len = 4;
    while (digits[len - 1] == '0')
      len--;
    g_string_append_c(s, '.');
    g_string_append_len(s, digits, len);
  }
  g_string_append_c(s, ' ');
}

static void put_rgb(GString *s, kh_rgb c, const char *op) {
  put_num(s, c.r);
  put_num(s, c.g);
  put_num(s, c.b);
  g_string_append(s, op);
}

static bool same_rgb(kh_rgb a, kh_rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

static void fill_color(GString *s, pen *st, kh_rgb c) {
  if (!st->fill_set || !same_rgb(st->fill, c))
    put_rgb(s, c, "rg\n");
  st->fill = c;
  st->fill_set = true;
}

/* The glyph IDs of a run as a hex string and the operator that shows it. */
static void put_glyphs(GString *s, const GArray *glyphs) {
  static const char hex[] = "0123456789ABCDEF";
  g_string_append_c(s, '<');
  for (guint i = 0; i < glyphs->len; i++) {
    unsigned g = g_array_index(glyphs, guint16, i);
    char h[4] = {hex[g >> 12 & 15], hex[g >> 8 & 15], hex[g >> 4 & 15], hex[g & 15]};
    g_string_append_len(s, h, 4);
  }
  g_string_append(s, "> Tj\n");
  g_array_set_size((GArray *)glyphs, 0);
}

/* Switches to the slot's font at the op's size. */
static void set_font(GString *s, pen *st, int slot, float size, bool *used) {
  if (slot == st->slot && size == st->size)
    return;
  g_string_append_printf(s, "/F%d ", slot);
  put_num(s, size);
  g_string_append(s, "Tf\n");
  st->slot = slot, st->size = size;
  used[slot] = true;
}

/* One text operation: its characters as glyph IDs, run by run of the slot
 * that draws them (a character a face lacks comes from the fallback
 * chain); the text position moves on by the glyphs' widths between runs. */
static void emit_text(GString *s, pen *st, const kh_draw_op *op, const kh_fontset *fs,
                      const embedded *e, bool *used, GArray *glyphs) {
  if (!st->in_text)
    g_string_append(s, "BT\n");
  st->in_text = true;
  if (op->char_space != st->char_space) {
    put_num(s, op->char_space);
    g_string_append(s, "Tc\n");
  }
  if (op->hscale != st->hscale) {
    put_num(s, op->hscale);
    g_string_append(s, "Tz\n");
  }
  st->char_space = op->char_space, st->hscale = op->hscale;
  fill_color(s, st, op->color);
  g_string_append(s, op->rotated ? "0 -1 1 0 " : "1 0 0 1 ");
  put_num(s, op->x);
  put_num(s, op->y);
  g_string_append(s, "Tm\n");
  int run = -1;
  for (const char *t = op->text; *t; t = g_utf8_next_char(t)) {
    gunichar uc = g_utf8_get_char(t);
    int slot = kh_fontset_char_slot(fs, op->face, uc);
    if (slot != run && glyphs->len)
      put_glyphs(s, glyphs);
    if (slot != run)
      set_font(s, st, slot, op->size, used);
    run = slot;
    guint16 g = (guint16)kh_pdf_font_glyph(e->parts[slot], uc);
    g_array_append_val(glyphs, g);
  }
  if (glyphs->len)
    put_glyphs(s, glyphs);
}

static void emit_line(GString *s, pen *st, const kh_draw_op *op) {
  if (op->line_width != st->line_width) {
    put_num(s, op->line_width);
    g_string_append(s, "w\n");
    st->line_width = op->line_width;
  }
  if (!st->stroke_set || !same_rgb(st->stroke, op->color))
    put_rgb(s, op->color, "RG\n");
  st->stroke = op->color, st->stroke_set = true;
  put_num(s, op->x);
  put_num(s, op->y);
  g_string_append(s, "m ");
  put_num(s, op->x2);
  put_num(s, op->y2);
  g_string_append(s, "l S\n");
}

/* A page's content stream and the font slots it uses. */
static void page_content(GString *s, const kh_page *pg, const kh_fontset *fs, const embedded *e,
                         bool *used, GArray *glyphs) {
  pen st = {.slot = -1, .size = -1, .char_space = 0, .hscale = 100, .line_width = 1};
  for (guint i = 0; i < pg->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
    if (op->kind == KH_OP_TEXT) {
      emit_text(s, &st, op, fs, e, used, glyphs);
      continue;
    }
    if (st.in_text)
      g_string_append(s, "ET\n");
    st.in_text = false;
    if (op->kind == KH_OP_LINE) {
      emit_line(s, &st, op);
    } else {
      fill_color(s, &st, op->color);
      put_num(s, op->x);
      put_num(s, op->y);
      put_num(s, op->x2);
      put_num(s, op->y2);
      g_string_append(s, "re f\n");
    }
  }
  if (st.in_text)
    g_string_append(s, "ET\n");
}

static bool emit_page(HPDF_Doc pdf, const kh_page *pg, const kh_fontset *fs,
                      const embedded *e, GString *ops, GArray *glyphs) {
  HPDF_Page page = HPDF_AddPage(pdf);
  if (!page)
    return false;
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  int n = kh_fontset_n_slots(fs);
  bool *used = g_new0(bool, n);
  g_string_truncate(ops, 0);
  if (pg->landscape) {
    /* A landscape page is a portrait sheet with its content turned, the
     * table's top at the binding edge, and /Rotate 90 shows it upright on
     * screen: a printer gets a portrait page, so no driver's auto-rotation
     * can turn it either way (page.h). Landscape (x, y) lands at portrait
     * (W - y, x). */
    HPDF_Page_SetRotate(page, 90);
    g_string_append(ops, "q 0 1 -1 0 ");
    put_num(ops, HPDF_Page_GetWidth(page));
    g_string_append(ops, "0 cm\n");
  }
  page_content(ops, pg, fs, e, used, glyphs);
  if (pg->landscape)
    g_string_append(ops, "Q\n");
  bool ok = kh_pdfo_page_fonts(page, e->objects, used, n) &&
            kh_pdfo_page_content(page, ops->str, ops->len);
  g_free(used);
  return ok;
}

/* The finished document from libharu's memory stream. Caller frees. */
static guint8 *saved_bytes(HPDF_Doc pdf, gsize *len) {
  if (HPDF_SaveToStream(pdf) != HPDF_OK)
    return NULL;
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
  guint8 *buf = g_malloc(size + 1);
  HPDF_UINT32 done = 0;
  while (done < size) {
    HPDF_UINT32 n = size - done;
    HPDF_STATUS st = HPDF_ReadFromStream(pdf, buf + done, &n);
    done += n;
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0)
      break;
  }
  if (done != size) {
    g_free(buf);
    return NULL;
  }
  *len = size;
  return buf;
}

/* Cuts each font slot down to its characters and embeds it; false with
 * an error. */
static bool embed_fonts(HPDF_Doc pdf, const kh_fontset *fs, hb_set_t **sets, bool pdfa,
                        embedded *e, const char *path, kh_diags *diags) {
  int n = kh_fontset_n_slots(fs);
  for (int s = 0; s < n; s++) {
    if (hb_set_is_empty(sets[s]))
      continue;
    char *error = NULL;
    hb_face_t *full = kh_fontset_slot_face(fs, s);
    hb_face_t *subset = kh_subset_face(full, kh_fontset_slot_file(fs, s),
                                       (unsigned)kh_fontset_slot_index(fs, s), sets[s], &error);
    if (subset) {
      e->parts[s] = kh_pdf_font_new(subset, full);
      hb_face_destroy(subset);
      e->objects[s] = kh_pdfo_font_embed(pdf, e->parts[s], pdfa);
      if (!e->objects[s])
        error = g_strdup("libharu 无法写入字体对象");
    }
    if (error) {
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法嵌入字体“%s”：%s",
                   kh_fontset_slot_family(fs, s), error);
      g_free(error);
      return false;
    }
  }
  return true;
}

/* Embeds the fonts, draws the pages, adds info, ID and PDF/A parts and
 * writes the file. */
static bool write_pdf(const kh_doc *doc, const kh_fontset *fs, const kh_canvas *c,
                      const char *path, kh_diags *diags) {
  hpdf_status st = {0};
  HPDF_Doc pdf = HPDF_New(on_error, &st);
  if (!pdf) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "内存不足，无法生成 PDF");
    return false;
  }
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  kh_pdf_info info = {doc->info_title, doc->info_author, doc->info_subject, CREATOR,
                      doc->created};
  int n = kh_fontset_n_slots(fs);
  hb_set_t **sets = used_chars(c, fs, path, diags);
  embedded e = {g_new0(kh_pdf_font *, n), g_new0(kh_pdfo_font *, n)};
  char *error = NULL;
  bool ok = embed_fonts(pdf, fs, sets, doc->pdfa, &e, path, diags);
  if (ok && !set_info(pdf, &info)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "libharu 无法写入文档信息");
    ok = false;
  }
  GString *ops = g_string_new(NULL);
  GArray *glyphs = g_array_new(FALSE, FALSE, sizeof(guint16));
  for (guint p = 0; ok && p < c->pages->len; p++)
    if (!emit_page(pdf, g_ptr_array_index(c->pages, p), fs, &e, ops, glyphs)) {
      hpdf_failed(&st, path, diags);
      ok = false;
    }
  g_string_free(ops, TRUE);
  g_array_unref(glyphs);
  guint8 id[16];
  content_id(c, fs, &info, doc->pdfa, id);
  if (ok && !kh_pdfo_set_id(pdf, id)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "libharu 无法写入文档标识（ID）");
    ok = false;
  }
  if (ok && doc->pdfa && !kh_pdfa_apply(pdf, &info, &error)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "%s", error);
    g_clear_pointer(&error, g_free);
    ok = false;
  }
  gsize len = 0;
  guint8 *bytes = ok && !st.error ? saved_bytes(pdf, &len) : NULL;
  if (ok && !bytes) {
    hpdf_failed(&st, path, diags);
    ok = false;
  }
  GError *err = NULL;
  if (ok && !g_file_set_contents(path, (const char *)bytes, (gssize)len, &err)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法写入 PDF 文件：%s", err->message);
    g_error_free(err);
    ok = false;
  }
  g_free(bytes);
  for (int s = 0; s < n; s++) {
    hb_set_destroy(sets[s]);
    kh_pdf_font_free(e.parts[s]);
  }
  g_free(sets);
  g_free(e.parts);
  g_free(e.objects);
  HPDF_Free(pdf);
  return ok;
}

bool kh_layout_pdf(const kh_doc *doc, const kh_font_request *fonts,
                   const char *path, kh_diags *diags) {
  kh_fontset *fs = kh_fontset_open(fonts, diags);
  if (!fs)
    return false;
  kh_canvas *c = kh_compose(doc, fs, path, diags);
  bool ok = c && write_pdf(doc, fs, c, path, diags);
  kh_canvas_free(c);
  kh_fontset_free(fs);
  return ok;
}
