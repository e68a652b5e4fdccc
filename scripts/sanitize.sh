#!/usr/bin/env bash
# The sanitizer pass of the test suite (scripts/test.sh ends with it): builds
# kaohe and its tests with AddressSanitizer and UBSan in build-asan/ and runs
# every test there, so the end-to-end tests drive the sanitized kaohe.
# A leak, an out-of-bounds access or undefined behaviour fails the test that
# ran into it. Left out here, because the plain pass runs them: the tests
# that convert with LibreOffice (slow, and its own process is not ours to
# check) and the valgrind test (valgrind cannot run an ASan program).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${KAOHE_ASAN_BUILD:-$src/build-asan}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAOHE_SANITIZE=ON \
  -DKAOHE_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

# Leaks fail a test; fontconfig's one-time configuration load is suppressed
# (fuzz/lsan.supp says why). UBSan stops at the first report.
# verify_asan_link_order=0: tests that preload a shim (LD_PRELOAD) still run.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:verify_asan_link_order=0
export LSAN_OPTIONS=suppressions=$src/fuzz/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

excluded=(valgrind_month)
for t in tests/e2e/*.sh; do
  grep -qiE 'libreoffice|soffice' "$t" && excluded+=("$(basename "$t" .sh)")
done
pattern="^e2e_($(IFS='|'; echo "${excluded[*]}"))\$"
echo "sanitize.sh: not run under ASan (the plain pass runs them): ${excluded[*]}"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -E "$pattern"
