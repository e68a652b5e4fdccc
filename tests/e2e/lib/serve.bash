# Sourced after common.bash by the tests of kaohe serve: starting it on a
# free port, asking with curl inside one browser session, and stopping.
command -v curl >/dev/null || skip "curl is missing (scripts/install-deps.sh --tests)"

serve_pids=()
# Call from the test's EXIT trap.
stop_servers() { for p in "${serve_pids[@]}"; do kill "$p" 2>/dev/null || true; done; }

# start NAME ARGS...: kaohe serve ARGS in the background, from the current
# folder, its stderr in $tmp/NAME.err; sets $port.
start() {
  local name=$1
  shift
  : >"$tmp/$name.err" # there before the loop below reads it: the child opens it later
  "$KAOHE" serve "$@" --port 0 2>"$tmp/$name.err" &
  serve_pids+=($!)
  for _ in $(seq 300); do # up to 30 s on a loaded machine
    port=$(sed -n 's|^kaohe serve: 请在浏览器中打开 http://[^:]*:\([0-9]*\)/.*$|\1|p' "$tmp/$name.err")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  cat "$tmp/$name.err"
  fail "kaohe serve $* did not start"
}

# get PATH [CURL ARGS...]: the body in $tmp/body, headers in $tmp/head,
# cookies kept in $tmp/jar (one browser session); prints the status.
get() {
  local path=$1
  shift
  curl -s -o "$tmp/body" -D "$tmp/head" -b "$tmp/jar" -c "$tmp/jar" -w '%{http_code}' "$@" \
    "http://127.0.0.1:$port$path"
}

expect() { # expect STATUS PATH [CURL ARGS...]
  local want=$1 got
  shift
  got=$(get "$@")
  [ "$got" = "$want" ] || { head -c 600 "$tmp/body"; fail "$1 answered $got, expected $want"; }
}

has() { grep -qF "$1" "$tmp/body" || { head -c 2000 "$tmp/body"; fail "the page lacks: $1"; }; }

# The session's form token, from the page at PATH (default /).
csrf() {
  get "${1:-/}" >/dev/null
  sed -n 's|.*name="csrf" value="\([0-9a-f]*\)".*|\1|p' "$tmp/body" | head -1
}
