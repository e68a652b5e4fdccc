#!/usr/bin/env bash
# Regenerates the workbooks of tests/data/workbooks/ with the real writers
# (docs/reference/spreadsheet-inputs.md, issue 17): the sample county's months written by LibreOffice
# (.xlsx and .xls, from the CSV as a user opens and saves it, the township
# column imported as text), Gnumeric's ssconvert (.xlsx and .xls), openpyxl
# and exceljs; and cells/, the other cell types (formulas with and without
# results, booleans, errors, dates, percentages, a hidden first sheet).
# The tests read the files checked in, so CI needs none of these writers;
# tests/e2e/workbook_libreoffice.sh still runs LibreOffice itself.
#
#   bash scripts/make-workbook-fixtures.sh
#
# Needs libreoffice-calc-nogui, gnumeric, python3-openpyxl and npm
# (scripts/install-exceljs.sh installs exceljs from its lock file).
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/data/workbooks
months=samples/county-2013/monthly
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -d $out/exceljs/node_modules ] || bash scripts/install-exceljs.sh

soffice_convert() { # FORMAT OUTDIR FILE... (LibreOffice exits 0 even when it fails)
  local format=$1 dir=$2
  shift 2
  soffice -env:UserInstallation=file://$tmp/profile --headless \
    --infilter=CSV:44,34,76,1,1/2 --convert-to "$format" --outdir "$dir" "$@" >/dev/null 2>&1
}

rm -rf $out/months $out/cells
mkdir -p $out/months/{libreoffice-xlsx,libreoffice-xls,gnumeric-xlsx,gnumeric-xls,openpyxl,exceljs} \
  $out/cells
soffice_convert xlsx $out/months/libreoffice-xlsx $months/*.csv
soffice_convert xls $out/months/libreoffice-xls $months/*.csv
for csv in $months/*.csv; do
  name=$(basename "$csv" .csv)
  /usr/bin/python3 $out/write_openpyxl.py "$csv" $out/months/openpyxl/$name.xlsx
  (cd $out/exceljs && node write.js "../../../../$csv" "../months/exceljs/$name.xlsx")
  ssconvert -T Gnumeric_Excel:xlsx2 $out/months/openpyxl/$name.xlsx \
    $out/months/gnumeric-xlsx/$name.xlsx 2>/dev/null
  ssconvert -T Gnumeric_Excel:excel_biff8 $out/months/openpyxl/$name.xlsx \
    $out/months/gnumeric-xls/$name.xls 2>/dev/null
done

/usr/bin/python3 $out/write_cells.py $out/cells/openpyxl.xlsx
mkdir -p "$tmp/lo"
soffice_convert xls "$tmp/lo" $out/cells/openpyxl.xlsx
soffice_convert xlsx "$tmp/lo" $out/cells/openpyxl.xlsx
mv "$tmp/lo/openpyxl.xls" $out/cells/libreoffice.xls
mv "$tmp/lo/openpyxl.xlsx" $out/cells/libreoffice.xlsx
ssconvert -T Gnumeric_Excel:excel_biff8 $out/cells/libreoffice.xls $out/cells/gnumeric.xls 2>/dev/null
ssconvert -T Gnumeric_Excel:excel_biff7 $out/cells/libreoffice.xls $out/cells/excel95.xls 2>/dev/null

n=$(find $out/months $out/cells -type f | wc -l)
[ "$n" -eq $((9 * 6 + 5)) ] || { echo "expected $((9 * 6 + 5)) workbooks, made $n" >&2; exit 1; }
du -sh $out/months $out/cells
