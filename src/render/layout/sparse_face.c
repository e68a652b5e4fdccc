/* A face that holds only the outlines a subset needs (sparse_face.h). */
#include "render/layout/sparse_face.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAG_GLYF HB_TAG('g', 'l', 'y', 'f')
#define TAG_LOCA HB_TAG('l', 'o', 'c', 'a')
#define TAG_HEAD HB_TAG('h', 'e', 'a', 'd')
#define TAG_TTCF HB_TAG('t', 't', 'c', 'f')
/* head.indexToLocFormat: 0 = loca holds offsets / 2 in 16 bits */
#define HEAD_LOC_FORMAT 50
/* glyf: a composite glyph's component records (OpenType's flags) */
#define ARGS_ARE_WORDS 0x0001
#define HAS_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define HAS_XY_SCALE 0x0040
#define HAS_2X2 0x0080
#define COMPOSITE_DEPTH_MAX 16

typedef struct {
  int fd;
  uint8_t *data; /* the file's size, anonymous: only what is read is resident */
  size_t size;
} sparse_file;

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool in_file(const sparse_file *f, uint64_t off, uint64_t len) {
  return off <= f->size && len <= f->size - off;
}

/* Copies bytes [off, off + len) of the file to the same offset of the
 * buffer; false when they are not all in the file or cannot be read. */
static bool fill(sparse_file *f, uint64_t off, uint64_t len) {
  if (!in_file(f, off, len))
    return false;
  while (len > 0) {
    ssize_t n = pread(f->fd, f->data + off, len, (off_t)off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    off += (uint64_t)n;
    len -= (uint64_t)n;
  }
  return true;
}

typedef struct {
  uint32_t glyf_off, glyf_len, loca_off, loca_len;
  bool long_loca;
} outline_tables;

/* Where glyph `gid`'s outline lies in glyf: [*start, *end). */
static bool outline_range(const sparse_file *f, const outline_tables *t, unsigned gid,
                          uint32_t *start, uint32_t *end) {
  uint64_t entry = t->long_loca ? 4 : 2;
  if ((uint64_t)(gid + 1) * entry + entry > t->loca_len)
    return false;
  const uint8_t *loca = f->data + t->loca_off;
  if (t->long_loca) {
    *start = be32(loca + gid * 4);
    *end = be32(loca + gid * 4 + 4);
  } else {
    *start = be16(loca + gid * 2) * 2u;
    *end = be16(loca + gid * 2 + 2) * 2u;
  }
  return *start <= *end && *end <= t->glyf_len;
}

/* Reads glyph gid's outline and, for a composite, its components'. An
 * outline out of bounds is left empty, as HarfBuzz would take it. */
static bool fill_outline(sparse_file *f, const outline_tables *t, unsigned gid,
                         hb_set_t *done, int depth) {
  uint32_t start, end;
  if (hb_set_has(done, gid) || !outline_range(f, t, gid, &start, &end))
    return true;
  hb_set_add(done, gid);
  if (!fill(f, (uint64_t)t->glyf_off + start, end - start))
    return false;
  const uint8_t *g = f->data + t->glyf_off + start, *stop = g + (end - start);
  if (end - start < 10 || (int16_t)be16(g) >= 0 || depth >= COMPOSITE_DEPTH_MAX)
    return true;
  for (const uint8_t *p = g + 10; p + 4 <= stop;) {
    uint16_t flags = be16(p), component = be16(p + 2);
    if (!fill_outline(f, t, component, done, depth + 1))
      return false;
    p += 4 + ((flags & ARGS_ARE_WORDS) ? 4 : 2);
    p += (flags & HAS_SCALE) ? 2 : (flags & HAS_XY_SCALE) ? 4 : (flags & HAS_2X2) ? 8 : 0;
    if (!(flags & MORE_COMPONENTS))
      break;
  }
  return true;
}

/* Reads face `index`'s table directory and every table it keeps; notes
 * where glyf and loca are. */
static bool fill_tables(sparse_file *f, unsigned index, const hb_set_t *skip,
                        outline_tables *t) {
  uint64_t dir = 0;
  if (!fill(f, 0, 12))
    return false;
  if (be32(f->data) == TAG_TTCF) {
    if (index >= be32(f->data + 8) || !fill(f, 12, 4 * ((uint64_t)index + 1)))
      return false;
    dir = be32(f->data + 12 + 4 * index);
    if (!fill(f, dir, 12))
      return false;
  }
  unsigned n_tables = be16(f->data + dir + 4);
  if (!fill(f, dir + 12, 16 * (uint64_t)n_tables))
    return false;
  bool have_glyf = false, have_loca = false, have_head = false;
  for (unsigned i = 0; i < n_tables; i++) {
    const uint8_t *rec = f->data + dir + 12 + 16 * i;
    hb_tag_t tag = be32(rec);
    uint32_t off = be32(rec + 8), len = be32(rec + 12);
    if (tag == TAG_GLYF) {
      t->glyf_off = off, t->glyf_len = len, have_glyf = true;
      if (!in_file(f, off, len)) /* read glyph by glyph */
        return false;
      continue;
    }
    if (hb_set_has(skip, tag))
      continue;
    if (!fill(f, off, len))
      return false;
    if (tag == TAG_LOCA)
      t->loca_off = off, t->loca_len = len, have_loca = true;
    if (tag == TAG_HEAD && len >= HEAD_LOC_FORMAT + 2)
      t->long_loca = be16(f->data + off + HEAD_LOC_FORMAT) != 0, have_head = true;
  }
  return have_glyf && have_loca && have_head;
}

static void sparse_file_free(void *p) {
  sparse_file *f = p;
  if (f->data)
    munmap(f->data, f->size);
  if (f->fd >= 0)
    close(f->fd);
  g_free(f);
}

hb_face_t *kh_sparse_face_new(const char *file, unsigned index, hb_face_t *full,
                              const hb_set_t *unicodes, const hb_set_t *skip_tables,
                              char **error) {
  sparse_file *f = g_new0(sparse_file, 1);
  struct stat st;
  f->fd = g_open(file, O_RDONLY | O_CLOEXEC, 0);
  if (f->fd < 0 || fstat(f->fd, &st) != 0 || st.st_size <= 0 || st.st_size > UINT_MAX) {
    *error = g_strdup_printf("无法读取字体文件：%s", g_strerror(errno));
    sparse_file_free(f);
    return NULL;
  }
  f->size = (size_t)st.st_size;
  f->data = mmap(NULL, f->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (f->data == MAP_FAILED) {
    f->data = NULL;
    *error = g_strdup("内存不足，无法读取字体");
    sparse_file_free(f);
    return NULL;
  }
  outline_tables t = {0};
  bool ok = fill_tables(f, index, skip_tables, &t);
  hb_font_t *font = hb_font_create(full);
  hb_set_t *done = hb_set_create();
  for (hb_codepoint_t u = HB_SET_VALUE_INVALID; ok && hb_set_next(unicodes, &u);) {
    hb_codepoint_t gid;
    if (hb_font_get_nominal_glyph(font, u, &gid))
      ok = fill_outline(f, &t, gid, done, 0);
  }
  hb_set_destroy(done);
  hb_font_destroy(font);
  if (!ok) {
    *error = g_strdup("字体文件已损坏或被截短，无法读取其字形");
    sparse_file_free(f);
    return NULL;
  }
  hb_blob_t *blob = hb_blob_create((const char *)f->data, (unsigned)f->size,
                                   HB_MEMORY_MODE_READONLY, f, sparse_file_free);
  hb_face_t *face = hb_face_create(blob, index);
  hb_blob_destroy(blob);
  return face;
}
