/* The HTTP side of the web console, on libmicrohttpd (loaded by
 * mhd_loader.c): who may ask, and how requests and answers travel.
 *
 * - By default it listens on 127.0.0.1 only and answers only requests whose
 *   Host is 127.0.0.1:PORT or localhost:PORT: a page from elsewhere that
 *   makes the browser resolve its own name to 127.0.0.1 (DNS rebinding)
 *   still sends its own name as Host and is refused.
 * - With --listen ADDR, any Host is answered, but only to a browser that
 *   shows the token printed at start: once as ?token=, which sets an
 *   HttpOnly, SameSite=Strict cookie and redirects to the same page
 *   without it, then by the cookie.
 * - GET and HEAD read; POST acts, its body decoded by libmicrohttpd's post
 *   processor into a kh_serve_form (form.c, with the limits), and checked
 *   against the session's token (session.c) in actions.c. Every answer
 *   forbids what kaohe does not serve (Content-Security-Policy) and is
 *   never cached. Each connection has its own thread, so a page is
 *   answered while an action runs on another. */
#include "serve/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaohe/render.h"
#include "deliver/fsops.h"
#include "serve/mhd_loader.h"
#include "serve/server.h"

#define TOKEN_COOKIE "kaohe_token"
#define SESSION_COOKIE "kaohe_session"

typedef struct kh_serve_server {
  const kh_libmhd *mhd;
  const kh_serve_options *opts;
  struct MHD_Daemon *daemon;
  int port;
  char *hosts[2];   /* the Host values answered without a token */
  char token[33];   /* 128 random bits in hex; "" when not required */
  char *state_dir;  /* private: uploads, removed at stop */
} server;

/* One request, from its first call to its completion. */
typedef struct {
  bool post;
  struct MHD_PostProcessor *pp;
  kh_serve_form form;
  unsigned refused;  /* an early refusal, answered once the body is read */
  const char *refusal;
} request;

static enum MHD_Result send_reply(const server *s, struct MHD_Connection *conn,
                                  const kh_serve_reply *reply, const char *cookie) {
  const kh_libmhd *mhd = s->mhd;
  struct MHD_Response *r = NULL;
  unsigned status = reply->status;
  if (reply->file) {
    int fd = open(reply->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
      r = mhd->create_response_from_fd((size_t)st.st_size, fd); /* closes fd */
    else if (fd >= 0)
      close(fd);
    if (!r) {
      GString *body = g_string_new(NULL);
      kh_web_error_page(404, "文件已不在原处，请刷新页面", body);
      r = mhd->create_response_from_buffer(body->len, body->str, MHD_RESPMEM_MUST_COPY);
      g_string_free(body, TRUE);
      status = 404;
    }
  } else {
    r = mhd->create_response_from_buffer(reply->body->len, reply->body->str,
                                         MHD_RESPMEM_MUST_COPY);
  }
  if (!r)
    return MHD_NO;
  if (reply->file && status == 200) {
    mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, reply->type);
    /* the name twice: plain ASCII for old clients, RFC 6266's UTF-8 for the rest */
    char *escaped = g_uri_escape_string(reply->filename, NULL, FALSE);
    char *disposition = g_strdup_printf("%s; filename=\"document%s\"; filename*=UTF-8''%s",
                                        reply->inline_file ? "inline" : "attachment",
                                        strrchr(reply->filename, '.') ? strrchr(reply->filename, '.') : "",
                                        escaped);
    mhd->add_response_header(r, "Content-Disposition", disposition);
    g_free(disposition);
    g_free(escaped);
  } else {
    mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                             reply->file ? "text/html; charset=utf-8" : reply->type);
  }
  mhd->add_response_header(r, "Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'; "
                           "base-uri 'none'; form-action 'self'");
  mhd->add_response_header(r, "X-Content-Type-Options", "nosniff");
  mhd->add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
  mhd->add_response_header(r, "Referrer-Policy", "no-referrer");
  mhd->add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (reply->location) {
    mhd->add_response_header(r, MHD_HTTP_HEADER_LOCATION, reply->location);
    status = MHD_HTTP_SEE_OTHER;
  }
  if (cookie)
    mhd->add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
  enum MHD_Result ok = mhd->queue_response(conn, status, r);
  mhd->destroy_response(r);
  return ok;
}

static enum MHD_Result refuse(const server *s, struct MHD_Connection *conn, unsigned status,
                              const char *message) {
  kh_serve_reply reply = {.body = g_string_new(NULL)};
  kh_serve_error(&reply, status, message);
  enum MHD_Result ok = send_reply(s, conn, &reply, NULL);
  kh_serve_reply_clear(&reply);
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

/* Where to send the browser once it has shown the token: back to the path
 * it asked for, when that is a path of this console. "//host", "/\\host"
 * (browsers read a backslash as a slash) or a path with a control
 * character (browsers drop tabs and line ends, and a header cannot hold
 * them) would send it to another site: "/" then. */
static const char *same_site(const char *url) {
  if (url[0] != '/' || url[1] == '/' || url[1] == '\\')
    return "/";
  for (const char *p = url; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      return "/";
  return url;
}

/* Whether the request may be answered at all; else the refusal is queued
 * (*ok) and false returned. */
static bool admitted(const server *s, struct MHD_Connection *conn, const char *url,
                     enum MHD_Result *ok) {
  const kh_libmhd *mhd = s->mhd;
  const char *host = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
  if (!host_allowed(s, host)) {
    *ok = refuse(s, conn, MHD_HTTP_FORBIDDEN, "只接受从本机地址打开的页面");
    return false;
  }
  if (!s->token[0])
    return true;
  const char *cookie = mhd->lookup_connection_value(conn, MHD_COOKIE_KIND, TOKEN_COOKIE);
  if (kh_serve_same_secret(cookie, s->token))
    return true;
  const char *given = mhd->lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
  if (!kh_serve_same_secret(given, s->token)) {
    *ok = refuse(s, conn, MHD_HTTP_FORBIDDEN, "需要访问令牌：请用 kaohe serve 启动时显示的完整地址打开");
    return false;
  }
  char *set = g_strdup_printf(TOKEN_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", s->token);
  kh_serve_reply reply = {.status = MHD_HTTP_SEE_OTHER, .type = "text/plain; charset=utf-8",
                          .body = g_string_new(NULL), .location = g_strdup(same_site(url))};
  *ok = send_reply(s, conn, &reply, set);
  kh_serve_reply_clear(&reply);
  g_free(set);
  return false;
}

static enum MHD_Result take_piece(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *transfer_encoding, const char *data, uint64_t off,
                                  size_t size) {
  (void)kind, (void)content_type, (void)transfer_encoding;
  request *rq = cls;
  return kh_serve_form_feed(&rq->form, key, filename, data, off, size) ? MHD_YES : MHD_NO;
}

/* The first call for a POST: limits that the headers already show, and the
 * post processor. */
static void start_post(const server *s, struct MHD_Connection *conn, request *rq) {
  const kh_libmhd *mhd = s->mhd;
  rq->post = true;
  kh_serve_form_init(&rq->form, s->state_dir);
  const char *length =
      mhd->lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  guint64 n = 0;
  if (length && (!g_ascii_string_to_unsigned(length, 10, 0, G_MAXUINT64, &n, NULL) ||
                 n > KH_SERVE_MAX_BODY)) {
    rq->refused = MHD_HTTP_CONTENT_TOO_LARGE;
    rq->refusal = "提交的内容太大（上限 32 MB）";
    return;
  }
  rq->pp = mhd->create_post_processor(conn, 64 * 1024, take_piece, rq);
  if (!rq->pp) {
    rq->refused = MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
    rq->refusal = "只接受网页表单的提交";
  }
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
  (void)version;
  const server *s = cls;
  const kh_libmhd *mhd = s->mhd;
  request *rq = *con_cls;
  bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
  bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
  if (!rq) {
    rq = g_new0(request, 1);
    *con_cls = rq;
    enum MHD_Result ok;
    if (!admitted(s, conn, url, &ok))
      return ok;
    if (!get && !post)
      return refuse(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "不支持这种请求");
    if (post) {
      start_post(s, conn, rq);
      if (rq->refused) /* answered before the body is read; the connection then closes */
        return refuse(s, conn, rq->refused, rq->refusal);
      return MHD_YES; /* the body follows */
    }
  }
  /* Only a POST comes here with a body: a GET is answered at its first
     call, and libmicrohttpd drops whatever body it brought. */
  if (*upload_data_size != 0) {
    if (!rq->refused && mhd->post_process(rq->pp, upload_data, *upload_data_size) != MHD_YES)
      rq->refused = rq->form.error_status ? rq->form.error_status : MHD_HTTP_BAD_REQUEST,
      rq->refusal = rq->form.error ? rq->form.error : "提交的内容无法解读";
    *upload_data_size = 0; /* taken, or dropped after a refusal */
    return MHD_YES;
  }
  if (rq->refused)
    return refuse(s, conn, rq->refused, rq->refusal);
  /* the post processor says here whether the body ended as a form ends:
     a multipart body without its closing boundary, or a urlencoded one
     ending in a name without '=', is cut short, and its last part may be */
  if (rq->post) {
    enum MHD_Result whole = mhd->destroy_post_processor(rq->pp);
    rq->pp = NULL;
    if (whole != MHD_YES)
      return refuse(s, conn, MHD_HTTP_BAD_REQUEST, "提交的内容不完整或格式有误，请重新提交");
  }
  if (rq->post && !kh_serve_form_finish(&rq->form))
    return refuse(s, conn, rq->form.error_status, rq->form.error);

  /* the session: the browser's, or a new one set with this answer */
  const char *session = mhd->lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE);
  char fresh[33] = "", csrf[33];
  kh_serve_csrf(session, csrf);
  char *cookie = NULL;
  if (!csrf[0] && get) {
    kh_serve_session_new(fresh);
    kh_serve_csrf(fresh, csrf);
    cookie = g_strdup_printf(SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", fresh);
  }
  kh_serve_ctx ctx = {.dataset = s->opts->dataset, .csrf = csrf, .state_dir = s->state_dir};
  kh_serve_reply reply = {.status = 200, .type = "text/html; charset=utf-8",
                          .body = g_string_new(NULL)};
  if (post)
    kh_serve_post(&ctx, url, &rq->form, &reply);
  else
    kh_serve_page(&ctx, url, &reply);
  enum MHD_Result ok = send_reply(s, conn, &reply, cookie);
  kh_serve_reply_clear(&reply);
  g_free(cookie);
  return ok;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode why) {
  (void)conn, (void)why;
  const server *s = cls;
  request *rq = *con_cls;
  if (!rq)
    return;
  if (rq->pp)
    s->mhd->destroy_post_processor(rq->pp);
  kh_serve_form_clear(&rq->form);
  g_free(rq);
  *con_cls = NULL;
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

kh_serve_server *kh_serve_start(const kh_serve_options *opts, bool own_connections,
                                int *status) {
  char *error = NULL;
  const kh_libmhd *mhd = kh_libmhd_load(&error);
  *status = 1;
  if (!mhd) {
    fprintf(stderr, "kaohe serve: %s\n", error);
    g_free(error);
    return NULL;
  }
  struct sockaddr_storage addr;
  bool ipv6 = false;
  if (!listen_address(opts->listen ? opts->listen : "127.0.0.1", &addr, opts->port, &ipv6)) {
    *status = 2;
    return NULL;
  }
  if (!kh_serve_secret_init()) {
    fprintf(stderr, "kaohe serve: 无法生成访问令牌：%s\n", g_strerror(errno));
    return NULL;
  }
  server *s = g_new0(server, 1);
  s->mhd = mhd;
  s->opts = opts;
  if (opts->listen)
    kh_serve_session_new(s->token);
  s->state_dir = g_dir_make_tmp("kaohe-serve-XXXXXX", NULL);
  if (!s->state_dir) {
    fprintf(stderr, "kaohe serve: 无法创建临时目录：%s\n", g_strerror(errno));
    g_free(s);
    return NULL;
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                   MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0) |
                   (own_connections ? MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC : 0);
  s->daemon = mhd->start_daemon(
      flags, (uint16_t)opts->port, NULL, NULL, answer, s, MHD_OPTION_SOCK_ADDR,
      own_connections ? NULL : &addr, MHD_OPTION_NOTIFY_COMPLETED, completed, s,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
      MHD_OPTION_END);
  if (!s->daemon) {
    fprintf(stderr, "kaohe serve: 无法在 %s 端口 %d 上提供服务（端口被占用，或地址不属于本机）\n",
            opts->listen ? opts->listen : "127.0.0.1", opts->port);
    kh_fs_remove_tree(s->state_dir);
    g_free(s->state_dir);
    g_free(s);
    return NULL;
  }
  const union MHD_DaemonInfo *info =
      own_connections ? NULL : mhd->get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : opts->port;
  s->hosts[0] = g_strdup_printf("127.0.0.1:%d", s->port);
  s->hosts[1] = g_strdup_printf("localhost:%d", s->port);
  *status = 0;
  return s;
}

struct MHD_Daemon *kh_serve_daemon(const kh_serve_server *s) { return s->daemon; }

void kh_serve_stop(kh_serve_server *s) {
  s->mhd->stop_daemon(s->daemon);
  kh_fs_remove_tree(s->state_dir);
  g_free(s->state_dir);
  g_free(s->hosts[0]);
  g_free(s->hosts[1]);
  g_free(s);
}

int kh_serve_run(const kh_serve_options *opts) {
  /* SIGINT and SIGTERM are taken by sigwait() below; blocked before the
   * server's threads start, so that they inherit the mask. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  int status;
  kh_serve_server *s = kh_serve_start(opts, false, &status);
  if (!s)
    return status;
  bool ipv6 = opts->listen && strchr(opts->listen, ':');
  if (opts->listen)
    fprintf(stderr, "kaohe serve: 请在浏览器中打开 http://%s%s%s:%d/?token=%s\n", ipv6 ? "[" : "",
            opts->listen, ipv6 ? "]" : "", s->port, s->token);
  else
    fprintf(stderr, "kaohe serve: 请在浏览器中打开 http://127.0.0.1:%d/\n", s->port);
  fprintf(stderr, "kaohe serve: 数据集 %s；按 Ctrl+C 停止\n", opts->dataset);
  int sig = 0;
  sigwait(&stop, &sig);
  kh_serve_stop(s);
  fprintf(stderr, "kaohe serve: 已停止\n");
  return 0;
}
