/* Sessions and their form tokens (serve.h). A browser gets a random
 * session id in an HttpOnly, SameSite=Strict cookie; every form of the
 * console carries the session's token, an HMAC of the id under a secret
 * drawn when the server starts. A POST whose token does not match its
 * cookie's session is refused, so a page elsewhere cannot make the
 * browser act here (cross-site request forgery), and nothing needs to be
 * remembered per session. */
#include "serve/serve.h"

#include <string.h>
#include <sys/random.h>

static guint8 secret[32];

static bool random_bytes(void *buffer, size_t n) {
  return getrandom(buffer, n, 0) == (ssize_t)n;
}

bool kh_serve_secret_init(void) { return random_bytes(secret, sizeof secret); }

static void hex(const guint8 *bytes, size_t n, char *out) {
  for (size_t i = 0; i < n; i++)
    g_snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

void kh_serve_session_new(char id[33]) {
  guint8 bytes[16];
  if (!random_bytes(bytes, sizeof bytes))
    memset(bytes, 0, sizeof bytes); /* no session then: its token is refused below */
  hex(bytes, sizeof bytes, id);
}

void kh_serve_csrf(const char *session, char token[33]) {
  token[0] = '\0';
  if (!session || strlen(session) != 32 || strspn(session, "0123456789abcdef") != 32 ||
      strcmp(session, "00000000000000000000000000000000") == 0)
    return;
  char *mac = g_compute_hmac_for_string(G_CHECKSUM_SHA256, secret, sizeof secret, session, -1);
  memcpy(token, mac, 32);
  token[32] = '\0';
  g_free(mac);
}

bool kh_serve_same_secret(const char *given, const char *expected) {
  size_t n = strlen(expected);
  if (!given || n == 0 || strlen(given) != n)
    return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < n; i++)
    diff |= (unsigned char)(given[i] ^ expected[i]);
  return diff == 0;
}
