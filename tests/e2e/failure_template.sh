#!/usr/bin/env bash
# Failure injection (issue 8): a dataset's templates/ that cannot be used.
# templates/notice.md (for `kaohe month`) and templates/quarterly.md (for
# `kaohe quarter --force`) as a folder, a broken link, a pipe (which must
# not block the run), bytes no encoding reads, a file over the size limit,
# and templates with errors: an unknown built-in block, an unclosed
# section, an unclosed tag. Each run must exit 1 (the man page, docs/kaohe.1.in: a missing
# template) with the error located in the template, and leave every file
# already there byte for byte as it was (sha256 before and after).
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work="$tmp/work"
mkdir -p "$work"
cp -r "$sample" "$work/ds"
rm -rf "$work/ds/templates"
mkdir "$work/ds/templates"


(cd "$work" && "$KAOHE" month ds 2013-07 -o out/2013-07 && "$KAOHE" quarter ds 2013Q3 -o archive/2013Q3) \
  2>"$tmp/err" || { cat "$tmp/err"; fail "the good runs failed"; }

# expect_template_error NAME WHERE TEXT: with templates/NAME as made by the
# caller, the command for NAME fails at ds/templates/NAME:WHERE saying TEXT.
expect_template_error() {
  local name=$1 where=$2 text=$3
  local args=(month ds 2013-07 -o out/2013-07)
  [ "$name" = quarterly.md ] && args=(quarter ds 2013Q3 -o archive/2013Q3 --force)
  snapshot "$work" >"$tmp/before"
  local status=0
  (cd "$work" && timeout 120 "$KAOHE" "${args[@]}") >"$tmp/out" 2>"$tmp/err" || status=$?
  [ "$status" -eq 1 ] || { cat "$tmp/err"; fail "$name ($text): kaohe ${args[*]} exited $status, expected 1"; }
  grep -qF -- "ds/templates/$name:$where: error: " "$tmp/err" && grep -qF -- "$text" "$tmp/err" ||
    { cat "$tmp/err"; fail "$name: no error at ds/templates/$name:$where saying $text"; }
  snapshot "$work" >"$tmp/after"
  diff "$tmp/before" "$tmp/after" >"$tmp/diff" || { cat "$tmp/diff"; fail "$name ($text): files changed"; }
  echo "ok: templates/$name → exit 1, $(grep -m1 -o 'error: .*' "$tmp/err")"
}

for name in notice.md quarterly.md; do
  t="$work/ds/templates/$name"
  mkdir "$t"
  expect_template_error "$name" 1:1 "目录"
  rmdir "$t"
  ln -s /nonexistent/template.md "$t"
  expect_template_error "$name" 1:1 "文件不存在"
  rm "$t"
  mkfifo "$t"
  expect_template_error "$name" 1:1 "不是普通文件"
  rm "$t"
  printf '\xff\xfe#\x00 ' >"$t" # UTF-16 cut in the middle of a character (v2 reads whole UTF-16)
  expect_template_error "$name" 1:1 "UTF-16"
  head -c 1100000 /dev/zero | tr '\0' 'x' >"$t"
  expect_template_error "$name" 1:1 "模板过大"
  printf '# 标题\n\n{{> no_such_block}}\n' >"$t"
  expect_template_error "$name" 3:1 "未知的内置块"
  printf '# 标题\n\n{{#indicators}}\n{{name}}\n' >"$t"
  expect_template_error "$name" 3:1 "没有关闭"
  printf '# 标题\n\n正文{{county\n' >"$t"
  expect_template_error "$name" 3:3 "{{"
  rm "$t"
done
