/* One member of a zip in memory (zip_entry.h). Every offset read from the
 * file is checked against its length before use: the bytes come from a
 * folder anyone with write access may have changed. */
#include "deliver/zip_entry.h"

#include <stdbool.h>
#include <string.h>
#include <zlib.h>

#define EOCD_SIG 0x06054b50u
#define CENTRAL_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u
#define EOCD_SIZE 22
#define CENTRAL_SIZE 46
#define LOCAL_SIZE 30

static guint16 le16(const guint8 *p) { return (guint16)(p[0] | p[1] << 8); }
static guint32 le32(const guint8 *p) {
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* Offset of the end-of-central-directory record, or -1. */
static gssize find_eocd(const guint8 *zip, gsize len) {
  if (len < EOCD_SIZE)
    return -1;
  gsize lowest = len - EOCD_SIZE > 0xFFFF ? len - EOCD_SIZE - 0xFFFF : 0;
  for (gsize at = len - EOCD_SIZE + 1; at-- > lowest;)
    if (le32(zip + at) == EOCD_SIG)
      return (gssize)at;
  return -1;
}

static GBytes *inflate_raw(const guint8 *data, gsize size, gsize out_size) {
  guint8 *out = g_malloc(out_size ? out_size : 1);
  z_stream z = {.next_in = (Bytef *)data, .avail_in = (uInt)size, .next_out = out,
                .avail_out = (uInt)out_size};
  bool ok = inflateInit2(&z, -MAX_WBITS) == Z_OK;
  ok = ok && inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == out_size;
  inflateEnd(&z);
  if (!ok) {
    g_free(out);
    return NULL;
  }
  return g_bytes_new_take(out, out_size);
}

GBytes *kh_zip_entry(const guint8 *zip, gsize len, const char *name, gsize max_bytes) {
  gssize eocd = find_eocd(zip, len);
  if (eocd < 0)
    return NULL;
  gsize count = le16(zip + eocd + 10);
  gsize at = le32(zip + eocd + 16);
  gsize name_len = strlen(name);
  for (gsize k = 0; k < count; k++) {
    if (at > len || len - at < CENTRAL_SIZE || le32(zip + at) != CENTRAL_SIG)
      return NULL;
    const guint8 *c = zip + at;
    gsize n = le16(c + 28), extra = le16(c + 30), comment = le16(c + 32);
    if (len - at - CENTRAL_SIZE < n)
      return NULL;
    if (n == name_len && memcmp(c + CENTRAL_SIZE, name, n) == 0) {
      guint16 method = le16(c + 10);
      gsize packed = le32(c + 20), size = le32(c + 24), local = le32(c + 42);
      if (local > len || len - local < LOCAL_SIZE || le32(zip + local) != LOCAL_SIG ||
          size > max_bytes || (le16(c + 8) & 1) /* encrypted */)
        return NULL;
      gsize data = local + LOCAL_SIZE + le16(zip + local + 26) + le16(zip + local + 28);
      if (data > len || len - data < packed)
        return NULL;
      if (method == 0)
        return packed == size ? g_bytes_new(zip + data, size) : NULL;
      return method == 8 ? inflate_raw(zip + data, packed, size) : NULL;
    }
    at += CENTRAL_SIZE + n + extra + comment;
  }
  return NULL;
}
