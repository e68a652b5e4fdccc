#!/usr/bin/env bash
# `kaohe mail --smtp` end to end (the man page, docs/kaohe.1.in; templates/README.md) against
# tests/e2e/smtp_server.py on 127.0.0.1 (a free port it picks itself):
#   * no workbooks: exit 1, nothing sent;
#   * every message arrives with the right recipient and attachment
#     (mail_check.py); a rejected recipient fails its township only, a 451
#     is retried, exit 1; a rerun sends only the failed one, a third run
#     nothing, --resend everything;
#   * --user over smtp:// needs STARTTLS: a server without it gets no login
#     and no mail, and the run stops at the first township; --no-starttls
#     logs in (with a warning); STARTTLS with --ca-file logs in encrypted.
# Skips (77) without python3-aiosmtpd, except under CI=true where that fails.
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
"$py" -c 'import aiosmtpd' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "python3-aiosmtpd is missing for $py and CI=true"
  skip "the SMTP test needs python3-aiosmtpd for $py (apt-get install python3-aiosmtpd)"
}

tmp=$(mktemp -d)
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$tmp/sample" && rm -f "$tmp/sample/发文登记.csv" && sample="$tmp/sample"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1378339200 # 2013-09-05 08:00 China time
unset KAOHE_SMTP_PASSWORD
from=jsj@example.gov.cn

# start NAME ARGS...: a server writing into $tmp/NAME; sets $port.
start() {
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

count() { grep -c "^$1"$'\t' "$tmp/$2/events.tsv" || true; }

check() { # check SERVER CODES: what SERVER received is exactly CODES' mails
  "$py" "$here/mail_check.py" --dataset "$sample" --outdir "$tmp/out7" --period 2013-07 \
    --scores "$tmp/scores.json" --created "$SOURCE_DATE_EPOCH" --from "$from" \
    --received "$tmp/$1" --only "$2" || fail "server $1 did not receive exactly the mails of $2"
}

all=01,02,03,04,05,06,07,08,09,10,11,13 # the townships with an address
"$KAOHE" score "$sample" --month 2013-07 --format json >"$tmp/scores.json"

start first --reject 03@example.org --tempfail-once 05@example.org
expect 1 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" --from "$from"
grep -q "kaohe month" "$tmp/err" || fail "no hint to run kaohe month: $(cat "$tmp/err")"
[ "$(count RCPT first)" -eq 0 ] || fail "something was sent without workbooks"
echo "ok: no workbooks, nothing sent"

expect 0 "$KAOHE" month "$sample" 2013-07 -o "$tmp/out7"

# --test ADDRESS: one township's message to ADDRESS only, from rules.ini's
# [mail] from; no delivery log, so the real run afterwards sends everything.
first_port=$port
start trial
expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" \
  --test tester@example.org
[ "$(count RCPT trial)" -eq 1 ] && [ "$(count DATA trial)" -eq 1 ] &&
  grep -q $'^RCPT\ttester@example.org\t250' "$tmp/trial/events.tsv" ||
  fail "--test did not send exactly one message to tester@example.org: $(cat "$tmp/trial/events.tsv")"
grep -q '^试发：01 城关镇 的邮件已发送到 tester@example.org' "$tmp/out" || fail "--test report: $(cat "$tmp/out")"
[ ! -e "$tmp/out7/mail-log.tsv" ] || fail "--test wrote the delivery log"
echo "ok: --test sends exactly one message, to the test address"
port=$first_port
expect 1 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" \
  --from "$from" --jobs 4
echo "--- first run (03 rejected, 05 answered 451 once), stdout:"
cat "$tmp/out"
echo "--- stderr:"
cat "$tmp/err"
echo "---"
grep -q '^03 石桥镇 <03@example.org>: 发送失败：收件人地址被拒绝（不存在或不接收）（550 ' "$tmp/out" || fail "03's failure not reported"
grep -q '^05 柳林乡 <05@example.org>: 已发送（尝试 2 次）' "$tmp/out" || fail "05's retry not reported"
[ "$(grep -c ': 已发送' "$tmp/out")" -eq 11 ] || fail "expected 11 townships sent"
grep -q '^12 黄土岭乡: 没有邮箱地址' "$tmp/out" || fail "12 without address not listed"
grep -q 'error: 乡镇 03 的邮件未能发送给 03@example.org' "$tmp/err" || fail "03's error not on stderr"
check first 01,02,04,05,06,07,08,09,10,11,13
log="$tmp/out7/mail-log.tsv"
[ "$(head -1 "$log")" = "$(printf 'dataset\tperiod\tkind\ttownship\trecipient\tattachment_sha256\tmessage_id\tstatus\ttime\treply')" ] ||
  fail "mail-log.tsv header: $(head -1 "$log")"
[ "$(grep -c $'\tsent\t' "$log")" -eq 11 ] && [ "$(grep -c $'\tpermanent\t' "$log")" -eq 1 ] ||
  fail "mail-log.tsv does not record 11 sent and 1 refused: $(cat "$log")"
echo "ok: 11 delivered with the right recipient and attachment, 03 refused, exit 1"

start second
expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" \
  --from "$from" --jobs 4
echo "--- rerun, stdout:"
cat "$tmp/out"
cat "$tmp/err"
echo "---"
[ "$(count DATA second)" -eq 1 ] || fail "the rerun sent $(count DATA second) mails, expected 1"
check second 03
[ "$(grep -c ': 此前已发送，跳过' "$tmp/out")" -eq 11 ] || fail "the rerun does not report 11 skipped"
echo "ok: the rerun sent only 03"

expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" --from "$from"
[ "$(count DATA second)" -eq 1 ] || fail "a third run sent mail again"
expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" \
  --from "$from" --resend --jobs 3
[ "$(count DATA second)" -eq 13 ] || fail "--resend did not send all 12 again"
echo "ok: a third run sends nothing, --resend everything"

# Logins: the password never on the command line, never in clear unasked.
printf 's3cret 密码\n' >"$tmp/password"
chmod 600 "$tmp/password"
start auth --auth 'kaohe:s3cret 密码'
url="smtp://127.0.0.1:$port"
expect 2 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "$url" --from "$from" --user kaohe
expect 1 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "$url" --from "$from" --user kaohe \
  --password-file "$tmp/password" --resend --jobs 1
grep -q 'STARTTLS' "$tmp/err" || fail "no word that STARTTLS is missing: $(cat "$tmp/err")"
[ "$(grep -c '已停止发送' "$tmp/out")" -eq 11 ] || fail "did not stop after the first: $(cat "$tmp/out")"
[ "$(count AUTH auth)" -eq 0 ] && [ "$(count RCPT auth)" -eq 0 ] || fail "logged in or sent without TLS"
KAOHE_SMTP_PASSWORD='s3cret 密码' expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" \
  --smtp "$url" --from "$from" --user kaohe --no-starttls --resend
grep -q '警告.*明文' "$tmp/err" || fail "no warning about a login in clear: $(cat "$tmp/err")"
[ "$(grep -c $'\ttls=no\tauth=kaohe$' "$tmp/auth/events.tsv")" -eq 12 ] || fail "not sent with a login"
echo "ok: a login needs STARTTLS unless --no-starttls (warned)"

if openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
  start tls --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --auth 'kaohe:s3cret 密码'
  expect 0 "$KAOHE" mail "$sample" 2013-07 -o "$tmp/out7" --smtp "smtp://127.0.0.1:$port" \
    --from "$from" --user kaohe --password-file "$tmp/password" --ca-file "$tmp/cert.pem" --resend
  [ "$(grep -c $'\ttls=yes\tauth=kaohe$' "$tmp/tls/events.tsv")" -eq 12 ] || fail "not sent inside STARTTLS"
  check tls "$all"
  echo "ok: STARTTLS with --ca-file and a login"
else
  [ "${CI:-}" = true ] && fail "openssl cannot make a test certificate"
  echo "note: openssl missing, STARTTLS with a login not tested"
fi
echo "PASS"
