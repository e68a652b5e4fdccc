/* PDF/A-1b parts and the document ID with libharu's objects (pdfa.h). */
#include "render/layout/pdfa.h"

#include <string.h>

#include "render/layout/pdf_objects.h"

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

#define PROFILE_NAME "sRGB IEC61966-2.1"

bool kh_pdfa_apply(HPDF_Doc pdf, const kh_pdf_info *info, char **error) {
  char *icc = NULL;
  gsize len = 0;
  for (int i = 0; srgb_paths[i] && !icc; i++)
    if (!g_file_get_contents(srgb_paths[i], &icc, &len, NULL))
      icc = NULL;
  if (!icc) {
    *error = g_strdup("找不到 sRGB 色彩配置文件 /usr/share/color/icc/sRGB.icc"
                      "（请安装 icc-profiles-free），无法生成 PDF/A");
    return false;
  }
  GString *xmp = xmp_packet(pdf, info);
  bool ok = kh_pdfo_pdfa(pdf, xmp->str, xmp->len, icc, len, PROFILE_NAME);
  g_string_free(xmp, TRUE);
  g_free(icc);
  if (!ok)
    *error = g_strdup("libharu 无法写入 PDF/A 的元数据（XMP）和输出意图（OutputIntent）");
  return ok;
}
