/* libharu's object layer, used here and nowhere else (pdf_objects.h). */
#include "render/layout/pdf_objects.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_version.h>

/* Written against libharu 2.3.0 as Debian 12 ships it: the fields of
 * HPDF_Doc_Rec (mmgr, xref, catalog, info, trailer, pdf_version) and of
 * HPDF_Dict_Rec (stream, filter) read below, HPDF_Dict_Add taking an
 * indirect object as a reference, HPDF_DictStream_New registering the
 * stream in the cross-reference table. Another version may change any of
 * these: check them, then widen this test. */
#if HPDF_VERSION_ID != 20300
#error "pdf_objects.c uses libharu's object layer as libharu 2.3.0 has it: review it for this version"
#endif

/* A kh_pdfo_font is the font's Type0 dictionary: the document owns it. */
static kh_pdfo_font *font_of(HPDF_Dict type0) { return (kh_pdfo_font *)type0; }
static HPDF_Dict type0_of(kh_pdfo_font *font) { return (HPDF_Dict)font; }

static bool ok_all(HPDF_STATUS st) { return st == HPDF_OK; }

/* An indirect dictionary (an object of its own in the file). */
static HPDF_Dict indirect_dict(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
    return NULL; /* HPDF_Xref_Add frees it */
  return d;
}

/* A stream object holding bytes, deflated when compress. */
static HPDF_Dict stream_of(HPDF_Doc pdf, const void *bytes, gsize len, bool compress) {
  HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!s)
    return NULL;
  if (compress)
    s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (len && HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)bytes, (HPDF_UINT)len) != HPDF_OK)
    return NULL;
  return s;
}

static HPDF_Array int_array(HPDF_Doc pdf, const int *v, int n) {
  HPDF_Array a = HPDF_Array_New(pdf->mmgr);
  for (int i = 0; a && i < n; i++)
    if (HPDF_Array_AddNumber(a, v[i]) != HPDF_OK)
      return NULL;
  return a;
}

/* W: the widths that differ from DW, as runs `first [w1 w2 …]`. */
static HPDF_Array widths_array(HPDF_Doc pdf, const kh_pdf_font *f) {
  HPDF_Array w = HPDF_Array_New(pdf->mmgr);
  unsigned g = 0;
  while (w && g < f->n_glyphs) {
    if (f->widths[g] == f->default_width) {
      g++;
      continue;
    }
    HPDF_Array run = HPDF_Array_New(pdf->mmgr);
    if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)g) != HPDF_OK ||
        HPDF_Array_Add(w, run) != HPDF_OK)
      return NULL;
    for (; g < f->n_glyphs && f->widths[g] != f->default_width; g++)
      if (HPDF_Array_AddNumber(run, f->widths[g]) != HPDF_OK)
        return NULL;
  }
  return w;
}

/* CIDSet: every CID of the subset is a glyph of its font program. */
static HPDF_Dict cid_set(HPDF_Doc pdf, unsigned n_glyphs) {
  gsize len = n_glyphs / 8 + 1;
  guint8 *bits = g_new0(guint8, len);
  for (unsigned g = 0; g < n_glyphs; g++)
    bits[g >> 3] |= (guint8)(0x80 >> (g & 7));
  HPDF_Dict s = stream_of(pdf, bits, len, true);
  g_free(bits);
  return s;
}

static HPDF_Dict descriptor(HPDF_Doc pdf, const kh_pdf_font *f, bool cidset) {
  HPDF_Dict d = indirect_dict(pdf);
  unsigned program_len = 0;
  const char *program = hb_blob_get_data(f->program, &program_len);
  HPDF_Dict file = stream_of(pdf, program, program_len, true);
  if (!d || !file || HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)program_len) != HPDF_OK)
    return NULL;
  bool ok = ok_all(HPDF_Dict_AddName(d, "Type", "FontDescriptor")) &&
            ok_all(HPDF_Dict_AddName(d, "FontName", f->base_font)) &&
            ok_all(HPDF_Dict_AddNumber(d, "Flags", 4)) && /* symbolic: glyph IDs */
            ok_all(HPDF_Dict_Add(d, "FontBBox", int_array(pdf, f->bbox, 4))) &&
            ok_all(HPDF_Dict_AddNumber(d, "ItalicAngle", 0)) &&
            ok_all(HPDF_Dict_AddNumber(d, "Ascent", f->ascent)) &&
            ok_all(HPDF_Dict_AddNumber(d, "Descent", f->descent)) &&
            ok_all(HPDF_Dict_AddNumber(d, "CapHeight", f->cap_height)) &&
            ok_all(HPDF_Dict_AddNumber(d, "StemV", 80)) &&
            ok_all(HPDF_Dict_Add(d, "FontFile2", file));
  if (ok && cidset)
    ok = ok_all(HPDF_Dict_Add(d, "CIDSet", cid_set(pdf, f->n_glyphs)));
  return ok ? d : NULL;
}

static HPDF_Dict cid_font(HPDF_Doc pdf, const kh_pdf_font *f, bool cidset) {
  HPDF_Dict cid = indirect_dict(pdf);
  HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
  HPDF_Dict desc = descriptor(pdf, f, cidset);
  if (!cid || !info || !desc)
    return NULL;
  bool ok = ok_all(HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL))) &&
            ok_all(HPDF_Dict_Add(info, "Ordering",
                                 HPDF_String_New(pdf->mmgr, "Identity", NULL))) &&
            ok_all(HPDF_Dict_AddNumber(info, "Supplement", 0)) &&
            ok_all(HPDF_Dict_AddName(cid, "Type", "Font")) &&
            ok_all(HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2")) &&
            ok_all(HPDF_Dict_AddName(cid, "BaseFont", f->base_font)) &&
            ok_all(HPDF_Dict_Add(cid, "CIDSystemInfo", info)) &&
            ok_all(HPDF_Dict_Add(cid, "FontDescriptor", desc)) &&
            ok_all(HPDF_Dict_AddNumber(cid, "DW", f->default_width)) &&
            ok_all(HPDF_Dict_Add(cid, "W", widths_array(pdf, f))) &&
            ok_all(HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity"));
  return ok ? cid : NULL;
}

kh_pdfo_font *kh_pdfo_font_embed(HPDF_Doc pdf, const kh_pdf_font *f, bool cidset) {
  HPDF_Dict type0 = indirect_dict(pdf);
  HPDF_Dict cid = cid_font(pdf, f, cidset);
  HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
  HPDF_Dict to_unicode = stream_of(pdf, f->to_unicode->str, f->to_unicode->len, true);
  if (!type0 || !cid || !descendants || !to_unicode)
    return NULL;
  bool ok = ok_all(HPDF_Array_Add(descendants, cid)) &&
            ok_all(HPDF_Dict_AddName(type0, "Type", "Font")) &&
            ok_all(HPDF_Dict_AddName(type0, "Subtype", "Type0")) &&
            ok_all(HPDF_Dict_AddName(type0, "BaseFont", f->base_font)) &&
            ok_all(HPDF_Dict_AddName(type0, "Encoding", "Identity-H")) &&
            ok_all(HPDF_Dict_Add(type0, "DescendantFonts", descendants)) &&
            ok_all(HPDF_Dict_Add(type0, "ToUnicode", to_unicode));
  return ok ? font_of(type0) : NULL;
}

bool kh_pdfo_page_fonts(HPDF_Page page, kh_pdfo_font *const *fonts, const bool *used, int n) {
  HPDF_Dict resources = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
  HPDF_Dict dict = HPDF_Dict_New(page->mmgr);
  if (!resources || !dict)
    return false;
  for (int i = 0; i < n; i++) {
    if (!used[i])
      continue;
    char name[16];
    g_snprintf(name, sizeof name, "F%d", i);
    if (!fonts[i] || HPDF_Dict_Add(dict, name, type0_of(fonts[i])) != HPDF_OK)
      return false;
  }
  return HPDF_Dict_Add(resources, "Font", dict) == HPDF_OK;
}

bool kh_pdfo_page_content(HPDF_Page page, const char *ops, gsize len) {
  HPDF_Dict contents = HPDF_Dict_GetItem(page, "Contents", HPDF_OCLASS_DICT);
  if (!contents || !contents->stream)
    return false;
  if (len == 0) { /* a blank page: libharu would write an empty deflated stream */
    contents->filter = HPDF_STREAM_FILTER_NONE;
    return true;
  }
  return HPDF_Stream_Write(contents->stream, (const HPDF_BYTE *)ops, (HPDF_UINT)len) == HPDF_OK;
}

bool kh_pdfo_info_bytes(HPDF_Doc pdf, const char *key, const guint8 *bytes, gsize len) {
  return pdf->info && HPDF_Dict_Add(pdf->info, key,
                                    HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)bytes,
                                                    (HPDF_UINT)len)) == HPDF_OK;
}

bool kh_pdfo_set_id(HPDF_Doc pdf, const guint8 id[16]) {
  HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
  return arr && HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16)) == HPDF_OK &&
         HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16)) == HPDF_OK &&
         HPDF_Dict_Add(pdf->trailer, "ID", arr) == HPDF_OK;
}

bool kh_pdfo_pdfa(HPDF_Doc pdf, const char *xmp, gsize xmp_len, const char *icc,
                  gsize icc_len, const char *profile_name) {
  pdf->pdf_version = HPDF_VER_14;
  HPDF_MMgr m = pdf->mmgr;
  HPDF_Dict profile = stream_of(pdf, icc, icc_len, true);
  HPDF_Dict intent = HPDF_Dict_New(m);
  HPDF_Array intents = HPDF_Array_New(m);
  HPDF_Dict meta = stream_of(pdf, xmp, xmp_len, false); /* PDF/A: XMP stays readable */
  return profile && intent && intents && meta &&
         ok_all(HPDF_Dict_AddNumber(profile, "N", 3)) &&
         ok_all(HPDF_Dict_AddName(intent, "Type", "OutputIntent")) &&
         ok_all(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1")) &&
         ok_all(HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                              HPDF_String_New(m, profile_name, NULL))) &&
         ok_all(HPDF_Dict_Add(intent, "Info", HPDF_String_New(m, profile_name, NULL))) &&
         ok_all(HPDF_Dict_Add(intent, "DestOutputProfile", profile)) &&
         ok_all(HPDF_Array_Add(intents, intent)) &&
         ok_all(HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents)) &&
         ok_all(HPDF_Dict_AddName(meta, "Type", "Metadata")) &&
         ok_all(HPDF_Dict_AddName(meta, "Subtype", "XML")) &&
         ok_all(HPDF_Dict_Add(pdf->catalog, "Metadata", meta));
}
