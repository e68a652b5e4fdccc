/* libcurl's failures in Chinese (smtp_words.c). Internal to src/deliver. */
#ifndef KAOHE_DELIVER_SMTP_WORDS_H
#define KAOHE_DELIVER_SMTP_WORDS_H

#include <curl/curl.h>

/* What code means to the person sending, in Chinese, with libcurl's own
 * words (detail) in parentheses. Caller frees. */
char *kh_smtp_curl_failure(CURLcode code, const char *detail);

#endif
