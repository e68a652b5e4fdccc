#!/usr/bin/env bash
# `kaohe mail --smtp` when things go wrong, against tests/e2e/smtp_server.py:
#   * a rerun on another day (another date in every body) sends nothing
#     again: the delivery log knows deliveries by dataset, period, kind,
#     township, address and the attachment's digest;
#   * a second run while one is sending is refused (the log is locked);
#   * the log cannot be written (a file-size limit): sending stops at once,
#     the township whose record failed is named as uncertain, the rest as
#     not sent; the rerun sends what was never sent;
#   * the connection drops after the whole message went: "uncertain",
#     recorded, not retried, not resent by a rerun, said so; --resend sends.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
here="$KAOHE_SOURCE_DIR/tests/e2e"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
py=/usr/bin/python3

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$KAOHE" ] || fail "kaohe is not built ($KAOHE)"
"$py" -c 'import aiosmtpd' 2>/dev/null || {
  [ "${CI:-}" = true ] && fail "python3-aiosmtpd is missing for $py and CI=true"
  skip "the SMTP test needs python3-aiosmtpd for $py (apt-get install python3-aiosmtpd)"
}

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$tmp/sample" && rm -f "$tmp/sample/发文登记.csv" && sample="$tmp/sample"
unset KAOHE_SMTP_PASSWORD
from=jsj@example.gov.cn

start() { # start NAME ARGS...: a server writing into $tmp/NAME; sets $url
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
  url="smtp://127.0.0.1:$(cat "$tmp/$name/port")"
}

expect() {
  local want=$1 got=0
  shift
  "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" -eq "$want" ] || {
    cat "$tmp/out" "$tmp/err"
    fail "exit $got, expected $want: $*"
  }
}
count() { grep -c "^DATA"$'\t' "$tmp/$1/events.tsv" || true; }
mail() { "$KAOHE" mail "$sample" 2013-07 -o "$tmp/o7" --from "$from" --jobs 2 "$@"; }

SOURCE_DATE_EPOCH=1378339200 expect 0 "$KAOHE" month "$sample" 2013-07 -o "$tmp/o7"

# Another day.
start day1
SOURCE_DATE_EPOCH=1378339200 expect 0 mail --smtp "$url"
[ "$(count day1)" -eq 12 ] || fail "day 1 sent $(count day1), expected 12"
SOURCE_DATE_EPOCH=1378425600 expect 0 mail --smtp "$url" # the next day
[ "$(count day1)" -eq 12 ] || fail "a rerun the next day sent $(($(count day1) - 12)) mails again"
[ "$(grep -c ': 此前已发送，跳过' "$tmp/out")" -eq 12 ] || fail "the rerun does not report 12 skipped"
echo "ok: a rerun on another day sends nothing again"

# Two runs at once: the second is refused while the first holds the log.
log="$tmp/o7/mail-log.tsv"
exec 9<"$log"
flock -x 9
expect 1 mail --smtp "$url" --resend
grep -q '正在使用这个输出目录的发送记录' "$tmp/err" || fail "no word of the other run: $(cat "$tmp/err")"
[ "$(count day1)" -eq 12 ] || fail "a run sent while the log was locked"
exec 9<&-
echo "ok: a second run at once is refused"

# The log cannot grow past 2 KiB (ulimit -f, with SIGXFSZ ignored so the
# write fails instead of killing): sending stops at the first failed record.
rm -f "$log"
start full
got=0
(trap '' XFSZ; ulimit -f 2; exec "$KAOHE" mail "$sample" 2013-07 -o "$tmp/o7" --from "$from" \
  --jobs 1 --smtp "$url") >"$tmp/out" 2>"$tmp/err" || got=$?
cat "$tmp/out" "$tmp/err"
[ "$got" -eq 1 ] || fail "exit $got with an unwritable log, expected 1"
sent=$(count full)
records=$(grep -c $'\tsent\t' "$log" || true)
[ "$sent" -eq $((records + 1)) ] || fail "$sent sent but $records recorded: sending went on"
[ "$(grep -c '发送记录写入失败' "$tmp/out")" -eq 1 ] || fail "the unrecorded township is not named"
[ "$(grep -c '未发送：发送记录无法写入' "$tmp/out")" -eq $((12 - sent)) ] ||
  fail "the townships not sent are not named"
expect 0 mail --smtp "$url"
[ "$(count full)" -eq 13 ] || fail "the rerun sent $(($(count full) - sent)), expected the $((12 - records)) unrecorded"
echo "ok: a log that cannot be written stops sending at once ($sent sent, $records recorded)"

# The connection drops after 04's message went whole.
rm -f "$log"
start drop --drop-after-data 04@example.org
expect 1 mail --smtp "$url"
grep -q '^04 .*结果不明：邮件已发出' "$tmp/out" || fail "04 not reported uncertain: $(cat "$tmp/out")"
grep -q '结果不明 1 封（不会自动重发' "$tmp/err" || fail "no summary of the uncertain one"
[ "$(grep -c $'\t04@example.org\t.*\tuncertain\t' "$log")" -eq 1 ] || fail "04 not recorded uncertain: $(cat "$log")"
[ "$(count drop)" -eq 12 ] || fail "04 was retried: $(count drop) messages"
expect 1 mail --smtp "$url"
[ "$(count drop)" -eq 12 ] || fail "a rerun resent the uncertain message"
grep -q '^04 .*此前发送结果不明' "$tmp/out" || fail "the rerun does not say why 04 is not resent"
start undrop
expect 0 mail --smtp "$url" --resend
grep -q $'^DATA\t.*\t04@example.org\t' "$tmp/undrop/events.tsv" || fail "--resend did not send 04"
echo "ok: a connection lost after the message is uncertain, recorded, not resent"
echo "PASS"
