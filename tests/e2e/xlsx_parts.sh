#!/usr/bin/env bash
# libxlsxwriter is used through what it installs (docs/decisions.md): kaohe
# defines none of its functions or minizip's in their place (nm), and the
# temporary file it writes each part of a workbook into before deflating
# it goes where kaohe's `tmpdir` option says: /dev/shm when it can be
# written (else the workbook's own folder), never /tmp. Under strace every
# file `kaohe month` creates is an output (in its folder or the staging
# folder beside it), a font subset, or such a temporary in /dev/shm.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_sample "$tmp"
defined=$(nm "$KAOHE" 2>/dev/null | grep -E ' [TW] (lxw_[a-z_]+|zip[A-Za-z0-9_]+|unz[A-Za-z0-9_]+)$' || true)
[ -z "$defined" ] || fail "kaohe defines library functions in their place: $defined"
echo "ok: kaohe defines no function of libxlsxwriter or minizip"

command -v strace >/dev/null || fail "strace is missing (scripts/install-deps.sh --tests)"
# LeakSanitizer cannot run under ptrace; leaks are the other tests' concern.
sanitized_build && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
strace -f -qq -e trace=open,openat,creat -o "$tmp/trace" \
  "$KAOHE" month "$sample" 2013-07 -o "$tmp/month" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "kaohe month failed (under strace)"; }
created=$(grep -E 'O_CREAT|creat\(' "$tmp/trace" | sed -n 's/^[^"]*"\([^"]*\)".*$/\1/p')
[ -n "$created" ] || fail "strace shows no file created: the trace does not work"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then parts=/dev/shm; else parts="$tmp/.month.kaohe-staging-"; fi
# besides, in the dataset folder itself: the document register, its
# temporary file and the probe that tells whether the folder can be written
# (strace writes their Chinese names in octal escapes)
strays=$(printf '%s\n' "$created" | grep -v -e "^$tmp/month/" -e "^$tmp/\.month\.kaohe-staging-" \
  -e '/kaohe-font-[^/]*\.ttf$' -e "^$parts/tmp\." -e "^$sample/[^/]*\$" || true)
[ -z "$strays" ] || fail "kaohe month created files outside its output and $parts: $(echo "$strays" | head -3)"
n_parts=$(printf '%s\n' "$created" | grep -c -e "^$parts[^ ]*tmp\." || true)
[ "$n_parts" -gt 0 ] || fail "no libxlsxwriter temporary in $parts: the tmpdir option is not in effect"
echo "ok: $(printf '%s\n' "$created" | wc -l) files created: outputs, font subsets and $n_parts temporary parts in $parts"
echo "PASS"
