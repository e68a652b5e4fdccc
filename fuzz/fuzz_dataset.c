/* Fuzzes a whole dataset: the input is rules.ini, townships.csv and
 * monthly files packed one after the other, split at KH_FUZZ_SEPARATOR.
 * Each monthly part starts with a line naming its file ("2013-07.csv"); a
 * part whose first line is not a plain file name is called 2013-MM.csv
 * after its place. The files are written to a private folder and loaded;
 * when the dataset is clean, every month and quarter is assessed and its
 * scores rendered (support.h). fuzz/run.sh packs the seeds from samples/
 * and tests/data/ the same way. */
#include <stdint.h>
#include <string.h>
#include "support.h"

#define MAX_MONTH_PARTS 14

/* Whether name[0..len) is a harmless file name: [A-Za-z0-9_.-], not
 * hidden, at most 40 bytes. */
static bool plain_name(const char *name, size_t len) {
  if (len == 0 || len > 40 || name[0] == '.')
    return false;
  for (size_t i = 0; i < len; i++)
    if (!g_ascii_isalnum(name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
      return false;
  return true;
}

static void write_month(int index, const char *part, size_t len) {
  const char *nl = memchr(part, '\n', len);
  size_t name_len = nl ? (size_t)(nl - part) : len;
  char *rel;
  if (nl && plain_name(part, name_len)) {
    rel = g_strdup_printf("monthly/%.*s", (int)name_len, part);
    len -= name_len + 1;
    part = nl + 1;
  } else {
    rel = g_strdup_printf("monthly/2013-%02d.csv", index + 1);
  }
  kh_fuzz_write(rel, part, len);
  g_free(rel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kh_fuzz_scratch_clear();
  const char *p = (const char *)data, *end = p + size;
  for (int k = 0; k < 2 + MAX_MONTH_PARTS; k++) {
    const char *sep = memchr(p, KH_FUZZ_SEPARATOR, (size_t)(end - p));
    size_t len = (size_t)((sep ? sep : end) - p);
    if (k == 0)
      kh_fuzz_write("rules.ini", p, len);
    else if (k == 1)
      kh_fuzz_write("townships.csv", p, len);
    else
      write_month(k - 2, p, len);
    if (!sep)
      break;
    p = sep + 1;
  }

  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(kh_fuzz_scratch(), diags);
  if (ds && diags->n_errors == 0)
    kh_fuzz_assess_all(ds);
  for (guint i = 0; i < diags->items->len; i++)
    g_free(kh_diag_format(g_ptr_array_index(diags->items, i)));
  kh_dataset_free(ds);
  kh_diags_free(diags);
  return 0;
}
