/* Writing a month's file (month_file.h). */
#include "kaohe/deliver.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "deliver/fsops.h"
#include "load/sheet_table.h"

char *kh_month_file_text(const kh_dataset *ds, const kh_month_rows *rows) {
  int nf = kh_n_fields(ds);
  GString *s = g_string_new("\xEF\xBB\xBFtownship");
  for (int f = 0; f < nf; f++)
    g_string_append_printf(s, ",%s", ((const kh_field *)g_ptr_array_index(ds->fields, f))->id);
  g_string_append(s, "\r\n");
  for (int t = 0; t < kh_n_townships(ds); t++) {
    if (!rows->has[t])
      continue;
    const char *code = kh_township_at(ds, t)->code;
    /* a code is a plain word (no comma or quote): the registry's rule */
    bool quote = strpbrk(code, ",\"\r\n") != NULL;
    g_string_append_printf(s, quote ? "\"%s\"" : "%s", code);
    for (int f = 0; f < nf; f++) {
      double v = rows->values[t * nf + f];
      g_string_append_c(s, ',');
      if (!isnan(v)) {
        char *text = kh_sheet_number_text(v);
        g_string_append(s, text);
        g_free(text);
      }
    }
    g_string_append(s, "\r\n");
  }
  return g_string_free(s, FALSE);
}

typedef struct {
  char *from, *to;
} move;

/* backup/STEM.STAMP.EXT, or STEM.STAMP-2.EXT … when taken: two imports
 * in one second (the web console's) must not lose the first one's backup. */
static char *backup_name(const char *backup, const char *stem, const char *stamp, const char *ext) {
  char *name = g_strdup_printf("%s.%s.%s", stem, stamp, ext);
  char *path = g_build_filename(backup, name, NULL);
  for (int n = 2; g_file_test(path, G_FILE_TEST_EXISTS); n++) {
    g_free(name);
    g_free(path);
    name = g_strdup_printf("%s.%s-%d.%s", stem, stamp, n, ext);
    path = g_build_filename(backup, name, NULL);
  }
  g_free(name);
  return path;
}

bool kh_month_file_write(const kh_dataset *ds, int month, const char *text, const char *stamp,
                         GPtrArray *moved, kh_diags *diags) {
  char *dir = g_build_filename(ds->dir, "monthly", NULL);
  char *backup = g_build_filename(dir, "备份", NULL);
  char *stem = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  char *target_name = g_strconcat(stem, ".csv", NULL);
  char *target = g_build_filename(dir, target_name, NULL);
  char *tmp = g_strdup_printf("%s/.%s.tmp-%d", dir, target_name, (int)getpid());
  GError *err = NULL;
  GArray *moves = g_array_new(FALSE, FALSE, sizeof(move));
  bool ok = g_mkdir_with_parents(dir, 0755) == 0 &&
            g_file_set_contents(tmp, text, -1, &err) && kh_fs_sync(tmp, &err);
  if (!ok) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法写入月报文件：%s",
                 err ? err->message : g_strerror(errno));
    g_clear_error(&err);
  }
  static const char *const exts[] = {"csv", "xlsx", "xls"};
  for (guint i = 0; ok && i < G_N_ELEMENTS(exts); i++) {
    char *name = g_strdup_printf("%s.%s", stem, exts[i]);
    char *from = g_build_filename(dir, name, NULL);
    g_free(name);
    if (!g_file_test(from, G_FILE_TEST_EXISTS)) {
      g_free(from);
      continue;
    }
    char *to = backup_name(backup, stem, stamp, exts[i]);
    if (g_mkdir_with_parents(backup, 0755) != 0 || g_rename(from, to) != 0) {
      kh_diags_add(diags, KH_ERROR, from, 1, 1, NULL, "无法移入备份目录 %s：%s", backup,
                   g_strerror(errno));
      ok = false;
      g_free(from);
      g_free(to);
    } else {
      move m = {from, to};
      g_array_append_val(moves, m);
    }
  }
  if (ok && g_rename(tmp, target) != 0) {
    kh_diags_add(diags, KH_ERROR, target, 1, 1, NULL, "无法写入月报文件：%s", g_strerror(errno));
    ok = false;
  }
  if (ok)
    kh_fs_sync(dir, NULL);
  for (guint i = 0; i < moves->len; i++) {
    move *m = &g_array_index(moves, move, i);
    if (!ok)
      g_rename(m->to, m->from); /* put back what was moved */
    else if (moved)
      g_ptr_array_add(moved, g_strdup(m->to));
    g_free(m->from);
    g_free(m->to);
  }
  if (!ok)
    g_unlink(tmp);
  g_array_unref(moves);
  g_free(tmp);
  g_free(target);
  g_free(target_name);
  g_free(stem);
  g_free(backup);
  g_free(dir);
  return ok;
}
