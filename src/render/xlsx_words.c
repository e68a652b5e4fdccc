/* The workbooks' wording (xlsx_common.h): the month, a township's veto and
 * warnings, a cell's remark. */
#include "render/xlsx_common.h"

#include "kaohe/kaohe.h"
#include "kaohe/render.h"

char *kh_xlsx_month_text(int year, int month) {
  return g_strdup_printf("%d年%d月", year, month);
}

char *kh_xlsx_veto_words(const kh_month_result *r, int t) {
  GString *veto = g_string_new(NULL), *warn = g_string_new(NULL);
  for (int i = 0; i < r->n_indicators; i++) {
    const kh_cell *c = kh_cell_at(r, t, i);
    const kh_indicator *ind = kh_result_indicator(r, i);
    if (c->vetoes) {
      g_string_append(veto, veto->len ? "、" : "一票否决：");
      g_string_append(veto, ind->name);
    } else if (c->warning) {
      g_string_append(warn, warn->len ? "、" : "预警：");
      g_string_append(warn, ind->name);
      if (ind->has_deadline) {
        char *date = kh_fmt_date(ind->deadline_year, ind->deadline_month,
                                 ind->deadline_day);
        g_string_append_printf(warn, "（%s前须达标）", date);
        g_free(date);
      }
    }
  }
  if (veto->len && warn->len)
    g_string_append(veto, "；");
  g_string_append(veto, warn->str);
  g_string_free(warn, TRUE);
  return g_string_free(veto, FALSE);
}

char *kh_xlsx_cell_remark(const kh_month_result *r, int t, int i) {
  const kh_cell *c = kh_cell_at(r, t, i);
  const kh_indicator *ind = kh_result_indicator(r, i);
  if (c->vetoes)
    return g_strdup("一票否决");
  if (!c->warning)
    return NULL;
  if (!ind->has_deadline)
    return g_strdup("预警");
  char *date = kh_fmt_date(ind->deadline_year, ind->deadline_month, ind->deadline_day);
  char *s = g_strdup_printf("预警：须于%s前达标，逾期一票否决", date);
  g_free(date);
  return s;
}
