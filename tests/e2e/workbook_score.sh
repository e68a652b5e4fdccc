#!/usr/bin/env bash
# Workbooks in place of CSV files (docs/reference/spreadsheet-inputs.md), end to end: each sample month
# as written by LibreOffice (.xlsx, .xls), Gnumeric (.xlsx, .xls), openpyxl
# and exceljs (tests/data/workbooks/months/) scores byte-identically
# (`score --format json`) to its CSV, and `check` says the same; the
# registry as a workbook; two files for one month are an error naming
# both; office lock files are passed over without a word.
source "$(dirname "$0")/lib/common.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixtures=$KAOHE_SOURCE_DIR/tests/data/workbooks/months

# The CSV's scores, once.
for m in 01 02 03 04 05 06 07 08 09; do
  "$KAOHE" score "$sample" --month 2013-$m --format json >"$work/csv-$m.json"
done
"$KAOHE" check "$sample" >"$work/csv-check.out" 2>&1

for writer in libreoffice-xlsx libreoffice-xls gnumeric-xlsx gnumeric-xls openpyxl exceljs; do
  ds=$work/$writer
  mkdir -p "$ds/monthly"
  cp "$sample/rules.ini" "$sample/townships.csv" "$ds/"
  cp "$fixtures/$writer"/* "$ds/monthly/"
  for m in 01 02 03 04 05 06 07 08 09; do
    "$KAOHE" score "$ds" --month 2013-$m --format json >"$work/$writer-$m.json" 2>"$work/err" ||
      { cat "$work/err"; fail "$writer 2013-$m: score failed"; }
    cmp -s "$work/csv-$m.json" "$work/$writer-$m.json" ||
      fail "$writer 2013-$m: the scores differ from the CSV's"
  done
  "$KAOHE" check "$ds" >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "$writer: check failed"; }
  # check names the dataset folder on its last line; the rest is the same
  diff <(sed "s|$sample|DS|g" "$work/csv-check.out") <(sed "s|$ds|DS|g" "$work/check.out") ||
    fail "$writer: check says something else than for the CSV"
done

# The registry as a workbook (written by openpyxl from townships.csv).
ds=$work/registry
cp -r "$sample" "$ds"
rm -f "$ds/发文登记.csv"
/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/data/workbooks/write_openpyxl.py" \
  "$ds/townships.csv" "$ds/townships.xlsx"
mv "$ds/townships.csv" "$work/townships.csv"
"$KAOHE" score "$ds" --month 2013-07 --format json >"$work/registry.json"
cmp -s "$work/csv-07.json" "$work/registry.json" || fail "townships.xlsx scores differently"

# Two files for one month, and one for the registry; lock files.
cp "$fixtures/openpyxl/2013-07.xlsx" "$ds/monthly/"
cp "$work/townships.csv" "$ds/"
touch "$ds/monthly/~\$2013-08.xlsx" "$ds/monthly/.~lock.2013-08.xlsx#"
set +e
"$KAOHE" check "$ds" >"$work/out" 2>"$work/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "two files for one month: check exited $status"
grep -qF "$ds/monthly/2013-07.xlsx:1:1: error: 同一个月有两个文件：2013-07.csv 和 2013-07.xlsx，只能留一个" "$work/err" ||
  { cat "$work/err"; fail "two files for one month: no error naming both"; }
grep -qF "$ds/townships.xlsx:1:1: error: “townships.xlsx”与“townships.csv”是同一份数据的两个文件" "$work/err" ||
  { cat "$work/err"; fail "two registries: no error naming both"; }
if grep -q 'lock\|~\$' "$work/err"; then
  cat "$work/err"
  fail "a lock file was mentioned"
fi
echo "ok: 6 writers x 9 months score like the CSV; townships.xlsx; two files for one month; lock files"
