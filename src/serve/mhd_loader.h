/* libmicrohttpd, opened when `kaohe serve` starts (mhd_loader.c says why).
 * Internal to src/serve. <microhttpd.h> is the header compiled against:
 * each pointer has the type of the function it stands for. */
#ifndef KAOHE_SERVE_MHD_LOADER_H
#define KAOHE_SERVE_MHD_LOADER_H

#include <microhttpd.h>

/* The libmicrohttpd functions the console calls, without their MHD_ prefix. */
typedef struct {
  __typeof__(MHD_start_daemon) *start_daemon;
  __typeof__(MHD_stop_daemon) *stop_daemon;
  __typeof__(MHD_get_daemon_info) *get_daemon_info;
  __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
  __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
  __typeof__(MHD_add_response_header) *add_response_header;
  __typeof__(MHD_queue_response) *queue_response;
  __typeof__(MHD_destroy_response) *destroy_response;
  __typeof__(MHD_create_response_from_fd) *create_response_from_fd;
  __typeof__(MHD_create_post_processor) *create_post_processor;
  __typeof__(MHD_post_process) *post_process;
  __typeof__(MHD_destroy_post_processor) *destroy_post_processor;
} kh_libmhd;

/* Loads libmicrohttpd. Returns its functions, or NULL with *error set to
 * why, in Chinese, naming the library (caller frees with g_free()). */
const kh_libmhd *kh_libmhd_load(char **error);

#endif
