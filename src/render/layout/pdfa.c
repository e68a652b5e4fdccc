/* PDF/A-1b parts and the document ID with libharu's objects (pdfa.h). */
#include "render/layout/pdfa.h"

#include <hpdf_font.h>
#include <string.h>

/* Where Debian's icc-profiles-free (and colord, ghostscript) put sRGB. */
static const char *const srgb_paths[] = {
    "/usr/share/color/icc/sRGB.icc",
    "/usr/share/color/icc/colord/sRGB.icc",
    "/usr/share/color/icc/ghostscript/srgb.icc",
    NULL,
};

HPDF_Date kh_pdf_date(time_t t) {
  GTimeZone *tz = g_time_zone_new_offset(8 * 3600);
  GDateTime *utc = g_date_time_new_from_unix_utc((gint64)t);
  if (!utc)
    utc = g_date_time_new_from_unix_utc(0);
  GDateTime *cn = g_date_time_to_timezone(utc, tz);
  HPDF_Date d = {g_date_time_get_year(cn),   g_date_time_get_month(cn),
                 g_date_time_get_day_of_month(cn), g_date_time_get_hour(cn),
                 g_date_time_get_minute(cn), g_date_time_get_second(cn), '+', 8, 0};
  g_date_time_unref(cn);
  g_date_time_unref(utc);
  g_time_zone_unref(tz);
  return d;
}

bool kh_pdf_set_id(HPDF_Doc pdf, const guint8 id[16]) {
  HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
  return arr && HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16)) == HPDF_OK &&
         HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16)) == HPDF_OK &&
         HPDF_Dict_Add(pdf->trailer, "ID", arr) == HPDF_OK;
}

bool kh_pdfa_cidset(HPDF_Doc pdf, HPDF_Font font, const hb_set_t *unicodes) {
  HPDF_FontAttr attr = font->attr;
  HPDF_Dict desc = attr && attr->fontdef ? attr->fontdef->descriptor : NULL;
  if (!desc)
    return false;
  hb_codepoint_t max = hb_set_is_empty(unicodes) ? 0 : hb_set_get_max(unicodes);
  gsize len = max / 8 + 1;
  guint8 *bits = g_new0(guint8, len);
  bits[0] = 0x80; /* CID 0, .notdef */
  for (hb_codepoint_t cp = HB_SET_VALUE_INVALID; hb_set_next(unicodes, &cp);)
    if (cp <= 0xFFFF)
      bits[cp >> 3] |= (guint8)(0x80 >> (cp & 7));
  HPDF_Dict set = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  bool ok = set && HPDF_Stream_Write(set->stream, bits, (HPDF_UINT)len) == HPDF_OK &&
            HPDF_Dict_Add(desc, "CIDSet", set) == HPDF_OK;
  if (set)
    set->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  g_free(bits);
  return ok;
}

/* Text for XMP: XML-escaped, without the control characters XML forbids.
 * Caller frees with g_free(). */
static char *xml_text(const char *s) {
  GString *clean = g_string_new(NULL);
  for (const char *p = s; p && *p; p++)
    if ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n')
      g_string_append_c(clean, *p);
  char *escaped = g_markup_escape_text(clean->str, -1);
  g_string_free(clean, TRUE);
  return escaped;
}

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_XMP "http://ns.adobe.com/xap/1.0/"
#define NS_PDF "http://ns.adobe.com/pdf/1.3/"
#define NS_PDFAID "http://www.aiim.org/pdfa/ns/id/"
#define XPACKET_ID "W5M0MpCehiHzreSzNTczkc9d"

/* <tag>value</tag>, the value escaped, inside an rdf:Alt or rdf:Seq (list
 * NULL: plain). Nothing when value is NULL. */
static void xmp_prop(GString *x, const char *tag, const char *list, const char *value) {
  if (!value)
    return;
  char *v = xml_text(value);
  if (!list)
    g_string_append_printf(x, "<%s>%s</%s>\n", tag, v, tag);
  else
    g_string_append_printf(x, "<%s><rdf:%s><rdf:li%s>%s</rdf:li></rdf:%s></%s>\n", tag, list,
                           strcmp(list, "Alt") == 0 ? " xml:lang=\"x-default\"" : "", v, list,
                           tag);
  g_free(v);
}

static void xmp_open(GString *x, const char *prefix, const char *ns) {
  g_string_append_printf(x, "<rdf:Description rdf:about=\"\" xmlns:%s=\"%s\">\n", prefix, ns);
}

/* The XMP packet. Caller frees with g_string_free(). */
static GString *xmp_packet(HPDF_Doc pdf, const kh_pdf_info *info) {
  HPDF_Date d = kh_pdf_date(info->created);
  char *date = g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d+08:00", d.year, d.month, d.day,
                               d.hour, d.minutes, d.seconds);
  GString *x = g_string_new("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"" XPACKET_ID "\"?>\n"
                            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                            "<rdf:RDF xmlns:rdf=\"" NS_RDF "\">\n");
  xmp_open(x, "dc", NS_DC);
  xmp_prop(x, "dc:format", NULL, "application/pdf");
  xmp_prop(x, "dc:title", "Alt", info->title);
  xmp_prop(x, "dc:creator", "Seq", info->author);
  xmp_prop(x, "dc:description", "Alt", info->subject);
  g_string_append(x, "</rdf:Description>\n");
  xmp_open(x, "xmp", NS_XMP);
  xmp_prop(x, "xmp:CreateDate", NULL, date);
  xmp_prop(x, "xmp:ModifyDate", NULL, date);
  xmp_prop(x, "xmp:CreatorTool", NULL, info->creator);
  g_string_append(x, "</rdf:Description>\n");
  xmp_open(x, "pdf", NS_PDF);
  xmp_prop(x, "pdf:Producer", NULL, HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER));
  g_string_append(x, "</rdf:Description>\n");
  xmp_open(x, "pdfaid", NS_PDFAID);
  xmp_prop(x, "pdfaid:part", NULL, "1");
  xmp_prop(x, "pdfaid:conformance", NULL, "B");
  g_string_append(x, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
  g_free(date);
  return x;
}

/* The OutputIntents array with the sRGB profile; NULL with *error. */
static HPDF_Array output_intents(HPDF_Doc pdf, char **error) {
  char *icc = NULL;
  gsize len = 0;
  for (int i = 0; srgb_paths[i] && !icc; i++)
    if (!g_file_get_contents(srgb_paths[i], &icc, &len, NULL))
      icc = NULL;
  if (!icc) {
    *error = g_strdup("找不到 sRGB 色彩配置文件 /usr/share/color/icc/sRGB.icc"
                      "（请安装 icc-profiles-free），无法生成 PDF/A");
    return NULL;
  }
  HPDF_MMgr m = pdf->mmgr;
  HPDF_Dict profile = HPDF_DictStream_New(m, pdf->xref);
  HPDF_Dict intent = HPDF_Dict_New(m);
  HPDF_Array intents = HPDF_Array_New(m);
  bool ok = profile && intent && intents;
  if (ok) {
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    const char *name = "sRGB IEC61966-2.1";
    ok = HPDF_Dict_AddNumber(profile, "N", 3) == HPDF_OK &&
         HPDF_Stream_Write(profile->stream, (HPDF_BYTE *)icc, (HPDF_UINT)len) == HPDF_OK &&
         HPDF_Dict_AddName(intent, "Type", "OutputIntent") == HPDF_OK &&
         HPDF_Dict_AddName(intent, "S", "GTS_PDFA1") == HPDF_OK &&
         HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(m, name, NULL)) ==
             HPDF_OK &&
         HPDF_Dict_Add(intent, "Info", HPDF_String_New(m, name, NULL)) == HPDF_OK &&
         HPDF_Dict_Add(intent, "DestOutputProfile", profile) == HPDF_OK &&
         HPDF_Array_Add(intents, intent) == HPDF_OK;
  }
  g_free(icc);
  if (!ok) {
    *error = g_strdup("libharu 无法写入 PDF/A 输出意图（OutputIntent）");
    return NULL;
  }
  return intents;
}

bool kh_pdfa_apply(HPDF_Doc pdf, const kh_pdf_info *info, char **error) {
  pdf->pdf_version = HPDF_VER_14;
  HPDF_Array intents = output_intents(pdf, error);
  if (!intents || HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents) != HPDF_OK) {
    if (!*error)
      *error = g_strdup("libharu 无法写入 PDF/A 输出意图（OutputIntent）");
    return false;
  }
  GString *xmp = xmp_packet(pdf, info);
  HPDF_Dict meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  bool ok = meta && HPDF_Dict_AddName(meta, "Type", "Metadata") == HPDF_OK &&
            HPDF_Dict_AddName(meta, "Subtype", "XML") == HPDF_OK &&
            HPDF_Stream_Write(meta->stream, (HPDF_BYTE *)xmp->str, (HPDF_UINT)xmp->len) ==
                HPDF_OK &&
            HPDF_Dict_Add(pdf->catalog, "Metadata", meta) == HPDF_OK;
  g_string_free(xmp, TRUE);
  if (!ok)
    *error = g_strdup("libharu 无法写入 PDF/A 元数据（XMP）");
  return ok;
}
