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

/* message with a trailing system error (strerror's English, as GLib and
 * errno report it) said in Chinese first and kept in parentheses
 * (system_words.c); otherwise a copy. Caller frees. */
char *kh_cli_explain(const char *message);

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

/* Checks month's and quarter's --doc-no (the text as given, NULL when
 * absent: a whole number from 1), --date (NULL or a valid YYYY-MM-DD) and
 * --jobs (not negative) before any work. Sets *doc_no (0 when absent). On
 * a bad one prints it for `kaohe COMMAND` and returns false: wrong usage
 * (exit 2). */
bool kh_cli_doc_options(const char *command, const char *doc_no_text, const char *date,
                        int jobs, int *doc_no);

/* Fills meta from --date (YYYY-MM-DD or NULL), --doc-no (0 = not given:
 * default_no) and SOURCE_DATE_EPOCH (SPEC §5: its date in China time when
 * set, else today's local date); template_dir is DATASET/templates.
 * Prints and returns false on a malformed --date or SOURCE_DATE_EPOCH. */
bool kh_cli_doc_meta(const char *dataset, const char *date, int doc_no,
                     int default_no, kh_doc_meta *meta);

/* The mail's sender (mail_setup.c): --from when given, else rules.ini's
 * [mail] from; a bare address gets the issuer as display name. Sets *name
 * and *address (caller frees). Without either, or with a bad --from, says
 * how to set one and returns false: nothing may be written or sent. */
bool kh_cli_mail_sender(const char *from_option, const kh_rules *rules, char **name,
                        char **address);

/* --test ADDRESS: sends tw's message to address only, without the delivery
 * log, and reports the outcome. Returns the exit status. */
int kh_cli_mail_send_test(const kh_smtp_options *opt, const kh_township *tw,
                          const char *address, GBytes *message);

/* Worker threads for --jobs: 0 means one per core. */
int kh_cli_jobs(int requested);

#endif
