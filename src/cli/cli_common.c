/* What every command shares: printing diagnostics, loading, option parsing. */
#include "cli/cli.h"

#include <stdio.h>

void kh_cli_print_diags(const kh_diags *diags) {
  for (guint i = 0; i < diags->items->len; i++) {
    char *text = kh_diag_format(g_ptr_array_index(diags->items, i));
    fprintf(stderr, "%s\n", text);
    g_free(text);
  }
}

kh_dataset *kh_cli_load(const char *dir) {
  kh_diags *diags = kh_diags_new();
  kh_dataset *ds = kh_dataset_load(dir, diags);
  kh_cli_print_diags(diags);
  bool failed = diags->n_errors > 0;
  if (failed)
    fprintf(stderr, "kaohe: %d 个错误，未生成任何文件 (%d error(s); nothing written)\n",
            diags->n_errors, diags->n_errors);
  kh_diags_free(diags);
  if (failed) {
    kh_dataset_free(ds);
    return NULL;
  }
  return ds;
}

bool kh_cli_parse(GOptionContext *ctx, int *argc, char ***argv) {
  GError *err = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &err)) {
    fprintf(stderr, "kaohe: %s\n(kaohe %s --help 查看用法)\n", err->message,
            (*argv)[0]);
    g_error_free(err);
    return false;
  }
  return true;
}
