#!/usr/bin/env bash
# `kaohe check` on every broken dataset of tests/data/bad/ (docs/reference/dataset.md).
#
# Each case folder is a small dataset with one kind of problem, and a file
# `expected` holding the diagnostics `kaohe check` must print: exactly the
# `FILE:LINE:COL: severity: message` lines of its stderr, in order (the
# echoed source lines and carets are not compared). The program runs from
# inside a copy of the case folder as `kaohe check .`, so FILE is written
# `./townships.csv`, `./monthly/2013-01.csv`. A case may carry `setup.sh`,
# run in the copy first, to make files too big to keep in git or to make
# the case from a copy of the sample county ($KAOHE_SOURCE_DIR/samples).
# Every case must exit with status 1 (or the status in `expected_status`,
# for cases that only warn), within a time limit (no hang, no crash). A
# case with `expected_summary` must end with that line: check's verdict on
# stdout when there is no error, on stderr otherwise (docs/reference/dataset.md).
set -u
: "${KAOHE:?path of the kaohe program}" "${KAOHE_SOURCE_DIR:?}"
cases="$KAOHE_SOURCE_DIR/tests/data/bad"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  copy="$work/$name"
  cp -r "$dir" "$copy"
  rm -f "$copy/expected" "$copy/expected_status" "$copy/expected_summary"
  want=1
  [ -f "$dir/expected_status" ] && want=$(cat "$dir/expected_status")
  if [ -f "$copy/setup.sh" ]; then
    (cd "$copy" && bash setup.sh) && rm "$copy/setup.sh"
  fi
  (cd "$copy" && timeout 60 "$KAOHE" check . >"$work/$name.out" 2>"$work/$name.err")
  status=$?
  grep -aE '^[^ ].*:[0-9]+:[0-9]+: (error|warning): ' "$work/$name.err" >"$work/$name.got"
  summary_ok=true
  if [ -f "$dir/expected_summary" ]; then
    if [ "$status" -eq 0 ]; then last=$(tail -n 1 "$work/$name.out"); else last=$(tail -n 1 "$work/$name.err"); fi
    if [ "$last" != "$(cat "$dir/expected_summary")" ]; then
      summary_ok=false
      echo "FAIL $name: last line '$last', want '$(cat "$dir/expected_summary")'"
    fi
  fi
  if [ "$status" -eq "$want" ] && $summary_ok &&
    diff -u "$dir/expected" "$work/$name.got" >"$work/$name.diff"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit status $status (want $want); diagnostics diff:"
    cat "$work/$name.diff"
    head -c 2000 "$work/$name.err"
  fi
done
echo "check_bad: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
