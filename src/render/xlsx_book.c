/* The workbook (xlsx_common.h): its temporary file beside the target and
 * its close, the first failure recorded, and its sheets with names Excel
 * accepts. */
#include "render/xlsx_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "kaohe/kaohe.h"

/* Excel's limit on a sheet name, in UTF-16 units. */
#define SHEET_NAME_MAX 31

/* ---- names ------------------------------------------------------------- */

static gunichar full_width(gunichar c) {
  switch (c) {
  case '[': return 0xFF3B;
  case ']': return 0xFF3D;
  case ':': return 0xFF1A;
  case '*': return 0xFF0A;
  case '?': return 0xFF1F;
  case '/': return 0xFF0F;
  case '\\': return 0xFF3C;
  default: return c;
  }
}

static bool trimmed_in_sheet_name(gunichar c) {
  return c == '\'' || g_unichar_isspace(c);
}

char *kh_xlsx_sheet_name(const char *wanted, const char *fallback) {
  char *valid = g_utf8_make_valid(wanted ? wanted : "", -1);
  GString *out = g_string_new(NULL);
  gsize keep = 0; /* length of out without trailing trimmed characters */
  int units = 0;
  for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
    gunichar c = full_width(g_utf8_get_char(p));
    if (g_unichar_iscntrl(c) || (out->len == 0 && trimmed_in_sheet_name(c)))
      continue;
    int u = c > 0xFFFF ? 2 : 1;
    if (units + u > SHEET_NAME_MAX)
      break;
    units += u;
    g_string_append_unichar(out, c);
    if (!trimmed_in_sheet_name(c))
      keep = out->len;
  }
  g_string_truncate(out, keep);
  g_free(valid);
  if (out->len == 0) {
    g_string_free(out, TRUE);
    return g_strdup(fallback);
  }
  return g_string_free(out, FALSE);
}

/* ---- the workbook ------------------------------------------------------ */

static void sheet_free(kh_xlsx_sheet *s) {
  g_free(s->name);
  g_array_unref(s->widths);
  g_array_unref(s->wrapped);
  g_free(s);
}

static void book_free(kh_xlsx_book *b) {
  g_free(b->tmpdir);
  g_free(b->path);
  g_free(b->tmp_path);
  g_hash_table_unref(b->formats);
  for (guint k = 0; k < b->numbers->len; k++)
    g_free(g_array_index(b->numbers, number_slot, k).suffix);
  g_array_unref(b->numbers);
  g_ptr_array_unref(b->sheets);
  g_free(b->err_what);
  g_free(b);
}

/* Township workbooks are rendered in parallel, and workbook_close() (where
 * nearly all the work is: the XML of every part, deflated into the zip)
 * runs in several threads at once. What libxlsxwriter 1.1.4 shares between
 * threads there is harmless as kaohe uses it:
 *  - gmtime()'s static result, for the document properties: every workbook
 *    of a run records the same time (meta->created), and glibc stores only
 *    final field values, so a thread reading it while another fills it
 *    reads the same date. Nothing else of kaohe calls gmtime(),
 *    localtime() or ctime() (the PDF/A's ID is kaohe's own, pdfa.c).
 *  - the names of its temporary files (tmpfileplus, one per part, created
 *    with O_EXCL and unlinked at once): a name two threads happen to pick
 *    alike is refused to the second, which picks another.
 * GLib's g_mkstemp_full() counter is shared, and cheap to guard. */
G_LOCK_DEFINE_STATIC(mkstemp_counter);

/* The temporary file beside path: ".NAME.XXXXXX", created with the mode a
 * plain fopen() would give (0666 less the umask). */
static char *make_temporary(const char *path, kh_diags *diags) {
  char *dir = g_path_get_dirname(path);
  char *base = g_path_get_basename(path);
  char *name = g_strdup_printf(".%s.XXXXXX", strlen(base) <= 200 ? base : "kaohe");
  char *tmp = g_build_filename(dir, name, NULL);
  g_free(dir);
  g_free(base);
  g_free(name);
  G_LOCK(mkstemp_counter);
  int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0666);
  int e = errno;
  G_UNLOCK(mkstemp_counter);
  if (fd < 0) {
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "无法在目标文件夹中创建临时文件: %s", g_strerror(e));
    g_free(tmp);
    return NULL;
  }
  close(fd);
  return tmp;
}

/* Where libxlsxwriter writes the parts of a workbook before it deflates
 * them into the zip, one temporary file each (15,000 at province scale): a
 * memory file system when there is one, /dev/shm, else the workbook's own
 * folder (the staging folder), never /tmp, which may be small or slow and
 * is not the output's. The library has no way to keep them in memory, and
 * kaohe no longer puts its own functions in the library's place
 * (docs/decisions.md). Caller frees with g_free(). */
static char *parts_folder(const char *path) {
  if (g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) && g_access("/dev/shm", W_OK | X_OK) == 0)
    return g_strdup("/dev/shm");
  return g_path_get_dirname(path);
}

kh_xlsx_book *kh_xlsx_book_new(const char *path, const kh_doc_meta *meta,
                               const kh_xlsx_props *props, kh_diags *diags) {
  char *tmp = make_temporary(path, diags);
  if (!tmp)
    return NULL;
  char *parts = parts_folder(path);
  lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = parts,
                               .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(tmp, &opts);
  if (!wb) {
    g_free(parts);
    kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL,
                 "无法创建 Excel 工作簿");
    g_unlink(tmp);
    g_free(tmp);
    return NULL;
  }
  kh_xlsx_book *b = g_new0(kh_xlsx_book, 1);
  b->wb = wb;
  b->tmpdir = parts;
  b->path = g_strdup(path);
  b->tmp_path = tmp;
  b->formats = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  b->numbers = g_array_new(FALSE, FALSE, sizeof(number_slot));
  b->sheets = g_ptr_array_new_with_free_func((GDestroyNotify)sheet_free);
  lxw_doc_properties p = {
      .title = (char *)props->title,
      .subject = (char *)props->subject,
      .author = (char *)props->author,
      .company = (char *)props->company,
      .keywords = (char *)props->keywords,
      .comments = "kaohe " KAOHE_VERSION,
      /* libxlsxwriter reads 0 as "now": SOURCE_DATE_EPOCH=0 would not give
       * the same file twice, so the epoch is recorded one second late. */
      .created = meta->created != 0 ? meta->created : 1,
  };
  kh_xlsx_check(b, workbook_set_properties(wb, &p), "文档属性");
  return b;
}

bool kh_xlsx_book_close(kh_xlsx_book *b, kh_diags *diags) {
  errno = 0;
  lxw_error closed = workbook_close(b->wb); /* frees wb, even on failure */
  /* What the system said when writing the file failed (a full disk):
   * libxlsxwriter's own text is only "ZIP_ERRNO". */
  int system_error = closed != LXW_NO_ERROR ? errno : 0;
  if (b->err == LXW_NO_ERROR && closed != LXW_NO_ERROR)
    kh_xlsx_check(b, closed, "文件");
  bool ok = b->err == LXW_NO_ERROR;
  if (!ok && system_error && b->err == closed)
    kh_diags_add(diags, KH_ERROR, b->path, 1, 1, NULL,
                 "无法写入 Excel 工作簿: %s: %s", lxw_strerror(b->err),
                 g_strerror(system_error)); /* the system's words last: see kh_explain_system_words */
  else if (!ok)
    kh_diags_add(diags, KH_ERROR, b->path, 1, 1, NULL,
                 "无法写入 Excel 工作簿（%s出错：%s）", b->err_what, lxw_strerror(b->err));
  if (ok && g_rename(b->tmp_path, b->path) != 0) {
    int e = errno;
    kh_diags_add(diags, KH_ERROR, b->path, 1, 1, NULL,
                 "无法把工作簿移到目标位置: %s",
                 g_strerror(e));
    ok = false;
  }
  if (!ok)
    g_unlink(b->tmp_path);
  book_free(b);
  return ok;
}

lxw_workbook *kh_xlsx_workbook(kh_xlsx_book *b) { return b->wb; }

bool kh_xlsx_check(kh_xlsx_book *b, lxw_error err, const char *what) {
  if (err == LXW_NO_ERROR)
    return true;
  if (b->err == LXW_NO_ERROR) {
    b->err = err;
    b->err_what = g_strdup(what);
  }
  return false;
}

/* ---- sheets ------------------------------------------------------------ */

static bool name_taken(kh_xlsx_book *b, const char *name) {
  char *folded = g_utf8_casefold(name, -1);
  bool taken = strcmp(folded, "history") == 0; /* reserved by Excel */
  for (guint k = 0; k < b->sheets->len && !taken; k++) {
    kh_xlsx_sheet *s = g_ptr_array_index(b->sheets, k);
    char *other = g_utf8_casefold(s->name, -1);
    taken = strcmp(folded, other) == 0;
    g_free(other);
  }
  g_free(folded);
  return taken;
}

static glong utf16_units(const char *s) {
  glong units = 0;
  g_free(g_utf8_to_utf16(s, -1, NULL, &units, NULL));
  return units;
}

/* `base` (a safe name) made unique with "(n)", cut to keep 31 units. */
static char *unique_name(kh_xlsx_book *b, const char *base) {
  char *name = g_strdup(base);
  for (int n = 2; name_taken(b, name); n++) {
    char *suffix = g_strdup_printf("(%d)", n);
    glong room = SHEET_NAME_MAX - (glong)strlen(suffix);
    char *cut = g_strdup(base);
    while (utf16_units(cut) > room) {
      char *shorter = g_utf8_substring(cut, 0, g_utf8_strlen(cut, -1) - 1);
      g_free(cut);
      cut = shorter;
    }
    g_free(name);
    name = g_strconcat(cut, suffix, NULL);
    g_free(cut);
    g_free(suffix);
  }
  return name;
}

kh_xlsx_sheet *kh_xlsx_sheet_add(kh_xlsx_book *b, const char *wanted,
                                 const char *fallback) {
  char *safe = kh_xlsx_sheet_name(wanted, fallback);
  char *name = unique_name(b, safe);
  g_free(safe);
  if (workbook_validate_sheet_name(b->wb, name) != LXW_NO_ERROR) {
    g_free(name);
    name = g_strdup_printf("Sheet%u", b->sheets->len + 1);
  }
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
  if (!ws)
    g_error("kaohe: libxlsxwriter could not add a worksheet: out of memory");
  kh_xlsx_sheet *s = g_new0(kh_xlsx_sheet, 1);
  s->book = b;
  s->ws = ws;
  s->name = name;
  s->widths = g_array_new(FALSE, TRUE, sizeof(double));
  s->wrapped = g_array_new(FALSE, FALSE, sizeof(wrapped_cell));
  g_ptr_array_add(b->sheets, s);
  return s;
}
