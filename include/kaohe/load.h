/* Stage 1, load: reads a dataset folder (docs/reference/dataset.md to rules.md) into a kh_dataset.
 *
 * The dataset owns every string, row and parsed formula in it; one call,
 * kh_dataset_free(), frees it all. Missing numbers are NAN everywhere. */
#ifndef KAOHE_LOAD_H
#define KAOHE_LOAD_H

#include <stdbool.h>
#include <glib.h>
#include "kaohe/diag.h"

/* Limits that keep malformed input from exhausting memory; generous for real
 * use. Exceeding one is a located error, never a crash. */
#define KH_MAX_FILE_BYTES (256u * 1024u * 1024u)
#define KH_MAX_CELL_BYTES (64u * 1024u)
#define KH_MAX_ROWS 1000000
#define KH_MAX_COLUMNS 1000
#define KH_MAX_TOWNSHIPS 100000
#define KH_MAX_FORMULA_DEPTH 200

/* ---- formulas (docs/reference/formulas.md) -------------------------------------------- */

typedef enum {
  KH_EXPR_NUMBER, /* number */
  KH_EXPR_FIELD,  /* index = field index, assessed month's value */
  KH_EXPR_YTD,    /* index = field index, January..assessed month */
  KH_EXPR_ATTR,   /* index = attribute index */
  KH_EXPR_MONTH,  /* the assessed month, 1..12 */
  KH_EXPR_PREV,   /* index = field index: the latest earlier value (audits) */
  KH_EXPR_NEG,    /* -a */
  KH_EXPR_ADD, KH_EXPR_SUB, KH_EXPR_MUL, KH_EXPR_DIV /* a OP b */
} kh_expr_kind;

typedef struct kh_expr {
  kh_expr_kind kind;
  double number;
  int index;
  struct kh_expr *a, *b;
} kh_expr;

/* ---- rules.ini (docs/reference/rules.md) --------------------------------------------- */

typedef enum { KH_OP_GE, KH_OP_LE } kh_op;

typedef enum {
  KH_METHOD_ALL_OR_NOTHING,
  KH_METHOD_PROPORTIONAL,
  KH_METHOD_DEDUCT, /* deduct POINTS per PER */
  KH_METHOD_RANK    /* rank POINTS */
} kh_method;

typedef struct {
  char *id;          /* after "indicator." */
  char *name;        /* 出生人口性别比 */
  char *unit;        /* "" when not given */
  int decimals;      /* 0..10, default 2 */
  char *value_src;   /* formula text as written */
  kh_expr *value;
  kh_op op;
  char *target_src;  /* the formula after the operator */
  kh_expr *target;
  double weight;
  kh_method method;
  double points;     /* P of deduct/rank */
  double per;        /* U of deduct; 0 otherwise */
  bool veto;
  bool has_deadline;
  int deadline_year, deadline_month, deadline_day;
  int from_month;    /* v2 `from`: the first month it counts, 1..12 (1 when
                        not given); earlier months do not have it at all */
} kh_indicator;

typedef struct {
  char *name;        /* after "award." or "penalty." */
  bool is_award;
  int rank_lo, rank_hi; /* ranks = A or A-B; 0,0 when absent */
  bool has_min_score;
  double min_score;
  int bottom;        /* 0 when absent */
  bool has_below;
  double below;
  char *action;
  char *label;       /* the name people read (一等奖); never NULL: a default
                        (一等/二等…奖, 末位/第二档…处罚) when rules.ini has none */
} kh_tier;

typedef struct {
  char *id;    /* identifier */
  char *label; /* Chinese header label, or NULL */
  bool declared; /* [field.ID] in rules.ini (else: seen as a monthly header) */
  char *help;    /* v2: the explanation on fill-in forms, or NULL */
  bool integer;  /* v2: whole numbers only */
  bool cumulative; /* v2: a running total, never lower than last month */
} kh_field;

typedef enum { KH_AUDIT_LE, KH_AUDIT_GE, KH_AUDIT_LT, KH_AUDIT_GT, KH_AUDIT_EQ, KH_AUDIT_NE } kh_audit_op;

/* [audit.NAME] (docs/reference/audits.md): LEFT OP RIGHT must hold on every township row. */
typedef struct {
  char *name;      /* after "audit." */
  char *rule_src;  /* the rule as written */
  char *left_src, *right_src; /* its two formulas */
  int left_at, right_at;      /* characters into the rule where each starts */
  kh_audit_op op;
  kh_expr *left, *right;      /* compiled, NULL until then or when broken */
  char *message;   /* NULL: the rule itself is shown */
  kh_severity level;
} kh_audit;

typedef struct {
  char *title, *county, *issuer;
  int year;
  /* [notice]; NULL when absent */
  char *docno_prefix, *addressees, *copy_to, *printed_by;
  /* [fonts]; NULL when absent */
  char *font_body, *font_title, *font_heading1, *font_heading2;
  /* [quarter] */
  char *veto_action; /* NULL when absent */
  /* [mail] from: the sender as written (kh_mail_sender_parse); NULL when absent */
  char *mail_from;
  /* [mail] smtp, user, password_file, ca_file (NULL when absent) and
   * starttls = false: how the web console sends (docs/reference/console.md) */
  char *mail_smtp, *mail_user, *mail_password_file, *mail_ca_file;
  bool mail_no_starttls;
  GPtrArray *indicators; /* kh_indicator*, file order */
  GPtrArray *awards;     /* kh_tier*, file order */
  GPtrArray *penalties;  /* kh_tier*, file order */
  GPtrArray *audits;     /* kh_audit*, file order */
} kh_rules;

/* ---- townships and monthly data (docs/reference/dataset.md) ------------------------------ */

typedef struct {
  char *code, *name;
  char *email, *contact; /* NULL when absent or empty */
} kh_township;

/* Where a value was read: its place in the file and its Excel name. */
typedef struct {
  int line, col; /* 1-based; col in characters */
  int record;    /* Excel's row number */
  int column;    /* 0-based column (A = 0) */
} kh_place;

typedef struct {
  bool present;   /* the month's file exists and was loaded */
  char *path;     /* NULL when absent */
  int *row_line;  /* [township]: the line of its row in the file, 0 when none */
  double *values; /* [township * n_fields + field]; NAN = missing */
  kh_place *places; /* [township * n_fields + field]: where each value's
                       cell is (line 0 when the file has no such cell) */
  kh_place *key_places; /* [township]: its key cell (line 0 when no row) */
  int *field_column; /* [field]: 0-based column of the field, -1 when the
                        header has none */
  int header_line;   /* line of the header row */
} kh_month_data;

typedef struct {
  char *dir;
  char *rules_path;
  kh_rules rules;
  GPtrArray *townships;   /* kh_township*, registry order */
  GPtrArray *attr_names;  /* char*, townships.csv column order */
  double *attrs;          /* [township * n_attrs + attr]; NAN = missing */
  GPtrArray *fields;      /* kh_field*: declared ones first, then headers */
  kh_month_data months[12]; /* index 0 = January of rules.year */
} kh_dataset;

static inline int kh_n_townships(const kh_dataset *ds) { return (int)ds->townships->len; }
/* Whether township t has a row in the month's file. */
static inline bool kh_month_has_row(const kh_month_data *md, int t) { return md->present && md->row_line[t] > 0; }
static inline int kh_n_indicators(const kh_dataset *ds) { return (int)ds->rules.indicators->len; }
static inline int kh_n_fields(const kh_dataset *ds) { return (int)ds->fields->len; }
static inline int kh_n_attrs(const kh_dataset *ds) { return (int)ds->attr_names->len; }
static inline kh_township *kh_township_at(const kh_dataset *ds, int t) { return g_ptr_array_index(ds->townships, t); }
static inline kh_indicator *kh_indicator_at(const kh_dataset *ds, int i) { return g_ptr_array_index(ds->rules.indicators, i); }
static inline kh_field *kh_field_at(const kh_dataset *ds, int f) { return g_ptr_array_index(ds->fields, f); }
/* Whether an indicator is part of month m (1..12) at all (its `from`). */
static inline bool kh_indicator_in_force(const kh_indicator *ind, int m) { return m >= ind->from_month; }
/* The name people read for a field: its label, else its id. */
static inline const char *kh_field_label(const kh_field *f) { return f->label ? f->label : f->id; }

/* Loads DIR. Appends every problem found to diags (all of them, not just the
 * first) and returns the dataset, or NULL when nothing usable could be read
 * (then diags says why). A dataset is usable for scoring only when
 * diags->n_errors == 0. Caller frees with kh_dataset_free(). */
kh_dataset *kh_dataset_load(const char *dir, kh_diags *diags);
void kh_dataset_free(kh_dataset *ds); /* NULL-safe */

/* Loads DIR for the work that gathers data (forms, import, mail --forms,
 * the web console's upload; docs/reference/audits.md): they need only
 * rules.ini and the registry without errors. Appends the problems of the
 * other files than monthly ones to diags; the monthly files' errors are
 * only counted (*monthly_errors), since check lists them and they do not
 * stop the work. Returns the dataset only when diags gained no error.
 * Caller frees. */
kh_dataset *kh_dataset_load_rules_registry(const char *dir, kh_diags *diags, int *monthly_errors);

/* Warnings about a month to be assessed (docs/reference/dataset.md: months missing before a
 * year-to-date indicator's month); an error when the month's file is absent
 * or the month is outside rules.year. Returns false on error. */
bool kh_dataset_check_month(const kh_dataset *ds, int month, kh_diags *diags);

/* ---- the document register (发文登记.csv; docs/reference/register.md) --- */

/* Its file name inside the dataset folder. */
#define KH_REGISTER_NAME "发文登记.csv"

/* One issued document: a row of the register. Strings are owned. */
typedef struct {
  int number;   /* N of 〔YEAR〕N号, ≥ 1 */
  char *date;   /* YYYY-MM-DD, the document's date */
  char *kind;   /* "month" or "quarter" */
  char *period; /* 2013-07 or 2013Q3 */
  char *title, *file, *sha256;
  int line;     /* its line in the file; 0 for a row not read from a file */
} kh_register_entry;

void kh_register_entry_free(kh_register_entry *e); /* NULL-safe */

/* Reads the register at path: an array of kh_register_entry* in file order
 * (empty when the file does not exist), freeing its elements with it. A
 * malformed register (a header that is not the register's, a number that
 * is not a positive whole number, a number or a period given twice, a kind
 * that is not month or quarter) appends every problem, located, to diags
 * and returns NULL. */
GPtrArray *kh_register_read(const char *path, kh_diags *diags);

/* Whether addr is a bare addr-spec a mail header and an SMTP envelope take
 * unquoted: a dot-atom local part, one '@', a domain of letters, digits,
 * '-' and single dots. The registry's email column and the mail's sender
 * and recipients are held to it. NULL is not an address. */
bool kh_email_address_ok(const char *addr);

/* The part of township tw's file names that says whose they are,
 * "CODE_NAME": each cut at a character boundary (code 40 bytes, name 90)
 * with the characters a file name cannot hold (/\:*?"<>| and control
 * characters) as '_'. The registry refuses two townships whose stems have
 * the same kh_file_stem_key(), so names built from it never collide.
 * Caller frees with g_free(). */
char *kh_township_file_stem(const kh_township *tw);

/* What decides whether two stems are one file: the stem in NFC, case-folded,
 * as case-insensitive and normalising file systems (FAT on a USB stick, a
 * Windows share, macOS) compare names. Caller frees with g_free(). */
char *kh_file_stem_key(const char *stem);

/* The mail's sender as rules.ini's [mail] from and --from write it: an
 * address, or a display name and the address in angle brackets
 * ("某某县人口和计划生育局 <tjk@example.gov.cn>"). On success sets *address
 * and *name (NULL when there is none); both caller-freed. Returns false
 * (both NULL) when the address is not one kh_email_address_ok() takes or
 * the name has quotes or brackets. mail_sender.c. */
bool kh_mail_sender_parse(const char *text, char **name, char **address);

/* Appends text to out as one CSV cell, in quotes (doubled inside) when it
 * holds a comma, a quote or a line end (RFC 4180). csv_write.c. */
void kh_csv_append_cell(GString *out, const char *text);

/* UTF-8 text as a file for Windows programs: a BOM (one, also when text
 * has one already) and every line end ("\n", "\r\n" or "\r") as "\r\n".
 * Sets *len; caller frees. csv_write.c. */
char *kh_windows_text(const char *text, gsize *len);

/* Reads a whole text file as UTF-8: UTF-8 (BOM stripped) when valid, else
 * GB18030. On failure appends an error located at the first undecodable
 * byte (FILE:1:1 when the file cannot be read) and returns NULL.
 * Caller frees with g_free(). */
char *kh_read_text_file(const char *path, gsize *len, kh_diags *diags);

/* Parses "YYYY-MM" / "YYYYQn" / "YYYY-MM-DD" (a real day), digits exactly
 * so. Return false when malformed. */
bool kh_parse_month(const char *s, int *year, int *month);
bool kh_parse_quarter(const char *s, int *year, int *quarter);
bool kh_parse_date(const char *s, int *year, int *month, int *day);

/* ---- returned forms and tables (returned.c) -------------------------------- */

/* Reports returned for one month (docs/reference/forms.md, kaohe import): a township's
 * fill-in form, the county's collection workbook, or any file shaped like
 * a month file (CSV, or a workbook whose first visible sheet is one), read
 * into townships' rows with the cell rules of monthly files. Internal to
 * the load stage; the CLI merges and writes them. */
typedef struct {
  int township;   /* index in the registry */
  double *values; /* one per field of the dataset; NAN: missing */
  kh_place *places; /* per field: where its value was read (line 0: no cell) */
  kh_place key;     /* the township's key cell (a form: its first value cell) */
} kh_returned_row;

typedef struct {
  char *path;
  const char *kind; /* "township" (a form), "collection" or "table" */
  bool *covered;    /* per field: the file has a place for it */
  GArray *rows;     /* kh_returned_row, in file order */
} kh_returned;

/* Reads the file at path as the returned report of `month` (1–12) of ds.
 * A form or collection workbook is known by its hidden `kaohe` sheet, and
 * refused when it belongs to another county, year or month. Its rows are
 * audited as check audits a month (docs/reference/audits.md), over the
 * month's current values where the file has no place for a field. Returns NULL
 * when the file has any error (an error-level audit included) (all of them in diags, located): none of it
 * is to be imported then. Warnings go to diags too. */
kh_returned *kh_returned_read(const kh_dataset *ds, int month, const char *path,
                              kh_diags *diags);

void kh_returned_free(kh_returned *r); /* NULL-safe */

/* ---- importing returned files, first step: the plan (import_plan.c) ----
 *
 * `kaohe import` and the web console's upload share two steps: prepare
 * reads and checks the files and merges them in memory, saying per file
 * what it found and what it would change; kh_import_commit() (deliver.h)
 * then writes the merged month. Prepare writes nothing, so a front-end
 * can show the plan before anything is merged (docs/reference/forms.md):
 *
 *     kh_import_source src[] = {{path, NULL}, ...};
 *     kh_import_plan *p = kh_import_prepare(ds, month, src, n, replace);
 *     ...show p->files[i]: diags, outcome, changes; p->missing...
 *     if (p->changed) kh_import_commit(ds, p, NULL, &written, diags);  // lock held
 *     kh_import_plan_free(p);
 */

/* A file to import: where it is read from, and the name it is known by in
 * diagnostics and messages (NULL: path). The web console reads a saved
 * copy and shows the name the browser gave. */
typedef struct {
  const char *path;
  const char *name;
} kh_import_source;

typedef enum {
  KH_IMPORT_ACCEPTED, /* merged (a warning may have been found) */
  KH_IMPORT_ERRORS,   /* an error in the file (diags): none of it is imported */
  KH_IMPORT_CONFLICT  /* values that differ from the month's, without replace */
} kh_import_outcome;

/* A value a file changes (accepted) or would change (a conflict). */
typedef struct {
  int township;             /* registry index */
  int field;                /* field index */
  double old_value, value;  /* NAN: an empty cell */
} kh_import_change;

typedef struct {
  char *path, *name;        /* as given; name is path when none was given */
  kh_diags *diags;          /* the file's diagnostics, located in name */
  kh_import_outcome outcome;
  const char *kind;         /* "township" (a form), "collection" or "table";
                               NULL with KH_IMPORT_ERRORS */
  int n_rows;               /* townships the file has a row for */
  GArray *changes;          /* kh_import_change, in the file's order: values
                               already in the month that it changes (accepted)
                               or would change (conflict) */
} kh_import_file;

typedef struct {
  int month;                /* 1–12 of the dataset's year */
  bool replace;
  GPtrArray *files;         /* kh_import_file*, in the order given */
  int n_refused;            /* files with outcome other than ACCEPTED */
  bool changed;             /* the merged month differs from its file */
  bool *has;                /* the merged month: has[t], values[t * n_fields + f] */
  double *values;
  GArray *missing;          /* int: townships without a row after the merge */
} kh_import_plan;

/* Reads the n sources in order, each with kh_returned_read() against the
 * month as merged so far (the month's current file, then the accepted
 * files before it), and merges the accepted ones: a file whose township
 * already has a different value (an empty cell against a value counts) is
 * a conflict unless replace. Writes nothing. Caller frees. */
kh_import_plan *kh_import_prepare(const kh_dataset *ds, int month, const kh_import_source *sources,
                                  int n, bool replace);

void kh_import_plan_free(kh_import_plan *p); /* NULL-safe */

/* ---- an earlier year's rules.ini (rules_carry.c) --------------------------- */

/* An earlier year's rules.ini carried into a new year, for `kaohe init
 * --from` (rules_carry.c). Internal to the load stage and the CLI. */
/* old's rules.ini (as its file holds it, comments included) for new_year:
 *  - [assessment] year becomes new_year, and every deadline moves by as
 *    many years (29 February becomes the 28th in a year without one);
 *    nothing else changes, and every other place that still names the old
 *    year as a number of its own is pointed out;
 *  - comment lines saying the file is generated and must not be edited
 *    (a generator's, e.g. samples/make_sample.py's) are dropped: the new
 *    file is the user's to edit;
 *  - the notes of skeleton (the scheme a plain `kaohe init` writes for
 *    new_year) that the file lacks are put back: its header, the banner
 *    above the first group of each kind, the note above each key that has
 *    no comment of its own;
 *  - fields the old year knew only from monthly headers get a [field.ID]
 *    declaration at the end.
 * Returns UTF-8 text with "\n" line ends, or NULL after an error in notes
 * (the file cannot be read). Warnings are located in new_path, at the
 * lines of the returned text. Caller frees. */
char *kh_rules_carry(const kh_dataset *old, int new_year, const char *skeleton,
                     const char *new_path, kh_diags *notes);

/* ---- numbers as a spreadsheet shows them (sheet_table.c) ------------------ */

/* The text of v as a plain decimal to 15 significant digits, as Excel shows
 * a General number (0.84709999999999996 → "0.8471", 1e-7 → "0.0000001");
 * negative numbers keep their sign. v must be finite. Caller frees. */
char *kh_sheet_number_text(double v);

#endif
