#!/usr/bin/env bash
# Encodings that Excel and WPS write (docs/reference/dataset.md): a copy of the sample county
# with townships.csv, rules.ini and one monthly file converted to GB18030,
# and another monthly file saved as UTF-8 with BOM and CRLF line ends, must
# check clean (exit 0, no diagnostic), and score July exactly as the
# original does.
set -eu
: "${KAOHE:?path of the kaohe program}" "${KAOHE_SOURCE_DIR:?}"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
[ -d "$sample" ] || { echo "no sample county: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

copy="$work/county"
cp -r "$sample" "$copy"
for f in townships.csv rules.ini monthly/2013-05.csv; do
  iconv -f UTF-8 -t GB18030 "$sample/$f" >"$copy/$f"
done
{ printf '\xEF\xBB\xBF'; sed 's/\r$//; s/$/\r/' "$sample/monthly/2013-07.csv"; } >"$copy/monthly/2013-07.csv"
if iconv -f UTF-8 -t UTF-8 "$copy/townships.csv" >/dev/null 2>&1; then
  echo "FAIL: the GB18030 copy of townships.csv is still valid UTF-8"
  exit 1
fi
head -c 3 "$copy/monthly/2013-07.csv" | cmp -s - <(printf '\xEF\xBB\xBF') || { echo "FAIL: no BOM"; exit 1; }

status=0
"$KAOHE" check "$copy" >"$work/out" 2>"$work/err" || status=$?
if [ "$status" -ne 0 ] || [ -s "$work/err" ]; then
  echo "FAIL: kaohe check exited $status on the converted copy:"
  cat "$work/err"
  exit 1
fi
cat "$work/out"

# The same numbers from both copies, when `kaohe score` is there to say so.
if "$KAOHE" score --help >/dev/null 2>&1; then
  "$KAOHE" score "$sample" --month 2013-07 --format json >"$work/original.json"
  "$KAOHE" score "$copy" --month 2013-07 --format json >"$work/converted.json"
  diff -u "$work/original.json" "$work/converted.json"
  echo "score: identical"
fi
echo "check_encodings: 1 passed, 0 failed"
