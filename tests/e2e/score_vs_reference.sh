#!/usr/bin/env bash
# Cross-checks `kaohe score --format json` against the independent Python
# reference scorer (tests/reference/kaohe_ref.py): on the sample county
# (every month, every quarter, and requests that must fail) and on 30
# generated datasets full of nasty cases (tests/reference/gen_dataset.py,
# fixed seeds, 3 to 40 townships). Fails listing every difference; the full
# logs stay in $KAOHE_BUILD_DIR/score_vs_reference/.
set -u

src=${KAOHE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ref=$src/tests/reference
py=/usr/bin/python3
if [ -z "${KAOHE:-}" ] || [ ! -x "${KAOHE}" ]; then
  echo "FAIL: the kaohe program is not built (KAOHE='${KAOHE:-}')"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
logs=${KAOHE_BUILD_DIR:-$work}/score_vs_reference
rm -rf "$logs" && mkdir -p "$logs"
checked=0
failed=0

# compare DATASET LABEL SCORE-ARGS...: one request, both scorers.
compare() {
  local dataset=$1 label=$2
  shift 2
  local name="$label ${*}"
  local log="$logs/${label}_${*// /_}.txt"
  checked=$((checked + 1))
  "$py" "$ref/kaohe_ref.py" "$dataset" "$@" >"$work/expected.json" 2>"$work/ref.err"
  local ref_status=$?
  "$KAOHE" score "$dataset" "$@" --format json >"$work/actual.json" 2>"$work/kaohe.err"
  local status=$?
  if [ "$ref_status" -ne 0 ]; then
    # The reference refuses: kaohe must refuse too (exit 1, nothing on stdout).
    if [ "$status" -eq 1 ] && [ ! -s "$work/actual.json" ]; then return; fi
    {
      echo "FAIL $name: the reference refuses, kaohe exits $status"
      sed 's/^/    reference: /' "$work/ref.err"
      sed 's/^/    kaohe: /' "$work/kaohe.err" | head -20
      head -c 400 "$work/actual.json" | sed 's/^/    stdout: /'
    } | tee "$log"
    failed=$((failed + 1))
    return
  fi
  if [ "$status" -ne 0 ]; then
    {
      echo "FAIL $name: kaohe exits $status"
      sed 's/^/    /' "$work/kaohe.err" | head -40
    } | tee "$log"
    failed=$((failed + 1))
    return
  fi
  if ! "$py" "$ref/compare.py" "$work/expected.json" "$work/actual.json" >"$work/diff"; then
    {
      echo "FAIL $name: $(wc -l <"$work/diff") differences (expected = reference)"
      sed 's/^/    /' "$work/diff"
    } >"$log"
    head -n 41 "$log"
    [ "$(wc -l <"$log")" -gt 41 ] && echo "    ... (all of them in $log)"
    cp "$work/expected.json" "$log.expected.json"
    cp "$work/actual.json" "$log.actual.json"
    failed=$((failed + 1))
  fi
}

# The sample county: every month, every quarter, and requests that must fail.
sample=$src/samples/county-2013
for m in 01 02 03 04 05 06 07 08 09; do
  compare "$sample" sample --month "2013-$m"
done
for q in 1 2 3; do
  compare "$sample" sample --quarter "2013Q$q"
done
compare "$sample" sample --quarter 2013Q3 --partial  # all present: not partial
compare "$sample" sample --month 2013-10             # no file: refused
compare "$sample" sample --month 2012-07             # outside the year: refused
compare "$sample" sample --quarter 2013Q4            # no month: refused
compare "$sample" sample --quarter 2013Q4 --partial  # still none: refused

# Generated datasets: seed -> number of townships.
sizes=(3 40 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 20 22 24 25 26 28 30 31 33 35 36 38 39)
for i in "${!sizes[@]}"; do
  seed=$((i + 1))
  dataset=$work/gen-$seed
  if ! "$py" "$ref/gen_dataset.py" --seed "$seed" --townships "${sizes[$i]}" "$dataset"; then
    echo "FAIL gen-$seed: the generator failed"
    failed=$((failed + 1))
    continue
  fi
  if ! periods=$("$py" "$ref/kaohe_ref.py" "$dataset" --periods 2>&1); then
    echo "FAIL gen-$seed: the reference rejects the generated dataset: $periods"
    failed=$((failed + 1))
    continue
  fi
  while read -r period; do
    # shellcheck disable=SC2086  # period is "--month X" or "--quarter Y [--partial]"
    compare "$dataset" "gen-$seed" $period
  done <<<"$periods"
done

echo "score_vs_reference: $checked requests, $failed disagreements (logs: $logs)"
[ "$failed" -eq 0 ]
