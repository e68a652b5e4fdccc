#!/usr/bin/env bash
# kaohe serve under load (tests/e2e/serve_load.py): 500 requests from 20
# concurrent clients on loopback over the sample's pages and documents
# while the console makes a month again and again. All are answered with
# their expected status; each month page's ranking is kaohe score's; the
# documents come back byte for byte; afterwards the month made by the
# console is byte for byte kaohe month's. No timing is asserted.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
own_sample "$tmp"
cp -r "$sample" "$tmp/by-command"
export SOURCE_DATE_EPOCH=1375660800 # the console's and the command's runs record the same time

mkdir "$tmp/expected" "$tmp/console"
for m in "$sample"/monthly/*.csv; do
  period=$(basename "$m" .csv)
  "$KAOHE" score "$sample" --month "$period" --format json >"$tmp/expected/score-$period.json"
done
cd "$tmp/console"
start main "$sample"

# 2013-06's documents, made through the console before the load: read during it
token=$(csrf /month/2013-06)
expect 200 /month/2013-06/make -X POST -d "csrf=$token&date=2013-07-05"
cp -r out/2013-06 "$tmp/expected/docs-2013-06"

/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/serve_load.py" "$port" "$tmp/expected" ||
  fail "the console under load"

# the last of the makes is what kaohe month makes (its number aside: each
# make took the next one, so the command is given the console's last)
last=$(tail -1 "$sample/发文登记.csv" | cut -d, -f1)
(cd "$tmp" && "$KAOHE" month by-command 2013-07 --doc-no "$last" -o cmd-month 2>/dev/null) ||
  fail "kaohe month failed"
(cd out/2013-07 && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$tmp/console.sums"
(cd "$tmp/cmd-month" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$tmp/command.sums"
diff "$tmp/console.sums" "$tmp/command.sums" || fail "the month made under load differs from kaohe month's"
kill -0 "${serve_pids[0]}" || fail "kaohe serve is gone"
expect 200 /
echo "ok: the month made under load is byte for byte kaohe month's; the console still answers"
