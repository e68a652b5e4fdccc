/* HarfBuzz subsetting (subset.h). */
#include "render/layout/subset.h"

#include "render/layout/sparse_face.h"

#include <glib.h>
#include <hb-subset.h>

hb_face_t *kh_subset_face(hb_face_t *face, const char *file, unsigned index,
                          const hb_set_t *unicodes, char **error) {
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
  if (!subset)
    *error = g_strdup("HarfBuzz 无法生成字体子集");
  return subset;
}
