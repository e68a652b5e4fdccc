#!/usr/bin/env bash
# Hostile requests against kaohe serve (docs/reference/console.md, 安全):
# malformed request lines and headers, huge headers and URLs, bad
# percent-encoding, traversal in every encoding, absolute URLs, bodies that
# lie about their length, over the limits (chunked too), multipart with a
# broken boundary, 1,000 parts, uploads named with paths, and half requests
# held open. Each gets an error answer or a closed connection (an upload
# its preview; tests/e2e/serve_hostile.py says which), no answer holds a
# file outside the documents, no upload's name becomes a file's, nothing
# is written, and the console answers `/` with 200 throughout and after.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
own_sample "$tmp"
# canaries: files beside the dataset, inside it and where serve runs
canary_out=kaohe-canary-outside-$RANDOM$RANDOM
canary_in=kaohe-canary-in-dataset-$RANDOM$RANDOM
canary_cwd=kaohe-canary-cwd-$RANDOM$RANDOM
echo "$canary_out" >"$tmp/secret.txt"
echo "$canary_in" >"$sample/secret.txt"
mkdir "$tmp/console"
echo "$canary_cwd" >"$tmp/console/secret.txt"
cd "$tmp/console"
start main "$sample"
before=$(snapshot "$sample")

evil=kaohe-evil-upload-$RANDOM$RANDOM
/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/serve_hostile.py" "$port" "$evil" \
  "$canary_out" "$canary_in" "$canary_cwd" "root:x:0:0" || fail "a hostile request was mishandled"
find "$tmp" /tmp -maxdepth 6 -name "$evil*" 2>/dev/null | grep . && fail "an upload's name became a file's"

# the same through curl, as a browser's URL bar would send them
for path in /../../../etc/passwd /month/..%2F..%2F..%2Fsecret.txt /%2e%2e/secret.txt \
  '/month/2013-07/doc/..%5c..%5csecret.txt' /township/..%2Fsecret.txt; do
  got=$(get "$path" --path-as-is)
  [ "$got" = 404 ] || [ "$got" = 400 ] || fail "GET $path answered $got"
  grep -qE "kaohe-canary|root:x:0:0" "$tmp/body" && fail "GET $path sent a file's content"
done
echo "ok: traversal through curl refused"

# --listen: once the token is shown, the browser goes back to the page it
# asked for, never to another site (an open redirect)
main_port=$port
start token "$sample" --listen 127.0.0.1
token=$(sed -n 's|^.*?token=\([0-9a-f]*\)$|\1|p' "$tmp/token.err")
for path in //evil.example/x /%2f%2fevil.example /%5cevil.example /%5c%5cevil.example \
  /%09/evil.example /%0d%0aSet-Cookie:%20x=1; do
  # no cookie jar: each time the token, not the cookie it sets
  got=$(curl -s -o /dev/null -D "$tmp/head" -w '%{http_code}' --path-as-is \
    "http://127.0.0.1:$port$path?token=$token")
  [ "$got" = 303 ] || fail "$path with the token answered $got"
  grep -qiE $'^location: /\r?$' "$tmp/head" || { cat "$tmp/head"; fail "$path: redirected elsewhere than /"; }
  grep -qi '^set-cookie: x=' "$tmp/head" && fail "$path: a header was injected"
done
expect 303 "/month/2013-07?token=$token"
grep -qi '^location: /month/2013-07' "$tmp/head" || fail "not sent back to the page asked for"
port=$main_port
echo "ok: with --listen, the token's redirect stays on the console"

kill -0 "${serve_pids[0]}" || fail "kaohe serve is gone"
expect 200 /
has "某某县2013年考评数据"
[ "$(snapshot "$sample")" = "$before" ] || fail "a hostile request changed the dataset"
[ ! -e out ] && [ ! -e archive ] || fail "a hostile request wrote documents"
echo "ok: the console still answers, nothing was written"
