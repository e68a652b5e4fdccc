#!/usr/bin/env bash
# No locale changes any byte of any output (docs/decisions.md, Installing): `month` (notice PDF,
# workbooks, JSON), `quarter`, `score` in every format and `mail --eml`
# under LC_ALL=de_DE.UTF-8 and fr_FR.UTF-8 (decimal comma, other digit
# grouping) must be byte-identical to C.UTF-8. The two locales are made
# here with localedef into a private LOCPATH (Debian's `locales` package
# has their sources), so the test needs no root and changes no system
# setting. Run by the sanitizer pass too: a locale must not make any
# buffer overflow either.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_sample "$tmp" # month registers its documents in the dataset
mkdir "$tmp/locales"
for loc in de_DE fr_FR; do
  localedef -i "$loc" -f UTF-8 "$tmp/locales/$loc.UTF-8" 2>"$tmp/localedef.err" ||
    { cat "$tmp/localedef.err"; fail "localedef cannot make $loc.UTF-8 (apt-get install locales)"; }
done
export LOCPATH="$tmp/locales"
[ "$(LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 1.5 2>/dev/null)" = "1,5" ] ||
  fail "de_DE.UTF-8 made with localedef is not in effect: the test would prove nothing"

# outputs LOCALE: every output of the sample in $tmp/LOCALE.
outputs() {
  local dir="$tmp/$1"
  mkdir -p "$dir"
  (
    export LC_ALL=$1
    cd "$dir"
    "$KAOHE" month "$sample" 2013-07 -o month --date 2013-08-05 2>month.err
    "$KAOHE" mail "$sample" 2013-07 -o month --eml >mail.out 2>mail.err
    "$KAOHE" quarter "$sample" 2013Q3 -o quarter --date 2013-10-10 2>quarter.err
    for f in table csv json; do
      "$KAOHE" score "$sample" --month 2013-07 --format $f >score-month.$f
      "$KAOHE" score "$sample" --quarter 2013Q3 --format $f >score-quarter.$f
    done
    "$KAOHE" check "$sample" >check.out 2>check.err || true
  ) || { cat "$dir"/*.err; fail "a run under LC_ALL=$1 failed"; }
  (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >"$tmp/$1.sums"
}

outputs C.UTF-8
for loc in de_DE.UTF-8 fr_FR.UTF-8; do
  unit="${KAOHE_BUILD_DIR:-}/tests/test_round" # rounding and number text, in-process
  if [ -x "$unit" ]; then
    LC_ALL=$loc "$unit" >"$tmp/unit.out" 2>&1 || { cat "$tmp/unit.out"; fail "test_round fails under LC_ALL=$loc"; }
  fi
  outputs "$loc"
  diff "$tmp/C.UTF-8.sums" "$tmp/$loc.sums" >"$tmp/diff" ||
    { cat "$tmp/diff"; fail "LC_ALL=$loc changes the outputs above"; }
  echo "ok: LC_ALL=$loc gives byte-identical outputs"
done
echo "PASS"
