/* libmicrohttpd is opened with dlopen() by `kaohe serve`, not linked: it
 * pulls in GnuTLS and its libraries, which every other command would then
 * load at start-up for nothing (tests/e2e/startup_libraries.sh checks that
 * they do not). KAOHE_LIBMHD_SONAME is the SONAME the build compiled
 * against (CMakeLists.txt reads it). */
#include "serve/mhd_loader.h"

#include <dlfcn.h>
#include <glib.h>

/* The address of name in lib, or NULL after setting *error; nothing once
 * *error is set. */
static void *symbol(void *lib, const char *name, char **error) {
  if (*error)
    return NULL;
  void *address = dlsym(lib, name);
  if (!address)
    *error = g_strdup_printf("无法使用网页工作台所需的 %s：%s", KAOHE_LIBMHD_SONAME, dlerror());
  return address;
}

/* functions.NAME = MHD_NAME, with its type. */
#define RESOLVE(name) (mhd.name = (__typeof__(mhd.name))symbol(lib, "MHD_" #name, error))

const kh_libmhd *kh_libmhd_load(char **error) {
  static kh_libmhd mhd;
  *error = NULL;
  void *lib = dlopen(KAOHE_LIBMHD_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    *error = g_strdup_printf("无法加载网页工作台所需的 %s：%s（请安装 Debian 软件包 libmicrohttpd12）",
                             KAOHE_LIBMHD_SONAME, dlerror());
    return NULL;
  }
  RESOLVE(start_daemon);
  RESOLVE(stop_daemon);
  RESOLVE(get_daemon_info);
  RESOLVE(lookup_connection_value);
  RESOLVE(create_response_from_buffer);
  RESOLVE(add_response_header);
  RESOLVE(queue_response);
  RESOLVE(destroy_response);
  RESOLVE(create_response_from_fd);
  RESOLVE(create_post_processor);
  RESOLVE(post_process);
  RESOLVE(destroy_post_processor);
  if (*error) {
    dlclose(lib);
    return NULL;
  }
  return &mhd; /* stays open until the program exits */
}
