/* kaohe init DIR [--from OLD_DATASET] [--year YYYY]: a new dataset, ready to
 * fill (the man page, docs/kaohe.1.in).
 *
 * A fresh dataset comes from the skeleton in init/ (compiled in, see
 * init_skeleton.h): a rules.ini explained key by key in Chinese comments,
 * with one example indicator per scoring method, and a townships.csv with
 * its header and two example rows (an empty registry does not pass `kaohe
 * check`). With --from, the registry, the scheme and the template overrides
 * of an earlier year are carried over and the year moves on: [assessment]
 * year and the year of every deadline advance by the same number of years,
 * nothing else in the scheme changes (other places that mention the old
 * year are pointed out), and fields the old scheme knew only from monthly
 * headers get a [field.ID] declaration, since the new year has no monthly
 * file yet to make them known. Monthly data are never carried over.
 *
 * Either way the dataset gets an empty monthly/, a blank monthly sheet
 * (BLANK_SHEET) headed with the fields' Chinese labels (listing the
 * townships when the registry was carried over; a fresh one holds only
 * examples, which the user replaces before the sheet is ever filled in),
 * and the shipped templates under templates/自带模板/, inert
 * there, to copy from when changing the wording. rules.ini, the CSV files
 * (the carried registry included, whatever its encoding was) and the
 * shipped templates are UTF-8 with a BOM and CRLF line ends, so Excel, WPS
 * and the Notepad of older Windows open them correctly; a carried rules.ini
 * loses a generator's "do not edit" line and regains the notes a fresh one
 * has (kh_rules_carry); template overrides are copied byte for byte.
 *
 * Everything is written into a staging folder inside DIR and loaded back as
 * a dataset (so a new dataset always loads without error); only then are
 * the files moved into place. A DIR that exists and is not an empty folder
 * is refused before anything is written. */
#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "cli/init_skeleton.h"
#include "kaohe/deliver.h"
#include "kaohe/load.h"
#include "kaohe/render.h"

#define BLANK_SHEET "月报空白表.csv"
#define SHIPPED_FOLDER "自带模板"

/* The templates compiled into kaohe that a user may want to reword. */
static const char *const shipped_templates[] = {"notice.md", "mail.md", "quarterly.md"};

/* Whether dir may receive a new dataset: absent, or an empty folder.
 * Prints why not. */
static bool target_is_free(const char *dir) {
  if (!g_file_test(dir, G_FILE_TEST_EXISTS))
    return true;
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    fprintf(stderr, "kaohe init: %s 已存在且不是目录，未做任何改动\n", dir);
    return false;
  }
  GDir *d = g_dir_open(dir, 0, NULL);
  bool empty = d && g_dir_read_name(d) == NULL;
  if (d)
    g_dir_close(d);
  if (!empty)
    fprintf(stderr,
            "kaohe init: 目录 %s 不是空的。kaohe init 只在新目录或空目录中创建数据集，"
            "未做任何改动。\n",
            dir);
  return empty;
}

static bool write_file(const char *path, const char *bytes, gsize len, kh_diags *diags) {
  GError *err = NULL;
  if (g_file_set_contents(path, bytes, (gssize)len, &err))
    return true;
  kh_diags_add(diags, KH_ERROR, path, 1, 1, NULL, "无法写入: %s", err->message);
  g_error_free(err);
  return false;
}

/* Writes UTF-8 text as a BOM and CRLF lines (kh_windows_text). */
static bool write_windows_text(const char *path, const char *text, kh_diags *diags) {
  gsize len = 0;
  char *bytes = kh_windows_text(text, &len);
  bool ok = write_file(path, bytes, len, diags);
  g_free(bytes);
  return ok;
}

/* A text file of the old dataset (UTF-8 or GB18030) as UTF-8 with a BOM and
 * CRLF lines, like every file init writes. */
static bool copy_text_file(const char *from, const char *to, kh_diags *diags) {
  gsize len = 0;
  char *text = kh_read_text_file(from, &len, diags);
  bool ok = text && write_windows_text(to, text, diags);
  g_free(text);
  return ok;
}

static bool copy_file(const char *from, const char *to, kh_diags *diags) {
  char *bytes = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(from, &bytes, &len, &err)) {
    kh_diags_add(diags, KH_ERROR, from, 1, 1, NULL, "无法读取: %s", err->message);
    g_error_free(err);
    return false;
  }
  bool ok = write_file(to, bytes, len, diags);
  g_free(bytes);
  return ok;
}

/* ---- rules.ini ----------------------------------------------------------- */

/* The skeleton's scheme for `year`. Caller frees. */
static char *fresh_rules(int year) {
  char **parts = g_strsplit(kh_init_file("rules.ini"), "@YEAR@", -1);
  char *y = g_strdup_printf("%d", year);
  char *text = g_strjoinv(y, parts);
  g_free(y);
  g_strfreev(parts);
  return text;
}

/* ---- the other files ----------------------------------------------------- */

/* Copies the regular files of OLD/templates (the old year's overrides) into
 * templates/; sub-folders (an old 自带模板/) are left behind. */
static bool copy_templates(const char *old_dir, const char *templates, kh_diags *diags) {
  char *from = g_build_filename(old_dir, "templates", NULL);
  GDir *d = g_dir_open(from, 0, NULL);
  bool ok = true;
  const char *name;
  while (d && ok && (name = g_dir_read_name(d))) {
    char *src = g_build_filename(from, name, NULL);
    char *dst = g_build_filename(templates, name, NULL);
    if (g_file_test(src, G_FILE_TEST_IS_REGULAR))
      ok = copy_file(src, dst, diags);
    g_free(src);
    g_free(dst);
  }
  if (d)
    g_dir_close(d);
  g_free(from);
  return ok;
}

static bool write_shipped_templates(const char *templates, kh_diags *diags) {
  char *folder = g_build_filename(templates, SHIPPED_FOLDER, NULL);
  bool ok = g_mkdir_with_parents(folder, 0755) == 0;
  if (!ok)
    kh_diags_add(diags, KH_ERROR, folder, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
  for (size_t i = 0; ok && i < G_N_ELEMENTS(shipped_templates); i++) {
    const char *text = kh_shipped_template(shipped_templates[i]);
    char *path = g_build_filename(folder, shipped_templates[i], NULL);
    ok = !text || write_windows_text(path, text, diags);
    g_free(path);
  }
  g_free(folder);
  return ok;
}

/* The blank monthly sheet: 乡镇 and every field's label (its id when it has
 * none), then, with_rows, one row per township with only its name. */
static bool write_blank_sheet(const kh_dataset *ds, bool with_rows, const char *path,
                              kh_diags *diags) {
  GString *out = g_string_new("乡镇");
  for (int f = 0; f < kh_n_fields(ds); f++) {
    const kh_field *fd = g_ptr_array_index(ds->fields, f);
    g_string_append_c(out, ',');
    kh_csv_append_cell(out, fd->label ? fd->label : fd->id);
  }
  g_string_append_c(out, '\n');
  for (int t = 0; with_rows && t < kh_n_townships(ds); t++) {
    kh_csv_append_cell(out, kh_township_at(ds, t)->name);
    for (int f = 0; f < kh_n_fields(ds); f++)
      g_string_append_c(out, ',');
    g_string_append_c(out, '\n');
  }
  bool ok = write_windows_text(path, out->str, diags);
  g_string_free(out, TRUE);
  return ok;
}

/* Prints diags with paths inside the staging folder shown inside target. */
static void print_as_target(const kh_diags *diags, const char *staging, const char *target) {
  kh_diags *shown = kh_diags_new();
  for (guint i = 0; i < diags->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(diags->items, i);
    char *file = g_str_has_prefix(d->file, staging)
                     ? g_strconcat(target, d->file + strlen(staging), NULL)
                     : g_strdup(d->file);
    kh_diags_add(shown, d->severity, file, d->line, d->col, d->source_line, "%s", d->message);
    g_free(file);
  }
  kh_cli_print_diags(shown);
  kh_diags_free(shown);
}

/* ---- putting it together ------------------------------------------------- */

typedef struct {
  const char *target; /* DIR */
  const char *from;   /* OLD_DATASET or NULL */
  const kh_dataset *old;
  int year;
} init_plan;

/* Writes the dataset into staging; false after diags. On success *ds is
 * the staged dataset as loaded back. */
static bool build(const init_plan *plan, const char *staging, kh_dataset **ds, kh_diags *diags) {
  char *rules_path = g_build_filename(staging, "rules.ini", NULL);
  char *registry = g_build_filename(staging, "townships.csv", NULL);
  char *monthly = g_build_filename(staging, "monthly", NULL);
  char *templates = g_build_filename(staging, "templates", NULL);
  char *blank = g_build_filename(staging, BLANK_SHEET, NULL);
  char *skeleton = fresh_rules(plan->year);
  char *rules = plan->old ? kh_rules_carry(plan->old, plan->year, skeleton, rules_path, diags)
                          : g_strdup(skeleton);
  g_free(skeleton);
  bool ok = rules && write_windows_text(rules_path, rules, diags);
  if (ok && plan->old) {
    char *old_registry = g_build_filename(plan->from, "townships.csv", NULL);
    ok = copy_text_file(old_registry, registry, diags);
    g_free(old_registry);
  } else if (ok) {
    ok = write_windows_text(registry, kh_init_file("townships.csv"), diags);
  }
  if (ok && (g_mkdir(monthly, 0755) != 0 || g_mkdir(templates, 0755) != 0)) {
    kh_diags_add(diags, KH_ERROR, staging, 1, 1, NULL, "无法创建目录: %s", g_strerror(errno));
    ok = false;
  }
  ok = ok && (!plan->old || copy_templates(plan->from, templates, diags));
  ok = ok && write_shipped_templates(templates, diags);
  if (ok) {
    *ds = kh_dataset_load(staging, diags);
    ok = *ds && diags->n_errors == 0 && write_blank_sheet(*ds, plan->old != NULL, blank, diags);
  }
  g_free(rules);
  g_free(blank);
  g_free(templates);
  g_free(monthly);
  g_free(registry);
  g_free(rules_path);
  return ok;
}

/* Moves every entry of staging into target (empty but for staging). */
static bool publish(const char *staging, const char *target, kh_diags *diags) {
  GDir *d = g_dir_open(staging, 0, NULL);
  bool ok = d != NULL;
  const char *name;
  while (ok && (name = g_dir_read_name(d))) {
    char *src = g_build_filename(staging, name, NULL);
    char *dst = g_build_filename(target, name, NULL);
    if (g_rename(src, dst) != 0) {
      kh_diags_add(diags, KH_ERROR, dst, 1, 1, NULL, "无法写入: %s", g_strerror(errno));
      ok = false;
    }
    g_free(src);
    g_free(dst);
  }
  if (d)
    g_dir_close(d);
  return ok;
}

static void print_summary(const init_plan *plan, const kh_dataset *ds) {
  printf("已创建数据集 %s（%d 年）：\n", plan->target, plan->year);
  if (plan->old)
    printf("  rules.ini        考评方案：沿用 %s，考评年度 %d → %d，一票否决截止日期随之顺延\n",
           plan->from, plan->old->rules.year, plan->year);
  else
    printf("  rules.ini        考评方案样例：每个键都有中文说明，按本县考评办法修改\n");
  printf("  townships.csv    乡镇名册，%d 个乡镇%s\n", kh_n_townships(ds),
         plan->old ? "（沿用）" : "（两行示例，请换成本县的乡镇）");
  printf("  " BLANK_SHEET "   月报表样（表头为各数据项的中文名称%s）：每月复制到 monthly/ 中，\n"
         "                   改名为 %d-01.csv 这样的月份再填写\n",
         plan->old ? "，每个乡镇一行" : "；每个乡镇填一行", plan->year);
  printf("  monthly/         每月的月报放在这里（现在是空的）\n");
  printf("  templates/       通报的措辞：要修改时，把 templates/" SHIPPED_FOLDER
         "/ 中的模板复制到 templates/ 再改\n");
  printf("下一步：%s，然后运行  kaohe check %s\n",
         plan->old ? "核对 townships.csv 和 rules.ini（乡镇、指标、责任指标有无变化）"
                   : "修改 townships.csv 和 rules.ini",
         plan->target);
}

/* Loads the earlier year's dataset; prints its errors outside monthly/
 * (those are all that init carries over) and returns NULL when it has any. */
static kh_dataset *load_old(const char *from) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *old = kh_dataset_load(from, diags);
  char *monthly = g_build_filename(from, "monthly", NULL);
  kh_diags *errors = kh_diags_new();
  for (guint i = 0; i < diags->items->len; i++) {
    const kh_diag *d = g_ptr_array_index(diags->items, i);
    if (d->severity == KH_ERROR && !g_str_has_prefix(d->file, monthly))
      kh_diags_add(errors, d->severity, d->file, d->line, d->col, d->source_line, "%s", d->message);
  }
  kh_cli_print_diags(errors);
  if (!old || errors->n_errors > 0) {
    fprintf(stderr, "kaohe init: %s 的考评方案或乡镇名册有错误，改正后再沿用（未创建任何文件）\n",
            from);
    kh_dataset_free(old);
    old = NULL;
  }
  kh_diags_free(errors);
  g_free(monthly);
  kh_diags_free(diags);
  return old;
}

int kh_cmd_init(int argc, char **argv) {
  char *from = NULL;
  int year = INT_MIN; /* not given: --year 0 is a wrong year, not "default" */
  GOptionEntry entries[] = {
      {"from", 0, 0, G_OPTION_ARG_FILENAME, &from,
       "沿用往年的数据集：乡镇名册、考评方案和模板照搬，年度和截止日期改为下一年", "OLD_DATASET"},
      {"year", 0, 0, G_OPTION_ARG_INT, &year,
       "考评年度（默认：今年；与 --from 同用时默认为往年的下一年）", "YYYY"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "init", .arguments = "DIR", .summary = "新建一个待填写的数据集",
      .options = entries,
      .description = "在 DIR 中新建数据集：rules.ini（考评方案样例，每个键都有中文说明）、townships.csv\n"
           "（乡镇名册）、空的 monthly/ 目录和 " BLANK_SHEET "（带中文列名的月报表样，\n"
           "复制到 monthly/ 改名为 YYYY-MM.csv 后填写）。DIR 必须是新目录或空目录，\n"
           "否则不做任何改动，退出码为 1。\n"
           "--from 沿用往年的数据集：乡镇名册、考评方案和 templates/ 中的模板照搬，\n"
           "考评年度和一票否决截止日期顺延一年，不带月报数据。\n\n"
           "示例:\n"
           "  kaohe init 某某县-2014 --year 2014\n"
           "  kaohe init 某某县-2014 --from samples/county-2013\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  if (parsed && argc != 2) {
    fprintf(stderr, "kaohe init: 需要一个目录，例如 kaohe init 某某县-2014\n");
    parsed = false;
  }
  if (parsed && year != INT_MIN && (year < 1000 || year > 9999)) {
    fprintf(stderr, "kaohe init: --year 应为四位数的年份，如 2014\n");
    parsed = false;
  }
  if (!parsed) {
    g_free(from);
    return KH_EXIT_USAGE;
  }

  const char *target = argv[1];
  int status = KH_EXIT_DATA;
  init_plan plan = {.target = target, .from = from, .year = year == INT_MIN ? 0 : year};
  kh_dataset *old = NULL, *ds = NULL;
  kh_diags *diags = kh_diags_new();
  kh_outdir *out = NULL;
  bool existed = g_file_test(target, G_FILE_TEST_EXISTS);
  if (!target_is_free(target))
    goto done;
  if (from) {
    if (!(old = load_old(from)))
      goto done;
    plan.old = old;
    if (!plan.year)
      plan.year = old->rules.year + 1;
  } else if (!plan.year) {
    GDateTime *now = g_date_time_new_now_local();
    plan.year = g_date_time_get_year(now);
    g_date_time_unref(now);
  }
  if (!(out = kh_outdir_begin(target, diags)))
    goto done;
  const char *staging = kh_outdir_staging(out);
  bool ok = build(&plan, staging, &ds, diags) && publish(staging, target, diags);
  print_as_target(diags, staging, target);
  if (ok) {
    print_summary(&plan, ds);
    status = KH_EXIT_OK;
  } else {
    fprintf(stderr, "kaohe init: 未能创建数据集 %s\n", target);
  }

done:
  if (status != KH_EXIT_OK && !out)
    kh_cli_print_diags(diags);
  kh_outdir_free(out);
  if (status != KH_EXIT_OK && !existed)
    g_rmdir(target); /* only when empty: what this run created */
  kh_dataset_free(ds);
  kh_dataset_free(old);
  kh_diags_free(diags);
  g_free(from);
  return status;
}
