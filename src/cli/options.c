/* The commands' options: parsing and --help, in Chinese whatever the locale
 * (docs/decisions.md, Installing).
 *
 * GLib's GOptionContext takes its own words ("Usage:", "Help Options:",
 * "Unknown option") from GLib's message catalog, which no locale but a
 * Chinese one with GLib's translations installed provides, and converts
 * string options from the locale's charset, which fails on Chinese text
 * when no locale is set at all. So the options are read here, from the
 * same GOptionEntry tables: `--name value`, `--name=value`, `-x value`,
 * `-xvalue`, flags, `--` ending the options, options and arguments in any
 * order. Arguments are taken as the bytes given (UTF-8 on every system
 * kaohe runs on). */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELP_ENTRY_TEXT "显示本帮助"

/* The entry named by a long option ("output" of "--output=x"), or NULL. */
static const GOptionEntry *find_long(const GOptionEntry *entries, const char *name, size_t len) {
  for (const GOptionEntry *e = entries; e->long_name; e++)
    if (strlen(e->long_name) == len && strncmp(e->long_name, name, len) == 0)
      return e;
  return NULL;
}

static const GOptionEntry *find_short(const GOptionEntry *entries, char c) {
  for (const GOptionEntry *e = entries; e->long_name; e++)
    if (e->short_name == c)
      return e;
  return NULL;
}

static bool takes_value(const GOptionEntry *e) { return e->arg != G_OPTION_ARG_NONE; }

/* Stores value in e's variable. On a value that does not fit, returns
 * the problem (static text) for the caller to print. */
static const char *store(const GOptionEntry *e, const char *value) {
  switch (e->arg) {
  case G_OPTION_ARG_NONE:
    *(gboolean *)e->arg_data = TRUE;
    return NULL;
  case G_OPTION_ARG_INT: {
    char *end = NULL;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (!*value || *end)
      return "应为整数";
    if (errno == ERANGE || n < G_MININT || n > G_MAXINT)
      return "超出整数范围";
    *(int *)e->arg_data = (int)n;
    return NULL;
  }
  case G_OPTION_ARG_STRING:
  case G_OPTION_ARG_FILENAME:
    g_free(*(char **)e->arg_data); /* given twice: the last one counts */
    *(char **)e->arg_data = g_strdup(value);
    return NULL;
  default: /* the commands use only the kinds above */
    return "不支持的选项类型";
  }
}

/* "-o, --output=OUTDIR" for the help's left column. Caller frees. */
static char *option_label(const GOptionEntry *e) {
  GString *s = g_string_new("  ");
  if (e->short_name)
    g_string_append_printf(s, "-%c, ", e->short_name);
  else
    g_string_append(s, "    ");
  g_string_append_printf(s, "--%s", e->long_name);
  if (takes_value(e))
    g_string_append_printf(s, "=%s", e->arg_description ? e->arg_description : "值");
  return g_string_free(s, FALSE);
}

static void print_help(const kh_cli_help *help) {
  printf("用法：kaohe %s %s [选项…]\n\n%s\n\n选项：\n", help->command, help->arguments,
         help->summary);
  size_t width = strlen("  -h, --help");
  for (const GOptionEntry *e = help->options; e->long_name; e++) {
    char *label = option_label(e);
    width = MAX(width, strlen(label));
    g_free(label);
  }
  printf("%-*s  %s\n", (int)width, "  -h, --help", HELP_ENTRY_TEXT);
  for (const GOptionEntry *e = help->options; e->long_name; e++) {
    char *label = option_label(e);
    printf("%-*s  %s\n", (int)width, label, e->description);
    g_free(label);
  }
  if (help->description)
    printf("\n%s", help->description);
  fflush(stdout);
}

static bool usage_error(const kh_cli_help *help, const char *format, const char *option,
                        const char *detail) {
  fprintf(stderr, "kaohe %s: ", help->command);
  fprintf(stderr, format, option, detail);
  fprintf(stderr, "\n(kaohe %s --help 查看用法)\n", help->command);
  return false;
}

/* Takes the value of option arg (e), from after "=" or the next argument.
 * Returns false after printing when there is none. */
static bool take_value(const kh_cli_help *help, const GOptionEntry *e, const char *shown,
                       const char *inline_value, int *i, int argc, char **argv) {
  const char *value = inline_value;
  if (!value) {
    if (*i + 1 >= argc)
      return usage_error(help, "选项 %s 缺少取值%s", shown, "");
    value = argv[++*i];
  }
  const char *problem = store(e, value);
  if (problem) {
    char *detail = g_strdup_printf("（“%s”%s）", value, problem);
    usage_error(help, "选项 %s 的取值不对%s", shown, detail);
    g_free(detail);
    return false;
  }
  return true;
}

bool kh_cli_parse(const kh_cli_help *help, int *argc, char ***argv) {
  char **args = *argv;
  int n = *argc, kept = 1;
  bool options_done = false;
  for (int i = 1; i < n; i++) {
    char *arg = args[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      args[kept++] = arg; /* an argument, kept in its order */
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      options_done = true;
      continue;
    }
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "-?") == 0) {
      print_help(help);
      exit(KH_EXIT_OK);
    }
    if (arg[1] == '-') {
      const char *name = arg + 2, *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const GOptionEntry *e = find_long(help->options, name, len);
      char *shown = g_strndup(arg, (size_t)(name - arg) + len);
      bool ok = true;
      if (!e)
        ok = usage_error(help, "未知选项 %s%s", shown, "");
      else if (!takes_value(e) && eq)
        ok = usage_error(help, "选项 %s 不带取值%s", shown, "");
      else if (!takes_value(e))
        store(e, NULL);
      else
        ok = take_value(help, e, shown, eq ? eq + 1 : NULL, &i, n, args);
      g_free(shown);
      if (!ok)
        return false;
      continue;
    }
    /* -x, -xVALUE, or flags together (-ab) */
    for (const char *c = arg + 1; *c; c++) {
      const GOptionEntry *e = find_short(help->options, *c);
      char shown[3] = {'-', *c, '\0'};
      if (!e)
        return usage_error(help, "未知选项 %s%s", shown, "");
      if (!takes_value(e)) {
        store(e, NULL);
        continue;
      }
      if (!take_value(help, e, shown, c[1] ? c + 1 : NULL, &i, n, args))
        return false;
      break;
    }
  }
  args[kept] = NULL;
  *argc = kept;
  return true;
}
