/* The kaohe program: one file per command; only this layer prints or exits. */
#ifndef KAOHE_CLI_H
#define KAOHE_CLI_H

#include <stdio.h>
#include "kaohe/kaohe.h"

enum { KH_EXIT_OK = 0, KH_EXIT_DATA = 1, KH_EXIT_USAGE = 2 };

int kh_cmd_check(int argc, char **argv);
int kh_cmd_score(int argc, char **argv);
int kh_cmd_month(int argc, char **argv);
int kh_cmd_quarter(int argc, char **argv);
int kh_cmd_init(int argc, char **argv);
int kh_cmd_mail(int argc, char **argv);
int kh_cmd_serve(int argc, char **argv);
int kh_cmd_forms(int argc, char **argv);
int kh_cmd_import(int argc, char **argv);

/* Prints every diagnostic to stderr, in order, system errors explained. */
void kh_cli_print_diags(const kh_diags *diags);

/* Loads DIR and prints its diagnostics. Returns the dataset only when it has
 * no error; otherwise prints and returns NULL (exit 1 follows). */
kh_dataset *kh_cli_load(const char *dir);

/* A command's options and its --help (options.c): the usage line is
 * "kaohe COMMAND ARGUMENTS [选项…]", then the summary, the options with
 * their descriptions, and the description (paragraphs and examples, ending
 * with a newline). options ends with an entry whose long_name is NULL; the
 * kinds used are NONE, INT, STRING and FILENAME. */
typedef struct {
  const char *command;
  const char *arguments;
  const char *summary;
  const char *description;
  const GOptionEntry *options;
} kh_cli_help;

/* Reads the options out of argv, leaving argv[0] and the other arguments in
 * their order. --help (or -h) prints the help to stdout and exits 0. On a
 * usage error prints it in Chinese with the help hint and returns false. */
bool kh_cli_parse(const kh_cli_help *help, int *argc, char ***argv);

/* Parses the month (YYYY-MM) or, when quarter, the quarter (YYYYQn) that
 * `kaohe command` was given as name (a word such as 月份, or the option);
 * on a malformed one says so, with the form and an example, and returns
 * false: wrong usage (exit 2). */
bool kh_cli_period(const char *command, const char *name, const char *text, bool quarter,
                   int *year, int *period);

/* Loads DIR for forms and import: prints the problems of rules.ini and the
 * registry and returns NULL when they include an error; the monthly files'
 * errors are only counted (*monthly_errors). */
kh_dataset *kh_cli_load_rules_registry(const char *dir, int *monthly_errors);

/* Checks month's and quarter's --doc-no (the text as given, NULL when
 * absent: a whole number from 1), --date (NULL or a valid YYYY-MM-DD) and
 * --jobs (not negative) before any work. Sets *doc_no (0 when absent). On
 * a bad one prints it for `kaohe COMMAND` and returns false: wrong usage
 * (exit 2). */
bool kh_cli_doc_options(const char *command, const char *doc_no_text, const char *date,
                        int jobs, int *doc_no);

/* kh_doc_meta_init (render.h) from --date (YYYY-MM-DD or NULL) and
 * SOURCE_DATE_EPOCH, printing its diagnostics; doc_no is left 0 for the
 * caller. Free with kh_doc_meta_clear(). */
bool kh_cli_doc_meta(const char *dataset, const char *date, kh_doc_meta *meta);

/* The dataset's action lock for command (deliver.h), waiting with a note
 * while another command or the web console holds it. Prints its
 * diagnostics; NULL on error (exit 1 follows). */
kh_dataset_lock *kh_cli_lock(const char *dataset, const char *command);

/* The month's output folder: given (-o), else kh_month_default_outdir().
 * Caller frees with g_free(). */
char *kh_cli_month_outdir(const char *given, int year, int month);

/* Whether the period named on the command line (period, of year) lies in
 * the dataset's assessment year; prints "kaohe COMMAND: … 不在考评年度 …"
 * when not. */
bool kh_cli_in_year(const char *command, const char *period, int year, const kh_dataset *ds);

/* The mail's sender (mail_setup.c): --from when given, else rules.ini's
 * [mail] from; a bare address gets the issuer as display name. Sets *name
 * and *address (caller frees). Without either, or with a bad --from, says
 * how to set one and returns false: nothing may be written or sent. */
bool kh_cli_mail_sender(const char *from_option, const kh_rules *rules, char **name,
                        char **address);

/* kaohe mail --forms (mail_forms.c): each township of b->ds with an
 * address, its form `填报表_YYYY-MM_<stem>.xlsx` from b->outdir (what
 * `kaohe forms` wrote), read and checked to be its own
 * (kh_mail_form_read), as kh_mail_find_attachments(); then every form's
 * mail rendered (templates/forms_mail.md) and encoded. */
bool kh_mail_forms_find(kh_mail_batch *b, kh_diags *diags);
bool kh_mail_forms_compose(kh_mail_batch *b, const kh_doc_meta *meta, const char *from,
                           const char *from_name, kh_diags *diags);

/* --test ADDRESS: sends tw's message to address only, without the delivery
 * log, and reports the outcome. Returns the exit status. */
int kh_cli_mail_send_test(const kh_smtp_options *opt, const kh_township *tw,
                          const char *address, GBytes *message);

/* Worker threads for --jobs: 0 means one per core. */
int kh_cli_jobs(int requested);

/* While documents are rendered, what libraries print on stderr themselves
 * (libxlsxwriter's "[ERROR]…" lines in English when a disk is full) goes
 * nowhere: kaohe reports the same failure as a located Chinese error. The
 * process's stderr stream points at /dev/null until kh_cli_libraries_end();
 * kaohe's own output in between (progress) goes to kh_cli_terminal().
 * Sanitizer reports write to the file descriptor and still show. */
void kh_cli_libraries_quiet(void);
void kh_cli_libraries_end(void);
/* The real stderr stream, also while libraries are quiet. */
FILE *kh_cli_terminal(void);

#endif
