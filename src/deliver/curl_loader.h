/* libcurl, loaded when the first message is sent (curl_loader.c says why).
 * Internal to src/deliver.
 *
 * <curl/curl.h> is still the header compiled against: each pointer has the
 * type of the function it stands for, so a prototype that does not match
 * is a compile error. */
#ifndef KAOHE_DELIVER_CURL_LOADER_H
#define KAOHE_DELIVER_CURL_LOADER_H

#include <curl/curl.h>

/* The oldest libcurl kaohe sends with: CURLOPT_PROTOCOLS_STR came in
 * 7.85.0. CMakeLists.txt asks pkg-config for the same at build time; the
 * loader checks the library it opens. */
#define KH_LIBCURL_MIN_VERSION 0x075500
#define KH_LIBCURL_MIN_TEXT "7.85.0"
#if LIBCURL_VERSION_NUM < KH_LIBCURL_MIN_VERSION
#error "kaohe needs the headers of libcurl 7.85.0 or later"
#endif

/* The libcurl functions smtp.c calls, named without their curl_ prefix. */
typedef struct {
  __typeof__(curl_easy_init) *easy_init;
  __typeof__(curl_easy_setopt) *easy_setopt;
  __typeof__(curl_easy_perform) *easy_perform;
  __typeof__(curl_easy_strerror) *easy_strerror;
  __typeof__(curl_easy_cleanup) *easy_cleanup;
  __typeof__(curl_slist_append) *slist_append;
  __typeof__(curl_slist_free_all) *slist_free_all;
} kh_libcurl;

/* Loads and initialises (curl_global_init) libcurl on the first call, from
 * any thread; later calls return the same outcome. Returns its functions,
 * or NULL with *error set to why, in Chinese, naming the library (owned by
 * the loader, never freed). */
const kh_libcurl *kh_libcurl_load(const char **error);

#endif
