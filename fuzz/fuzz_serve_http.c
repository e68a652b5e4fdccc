/* Fuzzes the web console whole, libmicrohttpd included: the input is the
 * raw bytes a client sends. The harness runs the console's own server
 * (src/serve/server.c, serving the sample county) without a listening
 * socket, hands it one end of a socketpair with MHD_add_connection, writes
 * the input, closes its writing side and reads the answer to the end.
 * What comes back is nothing (the connection closed) or HTTP responses
 * that each start with a status line, and never holds the content of a
 * file outside the published documents (a canary file is planted beside
 * the dataset and in the folder served from). Then the server must still
 * answer a plain GET with 200.
 *
 * The Host the server answers is 127.0.0.1:8000 (fuzz/serve_http.dict has
 * it, with the console's paths and the tokens of HTTP). It changes into a
 * scratch folder at start: give it corpus folders and inputs by absolute
 * paths (fuzz/run.sh does). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include "support.h"
#include "serve/server.h"

#define CANARY "kaohe-fuzz-canary-7f3a9c"

static const kh_libmhd *mhd;
static kh_serve_server *server;

static void check(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz_serve_http: %s\n", what);
    __builtin_trap();
  }
}

/* At exit, once every connection's thread has ended: LeakSanitizer's check
 * at exit then sees the whole run's leaks, and only real ones. (libFuzzer's
 * check after each input cannot: a connection thread still ending then
 * holds GLib's per-thread memory where LeakSanitizer does not look, so
 * fuzz/run.sh runs this harness with -detect_leaks=0.) */
static void stop_server(void) { kh_serve_stop(server); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  signal(SIGPIPE, SIG_IGN); /* the server may close before the input is written */
  /* the console reads the dataset and, for documents, out/ and archive/
     below its current folder: a copy of the sample in the scratch folder,
     with canaries beside it */
  const char *scratch = kh_fuzz_scratch();
  char *sample = g_build_filename(kh_fuzz_source_dir(), "samples", "county-2013", NULL);
  char *command = g_strdup_printf("cp -r '%s' '%s/dataset'", sample, scratch);
  check(system(command) == 0, "cannot copy the sample county");
  g_free(command);
  g_free(sample);
  kh_fuzz_write("secret.txt", CANARY, strlen(CANARY));
  kh_fuzz_write("dataset/secret.txt", CANARY, strlen(CANARY));
  kh_fuzz_write("out/2013-07/督查通报_2013-07.pdf", "%PDF-1.4 notice", 15);
  check(chdir(scratch) == 0, "cannot enter the scratch folder");
  static kh_serve_options opts = {.dataset = "dataset", .port = 8000};
  char *error = NULL;
  mhd = kh_libmhd_load(&error);
  check(mhd != NULL, "libmicrohttpd cannot be loaded");
  int status;
  server = kh_serve_start(&opts, true, &status);
  check(server != NULL, "the server does not start");
  atexit(stop_server);
  return 0;
}

/* Prints each thread's name and what the kernel sees it wait in. */
static void threads(void) {
  GDir *d = g_dir_open("/proc/self/task", 0, NULL);
  const char *tid;
  while (d && (tid = g_dir_read_name(d))) {
    char *comm = NULL, *wchan = NULL;
    char *path = g_strdup_printf("/proc/self/task/%s/comm", tid);
    g_file_get_contents(path, &comm, NULL, NULL);
    g_free(path);
    path = g_strdup_printf("/proc/self/task/%s/wchan", tid);
    g_file_get_contents(path, &wchan, NULL, NULL);
    g_free(path);
    fprintf(stderr, "  thread %s %s waits in %s\n", tid, comm ? g_strstrip(comm) : "?",
            wchan ? wchan : "?");
    g_free(comm);
    g_free(wchan);
  }
  if (d)
    g_dir_close(d);
}

static const char plain[] = "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
                            "Connection: close\r\n\r\n";

/* Sends request to a new connection and returns everything answered until
 * the server closes it. */
static GString *exchange(const uint8_t *request, size_t size) {
  int sv[2];
  check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
  struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  check(mhd->add_connection(kh_serve_daemon(server), sv[1], (struct sockaddr *)&peer,
                            sizeof peer) == MHD_YES,
        "MHD_add_connection refused the connection");
  GString *answer = g_string_new(NULL);
  size_t written = 0;
  bool writing = size > 0;
  if (!writing)
    shutdown(sv[0], SHUT_WR);
  for (;;) {
    struct pollfd p = {.fd = sv[0], .events = POLLIN | (writing ? POLLOUT : 0)};
    int ready = poll(&p, 1, 30000);
    if (ready < 0 && errno == EINTR) /* libFuzzer's leak check stops every thread */
      continue;
    if (ready <= 0) { /* what the server's threads were doing then */
      fprintf(stderr, "fuzz_serve_http: %zu bytes of %zu sent, %zu answered\n", written, size,
              (size_t)answer->len);
      threads();
    }
    check(ready > 0, "the server neither answered nor closed within 30 s");
    if (p.revents & POLLOUT) {
      ssize_t n = send(sv[0], request + written, size - written, MSG_NOSIGNAL);
      if (n > 0)
        written += (size_t)n;
      if (n < 0 || written == size) {
        writing = false;
        shutdown(sv[0], SHUT_WR);
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[65536];
      ssize_t n = recv(sv[0], buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      g_string_append_len(answer, buffer, n);
    }
  }
  close(sv[0]);
  return answer;
}

/* Each response in answer begins with a status line; bodies are skipped
 * by their Content-Length (the console always sends one). A response that
 * says Connection: close is the last looked at: libmicrohttpd 0.9.75
 * sends the header of its own 400 for a malformed Content-Length twice
 * before the body (docs/dependencies.md), and closes the connection. */
static void check_responses(const GString *answer) {
  const char *p = answer->str, *end = answer->str + answer->len;
  while (p < end) {
    check(end - p >= 13 && (memcmp(p, "HTTP/1.1 ", 9) == 0 || memcmp(p, "HTTP/1.0 ", 9) == 0) &&
              g_ascii_isdigit(p[9]) && g_ascii_isdigit(p[10]) && g_ascii_isdigit(p[11]) &&
              p[12] == ' ',
          "an answer that does not start with an HTTP status line");
    const char *head_end = g_strstr_len(p, end - p, "\r\n\r\n");
    check(head_end != NULL, "a response whose header does not end");
    guint64 length = 0;
    bool has_length = false, closes = false;
    for (const char *line = p; line < head_end;) {
      const char *eol = g_strstr_len(line, head_end + 2 - line, "\r\n");
      if (g_ascii_strncasecmp(line, "Content-Length:", 15) == 0) {
        char *value = g_strstrip(g_strndup(line + 15, (gsize)(eol - line - 15)));
        has_length = g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT32, &length, NULL);
        g_free(value);
      }
      if (g_ascii_strncasecmp(line, "Connection: close\r\n", 19) == 0)
        closes = true;
      line = eol + 2;
    }
    if (closes)
      break;
    p = head_end + 4;
    /* a HEAD's answer announces a body it does not send: nothing to skip
       past then but the rest */
    if (!has_length || length > (guint64)(end - p))
      break;
    p += length;
  }
}

static bool contains(const GString *s, const char *needle) {
  return s->len && g_strstr_len(s->str, (gssize)s->len, needle) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  GString *answer = exchange(data, size);
  check_responses(answer);
  check(!contains(answer, CANARY), "a file outside the documents was sent");
  g_string_free(answer, TRUE);

  GString *after = exchange((const uint8_t *)plain, sizeof plain - 1);
  check(g_str_has_prefix(after->str, "HTTP/1.1 200 "), "the server no longer answers a plain GET");
  g_string_free(after, TRUE);
  return 0;
}
