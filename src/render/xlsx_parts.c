/* How libxlsxwriter 1.1.4 writes the parts of a workbook (xlsx_parts.h).
 *
 * A township workbook is 14 small zip parts, and at province scale the
 * month writes 21,000 of them; most of that run's time is libxlsxwriter
 * writing each part to a temporary file and deflating it
 * (docs/performance.md). The library has no setting for either, so: */
#include "render/xlsx_parts.h"

#include <dlfcn.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include <glib.h>
#include <minizip/zip.h>

/* The parts go to this memory folder when it has this much room (bytes);
 * the largest part of a 5,000-township county workbook is a few megabytes. */
#define SHM_FOLDER "/dev/shm"
#define SHM_ROOM_MIN (256.0 * 1024 * 1024)

/* /dev/shm: creating, writing and deleting a dozen files per workbook costs
 * no disk work there. Not the output folder: libxlsxwriter does not notice
 * a part that could not be written in full, so a full output disk could
 * then yield a broken workbook; that is also why /dev/shm must have room. */
const char *kh_xlsx_parts_folder(void) {
  static gsize chosen;
  static const char *folder;
  if (g_once_init_enter(&chosen)) {
    struct statvfs fs;
    if (access(SHM_FOLDER, W_OK | X_OK) == 0 && statvfs(SHM_FOLDER, &fs) == 0 &&
        (double)fs.f_bavail * fs.f_frsize >= SHM_ROOM_MIN)
      folder = SHM_FOLDER;
    g_once_init_leave(&chosen, 1);
  }
  return folder;
}

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
 * workbooks 5% (township) and 14% (county) larger: 11.8 KB instead of
 * 11.2 KB for a township's mail (docs/performance.md).
 * tests/e2e/xlsx_deflate_level.sh re-deflates the parts to check it holds.
 * Where the dynamic linker does not route the call here (a static
 * libxlsxwriter) the workbooks are the same, only slower to write. */
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
