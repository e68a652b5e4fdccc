#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang-14, -DKAOHE_FUZZ=ON, in build-fuzz/)
# and runs each for SECONDS from a seed corpus made of samples/ and
# tests/data/ (plus the shipped templates for the template harnesses, and
# small subsets of the system fonts for sparse_face, and the workbooks of
# tests/data/workbooks/ for workbook).
#
#   bash fuzz/run.sh [SECONDS] [HARNESS...]     e.g. bash fuzz/run.sh 600 csv rules
#
# HARNESS is csv, formula, rules, dataset, mustache, layout, sparse_face,
# workbook, serve_form or serve_http (the web console's form decoding, and
# the console whole over libmicrohttpd, seeded from fuzz/corpus/serve_*)
# (default: all, one after the other; KAOHE_FUZZ_PARALLEL=2 runs two at a
# time). What each run learns is kept in build-fuzz/corpus/NAME for the
# next run; inputs that crash are written to build-fuzz/crashes/NAME/ and
# make the script exit 1.
# Every crash found becomes a regression test (tests/unit/test_regressions.c
# or an e2e case) before it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] ||
  harnesses=(csv formula rules dataset mustache layout sparse_face workbook serve_form serve_http)
build=${KAOHE_FUZZ_BUILD:-$src/build-fuzz}
parallel=${KAOHE_FUZZ_PARALLEL:-1}

command -v clang-14 >/dev/null || bash scripts/install-deps.sh --tests
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang-14 -DKAOHE_FUZZ=ON -DKAOHE_WERROR=ON \
  -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzzers -j"$(nproc)" >/dev/null

# ---- seed corpora, made afresh from the tree on every run ----------------
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{csv,formula,rules,dataset,mustache,layout,workbook}
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$seeds/csv/$n.csv"
done < <(find samples tests/data -name '*.csv' -type f -print0)
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$seeds/rules/$n.ini"
  # formulas: each value, and each target without its operator
  sed -n -e 's/^[[:space:]]*value[[:space:]]*=[[:space:]]*//p' \
    -e 's/^[[:space:]]*target[[:space:]]*=[[:space:]]*[<>]=[[:space:]]*//p' "$f" |
    while IFS= read -r formula; do
      printf '%s' "$formula" >"$seeds/formula/$(printf '%s' "$formula" | sha1sum | cut -c1-16)"
    done
done < <(find samples tests/data -name rules.ini -type f -print0)
# a dataset: rules.ini, townships.csv, then "NAME\n" + each monthly file,
# separated by the byte 0x1E (fuzz/fuzz_dataset.c)
n=0
for dir in samples/*/ tests/data/good/ tests/data/bad/*/; do
  [ -f "$dir/rules.ini" ] || continue
  n=$((n + 1))
  {
    cat "$dir/rules.ini"
    printf '\036'
    cat "$dir/townships.csv" 2>/dev/null || true
    for m in "$dir"/monthly/*; do
      [ -f "$m" ] || continue
      printf '\036%s\n' "$(basename "$m")"
      cat "$m"
    done
  } >"$seeds/dataset/$n"
done
n=0
for f in templates/*.md samples/*/templates/*.md tests/data/*/templates/*.md \
  tests/data/*/*/templates/*.md; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  cp "$f" "$seeds/mustache/$n.md"
  cp "$f" "$seeds/layout/$n.md"
done
cp README.md docs/*.md "$seeds/layout/" 2>/dev/null || true
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$seeds/workbook/$n"
done < <(find tests/data/workbooks -name '*.xls*' -type f -print0)
# the web console: requests and form pieces kept in the tree (fuzz/corpus/)
for h in serve_form serve_http; do
  mkdir -p "$seeds/$h"
  cp fuzz/corpus/"$h"/* "$seeds/$h/"
done
# fonts: small subsets of the system fonts, written by the harness itself
KAOHE_FUZZ_WRITE_SEEDS="$seeds/sparse_face" "$build/fuzz/fuzz_sparse_face" >/dev/null

max_len() {
  case $1 in
  formula) echo 1024 ;;
  layout) echo 8192 ;;
  dataset | sparse_face | workbook | serve_http) echo 65536 ;;
  *) echo 16384 ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=suppressions=$src/fuzz/lsan.supp
export KAOHE_SOURCE_DIR=$src

run_one() {
  local h=$1
  local corpus=$build/corpus/$h crashes=$build/crashes/$h log=$build/logs/$h.log
  mkdir -p "$corpus" "$crashes" "$build/logs"
  local dict=()
  [ -f "fuzz/$h.dict" ] && dict=(-dict="$src/fuzz/$h.dict") # absolute: serve_http changes folder
  # libgsf's own leak on damaged OLE files (lsan.supp) is recognised only
  # with full stacks: Debian's libgsf has no frame pointers.
  local asan=$ASAN_OPTIONS
  [ "$h" = workbook ] && asan="$asan:fast_unwind_on_malloc=0"
  # serve_http's leaks are checked at its exit, once the server has stopped
  # (fuzz/fuzz_serve_http.c says why not after each input)
  local leaks=()
  [ "$h" = serve_http ] && leaks=(-detect_leaks=0)
  ASAN_OPTIONS=$asan "$build/fuzz/fuzz_$h" -max_total_time="$seconds" -max_len="$(max_len "$h")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" "${leaks[@]}" \
    -artifact_prefix="$crashes/" "$corpus" "$seeds/$h" >"$log" 2>&1 || true
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  local found
  found=$(find "$crashes" -type f | wc -l)
  printf '%-9s %6ss %10s executions, corpus %5s inputs, %s crash/timeout/oom inputs in %s\n' \
    "$h" "$seconds" "${execs:-?}" "$(find "$corpus" -type f | wc -l)" "$found" "$crashes"
}

running=0
for h in "${harnesses[@]}"; do
  [ -x "$build/fuzz/fuzz_$h" ] || { echo "fuzz/run.sh: no harness fuzz_$h" >&2; exit 2; }
  run_one "$h" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

total=$(find "$build/crashes" -type f | wc -l)
if [ "$total" -gt 0 ]; then
  echo "fuzz/run.sh: $total input(s) in $build/crashes/ crash, hang or exhaust memory" >&2
  exit 1
fi
