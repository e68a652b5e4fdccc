/* Text decoding of dataset files (docs/reference/dataset.md), internal to the load stage:
 * the buffer form of kh_read_text_file(), so tests need no files. */
#ifndef KAOHE_LOAD_ENCODING_H
#define KAOHE_LOAD_ENCODING_H

#include "kaohe/load.h"

/* Decodes raw bytes read from `path` (used only in diagnostics): UTF-8
 * (BOM stripped) when valid, else GB18030. Returns NUL-terminated UTF-8
 * without NUL bytes and its length in *len; or NULL after appending one
 * located error (the first NUL or undecodable byte, a UTF-16 or Excel
 * file). Caller frees with g_free(). */
char *kh_decode_text(const char *path, const char *raw, gsize raw_len,
                     gsize *len, kh_diags *diags);

#endif
