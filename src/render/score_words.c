/* Words shared by the score output's forms (score_words.h). */
#include "render/score_words.h"

const char *kh_status_word(kh_status s) {
  switch (s) {
  case KH_STATUS_OK:
    return "ok";
  case KH_STATUS_MISSING:
    return "missing";
  case KH_STATUS_NA:
    return "na";
  }
  return "missing";
}

const char *kh_op_word(kh_op op) { return op == KH_OP_GE ? ">=" : "<="; }

char *kh_month_period(int year, int month) {
  return g_strdup_printf("%04d-%02d", year, month);
}

char *kh_quarter_period(int year, int quarter) {
  return g_strdup_printf("%04dQ%d", year, quarter);
}

char *kh_quarter_months(const kh_quarter_result *q, int vetoed_of, const char *sep) {
  GString *s = g_string_new(NULL);
  for (int k = 0; k < q->n_months; k++) {
    if (vetoed_of >= 0 && !q->month_results[k]->vetoed[vetoed_of])
      continue;
    if (s->len)
      g_string_append(s, sep);
    g_string_append_printf(s, "%04d-%02d", q->year, q->months[k]);
  }
  return g_string_free(s, FALSE);
}
