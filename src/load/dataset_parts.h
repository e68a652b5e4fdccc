/* The steps of kh_dataset_load() (dataset.c) that read data files:
 * townships.csv (registry.c) and monthly/ (monthly.c). Internal to the load
 * stage. */
#ifndef KAOHE_LOAD_DATASET_PARTS_H
#define KAOHE_LOAD_DATASET_PARTS_H

#include "load/csv_reader.h"

/* A non-numeric attribute cell: an error only if a formula uses the
 * attribute, which is known only once the formulas are compiled. */
typedef struct {
  int attr;   /* index in ds->attr_names */
  guint cell; /* index in the registry table's cells */
} kh_bad_attr;

/* What reading townships.csv leaves for the later steps. */
typedef struct {
  kh_csv_table *table;   /* NULL when the file could not be read */
  GHashTable *by_code;   /* code → township index + 1 (keys borrowed from ds) */
  GHashTable *by_name;   /* name → township index + 1 (keys borrowed from ds) */
  GArray *township_rows; /* guint per township: its row in table */
  GArray *attr_headers;  /* guint per attribute: its header cell in table */
  GArray *bad_attrs;     /* kh_bad_attr */
} kh_registry;

/* Reads DIR/townships.csv into ds->townships, ds->attr_names and ds->attrs
 * (always allocated), appending every problem to diags. Fills reg; clear it
 * with kh_registry_clear(). */
void kh_registry_load(kh_dataset *ds, kh_registry *reg, kh_diags *diags);

/* Reports the non-numeric cells of the attributes some formula uses
 * (used_attrs[a]). */
void kh_registry_report_bad_attrs(const kh_dataset *ds, const kh_registry *reg,
                                  const bool *used_attrs, kh_diags *diags);

void kh_registry_clear(kh_registry *reg);

/* What a row is by its key (docs/reference/dataset.md): a township (or an unknown key),
 * a total of all townships (合计, 总计, 全县), or a subtotal (小计). */
typedef enum { KH_ROW_TOWNSHIP, KH_ROW_TOTAL, KH_ROW_SUBTOTAL } kh_row_kind;
kh_row_kind kh_row_kind_of(const char *key);

/* The one township whose code equals key when leading zeros are ignored
 * on both sides (Excel turns 01 into 1), or -1 (township_keys.c). */
int kh_registry_match_zeros(const kh_dataset *ds, const char *key);

/* The one registry name or code at edit distance 1 from key (东山乡 for
 * 东山镇), to suggest; NULL when none or several. Caller frees with g_free(). */
char *kh_registry_suggest(const kh_dataset *ds, const char *key);

/* The month files read, kept until the formulas are compiled: their
 * checks need to know what the indicators and audits read. */
typedef struct kh_monthly kh_monthly;

/* Reads every DIR/monthly/YYYY-MM.csv of the assessment year, in name order,
 * into ds->months, adding each identifier header not yet known to
 * ds->fields (declared = false). The files' own problems are held until
 * kh_monthly_finish(); NULL when there is no monthly folder (reported). */
kh_monthly *kh_monthly_load(kh_dataset *ds, const kh_registry *reg, kh_diags *diags);

/* Once the formulas are compiled (`compiled`: rules.ini was read): runs
 * kh_month_checks() on every month, appends every file's problems to diags
 * in the order of their places, and frees mon (NULL-safe). */
void kh_monthly_finish(kh_dataset *ds, kh_monthly *mon, bool compiled, kh_diags *diags);

/* The checks of one loaded month that need the compiled formulas (docs/reference/dataset.md
 * and audits.md; month_checks.c): fields the month's indicators need and its
 * header lacks, empty cells and rows that cost points, and the audits.
 * Appends to the file's own diags. */
void kh_month_checks(const kh_dataset *ds, int month, const kh_csv_table *t,
                     kh_diags *diags);

/* The audits of one loaded month (docs/reference/audits.md; audit.c): every [audit.*]
 * rule and the built-in ones (cumulative, integer, % over 100) on every
 * township row, each failure located at its cell. */
void kh_month_audits(const kh_dataset *ds, int month, const kh_csv_table *t,
                     kh_diags *diags);

/* Whether a header names a field or attribute: an identifier
 * ([a-z_][a-z0-9_]*) other than the reserved month, ytd and township. */
bool kh_is_data_name(const char *s);

#endif
