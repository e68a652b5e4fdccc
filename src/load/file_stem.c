/* The part of every per-township file name that says whose it is
 * (load.h): kh_township_file_stem() makes it, and the registry refuses
 * townships whose stems would be one file, so names made from it are
 * unique by construction. */
#include "kaohe/load.h"

#include <string.h>

/* Bytes of the code and of the name kept in a file name: with the period
 * and the suffix the name stays well under the 255 bytes of a file name. */
#define CODE_BYTES 40
#define NAME_BYTES 90

/* s with every character a file name on Windows or Unix cannot hold
 * (/\:*?"<>| and control characters) replaced by '_', cut to at most
 * max_bytes at a character boundary. */
static void append_part(GString *out, const char *s, gsize max_bytes) {
  char *valid = g_utf8_make_valid(s ? s : "", -1);
  gsize start = out->len;
  for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c < 0x20 || c == 0x7F || (c < 0x80 && strchr("/\\:*?\"<>|", (int)c) != NULL))
      c = '_';
    char buf[6];
    int n = g_unichar_to_utf8(c, buf);
    if (out->len - start + (gsize)n > max_bytes)
      break;
    g_string_append_len(out, buf, n);
  }
  g_free(valid);
}

char *kh_township_file_stem(const kh_township *tw) {
  GString *out = g_string_new(NULL);
  append_part(out, tw->code, CODE_BYTES);
  g_string_append_c(out, '_');
  append_part(out, tw->name, NAME_BYTES);
  return g_string_free(out, FALSE);
}

char *kh_file_stem_key(const char *stem) {
  char *nfc = g_utf8_normalize(stem, -1, G_NORMALIZE_NFC);
  char *key = g_utf8_casefold(nfc ? nfc : stem, -1);
  g_free(nfc);
  return key;
}
