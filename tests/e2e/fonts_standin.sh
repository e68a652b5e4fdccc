#!/usr/bin/env bash
# The stand-in fonts said once per role (issue 16 item 5; fonts.h): on a
# machine without the official faces (this one: Debian's free fonts only),
# `kaohe month` and `kaohe quarter` each warn once for each of the four
# roles, naming the role, the stand-in that sets it and how to install the
# official face; a [fonts] entry naming a file silences its role's warning.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1381363200
fc-list | grep -qiE 'simfang|FangSong|仿宋' && skip "an official face is installed here"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$sample" "$tmp/ds"

expect_standins() { # STDERR-FILE WHAT ROLE...: exactly one warning for each role
  local err=$1 what=$2
  shift 2
  local n
  n=$(grep -c '电脑上没有正式字体' "$err" || true)
  [ "$n" -eq $# ] || { cat "$err"; fail "$what: $n stand-in warnings, expected $#"; }
  for line in "$@"; do
    grep -qF -- "$line" "$err" || { cat "$err"; fail "$what: no warning like: $line"; }
  done
}
all=('warning: 仿宋（正文）：电脑上没有正式字体，用“AR PL UMing CN”代替。要用正式字体，把 Windows 的 simfang.ttf'
  'warning: 小标宋（标题）：电脑上没有正式字体，用“AR PL UMing CN”代替。要用正式字体，把 Windows 的 simsun.ttc'
  'warning: 黑体（一级标题）：电脑上没有正式字体，用“WenQuanYi Zen Hei”代替。要用正式字体，把 Windows 的 simhei.ttf'
  'warning: 楷体（二级标题）：电脑上没有正式字体，用“AR PL UKai CN”代替。要用正式字体，把 Windows 的 simkai.ttf')
"$KAOHE" month "$tmp/ds" 2013-07 -o "$tmp/m" --date 2013-08-05 2>"$tmp/err" || { cat "$tmp/err"; fail "month"; }
expect_standins "$tmp/err" month "${all[@]}"
grep -q 'fc-cache -f，或在 \[fonts\] 中写 body = 字体文件' "$tmp/err" || fail "month: no install hint"
"$KAOHE" quarter "$tmp/ds" 2013Q3 -o "$tmp/q" --date 2013-10-10 2>"$tmp/err" || { cat "$tmp/err"; fail "quarter"; }
expect_standins "$tmp/err" quarter "${all[@]}"

# body and heading1 named by file: only title and heading2 stand in
grep -q '^\[fonts\]' "$tmp/ds/rules.ini" || printf '\n[fonts]\n' >>"$tmp/ds/rules.ini"
sed -i 's|^\[fonts\].*|[fonts]\nbody = /usr/share/fonts/truetype/arphic/uming.ttc\nheading1 = /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc|' \
  "$tmp/ds/rules.ini"
"$KAOHE" month "$tmp/ds" 2013-07 -o "$tmp/m2" --date 2013-08-05 2>"$tmp/err" || { cat "$tmp/err"; fail "month with [fonts]"; }
expect_standins "$tmp/err" "month with [fonts] body and heading1" "${all[1]}" "${all[3]}"
echo "ok: one stand-in warning per role from month and quarter, none for a role named in [fonts]"
