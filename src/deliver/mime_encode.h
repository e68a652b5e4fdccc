/* The encodings a MIME message is made of: RFC 2047 encoded-words for
 * headers, RFC 2231 parameters for file names, base64 bodies, the RFC 5322
 * date. Internal to src/deliver.
 *
 * Every function appends to a GString with CRLF line ends and keeps each
 * line it writes within KH_MIME_LINE characters. */
#ifndef KAOHE_DELIVER_MIME_ENCODE_H
#define KAOHE_DELIVER_MIME_ENCODE_H

#include <stdbool.h>
#include <time.h>
#include <glib.h>

#define KH_MIME_LINE 76

/* Appends utf8 (valid UTF-8) as UTF-8 "B" encoded-words, the current line
 * already holding col characters; words are folded onto continuation lines
 * (CRLF SP) so that no line passes KH_MIME_LINE, keeping `reserve`
 * characters free after the last word, and no word splits a character.
 * Returns the column after the last word. */
int kh_mime_append_words(GString *out, const char *utf8, int col, int reserve);

/* Appends the parameter `;` CRLF SP NAME*=UTF-8''%XX... (RFC 2231) for
 * utf8, split into NAME*0*, NAME*1*... continuations when one line would
 * be too long; never splits a character between continuations. */
void kh_mime_append_rfc2231(GString *out, const char *name, const char *utf8);

/* Appends data as base64 in lines of KH_MIME_LINE characters, each ended
 * by CRLF. */
void kh_mime_append_base64(GString *out, const void *data, gsize len);

/* text with every line ended by CRLF (LF and CRLF input alike). Caller
 * frees with g_free(). */
char *kh_mime_crlf(const char *text);

/* t as an RFC 5322 date in China time, "Thu, 05 Sep 2013 09:30:00 +0800",
 * in English whatever the locale. Caller frees with g_free(). */
char *kh_mime_date(time_t t);

#endif
