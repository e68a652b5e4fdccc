/* Fuzzes the face that holds only the outlines a subset needs
 * (render/layout/sparse_face.h) with damaged TrueType fonts: a [fonts]
 * entry may name any file. The input is written to a file, read as
 * HarfBuzz maps it and as sparse_face.c preads it (its table directory,
 * loca and composite glyphs parsed by hand), then subset as
 * kh_subset_face does.
 *
 * Real fonts are megabytes, so the seeds are small subsets of the system
 * fonts the tests use: with KAOHE_FUZZ_WRITE_SEEDS=DIR the harness writes
 * them there and exits (fuzz/run.sh does this before fuzzing). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hb-subset.h>
#include "support.h"
#include "render/layout/sparse_face.h"

#define FONT "font.ttf"
/* Characters asked for: CJK, Latin composites, digits, punctuation. */
static const char TEXT[] = "县人口计生督查通报（）、，。0123456789%ÅÉéñǅ";

static hb_set_t *unicodes;

static hb_subset_input_t *subset_input(void) {
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  if (!input)
    abort();
  hb_set_union(hb_subset_input_unicode_set(input), unicodes);
  hb_set_add(hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG),
             HB_TAG('G', 'S', 'U', 'B'));
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
  return input;
}

/* Writes the subset of face `index` of `file` for TEXT to dir/name. */
static void write_seed(const char *dir, const char *name, const char *file, unsigned index) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  if (!blob) {
    fprintf(stderr, "fuzz_sparse_face: no %s, no seed from it\n", file);
    return;
  }
  hb_face_t *face = hb_face_create(blob, index);
  hb_subset_input_t *input = subset_input();
  hb_face_t *subset = hb_subset_or_fail(face, input);
  if (subset) {
    hb_blob_t *out = hb_face_reference_blob(subset);
    unsigned len = 0;
    const char *data = hb_blob_get_data(out, &len);
    char *path = g_build_filename(dir, name, NULL);
    if (!g_file_set_contents(path, data, len, NULL))
      abort();
    g_free(path);
    hb_blob_destroy(out);
    hb_face_destroy(subset);
  }
  hb_subset_input_destroy(input);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  unicodes = hb_set_create();
  for (const char *p = TEXT; *p; p = g_utf8_next_char(p))
    hb_set_add(unicodes, g_utf8_get_char(p));
  const char *seeds = getenv("KAOHE_FUZZ_WRITE_SEEDS");
  if (seeds) {
    g_mkdir_with_parents(seeds, 0755);
    write_seed(seeds, "uming.ttf", "/usr/share/fonts/truetype/arphic/uming.ttc", 0);
    write_seed(seeds, "ukai.ttf", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0);
    write_seed(seeds, "zenhei.ttf", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0);
    write_seed(seeds, "dejavu.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0);
    exit(0);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kh_fuzz_write(FONT, data, size);
  char *path = g_build_filename(kh_fuzz_scratch(), FONT, NULL);
  hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)size,
                                   HB_MEMORY_MODE_READONLY, NULL, NULL);
  hb_face_t *full = hb_face_create(blob, 0);
  hb_subset_input_t *input = subset_input();
  char *error = NULL;
  hb_face_t *sparse = kh_sparse_face_new(
      path, 0, full, unicodes, hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG),
      &error);
  if (sparse) {
    hb_face_t *subset = hb_subset_or_fail(sparse, input);
    hb_face_destroy(subset);
    hb_face_destroy(sparse);
  } else if (!error) {
    abort(); /* a refusal must say why */
  }
  g_free(error);
  hb_subset_input_destroy(input);
  hb_face_destroy(full);
  hb_blob_destroy(blob);
  g_free(path);
  return 0;
}
