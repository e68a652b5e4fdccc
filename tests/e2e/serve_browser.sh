#!/usr/bin/env bash
# kaohe serve in Debian's chromium, driven by puppeteer-core (npm, locked in
# tests/browser/package-lock.json; scripts/install-deps.sh --tests installs
# both): pages render with their stylesheet and charts, links lead where a
# person would click, nothing violates the Content-Security-Policy or is
# fetched from elsewhere; the month made with the page's button gives the
# notice `kaohe month` gives, byte for byte, downloaded by its link; a broken
# month file uploaded shows its error located, and nothing is written.
# Screenshots land in $KAOHE_BUILD_DIR/serve-shots.
source "$(dirname "$0")/lib/common.bash"
browser="$KAOHE_SOURCE_DIR/tests/browser"
if [ ! -x /usr/bin/chromium ] || [ ! -d "$browser/node_modules/puppeteer-core" ]; then
  [ "${CI:-}" = true ] && fail "chromium or puppeteer-core is missing (scripts/install-deps.sh --tests installs them)"
  skip "chromium or puppeteer-core is missing (scripts/install-deps.sh --tests installs them)"
fi

tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
own_sample "$tmp"
shots="${KAOHE_BUILD_DIR:-$tmp}/serve-shots"
mkdir -p "$shots"

export SOURCE_DATE_EPOCH=1375660800 # the console's documents and the command's alike
cp -r "$sample" "$tmp/by-command"
(cd "$tmp" && "$KAOHE" month by-command 2013-07 --date 2013-08-05 -o cmd-month 2>/dev/null)
mkdir "$tmp/console" "$tmp/downloads"
cd "$tmp/console"
: >"$tmp/err" # there before the loop below reads it: the child opens it later
"$KAOHE" serve "$sample" --port 0 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 300); do # up to 30 s on a loaded machine
  url=$(sed -n 's|^kaohe serve: 请在浏览器中打开 \(http://[^ ]*\)$|\1|p' "$tmp/err")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/err"; fail "kaohe serve did not start"; }
"$KAOHE" score "$sample" --month 2013-07 --format json >"$tmp/scores.json"
node "$browser/console.mjs" "$url" "$shots" "$tmp/downloads" "$tmp/scores.json"
cmp "$tmp/downloads/督查通报_2013-07.pdf" "$tmp/cmd-month/督查通报_2013-07.pdf" ||
  fail "the notice downloaded in chromium differs from kaohe month's"
echo "ok: the downloaded notice is kaohe month's, byte for byte"

# ---- the upload (import): a broken month file, its error located ----------------------
# (one block, its own script tests/browser/upload.mjs)
sed '3s/^\([^,]*\),[^,]*,/\1,12x,/' "$sample/monthly/2013-09.csv" >"$tmp/九月 坏.csv"
before=$(snapshot "$sample")
node "$browser/upload.mjs" "$url" "$shots" "$tmp/九月 坏.csv"
[ "$(snapshot "$sample")" = "$before" ] || fail "the upload's preview in chromium changed the dataset"
echo "ok: the preview wrote nothing"
