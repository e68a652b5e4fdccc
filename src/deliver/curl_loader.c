/* libcurl is opened with dlopen() when `kaohe mail --smtp` sends its first
 * message, not linked into the program: linked, it would be loaded by
 * every command, with the ~25 libraries it pulls in (GnuTLS, OpenSSL,
 * Kerberos, LDAP, libssh2, nghttp2, RTMP...), ~5 MB of memory and their
 * relocations at start-up, for the one command that sends mail.
 *
 * KAOHE_LIBCURL_SONAME is the SONAME of the libcurl the build compiled
 * against (CMakeLists.txt reads it). */
#include "deliver/curl_loader.h"

#include <dlfcn.h>
#include <glib.h>

typedef struct {
  kh_libcurl functions;
  char *error; /* set when loading failed */
} outcome;

/* The address of name in lib, or NULL after setting out->error; nothing
 * once out->error is set. */
static void *symbol(void *lib, const char *name, outcome *out) {
  if (out->error)
    return NULL;
  void *address = dlsym(lib, name);
  if (!address)
    out->error = g_strdup_printf("无法使用发送邮件所需的 %s：%s", KAOHE_LIBCURL_SONAME,
                                 dlerror());
  return address;
}

/* functions.NAME = curl_NAME, with its type. */
#define RESOLVE(name) \
  (out.functions.name = (__typeof__(out.functions.name))symbol(lib, "curl_" #name, &out))

static gpointer load(gpointer unused) {
  (void)unused;
  static outcome out;
  void *lib = dlopen(KAOHE_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    out.error = g_strdup_printf("无法加载发送邮件所需的 %s：%s", KAOHE_LIBCURL_SONAME,
                                dlerror());
    return &out;
  }
  __typeof__(curl_global_init) *global_init =
      (__typeof__(global_init))symbol(lib, "curl_global_init", &out);
  RESOLVE(easy_init);
  RESOLVE(easy_setopt);
  RESOLVE(easy_perform);
  RESOLVE(easy_strerror);
  RESOLVE(easy_cleanup);
  RESOLVE(slist_append);
  RESOLVE(slist_free_all);
  __typeof__(curl_version_info) *version_info =
      (__typeof__(version_info))symbol(lib, "curl_version_info", &out);
  const curl_version_info_data *v = out.error ? NULL : version_info(CURLVERSION_NOW);
  if (v && v->version_num < KH_LIBCURL_MIN_VERSION)
    out.error = g_strdup_printf("%s 的版本 %s 过旧：发送邮件需要 libcurl %s 或更新的版本",
                                KAOHE_LIBCURL_SONAME, v->version, KH_LIBCURL_MIN_TEXT);
  if (!out.error) {
    CURLcode code = global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK)
      out.error = g_strdup_printf("%s 初始化失败：%s", KAOHE_LIBCURL_SONAME,
                                  out.functions.easy_strerror(code));
  }
  /* Once loaded, libcurl stays open and initialised until the program
   * exits; a library that failed is let go. */
  if (out.error)
    dlclose(lib);
  return &out;
}

const kh_libcurl *kh_libcurl_load(const char **error) {
  static GOnce once = G_ONCE_INIT;
  const outcome *out = g_once(&once, load, NULL);
  *error = out->error;
  return out->error ? NULL : &out->functions;
}
