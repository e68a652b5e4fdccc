#!/usr/bin/env bash
# The web console's upload of returned files (docs/reference/console.md),
# over HTTP with curl: a broken file's errors are shown at file:line:col
# with the cell; a good CSV is previewed (nothing written), then confirmed,
# and the month file is byte for byte what `kaohe import` writes from the
# same file; a confirmation without the session's token, or while the
# dataset is locked, is refused and writes nothing; an uploaded name is
# only shown, never a path; an upload is kept under its id until confirmed,
# and not beyond an hour.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
own_sample "$tmp"
cp "$sample/monthly/2013-09.csv" "$tmp/九月.csv"
rm "$sample/monthly/2013-09.csv"
sed '3s/^\([^,]*\),[^,]*,/\1,99,/' "$tmp/九月.csv" >"$tmp/changed.csv"
cp -r "$sample" "$tmp/by-command"
mkdir "$tmp/console" "$tmp/state"
cd "$tmp/console"
TMPDIR="$tmp/state" start main "$sample" # its private folder where the test can see it
kept() { find "$tmp/state" -mindepth 3 -maxdepth 3 -path '*/import/*' -type d; } # the uploads kept
imports() { find "$tmp/state" -mindepth 2 -maxdepth 2 -name import -type d; }

token=$(csrf /)
[ ${#token} -eq 32 ] || fail "the dataset page has no form token"
has 'action="/import" enctype="multipart/form-data"'
has '<option value="2013-09" selected>2013年9月</option>' # the month after the latest
has '用文件中的数替换已有数值'
before=$(snapshot "$sample")
unchanged() { [ "$(snapshot "$sample")" = "$before" ] || fail "$1 changed the dataset"; }

# ---- a broken file: its errors located, nothing to confirm ------------------------------
sed '3s/^\([^,]*\),[^,]*,/\1,12x,/' "$tmp/九月.csv" >"$tmp/bad.csv"
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/bad.csv;filename=九月 坏.csv"
has "导入预览：2013年9月"
has "九月 坏.csv:3:4"
has "<mark>12x</mark>"
has "有错误，不导入"
grep -q '确认导入' "$tmp/body" && fail "a refused file can be confirmed"
unchanged "the preview of a broken file"
[ -z "$(kept)" ] || fail "an upload with nothing to confirm was kept: $(kept)"
echo "ok: a broken file's error at file:line:col with its cell marked; nothing to confirm"

# a workbook is known by its extension, whatever its case: the collection workbook
"$KAOHE" forms "$sample" 2013-09 -o "$tmp/forms" >/dev/null
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/forms/汇总表_2013-09.xlsx;filename=全县汇总.XLSX"
has "<code>全县汇总.XLSX</code>"
has "汇总表，14 个乡镇。"
unchanged "the preview of a workbook"
echo "ok: a workbook uploaded (.XLSX) is read as one"

# ---- names are shown, never paths; only files import reads --------------------------
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/bad.csv;filename=../../<i>x.csv"
has "&lt;i&gt;x.csv:3:4"
[ -z "$(find "$tmp" -name '*x*.csv' -not -path "$tmp/by-command/*")" ] || fail "an uploaded name became a file"
echo "pretend" >"$tmp/notes.txt"
expect 400 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/notes.txt"
has "只能上传 .xlsx、.xls 或 .csv 文件"
expect 400 /import -X POST -F "csrf=$token" -F month=2013-13 -F "files=@$tmp/九月.csv"
expect 404 /import -X POST -F "csrf=$token" -F month=2014-01 -F "files=@$tmp/九月.csv"
expect 403 /import -X POST -F month=2013-09 -F "files=@$tmp/九月.csv"
unchanged "a refused upload"
echo "ok: names are shown escaped and never used; other files, months and a missing token refused"

# ---- a good file: preview, refusals, confirmation ------------------------------------
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/九月.csv"
has "可以导入"
has "月报格式的表，14 个乡镇。"
has "全部 14 个乡镇均已报送。"
id=$(sed -n 's|.*action="/import/\([0-9a-f]*\)/confirm".*|\1|p' "$tmp/body")
[ ${#id} -eq 32 ] || fail "no confirm form: $(cat "$tmp/body")"
unchanged "the preview"
[ "$(ls "$(imports)/$id")" = "$(printf '1.csv\nmanifest.json')" ] ||
  fail "the upload is not kept under its id, named by the console: $(kept)"
expect 403 "/import/$id/confirm" -X POST -d "x=1"
has "页面已过期"
unchanged "a confirmation without the token"
exec 9<"$sample"
flock -x 9 # the dataset held as a command holds it
expect 409 "/import/$id/confirm" -X POST -d "csrf=$token"
has "忙："
flock -u 9
exec 9<&-
unchanged "a confirmation while the dataset was locked"
echo "ok: the preview writes nothing; confirming without the token (403) or while locked (409 忙) neither"

expect 200 "/import/$id/confirm" -X POST -d "csrf=$token"
has "导入结果：2013年9月"
has "已写入 <code>monthly/2013-09.csv</code>"
has 'href="/month/2013-09"'
"$KAOHE" import "$tmp/by-command" 2013-09 "$tmp/九月.csv" >/dev/null
cmp "$sample/monthly/2013-09.csv" "$tmp/by-command/monthly/2013-09.csv" ||
  fail "the month file differs from kaohe import's"
"$KAOHE" score "$sample" --month 2013-09 --format json >"$tmp/console.json"
"$KAOHE" score "$tmp/by-command" --month 2013-09 --format json >"$tmp/command.json"
cmp -s "$tmp/console.json" "$tmp/command.json" || fail "the month scores differently from kaohe import's"
expect 404 "/import/$id/confirm" -X POST -d "csrf=$token"
has "已经导入或已过期"
expect 404 "/import/..%2F..%2Fx/confirm" -X POST -d "csrf=$token"
[ ! -e "$(imports)/$id" ] || fail "a confirmed upload was kept"
echo "ok: confirmed, the month file is byte-identical to kaohe import's and scores alike; an upload imports once"

# an upload left unconfirmed for more than an hour goes with the next upload
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F replace=1 -F "files=@$tmp/bad.csv" -F "files=@$tmp/changed.csv"
old=$(sed -n 's|.*action="/import/\([0-9a-f]*\)/confirm".*|\1|p' "$tmp/body")
kept | xargs touch -d '2 hours ago' # this one and the workbook's above
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/bad.csv"
[ -z "$(kept)" ] || fail "an upload older than an hour was kept"
expect 404 "/import/$old/confirm" -X POST -d "csrf=$token"
echo "ok: an upload unconfirmed for an hour is removed"

# ---- a changed value: refused, then replaced with the old file kept -------------------
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F "files=@$tmp/changed.csv"
has "与本月已有数值不同，不导入"
has '<td class="num">99</td>'
grep -q '确认导入' "$tmp/body" && fail "a conflict can be confirmed without replace"
expect 200 /import -X POST -F "csrf=$token" -F month=2013-09 -F replace=1 -F "files=@$tmp/changed.csv"
has "将替换的数"
id=$(sed -n 's|.*action="/import/\([0-9a-f]*\)/confirm".*|\1|p' "$tmp/body")
expect 200 "/import/$id/confirm" -X POST -d "csrf=$token"
has "原文件已移到 <code>monthly/备份/2013-09."
[ "$(ls "$sample/monthly/备份" | wc -l)" -eq 1 ] || fail "the replaced file is not in monthly/备份/"
echo "ok: a changed value is refused without replace, replaced with it, the old file kept"

# stopped, it exits 0: under the sanitizer pass, a leak of an upload or a confirmation fails here
kill -TERM "${serve_pids[0]}"
status=0
wait "${serve_pids[0]}" || status=$?
[ "$status" -eq 0 ] || { cat "$tmp/main.err"; fail "kaohe serve exited $status after the uploads"; }
[ -z "$(find "$tmp/state" -mindepth 1)" ] || fail "the console left its uploads behind: $(find "$tmp/state")"
echo "ok: stopped cleanly, its uploads gone"
