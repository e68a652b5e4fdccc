/* Fill-in forms (docs/reference/forms.md): one workbook per township, to be filled in
 * and returned, and the county's collection workbook, for figures
 * gathered by phone.
 *
 * A township's form lists one field per row: its label, last month's value
 * (locked, for reference), this month's value, the only cells that can
 * be changed, and the field's help. The help comes last so that 本月数
 * stays in column D, where import reads it on forms already sent out. The collection workbook is a month file as it stands: its
 * header is the first row (乡镇 and the fields' labels) and each township a
 * row, so it can be saved into monthly/ as YYYY-MM.xlsx. Both sheets are
 * protected without a password (a township that needs to can unprotect
 * them, but nobody overwrites a label or last month's figure by mistake).
 *
 * The value cells carry a data validation: a number >= 0, a whole one for
 * an `integer` field, with the stop style, so Excel, WPS and LibreOffice refuse a negative number or
 * text at entry. It has no input or error message of its own: libxlsxwriter
 * 1.1.4 can overflow on UTF-8 text in a data validation
 * (docs/dependencies.md), and an English message would be worse than none.
 * The office suite then shows its own message, in the user's language, and
 * the explanations are written into the sheet instead, where they print.
 *
 * What import needs to know a form by, even renamed, is kept twice: in a
 * hidden sheet named `kaohe` (libxlsxwriter 1.1.4 cannot write a very
 * hidden one) and in the workbook's custom properties: the county, the
 * year, the month, the township's code (none on the collection workbook)
 * and the field ids in row order. */
#include "kaohe/render.h"

#include <math.h>
#include <string.h>

#include "render/xlsx_common.h"

char *kh_form_xlsx_name(const kh_dataset *ds, int month, int t) {
  /* the stem every per-township file is named with: unique by construction */
  char *stem = kh_township_file_stem(kh_township_at(ds, t));
  char *file = g_strdup_printf("填报表_%04d-%02d_%s.xlsx", ds->rules.year, month, stem);
  g_free(stem);
  return file;
}

char *kh_collection_xlsx_name(const kh_dataset *ds, int month) {
  return g_strdup_printf("汇总表_%04d-%02d.xlsx", ds->rules.year, month);
}

/* The value cells: unlocked, bordered, a plain number (no % format, which
 * would multiply what is typed by 100). */
static lxw_format *input_format(kh_xlsx_book *b) {
  lxw_format *f = workbook_add_format(kh_xlsx_workbook(b));
  format_set_unlocked(f);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_bg_color(f, 0xFFF9E5); /* light yellow: where to write */
  format_set_num_format(f, "General");
  format_set_align(f, LXW_ALIGN_RIGHT);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  return f;
}

/* A non-negative number, stop style, in rows first..last of columns
 * first_col..last_col: a whole number when `integer`, else a decimal. */
static void validate_values(kh_xlsx_sheet *s, int first, int last, int first_col, int last_col,
                            bool integer) {
  lxw_data_validation dv = {
      .validate = integer ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL,
      .criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO,
      .value_number = 0,
      .ignore_blank = LXW_VALIDATION_ON,
      .show_input = LXW_VALIDATION_OFF,
      .show_error = LXW_VALIDATION_ON,
      .error_type = LXW_VALIDATION_ERROR_TYPE_STOP,
  };
  kh_xlsx_check(s->book,
                worksheet_data_validation_range(s->ws, (lxw_row_t)first, (lxw_col_t)first_col,
                                                (lxw_row_t)last, (lxw_col_t)last_col, &dv),
                s->name);
}

/* Validates the value cells of fields 0..n-1, field f at row row0 + f *
 * row_step, column col0 + f * col_step, and rows/columns spanning `extent`
 * cells across: one validation per run of fields of the same kind (whole
 * or decimal), so a form keeps few of them. */
static void validate_fields(kh_xlsx_sheet *s, const kh_dataset *ds, int row0, int col0,
                            bool by_row, int extent) {
  int n = kh_n_fields(ds);
  for (int f = 0; f < n;) {
    bool integer = ((const kh_field *)g_ptr_array_index(ds->fields, f))->integer;
    int end = f + 1;
    while (end < n && ((const kh_field *)g_ptr_array_index(ds->fields, end))->integer == integer)
      end++;
    if (by_row)
      validate_values(s, row0 + f, row0 + end - 1, col0, col0 + extent - 1, integer);
    else
      validate_values(s, row0, row0 + extent - 1, col0 + f, col0 + end - 1, integer);
    f = end;
  }
}

static void protect(kh_xlsx_sheet *s) {
  lxw_protection options = {0};
  worksheet_protect(s->ws, NULL, &options);
}

/* The hidden `kaohe` sheet and the custom properties. code: NULL on the
 * collection workbook; first_field_row: the form's first field row
 * (0-based). */
static void record_identity(kh_xlsx_book *b, const kh_dataset *ds, int month, const char *kind,
                            const char *code, int first_field_row) {
  lxw_workbook *wb = kh_xlsx_workbook(b);
  char *period = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  GString *ids = g_string_new(NULL);
  for (int f = 0; f < kh_n_fields(ds); f++)
    g_string_append_printf(ids, "%s%s", f ? "," : "",
                           ((const kh_field *)g_ptr_array_index(ds->fields, f))->id);
  const char *county = ds->rules.county ? ds->rules.county : "";
  kh_xlsx_check(b, workbook_set_custom_property_string(wb, "kaohe.kind", kind), "kaohe");
  if (county[0])
    kh_xlsx_check(b, workbook_set_custom_property_string(wb, "kaohe.county", county), "kaohe");
  kh_xlsx_check(b, workbook_set_custom_property_integer(wb, "kaohe.year", ds->rules.year), "kaohe");
  kh_xlsx_check(b, workbook_set_custom_property_string(wb, "kaohe.month", period), "kaohe");
  if (code)
    kh_xlsx_check(b, workbook_set_custom_property_string(wb, "kaohe.township", code), "kaohe");
  if (ids->len)
    kh_xlsx_check(b, workbook_set_custom_property_string(wb, "kaohe.fields", ids->str), "kaohe");

  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, "kaohe", "kaohe");
  const char *keys[] = {"kind", "county", "year", "month", "township"};
  const char *values[] = {kind, county, NULL, period, code ? code : ""};
  for (int i = 0; i < (int)G_N_ELEMENTS(keys); i++) {
    kh_xlsx_text(s, i, 0, keys[i], NULL);
    if (values[i])
      kh_xlsx_text(s, i, 1, values[i], NULL);
    else
      kh_xlsx_num(s, i, 1, ds->rules.year, "2013", NULL);
  }
  /* one row per field: its id and its row (1-based) on the form */
  kh_xlsx_text(s, 6, 0, "field", NULL);
  kh_xlsx_text(s, 6, 1, code ? "row" : "column", NULL);
  for (int f = 0; f < kh_n_fields(ds); f++) {
    kh_xlsx_text(s, 7 + f, 0, ((const kh_field *)g_ptr_array_index(ds->fields, f))->id, NULL);
    /* 1-based, as Excel counts: the form's field f is on the 0-based row
     * first_field_row + f; the collection's fields start in column B */
    int place = code ? first_field_row + f + 1 : f + 2;
    char *shown = g_strdup_printf("%d", place);
    kh_xlsx_num(s, 7 + f, 1, place, shown, NULL);
    g_free(shown);
  }
  worksheet_hide(s->ws);
  g_string_free(ids, TRUE);
  g_free(period);
}

/* Last month's value of field f for township t, NAN when there is none
 * (January, no file, no row, an empty cell). */
static double last_month(const kh_dataset *ds, int month, int t, int f) {
  if (month < 2)
    return NAN;
  const kh_month_data *md = &ds->months[month - 2];
  if (!kh_month_has_row(md, t))
    return NAN;
  return md->values[t * kh_n_fields(ds) + f];
}

enum { C_NO, C_LABEL, C_LAST, C_VALUE, C_HELP, N_COLS };
#define HEADER_ROW 2

bool kh_render_form_xlsx(const kh_dataset *ds, int month, int t, const kh_doc_meta *meta,
                         const char *path, kh_diags *diags) {
  const kh_township *tw = kh_township_at(ds, t);
  const char *county = ds->rules.county ? ds->rules.county : "";
  char *title = g_strdup_printf("%s%d年%d月月报填报表（%s）", county, ds->rules.year, month, tw->name);
  kh_xlsx_props props = {.title = title, .subject = "月报填报表", .author = ds->rules.issuer,
                         .company = county, .keywords = "kaohe"};
  kh_xlsx_book *b = kh_xlsx_book_new(path, meta, &props, diags);
  if (!b) {
    g_free(title);
    return false;
  }
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, "填报表", "Form");
  kh_xlsx_banner(s, 0, N_COLS, title, kh_xlsx_format(b, KH_XLSX_TITLE, KH_XLSX_PLAIN, NULL), 30);
  char *who = g_strdup_printf("填报单位：%s（代码 %s）    只填黄色格子，其余格子已锁定", tw->name,
                              tw->code);
  kh_xlsx_banner(s, 1, N_COLS, who, kh_xlsx_format(b, KH_XLSX_SUBTITLE, KH_XLSX_PLAIN, NULL), 20);
  g_free(who);
  char *last_heading = g_strdup_printf("上月数（%d月）", month > 1 ? month - 1 : 12);
  const char *headings[] = {"序号", "数据项", last_heading, "本月数", "填报说明"};
  kh_xlsx_headings(s, HEADER_ROW, headings, N_COLS);
  g_free(last_heading);

  lxw_format *center = kh_xlsx_format(b, KH_XLSX_CENTER, KH_XLSX_PLAIN, NULL);
  lxw_format *left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL);
  lxw_format *number = kh_xlsx_format(b, KH_XLSX_NUMBER, KH_XLSX_PLAIN, "General");
  lxw_format *input = input_format(b);
  int nf = kh_n_fields(ds);
  for (int f = 0; f < nf; f++) {
    int row = HEADER_ROW + 1 + f;
    char *no = g_strdup_printf("%d", f + 1);
    kh_xlsx_num(s, row, C_NO, f + 1, no, center);
    g_free(no);
    kh_xlsx_text(s, row, C_LABEL, kh_field_label(g_ptr_array_index(ds->fields, f)), left);
    double prev = last_month(ds, month, t, f);
    char *shown = isnan(prev) ? g_strdup("") : kh_xlsx_number_text(prev, 0, "");
    kh_xlsx_num(s, row, C_LAST, prev, shown, number);
    g_free(shown);
    kh_xlsx_num(s, row, C_VALUE, NAN, "0000000000", input);
    /* the help, and "整数" where the validation refuses a fraction, so the
     * township knows before the office suite refuses it */
    const kh_field *fd = g_ptr_array_index(ds->fields, f);
    char *help = g_strdup_printf("%s%s%s", fd->help ? fd->help : "",
                                 fd->help && fd->integer ? "；" : "", fd->integer ? "填整数" : "");
    kh_xlsx_text(s, row, C_HELP, help, left);
    g_free(help);
  }
  int last = HEADER_ROW + MAX(nf, 1);
  validate_fields(s, ds, HEADER_ROW + 1, C_VALUE, true, 1);
  kh_xlsx_note(s, last + 2, N_COLS,
               "填写说明：1. 每项填本月的数，只能是 0 或正数，不能填负数、文字或百分号，注明填整数的不能有小数；没有的填 0，"
               "不知道的空着（空着按缺报计）。2. 不要增删行列，不要改表名；本表另有一张隐藏的表，"
               "记着县、年月和乡镇，县里据此导入。3. 填好后保存（仍存为 .xlsx 或 .xls），发回县局。");
  kh_xlsx_layout lay = {.header_row = HEADER_ROW, .last_row = last, .filter_last = -1,
                        .n_cols = N_COLS, .freeze_cols = 0, .landscape = false,
                        .page_title = title};
  kh_xlsx_sheet_finish(s, &lay);
  worksheet_set_column(s->ws, C_VALUE, C_VALUE, 16, NULL); /* room to write */
  worksheet_fit_to_pages(s->ws, 1, 1);                   /* one A4 page */
  protect(s);
  record_identity(b, ds, month, "township", tw->code, HEADER_ROW + 1);
  g_free(title);
  return kh_xlsx_book_close(b, diags);
}

bool kh_render_collection_xlsx(const kh_dataset *ds, int month, const kh_doc_meta *meta,
                               const char *path, kh_diags *diags) {
  const char *county = ds->rules.county ? ds->rules.county : "";
  char *title = g_strdup_printf("%s%d年%d月报表汇总", county, ds->rules.year, month);
  kh_xlsx_props props = {.title = title, .subject = "月报汇总表", .author = ds->rules.issuer,
                         .company = county, .keywords = "kaohe"};
  kh_xlsx_book *b = kh_xlsx_book_new(path, meta, &props, diags);
  if (!b) {
    g_free(title);
    return false;
  }
  /* The header is the first row, as in a month file: the title is the
   * page header's, not a row's. */
  char *sheet_name = g_strdup_printf("%04d-%02d", ds->rules.year, month);
  kh_xlsx_sheet *s = kh_xlsx_sheet_add(b, sheet_name, "Sheet1");
  g_free(sheet_name);
  int nf = kh_n_fields(ds), nt = kh_n_townships(ds);
  const char **headings = g_new(const char *, nf + 1);
  headings[0] = "乡镇";
  for (int f = 0; f < nf; f++)
    headings[f + 1] = kh_field_label(g_ptr_array_index(ds->fields, f));
  kh_xlsx_headings(s, 0, headings, nf + 1);
  g_free(headings);
  lxw_format *left = kh_xlsx_format(b, KH_XLSX_LEFT, KH_XLSX_PLAIN, NULL);
  lxw_format *input = input_format(b);
  for (int t = 0; t < nt; t++) {
    kh_xlsx_text(s, 1 + t, 0, kh_township_at(ds, t)->name, left);
    for (int f = 0; f < nf; f++)
      kh_xlsx_num(s, 1 + t, 1 + f, NAN, "0000000000", input);
  }
  if (nt > 0)
    validate_fields(s, ds, 1, 1, false, nt);
  kh_xlsx_layout lay = {.header_row = 0, .last_row = MAX(nt, 1), .filter_last = -1,
                        .n_cols = nf + 1, .freeze_cols = 1, .landscape = nf > 6,
                        .page_title = title};
  kh_xlsx_sheet_finish(s, &lay);
  for (int f = 0; f < nf; f++)
    if (g_array_index(s->widths, double, f + 1) < 10)
      worksheet_set_column(s->ws, f + 1, f + 1, 10, NULL);
  protect(s);
  record_identity(b, ds, month, "collection", NULL, 0);
  g_free(title);
  return kh_xlsx_book_close(b, diags);
}
