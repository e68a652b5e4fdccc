/* Markdown through md4c into blocks, plain text and HTML (markdown.h).
 *
 * md4c reports a document as nested enter/leave events with text between
 * them. The converter keeps one open block (a heading, or a paragraph that
 * opens when its first text arrives), the run being filled, and the table
 * being filled; everything else (lists, quotes, code) only closes the open
 * block so its text starts a new paragraph. */
#include "render/template/markdown.h"

#include <md4c-html.h>
#include <md4c.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

#include "render/template/escape.h"

/* The only md4c flags we use (docs/dependencies.md: never autolinks, LaTeX
 * math or wiki links on md4c 0.4.8). */
#define MD_FLAGS (MD_FLAG_TABLES | MD_FLAG_NOHTML)

void kh_markdown_error_clear(kh_markdown_error *err) {
  if (!err)
    return;
  g_free(err->message);
  err->message = NULL;
}

static bool fail(kh_markdown_error *err, gsize offset, char *message) {
  if (err) {
    err->offset = offset;
    err->message = message;
  } else {
    g_free(message);
  }
  return false;
}

void kh_markdown_append_partial(GString *out, const char *name) {
  g_string_append(out, "\n\n" KH_PARTIAL_SENTINEL);
  kh_escape_markdown(out, name, strlen(name));
  g_string_append(out, "\n\n");
}

/* ---- the guards ------------------------------------------------------ */

/* The copy md4c may read: md[0..len) checked against the limits, ending in
 * '\n', with the GString's NUL as the spare byte after it. */
static GString *guarded_copy(const char *md, gsize len, kh_markdown_error *err) {
  if (len > KH_MARKDOWN_MAX_BYTES) {
    fail(err, 0,
         g_strdup_printf("文本过大（%zu 字节，上限 %u 字节）",
                         (size_t)len, KH_MARKDOWN_MAX_BYTES));
    return NULL;
  }
  int pipes = 0;
  bool escaped = false;
  for (gsize i = 0; i < len; i++) {
    char c = md[i];
    if (c == '\n') {
      pipes = 0;
    } else if (c == '|' && !escaped && ++pipes > KH_MARKDOWN_MAX_PIPES) {
      fail(err, i,
           g_strdup_printf("一行中的“|”超过 %d 个：表格最多 %d 列",
                           KH_MARKDOWN_MAX_PIPES, KH_MARKDOWN_MAX_PIPES - 1));
      return NULL;
    }
    escaped = c == '\\' && !escaped;
  }
  GString *copy = g_string_sized_new(len + 2);
  g_string_append_len(copy, md, (gssize)len);
  if (len == 0 || md[len - 1] != '\n')
    g_string_append_c(copy, '\n');
  return copy;
}

/* ---- Markdown → blocks ----------------------------------------------- */

typedef struct {
  bool ordered;
  unsigned next; /* the next item's number */
  char delimiter;
} list_level;

typedef struct {
  GPtrArray *blocks;  /* kh_block*: what was converted so far */
  kh_block *cur;      /* the open heading or paragraph, or NULL */
  bool in_heading;
  kh_face heading_face;
  int em, strong;     /* open emphasis spans */
  GString *run;       /* the text of the run being filled */
  kh_face run_face;
  ucs4_t last_char;   /* the last character of the open block, 0 at its start */
  bool pending_break; /* a soft break waits for the next text */
  char *item_prefix;  /* "3." for the next paragraph of an ordered item */
  GArray *lists;      /* list_level: the lists the converter is inside */
  bool in_code;       /* in a code block: its '\n' are soft breaks */
  kh_table *table;    /* the table being filled, or NULL */
  char **row;         /* its row being filled: table->n_cols strings */
  int col;            /* the cell being filled */
  GString *cell;      /* its text */
  bool in_cell;
} converter;

/* A space between two narrow characters only: CJK text joins directly.
 * Widths follow a CJK encoding, where quotation marks and dashes are wide. */
static bool needs_space(ucs4_t before, ucs4_t after) {
  return before && after && before != ' ' && after != ' ' &&
         uc_width(before, "GBK") == 1 && uc_width(after, "GBK") == 1;
}

static kh_face current_face(const converter *cv) {
  if (cv->in_heading)
    return cv->heading_face;
  return cv->strong ? KH_FACE_HEI : cv->em ? KH_FACE_KAI : KH_FACE_BODY;
}

static void flush_run(converter *cv) {
  if (cv->cur && cv->run->len > 0)
    kh_block_add_run(cv->cur, cv->run_face, cv->run->str);
  g_string_truncate(cv->run, 0);
}

static char *block_text(const kh_block *b) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < b->runs->len; i++)
    g_string_append(s, ((const kh_run *)g_ptr_array_index(b->runs, i))->text);
  return g_string_free(s, FALSE);
}

/* A paragraph that is exactly a partial marker becomes that partial. */
static void recognise_partial(kh_block *b) {
  char *text = block_text(b);
  const char *name = text + strlen(KH_PARTIAL_SENTINEL);
  if (g_str_has_prefix(text, KH_PARTIAL_SENTINEL) && *name &&
      !strstr(name, KH_PARTIAL_SENTINEL) && !strpbrk(name, " \t\n")) {
    b->kind = KH_BLOCK_PARTIAL;
    b->partial = g_strdup(name);
    g_ptr_array_set_size(b->runs, 0);
  }
  g_free(text);
}

static void close_block(converter *cv) {
  if (!cv->cur)
    return;
  flush_run(cv);
  if (cv->cur->runs->len == 0) {
    kh_block_free(cv->cur);
  } else {
    if (cv->cur->kind == KH_BLOCK_PARAGRAPH)
      recognise_partial(cv->cur);
    g_ptr_array_add(cv->blocks, cv->cur);
  }
  cv->cur = NULL;
  cv->last_char = 0;
  cv->pending_break = false;
}

static void open_block(converter *cv, kh_block_kind kind) {
  close_block(cv);
  cv->cur = kh_block_new(kind);
}

static void put_text(converter *cv, const char *s, gsize n);

/* Text arriving outside any open block starts a paragraph, which begins
 * with the number of the ordered-list item it is in. */
static void ensure_block(converter *cv) {
  if (cv->cur)
    return;
  open_block(cv, KH_BLOCK_PARAGRAPH);
  if (cv->item_prefix) {
    char *prefix = cv->item_prefix;
    cv->item_prefix = NULL;
    put_text(cv, prefix, strlen(prefix));
    cv->pending_break = true;
    g_free(prefix);
  }
}

static void put_text(converter *cv, const char *s, gsize n) {
  if (n == 0)
    return;
  if (cv->in_cell) {
    g_string_append_len(cv->cell, s, (gssize)n);
    return;
  }
  ensure_block(cv);
  ucs4_t first = 0xFFFD, last = 0xFFFD;
  u8_mbtouc(&first, (const uint8_t *)s, n);
  u8_prev(&last, (const uint8_t *)s + n, (const uint8_t *)s);
  if (cv->pending_break && needs_space(cv->last_char, first))
    g_string_append_c(cv->run, ' ');
  cv->pending_break = false;
  kh_face face = current_face(cv);
  if (face != cv->run_face) {
    flush_run(cv);
    cv->run_face = face;
  }
  g_string_append_len(cv->run, s, (gssize)n);
  cv->last_char = last;
}

/* &amp; &#20013; &#x4e2d;: the few named entities templates use, and every
 * numeric one; other names stay as written. */
static void put_entity(converter *cv, const char *e, gsize n) {
  static const struct { const char *name, *text; } named[] = {
      {"&amp;", "&"},   {"&lt;", "<"},    {"&gt;", ">"},
      {"&quot;", "\""}, {"&apos;", "'"},  {"&nbsp;", "\xC2\xA0"},
  };
  if (n >= 4 && e[1] == '#') {
    bool hex = e[2] == 'x' || e[2] == 'X';
    guint64 v = g_ascii_strtoull(e + (hex ? 3 : 2), NULL, hex ? 16 : 10);
    gunichar uc = v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)
                      ? (gunichar)v
                      : 0xFFFD;
    char utf8[6];
    put_text(cv, utf8, (gsize)g_unichar_to_utf8(uc, utf8));
    return;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(named); i++) {
    if (strlen(named[i].name) == n && memcmp(named[i].name, e, n) == 0) {
      put_text(cv, named[i].text, strlen(named[i].text));
      return;
    }
  }
  put_text(cv, e, n);
}

static kh_align align_of(MD_ALIGN a) {
  return a == MD_ALIGN_CENTER ? KH_ALIGN_CENTER
         : a == MD_ALIGN_RIGHT ? KH_ALIGN_RIGHT
                               : KH_ALIGN_LEFT;
}

static void free_row(converter *cv) {
  if (!cv->row)
    return;
  for (int c = 0; c < cv->table->n_cols; c++)
    g_free(cv->row[c]);
  g_free(cv->row);
  cv->row = NULL;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user) {
  converter *cv = user;
  switch (type) {
  case MD_BLOCK_H: {
    unsigned level = ((MD_BLOCK_H_DETAIL *)detail)->level;
    static const kh_block_kind kinds[] = {KH_BLOCK_TITLE, KH_BLOCK_HEADING1,
                                          KH_BLOCK_HEADING2, KH_BLOCK_HEADING3};
    static const kh_face faces[] = {KH_FACE_TITLE, KH_FACE_HEI, KH_FACE_KAI,
                                    KH_FACE_BODY};
    unsigned k = MIN(level, 4u) - 1;
    open_block(cv, kinds[k]);
    cv->in_heading = true;
    cv->heading_face = faces[k];
    break;
  }
  case MD_BLOCK_UL:
  case MD_BLOCK_OL: {
    close_block(cv);
    list_level l = {type == MD_BLOCK_OL, 1, '.'};
    if (type == MD_BLOCK_OL) {
      l.next = ((MD_BLOCK_OL_DETAIL *)detail)->start;
      l.delimiter = ((MD_BLOCK_OL_DETAIL *)detail)->mark_delimiter;
    }
    g_array_append_val(cv->lists, l);
    break;
  }
  case MD_BLOCK_LI: {
    close_block(cv);
    list_level *l = &g_array_index(cv->lists, list_level, cv->lists->len - 1);
    g_free(cv->item_prefix);
    cv->item_prefix =
        l->ordered ? g_strdup_printf("%u%c", l->next++, l->delimiter) : NULL;
    break;
  }
  case MD_BLOCK_HR:
    close_block(cv);
    g_ptr_array_add(cv->blocks, kh_block_new(KH_BLOCK_ATTACHMENT));
    break;
  case MD_BLOCK_CODE:
    close_block(cv);
    cv->in_code = true;
    break;
  case MD_BLOCK_TABLE:
    close_block(cv);
    cv->table = kh_table_new((int)((MD_BLOCK_TABLE_DETAIL *)detail)->col_count, 1);
    break;
  case MD_BLOCK_TR:
    cv->row = g_new0(char *, cv->table->n_cols + 1);
    cv->col = 0;
    break;
  case MD_BLOCK_TH:
  case MD_BLOCK_TD:
    if (type == MD_BLOCK_TH && cv->col < cv->table->n_cols)
      cv->table->align[cv->col] =
          align_of(((MD_BLOCK_TD_DETAIL *)detail)->align);
    g_string_truncate(cv->cell, 0);
    cv->in_cell = true;
    break;
  case MD_BLOCK_DOC:
  case MD_BLOCK_QUOTE:
  case MD_BLOCK_HTML:
  case MD_BLOCK_P:
  case MD_BLOCK_THEAD:
  case MD_BLOCK_TBODY:
    close_block(cv);
    break;
  }
  return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user) {
  (void)detail;
  converter *cv = user;
  switch (type) {
  case MD_BLOCK_H:
    close_block(cv);
    cv->in_heading = false;
    break;
  case MD_BLOCK_UL:
  case MD_BLOCK_OL:
    close_block(cv);
    g_array_set_size(cv->lists, cv->lists->len - 1);
    break;
  case MD_BLOCK_LI:
    close_block(cv);
    g_clear_pointer(&cv->item_prefix, g_free);
    break;
  case MD_BLOCK_CODE:
    close_block(cv);
    cv->in_code = false;
    break;
  case MD_BLOCK_TH:
  case MD_BLOCK_TD:
    if (cv->col < cv->table->n_cols)
      cv->row[cv->col] = g_strdup(cv->cell->str);
    cv->col++;
    cv->in_cell = false;
    break;
  case MD_BLOCK_TR:
    kh_table_add_row(cv->table, (const char *const *)cv->row, false);
    free_row(cv);
    break;
  case MD_BLOCK_TABLE: {
    kh_block *b = kh_block_new(KH_BLOCK_TABLE);
    b->table = cv->table;
    cv->table = NULL;
    g_ptr_array_add(cv->blocks, b);
    break;
  }
  case MD_BLOCK_DOC:
  case MD_BLOCK_QUOTE:
  case MD_BLOCK_HR:
  case MD_BLOCK_HTML:
  case MD_BLOCK_P:
  case MD_BLOCK_THEAD:
  case MD_BLOCK_TBODY:
    close_block(cv);
    break;
  }
  return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user) {
  (void)detail;
  converter *cv = user;
  cv->em += type == MD_SPAN_EM;
  cv->strong += type == MD_SPAN_STRONG;
  return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user) {
  (void)detail;
  converter *cv = user;
  cv->em -= type == MD_SPAN_EM;
  cv->strong -= type == MD_SPAN_STRONG;
  return 0;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
                   void *user) {
  converter *cv = user;
  switch (type) {
  case MD_TEXT_NULLCHAR:
    put_text(cv, "\xEF\xBF\xBD", 3);
    break;
  case MD_TEXT_SOFTBR:
    cv->pending_break = true;
    break;
  case MD_TEXT_BR:
    /* A hard break starts a new paragraph; in a heading it is a soft one. */
    if (cv->in_heading) {
      cv->pending_break = true;
    } else if (cv->cur) {
      kh_block_kind kind = cv->cur->kind;
      open_block(cv, kind);
    }
    break;
  case MD_TEXT_ENTITY:
    put_entity(cv, text, size);
    break;
  case MD_TEXT_CODE:
    if (cv->in_code && size == 1 && text[0] == '\n')
      cv->pending_break = true;
    else
      put_text(cv, text, size);
    break;
  case MD_TEXT_NORMAL:
  case MD_TEXT_HTML:
  case MD_TEXT_LATEXMATH:
    put_text(cv, text, size);
    break;
  }
  return 0;
}

bool kh_markdown_to_blocks(const char *md, gsize len, GPtrArray *blocks,
                           kh_markdown_error *err) {
  GString *copy = guarded_copy(md, len, err);
  if (!copy)
    return false;
  converter cv = {0};
  cv.blocks = g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  cv.run = g_string_new(NULL);
  cv.cell = g_string_new(NULL);
  cv.lists = g_array_new(FALSE, FALSE, sizeof(list_level));
  MD_PARSER parser = {0};
  parser.flags = MD_FLAGS;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = on_text;
  int rc = md_parse(copy->str, (MD_SIZE)copy->len, &parser, &cv);
  close_block(&cv);
  if (cv.table)
    free_row(&cv);
  kh_table_free(cv.table);
  g_free(cv.item_prefix);
  g_string_free(cv.run, TRUE);
  g_string_free(cv.cell, TRUE);
  g_array_unref(cv.lists);
  g_string_free(copy, TRUE);
  if (rc != 0) {
    g_ptr_array_unref(cv.blocks);
    return fail(err, 0, g_strdup("md4c 无法解析该文本"));
  }
  for (guint i = 0; i < cv.blocks->len; i++)
    g_ptr_array_add(blocks, g_ptr_array_index(cv.blocks, i));
  g_ptr_array_set_free_func(cv.blocks, NULL);
  g_ptr_array_unref(cv.blocks);
  return true;
}

/* ---- blocks → plain text --------------------------------------------- */

static int text_width(const char *s) {
  return u8_strwidth((const uint8_t *)s, "UTF-8");
}

static void append_padded(GString *out, const char *cell, int width,
                          kh_align align) {
  int room = width - text_width(cell);
  int before = align == KH_ALIGN_RIGHT    ? room
               : align == KH_ALIGN_CENTER ? room / 2
                                          : 0;
  g_string_append_printf(out, "%*s%s%*s", before, "", cell, room - before, "");
}

static void strip_line_end(GString *out) {
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate(out, out->len - 1);
  g_string_append_c(out, '\n');
}

static void plain_table(GString *out, const kh_table *t) {
  int *widths = g_new0(int, t->n_cols > 0 ? t->n_cols : 1);
  for (guint r = 0; r < t->rows->len; r++) {
    char **row = g_ptr_array_index(t->rows, r);
    for (int c = 0; c < t->n_cols; c++)
      widths[c] = MAX(widths[c], text_width(row[c]));
  }
  int total = 0;
  for (int c = 0; c < t->n_cols; c++)
    total += widths[c] + (c > 0 ? 2 : 0);
  for (guint r = 0; r < t->rows->len; r++) {
    char **row = g_ptr_array_index(t->rows, r);
    for (int c = 0; c < t->n_cols; c++) {
      if (c > 0)
        g_string_append(out, "  ");
      append_padded(out, row[c], widths[c], t->align[c]);
    }
    strip_line_end(out);
    if ((int)r + 1 == t->n_header_rows) {
      for (int i = 0; i < total; i++)
        g_string_append_c(out, '-');
      g_string_append_c(out, '\n');
    }
  }
  g_free(widths);
}

static void plain_block(GString *out, const kh_block *b) {
  char *text;
  switch (b->kind) {
  case KH_BLOCK_TABLE:
    plain_table(out, b->table);
    break;
  case KH_BLOCK_ATTACHMENT:
    g_string_append(out, "----------------------------------------\n");
    break;
  case KH_BLOCK_TITLE:
  case KH_BLOCK_HEADING1:
  case KH_BLOCK_HEADING2:
  case KH_BLOCK_HEADING3:
  case KH_BLOCK_PARAGRAPH:
    text = block_text(b);
    g_string_append(out, text);
    g_string_append_c(out, '\n');
    g_free(text);
    break;
  case KH_BLOCK_CHART:
  case KH_BLOCK_PARTIAL:
    break;
  }
}

bool kh_markdown_to_plain(const char *md, gsize len, GString *out,
                          kh_markdown_error *err) {
  GPtrArray *blocks =
      g_ptr_array_new_with_free_func((GDestroyNotify)kh_block_free);
  bool ok = kh_markdown_to_blocks(md, len, blocks, err);
  bool first = true;
  for (guint i = 0; ok && i < blocks->len; i++) {
    const kh_block *b = g_ptr_array_index(blocks, i);
    if (b->kind == KH_BLOCK_PARTIAL)
      continue;
    if (!first)
      g_string_append_c(out, '\n');
    plain_block(out, b);
    first = false;
  }
  g_ptr_array_unref(blocks);
  return ok;
}

/* ---- HTML ------------------------------------------------------------ */

static void append_html(const MD_CHAR *text, MD_SIZE size, void *user) {
  g_string_append_len(user, text, (gssize)size);
}

bool kh_markdown_to_html(const char *md, gsize len, GString *out,
                         kh_markdown_error *err) {
  GString *copy = guarded_copy(md, len, err);
  if (!copy)
    return false;
  GString *html = g_string_new(NULL);
  int rc = md_html(copy->str, (MD_SIZE)copy->len, append_html, html, MD_FLAGS,
                   0);
  g_string_free(copy, TRUE);
  if (rc == 0)
    g_string_append_len(out, html->str, (gssize)html->len);
  g_string_free(html, TRUE);
  return rc == 0 || fail(err, 0, g_strdup("md4c 无法解析该文本"));
}
