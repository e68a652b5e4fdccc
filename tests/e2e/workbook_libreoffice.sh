#!/usr/bin/env bash
# LibreOffice itself, not only the workbooks it wrote once
# (tests/data/workbooks/): two sample months opened from CSV (the township
# column as text) and saved as .xlsx and .xls by the LibreOffice installed
# here, read in place of their CSV beside the other months' CSV, score
# byte-identically (docs/reference/spreadsheet-inputs.md).
# Without LibreOffice it skips, except under CI=true where it fails.
source "$(dirname "$0")/lib/common.bash"
office=$(command -v libreoffice || command -v soffice || true)
if [ -z "$office" ]; then
  [ "${CI:-}" = true ] && fail "LibreOffice is missing (libreoffice-calc-nogui)"
  skip "LibreOffice is missing"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
for format in xlsx xls; do
  ds=$work/$format
  mkdir -p "$ds/monthly"
  cp "$sample/rules.ini" "$sample/townships.csv" "$ds/"
  cp "$sample"/monthly/*.csv "$ds/monthly/"
  rm "$ds/monthly/2013-06.csv" "$ds/monthly/2013-07.csv"
  HOME="$work/home" timeout 300 "$office" "-env:UserInstallation=file://$work/home/lo" --headless \
    --infilter=CSV:44,34,76,1,1/2 --convert-to "$format" --outdir "$ds/monthly" \
    "$sample/monthly/2013-06.csv" "$sample/monthly/2013-07.csv" >"$work/lo.log" 2>&1 || true
  for m in 06 07; do
    [ -s "$ds/monthly/2013-$m.$format" ] || { cat "$work/lo.log"; fail "LibreOffice wrote no 2013-$m.$format"; }
    "$KAOHE" score "$sample" --month 2013-$m --format json >"$work/csv.json"
    "$KAOHE" score "$ds" --month 2013-$m --format json >"$work/$format.json" 2>"$work/err" ||
      { cat "$work/err"; fail "2013-$m.$format: score failed"; }
    cmp -s "$work/csv.json" "$work/$format.json" || fail "2013-$m.$format scores differently from the CSV"
  done
done
echo "ok: 2013-06 and 2013-07 saved by LibreOffice as .xlsx and .xls score like the CSV"
