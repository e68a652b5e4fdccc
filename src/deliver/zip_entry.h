/* Reading one member of a zip file held in memory, enough to look inside a
 * workbook kaohe wrote (stored or deflated members, no zip64, no
 * encryption). Internal to src/deliver. */
#ifndef KAOHE_DELIVER_ZIP_ENTRY_H
#define KAOHE_DELIVER_ZIP_ENTRY_H

#include <glib.h>

/* The uncompressed bytes of the member called name, found through the
 * central directory; NULL when the zip is malformed, has no such member,
 * or the member is bigger than max_bytes. Caller frees with g_bytes_unref(). */
GBytes *kh_zip_entry(const guint8 *zip, gsize len, const char *name, gsize max_bytes);

#endif
