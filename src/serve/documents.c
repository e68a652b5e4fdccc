/* The period's published documents: where the commands would put them
 * (out/YYYY-MM and archive/YYYYQn, relative to the folder kaohe serve was
 * started in), which of them are there, and each sent when asked for by
 * period and kind. No part of a request ever becomes part of a path: the
 * period is parsed into numbers and the kind picked from a list. */
#include "serve/serve.h"

#include <string.h>
#include <glib/gstdio.h>

#define PDF "application/pdf"
#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define JSON "application/json"
#define TEXT "text/plain; charset=utf-8"

/* One kind of document of a period: its file name's pattern (%s is the
 * period) and how it is sent. */
typedef struct {
  const char *kind;  /* in the URL */
  const char *label; /* on the page */
  const char *file;  /* a printf pattern over the period */
  const char *type;
  bool inline_file;  /* shown in the browser: the preview */
} doc_kind;

static const doc_kind month_kinds[] = {
    {"notice", "督查通报（PDF）", "督查通报_%s.pdf", PDF, false},
    {"notice-preview", NULL, "督查通报_%s.pdf", PDF, true},
    {"county", "全县考评得分汇总（Excel）", "考评得分汇总_%s.xlsx", XLSX, false},
    {"json", "得分数据（JSON）", "scores_%s.json", JSON, false},
};

static const doc_kind quarter_kinds[] = {
    {"report", "季度奖惩通报（PDF/A）", "季度奖惩通报_%s.pdf", PDF, false},
    {"report-preview", NULL, "季度奖惩通报_%s.pdf", PDF, true},
    {"workbook", "季度考评得分（Excel）", "季度考评得分_%s.xlsx", XLSX, false},
    {"json", "得分数据（JSON）", "scores_%s.json", JSON, false},
    /* the manifest's name has no period: "%.0s" takes it and prints nothing */
    {"sums", "校验文件（SHA256SUMS）", "SHA256SUMS%.0s", TEXT, false},
};

/* json string base + kind. */
static json_t *href(const char *base, const char *kind) {
  char *text = g_strconcat(base, kind, NULL);
  json_t *s = json_string(text);
  g_free(text);
  return s;
}

static bool is_file(const char *path) {
  GStatBuf st;
  return g_lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* {label, href} of each document of the period present in folder. */
static json_t *present(const doc_kind *kinds, size_t n, const char *base, const char *folder,
                       const char *period) {
  json_t *files = json_array();
  for (size_t k = 0; k < n; k++) {
    if (!kinds[k].label)
      continue;
    char *name = g_strdup_printf(kinds[k].file, period);
    char *path = g_build_filename(folder, name, NULL);
    if (is_file(path)) {
      json_t *f = json_object();
      json_object_set_new(f, "label", json_string(kinds[k].label));
      json_object_set_new(f, "name", json_string(name));
      json_object_set_new(f, "href", href(base, kinds[k].kind));
      json_array_append_new(files, f);
    }
    g_free(path);
    g_free(name);
  }
  return files;
}

/* What the period's panel shows of its folder: where it is (as the command
 * names it and in full), whether it is there, its documents. */
static json_t *folder_info(const char *target, json_t *files) {
  json_t *info = json_object();
  json_object_set_new(info, "target", json_string(target));
  char *full = g_canonicalize_filename(target, NULL);
  json_object_set_new(info, "where", json_string(full));
  g_free(full);
  json_object_set_new(info, "present", json_boolean(json_array_size(files) > 0));
  json_object_set_new(info, "files", files);
  return info;
}

json_t *kh_serve_month_documents(const kh_dataset *ds, int month) {
  int year = ds->rules.year;
  char period[16], base[32];
  g_snprintf(period, sizeof period, "%04d-%02d", year, month);
  g_snprintf(base, sizeof base, "/month/%s/doc/", period);
  char *target = kh_month_default_outdir(year, month);
  json_t *files = present(month_kinds, G_N_ELEMENTS(month_kinds), base, target, period);
  json_t *info = folder_info(target, files);
  if (json_array_size(files) > 0) {
    json_object_set_new(info, "preview", href(base, "notice-preview"));
    json_t *townships = json_array();
    char *folder = g_build_filename(target, KH_TOWNSHIP_FOLDER, NULL);
    for (int t = 0; t < kh_n_townships(ds); t++) {
      char *name = kh_township_xlsx_file(ds, year, month, t);
      char *path = g_build_filename(folder, name, NULL);
      if (is_file(path)) {
        json_t *tw = json_object();
        json_object_set_new(tw, "name", json_string(kh_township_at(ds, t)->name));
        char *kind = g_strconcat("township/", kh_township_at(ds, t)->code, NULL);
        json_object_set_new(tw, "href", href(base, kind));
        g_free(kind);
        json_array_append_new(townships, tw);
      }
      g_free(path);
      g_free(name);
    }
    g_free(folder);
    if (json_array_size(townships) > 0)
      json_object_set_new(info, "has_townships", json_true());
    json_object_set_new(info, "townships", townships);
  }
  g_free(target);
  return info;
}

json_t *kh_serve_quarter_documents(const kh_dataset *ds, int quarter) {
  char period[16], base[32];
  g_snprintf(period, sizeof period, "%04dQ%d", ds->rules.year, quarter);
  g_snprintf(base, sizeof base, "/quarter/%s/doc/", period);
  char *target = kh_quarter_default_archive(ds->rules.year, quarter);
  json_t *files = present(quarter_kinds, G_N_ELEMENTS(quarter_kinds), base, target, period);
  json_t *info = folder_info(target, files);
  if (json_array_size(files) > 0)
    json_object_set_new(info, "preview", href(base, "report-preview"));
  g_free(target);
  return info;
}

/* Sets reply to send the document folder/name of kind k, or a 404. */
static void send_file(kh_serve_reply *reply, const doc_kind *k, char *folder, char *name) {
  char *path = g_build_filename(folder, name, NULL);
  if (!is_file(path)) {
    kh_serve_error(reply, 404, "这份文件还没有生成：请先在本页生成");
    g_free(path);
    g_free(name);
  } else {
    reply->file = path;
    reply->filename = name;
    reply->type = k->type;
    reply->inline_file = k->inline_file;
  }
  g_free(folder);
}

static void month_document(const kh_serve_ctx *ctx, const char *period, const char *kind,
                           kh_serve_reply *reply) {
  int year, month;
  if (!kh_parse_month(period, &year, &month))
    return kh_serve_error(reply, 404, "没有这个月份（应为 YYYY-MM）");
  char *folder = kh_month_default_outdir(year, month);
  for (size_t k = 0; k < G_N_ELEMENTS(month_kinds); k++)
    if (strcmp(kind, month_kinds[k].kind) == 0)
      return send_file(reply, &month_kinds[k], folder, g_strdup_printf(month_kinds[k].file, period));
  static const doc_kind workbook = {"township", NULL, NULL, XLSX, false};
  if (g_str_has_prefix(kind, "township/")) {
    kh_dataset *ds = kh_serve_load(ctx->dataset, reply);
    if (!ds) {
      g_free(folder);
      return;
    }
    const char *code = kind + strlen("township/");
    for (int t = 0; t < kh_n_townships(ds); t++) {
      if (strcmp(kh_township_at(ds, t)->code, code) != 0)
        continue;
      char *township_folder = g_build_filename(folder, KH_TOWNSHIP_FOLDER, NULL);
      send_file(reply, &workbook, township_folder, kh_township_xlsx_file(ds, year, month, t));
      g_free(folder);
      kh_dataset_free(ds);
      return;
    }
    kh_dataset_free(ds);
  }
  g_free(folder);
  kh_serve_error(reply, 404, "没有这种文件");
}

static void quarter_document(const char *period, const char *kind, kh_serve_reply *reply) {
  int year, quarter;
  if (!kh_parse_quarter(period, &year, &quarter))
    return kh_serve_error(reply, 404, "没有这个季度（应为 YYYYQn）");
  char canonical[16];
  g_snprintf(canonical, sizeof canonical, "%04dQ%d", year, quarter);
  for (size_t k = 0; k < G_N_ELEMENTS(quarter_kinds); k++)
    if (strcmp(kind, quarter_kinds[k].kind) == 0)
      return send_file(reply, &quarter_kinds[k], kh_quarter_default_archive(year, quarter),
                       g_strdup_printf(quarter_kinds[k].file, canonical));
  kh_serve_error(reply, 404, "没有这种文件");
}

void kh_serve_document(const kh_serve_ctx *ctx, const char *path, kh_serve_reply *reply) {
  /* /month/2013-07/doc/notice: the period between the second and third
     slashes, the kind after "/doc/" */
  const char *period = strchr(path + 1, '/') + 1;
  const char *doc = strstr(period, "/doc/");
  char *p = g_strndup(period, (gsize)(doc - period));
  const char *kind = doc + strlen("/doc/");
  if (g_str_has_prefix(path, "/month/"))
    month_document(ctx, p, kind, reply);
  else
    quarter_document(p, kind, reply);
  g_free(p);
}
