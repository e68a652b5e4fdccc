/* Resolving the document's faces through fontconfig, with per-role fallback
 * chains, and measuring characters with HarfBuzz (fonts.h). */
#include "render/layout/fonts.h"

#include "render/layout/canvas.h"

#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <string.h>

typedef struct {
  char *file; /* canonical path */
  int index;
  char *family; /* the family name recorded in the face, or the file's name */
  hb_face_t *face;
  hb_font_t *font;
  unsigned upem;
  double ascent, descent;
} slot;

struct kh_fontset {
  GPtrArray *slots; /* slot* */
  int face_slot[KH_LAYOUT_N_FACES];
  char *family[KH_LAYOUT_N_FACES];
  GArray *fallback; /* int: the slots a character a face lacks is looked
                       for in, in order: the roles' faces, then the
                       stand-ins */
};

/* One role: its [fonts] key, what it is in words, the official face's usual
 * family names (tried silently), the free stand-ins, the package that
 * ships them and the official face's file (as Windows names it). */
typedef struct {
  const char *key;
  const char *what;
  const char *const *official;
  const char *const *standin;
  const char *package;
  const char *windows_file;
} role_def;

static const char *const fangsong_names[] = {"仿宋_GB2312", "FangSong_GB2312",
                                             "仿宋", "FangSong", NULL};
static const char *const xbs_names[] = {"方正小标宋简体", "方正小标宋_GBK",
                                        "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
                                        "宋体", "SimSun", NULL};
static const char *const hei_names[] = {"黑体", "SimHei", NULL};
static const char *const kai_names[] = {"楷体_GB2312", "KaiTi_GB2312", "楷体",
                                        "KaiTi", NULL};
static const char *const song_names[] = {"宋体", "SimSun", NULL};
static const char *const uming[] = {"AR PL UMing CN", NULL};
static const char *const ukai[] = {"AR PL UKai CN", NULL};
static const char *const zenhei[] = {"WenQuanYi Zen Hei", NULL};

static const role_def roles[KH_LAYOUT_N_FACES] = {
    [KH_FACE_BODY] = {"body", "仿宋（正文）", fangsong_names, uming, "fonts-arphic-uming",
                      "simfang.ttf"},
    [KH_FACE_TITLE] = {"title", "小标宋（标题）", xbs_names, uming, "fonts-arphic-uming",
                       "simsun.ttc"}, /* 宋体: 小标宋 is not in Windows */
    [KH_FACE_HEI] = {"heading1", "黑体（一级标题）", hei_names, zenhei, "fonts-wqy-zenhei",
                     "simhei.ttf"},
    [KH_FACE_KAI] = {"heading2", "楷体（二级标题）", kai_names, ukai, "fonts-arphic-ukai",
                     "simkai.ttf"},
    [KH_FACE_PAGENO] = {NULL, "宋体（页码）", song_names, uming, "fonts-arphic-uming",
                        "simsun.ttc"},
};

static gpointer init_fontconfig(gpointer unused) {
  (void)unused;
  return GINT_TO_POINTER(FcInit() ? 1 : 2);
}

/* fontconfig's global configuration is loaded once per process; matching
 * against it afterwards is thread-safe. */
static bool fontconfig_ready(void) {
  static GOnce once = G_ONCE_INIT;
  return GPOINTER_TO_INT(g_once(&once, init_fontconfig, NULL)) == 1;
}

/* The place of `key = …` in the [fonts] group of the rules file, for
 * messages: line, column of the value, and the line itself (NULL when the
 * file is not UTF-8). Returns false when the file or key is not found. */
static bool locate_key(const char *path, const char *key, int *line, int *col,
                       char **source) {
  char *text = NULL;
  if (!path || !key || !g_file_get_contents(path, &text, NULL, NULL))
    return false;
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  bool in_fonts = false, found = false;
  for (int i = 0; lines[i] && !found; i++) {
    char *l = g_strchomp(lines[i]); /* drops a CR too */
    const char *s = l;
    if (i == 0 && g_str_has_prefix(s, "\xEF\xBB\xBF"))
      s += 3;
    while (*s == ' ' || *s == '\t')
      s++;
    if (*s == '[') {
      in_fonts = g_str_has_prefix(s, "[fonts]");
      continue;
    }
    size_t klen = strlen(key);
    if (!in_fonts || strncmp(s, key, klen) != 0)
      continue;
    const char *p = s + klen;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p != '=')
      continue;
    p++;
    while (*p == ' ' || *p == '\t')
      p++;
    bool utf8 = g_utf8_validate(l, -1, NULL);
    *line = i + 1;
    *col = utf8 ? (int)g_utf8_strlen(l, p - l) + 1 : (int)(p - l) + 1;
    *source = utf8 ? g_strdup(l) : NULL;
    found = true;
  }
  g_strfreev(lines);
  return found;
}

/* Appends a message about a role, placed at its [fonts] entry when found. */
static void role_diag(kh_diags *diags, const kh_font_request *req, int role,
                      kh_severity sev, const char *message) {
  int line = 1, col = 1;
  char *source = NULL;
  const char *key = roles[role].key;
  locate_key(req->rules_path, key, &line, &col, &source);
  if (key)
    kh_diags_add(diags, sev, req->rules_path, line, col, source, "[fonts] %s：%s",
                 key, message);
  else
    kh_diags_add(diags, sev, req->rules_path, line, col, source, "%s", message);
  g_free(source);
}

static void slot_free(slot *s) {
  hb_font_destroy(s->font);
  hb_face_destroy(s->face);
  g_free(s->family);
  g_free(s->file);
  g_free(s);
}

/* What is wrong with a face for embedding, or NULL when it is usable:
 * TrueType outlines and a cmap. */
static const char *unusable(hb_face_t *face) {
  hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
  hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
  hb_blob_t *cmap = hb_face_reference_table(face, HB_TAG('c', 'm', 'a', 'p'));
  const char *why = NULL;
  if (hb_blob_get_length(glyf) == 0 || hb_blob_get_length(cff) > 0)
    why = "是 CFF/OpenType 轮廓的字体，PDF 只能嵌入 TrueType（glyf）轮廓：请改用 .ttf 或 .ttc 字体";
  else if (hb_blob_get_length(cmap) == 0)
    why = "没有字符映射表（cmap），无法使用";
  hb_blob_destroy(glyf);
  hb_blob_destroy(cff);
  hb_blob_destroy(cmap);
  return why;
}

/* The family name recorded in a face, or NULL. Caller frees with g_free(). */
static char *face_family(hb_face_t *face) {
  unsigned len = 0;
  len = hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY, HB_LANGUAGE_INVALID,
                            &len, NULL);
  if (len == 0)
    return NULL;
  unsigned size = len + 1;
  char *name = g_malloc(size);
  hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY, HB_LANGUAGE_INVALID,
                      &size, name);
  return name;
}

/* Opens face `index` of `file` as a slot of fs (reusing an open one) and
 * returns the slot number, or -1 with *why set (a static string). */
static int open_slot(kh_fontset *fs, const char *file, int index,
                     const char **why) {
  char *canon = g_canonicalize_filename(file, NULL);
  for (guint i = 0; i < fs->slots->len; i++) {
    slot *s = g_ptr_array_index(fs->slots, i);
    if (s->index == index && strcmp(s->file, canon) == 0) {
      g_free(canon);
      return (int)i;
    }
  }
  if (!g_file_test(canon, G_FILE_TEST_IS_REGULAR)) {
    *why = "字体文件不存在";
    g_free(canon);
    return -1;
  }
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(canon);
  if (!blob || index < 0 || (unsigned)index >= hb_face_count(blob)) {
    *why = blob ? "字体集里没有这个序号的字体" : "无法读取字体文件";
    hb_blob_destroy(blob);
    g_free(canon);
    return -1;
  }
  hb_face_t *face = hb_face_create(blob, (unsigned)index);
  hb_blob_destroy(blob);
  if ((*why = unusable(face))) {
    hb_face_destroy(face);
    g_free(canon);
    return -1;
  }
  slot *s = g_new0(slot, 1);
  s->file = canon;
  s->index = index;
  s->face = face;
  s->font = hb_font_create(face);
  s->upem = hb_face_get_upem(face);
  s->family = face_family(face);
  if (!s->family)
    s->family = g_path_get_basename(canon);
  hb_font_extents_t ext;
  hb_font_get_h_extents(s->font, &ext);
  s->ascent = (double)ext.ascender / s->upem;
  s->descent = -(double)ext.descender / s->upem;
  g_ptr_array_add(fs->slots, s);
  return (int)fs->slots->len - 1;
}

/* A family name as fontconfig compares it: without case and blanks.
 * Caller frees with g_free(). */
static char *family_key(const char *name) {
  GString *k = g_string_new(NULL);
  for (const char *p = name; *p; p++)
    if (*p != ' ')
      g_string_append_c(k, g_ascii_tolower(*p));
  return g_string_free(k, FALSE);
}

static bool same_family(const char *a, const char *b) {
  char *x = family_key(a), *y = family_key(b);
  bool same = strcmp(x, y) == 0;
  g_free(x);
  g_free(y);
  return same;
}

/* Asks fontconfig for `family`. Returns true, with the file and face index,
 * only when the match answers to that family; *got is the family fontconfig
 * gave either way (caller frees with g_free()). */
static bool fc_find(const char *family, char **file, int *index, char **got) {
  *got = NULL;
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcConfigSubstitute(NULL, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern *match = FcFontMatch(NULL, pat, &res);
  FcPatternDestroy(pat);
  if (!match)
    return false;
  bool same = false;
  FcChar8 *s;
  for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &s) == FcResultMatch; i++) {
    if (i == 0)
      *got = g_strdup((const char *)s);
    if (same_family((const char *)s, family))
      same = true;
  }
  int idx = 0;
  if (same && FcPatternGetString(match, FC_FILE, 0, &s) == FcResultMatch) {
    FcPatternGetInteger(match, FC_INDEX, 0, &idx);
    *file = g_strdup((const char *)s);
    *index = idx & 0xFFFF; /* the high bits name a variable font's instance */
  } else {
    same = false;
  }
  FcPatternDestroy(match);
  return same;
}

/* A value that names a file rather than a family. */
static bool is_path(const char *v) {
  if (strchr(v, '/'))
    return true;
  char *lower = g_ascii_strdown(v, -1);
  char *colon = strrchr(lower, ':');
  if (colon)
    *colon = '\0';
  bool ext = g_str_has_suffix(lower, ".ttf") || g_str_has_suffix(lower, ".ttc") ||
             g_str_has_suffix(lower, ".otf") || g_str_has_suffix(lower, ".otc");
  g_free(lower);
  return ext;
}

/* Splits "PATH:N" into PATH and N (N = 0 without a suffix). */
static char *split_index(const char *v, int *index) {
  *index = 0;
  const char *colon = strrchr(v, ':');
  if (colon && colon > v && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
      strlen(colon + 1) < 6) {
    *index = atoi(colon + 1);
    return g_strndup(v, colon - v);
  }
  return g_strdup(v);
}

/* Tries one family name; on success sets the role's slot and family. A
 * family that exists but cannot be embedded is an error when it was asked
 * for (explicit) and skipped otherwise. */
static bool try_family(kh_fontset *fs, int role, const char *family,
                       bool explicit, const kh_font_request *req,
                       kh_diags *diags, bool *failed, char **got) {
  char *file = NULL;
  int index = 0;
  if (!fc_find(family, &file, &index, got))
    return false;
  const char *why = NULL;
  int s = open_slot(fs, file, index, &why);
  if (s < 0) {
    if (explicit) {
      char *msg = g_strdup_printf("字体“%s”（%s）%s", family, file, why);
      role_diag(diags, req, role, KH_ERROR, msg);
      g_free(msg);
      *failed = true;
    }
    g_free(file);
    return false;
  }
  g_free(file);
  fs->face_slot[role] = s;
  fs->family[role] = g_strdup(family);
  return true;
}

/* Walks the role's chain: the official names, then the stand-ins. Returns
 * the family that served, or NULL; *stood_in when it is a stand-in. */
static const char *walk_chain(kh_fontset *fs, int role, const kh_font_request *req,
                              kh_diags *diags, bool *stood_in) {
  const char *const *lists[] = {roles[role].official, roles[role].standin};
  for (int l = 0; l < 2; l++)
    for (int i = 0; lists[l][i]; i++) {
      char *got = NULL;
      bool failed = false;
      bool ok = try_family(fs, role, lists[l][i], false, req, diags, &failed, &got);
      g_free(got);
      if (ok) {
        *stood_in = l == 1;
        return lists[l][i];
      }
    }
  return NULL;
}

/* The warning that a role without a [fonts] entry is set in a stand-in
 * because the official face is not installed, and how to install it. */
static void warn_standin(const kh_font_request *req, int role, const char *standin,
                         kh_diags *diags) {
  const role_def *r = &roles[role];
  kh_diags_add(diags, KH_WARNING, req->rules_path, 1, 1, NULL,
               "%s：电脑上没有正式字体，用“%s”代替。要用正式字体，把 Windows 的 %s"
               "（在 C:\\Windows\\Fonts 中）复制到 ~/.local/share/fonts/ 后运行 "
               "fc-cache -f，或在 [fonts] 中写 %s = 字体文件（见用户手册第八章）",
               r->what, standin, r->windows_file, r->key);
}

/* Resolves one role; false after an error. */
static bool resolve_role(kh_fontset *fs, int role, const char *want,
                         const kh_font_request *req, kh_diags *diags) {
  if (want && *want && is_path(want)) {
    int index;
    char *file = split_index(want, &index);
    const char *why = NULL;
    int s = open_slot(fs, file, index, &why);
    if (s < 0) {
      char *msg = g_strdup_printf("%s：%s", want, why);
      role_diag(diags, req, role, KH_ERROR, msg);
      g_free(msg);
      g_free(file);
      return false;
    }
    g_free(file);
    fs->face_slot[role] = s;
    fs->family[role] = g_strdup(((slot *)g_ptr_array_index(fs->slots, s))->family);
    return true;
  }
  char *got = NULL;
  if (want && *want) {
    bool failed = false;
    bool ok = try_family(fs, role, want, true, req, diags, &failed, &got);
    if (ok || failed) {
      g_free(got);
      return ok;
    }
  }
  bool stood_in = false;
  const char *standin = walk_chain(fs, role, req, diags, &stood_in);
  if (standin && stood_in && !(want && *want) && req->warn_standins && roles[role].key)
    warn_standin(req, role, standin, diags);
  if (standin && want && *want) {
    char *msg = got ? g_strdup_printf("系统中没有字体“%s”（fontconfig 给出的是“%s”），改用“%s”",
                                      want, got, standin)
                    : g_strdup_printf("系统中没有字体“%s”，改用“%s”", want, standin);
    role_diag(diags, req, role, KH_WARNING, msg);
    g_free(msg);
  }
  g_free(got);
  if (standin)
    return true;
  if (role == KH_FACE_PAGENO) { /* page numbers make do with the body face */
    fs->face_slot[role] = fs->face_slot[KH_FACE_BODY];
    fs->family[role] = g_strdup(fs->family[KH_FACE_BODY]);
    return true;
  }
  char *msg = g_strdup_printf("找不到可用的%s字体：请安装 %s，或在 [fonts] %s 中写明字体文件",
                              roles[role].what, roles[role].package, roles[role].key);
  role_diag(diags, req, role, KH_ERROR, msg);
  g_free(msg);
  return false;
}

static void add_fallback(kh_fontset *fs, int s) {
  for (guint i = 0; i < fs->fallback->len; i++)
    if (g_array_index(fs->fallback, int, i) == s)
      return;
  g_array_append_val(fs->fallback, s);
}

/* The chain a character a face lacks is looked for along: the document's
 * faces in role order, then every stand-in that is installed (when the
 * official faces serve the roles, a rare character such as 𠀾, beyond
 * U+FFFF, may still be in AR PL UMing). */
static void build_fallback(kh_fontset *fs) {
  for (int role = 0; role < KH_LAYOUT_N_FACES; role++)
    add_fallback(fs, fs->face_slot[role]);
  for (int role = 0; role < KH_LAYOUT_N_FACES; role++)
    for (int i = 0; roles[role].standin[i]; i++) {
      char *file = NULL, *got = NULL;
      int index = 0;
      const char *why = NULL;
      if (fc_find(roles[role].standin[i], &file, &index, &got)) {
        int s = open_slot(fs, file, index, &why);
        if (s >= 0)
          add_fallback(fs, s);
      }
      g_free(file);
      g_free(got);
    }
}

kh_fontset *kh_fontset_open(const kh_font_request *req, kh_diags *diags) {
  kh_font_request none = {0};
  if (!req)
    req = &none;
  kh_fontset *fs = g_new0(kh_fontset, 1);
  fs->slots = g_ptr_array_new_with_free_func((GDestroyNotify)slot_free);
  fs->fallback = g_array_new(FALSE, FALSE, sizeof(int));
  if (!fontconfig_ready()) {
    kh_diags_add(diags, KH_ERROR, req->rules_path, 1, 1, NULL,
                 "fontconfig 无法初始化，找不到任何字体");
    kh_fontset_free(fs);
    return NULL;
  }
  const char *want[KH_LAYOUT_N_FACES] = {
      [KH_FACE_BODY] = req->body,      [KH_FACE_TITLE] = req->title,
      [KH_FACE_HEI] = req->heading1,   [KH_FACE_KAI] = req->heading2,
      [KH_FACE_PAGENO] = NULL,
  };
  bool ok = true;
  for (int role = 0; role < KH_LAYOUT_N_FACES; role++)
    if (role != KH_FACE_PAGENO || ok) /* it may borrow the body's face */
      ok = resolve_role(fs, role, want[role], req, diags) && ok;
  if (!ok) {
    kh_fontset_free(fs);
    return NULL;
  }
  build_fallback(fs);
  return fs;
}

void kh_fontset_free(kh_fontset *fs) {
  if (!fs)
    return;
  g_ptr_array_unref(fs->slots);
  g_array_unref(fs->fallback);
  for (int i = 0; i < KH_LAYOUT_N_FACES; i++)
    g_free(fs->family[i]);
  g_free(fs);
}

static const slot *face_slot(const kh_fontset *fs, int face) {
  return g_ptr_array_index(fs->slots, fs->face_slot[face]);
}

const char *kh_fontset_family(const kh_fontset *fs, int face) { return fs->family[face]; }
const char *kh_fontset_file(const kh_fontset *fs, int face) { return face_slot(fs, face)->file; }
int kh_fontset_index(const kh_fontset *fs, int face) { return face_slot(fs, face)->index; }
int kh_fontset_slot(const kh_fontset *fs, int face) { return fs->face_slot[face]; }
int kh_fontset_n_slots(const kh_fontset *fs) { return (int)fs->slots->len; }

static const slot *slot_at(const kh_fontset *fs, int slot_no) {
  return g_ptr_array_index(fs->slots, slot_no);
}

hb_face_t *kh_fontset_slot_face(const kh_fontset *fs, int slot_no) {
  return slot_at(fs, slot_no)->face;
}
const char *kh_fontset_slot_file(const kh_fontset *fs, int slot_no) {
  return slot_at(fs, slot_no)->file;
}
int kh_fontset_slot_index(const kh_fontset *fs, int slot_no) {
  return slot_at(fs, slot_no)->index;
}
const char *kh_fontset_slot_family(const kh_fontset *fs, int slot_no) {
  return slot_at(fs, slot_no)->family;
}

bool kh_fontset_slot_has(const kh_fontset *fs, int slot_no, gunichar uc) {
  hb_codepoint_t glyph;
  return hb_font_get_nominal_glyph(slot_at(fs, slot_no)->font, uc, &glyph);
}

int kh_fontset_char_slot(const kh_fontset *fs, int face, gunichar uc) {
  int own = fs->face_slot[face];
  if (kh_fontset_slot_has(fs, own, uc))
    return own;
  for (guint i = 0; i < fs->fallback->len; i++) {
    int s = g_array_index(fs->fallback, int, i);
    if (s != own && kh_fontset_slot_has(fs, s, uc))
      return s;
  }
  return own;
}

int kh_fontset_advance(const kh_fontset *fs, int face, gunichar uc) {
  const slot *s = face_slot(fs, face);
  hb_codepoint_t glyph = 0;
  if (!hb_font_get_nominal_glyph(s->font, uc, &glyph)) {
    s = slot_at(fs, kh_fontset_char_slot(fs, face, uc));
    hb_font_get_nominal_glyph(s->font, uc, &glyph);
  }
  return kh_fontset_glyph_advance(s->font, s->upem, glyph);
}

int kh_fontset_glyph_advance(hb_font_t *font, unsigned upem, hb_codepoint_t glyph) {
  hb_position_t adv = hb_font_get_glyph_h_advance(font, glyph);
  return (int)((unsigned)(adv > 0 ? adv : 0) * 1000u / upem);
}

bool kh_fontset_has_char(const kh_fontset *fs, int face, gunichar uc) {
  return kh_fontset_slot_has(fs, fs->face_slot[face], uc);
}

double kh_fontset_ascent(const kh_fontset *fs, int face) { return face_slot(fs, face)->ascent; }
double kh_fontset_descent(const kh_fontset *fs, int face) { return face_slot(fs, face)->descent; }
