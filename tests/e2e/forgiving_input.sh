#!/usr/bin/env bash
# Forgiving input (docs/reference/dataset.md): each rule's dataset (tests/data/forgiving/
# make_twins.py: title rows, rows of totals, full-width digits, codes
# without their leading zeros, UTF-16 tab-separated .txt, tab-separated
# .csv) has no error, warns about what was done, and scores every month
# byte for byte like its clean twin, the sample county.
source "$(dirname "$0")/lib/common.bash"
py=/usr/bin/python3
[ -x "$py" ] || skip "$py is missing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" "$KAOHE_SOURCE_DIR/tests/data/forgiving/make_twins.py" "$sample" "$work"

failed=0
for dir in "$work"/*/; do
  name=$(basename "$dir")
  if ! "$KAOHE" check "$dir" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "FAIL $name: check finds errors"; grep -E ': error: ' "$work/$name.err" | head -5
    failed=$((failed + 1)); continue
  fi
  if ! grep -q ': warning: ' "$work/$name.err" || grep -q '检查通过' "$work/$name.out"; then
    echo "FAIL $name: no warning says what was done"; failed=$((failed + 1))
  fi
  for m in 01 04 07 09; do
    "$KAOHE" score "$sample" --month "2013-$m" --format json >"$work/want.json"
    "$KAOHE" score "$dir" --month "2013-$m" --format json >"$work/got.json" 2>/dev/null
    if ! cmp -s "$work/want.json" "$work/got.json"; then
      echo "FAIL $name: 2013-$m scores differently"; diff "$work/want.json" "$work/got.json" | head -5
      failed=$((failed + 1))
    fi
  done
done
echo "forgiving_input: $failed failed"
[ "$failed" -eq 0 ]
