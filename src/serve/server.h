/* The console's daemon, started and stopped apart from kh_serve_run (which
 * prints where it listens and waits for a signal), so that the fuzz
 * harness (fuzz/fuzz_serve_http.c) can run the very same server without a
 * listening socket and hand it connections of its own with
 * MHD_add_connection. Internal to src/serve and its harnesses. */
#ifndef KAOHE_SERVE_SERVER_H
#define KAOHE_SERVE_SERVER_H

#include "serve/serve.h"
#include "serve/mhd_loader.h"

typedef struct kh_serve_server kh_serve_server;

/* Starts serving opts (kept by the server: it must outlive it). With
 * own_connections, nothing listens: connections come only through
 * MHD_add_connection on kh_serve_daemon, and the Host answered is
 * 127.0.0.1:PORT with opts->port as given. NULL, with the reason printed
 * and the exit status in *status, when it cannot start. */
kh_serve_server *kh_serve_start(const kh_serve_options *opts, bool own_connections, int *status);
struct MHD_Daemon *kh_serve_daemon(const kh_serve_server *s);
/* Stops the daemon (waiting for its connections) and removes its state. */
void kh_serve_stop(kh_serve_server *s);

#endif
