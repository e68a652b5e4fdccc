/* The workbook reader (docs/reference/spreadsheet-inputs.md): the sample months as written by
 * LibreOffice, Gnumeric, openpyxl and exceljs read cell for cell like their
 * CSV; the cell types and shapes found in the wild (shared, inline and
 * rich strings, cells without r=, skipped rows and columns, prefixed XML,
 * hidden sheets, 1904 dates, formulas with and without results, booleans,
 * errors, percentages); and damaged, encrypted, oversized and foreign
 * files refused with located messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <minizip/zip.h>

#include "load/number.h"
#include "load/sheet_table.h"
#include "load/workbook_reader.h"

static char *tmp_dir;

static int setup(void **state) {
  (void)state;
  tmp_dir = g_dir_make_tmp("kh-workbook-XXXXXX", NULL);
  return tmp_dir ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  GDir *d = g_dir_open(tmp_dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    char *p = g_build_filename(tmp_dir, name, NULL);
    g_unlink(p);
    g_free(p);
  }
  if (d)
    g_dir_close(d);
  g_rmdir(tmp_dir);
  g_free(tmp_dir);
  return 0;
}

static char *data_path(const char *rel) {
  return g_build_filename(g_getenv("KAOHE_TESTDATA"), "workbooks", rel, NULL);
}

/* The table as text: "LINE:cell,cell,..." per row, "%" after a
 * percentage cell. */
static char *dump(const kh_csv_table *t) {
  GString *s = g_string_new(NULL);
  for (guint r = 0; r < t->rows->len; r++) {
    const kh_csv_row *row = kh_csv_row_at(t, r);
    g_string_append_printf(s, "%d:", row->line);
    for (int i = 0; i < row->n_cells; i++) {
      const kh_csv_cell *c = kh_csv_cell_at(t, row, i);
      assert_int_equal(c->line, row->line);
      assert_int_equal(c->col, i + 1);
      g_string_append_printf(s, "%s%s%s", i ? "," : "", c->text,
                             kh_csv_cell_is_percent(t, c) ? "%" : "");
    }
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

/* The diagnostics' first lines, one per line. */
static char *messages(const kh_diags *d) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < d->items->len; i++) {
    char *m = kh_diag_format(g_ptr_array_index(d->items, i));
    char *nl = strchr(m, '\n');
    if (nl)
      *nl = '\0';
    g_string_append_printf(s, "%s\n", m);
    g_free(m);
  }
  return g_string_free(s, FALSE);
}

/* Reads path; checks the table (NULL: none expected) and the messages,
 * with the file's path written as FILE. */
static void expect(const char *path, const char *table, const char *diags) {
  kh_diags *d = kh_diags_new();
  kh_csv_table *t = kh_workbook_read(path, d);
  char *m = messages(d);
  char *with_file = g_strdup(diags);
  GString *e = g_string_new(with_file);
  g_string_replace(e, "FILE", path, 0);
  assert_string_equal(m, e->str);
  if (table) {
    assert_non_null(t);
    char *got = dump(t);
    assert_string_equal(got, table);
    g_free(got);
  } else {
    assert_null(t);
  }
  g_string_free(e, TRUE);
  g_free(with_file);
  g_free(m);
  kh_csv_free(t);
  kh_diags_free(d);
}

/* ---- a package made here, part by part ------------------------------------ */

typedef struct {
  const char *name, *xml;
} part;

static const char *CONTENT_TYPES =
    "<?xml version=\"1.0\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
static const char *ROOT_RELS =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char *WORKBOOK_RELS =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/></Relationships>";
#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
static const char *ONE_SHEET =
    "<workbook " NS "><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
    "</sheets></workbook>";
static const char *STYLES =
    "<styleSheet " NS "><numFmts count=\"2\"><numFmt numFmtId=\"164\" "
    "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.0&quot;d&quot;\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"10\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

/* Writes a package of the standard parts plus `parts` (a part named like a
 * standard one replaces it) to tmp_dir/name; returns its path. */
static char *package(const char *name, const part *parts, int n) {
  char *path = g_build_filename(tmp_dir, name, NULL);
  zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
  assert_non_null(z);
  part standard[] = {{"[Content_Types].xml", CONTENT_TYPES}, {"_rels/.rels", ROOT_RELS},
                     {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS},
                     {"xl/workbook.xml", ONE_SHEET}, {"xl/styles.xml", STYLES}};
  for (int i = 0; i < (int)G_N_ELEMENTS(standard) + n; i++) {
    const part *p = i < n ? &parts[i] : &standard[i - n];
    bool replaced = false;
    for (int j = 0; j < n && i >= n; j++)
      replaced |= strcmp(parts[j].name, p->name) == 0;
    if (replaced || !p->xml)
      continue;
    assert_int_equal(zipOpenNewFileInZip(z, p->name, NULL, NULL, 0, NULL, 0, NULL,
                                         Z_DEFLATED, Z_DEFAULT_COMPRESSION),
                     ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, p->xml, (unsigned)strlen(p->xml)), ZIP_OK);
    zipCloseFileInZip(z);
  }
  zipClose(z, NULL);
  return path;
}

static char *sheet_package(const char *name, const char *sheet_data) {
  char *xml = g_strdup_printf("<worksheet " NS "><sheetData>%s</sheetData></worksheet>",
                              sheet_data);
  part p = {"xl/worksheets/sheet1.xml", xml};
  char *path = package(name, &p, 1);
  g_free(xml);
  return path;
}

/* ---- the real writers ------------------------------------------------------ */

/* Two cells say the same when their texts match or both are numbers of the
 * same value (a CSV's "61,846" is the workbook's 61846). */
static void assert_same_cell(const char *csv, const char *sheet) {
  double a, b;
  bool na, nb;
  if (kh_number_parse(csv, &a, &na) == KH_NUMBER_OK &&
      kh_number_parse(sheet, &b, &nb) == KH_NUMBER_OK) {
    assert_true(a == b && na == nb);
  } else {
    assert_string_equal(sheet, csv);
  }
}

static void test_real_writers_read_like_the_csv(void **state) {
  (void)state;
  const char *writers[] = {"libreoffice-xlsx", "libreoffice-xls", "gnumeric-xlsx",
                           "gnumeric-xls",     "openpyxl",        "exceljs"};
  int compared = 0;
  for (guint w = 0; w < G_N_ELEMENTS(writers); w++)
    for (int m = 1; m <= 9; m++) {
      const char *ext = g_str_has_suffix(writers[w], "-xls") ? "xls" : "xlsx";
      char *rel = g_strdup_printf("months/%s/2013-%02d.%s", writers[w], m, ext);
      char *path = data_path(rel);
      char *csv = g_strdup_printf("%s/samples/county-2013/monthly/2013-%02d.csv",
                                  g_getenv("KAOHE_SOURCE_DIR"), m);
      kh_diags *d = kh_diags_new();
      kh_csv_table *s = kh_workbook_read(path, d);
      kh_csv_table *c = kh_csv_read(csv, d);
      if (d->items->len)
        fail_msg("%s: %s", rel, messages(d));
      assert_non_null(s);
      assert_int_equal(s->rows->len, c->rows->len);
      for (guint r = 0; r < c->rows->len; r++) {
        const kh_csv_row *cr = kh_csv_row_at(c, r), *sr = kh_csv_row_at(s, r);
        assert_int_equal(sr->line, cr->line);
        assert_int_equal(sr->n_cells, cr->n_cells);
        for (int i = 0; i < cr->n_cells; i++)
          assert_same_cell(kh_csv_cell_at(c, cr, i)->text, kh_csv_cell_at(s, sr, i)->text);
      }
      compared++;
      kh_csv_free(s);
      kh_csv_free(c);
      kh_diags_free(d);
      g_free(csv);
      g_free(path);
      g_free(rel);
    }
  assert_int_equal(compared, 54);
}

/* cells/: what write_cells.py writes, saved again by LibreOffice and
 * Gnumeric, which store every formula's result. */
static const char *CELLS =
    "1:township,births_male,births_female,prepreg_checked,db_records,db_complete,id_entered\n"
    "2:01,53,41,TRUE,#DIV/0!,2013-07-05,0.8471%\n"
    "3:02,0.3,02乡,FALSE,#N/A,0.0000001,123456789012346000\n"
    "5:03,7,,,,,\n";

static void test_formula_boolean_error_cells(void **state) {
  (void)state;
  const char *files[] = {"cells/libreoffice.xls", "cells/libreoffice.xlsx", "cells/gnumeric.xls"};
  for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
    char *path = data_path(files[i]);
    expect(path, CELLS, "");
    g_free(path);
  }
}

static void test_full_calc_on_load_is_an_error(void **state) {
  (void)state;
  char *path = data_path("cells/openpyxl.xlsx");
  expect(path,
         "1:township,births_male,births_female,prepreg_checked,db_records,db_complete,id_entered\n"
         "2:01,53,,TRUE,,2013-07-05,0.8471%\n"
         "3:02,0.3,,FALSE,,0.0000001,123456789012346000\n"
         "5:03,7,,,,,\n",
         "FILE:2:3: error: 数据!C2 公式的结果不可信：写出此工作簿的程序不计算公式，只标记了"
         "“打开时重新计算”（本表共 4 个公式单元格）。请用 Excel 或 WPS 打开此文件并保存后再读取\n");
  g_free(path);
}

static void test_excel95_is_refused(void **state) {
  (void)state;
  char *path = data_path("cells/excel95.xls");
  expect(path, NULL,
         "FILE:1:1: error: 这是 Excel 95 或更早版本的 .xls，无法完整读取：请用 Excel 或 WPS "
         "打开此文件并另存为 .xlsx\n");
  g_free(path);
}

/* ---- shapes found in the wild ------------------------------------------------ */

static void test_strings_sparse_cells_and_no_refs(void **state) {
  (void)state;
  part parts[] = {
      {"xl/sharedStrings.xml",
       "<sst " NS "><si><t>township</t></si><si><r><t>bir</t></r><r><rPr/><t>ths</t></r>"
       "<rPh><t>ふりがな</t></rPh></si><si><t xml:space=\"preserve\">  城关镇 </t></si>"
       "<si/></sst>"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet " NS "><sheetData>"
       "<row r=\"2\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
       "<c r=\"E2\" t=\"inlineStr\"><is><r><t>no</t></r><r><t>te</t></r></is></c></row>"
       "<row><c t=\"s\"><v>2</v></c><c><v>1.5</v></c><c t=\"s\"><v>3</v></c></row>"
       "<row r=\"7\"><c r=\"B7\" s=\"0\"/><c r=\"C7\"><v>4</v></c></row>"
       "</sheetData></worksheet>"}};
  char *path = package("shapes.xlsx", parts, 2);
  expect(path,
         "2:township,births,,,note\n"
         "3:城关镇,1.5,,,\n"
         "7:,,4,,\n",
         "");
  g_free(path);
}

static void test_prefixed_xml_and_hidden_sheets(void **state) {
  (void)state;
  part parts[] = {
      {"xl/workbook.xml",
       "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
       "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
       "<x:workbookPr date1904=\"true\"/><x:sheets>"
       "<x:sheet name=\"隐藏\" sheetId=\"1\" state=\"hidden\" rel:id=\"rId1\"/>"
       "<x:sheet name=\"1月 报表\" sheetId=\"2\" rel:id=\"rId2\"/></x:sheets></x:workbook>"},
      {"xl/worksheets/sheet1.xml", "<worksheet " NS "><sheetData><row><c t=\"inlineStr\">"
                                   "<is><t>hidden</t></is></c></row></sheetData></worksheet>"},
      {"xl/worksheets/sheet2.xml",
       "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
       "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c>"
       "<x:c r=\"B1\" s=\"4\"><x:v>0</x:v></x:c><x:c r=\"C1\" s=\"2\"><x:v>4000.5</x:v></x:c>"
       "<x:c r=\"D1\" s=\"1\"><x:v>0.84709999999999996</x:v></x:c>"
       "<x:c r=\"E1\" s=\"3\"><x:v>2</x:v></x:c><x:c r=\"F1\" t=\"x\"><x:v>2</x:v></x:c>"
       "</x:row></x:sheetData></x:worksheet>"}};
  char *path = package("hidden.xlsx", parts, 3);
  expect(path, "1:a,1904-01-01,1914-12-14 12:00:00,0.8471%,2\n",
         "FILE:1:6: error: '1月 报表'!F1 单元格类型无效（文件已损坏）\n");
  g_free(path);
}

static void test_cell_types(void **state) {
  (void)state;
  char *path = sheet_package(
      "types.xlsx",
      "<row r=\"1\"><c r=\"A1\" t=\"b\"><v>1</v></c><c r=\"B1\" t=\"e\"><v>#REF!</v></c>"
      "<c r=\"C1\" t=\"d\"><v>2013-07-05T00:00:00</v></c>"
      "<c r=\"D1\" t=\"str\"><f>\"\"</f><v></v></c>"
      "<c r=\"E1\"><f>1+1</f><v>2</v></c><c r=\"F1\" s=\"4\"><v>60</v></c>"
      "<c r=\"G1\"><v>-3</v></c><c r=\"H1\"><v>1E-3</v></c><c r=\"I1\"><v> </v></c></row>"
      "<row r=\"2\"><c r=\"A2\"><f>1+1</f></c><c r=\"B2\"><f>1+1</f><v/></c>"
      "<c r=\"C2\" t=\"s\"><v>9</v></c><c r=\"D2\"><v>abc</v></c></row>");
  expect(path,
         "1:TRUE,#REF!,2013-07-05T00:00:00,,2,1900-02-29,-3,0.001\n",
         "FILE:1:9: error: Sheet1!I1 数值单元格的内容无效（文件已损坏）\n"
         "FILE:2:3: error: Sheet1!C2 共享字符串编号无效（文件已损坏）\n"
         "FILE:2:4: error: Sheet1!D2 数值单元格的内容无效（文件已损坏）\n"
         "FILE:2:1: error: Sheet1!A2 公式没有计算结果（本表共 2 个这样的单元格）：请用 Excel 或 WPS "
         "打开此文件并保存后再读取\n");
  g_free(path);
}

static void test_cell_twice_and_limits(void **state) {
  (void)state;
  char *path = sheet_package("twice.xlsx",
                             "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"A1\"><v>2</v></c>"
                             "<c r=\"ALM1\"><v>3</v></c></row>");
  expect(path, "1:1\n",
         "FILE:1:1001: error: Sheet1!ALM1 列数超过上限（1000 列），工作表的其余部分未读取\n"
         "FILE:1:1: error: Sheet1!A1 单元格在文件中出现两次（文件已损坏），只读取了第一次的内容\n");
  g_free(path);
}

/* ---- damaged, encrypted, oversized and foreign files -------------------------- */

static void test_no_visible_sheet(void **state) {
  (void)state;
  part p = {"xl/workbook.xml",
            "<workbook " NS "><sheets><sheet name=\"a\" sheetId=\"1\" state=\"veryHidden\" "
            "r:id=\"rId1\"/></sheets></workbook>"};
  char *path = package("hidden-all.xlsx", &p, 1);
  expect(path, NULL, "FILE:1:1: error: 工作簿中没有可见的工作表（1 张表都已隐藏或不是工作表）\n");
  g_free(path);
}

static void test_broken_xml(void **state) {
  (void)state;
  char *path = sheet_package("broken.xlsx", "<row><c><v>1</v></row>");
  expect(path, NULL,
         "FILE:1:1: error: 工作簿已损坏：“xl/worksheets/sheet1.xml”第 1 行：Opening and ending "
         "tag mismatch: c line 1 and row\n");
  g_free(path);
}

static void test_missing_part(void **state) {
  (void)state;
  char *path = package("missing.xlsx", NULL, 0);
  expect(path, NULL, "FILE:1:1: error: 工作簿已损坏：缺少“xl/worksheets/sheet1.xml”部分\n");
  g_free(path);
}

static void test_truncated_and_foreign_files(void **state) {
  (void)state;
  char *good = data_path("months/openpyxl/2013-07.xlsx");
  gchar *bytes;
  gsize len;
  assert_true(g_file_get_contents(good, &bytes, &len, NULL));
  char *path = g_build_filename(tmp_dir, "cut.xlsx", NULL);
  assert_true(g_file_set_contents(path, bytes, (gssize)(len / 2), NULL));
  expect(path, NULL, "FILE:1:1: error: 无法作为 .xlsx 工作簿读取：文件已损坏（zip 结构不完整）\n");
  /* a byte flipped anywhere: read or refused, never a crash (fuzz/ goes on) */
  for (gsize i = 0; i < len; i += 37) {
    bytes[i] ^= 0x55;
    assert_true(g_file_set_contents(path, bytes, (gssize)len, NULL));
    kh_diags *d = kh_diags_new();
    kh_csv_free(kh_workbook_read(path, d));
    kh_diags_free(d);
    bytes[i] ^= 0x55;
  }
  assert_true(g_file_set_contents(path, "<html><table><tr><td>1</td></tr></table></html>", -1,
                                  NULL));
  expect(path, NULL,
         "FILE:1:1: error: 不是 Excel 工作簿（内容既不是 .xlsx 也不是 .xls）：请用 Excel 或 WPS "
         "打开后另存为 .xlsx\n");
  g_free(path);
  g_free(bytes);
  g_free(good);
}

/* Cut short or with a byte flipped: refused or read, never a crash. */
static void test_damaged_xls(void **state) {
  (void)state;
  char *good = data_path("cells/libreoffice.xls");
  gchar *bytes;
  gsize len;
  assert_true(g_file_get_contents(good, &bytes, &len, NULL));
  char *path = g_build_filename(tmp_dir, "cut.xls", NULL);
  for (gsize cut = 512; cut < len; cut += 1024) {
    assert_true(g_file_set_contents(path, bytes, (gssize)cut, NULL));
    kh_diags *d = kh_diags_new();
    kh_csv_table *t = kh_workbook_read(path, d);
    assert_true(d->n_errors >= 1);
    kh_csv_free(t);
    kh_diags_free(d);
  }
  for (gsize i = 0; i < len; i += 29) {
    bytes[i] ^= 0x55;
    assert_true(g_file_set_contents(path, bytes, (gssize)len, NULL));
    kh_diags *d = kh_diags_new();
    kh_csv_free(kh_workbook_read(path, d));
    kh_diags_free(d);
    bytes[i] ^= 0x55;
  }
  g_free(path);
  g_free(bytes);
  g_free(good);
}

/* Found by fuzz_workbook: a FORMAT record whose text is longer than the
 * record made FreeXL read 128 KB past its buffer. */
static void test_record_longer_than_its_length(void **state) {
  (void)state;
  char *path = data_path("damaged/format-overflow.xls");
  expect(path, NULL, "FILE:1:1: error: 无法作为 .xls 工作簿读取：文件已损坏（记录的长度与内容不符）\n");
  g_free(path);
}

static void test_encrypted_entry(void **state) {
  (void)state;
  char *path = g_build_filename(tmp_dir, "locked.xlsx", NULL);
  zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
  const char *parts[] = {"_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml"};
  const char *xml[] = {ROOT_RELS, WORKBOOK_RELS, ONE_SHEET};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(zipOpenNewFileInZip3(z, parts[i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                                          Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, DEF_MEM_LEVEL,
                                          Z_DEFAULT_STRATEGY, i == 2 ? "secret" : NULL, 0),
                     ZIP_OK);
    zipWriteInFileInZip(z, xml[i], (unsigned)strlen(xml[i]));
    zipCloseFileInZip(z);
  }
  zipClose(z, NULL);
  expect(path, NULL, "FILE:1:1: error: 工作簿已加密，无法读取：请在 Excel 或 WPS 中取消密码后另存\n");
  g_free(path);
}

/* Office's password protection: the package, encrypted, inside an OLE file
 * beside an EncryptionInfo stream. */
static void test_encrypted_package(void **state) {
  (void)state;
  GsfOutput *mem = gsf_output_memory_new();
  GsfOutfile *ole = gsf_outfile_msole_new(mem);
  const char *streams[] = {"EncryptionInfo", "EncryptedPackage"};
  for (int i = 0; i < 2; i++) {
    GsfOutput *s = gsf_outfile_new_child(ole, streams[i], FALSE);
    gsf_output_write(s, 8, (const guint8 *)"\4\0\4\0\0\0\0\0");
    gsf_output_close(s);
    g_object_unref(s);
  }
  gsf_output_close(GSF_OUTPUT(ole));
  g_object_unref(ole);
  char *path = g_build_filename(tmp_dir, "password.xlsx", NULL);
  const guint8 *bytes = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem));
  assert_true(g_file_set_contents(path, (const char *)bytes,
                                  (gssize)gsf_output_size(mem), NULL));
  g_object_unref(mem);
  expect(path, NULL,
         "FILE:1:1: error: 工作簿设有打开密码（已加密），无法读取：请在 Excel 或 WPS "
         "中取消密码后另存为 .xlsx\n");
  g_free(path);
}

/* A part that unpacks past the limit (65 MB of one repeated row) is refused
 * while it is read, whatever the zip's directory says. */
static void test_zip_bomb(void **state) {
  (void)state;
  char *path = g_build_filename(tmp_dir, "bomb.xlsx", NULL);
  zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
  const char *names[] = {"_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml"};
  const char *xml[] = {ROOT_RELS, WORKBOOK_RELS, ONE_SHEET};
  for (int i = 0; i < 3; i++) {
    zipOpenNewFileInZip(z, names[i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1);
    zipWriteInFileInZip(z, xml[i], (unsigned)strlen(xml[i]));
    zipCloseFileInZip(z);
  }
  zipOpenNewFileInZip(z, "xl/worksheets/sheet1.xml", NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1);
  const char *head = "<worksheet " NS "><sheetData>";
  zipWriteInFileInZip(z, head, (unsigned)strlen(head));
  char *block = g_strnfill(1 << 20, ' ');
  for (int i = 0; i < 65; i++)
    zipWriteInFileInZip(z, block, 1 << 20);
  g_free(block);
  zipCloseFileInZip(z);
  zipClose(z, NULL);
  expect(path, NULL,
         "FILE:1:1: error: 工作簿中的“xl/worksheets/sheet1.xml”解压后超过 64 MB 的上限，未读取\n");
  g_free(path);
}

/* ---- helpers ---------------------------------------------------------------------- */

static void test_number_text(void **state) {
  (void)state;
  const struct {
    double v;
    const char *text;
  } cases[] = {{0, "0"},          {-0.0, "0"},   {0.84709999999999996, "0.8471"},
               {0.1 + 0.2, "0.3"}, {1e-7, "0.0000001"}, {123456789012345678.0, "123456789012346000"},
               {-3.5, "-3.5"},     {146090, "146090"}, {1e15, "1000000000000000"},
               {2.5e-15, "0.0000000000000025"}};
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *s = kh_sheet_number_text(cases[i].v);
    assert_string_equal(s, cases[i].text);
    g_free(s);
  }
}

static void test_number_formats(void **state) {
  (void)state;
  assert_int_equal(kh_numfmt_classify(0, NULL), KH_NUMFMT_PLAIN);
  assert_int_equal(kh_numfmt_classify(10, NULL), KH_NUMFMT_PERCENT);
  assert_int_equal(kh_numfmt_classify(14, NULL), KH_NUMFMT_DATE);
  assert_int_equal(kh_numfmt_classify(31, NULL), KH_NUMFMT_DATE); /* yyyy"年"m"月"d"日" */
  assert_int_equal(kh_numfmt_classify(164, "#,##0.00_);[Red](#,##0.00)"), KH_NUMFMT_PLAIN);
  assert_int_equal(kh_numfmt_classify(164, "0.0\"days\""), KH_NUMFMT_PLAIN);
  assert_int_equal(kh_numfmt_classify(164, "[$-804]yyyy/m/d"), KH_NUMFMT_DATE);
  assert_int_equal(kh_numfmt_classify(164, "[h]:mm"), KH_NUMFMT_DATE);
  assert_int_equal(kh_numfmt_classify(164, "0.0%"), KH_NUMFMT_PERCENT);
  assert_int_equal(kh_numfmt_classify(164, "0.0\"%\""), KH_NUMFMT_PLAIN);
  assert_int_equal(kh_numfmt_classify(164, "General"), KH_NUMFMT_PLAIN);
}

static void test_cell_names_and_lock_files(void **state) {
  (void)state;
  char *m = kh_sheet_cell_message("Sheet1", 5, 7, "x");
  assert_string_equal(m, "Sheet1!G5 x");
  g_free(m);
  m = kh_sheet_cell_message("数据", 1, 28, "x");
  assert_string_equal(m, "数据!AB1 x");
  g_free(m);
  m = kh_sheet_cell_message("O'Neil 表", 1, 702, "x");
  assert_string_equal(m, "'O''Neil 表'!ZZ1 x");
  g_free(m);
  assert_true(kh_is_office_lock_file("~$2013-07.xlsx"));
  assert_true(kh_is_office_lock_file(".~lock.2013-07.xlsx#"));
  assert_false(kh_is_office_lock_file("2013-07.xlsx"));
  assert_true(kh_is_workbook_name("2013-07.XLSX"));
  assert_true(kh_is_workbook_name("2013-07.xls"));
  assert_false(kh_is_workbook_name("2013-07.csv"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_real_writers_read_like_the_csv),
      cmocka_unit_test(test_formula_boolean_error_cells),
      cmocka_unit_test(test_full_calc_on_load_is_an_error),
      cmocka_unit_test(test_excel95_is_refused),
      cmocka_unit_test(test_strings_sparse_cells_and_no_refs),
      cmocka_unit_test(test_prefixed_xml_and_hidden_sheets),
      cmocka_unit_test(test_cell_types),
      cmocka_unit_test(test_cell_twice_and_limits),
      cmocka_unit_test(test_no_visible_sheet),
      cmocka_unit_test(test_broken_xml),
      cmocka_unit_test(test_missing_part),
      cmocka_unit_test(test_truncated_and_foreign_files),
      cmocka_unit_test(test_damaged_xls),
      cmocka_unit_test(test_record_longer_than_its_length),
      cmocka_unit_test(test_encrypted_entry),
      cmocka_unit_test(test_encrypted_package),
      cmocka_unit_test(test_zip_bomb),
      cmocka_unit_test(test_number_text),
      cmocka_unit_test(test_number_formats),
      cmocka_unit_test(test_cell_names_and_lock_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
