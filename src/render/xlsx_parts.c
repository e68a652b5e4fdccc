/* How libxlsxwriter 1.1.4 writes the parts of a workbook (xlsx_parts.h).
 *
 * A township workbook is ten small zip parts, and at province scale the
 * month writes 15,000 of them; most of that run's time is libxlsxwriter
 * writing each part to a temporary file and deflating it
 * (docs/performance.md). The library has no setting for either, so both
 * calls are answered here. Where the dynamic linker does not route them
 * here (a static libxlsxwriter) the workbooks are the same, only slower to
 * write. */
#define _GNU_SOURCE /* fopencookie(), RTLD_NEXT */
#include "render/xlsx_parts.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <minizip/zip.h>
#include <xlsxwriter/utility.h>

/* ---- parts in memory --------------------------------------------------- */

/* A part as libxlsxwriter writes it: the bytes so far and the position. */
typedef struct {
  GByteArray *bytes;
  gsize pos;
} memory_part;

static ssize_t part_read(void *cookie, char *buf, size_t size) {
  memory_part *p = cookie;
  gsize n = p->pos < p->bytes->len ? MIN(size, p->bytes->len - p->pos) : 0;
  if (n == 0) /* an empty part has no data pointer at all */
    return 0;
  memcpy(buf, p->bytes->data + p->pos, n);
  p->pos += n;
  return (ssize_t)n;
}

/* Writes at the position, growing the part (with zeros past its end, as a
 * file would). GLib aborts when memory runs out, as everywhere in kaohe. */
static ssize_t part_write(void *cookie, const char *buf, size_t size) {
  memory_part *p = cookie;
  if (size == 0)
    return 0;
  if (size > G_MAXUINT - p->pos) {
    errno = EFBIG;
    return -1;
  }
  if (p->pos + size > p->bytes->len) {
    guint old = p->bytes->len;
    g_byte_array_set_size(p->bytes, (guint)(p->pos + size));
    if (p->pos > old)
      memset(p->bytes->data + old, 0, p->pos - old);
  }
  memcpy(p->bytes->data + p->pos, buf, size);
  p->pos += size;
  return (ssize_t)size;
}

static int part_seek(void *cookie, off64_t *offset, int whence) {
  memory_part *p = cookie;
  off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)p->pos
                                                              : (off64_t)p->bytes->len;
  if (*offset < -base || *offset > (off64_t)G_MAXUINT - base) {
    errno = EINVAL;
    return -1;
  }
  p->pos = (gsize)(base + *offset);
  *offset = (off64_t)p->pos;
  return 0;
}

static int part_close(void *cookie) {
  memory_part *p = cookie;
  g_byte_array_unref(p->bytes);
  g_free(p);
  return 0;
}

/* libxlsxwriter writes each part of a workbook into a file from
 * lxw_tmpfile() (created in a folder, unlinked, written with fprintf, read
 * back and deflated into the zip, closed): at province scale 15,000 files,
 * a quarter of the month's time in the kernel. This definition, in the
 * program, comes first in the dynamic linker's search, so its calls land
 * here and get a stream in memory instead: the same bytes, no file, and
 * no part cut short by a full disk. `tmpdir` is not needed. */
FILE *lxw_tmpfile(char *tmpdir) {
  (void)tmpdir;
  static const cookie_io_functions_t io = {
      .read = part_read, .write = part_write, .seek = part_seek, .close = part_close};
  memory_part *p = g_new0(memory_part, 1);
  p->bytes = g_byte_array_new();
  FILE *f = fopencookie(p, "w+", io);
  if (!f)
    part_close(p);
  return f;
}

/* ---- deflate level ------------------------------------------------------ */

typedef __typeof__(zipOpenNewFileInZip4_64) open_entry_fn;

static open_entry_fn *minizip_open_entry(void) {
  static gsize found;
  static open_entry_fn *real;
  if (g_once_init_enter(&found)) {
    real = (open_entry_fn *)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    g_once_init_leave(&found, 1);
  }
  return real;
}

/* libxlsxwriter opens every part with minizip's zipOpenNewFileInZip4_64()
 * at zlib's default level, 6, and offers no other. This definition, in the
 * program, comes first in the dynamic linker's search, so libxlsxwriter's
 * calls land here and go on to minizip's with KH_XLSX_DEFLATE_LEVEL. On
 * the 1,500-township month level 3 takes a fifth less CPU than 6 for
 * workbooks 5% (township) and 14% (county) larger: a township's mail
 * carries 9.1 KB instead of 8.6 KB (docs/performance.md).
 * tests/e2e/xlsx_parts.sh re-deflates the parts to check it holds. */
int zipOpenNewFileInZip4_64(zipFile file, const char *filename,
                            const zip_fileinfo *zipfi, const void *extrafield_local,
                            uInt size_extrafield_local, const void *extrafield_global,
                            uInt size_extrafield_global, const char *comment,
                            int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            uLong crcForCrypting, uLong versionMadeBy,
                            uLong flagBase, int zip64) {
  open_entry_fn *real = minizip_open_entry();
  if (!real)
    return ZIP_INTERNALERROR;
  if (method == Z_DEFLATED && level == Z_DEFAULT_COMPRESSION)
    level = KH_XLSX_DEFLATE_LEVEL;
  return real(file, filename, zipfi, extrafield_local, size_extrafield_local,
              extrafield_global, size_extrafield_global, comment, method, level,
              raw, windowBits, memLevel, strategy, password, crcForCrypting,
              versionMadeBy, flagBase, zip64);
}
