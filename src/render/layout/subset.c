/* HarfBuzz subsetting into libharu (subset.h). */
#include "render/layout/subset.h"

#include "render/layout/sparse_face.h"

#include <glib.h>
#include <errno.h>
#include <stdbool.h>
#include <glib/gstdio.h>
#include <hb-subset.h>
#include <unistd.h>

/* Writes the subset face to a private temporary file; returns its name or
 * NULL. Caller frees with g_free(). */
static char *write_temp(hb_face_t *subset, char **error) {
  hb_blob_t *blob = hb_face_reference_blob(subset);
  unsigned len = 0;
  const char *data = hb_blob_get_data(blob, &len);
  GError *err = NULL;
  char *name = NULL;
  int fd = len ? g_file_open_tmp("kaohe-font-XXXXXX.ttf", &name, &err) : -1;
  bool ok = fd >= 0;
  for (unsigned done = 0; ok && done < len;) {
    ssize_t n = write(fd, data + done, len - done);
    if (n <= 0)
      ok = false;
    else
      done += (unsigned)n;
  }
  if (fd >= 0 && close(fd) != 0)
    ok = false;
  if (!ok) {
    *error = g_strdup_printf("无法写出临时字体文件：%s",
                             err ? err->message : len ? g_strerror(errno) : "子集为空");
    if (name)
      g_unlink(name);
    g_clear_pointer(&name, g_free);
  }
  g_clear_error(&err);
  hb_blob_destroy(blob);
  return name;
}

HPDF_Font kh_subset_embed(HPDF_Doc pdf, hb_face_t *face, const char *file,
                          unsigned index, const hb_set_t *unicodes, char **error) {
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  if (!input) {
    *error = g_strdup("内存不足，无法生成字体子集");
    return NULL;
  }
  hb_set_union(hb_subset_input_unicode_set(input), unicodes);
  hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const hb_tag_t unused[] = {
      HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
      HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('v', 'h', 'e', 'a'),
      HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('k', 'e', 'r', 'n'),
      HB_TAG('h', 'd', 'm', 'x'), HB_TAG('V', 'D', 'M', 'X'), HB_TAG('L', 'T', 'S', 'H'),
      HB_TAG('g', 'a', 's', 'p'), HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'),
      HB_TAG('E', 'B', 'S', 'C'), HB_TAG('D', 'S', 'I', 'G')};
  for (unsigned i = 0; i < G_N_ELEMENTS(unused); i++)
    hb_set_add(drop, unused[i]);
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
  hb_face_t *sparse = kh_sparse_face_new(file, index, face, unicodes, drop, error);
  if (!sparse) {
    hb_subset_input_destroy(input);
    return NULL;
  }
  hb_face_t *subset = hb_subset_or_fail(sparse, input);
  hb_face_destroy(sparse);
  hb_subset_input_destroy(input);
  if (!subset) {
    *error = g_strdup("HarfBuzz 无法生成字体子集");
    return NULL;
  }
  char *temp = write_temp(subset, error);
  hb_face_destroy(subset);
  if (!temp)
    return NULL;
  const char *name = HPDF_LoadTTFontFromFile(pdf, temp, HPDF_TRUE);
  g_unlink(temp); /* libharu holds the file open until HPDF_Free */
  g_free(temp);
  HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
  if (!font)
    *error = g_strdup("libharu 无法载入字体子集");
  return font;
}
