#!/usr/bin/env bash
# kaohe forms (docs/reference/forms.md): a fill-in workbook per township and the county's
# collection workbook. Checked with openpyxl: the form sheet first and
# visible, the `kaohe` sheet hidden, the custom properties, protection
# without a password, only the value cells unlocked, the data validation
# (a whole number >= 0 for `integer` fields, else a decimal, stop style),
# each field's help and last month's values; the same bytes on
# a second run. Then, with LibreOffice: a form prints on one A4 page, and
# the collection workbook filled with August's figures and saved again by
# LibreOffice, put in monthly/ as 2013-08.xlsx, scores exactly like the CSV.
source "$(dirname "$0")/lib/common.bash"
py=/usr/bin/python3
"$py" -c 'import openpyxl' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "$py cannot import openpyxl (python3-openpyxl)"
  skip "openpyxl is missing"
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1375000000

set +e
"$KAOHE" forms "$sample" >/dev/null 2>&1
[ $? -eq 2 ] || fail "forms without a month: not a usage error"
"$KAOHE" forms "$sample" 2014-01 -o "$work/x" >/dev/null 2>"$work/err"
[ $? -eq 1 ] || fail "forms for another year: not exit 1"
set -e
grep -q '2014-01 不在考评年度 2013 内' "$work/err" || fail "forms for another year: $(cat "$work/err")"

"$KAOHE" forms "$sample" 2013-08 -o "$work/forms" >"$work/out"
grep -q '14 份乡镇填报表和汇总表 汇总表_2013-08.xlsx' "$work/out" || fail "forms said: $(cat "$work/out")"
[ "$(find "$work/forms" -name '填报表_2013-08_*.xlsx' | wc -l)" -eq 14 ] || fail "not 14 township forms"
"$KAOHE" forms "$sample" 2013-08 -o "$work/again" >/dev/null
diff -r "$work/forms" "$work/again" >/dev/null || fail "a second run wrote other bytes"

"$py" - "$work/forms" "$sample/monthly/2013-07.csv" <<'PYEOF' || fail "the forms are not as §8.1 says"
import csv, sys, zipfile, openpyxl
folder, july = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(july, encoding="utf-8-sig")))
july01 = dict(zip(rows[0], rows[1]))
path = f"{folder}/填报表_2013-08_01_城关镇.xlsx"
wb = openpyxl.load_workbook(path)
assert wb.sheetnames == ["填报表", "kaohe"], wb.sheetnames
form, meta = wb["填报表"], wb["kaohe"]
assert form.sheet_state == "visible" and meta.sheet_state == "hidden"
facts = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, 6)}
assert facts == {"kind": "township", "county": "某某县", "year": 2013, "month": "2013-08",
                 "township": "01"}, facts
fields = [meta.cell(r, 1).value for r in range(8, 17)]
assert fields[0] == "births_male" and len(fields) == 9, fields
places = [meta.cell(r, 2).value for r in range(8, 17)]
assert places == list(range(4, 13)), places  # the rows of the form, as Excel counts
custom = zipfile.ZipFile(path).read("docProps/custom.xml").decode()
for text in ("kaohe.township", "<vt:lpwstr>01</vt:lpwstr>", "2013-08", "births_male,births_female"):
    assert text in custom, text
assert form.protection.sheet and not form.protection.password
for r in range(4, 13):
    assert form.cell(r, 4).protection.locked is False, r     # 本月数
    assert form.cell(r, 3).protection.locked is not False, r  # 上月数
    assert form.cell(r, 2).protection.locked is not False, r  # 数据项
    field = fields[r - 4]
    assert form.cell(r, 3).value == int(july01[field].replace(",", "")), (field, form.cell(r, 3).value)
# every sample field is `integer = true`: whole numbers >= 0, stop style
dvs = form.data_validations.dataValidation
assert len(dvs) == 1, dvs
dv = dvs[0]
assert (dv.type, dv.operator, dv.formula1, dv.errorStyle or "stop", str(dv.sqref)) == \
    ("whole", "greaterThanOrEqual", "0", "stop", "D4:D12"), dv  # stop is the default
assert dv.showErrorMessage
# each field's help in column E (填报说明), with 填整数 for whole numbers
assert form.cell(3, 5).value == "填报说明", form.cell(3, 5).value
assert form.cell(4, 5).value == "本月出生的男婴数；填整数", form.cell(4, 5).value
assert form.cell(12, 5).value == "当年1月至本月已兑现的金额（元）；填整数", form.cell(12, 5).value
coll = openpyxl.load_workbook(f"{folder}/汇总表_2013-08.xlsx")
assert coll.sheetnames == ["2013-08", "kaohe"]
sheet = coll["2013-08"]
assert sheet.cell(1, 1).value == "乡镇" and sheet.cell(2, 1).value == "城关镇"
assert sheet.protection.sheet and sheet.cell(2, 2).protection.locked is False
assert str(sheet.data_validations.dataValidation[0].sqref) == "B2:J15"
PYEOF

# A field without `integer` and without `help` (fee_paid, the last) takes
# decimals and has no help: one validation per run of fields of a kind.
mixed=$work/mixed
cp -r "$sample" "$mixed"
"$py" - "$mixed/rules.ini" <<'PYEOF'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
head, rest = text.split("[field.fee_paid]", 1)
block, tail = rest.split("\n[", 1)
block = re.sub(r"(?m)^(help|integer)\s*=.*\n", "", block)
open(path, "w", encoding="utf-8").write(head + "[field.fee_paid]" + block + "\n[" + tail)
PYEOF
"$KAOHE" forms "$mixed" 2013-08 -o "$work/mixed_forms" >/dev/null
"$py" - "$work/mixed_forms" <<'PYEOF' || fail "integer and decimal fields are not validated apart"
import sys, openpyxl
folder = sys.argv[1]
form = openpyxl.load_workbook(f"{folder}/填报表_2013-08_01_城关镇.xlsx")["填报表"]
got = sorted((dv.type, str(dv.sqref)) for dv in form.data_validations.dataValidation)
assert got == [("decimal", "D12"), ("whole", "D4:D11")], got
assert form.cell(12, 5).value in (None, ""), form.cell(12, 5).value
sheet = openpyxl.load_workbook(f"{folder}/汇总表_2013-08.xlsx")["2013-08"]
got = sorted((dv.type, str(dv.sqref)) for dv in sheet.data_validations.dataValidation)
assert got == [("decimal", "J2:J15"), ("whole", "B2:I15")], got
PYEOF

office=$(command -v libreoffice || command -v soffice || true)
if [ -z "$office" ]; then
  [ "${CI:-}" = true ] && fail "LibreOffice is missing (libreoffice-calc-nogui)"
  echo "SKIP (part): LibreOffice is missing"
  exit 0
fi
lo() { HOME="$work/home" timeout 300 "$office" "-env:UserInstallation=file://$work/home/lo" --headless "$@" >>"$work/lo.log" 2>&1 || true; }
mkdir -p "$work/home" "$work/pdf" "$work/saved"
lo --convert-to pdf --outdir "$work/pdf" "$work/forms/填报表_2013-08_12_黄土岭乡.xlsx"
pages=$(pdfinfo "$work/pdf/填报表_2013-08_12_黄土岭乡.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
[ "$pages" = 1 ] || fail "a form prints on ${pages:-no} pages, not one"

# The collection workbook filled in (openpyxl keeps its validation and
# protection), saved again by LibreOffice, read as the month's file.
"$py" - "$work/forms/汇总表_2013-08.xlsx" "$sample/monthly/2013-08.csv" "$sample/townships.csv" \
  "$work/filled.xlsx" <<'PYEOF'
import csv, sys, openpyxl
book, august, registry, out = sys.argv[1:]
names = {r["code"]: r["name"] for r in csv.DictReader(open(registry, encoding="utf-8-sig"))}
rows = list(csv.reader(open(august, encoding="utf-8-sig")))
wb = openpyxl.load_workbook(book)
sheet = wb["2013-08"]
ids = [c.value for c in wb["kaohe"]["A"][7:]]
where = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
for row in rows[1:]:
    values = dict(zip(rows[0], row))
    r = where[names[values["township"]]]
    for c, field in enumerate(ids, start=2):
        if values[field] != "":
            sheet.cell(r, c).value = float(values[field].replace(",", ""))
wb.save(out)
PYEOF
lo --convert-to xlsx --outdir "$work/saved" "$work/filled.xlsx"
[ -s "$work/saved/filled.xlsx" ] || { cat "$work/lo.log"; fail "LibreOffice did not save the collection"; }
ds=$work/ds
cp -r "$sample" "$ds"
rm -f "$ds/发文登记.csv" "$ds/monthly/2013-08.csv"
cp "$work/saved/filled.xlsx" "$ds/monthly/2013-08.xlsx"
"$KAOHE" score "$sample" --month 2013-08 --format json >"$work/csv.json"
"$KAOHE" score "$ds" --month 2013-08 --format json >"$work/xlsx.json" 2>"$work/err" ||
  { cat "$work/err"; fail "the filled collection workbook does not score"; }
cmp -s "$work/csv.json" "$work/xlsx.json" || fail "the filled collection scores differently from the CSV"
echo "ok: 14 forms and the collection as §8.1 says; one page; the collection filled and saved by LibreOffice scores like the CSV"
