#!/usr/bin/env bash
# Failure injection (issue 8): output paths that cannot be written. A
# regular file stands where an output folder (or its parent, or the
# township sub-folder) should be; as root a read-only folder would still
# be writable, so that is how a write failure is made here. Each run must
# exit 1 with a located message, and leave every file that was already
# there byte for byte as it was (sha256 before and after) — including the
# documents of an earlier run when the failure comes only at the commit
# (refused while `kaohe mail` holds the folder's delivery log).
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_sample "$tmp"
work="$tmp/work"
mkdir -p "$work"

# Every entry under $work with its type, and every file's sha256.

# expect_failure CODE TEXT ARGS...: kaohe ARGS exits CODE, says TEXT on
# stderr, writes nothing to stdout and changes nothing under $work.
expect_failure() {
  local code=$1 text=$2
  shift 2
  snapshot "$work" >"$tmp/before"
  local status=0
  (cd "$work" && "$KAOHE" "$@") >"$tmp/out" 2>"$tmp/err" || status=$?
  [ "$status" -eq "$code" ] || { cat "$tmp/err"; fail "kaohe $* exited $status, expected $code"; }
  grep -qF -- "$text" "$tmp/err" || { cat "$tmp/err"; fail "kaohe $*: no \"$text\" on stderr"; }
  [ ! -s "$tmp/out" ] || fail "kaohe $* wrote to stdout"
  snapshot "$work" >"$tmp/after"
  diff "$tmp/before" "$tmp/after" >"$tmp/diff" || { cat "$tmp/diff"; fail "kaohe $* changed files"; }
  echo "ok: kaohe $* → exit $code, \"$text\", nothing changed"
}

# An earlier month's documents, and a file where folders are wanted.
(cd "$work" && "$KAOHE" month "$sample" 2013-06 -o out/2013-06 --date 2013-07-05) 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "the first kaohe month failed"; }
printf 'not a folder\n' >"$work/blocker"

expect_failure 1 "blocker/x:1:1: error: 无法创建输出目录" month "$sample" 2013-07 -o blocker/x
expect_failure 1 "blocker:1:1: error: 无法创建输出目录" month "$sample" 2013-07 -o blocker
# The month's folder is replaced whole: never the current folder.
expect_failure 1 "error: 输出目录会被整个替换，不能是当前目录" month "$sample" 2013-07 -o .
expect_failure 1 "error: 不是目录，无法在其中建立存档" quarter "$sample" 2013Q3 -o blocker/2013Q3
expect_failure 1 "error: 不是目录，无法在其中建立存档" quarter "$sample" 2013Q3 -o blocker/a/b --force
expect_failure 1 "error: 存档已存在" quarter "$sample" 2013Q3 -o blocker

# The commit refused (a `kaohe mail` holds the folder's delivery log):
# every document is rendered, and none of the earlier run's replaced.
printf 'log\n' >"$work/out/2013-06/mail-log.tsv"
exec 9<"$work/out/2013-06/mail-log.tsv"
flock -x 9
expect_failure 1 "error: kaohe mail 正在用这个目录发送邮件" month "$sample" 2013-06 -o out/2013-06 --date 2013-07-06
exec 9<&-
[ -z "$(find "$work" -name '*.kaohe-staging-*')" ] || fail "a staging folder was left behind"

# The township sub-folder replaced by a file: the month's folder is made
# whole beside it and takes its place, so the file is simply gone.
folder=$(find "$work/out/2013-06" -mindepth 1 -maxdepth 1 -type d ! -name '.*')
[ -n "$folder" ] || fail "no township folder in the first run's output"
rm -r "$folder"
printf 'in the way\n' >"$folder"
(cd "$work" && "$KAOHE" month "$sample" 2013-06 -o out/2013-06 --date 2013-07-06) 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "kaohe month over a file in the township folder's place failed"; }
[ "$(find "$folder" -name '*.xlsx' | wc -l)" -eq 14 ] || fail "the township folder is not whole"
[ "$(cat "$work/out/2013-06/mail-log.tsv")" = log ] || fail "the delivery log did not carry over"
[ -z "$(find "$work" -name '*.kaohe-staging-*')" ] || fail "a staging folder was left behind"
echo "ok: a file where the township folder goes is replaced with the whole new folder"
