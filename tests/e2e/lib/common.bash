# Sourced by the end-to-end scripts that run kaohe against the sample
# (failure injection, limits, valgrind): the shared preamble and helpers.
# Lives outside tests/e2e/*.sh so ctest does not take it for a test.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
export LC_ALL=C.UTF-8
sample="$KAOHE_SOURCE_DIR/samples/county-2013"

# Points $sample at a copy inside DIR: month and quarter register the
# numbers of the documents they issue in their dataset (发文登记.csv).
own_sample() {
  cp -r "$sample" "$1/sample"
  rm -f "$1/sample/发文登记.csv" # left by a run of the README's first command
  sample="$1/sample"
}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"

# The names, kinds and checksums of everything under DIR: equal before and
# after a failed run when nothing was touched.
snapshot() {
  (cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
}

# True when $KAOHE is built with AddressSanitizer/UBSan (slower, hungrier).
sanitized_build() {
  ldd "$KAOHE" 2>/dev/null | grep -qE 'libasan|libubsan' || grep -q __asan_init "$KAOHE" 2>/dev/null
}
