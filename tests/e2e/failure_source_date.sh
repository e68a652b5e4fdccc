#!/usr/bin/env bash
# Failure injection (issue 8): a SOURCE_DATE_EPOCH that gives no date.
# Negative, not a number, past the year 9999 in China time (which once made
# GLib return no date: criticals, then documents dated 0-0-0 and exit 0),
# or past 2^63: `kaohe month` and `kaohe quarter` must exit 1 naming the
# variable, print no GLib warning, leak nothing (the sanitizer pass) and
# write nothing. The last second of 9999-12-31 in China still works.
source "$(dirname "$0")/lib/common.bash"

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_sample "$tmp"
mkdir "$tmp/run" && cd "$tmp/run"

for epoch in -5 abc 12x 253402300799 99999999999999 99999999999999999999999; do
  for args in "month $sample 2013-07 -o out" "quarter $sample 2013Q3 -o archive/2013Q3"; do
    status=0
    # shellcheck disable=SC2086 # args holds words
    SOURCE_DATE_EPOCH=$epoch "$KAOHE" $args >out.txt 2>err.txt || status=$?
    [ "$status" -eq 1 ] || { cat err.txt; fail "SOURCE_DATE_EPOCH=$epoch kaohe ${args%% *} exited $status, expected 1"; }
    grep -q 'SOURCE_DATE_EPOCH' err.txt || { cat err.txt; fail "SOURCE_DATE_EPOCH=$epoch: the variable is not named"; }
    ! grep -q 'CRITICAL\|WARNING \*\*' err.txt || { cat err.txt; fail "SOURCE_DATE_EPOCH=$epoch: GLib complained"; }
    [ -z "$(ls -A)" ] || [ "$(ls -A)" = "$(printf 'err.txt\nout.txt')" ] ||
      { ls -A; fail "SOURCE_DATE_EPOCH=$epoch kaohe ${args%% *} wrote files"; }
  done
  echo "ok: SOURCE_DATE_EPOCH=$epoch refused, nothing written"
done

SOURCE_DATE_EPOCH=253402271999 "$KAOHE" month "$sample" 2013-07 -o out 2>err.txt || { cat err.txt; fail "the last second of 9999 in China failed"; }
echo "ok: SOURCE_DATE_EPOCH=253402271999 (9999-12-31 23:59:59 in China) works"
