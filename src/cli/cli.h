/* The kaohe program: one file per command; only this layer prints or exits. */
#ifndef KAOHE_CLI_H
#define KAOHE_CLI_H

#include "kaohe/kaohe.h"

enum { KH_EXIT_OK = 0, KH_EXIT_DATA = 1, KH_EXIT_USAGE = 2 };

int kh_cmd_check(int argc, char **argv);
int kh_cmd_score(int argc, char **argv);

/* Prints every diagnostic to stderr, in order. */
void kh_cli_print_diags(const kh_diags *diags);

/* Loads DIR and prints its diagnostics. Returns the dataset only when it has
 * no error; otherwise prints and returns NULL (exit 1 follows). */
kh_dataset *kh_cli_load(const char *dir);

/* Parses argv with the options; on a usage error prints it with the
 * command's help hint and returns false. */
bool kh_cli_parse(GOptionContext *ctx, int *argc, char ***argv);

#endif
