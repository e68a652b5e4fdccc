/* Fuzzes the formula language of docs/reference/formulas.md: the parser (numbers, + - * /,
 * unary minus, parentheses, month, FIELD, ytd(FIELD), ATTRIBUTE, the depth
 * limit) and, for every formula it accepts, the evaluator over a small
 * dataset's townships and county in each of its months. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "support.h"
#include "load/formula.h"

static kh_dataset *ds;

/* Fields: a, b, c (monthly), with gaps and zeros; attribute task. */
static const char RULES[] =
    "[assessment]\ntitle = t\ncounty = c\nissuer = i\nyear = 2013\n"
    "[field.a]\n[field.b]\nlabel = 乙\n"
    "[indicator.x]\nname = x\nvalue = a / b * 100\ntarget = >= task\n"
    "weight = 10\nmethod = proportional\n";
static const char TOWNSHIPS[] = "code,name,task\n01,甲乡,5\n02,乙镇,\n03,丙乡,0\n";
static const char MONTH1[] = "township,a,b,c\n01,1,2,3\n02,0,0,\n";
static const char MONTH2[] = "township,a,乙,c\n01,1.5,0,7\n02,,3,1\n03,4,4,4\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  kh_fuzz_write("rules.ini", RULES, strlen(RULES));
  kh_fuzz_write("townships.csv", TOWNSHIPS, strlen(TOWNSHIPS));
  kh_fuzz_write("monthly/2013-01.csv", MONTH1, strlen(MONTH1));
  kh_fuzz_write("monthly/2013-02.csv", MONTH2, strlen(MONTH2));
  kh_diags *diags = kh_diags_new();
  ds = kh_dataset_load(kh_fuzz_scratch(), diags);
  if (!ds || diags->n_errors)
    abort();
  kh_diags_free(diags);
  return 0;
}

static int lookup(void *user, const char *name, bool *is_field) {
  const kh_dataset *d = user;
  for (int f = 0; f < kh_n_fields(d); f++)
    if (strcmp(((kh_field *)g_ptr_array_index(d->fields, f))->id, name) == 0) {
      *is_field = true;
      return f;
    }
  for (int a = 0; a < kh_n_attrs(d); a++)
    if (strcmp(g_ptr_array_index(d->attr_names, a), name) == 0) {
      *is_field = false;
      return a;
    }
  return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* rules.ini values arrive as NUL-terminated UTF-8 of one line. */
  char *src = g_strndup((const char *)data, size);
  if (!g_utf8_validate(src, -1, NULL) || strchr(src, '\n')) {
    g_free(src);
    return 0;
  }
  int col = 0;
  char *msg = NULL;
  kh_expr *e = kh_formula_parse(src, lookup, ds, &col, &msg);
  if (e) {
    bool *ytd = g_new0(bool, kh_n_fields(ds) + 1);
    kh_expr_ytd_fields(e, ytd);
    g_free(ytd);
    bool all[3] = {true, false, true};
    for (int month = 1; month <= 2; month++) {
      double out;
      for (int t = -1; t < kh_n_townships(ds); t++)
        kh_eval(ds, e, t, month, NULL, &out);
      kh_eval(ds, e, -1, month, all, &out);
    }
  } else if (!msg || col < 1 || col > (int)g_utf8_strlen(src, -1) + 1) {
    __builtin_trap(); /* every error is located inside the text or just past it */
  }
  kh_expr_free(e);
  g_free(msg);
  g_free(src);
  return 0;
}
