/* Sending one message to one recipient through SMTP with libcurl
 * (deliver.h, the man page, docs/kaohe.1.in `mail --smtp`).
 *
 * STARTTLS is used whenever the server offers it (CURLUSESSL_TRY), unless
 * no_starttls; with require_tls a server that does not offer it gets
 * nothing (CURLUSESSL_ALL), so a login never travels in clear; smtps:// is
 * TLS from the start. Certificates are verified.
 * The server's replies are taken from libcurl's debug callback: the first
 * reply of 400 or more is the one that explains a failure (what follows
 * it, such as the reply to QUIT, does not). Failures are classified by that
 * reply's code (4xx transient, 5xx permanent) or, when the server never
 * refused anything, by libcurl's error: connection trouble is transient,
 * anything else (TLS, login, URL) permanent. Transient ones are retried
 * with a doubling delay. A connection lost after the whole message went
 * (DATA answered with 354, every byte read) and before the server's answer
 * to it is uncertain: the message may be delivered, so it is not retried.
 * libcurl is loaded by the first message sent (curl_loader.c); when it
 * cannot be, every message fails, permanently, saying why. */
#include "kaohe/deliver.h"
#include "kaohe/load.h"

#include <stdlib.h>
#include <string.h>
#include "deliver/curl_loader.h"
#include "deliver/mime_encode.h"
#include "deliver/smtp_words.h"

typedef struct {
  const guint8 *data;
  gsize len, pos;
} upload;

static size_t read_message(char *buf, size_t size, size_t nitems, void *user) {
  upload *u = user;
  size_t n = MIN(size * nitems, u->len - u->pos);
  memcpy(buf, u->data + u->pos, n);
  u->pos += n;
  return n;
}

/* The server's replies of one attempt, as seen by the debug callback. */
typedef struct {
  GString *partial;  /* bytes of an unfinished line */
  GString *response; /* lines of the reply being read, joined by spaces */
  char *last;        /* the last complete reply */
  int last_code;
  char *failing;     /* the first complete reply with code >= 400 */
  int failing_code;
  bool data_started; /* the server answered DATA with 354 */
  bool data_answered; /* and then answered the message */
} replies;

static void reply_line(replies *r, const char *line) {
  if (r->response->len)
    g_string_append_c(r->response, ' ');
  g_string_append(r->response, line);
  /* "250-more follows" continues a reply; "250 done" ends it. */
  if (strlen(line) > 3 && line[3] == '-')
    return;
  int code = g_ascii_isdigit(line[0]) ? atoi(line) : 0;
  g_free(r->last);
  r->last = g_strdup(r->response->str);
  r->last_code = code;
  if (r->data_started)
    r->data_answered = true;
  else if (code == 354)
    r->data_started = true;
  if (code >= 400 && !r->failing) {
    r->failing = g_strdup(r->response->str);
    r->failing_code = code;
  }
  g_string_truncate(r->response, 0);
}

static int on_debug(CURL *curl, curl_infotype type, char *data, size_t size,
                    void *user) {
  (void)curl;
  replies *r = user;
  if (type != CURLINFO_HEADER_IN)
    return 0;
  g_string_append_len(r->partial, data, (gssize)size);
  char *nl;
  while ((nl = memchr(r->partial->str, '\n', r->partial->len))) {
    size_t len = (size_t)(nl - r->partial->str);
    char *line = g_strndup(r->partial->str, len > 0 && nl[-1] == '\r' ? len - 1 : len);
    reply_line(r, line);
    g_free(line);
    g_string_erase(r->partial, 0, (gssize)(len + 1));
  }
  return 0;
}

static void replies_clear(replies *r) {
  g_string_free(r->partial, TRUE);
  g_string_free(r->response, TRUE);
  g_free(r->last);
  g_free(r->failing);
}

static bool connection_trouble(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
    return true;
  default:
    return false;
  }
}

static void fail(kh_send_result *res, kh_send_status status, const char *reply) {
  res->status = status;
  res->reply_code = 0;
  g_free(res->reply);
  res->reply = g_strdup(reply);
}

/* One attempt; fills res except attempts. */
static void send_once(const kh_libcurl *lib, const kh_smtp_options *opt,
                      const char *rcpt, GBytes *message, kh_send_result *res) {
  CURL *curl = lib->easy_init();
  if (!curl) {
    fail(res, KH_SEND_TRANSIENT, "无法启动 libcurl");
    return;
  }
  char errbuf[CURL_ERROR_SIZE] = "";
  replies r = {.partial = g_string_new(NULL), .response = g_string_new(NULL)};
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(message, &len);
  upload u = {.data = data, .len = len};
  char *from = g_strdup_printf("<%s>", opt->from);
  char *to = g_strdup_printf("<%s>", rcpt);
  struct curl_slist *rcpts = lib->slist_append(NULL, to);

  /* Every option is checked: a libcurl that refuses one (built without
   * TLS, too old) would otherwise send without it. */
  CURLcode set = CURLE_OK;
  const char *refused = NULL;
#define SETOPT(option, value)                          \
  do {                                                 \
    if (set == CURLE_OK) {                             \
      set = lib->easy_setopt(curl, option, value);     \
      refused = set != CURLE_OK ? #option : refused;   \
    }                                                  \
  } while (0)
  SETOPT(CURLOPT_URL, opt->url);
  SETOPT(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  SETOPT(CURLOPT_USE_SSL, (long)(opt->no_starttls   ? CURLUSESSL_NONE
                                 : opt->require_tls ? CURLUSESSL_ALL
                                                    : CURLUSESSL_TRY));
  if (opt->ca_file)
    SETOPT(CURLOPT_CAINFO, opt->ca_file);
  if (opt->user) {
    SETOPT(CURLOPT_USERNAME, opt->user);
    SETOPT(CURLOPT_PASSWORD, opt->password ? opt->password : "");
  }
  SETOPT(CURLOPT_MAIL_FROM, from);
  SETOPT(CURLOPT_MAIL_RCPT, rcpts);
  SETOPT(CURLOPT_UPLOAD, 1L);
  SETOPT(CURLOPT_READFUNCTION, read_message);
  SETOPT(CURLOPT_READDATA, &u);
  SETOPT(CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.len);
  SETOPT(CURLOPT_CONNECTTIMEOUT, opt->connect_timeout_s);
  SETOPT(CURLOPT_TIMEOUT, opt->timeout_s);
  SETOPT(CURLOPT_NOSIGNAL, 1L);
  SETOPT(CURLOPT_ERRORBUFFER, errbuf);
  /* VERBOSE only feeds the debug callback: libcurl prints nothing itself. */
  SETOPT(CURLOPT_DEBUGFUNCTION, on_debug);
  SETOPT(CURLOPT_DEBUGDATA, &r);
  SETOPT(CURLOPT_VERBOSE, 1L);

#undef SETOPT
  if (set != CURLE_OK) {
    char *why = g_strdup_printf("libcurl 不接受选项 %s（%s），未发送", refused,
                                lib->easy_strerror(set));
    fail(res, KH_SEND_PERMANENT, why);
    g_free(why);
    lib->easy_cleanup(curl);
    lib->slist_free_all(rcpts);
    g_free(to);
    g_free(from);
    replies_clear(&r);
    return;
  }

  CURLcode code = lib->easy_perform(curl);
  g_free(res->reply);
  if (code == CURLE_OK) {
    res->status = KH_SEND_SENT;
    res->reply_code = r.last_code;
    res->reply = g_strdup(r.last ? r.last : "");
  } else if (r.data_started && !r.data_answered && u.pos == u.len) {
    /* The whole message went and the server's verdict never came: it may
     * have been delivered, and sending again may deliver it twice. */
    res->status = KH_SEND_UNCERTAIN;
    res->reply_code = 0;
    res->reply = g_strdup_printf("邮件已全部发出，未收到服务器的确认：%s",
                                 *errbuf ? errbuf : lib->easy_strerror(code));
  } else if (r.failing) {
    res->status = r.failing_code >= 500 ? KH_SEND_PERMANENT : KH_SEND_TRANSIENT;
    res->reply_code = r.failing_code;
    res->reply = g_strdup(r.failing);
  } else {
    res->status = connection_trouble(code) ? KH_SEND_TRANSIENT : KH_SEND_PERMANENT;
    res->reply_code = 0;
    const char *why = *errbuf ? errbuf : lib->easy_strerror(code);
    /* Only require_tls asks for TLS this way: say why nothing went out. */
    res->reply = code == CURLE_USE_SSL_FAILED
                     ? g_strdup_printf("服务器未提供 STARTTLS 加密，为免登录信息"
                                       "明文传输，未发送（%s）", why)
                     : kh_smtp_curl_failure(code, why);
  }
  lib->easy_cleanup(curl);
  lib->slist_free_all(rcpts);
  g_free(to);
  g_free(from);
  replies_clear(&r);
}

kh_send_status kh_smtp_send(const kh_smtp_options *opt, const char *rcpt,
                            GBytes *message, kh_send_result *res) {
  memset(res, 0, sizeof *res);
  if (!opt->url || !(g_str_has_prefix(opt->url, "smtp://") ||
                     g_str_has_prefix(opt->url, "smtps://"))) {
    fail(res, KH_SEND_PERMANENT, "SMTP 服务器地址应以 smtp:// 或 smtps:// 开头");
    return res->status;
  }
  if (!kh_email_address_ok(opt->from) || !kh_email_address_ok(rcpt)) {
    fail(res, KH_SEND_PERMANENT, "发件人或收件人地址无效");
    return res->status;
  }
  const char *unloadable;
  const kh_libcurl *lib = kh_libcurl_load(&unloadable);
  if (!lib) {
    fail(res, KH_SEND_PERMANENT, unloadable);
    return res->status;
  }
  double delay = opt->retry_delay_s;
  int attempts = MAX(opt->max_attempts, 1);
  for (res->attempts = 1;; res->attempts++) {
    send_once(lib, opt, rcpt, message, res);
    if (res->status != KH_SEND_TRANSIENT || res->attempts >= attempts)
      break;
    if (delay > 0)
      g_usleep((gulong)(delay * G_USEC_PER_SEC));
    delay *= 2;
  }
  return res->status;
}

const char *kh_send_status_name(kh_send_status status) {
  switch (status) {
  case KH_SEND_SENT:
    return "sent";
  case KH_SEND_SKIPPED:
    return "skipped";
  case KH_SEND_TRANSIENT:
    return "transient";
  case KH_SEND_PERMANENT:
    return "permanent";
  case KH_SEND_UNCERTAIN:
    return "uncertain";
  }
  return "?";
}

void kh_send_result_clear(kh_send_result *res) {
  g_free(res->reply);
  memset(res, 0, sizeof *res);
}
