#!/usr/bin/env bash
# `kaohe mail --eml` (docs/reference/outputs.md, §8; templates/README.md): one .eml per
# township with an address, in OUTDIR/邮件/, read back with Python's email
# package (mail_check.py): Chinese subject, addresses, date, text and HTML
# parts, the workbook attached byte for byte. Also: usage errors (exit 2),
# no workbooks (exit 1, nothing written), townships without an address
# listed, identical files on a rerun, a copy of the sample with a veto, a
# township that did not report and a name full of Markdown, and a
# dataset's mail.md that is broken.
# Skips (77) while `kaohe mail` or the sample is missing.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
here="$KAOHE_SOURCE_DIR/tests/e2e"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
py=/usr/bin/python3

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ -f "$sample/rules.ini" ] || skip "the sample county $sample is absent"
[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"
"$KAOHE" mail --help >/dev/null 2>&1 || fail "'kaohe mail --help' does not run: the program does not start"
[ -x "$py" ] || {
  [ "${CI:-}" = true ] && fail "$py is missing"
  skip "$py is missing (apt-get install python3)"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$tmp/sample" && rm -f "$tmp/sample/发文登记.csv" && sample="$tmp/sample"
export SOURCE_DATE_EPOCH=1378339200 # 2013-09-05 08:00 China time

# expect STATUS CMD...: runs CMD (stdout, stderr into $tmp/out, $tmp/err).
expect() {
  local want=$1 got=0
  shift
  "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" -eq "$want" ] || {
    cat "$tmp/out" "$tmp/err"
    fail "exit $got, expected $want: $*"
  }
}

# Wrong usage: exit 2 before anything is read.
expect 2 "$KAOHE" mail "$sample" 2013-07
expect 2 "$KAOHE" mail "$sample" 2013-07 --eml --smtp smtp://127.0.0.1:25 --from a@example.org
expect 2 "$KAOHE" mail "$sample" 2013-07 --eml --test a@example.org
expect 2 "$KAOHE" mail "$sample" 2013-07 --smtp smtp://127.0.0.1:25 --test 'not an address'
expect 2 "$KAOHE" mail "$sample" 2013-07 --eml --user someone
expect 2 "$KAOHE" mail "$sample" 2013-07 --eml --from 'not an address'
expect 2 "$KAOHE" mail "$sample" 2013-07 --smtp http://127.0.0.1 --from a@example.org
expect 2 "$KAOHE" mail "$sample" 2013-07 --smtp smtp://127.0.0.1:25 --from a@example.org --password x
expect 2 "$KAOHE" mail "$sample" 2013-13 --eml
echo "ok: usage errors exit 2"

# Before kaohe month: the workbooks are missing, nothing is written.
expect 1 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --eml
grep -q "kaohe month" "$tmp/err" || fail "no hint to run kaohe month: $(cat "$tmp/err")"
[ ! -e "$tmp/out7/邮件" ] || fail "mail wrote $tmp/out7/邮件 without workbooks"
echo "ok: no workbooks, nothing written"

expect 0 "$KAOHE" month "$sample" 2013-07 -o "$tmp/out7"
"$KAOHE" score "$sample" --month 2013-07 --format json >"$tmp/scores7.json"
expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --eml
# Every township is reported; the two without an address are named.
[ "$(wc -l <"$tmp/out")" -eq "$(($(wc -l <"$sample/townships.csv") - 1))" ] ||
  fail "expected one report line per township: $(cat "$tmp/out")"
grep -q '^12 黄土岭乡: 没有邮箱地址' "$tmp/out" || fail "12 without address not listed: $(cat "$tmp/out")"
grep -q '^14 双庙乡: 没有邮箱地址' "$tmp/out" || fail "14 without address not listed"
grep -q '2 个乡镇没有邮箱地址' "$tmp/err" || fail "summary lacks the townships without address"
"$py" "$here/mail_check.py" --dataset "$sample" --outdir "$tmp/out7" --period 2013-07 \
  --scores "$tmp/scores7.json" --created "$SOURCE_DATE_EPOCH" --eml-dir "$tmp/out7/邮件" \
  --from tjk@example.gov.cn || fail "the .eml files do not match the dataset and workbooks"
"$py" "$here/mail_check.py" text "$tmp/out7/邮件/02_新集镇.eml" >"$tmp/text"
for want in '新集镇李秀兰同志：' '考评得分56.39分，在全县14个乡（镇）中排名第14位' \
  '以下4项指标未达到责任指标要求' '1.出生人口性别比为127.8，高于责任指标（107）20.8' \
  '一票否决预警：独生子女保健费兑现率为95.2%' '2013年9月15日前' \
  '详见附件《2013-07_02_新集镇_考评得分.xlsx》' '2013年9月5日'; do
  grep -qF "$want" "$tmp/text" || fail "02's mail lacks '$want': $(cat "$tmp/text")"
done
echo "ok: 02's text names its total, rank, misses, warning and attachment"

# The same inputs give the same files.
cp -r "$tmp/out7/邮件" "$tmp/eml-first"
expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --eml
diff -r "$tmp/eml-first" "$tmp/out7/邮件" >/dev/null || fail "a rerun changed the .eml files"
echo "ok: rerun gives byte-identical .eml files"

# No sender in rules.ini ([mail] from) and no --from: exit 1 before anything
# is written, saying how to set one; --from alone is enough.
nofrom="$tmp/nofrom"
cp -r "$sample" "$nofrom"
sed -i '/^\[mail\]/,/^from/d' "$nofrom/rules.ini"
expect 1 "$KAOHE" mail "$nofrom" 2013-07 -o "$tmp/out7b" --eml
grep -q '没有设置发件人' "$tmp/err" && grep -q '^  \[mail\]' "$tmp/err" &&
  grep -q '^  from = 某某县人口和计划生育局 <' "$tmp/err" && grep -q -- '--from' "$tmp/err" ||
  fail "no sender: not said how to set one: $(cat "$tmp/err")"
[ ! -e "$tmp/out7b" ] || fail "mail wrote $tmp/out7b without a sender"
expect 0 "$KAOHE" month "$nofrom" 2013-07 -o "$tmp/out7b"
expect 1 "$KAOHE" mail "$nofrom" 2013-07 -o "$tmp/out7b" --eml
[ ! -e "$tmp/out7b/邮件" ] || fail "mail wrote $tmp/out7b/邮件 without a sender"
expect 0 "$KAOHE" mail "$nofrom" 2013-07 -o "$tmp/out7b" --eml --from '县计生局 <jsj@example.gov.cn>'
grep -q '^From: =?UTF-8?.*<jsj@example.gov.cn>' "$tmp/out7b/邮件/01_城关镇.eml" ||
  fail "--from not the sender: $(grep '^From:' "$tmp/out7b/邮件/01_城关镇.eml")"
grep -rq 'kaohe@localhost' "$tmp/out7/邮件" "$tmp/out7b/邮件" && fail "a message from kaohe@localhost"
echo "ok: the sender comes from rules.ini or --from, and without one nothing is written"

# A copy: 12 gets an address (vetoed in September), 13 sends no September
# row, 14 is renamed with Markdown characters and has no contact.
ds="$tmp/ds"
cp -r "$sample" "$ds"
rm -rf "$ds/templates"
sed -i -e 's/^12,黄土岭乡,,/12,黄土岭乡,12@example.org,/' \
  -e 's/^14,双庙乡,,[^,]*,/14,*双庙*_乡 [1],14@example.org,,/' "$ds/townships.csv"
sed -i 's/^双庙乡,/*双庙*_乡 [1],/' "$ds"/monthly/*.csv # a month keyed by name
grep -v '^13,' "$ds/monthly/2013-09.csv" >"$tmp/m" && mv "$tmp/m" "$ds/monthly/2013-09.csv"
expect 0 "$KAOHE" month "$ds" 2013-09 -o "$tmp/out9"
# A malformed address: that township is named, and no mail is written.
sed -i 's/^11,李寨乡,11@example.org,/11,李寨乡,li zhai@example.org,/' "$ds/townships.csv"
expect 1 "$KAOHE" mail "$ds" 2013-09 -o "$tmp/out9" --eml
grep -q '乡镇 11 的邮件无法生成：收件人地址无效' "$tmp/err" || fail "bad address not named: $(cat "$tmp/err")"
[ ! -e "$tmp/out9/邮件" ] || fail "mails written despite a bad address"
sed -i 's/^11,李寨乡,li zhai@example.org,/11,李寨乡,11@example.org,/' "$ds/townships.csv"
"$KAOHE" score "$ds" --month 2013-09 --format json >"$tmp/scores9.json"
expect 0 "$KAOHE" mail "$ds" 2013-09 -o "$tmp/out9" --eml --from jsj@example.gov.cn
grep -q '没有邮箱地址' "$tmp/out" && fail "every township has an address now: $(cat "$tmp/out")"
"$py" "$here/mail_check.py" --dataset "$ds" --outdir "$tmp/out9" --period 2013-09 \
  --scores "$tmp/scores9.json" --created "$SOURCE_DATE_EPOCH" --from jsj@example.gov.cn \
  --eml-dir "$tmp/out9/邮件" || fail "the copy's .eml files do not match"
"$py" "$here/mail_check.py" text "$tmp/out9/邮件/12_黄土岭乡.eml" >"$tmp/text"
grep -qF '一票否决：独生子女保健费兑现率为96.41%，未达到责任指标（≥100%），本月实行一票否决' "$tmp/text" ||
  fail "12's veto is not spelt out: $(cat "$tmp/text")"
"$py" "$here/mail_check.py" text "$tmp/out9/邮件/13_青山乡.eml" >"$tmp/text"
grep -qF '你乡（镇）未按时报送2013年9月数据' "$tmp/text" || fail "13 not told it did not report: $(cat "$tmp/text")"
"$py" "$here/mail_check.py" text "$tmp/out9/邮件/14__双庙__乡 [1].eml" >"$tmp/text" ||
  fail "no .eml for '*双庙*_乡 [1]': $(ls "$tmp/out9/邮件")"
grep -qF '*双庙*_乡 [1]人口计生办：' "$tmp/text" || fail "a Markdown name is not printed as written: $(cat "$tmp/text")"
echo "ok: veto, unreported month and a name full of Markdown"

# A dataset's mail.md overrides the shipped one; its errors name the line.
mkdir -p "$ds/templates"
printf '%s\n' '主题：{{township.name}}' '正文' >"$ds/templates/mail.md"
rm -rf "$tmp/out9/邮件"
expect 1 "$KAOHE" mail "$ds" 2013-09 -o "$tmp/out9" --eml
grep -q 'templates/mail.md:1:1: error: .*Subject:' "$tmp/err" || fail "first line not refused: $(cat "$tmp/err")"
printf '%s\n' 'Subject: {{township.name}}' '' '{{#township.vetoed}}否决' >"$ds/templates/mail.md"
expect 1 "$KAOHE" mail "$ds" 2013-09 -o "$tmp/out9" --eml
grep -q 'templates/mail.md:3:1: error:' "$tmp/err" || fail "unclosed section not located: $(cat "$tmp/err")"
[ ! -e "$tmp/out9/邮件" ] || [ -z "$(ls "$tmp/out9/邮件")" ] || fail "a broken template wrote mails"
printf '%s\n' 'Subject: 考评结果：{{township.name}}' '' '{{township.name}}，得分{{township.total}}。' \
  >"$ds/templates/mail.md"
expect 0 "$KAOHE" mail "$ds" 2013-09 -o "$tmp/out9" --eml
"$py" - "$tmp/out9/邮件/14__双庙__乡 [1].eml" <<'EOF' || fail "the dataset's mail.md was not used"
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["Subject"] == "考评结果：*双庙*_乡 [1]", m["Subject"]
assert m.get_body(("plain",)).get_content().startswith("*双庙*_乡 [1]，得分"), m.get_body(("plain",)).get_content()
EOF
echo "ok: a dataset's mail.md is used, and its errors are located"
echo "PASS"
