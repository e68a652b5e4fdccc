/* Chinese punctuation in the documents: ASCII , : ; ! ? ( ) " that stand
 * next to Chinese text become full-width (，：；！？（）“”), as a clerk
 * would type them, in template text and data alike.
 *
 * A mark is converted when the character before or after it is Chinese (a
 * Han character, CJK or full-width punctuation, kana, “ ” — …); brackets
 * are converted as pairs (the pair when either bracket touches Chinese),
 * and so are quotation marks, paired in order within a line (“ then ”).
 * Spaces between a converted mark and Chinese text go (full-width marks
 * carry their own space); none are added. Untouched: numbers (3,000,
 * 84.71%, 12:30 have no Chinese neighbour), dates, e-mail addresses and
 * URLs (http://…, www.…, a@b.cn are skipped whole), and every mark with
 * only Latin text around it.
 *
 * The documents (PDF, workbooks, mail) pass through this; the machine
 * outputs of `kaohe score` (JSON, CSV) do not: they carry the data as
 * written. */
#ifndef KAOHE_RENDER_PUNCT_H
#define KAOHE_RENDER_PUNCT_H

#include <glib.h>
#include <stdbool.h>

/* The converted text. markdown: text is Markdown, where "\X" is an escaped
 * ASCII mark X (a converted mark loses its backslash). When offsets is
 * given, it receives kh_punct_offset pairs that map the result back to the
 * input (kh_punct_input_offset). Caller frees with g_free(). */
char *kh_punct_chinese(const char *text, gsize len, bool markdown, GArray *offsets);

/* A place where the result and the input line up again after a change. */
typedef struct {
  gsize in, out;
} kh_punct_offset;

/* The input offset of byte out_offset of the result. */
gsize kh_punct_input_offset(const GArray *offsets, gsize out_offset);

/* False when text has no mark this converts: no need to call it. */
bool kh_punct_may_convert(const char *text);

/* Converts *s in place (NULL-safe): frees the old string. */
void kh_punct_chinese_inplace(char **s);

#endif
