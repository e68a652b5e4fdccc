/* The sender of the mail (load.h): rules.ini's [mail] from and the --from
 * option take the same text, a bare address or a display name followed by
 * the address in angle brackets, as mail programs write it. */
#include "kaohe/load.h"

#include <string.h>

bool kh_mail_sender_parse(const char *text, char **name, char **address) {
  *name = *address = NULL;
  if (!text)
    return false;
  const char *open = strrchr(text, '<');
  char *addr, *display = NULL;
  if (open) {
    const char *close = strchr(open, '>');
    if (!close || close[1] != '\0')
      return false;
    addr = g_strndup(open + 1, (gsize)(close - open - 1));
    display = g_strstrip(g_strndup(text, (gsize)(open - text)));
  } else {
    addr = g_strstrip(g_strdup(text));
  }
  /* quotes and brackets in the name would need quoting in the header */
  bool ok = kh_email_address_ok(addr) && !(display && strpbrk(display, "<>\"\r\n"));
  if (!ok || (display && !*display))
    g_clear_pointer(&display, g_free);
  if (!ok)
    g_clear_pointer(&addr, g_free);
  *name = display;
  *address = addr;
  return ok;
}
