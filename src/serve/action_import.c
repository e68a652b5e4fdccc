/* Uploading returned forms and tables (docs/reference/console.md), the two
 * steps of `kaohe import` (load.h kh_import_prepare, deliver.h
 * kh_import_commit) with the people between them:
 *
 *  - POST /import (month, files, replace): the files are kept in a folder
 *    of their own, STATE/import/ID (ID random), and the answer is the
 *    preview of what they would change; nothing is written to the dataset.
 *  - POST /import/ID/confirm, with the dataset's lock: the kept files are
 *    prepared again (the month may have changed since the preview) and the
 *    plan committed; the folder goes.
 *
 * The browser's file names are shown, never used: a kept copy is named
 * N.EXT, its extension (by which the readers know a workbook) checked to
 * be one import reads. A folder not confirmed within an hour is removed
 * by the next upload or confirmation. */
#include "serve/serve.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gstdio.h>
#include "deliver/fsops.h"

/* How long an upload waits for its confirmation. */
#define KEPT_SECONDS (60 * 60)
#define MANIFEST "manifest.json"

static char *imports_dir(const kh_serve_ctx *ctx) {
  return g_build_filename(ctx->state_dir, "import", NULL);
}

/* Removes the uploads older than KEPT_SECONDS. */
static void remove_stale(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d)
    return;
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    GStatBuf st;
    if (g_stat(path, &st) == 0 && now - (gint64)st.st_mtime > KEPT_SECONDS)
      kh_fs_remove_tree(path);
    g_free(path);
  }
  g_dir_close(d);
}

/* 32 hex digits from the kernel's random source; false when it fails. */
static bool new_id(char id[33]) {
  guint8 bytes[16];
  if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
    return false;
  for (size_t i = 0; i < sizeof bytes; i++)
    g_snprintf(id + 2 * i, 3, "%02x", bytes[i]);
  return true;
}

static bool valid_id(const char *id) {
  size_t n = 0;
  for (; id[n]; n++)
    if (!g_ascii_isxdigit(id[n]) || g_ascii_isupper(id[n]))
      return false;
  return n == 32;
}

/* The extension import reads a file by (lower-cased by the form), or NULL. */
static const char *import_extension(const char *saved) {
  static const char *const known[] = {".xlsx", ".xls", ".csv"};
  for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
    if (g_str_has_suffix(saved, known[i]))
      return known[i];
  return NULL;
}

/* An upload's kept files and what was asked, as manifest.json holds them. */
typedef struct {
  int year, month;
  bool replace;
  int n;
  kh_import_source *sources; /* paths and names owned */
} kept;

static void kept_clear(kept *k) {
  for (int i = 0; i < k->n; i++) {
    g_free((char *)k->sources[i].path);
    g_free((char *)k->sources[i].name);
  }
  g_free(k->sources);
  memset(k, 0, sizeof *k);
}

static bool kept_read(const char *folder, kept *k) {
  memset(k, 0, sizeof *k);
  char *path = g_build_filename(folder, MANIFEST, NULL);
  json_t *m = json_load_file(path, 0, NULL);
  g_free(path);
  json_t *files = json_object_get(m, "files");
  const char *period = json_string_value(json_object_get(m, "month"));
  k->replace = json_is_true(json_object_get(m, "replace"));
  k->n = (int)json_array_size(files);
  k->sources = g_new0(kh_import_source, k->n + 1);
  bool ok = period && kh_parse_month(period, &k->year, &k->month) && k->n > 0;
  for (int i = 0; i < k->n; i++) {
    const char *saved = json_string_value(json_object_get(json_array_get(files, i), "saved"));
    const char *name = json_string_value(json_object_get(json_array_get(files, i), "name"));
    ok = ok && saved && name && !strchr(saved, '/');
    k->sources[i].path = g_build_filename(folder, saved ? saved : "", NULL);
    k->sources[i].name = g_strdup(name ? name : "");
  }
  json_decref(m);
  if (!ok)
    kept_clear(k);
  return ok;
}

/* Moves the form's files into folder as 1.EXT, 2.EXT … and writes the
 * manifest; false after answering when a file is not one import reads or
 * cannot be kept. */
static bool keep_uploads(const kh_serve_form *form, const char *folder, const char *period,
                         bool replace, kh_serve_reply *reply) {
  json_t *files = json_array();
  bool ok = true;
  for (guint i = 0; ok && i < form->uploads->len; i++) {
    const kh_serve_upload *u = g_ptr_array_index(form->uploads, i);
    const char *ext = import_extension(u->path);
    if (!ext) {
      char *message = g_strdup_printf("“%s”不是可以导入的文件：只能上传 .xlsx、.xls 或 .csv 文件",
                                      u->filename);
      kh_serve_error(reply, 400, message);
      g_free(message);
      ok = false;
      break;
    }
    char *saved = g_strdup_printf("%u%s", i + 1, ext);
    char *to = g_build_filename(folder, saved, NULL);
    ok = g_rename(u->path, to) == 0;
    if (ok)
      json_array_append_new(files, json_pack("{s:s, s:s}", "saved", saved, "name", u->filename));
    else
      kh_serve_error(reply, 500, "无法保存上传的文件");
    g_free(to);
    g_free(saved);
  }
  json_t *m = json_pack("{s:s, s:b, s:o}", "month", period, "replace", replace, "files", files);
  char *path = g_build_filename(folder, MANIFEST, NULL);
  if (ok && json_dump_file(m, path, 0) != 0) {
    kh_serve_error(reply, 500, "无法保存上传的文件");
    ok = false;
  }
  g_free(path);
  json_decref(m);
  return ok;
}

/* The dataset for an import: rules.ini and the registry without errors
 * (the monthly files' errors do not stop an import), the month in its
 * year; NULL after answering. */
static kh_dataset *load_for_import(const kh_serve_ctx *ctx, int year, kh_serve_reply *reply) {
  kh_diags *diags = kh_diags_new();
  int monthly_errors = 0;
  kh_dataset *ds = kh_dataset_load_rules_registry(ctx->dataset, diags, &monthly_errors);
  kh_diags_free(diags);
  if (!ds) {
    kh_serve_error(reply, 409, "数据集的 rules.ini 或乡镇名册有错误，改正之后才能导入：请回到首页查看");
  } else if (year != ds->rules.year) {
    kh_serve_error(reply, 404, "这个月份不在考评年度内");
    g_clear_pointer(&ds, kh_dataset_free);
  }
  return ds;
}

/* A new folder under dir, named by a new id, holding the form's files;
 * NULL after answering when they cannot be kept. */
static char *keep(const kh_serve_form *form, const char *dir, const char *period, bool replace,
                  char id[33], kh_serve_reply *reply) {
  char *folder = NULL;
  if (g_mkdir_with_parents(dir, 0700) != 0 || !new_id(id) ||
      g_mkdir((folder = g_build_filename(dir, id, NULL)), 0700) != 0) {
    kh_serve_error(reply, 500, "无法保存上传的文件");
  } else if (keep_uploads(form, folder, period, replace, reply)) {
    return folder;
  }
  if (folder)
    kh_fs_remove_tree(folder);
  g_free(folder);
  return NULL;
}

/* Keeps the form's files and answers with the preview; the folder stays
 * only when there is something to confirm. */
static void preview(const kh_serve_ctx *ctx, const kh_dataset *ds, const char *dir,
                    const char *period, bool replace, const kh_serve_form *form,
                    kh_serve_reply *reply) {
  char id[33];
  char *folder = keep(form, dir, period, replace, id, reply);
  if (!folder)
    return;
  kept k;
  bool to_confirm = false;
  if (!kept_read(folder, &k)) {
    kh_serve_error(reply, 500, "无法保存上传的文件");
  } else {
    kh_import_plan *plan = kh_import_prepare(ds, k.month, k.sources, k.n, replace);
    json_t *console = kh_serve_console(ctx);
    json_object_set_new(console, "import_id", json_string(id));
    reply->status = 200;
    kh_web_import_preview_page(ds, plan, console, reply->body);
    to_confirm = plan->changed;
    json_decref(console);
    kh_import_plan_free(plan);
    kept_clear(&k);
  }
  if (!to_confirm)
    kh_fs_remove_tree(folder);
  g_free(folder);
}

void kh_serve_import_upload(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                            kh_serve_reply *reply) {
  if (*arg)
    return kh_serve_error(reply, 404, "没有这个操作");
  int year, month;
  const char *period = kh_serve_form_field(form, "month");
  const char *replace = kh_serve_form_field(form, "replace");
  if (!period || !kh_parse_month(period, &year, &month))
    return kh_serve_error(reply, 400, "请选择月份（YYYY-MM）");
  if (form->uploads->len == 0)
    return kh_serve_error(reply, 400, "请选择要导入的文件（.xlsx、.xls 或 .csv）");
  kh_dataset *ds = load_for_import(ctx, year, reply);
  if (!ds)
    return;
  char *dir = imports_dir(ctx);
  remove_stale(dir);
  preview(ctx, ds, dir, period, replace && *replace, form, reply);
  g_free(dir);
  kh_dataset_free(ds);
}

/* Commits the plan of the kept files and answers with what was written. */
static void confirm(const kh_serve_ctx *ctx, const kept *k, kh_serve_reply *reply) {
  kh_dataset *ds = load_for_import(ctx, k->year, reply);
  if (!ds)
    return;
  kh_import_plan *plan = kh_import_prepare(ds, k->month, k->sources, k->n, k->replace);
  kh_import_written written;
  kh_diags *diags = kh_diags_new();
  if (kh_import_commit(ds, plan, NULL, &written, diags)) {
    reply->status = 200;
    kh_web_import_result_page(ds, plan, written.path, written.moved, reply->body);
  } else {
    const kh_diag *d = g_ptr_array_index(diags->items, 0);
    char *message = g_strdup_printf("月报文件未能写入，原有文件保持不变：%s", d->message);
    kh_serve_error(reply, 500, message);
    g_free(message);
  }
  kh_import_written_clear(&written);
  kh_diags_free(diags);
  kh_import_plan_free(plan);
  kh_dataset_free(ds);
}

void kh_serve_import_confirm(const kh_serve_ctx *ctx, const char *arg, const kh_serve_form *form,
                             kh_serve_reply *reply) {
  (void)form;
  char *dir = imports_dir(ctx);
  remove_stale(dir);
  char *folder = valid_id(arg) ? g_build_filename(dir, arg, NULL) : NULL;
  kept k;
  if (!folder || !kept_read(folder, &k)) {
    kh_serve_error(reply, 404, "这次上传已经导入或已过期（一小时），请重新上传");
  } else {
    confirm(ctx, &k, reply);
    kept_clear(&k);
    if (reply->status == 200)
      kh_fs_remove_tree(folder);
  }
  g_free(folder);
  g_free(dir);
}

json_t *kh_serve_import_months(const kh_dataset *ds) {
  int latest = 0;
  for (int m = 1; m <= 12; m++)
    if (ds->months[m - 1].present)
      latest = m;
  /* the month being collected: the one after the latest with a file */
  int proposed = latest < 12 ? latest + 1 : 12;
  json_t *months = json_array();
  for (int m = 1; m <= 12; m++)
    json_array_append_new(months, json_pack("{s:o, s:o, s:b}", "value",
                                            json_sprintf("%04d-%02d", ds->rules.year, m), "text",
                                            json_sprintf("%d年%d月", ds->rules.year, m),
                                            "selected", m == proposed));
  return months;
}
