/* The kaohe program: one file per command; only this layer prints or exits. */
#ifndef KAOHE_CLI_H
#define KAOHE_CLI_H

#include "kaohe/kaohe.h"

enum { KH_EXIT_OK = 0, KH_EXIT_DATA = 1, KH_EXIT_USAGE = 2 };

int kh_cmd_check(int argc, char **argv);
int kh_cmd_score(int argc, char **argv);
int kh_cmd_month(int argc, char **argv);
int kh_cmd_quarter(int argc, char **argv);
int kh_cmd_init(int argc, char **argv);
int kh_cmd_mail(int argc, char **argv);
int kh_cmd_forms(int argc, char **argv);
int kh_cmd_import(int argc, char **argv);

/* Prints every diagnostic to stderr, in order. */
void kh_cli_print_diags(const kh_diags *diags);

/* Loads DIR and prints its diagnostics. Returns the dataset only when it has
 * no error; otherwise prints and returns NULL (exit 1 follows). */
kh_dataset *kh_cli_load(const char *dir);

/* Loads DIR for forms and import: prints the problems of rules.ini and the
 * registry and returns NULL when they include an error; the monthly files'
 * errors are only counted (*monthly_errors). */
kh_dataset *kh_cli_load_rules_registry(const char *dir, int *monthly_errors);

/* Parses argv with the options; on a usage error prints it with the
 * command's help hint and returns false. */
bool kh_cli_parse(GOptionContext *ctx, int *argc, char ***argv);

/* Checks month's and quarter's --doc-no (the text as given, NULL when
 * absent: a whole number from 1), --date (NULL or a valid YYYY-MM-DD) and
 * --jobs (not negative) before any work. Sets *doc_no (0 when absent). On
 * a bad one prints it for `kaohe COMMAND` and returns false: wrong usage
 * (exit 2). */
bool kh_cli_doc_options(const char *command, const char *doc_no_text, const char *date,
                        int jobs, int *doc_no);

/* Fills meta from --date (YYYY-MM-DD or NULL) and SOURCE_DATE_EPOCH
 * (SPEC §5: its date in China time when set, else today's local date);
 * template_dir is DATASET/templates; doc_no is left 0 for the caller.
 * Prints and returns false on a malformed --date or SOURCE_DATE_EPOCH. */
bool kh_cli_doc_meta(const char *dataset, const char *date, kh_doc_meta *meta);

/* Opens the dataset's document register (locked until
 * kh_register_close()) and chooses the number of kind's period: --doc-no
 * when doc_no > 0, else the register's (docs/reference/register.md).
 * Prints its diagnostics; returns NULL on error (exit 1 follows). */
kh_register *kh_cli_register_open(const char *dataset, const char *kind, const char *period,
                                  int doc_no, int *number);

/* The number the register gave kind's period, 0 when none (or when the
 * register cannot be read: the caller only shows it). */
int kh_cli_registered_number(const char *dataset, const char *kind, const char *period);

/* Records the published document at file (titled title, dated as meta says)
 * in the register. Prints its diagnostics; returns false on failure. */
bool kh_cli_register_record(kh_register *reg, const kh_doc_meta *meta, const char *kind,
                            const char *period, const char *title, const char *file);

/* Worker threads for --jobs: 0 means one per core. */
int kh_cli_jobs(int requested);

#endif
