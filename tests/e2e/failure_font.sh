#!/usr/bin/env bash
# Failure injection (issue 8): fonts that cannot be used. A [fonts] entry
# naming a file that does not exist (the man page, docs/kaohe.1.in: an error, exit 1), a file
# that is no font, a face index a collection does not have, and a pipe
# (which must not block the run). `kaohe month` into the folder of an
# earlier run and `kaohe quarter --force` over an earlier archive must exit
# 1 with the error at rules.ini's line, and leave every file that was
# already there byte for byte as it was (sha256 before and after).
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work="$tmp/work"
mkdir -p "$work"
cp -r "$sample" "$work/ds"


# The documents of an earlier, good run.
(cd "$work" && "$KAOHE" month ds 2013-07 -o out/2013-07 && "$KAOHE" quarter ds 2013Q3 -o archive/2013Q3) \
  2>"$tmp/err" || { cat "$tmp/err"; fail "the good runs failed"; }

# set_body ENTRY: rules.ini's [fonts] body = ENTRY (any other body removed).
set_body() {
  sed -i -e '/^body[[:space:]]*=/d' -e "s|^\\[fonts\\][[:space:]]*\$|[fonts]\\nbody = $1|" "$work/ds/rules.ini"
  grep -q "^body = $1\$" "$work/ds/rules.ini" || fail "rules.ini has no [fonts] group to edit"
}

# expect_font_error TEXT ARGS...
expect_font_error() {
  local text=$1
  shift
  snapshot "$work" >"$tmp/before"
  local status=0
  (cd "$work" && timeout 120 "$KAOHE" "$@") >"$tmp/out" 2>"$tmp/err" || status=$?
  [ "$status" -eq 1 ] || { cat "$tmp/err"; fail "kaohe $* exited $status, expected 1"; }
  grep -qE -- "^ds/rules.ini:[0-9]+:[0-9]+: error: \\[fonts\\] body：.*$text" "$tmp/err" ||
    { cat "$tmp/err"; fail "kaohe $*: no located [fonts] error saying $text"; }
  snapshot "$work" >"$tmp/after"
  diff "$tmp/before" "$tmp/after" >"$tmp/diff" || { cat "$tmp/diff"; fail "kaohe $* changed files"; }
  echo "ok: kaohe $* → exit 1, $(grep -m1 -o 'error: .*' "$tmp/err")"
}

mkfifo "$tmp/pipe.ttf"
head -c 4096 /dev/urandom >"$tmp/noise.ttf"
collection=$(fc-list ':fontformat=TrueType' file | sed -n 's/: *$//; /\.ttc$/p' | head -1)

for entry in /nonexistent.ttf "$tmp/noise.ttf" "$tmp/pipe.ttf" ${collection:+"$collection:99"}; do
  set_body "$entry"
  expect_font_error "$(basename "${entry%%:*}")" month ds 2013-07 -o out/2013-07
  expect_font_error "$(basename "${entry%%:*}")" quarter ds 2013Q3 -o archive/2013Q3 --force
done
[ -z "$(find "$work" -name '.*staging*')" ] || fail "a staging folder was left behind"
