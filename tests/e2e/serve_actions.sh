#!/usr/bin/env bash
# The web console's actions over HTTP with curl (docs/reference/console.md):
# making the month's documents and the quarter's archive gives the bytes
# the commands give, into the same folders, registered alike; documents are
# downloaded by period and kind; a POST without the session's token, a
# second action while one holds the dataset, a bad field, an oversized body
# and a path in any encoding are refused, and nothing is written.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
own_sample "$tmp"
cp -r "$sample" "$tmp/by-command"
export SOURCE_DATE_EPOCH=1375660800 # both runs record the same creation time

mkdir "$tmp/console"
cd "$tmp/console" # where serve puts out/ and archive/, as the commands would
start main "$sample"

token=$(csrf /month/2013-07)
[ ${#token} -eq 32 ] || fail "the month page has no form token"
grep -qi '^set-cookie: kaohe_session=[0-9a-f]\{32\}; Path=/; HttpOnly; SameSite=Strict' "$tmp/head" ||
  { cat "$tmp/head"; fail "no HttpOnly SameSite=Strict session cookie"; }
has 'action="/month/2013-07/make"'
has "还没有生成。"

# ---- refusals first: nothing may be written by any of them -----------------------------
expect 403 /month/2013-07/make -X POST -d "date=2013-08-05"
has "页面已过期"
expect 403 /month/2013-07/make -X POST -d "csrf=0123456789abcdef0123456789abcdef"
# the right token from another session (another browser, or a page elsewhere)
other=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d "csrf=$token" \
  -H "Cookie: kaohe_session=00000000000000000000000000000001" "http://127.0.0.1:$port/month/2013-07/make")
[ "$other" = 403 ] || fail "another session's POST answered $other"
expect 400 /month/2013-07/make -X POST -d "csrf=$token&date=2013-02-30"
has "成文日期应为 YYYY-MM-DD"
expect 400 /month/2013-07/make -X POST -d "csrf=$token&doc_no=0"
expect 404 /month/2013-13/make -X POST -d "csrf=$token"
expect 404 /month/..%2F..%2Fx/make -X POST -d "csrf=$token"
expect 404 /nothing -X POST -d "csrf=$token"
head -c 40000000 /dev/zero >"$tmp/big"
expect 413 /month/2013-07/make -X POST -F "csrf=$token" -F "f=@$tmp/big"
has "提交的内容太大"
flock -o "$sample" sleep 30 >/dev/null 2>&1 & # -o: the lock is flock's own, gone with it
locker=$!
sleep 0.3
expect 409 /month/2013-07/make -X POST -d "csrf=$token"
has "忙："
expect 200 /month/2013-07 # reading is never blocked
pkill -P "$locker" sleep 2>/dev/null || true
wait "$locker" 2>/dev/null || true
[ ! -e out ] && [ ! -e archive ] && [ ! -e "$sample/发文登记.csv" ] ||
  fail "a refused action wrote something"
echo "ok: no token, a foreign token, bad fields, unknown actions, 40 MB and a held dataset: refused, nothing written"

# ---- the month ------------------------------------------------------------------------
expect 200 /month/2013-07/make -X POST -d "csrf=$token&date=2013-08-05&doc_no="
has "2013年7月督查通报和考评表已生成"
has "发文字号序号 1 号"
has "out/2013-07"
has 'href="/month/2013-07/doc/notice"'
has '<iframe class="preview" src="/month/2013-07/doc/notice-preview"'
(cd "$tmp" && "$KAOHE" month by-command 2013-07 --date 2013-08-05 -o cmd-month 2>/dev/null)
(cd out/2013-07 && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$tmp/console.sums"
(cd "$tmp/cmd-month" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$tmp/command.sums"
diff "$tmp/console.sums" "$tmp/command.sums" || fail "the console's documents differ from kaohe month's"
[ "$(wc -l <"$tmp/console.sums")" -eq 17 ] || fail "expected 17 documents"
cut -d, -f1-4 "$sample/发文登记.csv" | tail -1 | grep -qx '1,2013-08-05,month,2013-07' ||
  { cat "$sample/发文登记.csv"; fail "the console's month is not registered as the command registers it"; }
echo "ok: the month's 17 documents are byte for byte kaohe month's, registered as 1号"

expect 200 /month/2013-07/doc/notice
grep -qi '^content-type: application/pdf' "$tmp/head" || fail "the notice is not application/pdf"
grep -qi "^content-disposition: attachment; .*filename\*=UTF-8''%E7%9D%A3%E6%9F%A5%E9%80%9A%E6%8A%A5_2013-07.pdf" "$tmp/head" ||
  { cat "$tmp/head"; fail "the notice is not offered under its name"; }
cmp "$tmp/body" "$tmp/cmd-month/督查通报_2013-07.pdf" || fail "the downloaded notice differs from kaohe month's"
expect 200 /month/2013-07/doc/notice-preview
grep -qi '^content-disposition: inline' "$tmp/head" || fail "the preview is not inline"
grep -qi "^content-security-policy: .*frame-ancestors 'self'" "$tmp/head" || fail "the preview cannot be framed by the page"
expect 200 /month/2013-07/doc/county
cmp "$tmp/body" "$tmp/cmd-month/考评得分汇总_2013-07.xlsx" || fail "the county workbook differs"
expect 200 /month/2013-07/doc/township/01
cmp "$tmp/body" "$tmp/cmd-month/乡镇/2013-07_01_城关镇_考评得分.xlsx" || fail "城关镇's workbook differs"
expect 200 /month/2013-07/doc/json
cmp "$tmp/body" "$tmp/cmd-month/scores_2013-07.json" || fail "the scores JSON differs"
for bad in /month/2013-07/doc/../../rules.ini /month/2013-07/doc/%2e%2e%2frules.ini \
  /month/2013-07/doc/township/..%2F..%2Frules.ini /month/2013-07/doc/township/99 \
  /month/2013-07/doc/%00../../rules.ini /month/2013-7/doc/notice /quarter/2013Q3/doc/report \
  /month/2013-07/doc/%E7%9D%A3%E6%9F%A5%E9%80%9A%E6%8A%A5_2013-07.pdf; do
  expect 404 "$bad" --path-as-is
done
echo "ok: documents by period and kind, identical to the command's; any path or unknown kind is 404"

# the page now lists them; a second make keeps the number (as a rerun of the command does)
expect 200 /month/2013-07
has 'href="/month/2013-07/doc/county"'
has "各乡镇考评表"
expect 200 /month/2013-07/make -X POST -d "csrf=$token&date=2013-08-05"
has "发文字号序号 1 号"
(cd out/2013-07 && find . -type f | LC_ALL=C sort | xargs sha256sum) | diff - "$tmp/command.sums" ||
  fail "remaking the month changed its documents"
echo "ok: made again, the same number and the same bytes"

# ---- the quarter ----------------------------------------------------------------------
expect 200 /quarter/2013Q3
has 'action="/quarter/2013Q3/make"'
expect 200 /quarter/2013Q3/make -X POST -d "csrf=$token&date=2013-10-10"
has "2013年第三季度奖惩通报已存档"
has "发文字号序号 2 号"
(cd "$tmp" && "$KAOHE" month by-command 2013-07 --date 2013-08-05 -o cmd-month 2>/dev/null &&
  "$KAOHE" quarter by-command 2013Q3 --date 2013-10-10 -o cmd-archive 2>/dev/null)
for f in 季度奖惩通报_2013Q3.pdf 季度考评得分_2013Q3.xlsx scores_2013Q3.json SHA256SUMS; do
  cmp "archive/2013Q3/$f" "$tmp/cmd-archive/$f" || fail "the archive's $f differs from kaohe quarter's"
done
expect 200 /quarter/2013Q3/doc/report
cmp "$tmp/body" "$tmp/cmd-archive/季度奖惩通报_2013Q3.pdf" || fail "the downloaded report differs"
expect 200 /quarter/2013Q3/doc/sums
(cd archive/2013Q3 && sha256sum -c --quiet SHA256SUMS) || fail "the archive does not check"
sums=$(cd archive/2013Q3 && sha256sum -- * | sha256sum)
expect 422 /quarter/2013Q3/make -X POST -d "csrf=$token&date=2013-10-11"
has "未能存档"
has "archive/2013Q3"
[ "$(cd archive/2013Q3 && sha256sum -- * | sha256sum)" = "$sums" ] || fail "a refused archive changed the old one"
expect 200 /quarter/2013Q3/make -X POST -d "csrf=$token&date=2013-10-11&force=1"
has "原存档已改名保留为"
echo "ok: the quarter's archive is kaohe quarter's; without 替换 an existing one is refused and kept"

# stopped, it exits 0: under the sanitizer pass, a leak of any action above fails here
kill -TERM "${serve_pids[0]}"
status=0
wait "${serve_pids[0]}" || status=$?
[ "$status" -eq 0 ] || { cat "$tmp/main.err"; fail "kaohe serve exited $status after the actions"; }
echo "ok: stopped cleanly after every action"
