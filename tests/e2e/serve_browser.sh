#!/usr/bin/env bash
# kaohe serve in Debian's chromium, driven by puppeteer-core (npm, locked in
# tests/browser/package-lock.json; scripts/install-deps.sh --tests installs
# both): pages render with their stylesheet and charts, links lead where a
# person would click, nothing violates the Content-Security-Policy or is
# fetched from elsewhere. Screenshots land in $KAOHE_BUILD_DIR/serve-shots.
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

"$KAOHE" serve "$sample" --port 0 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 300); do # up to 30 s on a loaded machine
  url=$(sed -n 's|^kaohe serve: 请在浏览器中打开 \(http://[^ ]*\)$|\1|p' "$tmp/err")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/err"; fail "kaohe serve did not start"; }
node "$browser/console.mjs" "$url" "$shots"
