#!/usr/bin/env bash
# `kaohe mail` attaches to a township's mail only the workbook `kaohe month`
# rendered for that township and month (docs/reference/outputs.md): a workbook swapped
# for another township's, one of another month, a symbolic link and a
# file that is no workbook are each refused with an error naming the file,
# and then no mail at all is written. (Townships whose file names would
# collide are refused earlier, by the registry: tests/data/bad/
# file_name_collision.)
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"

fail() { echo "FAIL: $*"; exit 1; }
[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$tmp/sample" && rm -f "$tmp/sample/发文登记.csv" && sample="$tmp/sample"
export SOURCE_DATE_EPOCH=1378339200

expect() {
  local want=$1 got=0
  shift
  "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" -eq "$want" ] || {
    cat "$tmp/out" "$tmp/err"
    fail "exit $got, expected $want: $*"
  }
}

expect 0 "$KAOHE" month "$sample" 2013-07 -o "$tmp/o7"
expect 0 "$KAOHE" month "$sample" 2013-08 -o "$tmp/o8"
folder="$tmp/o7/乡镇"
a="$folder/2013-07_01_城关镇_考评得分.xlsx"
b="$folder/2013-07_02_新集镇_考评得分.xlsx"
cp "$a" "$tmp/a.xlsx"

# refused FILE WHY: mail refuses the folder's state, naming FILE and WHY.
refused() {
  rm -rf "$tmp/o7/邮件"
  expect 1 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/o7" --eml
  grep -qF "$1:1:1: error: " "$tmp/err" || fail "$1 not named: $(cat "$tmp/err")"
  grep -qF "$2" "$tmp/err" || fail "no '$2': $(cat "$tmp/err")"
  [ ! -e "$tmp/o7/邮件" ] || fail "mails written with a wrong attachment"
}

cp "$b" "$a" # 02's workbook under 01's name
refused "$a" "不是 kaohe month 为乡镇 01 的 2013-07 生成的"
cp "$tmp/o8/乡镇/2013-08_01_城关镇_考评得分.xlsx" "$a" # 01's, but August
refused "$a" "不是 kaohe month 为乡镇 01 的 2013-07 生成的"
rm "$a" && ln -s "$tmp/a.xlsx" "$a" # a link to the right workbook
refused "$a" "符号链接"
rm "$a" && head -c 5000 /dev/urandom >"$a"
refused "$a" "不是 kaohe month 为乡镇 01"
rm "$a" && mkfifo "$a"
refused "$a" "不是普通文件"
rm "$a" && cp "$tmp/a.xlsx" "$a"
expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/o7" --eml
echo "ok: only the township's own workbook of the month is attached"
echo "PASS"
