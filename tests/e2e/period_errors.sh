#!/usr/bin/env bash
# A malformed period says what is wrong with it, the same way whichever
# command was given it (issue 18): month, mail and score --month with
# YYYY-MM, quarter and score --quarter with YYYYQn; exit 2, nothing read.
set -u
: "${KAOHE:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
# expect ARGS... -- WORDS: exit 2 and stderr naming the text and the form
expect() {
  local args=() words
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  "$KAOHE" "${args[@]}" >"$work/out" 2>"$work/err"
  local status=$?
  for words in "$@"; do
    if [ "$status" != 2 ] || ! grep -qF -- "$words" "$work/err"; then
      echo "FAIL: kaohe ${args[*]}: exit $status, wanted 2 and '$words':"; cat "$work/err"; failed=1
      return
    fi
  done
}
month_form='应为 YYYY-MM：四位年份、- 和两位月份，例如 2013-07'
quarter_form='应为 YYYYQn：四位年份、Q 和季度 1 到 4，中间没有其他字符，例如 2013Q3'
expect month nowhere 2014-3 -- '月份“2014-3”格式不对' "$month_form"
expect mail nowhere 2014-3 --eml -- '月份“2014-3”格式不对' "$month_form"
expect score nowhere --month 3 -- '--month “3”格式不对' "$month_form"
expect quarter nowhere 2014-Q1 -- '季度“2014-Q1”格式不对' "$quarter_form"
expect score nowhere --quarter 2014-Q1 -- '--quarter “2014-Q1”格式不对' "$quarter_form"
expect month nowhere -- '需要 DATASET 和 YYYY-MM'
[ "$failed" = 0 ] && echo "PASS"
exit "$failed"
