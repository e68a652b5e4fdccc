#!/usr/bin/env bash
# kaohe serve, the web console, over HTTP with curl: the pages say what
# check and score say; only 127.0.0.1/localhost as Host are answered; only
# GET and POST (actions: tests/e2e/serve_actions.sh); every answer carries the Content-Security-Policy; no path names a
# file; with --listen the token is needed once, then the cookie; a dataset
# with errors shows them at their row with the cell marked; SIGTERM stops it.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
own_sample "$tmp"

start main "$sample"
expect 200 /
has "某某县2013年考评数据"
has "检查通过：没有错误，也没有警告。"
has 'href="/month/2013-07"'
grep -qi "^content-security-policy: default-src 'self'.*frame-ancestors 'self'" "$tmp/head" ||
  { cat "$tmp/head"; fail "no Content-Security-Policy"; }
grep -qi '^cache-control: no-store' "$tmp/head" || fail "pages may be cached"
echo "ok: the dataset page, with its CSP"

expect 200 /month/2013-07
has "2013年7月考评结果"
has '<td class="num">125.5</td>' # the county's sex ratio
has "18.5"                       # its gap
has "84.71%"
has "10.29个百分点"
has '<svg class="spark"'
has "黄土岭乡：独生子女保健费兑现率"
has "须于2013年9月15日前整改到位"
"$KAOHE" score "$sample" --month 2013-07 --format json >"$tmp/score.json"
/usr/bin/python3 - "$tmp/score.json" "$tmp/body" <<'PY' || fail "the ranking differs from kaohe score"
import json, re, sys
score = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding="utf-8").read()
rows = re.findall(r'<td class="num">(\d+)</td><td><a href="/township/([^"]+)">([^<]+)</a></td>.*?<td class="num total">([^<]+)</td>', page, re.S)
assert len(rows) == len(score["townships"]), rows
by_code = {t["code"]: t for t in score["townships"]}
for rank, code, name, total in rows:
    t = by_code[code]
    assert (int(rank), name, float(total)) == (t["rank"], t["name"], t["total"]), (rank, code, total, t)
assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows), "not in rank order"
PY
echo "ok: the month page's ranking is kaohe score's"

expect 200 /month/2013-09
has "黄土岭乡：独生子女保健费兑现率（96.41%）未达标，一票否决"
expect 200 /township/01
has "城关镇 2013年各月考评"
has '<svg class="chart"'
expect 200 /quarter/2013Q3
has "2013年第三季度考评奖惩"
has "一票否决"
has "取消本季度评先评优资格"
has "一等奖" # the tier's label, never its group id
grep -q '>first<' "$tmp/body" && fail "the quarter page shows a tier's group id"
expect 200 /style.css
grep -qi '^content-type: text/css' "$tmp/head" || fail "style.css is not text/css"
echo "ok: month, township, quarter pages and the stylesheet"

expect 404 /month/2013-13
expect 404 /month/2014-07
expect 404 /month/2013-12
expect 404 /quarter/2013Q4
expect 404 /township/99
expect 404 /rules.ini
expect 404 /../../etc/passwd --path-as-is
expect 404 /month/..%2F..%2Frules.ini
has "没有这个月份"
echo "ok: unknown periods, townships and any path are 404, never a file"

expect 403 / -H "Host: evil.example:$port"
expect 403 / -H "Host: 127.0.0.1.evil.example"
expect 403 / -H "Host: localhost:1"
expect 200 / -H "Host: localhost:$port"
has "某某县2013年考评数据"
expect 403 / -X POST -d x=1
has "页面已过期或不是从本工作台提交的"
expect 405 / -X DELETE
expect 405 / -X PUT -d x=1
echo "ok: another Host is refused (DNS rebinding); a POST without the session's token, and any other method"

# ---- a dataset with errors -------------------------------------------------------
cp -r "$sample" "$tmp/bad"
sed -i '3s/,[0-9][0-9]*,/,-5,/' "$tmp/bad/monthly/2013-07.csv"
sed -i 's/城关镇/<script>alert(1)<\/script>城关镇/' "$tmp/bad/townships.csv" "$tmp/bad"/monthly/*.csv
start bad "$tmp/bad"
expect 200 /
has "个错误"
has "monthly/2013-07.csv"
has "<mark>-5</mark>"
# names are data, never markup
sed -i 's/<script>alert(1)<\/script>城关镇/<b>城关镇<\/b>/' "$tmp/bad/townships.csv" "$tmp/bad"/monthly/*.csv
sed -i '3s/,-5,/,5,/' "$tmp/bad/monthly/2013-07.csv"
expect 200 /month/2013-07
has "&lt;b&gt;城关镇&lt;/b&gt;"
grep -q '<b>城关镇' "$tmp/body" && fail "a township's name went into the page as markup"
sed -i '3s/,5,/,-5,/' "$tmp/bad/monthly/2013-07.csv"
expect 409 /month/2013-07
has "数据集有 1 个错误"
echo "ok: errors are shown at their row with the cell marked; pages of scores wait for them to be fixed"

# ---- --listen: the token once, then the cookie ------------------------------------
start token "$sample" --listen 127.0.0.1
token=$(sed -n 's|^.*?token=\([0-9a-f]*\)$|\1|p' "$tmp/token.err")
[ ${#token} -eq 32 ] || { cat "$tmp/token.err"; fail "no token printed"; }
expect 403 /
has "需要访问令牌"
expect 403 "/?token=0123456789abcdef0123456789abcdef"
expect 303 "/month/2013-07?token=$token"
grep -qi "^set-cookie: kaohe_token=$token; Path=/; HttpOnly; SameSite=Strict" "$tmp/head" ||
  { cat "$tmp/head"; fail "the cookie is not HttpOnly and SameSite=Strict"; }
grep -qi '^location: /month/2013-07' "$tmp/head" || fail "not redirected to the page without the token"
expect 200 /month/2013-07 -H "Cookie: kaohe_token=$token" -H "Host: kaohe.lan:$port"
has "2013年7月考评结果"
echo "ok: --listen needs the token once, then its HttpOnly SameSite=Strict cookie"

# ---- stopping -------------------------------------------------------------------------
kill -TERM "${serve_pids[0]}"
status=0
wait "${serve_pids[0]}" || status=$?
[ "$status" -eq 0 ] || fail "kaohe serve exited $status on SIGTERM"
grep -q '已停止' "$tmp/main.err" || fail "kaohe serve did not say it stopped"
echo "ok: SIGTERM stops it cleanly"
