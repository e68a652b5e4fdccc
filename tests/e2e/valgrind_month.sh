#!/usr/bin/env bash
# `kaohe month` of the sample county under valgrind's memcheck: no invalid
# read or write, no use of uninitialised memory, no definitely lost block
# (issue 8). Suppressed (valgrind.supp): only Debian libraries' one-time
# allocations, such as fontconfig's configuration load. Runs with two jobs
# so the township workbooks are written by two threads, as by default.
# Skips (77) without valgrind (except under CI=true) and for a kaohe built
# with AddressSanitizer, which valgrind cannot run (scripts/sanitize.sh
# leaves this test to the plain pass).
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"
command -v valgrind >/dev/null || {
  [ "${CI:-}" = true ] && fail "valgrind is not installed"
  skip "valgrind is not installed"
}
if ldd "$KAOHE" 2>/dev/null | grep -qE 'libasan|libubsan' ||
  grep -q __asan_init "$KAOHE" 2>/dev/null; then
  skip "$KAOHE is built with sanitizers; valgrind runs on the plain build"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$tmp/sample" && rm -f "$tmp/sample/发文登记.csv" && sample="$tmp/sample"
export SOURCE_DATE_EPOCH=1378339200

status=0
valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 \
  --num-callers=40 --track-origins=yes \
  --suppressions="$KAOHE_SOURCE_DIR/tests/e2e/valgrind.supp" \
  "$KAOHE" month "$sample" 2013-07 -o "$tmp/out" --jobs 2 2>"$tmp/err" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$tmp/err"
  fail "kaohe month under valgrind exited $status"
fi
grep -q '^==[0-9]*==' "$tmp/err" && { cat "$tmp/err"; fail "valgrind reported problems"; }
[ -n "$(find "$tmp/out" -name '*.pdf')" ] || fail "no notice was written"
echo "ok: kaohe month 2013-07 is clean under valgrind memcheck"
