#!/usr/bin/env bash
# The Excel scoreboards of the sample county (docs/reference/outputs.md, §8): `kaohe month`
# twice under one SOURCE_DATE_EPOCH must give byte-identical workbooks;
# every workbook read back with openpyxl must carry the numbers of
# `kaohe score --format json`, number formats, conditional formats, frozen
# panes and print titles (xlsx_check.py); LibreOffice must open the county
# workbook and a township's and print the Chinese township names; a county
# workbook of 12 indicators prints no text below 8 pt (columns broken over
# pages instead). The quarter workbook is checked too once `kaohe quarter`
# exists.
# Skips (77) while `kaohe month` or the sample is missing; without
# LibreOffice it skips that part, except under CI=true where it fails.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
here="$KAOHE_SOURCE_DIR/tests/e2e"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
py=/usr/bin/python3

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ -f "$sample/rules.ini" ] && [ -d "$sample/monthly" ] || skip "the sample county $sample is absent"
[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"
"$KAOHE" month --help >/dev/null 2>&1 || fail "'kaohe month --help' does not run: the program does not start"
"$py" -c 'import openpyxl' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "$py cannot import openpyxl (python3-openpyxl)"
  skip "$py cannot import openpyxl (install python3-openpyxl)"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$tmp/sample" && rm -f "$tmp/sample/发文登记.csv" && sample="$tmp/sample"
export SOURCE_DATE_EPOCH=1378339200 # 2013-09-05 00:00:00 UTC

"$KAOHE" month "$sample" 2013-07 -o "$tmp/a" --jobs 4 2>"$tmp/a.err" ||
  { cat "$tmp/a.err"; fail "kaohe month failed"; }
"$KAOHE" month "$sample" 2013-07 -o "$tmp/b" --jobs 1 2>"$tmp/b.err" ||
  { cat "$tmp/b.err"; fail "kaohe month failed the second time"; }
"$KAOHE" score "$sample" --month 2013-07 --format json >"$tmp/scores.json"

# Exactly one county workbook at the top, the townships' in one sub-folder.
mapfile -t county < <(find "$tmp/a" -maxdepth 1 -name '*.xlsx')
[ "${#county[@]}" -eq 1 ] || fail "expected one county workbook in $tmp/a, found ${#county[@]}"
mapfile -t folders < <(find "$tmp/a" -mindepth 2 -maxdepth 2 -name '*.xlsx' -printf '%h\n' | sort -u)
[ "${#folders[@]}" -eq 1 ] || fail "expected the township workbooks in one sub-folder, found ${#folders[@]}"
townships="${folders[0]}"

# Byte-identical under one SOURCE_DATE_EPOCH, whatever the number of jobs.
n=0
while IFS= read -r -d '' f; do
  rel="${f#"$tmp/a/"}"
  cmp -s "$f" "$tmp/b/$rel" || fail "$rel differs between two runs under one SOURCE_DATE_EPOCH"
  n=$((n + 1))
done < <(find "$tmp/a" -name '*.xlsx' -print0)
echo "ok: $n workbooks byte-identical across two runs"

"$py" "$here/xlsx_check.py" --scores "$tmp/scores.json" --rules "$sample/rules.ini" \
  --created "$SOURCE_DATE_EPOCH" --county "${county[0]}" --townships "$townships" ||
  fail "workbooks differ from the score JSON"

# The quarter's workbook, once `kaohe quarter` exists.
if "$KAOHE" quarter --help >/dev/null 2>&1; then
  "$KAOHE" quarter "$sample" 2013Q3 -o "$tmp/q" 2>"$tmp/q.err" ||
    { cat "$tmp/q.err"; fail "kaohe quarter failed"; }
  "$KAOHE" score "$sample" --quarter 2013Q3 --format json >"$tmp/quarter.json"
  mapfile -t qbook < <(find "$tmp/q" -maxdepth 1 -name '*.xlsx')
  [ "${#qbook[@]}" -eq 1 ] || fail "expected one quarter workbook in $tmp/q, found ${#qbook[@]}"
  "$py" "$here/xlsx_check.py" --quarter-scores "$tmp/quarter.json" --quarter "${qbook[0]}" \
    --rules "$sample/rules.ini" \
    --created "$SOURCE_DATE_EPOCH" || fail "the quarter workbook differs from the score JSON"
else
  echo "note: 'kaohe quarter' is not a command yet; quarter workbook not checked"
fi

# LibreOffice opens them as a user's office suite would and prints the names.
office=$(command -v libreoffice || command -v soffice || true)
if [ -z "$office" ]; then
  [ "${CI:-}" = true ] && fail "LibreOffice is missing (libreoffice-calc-nogui)"
  echo "SKIP (part): LibreOffice is missing; workbooks not converted to PDF"
  exit 0
fi
command -v pdftotext >/dev/null || fail "pdftotext (poppler-utils) is missing"
command -v mutool >/dev/null || fail "mutool (mupdf-tools) is missing"
first=$(find "$townships" -name '*.xlsx' | sort | head -n 1)
# a county of 12 indicators (bench/gen_bench.py), too wide to fit a page at 8 pt
"$py" "$KAOHE_SOURCE_DIR/bench/gen_bench.py" --townships 30 --months 3 "$tmp/wide" >/dev/null
"$KAOHE" month "$tmp/wide" 2013-03 -o "$tmp/wide-out" --date 2013-04-05 2>/dev/null ||
  fail "kaohe month on the 12-indicator county"
cp "$tmp"/wide-out/考评得分汇总_2013-03.xlsx "$tmp/wide.xlsx"
mkdir -p "$tmp/home" "$tmp/pdf"
HOME="$tmp/home" timeout 300 "$office" "-env:UserInstallation=file://$tmp/home/lo" --headless \
  --convert-to pdf --outdir "$tmp/pdf" "${county[0]}" "$first" "$tmp/wide.xlsx" >"$tmp/lo.log" 2>&1 || true
# no text below 8 pt on paper (docs/reference/outputs.md): the 12-indicator county's workbook
# prints its columns over pages with rank, code and township repeated
[ -s "$tmp/pdf/wide.pdf" ] || { cat "$tmp/lo.log"; fail "LibreOffice made no PDF of the wide county"; }
mutool draw -q -F stext -o "$tmp/wide.stext" "$tmp/pdf/wide.pdf" 2>/dev/null
"$py" - "$tmp/wide.stext" <<'EOF' || fail "the 12-indicator county workbook prints text below 8 pt"
import re, sys
sizes = [float(s) for s in re.findall(r'<font name="[^"]*" size="([0-9.]+)"', open(sys.argv[1], encoding="utf-8").read())]
assert sizes, "no text"
assert min(sizes) >= 8, f"text at {min(sizes):.2f} pt"
print(f"ok: the 12-indicator county workbook prints at {min(sizes):.2f} pt and more")
EOF
county_pdf="$tmp/pdf/$(basename "${county[0]}" .xlsx).pdf"
first_pdf="$tmp/pdf/$(basename "$first" .xlsx).pdf"
[ -s "$county_pdf" ] && [ -s "$first_pdf" ] || { cat "$tmp/lo.log"; fail "LibreOffice made no PDF"; }
pdftotext -enc UTF-8 "$county_pdf" "$tmp/county.txt"
pdftotext -enc UTF-8 "$first_pdf" "$tmp/first.txt"
# Names may be broken over lines in the PDF text: compare without blanks.
tr -d ' \n' <"$tmp/county.txt" >"$tmp/county.flat"
tr -d ' \n' <"$tmp/first.txt" >"$tmp/first.flat"
"$py" - "$tmp/scores.json" "$tmp/county.flat" "$tmp/first.flat" "$(basename "$first")" <<'EOF' || fail "the PDFs lack township names"
import json, sys
scores = json.load(open(sys.argv[1], encoding="utf-8"))
county = open(sys.argv[2], encoding="utf-8").read()
first = open(sys.argv[3], encoding="utf-8").read()
missing = [t["name"] for t in scores["townships"] if t["name"].replace(" ", "") not in county]
if missing:
    print("county PDF lacks:", " ".join(missing))
    sys.exit(1)
mine = [t["name"] for t in scores["townships"] if f"_{t['code']}_" in sys.argv[4]]
if not mine or mine[0] not in first:
    print("township PDF lacks its name:", mine)
    sys.exit(1)
print(f"ok: the county PDF names all {len(scores['townships'])} townships; {mine[0]}'s PDF names it")
EOF
echo "ok: xlsx_sample"
