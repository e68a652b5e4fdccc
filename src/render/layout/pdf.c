/* Fonts, composition, subsetting and libharu output (pdf.h). */
#include "render/layout/pdf.h"

#include <hpdf.h>
#include <math.h>
#include <string.h>

#include "render/layout/canvas.h"
#include "render/layout/compose.h"
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

/* The code points each font slot must hold, one hb_set per slot; warns
 * about characters a face lacks. Caller destroys the sets and frees the
 * array. */
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
      hb_set_t *set = sets[kh_fontset_slot(fs, op->face)];
      for (const char *t = op->text; *t; t = g_utf8_next_char(t)) {
        gunichar uc = g_utf8_get_char(t);
        hb_set_add(set, uc);
        if (uc != ' ' && !kh_fontset_has_char(fs, op->face, uc))
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
  bool ok = HPDF_Dict_Add(pdf->info, key,
                          HPDF_Binary_New(pdf->mmgr, bytes, (HPDF_UINT)(2 * n + 2))) == HPDF_OK;
  g_free(bytes);
  g_free(u);
  return ok;
}

static bool set_info(HPDF_Doc pdf, const kh_pdf_info *info) {
  HPDF_Date date = kh_pdf_date(info->created);
  return HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, CREATOR) == HPDF_OK && pdf->info &&
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

/* What is currently set on a page, so operators are written only when a
 * value changes. */
typedef struct {
  HPDF_Font font;
  double size, char_space, hscale;
  kh_rgb fill;
  bool fill_set, in_text;
} pen;

static bool same_rgb(kh_rgb a, kh_rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

static void fill_color(HPDF_Page page, pen *st, kh_rgb c) {
  if (!st->fill_set || !same_rgb(st->fill, c))
    HPDF_Page_SetRGBFill(page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
  st->fill = c;
  st->fill_set = true;
}

static void emit_text(HPDF_Page page, pen *st, const kh_draw_op *op, HPDF_Font font) {
  if (!st->in_text)
    HPDF_Page_BeginText(page);
  st->in_text = true;
  if (font != st->font || op->size != st->size)
    HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)op->size);
  if (op->char_space != st->char_space)
    HPDF_Page_SetCharSpace(page, (HPDF_REAL)op->char_space);
  if (op->hscale != st->hscale)
    HPDF_Page_SetHorizontalScalling(page, (HPDF_REAL)op->hscale);
  st->font = font, st->size = op->size;
  st->char_space = op->char_space, st->hscale = op->hscale;
  fill_color(page, st, op->color);
  if (op->rotated)
    HPDF_Page_SetTextMatrix(page, 0, -1, 1, 0, (HPDF_REAL)op->x, (HPDF_REAL)op->y);
  else
    HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)op->x, (HPDF_REAL)op->y);
  HPDF_Page_ShowText(page, op->text);
}

static void emit_page(HPDF_Doc pdf, const kh_page *pg, const kh_fontset *fs,
                      HPDF_Font *fonts) {
  HPDF_Page page = HPDF_AddPage(pdf);
  if (!page)
    return;
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
                    pg->landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
  pen st = {.size = -1, .char_space = 0, .hscale = 100};
  for (guint i = 0; i < pg->ops->len; i++) {
    const kh_draw_op *op = &g_array_index(pg->ops, kh_draw_op, i);
    if (op->kind == KH_OP_TEXT) {
      emit_text(page, &st, op, fonts[kh_fontset_slot(fs, op->face)]);
      continue;
    }
    if (st.in_text)
      HPDF_Page_EndText(page);
    st.in_text = false;
    if (op->kind == KH_OP_LINE) {
      HPDF_Page_SetLineWidth(page, (HPDF_REAL)op->line_width);
      HPDF_Page_SetRGBStroke(page, (HPDF_REAL)op->color.r, (HPDF_REAL)op->color.g,
                             (HPDF_REAL)op->color.b);
      HPDF_Page_MoveTo(page, (HPDF_REAL)op->x, (HPDF_REAL)op->y);
      HPDF_Page_LineTo(page, (HPDF_REAL)op->x2, (HPDF_REAL)op->y2);
      HPDF_Page_Stroke(page);
    } else {
      fill_color(page, &st, op->color);
      HPDF_Page_Rectangle(page, (HPDF_REAL)op->x, (HPDF_REAL)op->y, (HPDF_REAL)op->x2,
                          (HPDF_REAL)op->y2);
      HPDF_Page_Fill(page);
    }
  }
  if (st.in_text)
    HPDF_Page_EndText(page);
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
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  kh_pdf_info info = {doc->info_title, doc->info_author, doc->info_subject, CREATOR,
                      doc->created};
  int n = kh_fontset_n_slots(fs);
  hb_set_t **sets = used_chars(c, fs, path, diags);
  if (c->replaced)
    kh_diags_add(diags, KH_WARNING, path, 1, 1, NULL,
                 "%d 个字符超出 PDF 字体编码的范围（U+FFFF 以上），印作“〓”", c->replaced);
  HPDF_Font *fonts = g_new0(HPDF_Font, n);
  char *error = NULL;
  bool ok = true;
  for (int s = 0; s < n && ok; s++) {
    if (hb_set_is_empty(sets[s]))
      continue;
    int face = kh_fontset_slot_any_face(fs, s);
    fonts[s] = kh_subset_embed(pdf, kh_fontset_slot_face(fs, s), kh_fontset_file(fs, face),
                               (unsigned)kh_fontset_index(fs, face), sets[s], &error);
    if (!fonts[s]) {
      char *msg = g_strdup_printf("无法嵌入字体“%s”：%s", kh_fontset_family(fs, face), error);
      kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "%s", msg);
      g_free(msg);
      g_clear_pointer(&error, g_free);
      ok = false;
    }
  }
  if (ok && !set_info(pdf, &info)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "libharu 无法写入文档信息");
    ok = false;
  }
  for (guint p = 0; ok && p < c->pages->len; p++)
    emit_page(pdf, g_ptr_array_index(c->pages, p), fs, fonts);
  guint8 id[16];
  content_id(c, fs, &info, doc->pdfa, id);
  if (ok && !kh_pdf_set_id(pdf, id)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "libharu 无法写入文档标识（ID）");
    ok = false;
  }
  if (ok && doc->pdfa && !kh_pdfa_apply(pdf, &info, &error)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "%s", error);
    g_clear_pointer(&error, g_free);
    ok = false;
  }
  if (ok && doc->pdfa) { /* the font descriptors exist after a first save */
    if (HPDF_SaveToStream(pdf) != HPDF_OK) {
      hpdf_failed(&st, path, diags);
      ok = false;
    }
    for (int s = 0; ok && s < n; s++)
      if (fonts[s] && !kh_pdfa_cidset(pdf, fonts[s], sets[s])) {
        kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "libharu 无法写入字体的 CIDSet（PDF/A）");
        ok = false;
      }
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
  for (int s = 0; s < n; s++)
    hb_set_destroy(sets[s]);
  g_free(sets);
  g_free(fonts);
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
