/* kaohe serve: the web console, a front-end beside the command line (the
 * pages come from render.h's kh_web_*; requests become the same calls the
 * commands make). Only this front-end and src/cli talk to people. */
#ifndef KAOHE_SERVE_H
#define KAOHE_SERVE_H

#include <stdbool.h>
#include <glib.h>

typedef struct {
  const char *dataset; /* the dataset folder */
  const char *listen;  /* NULL: 127.0.0.1 only, Host checked; else this
                          address, and the printed token is required */
  int port;            /* 0: any free port */
} kh_serve_options;

/* Serves until SIGINT or SIGTERM, printing where on stderr. Returns the
 * exit status (1 when the server cannot start, with the reason printed). */
int kh_serve_run(const kh_serve_options *opts);

/* ---- internal to src/serve ------------------------------------------------ */

/* One page's answer: an HTTP status, a type and a body (owned). */
typedef struct {
  unsigned status;
  const char *type; /* static */
  GString *body;
} kh_serve_reply;

/* The answer to GET path (already percent-decoded) for the dataset. */
void kh_serve_page(const char *dataset, const char *path, kh_serve_reply *reply);

#endif
