#!/usr/bin/env bash
# --jobs changes how fast documents are made, never what they are (issue 9):
# a generated county of 200 townships (bench/gen_bench.py) rendered by
# `kaohe month` and `kaohe quarter` with --jobs 1, 2 and 3 gives the same
# files, byte for byte, under the same SOURCE_DATE_EPOCH. Not a timing test.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1378339200
py=/usr/bin/python3

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"
[ -x "$py" ] || skip "$py is missing"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$KAOHE_SOURCE_DIR/bench/gen_bench.py" --townships 200 "$tmp/county"

# listing DIR: "size path" of every file under DIR, sorted.
listing() { (cd "$1" && find . -type f -printf '%s %p\n' | LC_ALL=C sort); }

for jobs in 1 2 3; do
  "$KAOHE" month "$tmp/county" 2013-07 -o "$tmp/month-$jobs" --jobs "$jobs" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "kaohe month --jobs $jobs failed"; }
  "$KAOHE" quarter "$tmp/county" 2013Q3 -o "$tmp/quarter-$jobs" --jobs "$jobs" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "kaohe quarter --jobs $jobs failed"; }
done

n=$(find "$tmp/month-1/乡镇" -name '*.xlsx' | wc -l)
[ "$n" -eq 200 ] || fail "expected 200 township workbooks, found $n"
[ -n "$(find "$tmp/month-1" -maxdepth 1 -name '*.pdf')" ] || fail "no notice PDF"
for jobs in 2 3; do
  for what in month quarter; do
    diff <(listing "$tmp/$what-1") <(listing "$tmp/$what-$jobs") >/dev/null ||
      fail "kaohe $what --jobs $jobs wrote other files than --jobs 1"
    diff -r "$tmp/$what-1" "$tmp/$what-$jobs" >/dev/null ||
      fail "kaohe $what --jobs $jobs: $(diff -rq "$tmp/$what-1" "$tmp/$what-$jobs" | head -3)"
  done
  echo "ok: --jobs $jobs gives the same $(listing "$tmp/month-1" | wc -l) month files and" \
    "$(listing "$tmp/quarter-1" | wc -l) quarter files as --jobs 1, byte for byte"
done
