/* A POST's fields and files as libmicrohttpd's post processor hands them
 * over, piece by piece (serve.h kh_serve_form). Limits are checked as the
 * pieces arrive, so an oversized upload is refused without being kept.
 * An uploaded file is saved under a name of ours (upload-N plus its
 * extension, which the readers go by): the browser's name is only shown. */
#include "serve/serve.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "deliver/fsops.h"

void kh_serve_form_init(kh_serve_form *form, const char *state_dir) {
  memset(form, 0, sizeof *form);
  form->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  form->uploads = g_ptr_array_new();
  form->state_dir = state_dir;
}

static bool refuse(kh_serve_form *form, unsigned status, const char *message) {
  if (!form->error) {
    form->error_status = status;
    form->error = g_strdup(message);
  }
  return false;
}

/* The last folder-free part of a browser's file name, valid UTF-8 without
 * control characters ("C:\\收回\\a.xlsx" -> "a.xlsx"). */
static char *shown_name(const char *filename) {
  const char *base = filename;
  for (const char *p = filename; *p; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  char *valid = g_utf8_make_valid(base, -1);
  for (char *p = valid; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      *p = ' ';
  if (!*valid) {
    g_free(valid);
    valid = g_strdup("未命名");
  }
  return valid;
}

/* ".xlsx" for "收回/a.XLSX", lower-cased, ASCII letters only; "" when none. */
static char *extension(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot || strlen(dot) > 6)
    return g_strdup("");
  for (const char *p = dot + 1; *p; p++)
    if (!g_ascii_isalnum(*p))
      return g_strdup("");
  return g_ascii_strdown(dot, -1);
}

static bool close_open_part(kh_serve_form *form) {
  bool ok = true;
  if (form->open_file) {
    ok = fclose(form->open_file) == 0;
    form->open_file = NULL;
    if (!ok)
      refuse(form, 500, "上传的文件无法保存（磁盘已满？）");
  }
  if (form->open_value) {
    g_hash_table_replace(form->fields, form->open_key,
                         g_utf8_make_valid(form->open_value->str, (gssize)form->open_value->len));
    form->open_key = NULL;
    g_string_free(form->open_value, TRUE);
    form->open_value = NULL;
  }
  g_clear_pointer(&form->open_key, g_free);
  form->open_upload = NULL;
  return ok;
}

static bool open_file_part(kh_serve_form *form, const char *key, const char *filename) {
  if (!form->upload_dir) {
    char *tmpl = g_build_filename(form->state_dir, "upload-XXXXXX", NULL);
    form->upload_dir = g_mkdtemp(tmpl);
    if (!form->upload_dir) {
      g_free(tmpl);
      return refuse(form, 500, "无法保存上传的文件");
    }
  }
  kh_serve_upload *u = g_new0(kh_serve_upload, 1);
  u->field = g_strdup(key ? key : "");
  u->filename = shown_name(filename);
  char *ext = extension(u->filename);
  char *name = g_strdup_printf("upload-%u%s", form->uploads->len + 1, ext);
  u->path = g_build_filename(form->upload_dir, name, NULL);
  g_free(name);
  g_free(ext);
  g_ptr_array_add(form->uploads, u);
  form->open_upload = u;
  form->open_file = g_fopen(u->path, "wbx");
  if (!form->open_file)
    return refuse(form, 500, "无法保存上传的文件");
  return true;
}

bool kh_serve_form_feed(kh_serve_form *form, const char *key, const char *filename,
                        const char *data, uint64_t off, size_t size) {
  if (form->error)
    return false;
  form->bytes += size;
  if (form->bytes > KH_SERVE_MAX_BODY)
    return refuse(form, 413, "提交的内容太大（上限 32 MB）");
  bool continues = off > 0 && form->open_key && key && strcmp(form->open_key, key) == 0;
  if (!continues) {
    if (!close_open_part(form))
      return false;
    if (++form->parts > KH_SERVE_MAX_PARTS)
      return refuse(form, 413, "提交的项目太多（上限 64 项）");
    form->open_key = g_strdup(key ? key : "");
    /* a file input left empty comes as a part named "": a field then */
    if (filename && *filename) {
      if (!open_file_part(form, key, filename))
        return false;
    } else {
      form->open_value = g_string_new(NULL);
    }
  }
  if (form->open_file) {
    if (size && fwrite(data, 1, size, form->open_file) != size)
      return refuse(form, 500, "上传的文件无法保存（磁盘已满？）");
    form->open_upload->size += size;
  } else {
    if (form->open_value->len + size > KH_SERVE_MAX_FIELD)
      return refuse(form, 413, "提交的某一项太长");
    g_string_append_len(form->open_value, data, (gssize)size);
  }
  return true;
}

bool kh_serve_form_finish(kh_serve_form *form) {
  return close_open_part(form) && !form->error;
}

const char *kh_serve_form_field(const kh_serve_form *form, const char *name) {
  return g_hash_table_lookup(form->fields, name);
}

static void upload_free(gpointer p) {
  kh_serve_upload *u = p;
  g_free(u->field);
  g_free(u->filename);
  g_free(u->path);
  g_free(u);
}

void kh_serve_form_clear(kh_serve_form *form) {
  if (form->open_file)
    fclose(form->open_file);
  if (form->open_value)
    g_string_free(form->open_value, TRUE);
  g_free(form->open_key);
  if (form->uploads) {
    g_ptr_array_set_free_func(form->uploads, upload_free);
    g_ptr_array_free(form->uploads, TRUE);
  }
  if (form->fields)
    g_hash_table_destroy(form->fields);
  if (form->upload_dir)
    kh_fs_remove_tree(form->upload_dir);
  g_free(form->upload_dir);
  g_free(form->error);
  memset(form, 0, sizeof *form);
}
