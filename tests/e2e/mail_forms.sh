#!/usr/bin/env bash
# `kaohe mail --forms` (docs/reference/forms.md, templates/README.md): each
# township with an address its fill-in form from `kaohe forms`' folder.
#   * --forms with --test: a usage error; before `kaohe forms`: exit 1,
#     nothing written; a form that is another township's: refused;
#   * a month file with errors does not stop it (rules and registry only);
#   * --eml: one message per township, subject and text from
#     templates/forms_mail.md, the form attached byte for byte;
#   * --smtp through tests/e2e/smtp_server.py: a refused recipient fails
#     alone, the delivery log records kind "forms", a rerun sends only the
#     failed one and a third run nothing.
source "$(dirname "$0")/lib/common.bash"
here="$KAOHE_SOURCE_DIR/tests/e2e"
py=/usr/bin/python3
"$py" -c 'import aiosmtpd' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "python3-aiosmtpd is missing for $py and CI=true"
  skip "the SMTP part needs python3-aiosmtpd for $py"
}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
own_sample "$tmp"
export SOURCE_DATE_EPOCH=1378339200 # 2013-09-05 08:00 China time
unset KAOHE_SMTP_PASSWORD
from=jsj@example.gov.cn
forms=$tmp/forms

expect() { # expect STATUS CMD...: stdout, stderr into $tmp/out, $tmp/err
  local want=$1 got=0
  shift
  "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" -eq "$want" ] || { cat "$tmp/out" "$tmp/err"; fail "exit $got, expected $want: $*"; }
}

expect 2 "$KAOHE" mail "$sample" 2013-08 --forms --smtp smtp://127.0.0.1:25 --test a@example.org
expect 1 "$KAOHE" mail "$sample" 2013-08 --forms --eml -o "$forms"
grep -q "kaohe forms" "$tmp/err" || fail "no hint to run kaohe forms: $(cat "$tmp/err")"
[ ! -e "$forms/邮件" ] || fail "mail wrote .eml files without forms"

# an error in a month file (check reports it) does not stop the forms
sed -i '2s/^01,[0-9]*/01,abc/' "$sample/monthly/2013-07.csv"
expect 1 "$KAOHE" check "$sample"
expect 0 "$KAOHE" forms "$sample" 2013-08 -o "$forms"

# a form that is not the township's is not sent
cp "$forms/填报表_2013-08_01_城关镇.xlsx" "$tmp/keep.xlsx"
cp "$forms/填报表_2013-08_02_新集镇.xlsx" "$forms/填报表_2013-08_01_城关镇.xlsx"
expect 1 "$KAOHE" mail "$sample" 2013-08 --forms --eml -o "$forms"
grep -q '填报表_2013-08_01_城关镇.xlsx:1:1: error: 这个填报表不是 kaohe forms 为乡镇 01 的 2013-08 生成的' "$tmp/err" ||
  fail "another township's form: $(cat "$tmp/err")"
[ ! -e "$forms/邮件" ] || fail "mail wrote .eml files with a wrong form"
cp "$tmp/keep.xlsx" "$forms/填报表_2013-08_01_城关镇.xlsx"
echo "ok: usage, no forms, a wrong form"

expect 0 "$KAOHE" mail "$sample" 2013-08 --forms --eml -o "$forms"
grep -q '^05 柳林乡 <05@example.org>: 邮件/05_柳林乡.eml' "$tmp/out" || fail "--eml report: $(cat "$tmp/out")"
grep -q '^12 黄土岭乡: 没有邮箱地址' "$tmp/out" || fail "12 without address not listed"

# check_mails DIR CODES: DIR's NNNN.eml or CODE_NAME.eml are exactly CODES' forms
check_mails() {
  "$py" - "$sample" "$forms" "$1" "$2" <<'PYEOF' || fail "the mails in $1 are not the forms of $2"
import csv, email, email.policy, glob, sys
dataset, forms, folder, codes = sys.argv[1:]
names = {r["code"]: r["name"] for r in csv.DictReader(open(f"{dataset}/townships.csv", encoding="utf-8-sig"))}
got = {}
for path in sorted(glob.glob(f"{folder}/*.eml")):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    code = msg["To"].addresses[0].addr_spec.split("@")[0]
    assert code not in got, code
    name = names[code]
    assert str(msg["Subject"]) == f"某某县2013年8月月报填报表（{name}）", str(msg["Subject"])
    text = msg.get_body(("plain",)).get_content()
    attachment = f"填报表_2013-08_{code}_{name}.xlsx"
    assert f"《{attachment}》" in text and "共9项" in text, text
    parts = [p for p in msg.iter_attachments()]
    assert len(parts) == 1 and parts[0].get_filename() == attachment, parts
    assert parts[0].get_content() == open(f"{forms}/{attachment}", "rb").read(), attachment
    got[code] = True
assert sorted(got) == codes.split(","), sorted(got)
PYEOF
}
all=01,02,03,04,05,06,07,08,09,10,11,13 # the townships with an address
check_mails "$forms/邮件" "$all"
echo "ok: --eml, 12 mails with their forms"

start() { # start NAME ARGS...: a server writing into $tmp/NAME; sets $port
  local name=$1
  shift
  mkdir -p "$tmp/$name"
  "$py" "$here/smtp_server.py" --dir "$tmp/$name" --port-file "$tmp/$name/port" \
    --lifetime 120 "$@" 2>"$tmp/$name/server.err" &
  pids+=($!)
  for _ in $(seq 100); do
    [ -s "$tmp/$name/port" ] && break
    sleep 0.1
  done
  [ -s "$tmp/$name/port" ] || { cat "$tmp/$name/server.err"; fail "the SMTP server $name did not start"; }
  port=$(cat "$tmp/$name/port")
}
count() { grep -c "^$1"$'\t' "$tmp/$2/events.tsv" || true; }

start first --reject 03@example.org
expect 1 "$KAOHE" mail "$sample" 2013-08 --forms -o "$forms" --smtp "smtp://127.0.0.1:$port" \
  --from "$from" --jobs 2
grep -q '^03 石桥镇 <03@example.org>: 发送失败：收件人地址被拒绝' "$tmp/out" || fail "03's failure: $(cat "$tmp/out")"
[ "$(grep -c ': 已发送' "$tmp/out")" -eq 11 ] || fail "expected 11 sent: $(cat "$tmp/out")"
check_mails "$tmp/first" 01,02,04,05,06,07,08,09,10,11,13
log=$forms/mail-log.tsv
[ "$(awk -F'\t' 'NR > 1 && $3 == "forms" && $8 == "sent"' "$log" | wc -l)" -eq 11 ] ||
  fail "the delivery log does not record 11 forms sent: $(cat "$log")"
echo "ok: --smtp, 11 forms delivered, 03 refused, kind forms in the log"

start second
expect 0 "$KAOHE" mail "$sample" 2013-08 --forms -o "$forms" --smtp "smtp://127.0.0.1:$port" \
  --from "$from"
[ "$(count DATA second)" -eq 1 ] || fail "the rerun sent $(count DATA second) mails, expected 1"
check_mails "$tmp/second" 03
[ "$(grep -c ': 此前已发送，跳过' "$tmp/out")" -eq 11 ] || fail "the rerun does not report 11 skipped"
expect 0 "$KAOHE" mail "$sample" 2013-08 --forms -o "$forms" --smtp "smtp://127.0.0.1:$port" \
  --from "$from"
[ "$(count DATA second)" -eq 1 ] || fail "a third run sent mail again"
echo "ok: the rerun sent only 03, a third run nothing"
