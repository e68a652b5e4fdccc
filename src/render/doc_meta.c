/* What a document says about itself: its dates and where its templates
 * are (render.h kh_doc_meta_init). */
#include "kaohe/render.h"

#include <string.h>
#include "kaohe/load.h"

/* The creation time SOURCE_DATE_EPOCH gives, in China's time (UTC+8, the
 * documents' dates), or NULL with an error when it is malformed. */
static GDateTime *epoch_time(const char *epoch, time_t *created, kh_diags *diags) {
  char *end;
  gint64 secs = g_ascii_strtoll(epoch, &end, 10);
  if (*end || secs < 0) {
    kh_diags_add(diags, KH_ERROR, "SOURCE_DATE_EPOCH", 0, 0, NULL, "不是有效的秒数: %s", epoch);
    return NULL;
  }
  *created = (time_t)secs;
  GDateTime *utc = g_date_time_new_from_unix_utc(secs);
  GTimeZone *china = g_time_zone_new_offset(8 * 3600);
  GDateTime *when = utc ? g_date_time_to_timezone(utc, china) : NULL;
  if (utc)
    g_date_time_unref(utc);
  g_time_zone_unref(china);
  if (!when) /* past the year 9999 in China, or over 2^63 (strtoll saturates) */
    kh_diags_add(diags, KH_ERROR, "SOURCE_DATE_EPOCH", 0, 0, NULL, "超出日期范围: %s", epoch);
  return when;
}

bool kh_doc_meta_init(kh_doc_meta *meta, const char *dataset_dir, const char *date,
                      kh_diags *diags) {
  memset(meta, 0, sizeof *meta);
  const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
  GDateTime *when;
  if (epoch && *epoch) {
    when = epoch_time(epoch, &meta->created, diags);
    if (!when)
      return false;
  } else {
    meta->created = time(NULL);
    when = g_date_time_new_now_local();
  }
  meta->date_year = g_date_time_get_year(when);
  meta->date_month = g_date_time_get_month(when);
  meta->date_day = g_date_time_get_day_of_month(when);
  g_date_time_unref(when);

  if (date && !kh_parse_date(date, &meta->date_year, &meta->date_month, &meta->date_day)) {
    kh_diags_add(diags, KH_ERROR, "--date", 0, 0, NULL,
                 "应为 YYYY-MM-DD 格式的有效日期，如 2013-08-05，而不是“%s”", date);
    return false;
  }
  meta->template_dir = g_build_filename(dataset_dir, "templates", NULL);
  return true;
}

void kh_doc_meta_clear(kh_doc_meta *meta) {
  g_free((char *)meta->template_dir);
  meta->template_dir = NULL;
}
