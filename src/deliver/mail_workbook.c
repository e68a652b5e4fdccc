/* The workbook a township's mail attaches (deliver.h): read without
 * following a symbolic link, and attached only when the custom properties
 * kaohe wrote into it name that township and month. A file name alone
 * proves nothing: a registry edited between `month` and `mail`, a copy
 * dropped in by hand, or a link would send one township another's scores. */
#include "kaohe/deliver.h"
#include "kaohe/render.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "deliver/zip_entry.h"

#define MAX_WORKBOOK_BYTES (256u << 20)
#define MAX_PROPERTIES_BYTES (1u << 20)

/* The whole regular file name inside folder, neither of them a symbolic
 * link. NULL with errno set otherwise (ELOOP or EMLINK for a link, EINVAL
 * for something that is not a regular file, EFBIG when too big). */
static GBytes *read_no_follow(const char *folder, const char *name) {
  int dir = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0)
    return NULL;
  int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  int e = errno;
  close(dir);
  errno = e;
  if (fd < 0)
    return NULL;
  struct stat st;
  GBytes *bytes = NULL;
  if (fstat(fd, &st) != 0) {
    e = errno;
  } else if (!S_ISREG(st.st_mode)) {
    e = EINVAL;
  } else if ((unsigned long long)st.st_size > MAX_WORKBOOK_BYTES) {
    e = EFBIG;
  } else {
    gsize size = (gsize)st.st_size, got = 0;
    guint8 *data = g_malloc(size ? size : 1);
    e = 0;
    while (got < size) {
      ssize_t n = read(fd, data + got, size - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        e = n < 0 ? errno : EIO; /* shrank while read */
        break;
      }
      got += (gsize)n;
    }
    if (e == 0)
      bytes = g_bytes_new_take(data, size);
    else
      g_free(data);
  }
  close(fd);
  errno = e;
  return bytes;
}

/* The text of the custom property called name in docProps/custom.xml, as
 * libxlsxwriter writes it (<property … name="NAME"><vt:lpwstr>VALUE</…>),
 * with XML's escapes undone; NULL when absent. */
static char *custom_property(const char *xml, const char *name) {
  char *attr = g_strdup_printf("name=\"%s\"", name);
  const char *at = strstr(xml, attr);
  g_free(attr);
  const char *end = at ? strstr(at, "</property>") : NULL;
  const char *open = at ? strstr(at, "<vt:lpwstr>") : NULL;
  if (!open || open > end)
    return NULL;
  open += strlen("<vt:lpwstr>");
  const char *close = strstr(open, "</vt:lpwstr>");
  if (!close || close > end)
    return NULL;
  static const char *const escapes[][2] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
  GString *out = g_string_new(NULL);
  for (const char *p = open; p < close;) {
    gsize k = 0;
    while (k < G_N_ELEMENTS(escapes) && !g_str_has_prefix(p, escapes[k][0]))
      k++;
    if (k < G_N_ELEMENTS(escapes)) {
      g_string_append(out, escapes[k][1]);
      p += strlen(escapes[k][0]);
    } else {
      g_string_append_c(out, *p++);
    }
  }
  return g_string_free(out, FALSE);
}

/* The custom properties that name a workbook's township and month, and
 * what to call it in messages. */
typedef struct {
  const char *township_property, *period_property;
  const char *what, *command; /* "考评表", "kaohe month" */
} workbook_kind;

static const workbook_kind scores_workbook = {KH_XLSX_TOWNSHIP_PROPERTY, KH_XLSX_PERIOD_PROPERTY,
                                              "考评表", "kaohe month"};
/* `kaohe forms` writes kaohe.township and kaohe.month (docs/reference/forms.md) */
static const workbook_kind form_workbook = {"kaohe.township", "kaohe.month", "填报表",
                                            "kaohe forms"};

/* Whether the workbook's properties name code and period. */
static bool names_township(GBytes *workbook, const workbook_kind *kind, const char *code,
                           const char *period) {
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(workbook, &len);
  GBytes *custom = kh_zip_entry(data, len, "docProps/custom.xml", MAX_PROPERTIES_BYTES);
  if (!custom)
    return false;
  gsize xml_len = 0;
  const char *raw = g_bytes_get_data(custom, &xml_len);
  char *xml = g_strndup(raw, xml_len);
  g_bytes_unref(custom);
  char *township = custom_property(xml, kind->township_property);
  char *month = custom_property(xml, kind->period_property);
  bool ok = township && month && strcmp(township, code) == 0 && strcmp(month, period) == 0;
  g_free(township);
  g_free(month);
  g_free(xml);
  return ok;
}

static GBytes *read_workbook(const workbook_kind *kind, const char *folder, const char *name,
                             const char *code, const char *period, bool *absent,
                             kh_diags *diags) {
  *absent = false;
  char *path = g_build_filename(folder, name, NULL);
  GBytes *bytes = read_no_follow(folder, name);
  int e = errno;
  if (!bytes && e == ENOENT) {
    *absent = true;
  } else if (!bytes) {
    const char *why = e == ELOOP || e == EMLINK ? "是符号链接，不会跟随"
                      : e == EINVAL             ? "不是普通文件"
                      : e == EFBIG              ? "过大，不是 kaohe 写的文件"
                                                : g_strerror(e);
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法读取%s：%s", kind->what, why);
  } else if (!names_township(bytes, kind, code, period)) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "这个%s不是 %s 为乡镇 %s 的 %s 生成的（文档属性 %s、%s "
                 "不符），不会作为附件发出：重新运行 %s",
                 kind->what, kind->command, code, period, kind->township_property,
                 kind->period_property, kind->command);
    g_bytes_unref(bytes);
    bytes = NULL;
  }
  g_free(path);
  return bytes;
}

GBytes *kh_mail_workbook_read(const char *folder, const char *name, const char *code,
                              const char *period, bool *absent, kh_diags *diags) {
  return read_workbook(&scores_workbook, folder, name, code, period, absent, diags);
}

GBytes *kh_mail_form_read(const char *folder, const char *name, const char *code,
                          const char *period, bool *absent, kh_diags *diags) {
  return read_workbook(&form_workbook, folder, name, code, period, absent, diags);
}
