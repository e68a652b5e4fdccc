#!/usr/bin/env bash
# An independent audit of the built program against SPEC.md, clause by
# clause: many small numbered checks, each printing what it checks. The
# corners here are the ones a generated dataset rarely produces (blanks of
# every kind, rejected number forms, positions in characters, ties at the
# bottom, a deadline's month, refusals that must leave the disk untouched,
# dates in China time, usage errors). Every check builds its own small
# dataset from tests/data/good (3 townships, January and February 2013).
set -u
: "${KAOHE:?path of the kaohe program}" "${KAOHE_SOURCE_DIR:?}"
good="$KAOHE_SOURCE_DIR/tests/data/good"
work=$(mktemp -d)
# AUDIT_KEEP=1 keeps the work folder for a look; AUDIT_ONLY="05 19" runs
# only those checks.
[ -n "${AUDIT_KEEP:-}" ] && echo "work folder: $work" || trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8
unset SOURCE_DATE_EPOCH KAOHE_SMTP_PASSWORD

passed=0 failed=0
# check N DESCRIPTION FUNCTION: runs FUNCTION in a subshell in a fresh
# folder; its output is shown only when it fails (returns non-zero).
check() {
  local n=$1 what=$2 fn=$3
  local dir="$work/c$n"
  case " ${AUDIT_ONLY:-$n} " in *" $n "*) ;; *) return 0 ;; esac
  mkdir -p "$dir"
  printf '%s %s ... ' "$n" "$what"
  (cd "$dir" || exit 1; set -e; "$fn") >"$dir.log" 2>&1
  if [ $? -eq 0 ]; then
    echo ok
    passed=$((passed + 1))
  else
    echo FAIL
    sed 's/^/    /' "$dir.log" | head -60
    failed=$((failed + 1))
  fi
}

# not COMMAND...: succeeds when COMMAND fails (`!` would not stop set -e).
not() { if "$@"; then return 1; fi; }
# fresh NAME: a copy of the good dataset at ./NAME.
fresh() { rm -rf "$1" && cp -r "$good" "$1"; }
# Writes stdin to FILE converted to GB18030.
gb() { iconv -f UTF-8 -t GB18030 >"$1"; }
# The diagnostics lines of a stderr file.
diags() { grep -aE '^[^ ].*:[0-9]+:[0-9]+: (error|warning): ' "$1" || true; }
# expect_status WANT COMMAND...: runs COMMAND, stdout to ./stdout, stderr
# to ./stderr.
expect_status() {
  local want=$1 got=0
  shift
  "$@" >stdout 2>stderr || got=$?
  if [ "$got" -ne "$want" ]; then
    echo "exit status $got, want $want: $*"
    cat stderr
    return 1
  fi
}
# has_diag PATTERN: a diagnostic line of ./stderr matches the extended regex.
has_diag() {
  diags stderr | grep -qE "$1" || { echo "no diagnostic matching: $1"; diags stderr; return 1; }
}
# The month-2 score CSV of the good dataset: the baseline for equivalences.
"$KAOHE" score "$good" --month 2013-02 --format csv >"$work/baseline.csv" 2>/dev/null
same_scores() {
  "$KAOHE" score "$1" --month 2013-02 --format csv >scores.csv 2>score.err || {
    cat score.err
    return 1
  }
  diff -u "$work/baseline.csv" scores.csv
}
# A small dataset of its own: rules from stdin, townships and months given.
# own DIR 'TOWNSHIPS CSV' 'MONTH=CSV'...
own() {
  local dir=$1 towns=$2
  shift 2
  mkdir -p "$dir/monthly"
  cat >"$dir/rules.ini"
  printf '%b' "$towns" >"$dir/townships.csv"
  for m in "$@"; do printf '%b' "${m#*=}" >"$dir/monthly/${m%%=*}.csv"; done
}
assessment='[assessment]
title  = 审计
county = 审计县
issuer = 审计县人口和计划生育局
year   = 2013
'
# json EXPR FILE: evaluates a Python expression over the JSON document d.
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print($1)" "$1" "$2"; }

# ---- §1 encodings ------------------------------------------------------

c01() {
  fresh d
  for f in rules.ini townships.csv monthly/2013-01.csv monthly/2013-02.csv; do
    gb d/$f.gb <"$good/$f" && mv d/$f.gb d/$f
  done
  not iconv -f UTF-8 -t UTF-8 d/townships.csv >/dev/null 2>&1
  expect_status 0 "$KAOHE" check d
  [ ! -s stderr ] || { cat stderr; return 1; }
  same_scores d
}
check 01 "§1 GB18030 rules.ini, townships.csv and months score as UTF-8" c01

c02() {
  fresh d
  for f in rules.ini townships.csv monthly/2013-01.csv monthly/2013-02.csv; do
    { printf '\xEF\xBB\xBF'; sed 's/$/\r/' "$good/$f"; } >d/$f
  done
  expect_status 0 "$KAOHE" check d
  same_scores d
  fresh e
  for f in townships.csv monthly/2013-01.csv monthly/2013-02.csv; do tr '\n' '\r' <"$good/$f" >e/$f; done
  same_scores e
}
check 02 "§1 UTF-8 BOM, CRLF and CR-only line ends change nothing" c02

# ---- §2 blanks, numbers, headers ---------------------------------------

c03() {
  fresh d
  # spaces, tabs, U+3000 and U+00A0 around headers, keys and values; a
  # row of commas and a row of blanks.
  printf '\xE3\x80\x80乡镇\xC2\xA0,\t出生男婴数 , 出生女婴数\xE3\x80\x80,孕前检查人数\n' >d/monthly/2013-02.csv
  printf ' 城关镇\xE3\x80\x80,\xC2\xA011\t,10 ,\xE3\x80\x809\n' >>d/monthly/2013-02.csv
  printf '新集镇,7,6,"\xE3\x80\x801,002 "\n石桥镇,6,5,7\n,,,\n \xE3\x80\x80,\xC2\xA0, \t,\n' >>d/monthly/2013-02.csv
  printf 'code\xE3\x80\x80, name,email,contact,check_task\xC2\xA0\n\xC2\xA001 ,城关镇\xE3\x80\x80,01@example.org,张三, 120\n' >d/townships.csv
  printf '02,新集镇,,李四,"1,080"\n03,石桥镇,03@example.org,,90\n,,,,\n' >>d/townships.csv
  expect_status 0 "$KAOHE" check d
  [ ! -s stderr ] || { cat stderr; return 1; }
  same_scores d
  gb d/m.gb <d/monthly/2013-02.csv && mv d/m.gb d/monthly/2013-02.csv
  gb d/t.gb <d/townships.csv && mv d/t.gb d/townships.csv
  same_scores d
}
check 03 "§2.2 blanks (space, tab, U+3000, U+00A0) trimmed from headers, keys, values; ,,,, rows ignored (UTF-8 and GB18030)" c03

c04() {
  fresh d
  printf 'township,births_male,births_female,checked\n01,"1,234",9,"12,345,678"\n02,"1,234.5",8,0012\n03,5.50,4,8\n' >d/monthly/2013-01.csv
  expect_status 0 "$KAOHE" check d
  "$KAOHE" score d --month 2013-02 --format json >s.json
  # (1234 + 11) / (9 + 10) * 100 and (1234.5 + 7) / (8 + 6) * 100
  [ "$(json "[t['indicators'][0]['value'] for t in d['townships'][:2]]" s.json)" = "[6552.6, 8867.9]" ]
}
check 04 "§2.2 thousands separators (\"1,234\", \"12,345,678\", \"1,234.5\") and leading zeros are numbers" c04

c05() {
  local v
  for v in '+5' '-5' '1e3' '.5' '12.' '"12,34"' '"1,2345"' '",123"' '"1,"' '"1 234"' '八' '0x1' 'inf' '－5'; do
    fresh d
    printf 'township,births_male,births_female,checked\n01,10,%s,12\n02,8,8,70\n03,5,4,8\n' "$v" >d/monthly/2013-01.csv
    expect_status 1 "$KAOHE" check d || return 1
    has_diag "^d/monthly/2013-01.csv:2:7: error: " || { echo "value $v"; return 1; }
  done
}
check 05 "§2.2 rejected values: sign, exponent, .5, 12., 12,34, bad grouping, text, a full-width minus (error at the cell; v2 §2.5 reads full-width digits)" c05

c06() {
  fresh d
  printf 'code,name,check_task\n01,城关镇,-120\n02,新集镇,"-1,080.5"\n03,石桥镇,\n' >d/townships.csv
  expect_status 0 "$KAOHE" check d
  "$KAOHE" score d --month 2013-02 --format csv >s.csv
  grep -q '^2013-02,03,石桥镇,check_rate,missing,' s.csv
  grep -q '^2013-02,,,check_rate,ok,.*,1.$' s.csv
  printf 'code,name,check_task\n01,城关镇,+120\n02,新集镇,80\n03,石桥镇,90\n' >d/townships.csv
  expect_status 1 "$KAOHE" check d
  has_diag '^d/townships.csv:2:8: error: '
}
check 06 "§2.2 attributes: leading - allowed, + refused, empty cell missing (county leaves it out)" c06

c07() {
  fresh d
  printf '代码,名称,邮箱,联系人,check_task,备注\n01,城关镇,01@example.org,张三,120,说明\n02,新集镇,,李四,"1,080",\n03,石桥镇,,,90,\n' >d/townships.csv
  printf 'township,births_male,births_female,checked,备注\n01,10,9,12,迟报\n02,8,8,70,\n03,5,4,8,\n' >d/monthly/2013-01.csv
  expect_status 0 "$KAOHE" check d
  has_diag '^d/townships.csv:1:25: warning: .*备注'
  has_diag '^d/monthly/2013-01.csv:1:44: warning: .*备注'
  same_scores d
}
check 07 "§2.1 Chinese headers 代码/名称/邮箱/联系人; 备注 columns are warnings, not errors" c07

c08() {
  fresh d
  printf '乡镇,出生男婴数,出生女婴数,孕前检查人数,births_male\n城关镇,11,10,9,11\n新集镇,7,6,1,7\n石桥镇,6,5,7,6\n' >d/monthly/2013-02.csv
  expect_status 1 "$KAOHE" check d
  has_diag '^d/monthly/2013-02.csv:1:23: error: '
  fresh e
  printf 'code,name,check_task\n01,城关镇,120\n02,01,80\n03,石桥镇,90\n' >e/townships.csv
  expect_status 1 "$KAOHE" check e
  has_diag '^e/townships.csv:2:1: error: '
}
check 08 "§2.1-2.2 a field given twice (id and label); a code that is another township's name" c08

c09() {
  fresh d
  printf 'code,name,check_task,area\n01,城关镇,120,大\n02,新集镇,80,\n03,石桥镇,90,3\n' >d/townships.csv
  expect_status 0 "$KAOHE" check d
  printf 'code,name,check_task\n01,城关镇,约120\n02,新集镇,80\n03,石桥镇,90\n' >d/townships.csv
  expect_status 1 "$KAOHE" check d
  has_diag '^d/townships.csv:2:8: error: .*约120'
  fresh e
  printf 'code,name,check_task,extra\n01,城关镇,120,1\n02,新集镇,80,2\n03,石桥镇,90,3\n' >e/townships.csv
  printf 'township,births_male,births_female,checked,extra\n01,10,9,12,1\n02,8,8,70,1\n03,5,4,8,1\n' >e/monthly/2013-01.csv
  expect_status 1 "$KAOHE" check e
  has_diag '^e/townships.csv:1:22: error: .*extra'
}
check 09 "§2.1 a non-numeric attribute is an error only when used; a name both attribute and field is an error" c09

c10() {
  fresh d
  printf 'garbage,"\n\xff\xfe\n' >d/monthly/2012-12.csv
  printf 'township,births_male,births_female,checked\n01,99,1,1\n' >d/monthly/2014-01.csv
  expect_status 0 "$KAOHE" check d
  has_diag '^d/monthly/2012-12.csv:1:1: warning: '
  has_diag '^d/monthly/2014-01.csv:1:1: warning: '
  same_scores d
  expect_status 1 "$KAOHE" score d --month 2012-12
  [ ! -s stdout ]
  expect_status 1 "$KAOHE" score d --month 2013-03
  has_diag '^d/monthly/2013-03.csv:1:1: error: '
}
check 10 "§2.3 month files of another year ignored with a warning; an absent or out-of-year month is an error" c10

# ---- §2.3 positions ----------------------------------------------------

c11() {
  fresh d
  printf 'township,备注,births_male,births_female,checked\n01,𠀀😀é,x,9,1\n02,"多\n行",1,"八",1\n03,1,1,1,"a"\n' >d/monthly/2013-01.csv
  expect_status 1 "$KAOHE" check d
  has_diag '^d/monthly/2013-01.csv:2:8: error: .*“x”'
  has_diag '^d/monthly/2013-01.csv:4:6: error: .*“八”'
  has_diag '^d/monthly/2013-01.csv:5:10: error: .*“a”'
  gb d/m.gb <d/monthly/2013-01.csv && mv d/m.gb d/monthly/2013-01.csv
  expect_status 1 "$KAOHE" check d
  has_diag '^d/monthly/2013-01.csv:2:8: error: .*“x”'
  has_diag '^d/monthly/2013-01.csv:4:6: error: .*“八”'
}
check 11 "§2.3 LINE is the physical line, COLUMN counts characters (not bytes) to the cell's first character (its quote)" c11

c12() {
  fresh d
  sed 's|^value    = ytd(births_male) / ytd(births_female) \* 100$|value = 男婴 + births_male / x|' "$good/rules.ini" | gb d/rules.ini
  expect_status 1 "$KAOHE" check d
  has_diag '^d/rules.ini:21:9: error: \[indicator.sex_ratio\] value: .*男'
  sed 's|^weight   = 50$|weight   = 五十|; s|^method   = deduct 2 per 1$|method   = deduct 2 per 0|' "$good/rules.ini" >d/rules.ini
  expect_status 1 "$KAOHE" check d
  has_diag '^d/rules.ini:24:12: error: \[indicator.sex_ratio\] weight: '
  has_diag '^d/rules.ini:25:25: error: \[indicator.sex_ratio\] method: '
}
check 12 "§2.3 rules.ini errors carry group, key and the column (in characters) of the offending character" c12

c13() {
  fresh d
  rm d/townships.csv
  : >d/monthly/2013-01.csv
  expect_status 1 "$KAOHE" check d
  has_diag '^d/townships.csv:1:1: error: '
  has_diag '^d/monthly/2013-01.csv:1:1: error: '
}
check 13 "§2.3 an error about a whole file says :1:1" c13

c14() {
  fresh d
  printf 'township,births_male,births_female,checked\n01,10,9,x\n02,1,1,1\n03,1,1,1\n' >d/monthly/2013-05.csv
  expect_status 1 "$KAOHE" check d
  local cmd
  while IFS= read -r cmd; do
    rm -rf run && mkdir run
    (cd run && eval "expect_status 1 $cmd") || return 1
    [ ! -s run/stdout ] || { echo "stdout written by: $cmd"; return 1; }
    [ -z "$(ls -A run | grep -v '^stdout$\|^stderr$')" ] || { echo "files written by: $cmd"; ls -AR run; return 1; }
  done <<EOF
"\$KAOHE" score ../d --month 2013-02
"\$KAOHE" score ../d --month 2013-02 --format json
"\$KAOHE" score ../d --quarter 2013Q1 --partial --format csv
"\$KAOHE" month ../d 2013-02
"\$KAOHE" quarter ../d 2013Q1 --partial
"\$KAOHE" mail ../d 2013-02 --eml --from tjk@example.gov.cn
EOF
}
check 14 "§2.3 score and every document command refuse (exit 1, nothing on stdout or disk) on an error in any file" c14

c15() {
  fresh d
  printf '\n[fonts]\nbody = /nonexistent/仿宋.ttf\n' >>d/rules.ini
  cp d/monthly/2013-02.csv d/monthly/2013-03.csv
  mkdir run
  cd run
  expect_status 1 "$KAOHE" month ../d 2013-02
  expect_status 1 "$KAOHE" quarter ../d 2013Q1
  [ -z "$(ls -A | grep -v '^stdout$\|^stderr$')" ] || { echo "left on disk:"; ls -AR; return 1; }
}
check 15 "§2.3/§8 a document run that fails (missing font file) leaves no folder behind" c15

c16() {
  fresh d
  printf '\n[fonts]\nbody = /nonexistent/仿宋.ttf\n' >>d/rules.ini
  expect_status 0 "$KAOHE" check d
  has_diag '^d/rules.ini:36:8: warning: \[fonts\] body'
  expect_status 0 "$KAOHE" score d --month 2013-02
}
check 16 "§8 check warns about a [fonts] entry naming a file that does not exist (a font is not data: score still runs)" c16

# ---- §3 rules.ini ------------------------------------------------------

c17() {
  fresh d
  sed 's/^weight   = 50$/wieght   = 50/' "$good/rules.ini" >d/rules.ini
  printf '\n[foo]\nbar = 1\n\n[indicator.check_rate]\nname = x\n' >>d/rules.ini
  expect_status 1 "$KAOHE" check d
  has_diag '^d/rules.ini:24:1: error: \[indicator.sex_ratio\] wieght: '
  has_diag '^d/rules.ini:35:1: warning: \[foo\]'
  has_diag '^d/rules.ini:38:1: error: \[indicator.check_rate\]: '
  fresh e
  printf '\n[quarter]\ncombine = mean\ncombine = median\n' >>e/rules.ini
  expect_status 1 "$KAOHE" check e
  has_diag '^e/rules.ini:37:1: error: \[quarter\] combine: '
  has_diag '^e/rules.ini:37:11: error: \[quarter\] combine: .*median'
}
check 17 "§3 unknown key is an error, unknown group a warning, a group or key twice an error, combine only mean" c17

c18() {
  fresh d
  "$KAOHE" score d --month 2013-02 --format json >s.json
  [ "$(json "d['townships'][0]['indicators'][1]['target']" s.json)" = "13.33" ]
  [ "$(json "d['townships'][0]['indicators'][0]['value']" s.json)" = "110.5" ]
  expect_status 1 "$KAOHE" score d --month 2014-02
  [ ! -s stdout ]
}
check 18 "§3 decimals defaults to 2; --month outside [assessment] year is an error (exit 1)" c18

# ---- §3.1-3.6 corners --------------------------------------------------

ranks_rules="$assessment
[indicator.r]
name   = 排名高
value  = a
target = >= 5
weight = 10
method = rank 3

[indicator.rl]
name   = 排名低
value  = a
target = <= 5
weight = 10
method = rank 4

[indicator.attr]
name   = 只用属性
value  = task
target = >= 1
weight = 10
method = all-or-nothing

[indicator.mon]
name   = 只用月份
value  = month
target = >= 1
weight = 10
method = all-or-nothing

[indicator.na]
name   = 除零
value  = a / b
target = >= c
weight = 10
method = rank 1

[indicator.v]
name     = 否决
value    = c / b
target   = >= 100
weight   = 10
method   = all-or-nothing
veto     = true
deadline = 2013-02-28

[indicator.p]
name   = 比例
value  = a - 9
target = >= 0
weight = 10
method = proportional
"
ranks_month='township,a,b,c\nt1,5,0,100\nt2,7,1,99\nt3,5,2,\nt4,9,0,100\n'

c19() {
  own d 'code,name,task\nt1,甲,1\nt2,乙,2\nt3,丙,3\nt4,丁,4\nt5,戊,5\n' \
    "2013-01=$ranks_month" "2013-02=$ranks_month" <<<"$ranks_rules"
  expect_status 0 "$KAOHE" check d
  "$KAOHE" score d --month 2013-01 --format csv | cut -d, -f2,4,5,9,11,12,14,15 >jan.csv
  "$KAOHE" score d --month 2013-02 --format csv | cut -d, -f2,4,5,9,11,12,14,15 >feb.csv
  # totals: t4 60, t1 54, t2 39, t3 34, t5 0 (ranks 1..5)
  # rank 3, >=: 9 → 1, 7 → 2, 5 and 5 share 3; rank 4, <=: 5 5 share 1, 7 → 3, 9 → 4 (floor 0)
  grep -qx 't4,r,ok,true,10,false,1,false' jan.csv
  grep -qx 't2,r,ok,true,7,false,3,false' jan.csv
  grep -qx 't1,r,ok,true,4,false,2,false' jan.csv
  grep -qx 't3,r,ok,true,4,false,4,false' jan.csv
  grep -qx 't2,rl,ok,false,2,false,3,false' jan.csv
  grep -qx 't4,rl,ok,false,0,false,1,false' jan.csv
  # no row: missing on every indicator, even attribute-only and month-only
  [ "$(grep -c '^t5,.*,missing,false,0,' jan.csv)" -eq 7 ]
  grep -qx 't5,mon,missing,false,0,false,5,false' jan.csv
  # na (a / 0) scores W under rank; missing (c empty) wins over na
  grep -qx 't1,na,na,false,10,false,2,false' jan.csv
  grep -qx 't3,na,missing,false,0,false,4,false' jan.csv
  # veto item: before the deadline's month a warning, in it a veto; na neither
  grep -qx 't2,v,ok,false,0,true,3,false' jan.csv
  grep -qx 't3,v,missing,false,0,true,4,false' jan.csv
  grep -qx 't2,v,ok,false,0,false,3,true' feb.csv
  grep -qx 't3,v,missing,false,0,false,4,true' feb.csv
  grep -qx 't5,v,missing,false,0,false,5,true' feb.csv
  grep -qx 't1,v,na,false,10,false,2,false' feb.csv
  # a vetoed township keeps its score and rank
  grep -qx 't2,attr,ok,true,10,false,3,true' feb.csv
  # proportional: value 5 - 9 < 0 against 0 is a miss with a zero divisor: 0
  grep -qx 't1,p,ok,false,0,false,2,false' jan.csv
}
check 19 "§3.2-3.4 rank ties, <= ranking and floor, no-row townships, na scores W, missing over na, deadline month, vetoed still ranked" c19

c20() {
  own d 'code,name,task\nt1,甲,1\nt2,乙,2\nt3,丙,3\nt4,丁,4\nt5,戊,5\n' \
    "2013-01=$ranks_month" <<<"$ranks_rules"
  "$KAOHE" score d --month 2013-01 --format json >s.json
  # county: t5 (no row) left out everywhere; t3 (c missing) left out of na and v
  [ "$(json "[i['left_out'] for i in d['county']['indicators']]" s.json)" = "[1, 1, 1, 1, 2, 2, 1]" ]
  [ "$(json "d['county']['indicators'][2]['value']" s.json)" = "10" ]
  [ "$(json "d['county']['indicators'][3]['value']" s.json)" = "1" ]
  own e 'code,name,task\nt1,甲,1\n' '2013-01=township,a,b,c\nt1,,1,1\n' <<<"$ranks_rules"
  "$KAOHE" score e --month 2013-01 --format json >e.json 2>/dev/null
  [ "$(json "d['county']['indicators'][0]['status'], d['county']['indicators'][0]['value'], d['county']['indicators'][0]['left_out']" e.json)" = "missing None 1" ]
}
check 20 "§3.1 county line: missing townships left out (left_out), month not summed, all left out is missing" c20

quarter_rules="$assessment
[indicator.s]
name   = 分
value  = a
target = >= 100
weight = 100
method = proportional

[indicator.v]
name   = 否决
value  = c
target = >= 1
weight = 0
method = all-or-nothing
veto   = true

[quarter]
combine     = mean
veto_action = 取消评先资格

[award.first]
ranks  = 1
action = 表扬

[award.second]
ranks     = 2-3
min_score = 80
action    = 奖励

[penalty.last]
bottom = 2
action = 批评

[penalty.rest]
action = 提醒
"
quarter_towns='code,name\nt1,甲\nt2,乙\nt3,丙\nt4,丁\nt5,戊\nt6,己\nt7,庚\n'
quarter_apr='township,a,c\nt1,90,1\nt2,85,1\nt3,85,1\nt4,50,1\nt5,50,1\nt6,99,0\nt7,70,1\n'
quarter_jun='township,a,c\nt1,90,1\nt2,85,1\nt3,85,1\nt4,50,1\nt5,50,1\nt6,99,1\nt7,70,1\n'

c21() {
  own d "$quarter_towns" "2013-04=$quarter_apr" "2013-06=$quarter_jun" <<<"$quarter_rules"
  expect_status 1 "$KAOHE" score d --quarter 2013Q2 --format json
  [ ! -s stdout ]
  "$KAOHE" score d --quarter 2013Q2 --partial --format json >q.json
  [ "$(json "d['months'], d['partial']" q.json)" = "['2013-04', '2013-06'] True" ]
  [ "$(json "[(t['code'], t['monthly'], t['score'], t['rank'], t['award'], t['penalty'], t['action']) for t in d['townships']]" q.json)" = \
    "[('t1', [90, 90], 90, 1, 'first', None, '表扬'), ('t2', [85, 85], 85, 2, 'second', None, '奖励'), ('t3', [85, 85], 85, 2, 'second', None, '奖励'), ('t4', [50, 50], 50, 5, None, 'last', '批评'), ('t5', [50, 50], 50, 5, None, 'last', '批评'), ('t6', [99, 99], 99, None, None, None, '取消评先资格'), ('t7', [70, 70], 70, 4, None, 'rest', '提醒')]" ]
  [ "$(json "d['townships'][5]['veto'], d['townships'][5]['veto_months']" q.json)" = "True ['2013-04']" ]
  "$KAOHE" score d --quarter 2013Q2 --partial --format csv >q.csv
  grep -qx '2013Q2,2013-04;2013-06,true,t6,己,99,99,,99,,true,2013-04,,,取消评先资格.' q.csv
}
check 21 "§3.6 quarter: partial needs --partial, bottom ties, tier without condition, veto leaves ranking, monthly lists months present" c21

# ---- §4 output ---------------------------------------------------------

c22() {
  fresh d
  "$KAOHE" score d --month 2013-02 --format json >m.json
  [ "$(json "list(d), list(d['county']), list(d['county']['indicators'][0]), list(d['townships'][0]), list(d['townships'][0]['indicators'][0])" m.json)" = \
    "['period', 'county', 'townships'] ['indicators'] ['id', 'value', 'target', 'op', 'met', 'gap', 'status', 'left_out'] ['code', 'name', 'total', 'rank', 'veto', 'indicators'] ['id', 'value', 'target', 'met', 'gap', 'score', 'status', 'warning']" ]
  own q "$quarter_towns" "2013-04=$quarter_apr" "2013-05=$quarter_jun" "2013-06=$quarter_jun" <<<"$quarter_rules"
  "$KAOHE" score q --quarter 2013Q2 --format json >q.json
  [ "$(json "list(d), list(d['townships'][0])" q.json)" = \
    "['period', 'months', 'partial', 'townships'] ['code', 'name', 'monthly', 'score', 'rank', 'veto', 'veto_months', 'award', 'penalty', 'action']" ]
  not grep -qE '[0-9]\.[0-9]*0000|99999' m.json q.json
}
check 22 "§4 JSON keys exactly as SPEC shows them (month and quarter)" c22

c23() {
  own d 'code,name\nt1,甲\n' '2013-01=township,a\nt1,1\n' <<EOF
$assessment
[indicator.z]
name     = 负零
value    = 0 - a / 1000
target   = >= 0 - 0.004
weight   = 10
method   = deduct 1 per 1

[indicator.f]
name     = 浮点
value    = 0.1 + 0.2 + 84.41
target   = >= 84.709999999999994
weight   = 33.333
method   = proportional
EOF
  "$KAOHE" score d --month 2013-01 --format json >s.json
  grep -q '"value": 0,' s.json
  grep -q '"target": 0,' s.json
  not grep -qE -- '-0[,}]?$' s.json
  grep -q '"value": 84.71,' s.json
  not grep -qE '[0-9]{12}' s.json
  "$KAOHE" score d --month 2013-01 --format csv >s.csv
  grep -q '^2013-01,t1,甲,f,ok,84.71,84.71,>=,true,0,33.33,false,43.33,1,false,.$' s.csv
}
check 23 "§4 numbers in shortest form (84.71, 0 — never -0 or 84.709999999999994)" c23

c24() {
  fresh d
  "$KAOHE" score d --month 2013-02 --format csv >s.csv
  head -c 3 s.csv | cmp -s - <(printf '\xEF\xBB\xBF')
  [ "$(head -1 s.csv | tr -d '\r\357\273\277')" = "period,code,name,indicator,status,value,target,op,met,gap,score,warning,total,rank,veto,left_out" ]
  grep -q '^2013-02,01,城关镇,sex_ratio,ok,110.5,107,<=,false,3.5,43,false,93,2,false,.$' s.csv
  grep -q '^2013-02,,,check_rate,ok,85.89,13.33,>=,true,0,,,,,,0.$' s.csv
  own q "$quarter_towns" "2013-04=$quarter_apr" "2013-06=$quarter_jun" <<<"$quarter_rules"
  "$KAOHE" score q --quarter 2013Q2 --partial --format csv >q.csv
  head -c 3 q.csv | cmp -s - <(printf '\xEF\xBB\xBF')
  [ "$(head -1 q.csv | tr -d '\r\357\273\277')" = "period,months,partial,code,name,monthly_1,monthly_2,monthly_3,score,rank,veto,veto_months,award,penalty,action" ]
  grep -q '^2013Q2,2013-04;2013-06,true,t1,甲,90,90,,90,1,false,,first,,表扬.$' q.csv
}
check 24 "§4 CSV: BOM, exact headers, booleans, empty nulls, ;-joined lists, monthly_k empty past the end" c24

# ---- §5 documents: numbers and dates -----------------------------------

pdf_text() { pdftotext "$1" - 2>/dev/null | tr -d '\f'; }

c25() {
  command -v pdftotext >/dev/null || { echo "no pdftotext: skipped"; return 0; }
  fresh d
  printf '\n[notice]\ndocno_prefix = 审人口\n' >>d/rules.ini
  # 2013-08-04T20:00Z is 2013-08-05 04:00 in China, whatever TZ says
  SOURCE_DATE_EPOCH=1375646400 TZ=America/New_York "$KAOHE" month d 2013-02 -o m1 2>/dev/null
  pdf_text m1/督查通报_2013-02.pdf >m1.txt
  grep -qx '审人口〔2013〕1号' m1.txt
  grep -qx '2013年8月5日' m1.txt
  grep -qx '2013年8月5日印发' m1.txt
  SOURCE_DATE_EPOCH=1375646400 "$KAOHE" month d 2013-02 -o m2 --doc-no 15 --date 2013-09-30 2>/dev/null
  pdf_text m2/督查通报_2013-02.pdf >m2.txt
  grep -qx '审人口〔2013〕15号' m2.txt
  grep -qx '2013年9月30日' m2.txt
  grep -qx '2013年9月30日印发' m2.txt
  not grep -q '2013年8月5日' m2.txt
}
check 25 "§5 document number prefix〔YEAR〕N号, --doc-no, SOURCE_DATE_EPOCH in China time, --date overrides both" c25

c26() {
  command -v pdftotext >/dev/null || { echo "no pdftotext: skipped"; return 0; }
  fresh d
  printf '\n[notice]\ndocno_prefix = 审人口\n' >>d/rules.ini
  cp d/monthly/2013-02.csv d/monthly/2013-03.csv
  SOURCE_DATE_EPOCH=1375646400 "$KAOHE" quarter d 2013Q1 -o a 2>/dev/null
  pdf_text a/季度奖惩通报_2013Q1.pdf >a.txt
  grep -qx '审人口〔2013〕1号' a.txt
  grep -q '2013年8月5日' a.txt
}
check 26 "§5.1 the quarterly report's number comes from the document register (1 in an empty one)" c26

# ---- §8 command line ---------------------------------------------------

c27() {
  local c
  for c in check score month quarter mail init serve forms import; do
    expect_status 0 "$KAOHE" $c --help || return 1
    grep -q 'Usage\|用法' stdout || { echo "$c --help says nothing"; return 1; }
    expect_status 2 "$KAOHE" $c || return 1
    expect_status 2 "$KAOHE" $c --no-such-option x || return 1
  done
  expect_status 0 "$KAOHE" --help
  expect_status 0 "$KAOHE" --version
  expect_status 2 "$KAOHE"
  expect_status 2 "$KAOHE" frobnicate
  fresh d
  expect_status 2 "$KAOHE" score d
  expect_status 2 "$KAOHE" score d --month 2013-02 --partial
  expect_status 2 "$KAOHE" score d --month 2013-02 --quarter 2013Q1
  expect_status 2 "$KAOHE" score d --month 2013-02 --format xml
  expect_status 2 "$KAOHE" score d --month 2013-2
  expect_status 2 "$KAOHE" month d 2013-13
  expect_status 2 "$KAOHE" quarter d 2013Q5
}
check 27 "§8 --help on every command (exit 0); wrong usage exits 2" c27

c28() {
  fresh d
  cp d/monthly/2013-02.csv d/monthly/2013-03.csv
  mkdir cwd
  cd cwd
  "$KAOHE" month ../d 2013-02 2>/dev/null
  [ -f out/2013-02/scores_2013-02.json ]
  "$KAOHE" quarter ../d 2013Q1 2>/dev/null
  [ -f archive/2013Q1/SHA256SUMS ]
  (cd archive/2013Q1 && sha256sum --quiet -c SHA256SUMS)
  expect_status 1 "$KAOHE" quarter ../d 2013Q1
  "$KAOHE" mail ../d 2013-02 --eml --from tjk@example.gov.cn >/dev/null 2>&1
  [ -f out/2013-02/邮件/01_城关镇.eml ]
}
check 28 "§8 default folders out/YYYY-MM and archive/YYYYQn relative to the current folder; archive refuses to be replaced" c28

c29() {
  fresh d
  mkdir run
  cd run
  expect_status 1 "$KAOHE" mail ../d 2013-02 --eml --from tjk@example.gov.cn
  [ -z "$(ls -A | grep -v '^stdout$\|^stderr$')" ]
  "$KAOHE" month ../d 2013-02 2>/dev/null
  rm out/2013-02/乡镇/2013-02_03_石桥镇_考评得分.xlsx
  expect_status 1 "$KAOHE" mail ../d 2013-02 --eml --from tjk@example.gov.cn
  [ ! -e out/2013-02/邮件 ]
}
check 29 "§8 mail fails, writing nothing, when the month's workbooks are absent" c29

c30() {
  fresh d
  expect_status 2 "$KAOHE" mail d 2013-02 --smtp smtp://127.0.0.1:9 --from a@example.org --user u --password secret
  expect_status 2 "$KAOHE" mail d 2013-02 --smtp 'smtp://u:secret@127.0.0.1:9' --from a@example.org
  not grep -q secret stderr
}
check 30 "§8 the SMTP password never comes from an argument (no --password, no user:password@ in the URL)" c30

c31() {
  fresh d
  "$KAOHE" month d 2013-02 -o o1 --jobs 1 2>err.txt
  not grep -q $'\r' err.txt
  command -v script >/dev/null || { echo "no script(1): tty half skipped"; return 0; }
  script -qec "\"$KAOHE\" month d 2013-02 -o o2 --jobs 1" /dev/null >tty.txt 2>&1
  grep -q $'\r' tty.txt
}
check 31 "§8 progress on stderr only when it is a terminal" c31

c32() {
  fresh d
  cp d/monthly/2013-02.csv d/monthly/2013-03.csv
  expect_status 2 "$KAOHE" quarter d 2013Q1 -o q1 --date 2013-02-30
  expect_status 2 "$KAOHE" quarter d 2013Q1 -o q2 --doc-no 0
  [ -s stderr ]
  expect_status 2 "$KAOHE" quarter d 2013Q1 -o q3 --doc-no -3
  [ -s stderr ]
  [ ! -e q1 ]
  [ ! -e q2 ]
  [ ! -e q3 ]
}
check 32 "§8 quarter: an invalid --date or a --doc-no below 1 is wrong usage (exit 2, with a message)" c32

c33() {
  fresh d
  expect_status 2 "$KAOHE" month d 2013-02 -o m1 --date 2013-02-30
  expect_status 2 "$KAOHE" month d 2013-02 -o m2 --date 2013-9-3
  expect_status 2 "$KAOHE" month d 2013-02 -o m3 --doc-no 0
  [ -s stderr ]
  expect_status 2 "$KAOHE" month d 2013-02 -o m4 --doc-no -3
  [ -s stderr ]
  expect_status 2 "$KAOHE" month d 2013-02 -o m5 --jobs -1
  [ -s stderr ]
  [ -z "$(ls -A | grep -v '^stdout$\|^stderr$\|^d$')" ]
}
check 33 "§8 month: an invalid --date or a --doc-no below 1 is wrong usage (exit 2, with a message)" c33

c34() {
  fresh d
  expect_status 1 sh -c "\"$KAOHE\" check d >/dev/full"
  expect_status 1 sh -c "\"$KAOHE\" score d --month 2013-02 --format json >/dev/full"
}
check 34 "§8 a failed write to stdout is an I/O error (exit 1)" c34

c35() {
  fresh d
  printf 'code,name,email\n01,城关镇,notmail\n02,新集镇,b@example.org\n03,石桥镇,"c@example.org; d@example.org"\n' >d/townships.csv
  sed -i 's|/ check_task|/ 100|' d/rules.ini
  expect_status 0 "$KAOHE" check d
  has_diag '^d/townships.csv:2:8: warning: .*notmail'
  has_diag '^d/townships.csv:4:8: warning: '
  mkdir run
  cd run
  "$KAOHE" month ../d 2013-02 2>/dev/null
  expect_status 1 "$KAOHE" mail ../d 2013-02 --eml --from tjk@example.gov.cn
  [ ! -e out/2013-02/邮件 ]
}
check 35 "§2.1/§5 an email cell that is not one address: check warns at the cell, mail refuses and writes nothing" c35

c36() {
  own d 'code,name\nt1,甲\nt2,乙\n' '2013-01=township,a\nt1,3\nt2,1\n' <<EOF
$assessment
[indicator.neg]
name   = 负数比例
value  = 0 - a
target = >= 0 - 2
weight = 10
method = proportional
EOF
  "$KAOHE" score d --month 2013-01 --format csv | cut -d, -f2,5,6,7,9,11 >s.csv
  # a miss whose ratio (-3 / -2) passes 1 is clamped to W (docs/scoring.md Readings)
  grep -qx 't1,ok,-3,-2,false,10' s.csv
  grep -qx 't2,ok,-1,-2,true,10' s.csv
}
check 36 "§3.3 proportional, literally: a miss with a ratio above 1 (negative numbers) is clamped to W" c36

echo "spec_audit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
