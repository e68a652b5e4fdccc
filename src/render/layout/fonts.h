/* The faces a document is set in (GB/T 9704 and the man page, docs/kaohe.1.in).
 *
 * Five faces: the four roles of doc.h (仿宋 body, 小标宋 title, 黑体 for 一、
 * headings, 楷体 for （一） headings), each set by a [fonts] entry of
 * rules.ini, plus a Song face for page numbers. An entry is a family name,
 * found through fontconfig, or a file path with an optional ":N" face index
 * into a collection. Fontconfig never fails to match: it silently answers
 * WenQuanYi Zen Hei for FangSong when FangSong is absent, so the family it
 * gives is compared with the one asked for, and a role falls back along its
 * own chain of free Debian faces with a warning naming the stand-in:
 *
 *   body, title, page numbers  → AR PL UMing CN  (fonts-arphic-uming)
 *   heading2 (楷)              → AR PL UKai CN   (fonts-arphic-ukai)
 *   heading1 (黑)              → WenQuanYi Zen Hei (fonts-wqy-zenhei)
 *
 * Without an entry a role tries the official face's usual names first and
 * takes the stand-in, silently unless asked to warn (warn_standins). Errors: a file that does not exist, a face
 * with CFF outlines (kaohe embeds TrueType glyf outlines only, as
 * FontFile2), a role for which no face at all is found.
 *
 * A fontset is per document (HarfBuzz objects are not shared between
 * threads); fontconfig is initialised once per process. */
#ifndef KAOHE_RENDER_LAYOUT_FONTS_H
#define KAOHE_RENDER_LAYOUT_FONTS_H

#include <hb.h>
#include "kaohe/diag.h"
#include "render/doc.h"

/* The faces beyond kh_face: the page numbers' half-width Song. */
enum { KH_FACE_PAGENO = KH_N_FACES, KH_LAYOUT_N_FACES };

/* The [fonts] entries of rules.ini; NULL means "the default for the role".
 * rules_path names the file in messages (NULL: no file). warn_standins:
 * warn, once per role with a [fonts] key, when a role without an entry is
 * set in its stand-in because no official face is installed, naming the
 * stand-in and how to install the official face (month and quarter ask
 * for this). Borrowed. */
typedef struct {
  const char *body, *title, *heading1, *heading2;
  const char *rules_path;
  bool warn_standins;
} kh_font_request;

typedef struct kh_fontset kh_fontset;

/* Resolves and opens every face. Appends a warning for each stand-in and an
 * error for each role that cannot be served; returns NULL when there is an
 * error. Caller frees with kh_fontset_free(). */
kh_fontset *kh_fontset_open(const kh_font_request *req, kh_diags *diags);
void kh_fontset_free(kh_fontset *fs); /* NULL-safe */

/* The family name the face answers to, its file and face index. Borrowed
 * from fs. face is a kh_face or KH_FACE_PAGENO. */
const char *kh_fontset_family(const kh_fontset *fs, int face);
const char *kh_fontset_file(const kh_fontset *fs, int face);
int kh_fontset_index(const kh_fontset *fs, int face);

/* Faces that share a file and index share a slot: one embedded font each.
 * Slots are numbered 0 .. kh_fontset_n_slots() - 1. */
int kh_fontset_slot(const kh_fontset *fs, int face);
int kh_fontset_n_slots(const kh_fontset *fs);
/* A slot's HarfBuzz face, file, face index in the file and family name.
 * Borrowed from fs. Beyond the roles' slots there may be slots of the
 * stand-in faces, which serve only characters a face lacks. */
hb_face_t *kh_fontset_slot_face(const kh_fontset *fs, int slot);
const char *kh_fontset_slot_file(const kh_fontset *fs, int slot);
int kh_fontset_slot_index(const kh_fontset *fs, int slot);
const char *kh_fontset_slot_family(const kh_fontset *fs, int slot);
bool kh_fontset_slot_has(const kh_fontset *fs, int slot, gunichar uc);

/* The slot that draws uc for a face: the face's own when it has the
 * character, else the first along the fallback chain that has it (the
 * document's faces in role order, then the installed stand-ins: AR PL UMing
 * has 𠀾, U+2003E, which WenQuanYi Zen Hei lacks), else the face's own,
 * which draws its .notdef glyph. */
int kh_fontset_char_slot(const kh_fontset *fs, int face, gunichar uc);

/* The advance of uc in thousandths of an em, as drawn by
 * kh_fontset_char_slot(): truncated exactly as the PDF's width array has
 * it (kh_fontset_glyph_advance), so measured lines are the lines a viewer
 * draws. A character no face has measures as the face's .notdef glyph. */
int kh_fontset_advance(const kh_fontset *fs, int face, gunichar uc);
/* A glyph's advance in thousandths of an em, truncated: the PDF's W entry. */
int kh_fontset_glyph_advance(hb_font_t *font, unsigned upem, hb_codepoint_t glyph);
/* Whether the face itself has uc. */
bool kh_fontset_has_char(const kh_fontset *fs, int face, gunichar uc);

/* Ascent and descent (positive, below the baseline) as fractions of an em. */
double kh_fontset_ascent(const kh_fontset *fs, int face);
double kh_fontset_descent(const kh_fontset *fs, int face);

#endif
