#!/usr/bin/env bash
# The mistakes of issue 14 that must stop documents (docs/reference/dataset.md, §2.7): a
# header that no longer names a field the month needs, and error-level
# audit failures. On a copy of the sample with each mistake, `month`,
# `quarter` and `score` exit 1, print nothing on stdout and write nothing.
set -u
: "${KAOHE:?path of the kaohe program}" "${KAOHE_SOURCE_DIR:?}"
cases="$KAOHE_SOURCE_DIR/tests/data/bad"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for name in header_altered audit_swapped audit_fee_overpaid audit_row_shifted audit_fraction; do
  copy="$work/$name"
  mkdir "$copy"
  (cd "$copy" && KAOHE_SOURCE_DIR="$KAOHE_SOURCE_DIR" bash "$cases/$name/setup.sh")
  find "$copy" -type f | sort >"$work/before"
  for cmd in "month . 2013-09 --date 2013-10-05" "quarter . 2013Q3 --date 2013-10-10" \
             "score . --month 2013-09 --format json"; do
    # shellcheck disable=SC2086
    (cd "$copy" && "$KAOHE" $cmd >"$work/out" 2>"$work/err")
    status=$?
    find "$copy" -type f | sort >"$work/after"
    if [ "$status" -ne 1 ] || [ -s "$work/out" ] || ! cmp -s "$work/before" "$work/after"; then
      echo "FAIL $name: kaohe $cmd exits $status, stdout $(wc -c <"$work/out") bytes, files:"
      diff "$work/before" "$work/after"
      head -5 "$work/err"
      failed=$((failed + 1))
    fi
  done
done
echo "refuse_bad_data: $failed failed"
[ "$failed" -eq 0 ]
