/* Fuzzes rules.ini (docs/reference/rules.md): decoding, GLib's key-file parser under our
 * own line scan, every group and key (indicators, methods, targets,
 * deadlines, tiers, fonts), the formulas compiled against the names a
 * dataset knows, and, when the whole dataset is clean, every month and
 * quarter assessed under the fuzzed scheme. The registry and monthly files
 * are fixed: two townships, an attribute, gaps and zeros in the data. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "support.h"

static const char TOWNSHIPS[] =
    "code,name,email,prepreg_task,备注\n"
    "01,城关镇,a@example.cn,120,\n02,*甲*乡,,0,x\n03,乙乡,,,\n";
static const char MONTHS[][160] = {
    "township,births_male,births_female,fee_paid,fee_due,prepreg_done\n"
    "01,10,8,5,5,30\n02,0,0,1,2,0\n",
    "乡镇,出生男婴数,births_female,fee_paid,fee_due,prepreg_done\n"
    "城关镇,3,4,5,5,\n*甲*乡,1,1,0,0,2\n乙乡,2,0,1,1,1\n",
    "township,births_male,births_female,fee_paid,fee_due,prepreg_done\n"
    "01,\"1,234\",1000,5,5,30\n03,1,1,1,1,1\n",
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  kh_fuzz_write("townships.csv", TOWNSHIPS, strlen(TOWNSHIPS));
  for (int m = 0; m < 3; m++) {
    char name[32];
    g_snprintf(name, sizeof name, "monthly/2013-%02d.csv", m + 1);
    kh_fuzz_write(name, MONTHS[m], strlen(MONTHS[m]));
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kh_fuzz_write("rules.ini", data, size);
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
