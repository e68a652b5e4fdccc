#!/usr/bin/env bash
# kaohe import (docs/reference/forms.md), the round trip: September's forms made by
# `kaohe forms`, filled in with the sample's figures (openpyxl), opened and
# saved again by LibreOffice as a township's office suite would, imported
# into a dataset without September: the month file scores exactly like the
# sample's CSV, and importing the same files again changes nothing. Then
# the refusals: another month's form, a township already there with other
# values (and --replace, which lists them and keeps the old file in
# monthly/备份/, where check does not look), a plain CSV imported, and the
# audits: an error refuses its file (located), a warning is shown.
source "$(dirname "$0")/lib/common.bash"
py=/usr/bin/python3
"$py" -c 'import openpyxl' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "$py cannot import openpyxl (python3-openpyxl)"
  skip "openpyxl is missing"
}
office=$(command -v libreoffice || command -v soffice || true)
if [ -z "$office" ]; then
  [ "${CI:-}" = true ] && fail "LibreOffice is missing (libreoffice-calc-nogui)"
  skip "LibreOffice is missing"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1375000000
ds=$work/ds
cp -r "$sample" "$ds"
rm -f "$ds/发文登记.csv" "$ds/monthly/2013-09.csv"

"$KAOHE" forms "$ds" 2013-09 -o "$work/forms" >/dev/null
"$py" - "$work/forms" "$sample/monthly/2013-09.csv" <<'PYEOF'
import csv, glob, sys, openpyxl
folder, september = sys.argv[1:]
rows = list(csv.reader(open(september, encoding="utf-8-sig")))
for path in sorted(glob.glob(f"{folder}/填报表_*.xlsx")):
    wb = openpyxl.load_workbook(path)
    meta, form = wb["kaohe"], wb["填报表"]
    code = meta["B5"].value
    values = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == code)))
    for r in range(8, meta.max_row + 1):
        field, place = meta.cell(r, 1).value, meta.cell(r, 2).value
        if values[field] != "":
            form.cell(place, 4).value = float(values[field].replace(",", ""))
    wb.save(path)
PYEOF
mkdir -p "$work/home" "$work/returned"
HOME="$work/home" timeout 300 "$office" "-env:UserInstallation=file://$work/home/lo" --headless \
  --convert-to xlsx --outdir "$work/returned" "$work/forms"/填报表_*.xlsx >"$work/lo.log" 2>&1 || true
[ "$(ls "$work/returned" | wc -l)" -eq 14 ] || { cat "$work/lo.log"; fail "LibreOffice did not save 14 forms"; }
# a township renames the file it returns: the form is known all the same
mv "$work/returned/填报表_2013-09_01_城关镇.xlsx" "$work/returned/城关镇九月.xlsx"

"$KAOHE" import "$ds" 2013-09 "$work/returned"/*.xlsx >"$work/out" 2>"$work/err" ||
  { cat "$work/out" "$work/err"; fail "import of the returned forms failed"; }
grep -q '全部 14 个乡镇均已报送' "$work/out" || fail "import did not say all townships reported: $(cat "$work/out")"
"$KAOHE" score "$sample" --month 2013-09 --format json >"$work/csv.json"
"$KAOHE" score "$ds" --month 2013-09 --format json >"$work/imported.json"
cmp -s "$work/csv.json" "$work/imported.json" || fail "the imported month scores differently from the CSV"
head -c 3 "$ds/monthly/2013-09.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM"
grep -q $'\r$' "$ds/monthly/2013-09.csv" || fail "no CRLF"
sum=$(sha256sum "$ds/monthly/2013-09.csv")
"$KAOHE" import "$ds" 2013-09 "$work/returned"/*.xlsx >"$work/out" 2>&1 || fail "importing again failed"
grep -q '没有变化' "$work/out" || fail "importing again: $(cat "$work/out")"
[ "$(sha256sum "$ds/monthly/2013-09.csv")" = "$sum" ] || fail "importing again changed the file"
[ ! -e "$ds/monthly/备份" ] || fail "importing again made a backup"

# another month's form
"$KAOHE" forms "$ds" 2013-08 -o "$work/august" >/dev/null
set +e
"$KAOHE" import "$ds" 2013-09 "$work/august/填报表_2013-08_02_新集镇.xlsx" >"$work/out" 2>"$work/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "another month's form: exit $status"
grep -q '这是 2013-08 的填报表，不是 2013-09 的' "$work/err" || fail "another month's form: $(cat "$work/err")"

# a township already there with another value; then --replace
"$py" - "$work/returned/填报表_2013-09_03_石桥镇.xlsx" "$work/changed.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["填报表"].cell(4, 4).value = 99
wb.save(sys.argv[2])
PYEOF
set +e
"$KAOHE" import "$ds" 2013-09 "$work/changed.xlsx" >"$work/out" 2>"$work/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a changed value without --replace: exit $status"
grep -q '石桥镇“出生男婴数”：.* → 99' "$work/err" || fail "the change is not named: $(cat "$work/err")"
[ "$(sha256sum "$ds/monthly/2013-09.csv")" = "$sum" ] || fail "a refused file changed the month"
"$KAOHE" import "$ds" 2013-09 "$work/changed.xlsx" --replace >"$work/out" 2>&1 || fail "--replace failed: $(cat "$work/out")"
grep -q '石桥镇“出生男婴数”：.* → 99' "$work/out" || fail "--replace does not list the change"
[ "$(ls "$ds/monthly/备份" | wc -l)" -eq 1 ] || fail "the replaced file is not in monthly/备份/"
"$KAOHE" check "$ds" >"$work/out" 2>&1 || true
if grep -q '备份' "$work/out"; then fail "check looks into monthly/备份/: $(cat "$work/out")"; fi

# a plain CSV, and the townships still missing
rm "$ds/monthly/2013-09.csv"
head -n 4 "$sample/monthly/2013-09.csv" >"$work/three.csv"
"$KAOHE" import "$ds" 2013-09 "$work/three.csv" >"$work/out" 2>&1 || fail "a CSV import failed: $(cat "$work/out")"
grep -q '未报（11 个乡镇）：河口镇、' "$work/out" || fail "the missing townships are not named: $(cat "$work/out")"

# The audits, as check runs them (docs/reference/audits.md): an error-level
# one refuses its file with the located message, the other files are
# imported; a warning-level one is shown and the file imported.
"$py" - "$work/returned/填报表_2013-09_03_石桥镇.xlsx" "$work/audit_form.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["填报表"].cell(9, 4).value = 99999999  # id_entered, more than db_records
wb.save(sys.argv[2])
PYEOF
sed -n '1p;6p' "$sample/monthly/2013-09.csv" >"$work/five.csv"
"$py" - "$work/five.csv" "$work/audit.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
number = lambda text: int(text.replace(",", ""))
rows[1][7] = str(number(rows[1][6]) + 1)  # id_duplicates, more than id_entered
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PYEOF
cat >>"$ds/rules.ini" <<'INI'

[audit.births_male_few]
rule    = births_male <= 40
message = 出生男婴数一般不超过四十
level   = warning
INI
sed -n '1p;2p' "$sample/monthly/2013-09.csv" >"$work/one.csv"
set +e
"$KAOHE" import "$ds" 2013-09 "$work/audit_form.xlsx" "$work/audit.csv" "$work/one.csv" \
  >"$work/out" 2>"$work/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "files failing an audit: exit $status"
grep -q 'audit_form.xlsx:9:4: error: 填报表!D9 石桥镇：已录入身份证号码人数（99,999,999）不能多于人口数据库记录数（.*）［审核 id_entered_within_records］' "$work/err" ||
  fail "the form's audit is not located: $(cat "$work/err")"
grep -q 'audit.csv:2:.*: error: H2 .*：身份证号码重复数（.*）不能多于已录入身份证号码人数（.*）［审核 id_duplicates_within_entered］' "$work/err" ||
  fail "the CSV's audit is not located: $(cat "$work/err")"
grep -q 'one.csv:2:.*: warning: B2 城关镇：出生男婴数一般不超过四十（出生男婴数 为 51，40 为 40）［审核 births_male_few］' "$work/err" ||
  fail "the warning is not shown: $(cat "$work/err")"
grep -q 'audit_form.xlsx: 有错误，未导入' "$work/err" || fail "the form failing an audit was imported"
grep -q 'audit.csv: 有错误，未导入' "$work/err" || fail "the CSV failing an audit was imported"
grep -q 'one.csv：1 个乡镇' "$work/out" || fail "the file with a warning was not imported: $(cat "$work/out")"
grep -q '未报（11 个乡镇）' "$work/out" || fail "a refused file's township was counted: $(cat "$work/out")"
echo "ok: forms -> filled -> LibreOffice -> import scores like the CSV; again changes nothing; refusals; --replace; CSV; audits"
