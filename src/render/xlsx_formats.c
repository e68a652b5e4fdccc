/* The workbook's formats (xlsx_common.h), each made once and found again:
 * the kinds and tones of cells, number formats by what was asked for, and
 * the conditional highlights of misses, vetoes and awards. */
#include "render/xlsx_internal.h"

#include <string.h>

#define BODY_FONT "宋体"
#define TITLE_FONT "黑体"
#define HEADER_FILL 0xD9D9D9
#define STRONG_FILL 0xF2F2F2
#define MISS_FILL 0xFFC7CE
#define MISS_TEXT 0x9C0006
#define VETO_FILL 0xFF9999
#define AWARD_FILL 0xC6EFCE
#define AWARD_TEXT 0x006100

/* ---- formats ----------------------------------------------------------- */

static void apply_kind(lxw_format *f, kh_xlsx_kind kind, const char *num_format) {
  format_set_font_name(f, kind == KH_XLSX_TITLE ? TITLE_FONT : BODY_FONT);
  format_set_font_size(f, kind == KH_XLSX_TITLE ? 16 : 11);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  switch (kind) {
  case KH_XLSX_TITLE:
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_CENTER);
    break;
  case KH_XLSX_SUBTITLE:
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_text_wrap(f);
    break;
  case KH_XLSX_HEADER:
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_text_wrap(f);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, HEADER_FILL);
    break;
  case KH_XLSX_CENTER:
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_border(f, LXW_BORDER_THIN);
    break;
  case KH_XLSX_LEFT:
    format_set_align(f, LXW_ALIGN_LEFT);
    format_set_text_wrap(f);
    format_set_border(f, LXW_BORDER_THIN);
    break;
  case KH_XLSX_NUMBER:
  case KH_XLSX_NUMBER_LEFT:
    format_set_align(f, kind == KH_XLSX_NUMBER ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_num_format(f, num_format);
    break;
  case KH_XLSX_NOTE:
    format_set_align(f, LXW_ALIGN_LEFT);
    format_set_text_wrap(f);
    break;
  }
}

lxw_format *kh_xlsx_format(kh_xlsx_book *b, kh_xlsx_kind kind,
                           kh_xlsx_tone tone, const char *num_format) {
  bool number = kind == KH_XLSX_NUMBER || kind == KH_XLSX_NUMBER_LEFT;
  if (number && !(num_format && *num_format))
    num_format = "General";
  /* Asked for once per cell: the key is looked up from the stack. */
  char stack_key[128];
  char *key = stack_key;
  if (g_snprintf(stack_key, sizeof stack_key, "%d/%d/%s", (int)kind, (int)tone,
                 number ? num_format : "") >= (int)sizeof stack_key)
    key = g_strdup_printf("%d/%d/%s", (int)kind, (int)tone, num_format);
  lxw_format *f = g_hash_table_lookup(b->formats, key);
  if (f) {
    if (key != stack_key)
      g_free(key);
    return f;
  }
  f = workbook_add_format(b->wb);
  apply_kind(f, kind, num_format);
  if (tone == KH_XLSX_STRONG) {
    format_set_bold(f);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, STRONG_FILL);
  } else if (tone == KH_XLSX_MISS) {
    format_set_font_color(f, MISS_TEXT);
  }
  g_hash_table_insert(b->formats, key == stack_key ? g_strdup(key) : key, f);
  return f;
}

/* The slot of a number format asked for before, or NULL. */
static lxw_format *known_number(kh_xlsx_book *b, bool gap, kh_xlsx_tone tone,
                                int decimals, const char *suffix) {
  for (guint k = 0; k < b->numbers->len; k++) {
    const number_slot *n = &g_array_index(b->numbers, number_slot, k);
    if (n->gap == gap && n->tone == tone && n->decimals == decimals &&
        strcmp(n->suffix, suffix ? suffix : "") == 0)
      return n->f;
  }
  return NULL;
}

static lxw_format *remember_number(kh_xlsx_book *b, bool gap, kh_xlsx_tone tone,
                                   int decimals, const char *suffix, lxw_format *f) {
  number_slot n = {gap, tone, decimals, g_strdup(suffix ? suffix : ""), f};
  g_array_append_val(b->numbers, n);
  return f;
}

lxw_format *kh_xlsx_number(kh_xlsx_book *b, kh_xlsx_tone tone, int decimals,
                           const char *suffix) {
  lxw_format *f = known_number(b, false, tone, decimals, suffix);
  if (f)
    return f;
  char *nf = kh_xlsx_number_format(decimals, suffix);
  f = kh_xlsx_format(b, KH_XLSX_NUMBER, tone, nf);
  g_free(nf);
  return remember_number(b, false, tone, decimals, suffix, f);
}

lxw_format *kh_xlsx_gap(kh_xlsx_book *b, kh_xlsx_tone tone, int decimals,
                        const char *unit) {
  lxw_format *f = known_number(b, true, tone, decimals, unit);
  if (f)
    return f;
  char *nf = kh_xlsx_gap_format(decimals, unit);
  f = kh_xlsx_format(b, KH_XLSX_NUMBER, tone, nf);
  g_free(nf);
  return remember_number(b, true, tone, decimals, unit, f);
}

static lxw_format *miss_highlight(kh_xlsx_book *b) {
  if (!b->miss) {
    b->miss = workbook_add_format(b->wb);
    format_set_pattern(b->miss, LXW_PATTERN_SOLID);
    format_set_bg_color(b->miss, MISS_FILL);
    format_set_font_color(b->miss, MISS_TEXT);
  }
  return b->miss;
}

void kh_xlsx_highlight_misses(kh_xlsx_sheet *s, int first, int last, int met_col,
                              int n_cols) {
  char col[8], formula[96];
  lxw_col_to_name(col, (lxw_col_t)met_col, LXW_TRUE);
  g_snprintf(formula, sizeof formula, "=OR(%s%d=\"未达标\",%s%d=\"缺报\")", col, first + 1,
             col, first + 1);
  lxw_conditional_format miss = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                 .value_string = formula,
                                 .format = miss_highlight(s->book)};
  kh_xlsx_check(s->book,
                worksheet_conditional_format_range(s->ws, first, 0, last, n_cols - 1, &miss),
                s->name);
}

lxw_format *kh_xlsx_veto_highlight(kh_xlsx_book *b) {
  if (!b->veto) {
    b->veto = workbook_add_format(b->wb);
    format_set_pattern(b->veto, LXW_PATTERN_SOLID);
    format_set_bg_color(b->veto, VETO_FILL);
    format_set_font_color(b->veto, MISS_TEXT);
    format_set_bold(b->veto);
  }
  return b->veto;
}

lxw_format *kh_xlsx_award_highlight(kh_xlsx_book *b) {
  if (!b->award) {
    b->award = workbook_add_format(b->wb);
    format_set_pattern(b->award, LXW_PATTERN_SOLID);
    format_set_bg_color(b->award, AWARD_FILL);
    format_set_font_color(b->award, AWARD_TEXT);
  }
  return b->award;
}
