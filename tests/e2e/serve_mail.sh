#!/usr/bin/env bash
# The web console's 邮件 panel and actions over HTTP with curl
# (docs/reference/console.md): on a month made by `kaohe month`, the panel
# lists each township's address and delivery state; POST …/mail/eml writes
# out/2013-07/邮件/ byte for byte as `kaohe mail --eml` does on another copy;
# POST …/mail/send sends through rules.ini's [mail] smtp (the local test
# server, which refuses 03) with the command's delivery log, and a second
# send sends only what failed; without the form token (403) or while the
# dataset is held (409 忙) nothing is written.
# Skips (77) without python3-aiosmtpd, except under CI=true where that fails.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"
py=/usr/bin/python3
"$py" -c 'import aiosmtpd' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "python3-aiosmtpd is missing for $py and CI=true"
  skip "the console's mail test needs python3-aiosmtpd for $py (apt-get install python3-aiosmtpd)"
}

tmp=$(mktemp -d)
smtp_pid=
trap 'stop_servers; [ -z "$smtp_pid" ] || kill "$smtp_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
own_sample "$tmp"
cp -r "$sample" "$tmp/by-command"
export SOURCE_DATE_EPOCH=1378339200 # both write the same Date:
unset KAOHE_SMTP_PASSWORD

mkdir "$tmp/smtp"
"$py" "$KAOHE_SOURCE_DIR/tests/e2e/smtp_server.py" --dir "$tmp/smtp" --port-file "$tmp/smtp/port" \
  --lifetime 300 --reject 03@example.org 2>"$tmp/smtp/err" &
smtp_pid=$!
for _ in $(seq 100); do
  [ -s "$tmp/smtp/port" ] && break
  sleep 0.1
done
[ -s "$tmp/smtp/port" ] || { cat "$tmp/smtp/err"; fail "the SMTP server did not start"; }
# the console's server: rules.ini's [mail] smtp, beside from
sed -i "s|^from = .*|&\nsmtp = smtp://127.0.0.1:$(cat "$tmp/smtp/port")|" "$sample/rules.ini"
"$KAOHE" check "$sample" >/dev/null 2>&1 || fail "rules.ini with [mail] smtp does not check"

# The month by the command, then the mails by the command on the other copy.
mkdir "$tmp/console"
cd "$tmp/console" # where serve looks for out/2013-07, as the commands would
"$KAOHE" month "$sample" 2013-07 2>/dev/null || fail "kaohe month failed"
(cd "$tmp" && "$KAOHE" month by-command 2013-07 -o cmd/2013-07 2>/dev/null &&
  "$KAOHE" mail by-command 2013-07 -o cmd/2013-07 --eml >/dev/null 2>&1) ||
  fail "kaohe month or mail --eml failed on the other copy"

start main "$sample"
token=$(csrf /month/2013-07)
[ ${#token} -eq 32 ] || fail "the month page has no form token"
has 'id="mail"'
has 'action="/month/2013-07/mail/eml"'
has 'action="/month/2013-07/mail/send"'
has "smtp://127.0.0.1:"
has "<td>01</td><td>城关镇</td><td>01@example.org</td><td class=\"\">未发送</td>"
has "没有邮箱地址"
echo "ok: the panel: buttons, server, each township's address and state"

# ---- refusals: nothing written -------------------------------------------------------
expect 403 /month/2013-07/mail/eml -X POST -d "x=1"
expect 403 /month/2013-07/mail/send -X POST -d "csrf=0123456789abcdef0123456789abcdef"
has "页面已过期"
flock -o "$sample" sleep 30 >/dev/null 2>&1 &
locker=$!
sleep 0.3
expect 409 /month/2013-07/mail/eml -X POST -d "csrf=$token"
has "忙："
expect 409 /month/2013-07/mail/send -X POST -d "csrf=$token"
expect 200 /month/2013-07 # reading is never blocked
pkill -P "$locker" sleep 2>/dev/null || true
wait "$locker" 2>/dev/null || true
[ ! -e out/2013-07/邮件 ] && [ ! -e out/2013-07/mail-log.tsv ] || fail "a refused POST wrote mail"
[ "$(grep -c '^DATA' "$tmp/smtp/events.tsv" 2>/dev/null || true)" -eq 0 ] || fail "a refused POST sent mail"
expect 404 /month/2013-13/mail/eml -X POST -d "csrf=$token"
echo "ok: no token 403, a held dataset 409 忙: nothing written or sent"

# ---- .eml -----------------------------------------------------------------------------
expect 200 /month/2013-07/mail/eml -X POST -d "csrf=$token"
has "2013年7月的邮件已写入"
has "邮件/01_城关镇.eml"
has "没有邮箱地址（townships.csv 的 email 列），未发邮件"
(cd out/2013-07/邮件 && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$tmp/console.sums"
(cd "$tmp/cmd/2013-07/邮件" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$tmp/command.sums"
diff "$tmp/console.sums" "$tmp/command.sums" || fail "the console's .eml files differ from kaohe mail --eml's"
[ "$(wc -l <"$tmp/console.sums")" -eq 12 ] || fail "expected 12 .eml files"
echo "ok: the 12 .eml files are byte for byte kaohe mail --eml's"

# ---- sending --------------------------------------------------------------------------
expect 200 /month/2013-07/mail/send -X POST -d "csrf=$token"
has "2013年7月的邮件未全部发出"
has "已发送 11 封，此前已发送而跳过 0 封，失败 1 封"
has "发送失败：收件人地址被拒绝"
log=out/2013-07/mail-log.tsv
[ "$(grep -c $'\tsent\t' "$log")" -eq 11 ] && [ "$(grep -c $'\tpermanent\t' "$log")" -eq 1 ] ||
  { cat "$log"; fail "mail-log.tsv does not record 11 sent and 03 refused"; }
grep -q $'^某某县\t2013-07\tmonth\t03\t03@example.org\t' "$log" || fail "the log's key is not the command's"
# what arrived is the .eml the command wrote (up to SMTP's final line break)
[ "$(grep -c '^DATA' "$tmp/smtp/events.tsv")" -eq 11 ] || fail "the server did not get 11 mails"
while IFS=$'\t' read -r kind file rcpt _; do
  [ "$kind" = DATA ] || continue
  code=${rcpt%%@*}
  want=$(ls "$tmp/cmd/2013-07/邮件/${code}_"*.eml)
  cmp <(sed -e '$a\' "$tmp/smtp/$file") <(sed -e '$a\' "$want") >/dev/null ||
    fail "the mail sent to $rcpt differs from kaohe mail's $want"
done <"$tmp/smtp/events.tsv"
expect 200 /month/2013-07
has "<td>01</td><td>城关镇</td><td>01@example.org</td><td class=\"good\">已发送</td>"
has "<td>03</td><td>石桥镇</td><td>03@example.org</td><td class=\"bad\">发送失败</td>"
echo "ok: sent through [mail] smtp with the command's log and bytes; the panel shows it"

expect 200 /month/2013-07/mail/send -X POST -d "csrf=$token"
[ "$(grep -o '此前已发送，跳过' "$tmp/body" | wc -l)" -eq 11 ] || fail "the second send does not skip 11"
[ "$(grep -c '^DATA' "$tmp/smtp/events.tsv")" -eq 11 ] || fail "the second send sent again"
[ "$(grep -c $'\tsent\t' "$log")" -eq 11 ] || fail "the second send logged a sent mail again"
echo "ok: a second send skips what went out"

# The command takes the same lock: while the dataset is held it waits, saying so.
flock -o "$sample" sleep 2 >/dev/null 2>&1 &
holder=$!
sleep 0.3
"$KAOHE" mail "$sample" 2013-07 --eml >"$tmp/out" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "kaohe mail --eml failed after waiting for the lock"; }
grep -q '数据集正被另一个操作使用' "$tmp/err" || fail "kaohe mail did not wait for the held dataset: $(cat "$tmp/err")"
wait "$holder"
echo "ok: kaohe mail waits for the dataset's lock"
echo "PASS"
