/* The one rule for an email address (load.h): the registry checks it so
 * that `kaohe check` points at the cell, the mail stage before it writes a
 * header or an SMTP envelope. */
#include "kaohe/load.h"

#include <string.h>

static bool is_atext(char c) {
  return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

bool kh_email_address_ok(const char *addr) {
  const char *at = addr ? strrchr(addr, '@') : NULL;
  if (!at || at == addr || at[1] == '\0' || addr[0] == '.' || at[-1] == '.')
    return false;
  for (const char *p = addr; p < at; p++)
    if (!is_atext(*p) && !(*p == '.' && p[1] != '.'))
      return false;
  const char *domain = at + 1;
  if (domain[0] == '.' || domain[0] == '-' || g_str_has_suffix(domain, "."))
    return false;
  for (const char *p = domain; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && !(*p == '.' && p[1] != '.'))
      return false;
  return true;
}
