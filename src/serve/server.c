/* The HTTP side of the web console, on libmicrohttpd (loaded by
 * mhd_loader.c): who may ask, and how answers are sent.
 *
 * - By default it listens on 127.0.0.1 only and answers only requests whose
 *   Host is 127.0.0.1:PORT or localhost:PORT: a page from elsewhere that
 *   makes the browser resolve its own name to 127.0.0.1 (DNS rebinding)
 *   still sends its own name as Host and is refused.
 * - With --listen ADDR, any Host is answered, but only to a browser that
 *   shows the token printed at start: once as ?token=, which sets an
 *   HttpOnly, SameSite=Strict cookie and redirects to the same page
 *   without it, then by the cookie.
 * - Only GET and HEAD; every answer forbids what kaohe does not serve
 *   (Content-Security-Policy) and is never cached. */
#include "serve/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "kaohe/render.h"
#include "serve/mhd_loader.h"

#define TOKEN_COOKIE "kaohe_token"

typedef struct {
  const kh_libmhd *mhd;
  const kh_serve_options *opts;
  char *hosts[2];   /* the Host values answered without a token */
  char token[33];   /* 128 random bits in hex; "" when not required */
} server;

static bool same_secret(const char *a, const char *b) {
  size_t n = strlen(b);
  if (!a || strlen(a) != n)
    return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < n; i++)
    diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

static enum MHD_Result send_reply(const server *s, struct MHD_Connection *conn, unsigned status,
                                  const char *type, const GString *body, const char *location,
                                  const char *cookie) {
  const kh_libmhd *mhd = s->mhd;
  struct MHD_Response *r =
      mhd->create_response_from_buffer(body->len, body->str, MHD_RESPMEM_MUST_COPY);
  if (!r)
    return MHD_NO;
  mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  mhd->add_response_header(r, "Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'; "
                           "base-uri 'none'; form-action 'self'");
  mhd->add_response_header(r, "X-Content-Type-Options", "nosniff");
  mhd->add_response_header(r, "Referrer-Policy", "no-referrer");
  mhd->add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (location)
    mhd->add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
  if (cookie)
    mhd->add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
  enum MHD_Result ok = mhd->queue_response(conn, status, r);
  mhd->destroy_response(r);
  return ok;
}

static enum MHD_Result refuse(const server *s, struct MHD_Connection *conn, unsigned status,
                              const char *message) {
  GString *body = g_string_new(NULL);
  kh_web_error_page((int)status, message, body);
  enum MHD_Result ok = send_reply(s, conn, status, "text/html; charset=utf-8", body, NULL, NULL);
  g_string_free(body, TRUE);
  return ok;
}

static bool host_allowed(const server *s, const char *host) {
  if (s->token[0])
    return true; /* --listen: the token decides */
  for (size_t i = 0; i < G_N_ELEMENTS(s->hosts); i++)
    if (host && strcmp(host, s->hosts[i]) == 0)
      return true;
  return false;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
  (void)version, (void)upload_data, (void)con_cls;
  const server *s = cls;
  const kh_libmhd *mhd = s->mhd;
  if (*upload_data_size != 0)
    return refuse(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "这里只能浏览，不接受提交");
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
    return refuse(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "这里只能浏览，不接受提交");
  const char *host = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
  if (!host_allowed(s, host))
    return refuse(s, conn, MHD_HTTP_FORBIDDEN, "只接受从本机地址打开的页面");
  if (s->token[0]) {
    const char *cookie = mhd->lookup_connection_value(conn, MHD_COOKIE_KIND, TOKEN_COOKIE);
    const char *given = mhd->lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
    if (!same_secret(cookie, s->token)) {
      if (!same_secret(given, s->token))
        return refuse(s, conn, MHD_HTTP_FORBIDDEN, "需要访问令牌：请用 kaohe serve 启动时显示的完整地址打开");
      char *set = g_strdup_printf(TOKEN_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", s->token);
      GString *empty = g_string_new(NULL);
      enum MHD_Result ok = send_reply(s, conn, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8",
                                      empty, url, set);
      g_string_free(empty, TRUE);
      g_free(set);
      return ok;
    }
  }
  kh_serve_reply reply = {.body = g_string_new(NULL)};
  kh_serve_page(s->opts->dataset, url, &reply);
  enum MHD_Result ok = send_reply(s, conn, reply.status, reply.type, reply.body, NULL, NULL);
  g_string_free(reply.body, TRUE);
  return ok;
}

/* The address to listen on, or false with a message printed. */
static bool listen_address(const char *text, struct sockaddr_storage *addr, int port, bool *ipv6) {
  memset(addr, 0, sizeof *addr);
  struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
  *ipv6 = false;
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    return true;
  }
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    *ipv6 = true;
    return true;
  }
  fprintf(stderr, "kaohe serve: --listen 应为 IP 地址（如 0.0.0.0 或 192.168.1.10），而不是“%s”\n", text);
  return false;
}

static bool make_token(char token[33]) {
  unsigned char bytes[16];
  if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
    return false;
  for (size_t i = 0; i < sizeof bytes; i++)
    g_snprintf(token + 2 * i, 3, "%02x", bytes[i]);
  return true;
}

int kh_serve_run(const kh_serve_options *opts) {
  char *error = NULL;
  const kh_libmhd *mhd = kh_libmhd_load(&error);
  if (!mhd) {
    fprintf(stderr, "kaohe serve: %s\n", error);
    g_free(error);
    return 1;
  }
  server s = {.mhd = mhd, .opts = opts};
  struct sockaddr_storage addr;
  bool ipv6 = false;
  if (!listen_address(opts->listen ? opts->listen : "127.0.0.1", &addr, opts->port, &ipv6))
    return 2;
  if (opts->listen && !make_token(s.token)) {
    fprintf(stderr, "kaohe serve: 无法生成访问令牌：%s\n", g_strerror(errno));
    return 1;
  }
  /* SIGINT and SIGTERM are taken by sigwait() below; blocked before the
   * server's threads start, so that they inherit the mask. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                   MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
  struct MHD_Daemon *d = mhd->start_daemon(
      flags, (uint16_t)opts->port, NULL, NULL, answer, &s, MHD_OPTION_SOCK_ADDR, &addr,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
      MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "kaohe serve: 无法在 %s 端口 %d 上提供服务（端口被占用，或地址不属于本机）\n",
            opts->listen ? opts->listen : "127.0.0.1", opts->port);
    return 1;
  }
  const union MHD_DaemonInfo *info = mhd->get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  int port = info ? info->port : opts->port;
  s.hosts[0] = g_strdup_printf("127.0.0.1:%d", port);
  s.hosts[1] = g_strdup_printf("localhost:%d", port);
  if (opts->listen)
    fprintf(stderr, "kaohe serve: 请在浏览器中打开 http://%s%s%s:%d/?token=%s\n", ipv6 ? "[" : "",
            opts->listen, ipv6 ? "]" : "", port, s.token);
  else
    fprintf(stderr, "kaohe serve: 请在浏览器中打开 http://127.0.0.1:%d/\n", port);
  fprintf(stderr, "kaohe serve: 数据集 %s；按 Ctrl+C 停止\n", opts->dataset);
  int sig = 0;
  sigwait(&stop, &sig);
  mhd->stop_daemon(d);
  fprintf(stderr, "kaohe serve: 已停止\n");
  g_free(s.hosts[0]);
  g_free(s.hosts[1]);
  return 0;
}
