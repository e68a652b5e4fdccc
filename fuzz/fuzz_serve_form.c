/* Fuzzes the web console's form decoding (src/serve/form.c) with any
 * sequence of pieces libmicrohttpd's post processor could hand it: keys,
 * browser file names, offsets and sizes all taken from the input. Each
 * piece is one op:
 *
 *   byte 0: bits 0-1 the key (csrf, files, note, or a name from the input),
 *           bits 2-3 the file name (none, "", "a.csv", or one from the
 *           input), bits 4-5 the offset (0, where the part stands, a
 *           64-bit number from the input, the part's length so far plus
 *           one), bit 6: the data are zeros of 2^(12+n) bytes (n: the next
 *           byte's low 4 bits: up to 64 MB, to reach the limits)
 *   then:   a length byte and that many bytes for each name taken from the
 *           input, then a length byte and that many bytes of data.
 *
 * After the form ends: a kept form has at most 64 parts, within 32 MB,
 * fields of at most 64 KB received, in valid UTF-8 (at most three times
 * that once bytes that are not UTF-8 are replaced), and each upload saved as
 * upload-N[.ext] in the form's folder with exactly its size; a refused one
 * says 413 or 500 and keeps no field, no upload and no folder. Once
 * cleared, nothing is left in the state folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "support.h"
#include "serve/serve.h"

typedef struct {
  const uint8_t *p;
  size_t n;
} input;

static bool take(input *in, size_t k, const uint8_t **out) {
  if (in->n < k)
    return false;
  *out = in->p;
  in->p += k;
  in->n -= k;
  return true;
}

/* A length byte and that many bytes, as a string (owned), or NULL. */
static char *take_string(input *in) {
  const uint8_t *len, *bytes;
  if (!take(in, 1, &len) || !take(in, *len, &bytes))
    return NULL;
  return g_strndup((const char *)bytes, *len); /* a NUL inside ends it, as in C */
}

/* Stops at a broken promise, saying which. */
#define check(ok)                                                            \
  do {                                                                       \
    if (!(ok)) {                                                             \
      fprintf(stderr, "fuzz_serve_form.c:%d: %s\n", __LINE__, #ok);          \
      __builtin_trap();                                                      \
    }                                                                        \
  } while (0)

static bool saved_name(const char *base) {
  if (!g_str_has_prefix(base, "upload-"))
    return false;
  const char *p = base + strlen("upload-");
  size_t digits = strspn(p, "0123456789");
  if (!digits)
    return false;
  p += digits;
  if (!*p)
    return true;
  if (*p != '.' || strlen(p) < 2 || strlen(p) > 6)
    return false;
  for (p++; *p; p++)
    if (!g_ascii_isdigit(*p) && !g_ascii_islower(*p))
      return false;
  return true;
}

static int entries(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  int n = 0;
  while (d && g_dir_read_name(d))
    n++;
  if (d)
    g_dir_close(d);
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *state = kh_fuzz_scratch();
  kh_serve_form form;
  kh_serve_form_init(&form, state);
  input in = {data, size};
  static char zeros[1 << 16];
  GHashTable *lengths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  bool ok = true;
  const uint8_t *op;
  int ops = 0;
  while (ok && ops++ < 200 && take(&in, 1, &op)) {
    static const char *const keys[] = {"csrf", "files", "note"};
    static const char *const names[] = {NULL, "", "a.csv"};
    char *key = (*op & 3) < 3 ? g_strdup(keys[*op & 3]) : take_string(&in);
    char *filename = ((*op >> 2) & 3) < 3 ? g_strdup(names[(*op >> 2) & 3]) : take_string(&in);
    if (!key) {
      g_free(filename);
      break;
    }
    uint64_t so_far = GPOINTER_TO_SIZE(g_hash_table_lookup(lengths, key));
    uint64_t off = 0;
    const uint8_t *raw;
    switch ((*op >> 4) & 3) {
    case 1: off = so_far; break;
    case 2:
      if (take(&in, 8, &raw))
        memcpy(&off, raw, 8);
      break;
    case 3: off = so_far + 1; break;
    }
    if (*op & 0x40) {
      const uint8_t *exp;
      size_t total = (size_t)1 << (12 + (take(&in, 1, &exp) ? (*exp & 15) : 0));
      for (size_t done = 0; ok && done < total; done += sizeof zeros) {
        ok = kh_serve_form_feed(&form, key, filename, zeros, off + done, sizeof zeros);
        so_far = off + done + sizeof zeros;
      }
    } else {
      char *piece = take_string(&in);
      size_t len = piece ? strlen(piece) : 0;
      ok = kh_serve_form_feed(&form, key, filename, piece ? piece : "", off, len);
      so_far = off + len;
      g_free(piece);
    }
    g_hash_table_replace(lengths, key, GSIZE_TO_POINTER((gsize)so_far));
    g_free(filename);
  }
  g_hash_table_destroy(lengths);
  ok = kh_serve_form_finish(&form) && ok;

  if (ok) {
    check(!form.error && form.parts <= KH_SERVE_MAX_PARTS && form.bytes <= KH_SERVE_MAX_BODY);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, form.fields);
    while (g_hash_table_iter_next(&it, &k, &v))
      /* each byte that is not UTF-8 (a NUL too) became U+FFFD, three bytes */
      check(g_utf8_validate(v, -1, NULL) && strlen(v) <= 3 * KH_SERVE_MAX_FIELD);
    for (guint i = 0; i < form.uploads->len; i++) {
      kh_serve_upload *u = g_ptr_array_index(form.uploads, i);
      char *dir = g_path_get_dirname(u->path), *base = g_path_get_basename(u->path);
      check(form.upload_dir && strcmp(dir, form.upload_dir) == 0 && saved_name(base));
      check(g_utf8_validate(u->filename, -1, NULL) && !strchr(u->filename, '/') &&
            !strchr(u->filename, '\\') && *u->filename);
      for (const char *p = u->filename; *p; p++)
        check((unsigned char)*p >= 0x20 && *p != 0x7f);
      GStatBuf st;
      check(g_lstat(u->path, &st) == 0 && S_ISREG(st.st_mode) && (gsize)st.st_size == u->size);
      g_free(dir);
      g_free(base);
    }
  } else {
    check((form.error_status == 413 || form.error_status == 500) && form.error);
    check(g_hash_table_size(form.fields) == 0 && form.uploads->len == 0 && !form.upload_dir);
    check(entries(state) == 0);
  }
  kh_serve_form_clear(&form);
  check(entries(state) == 0);
  return 0;
}
