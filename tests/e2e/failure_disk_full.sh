#!/usr/bin/env bash
# Failure injection (issue 8): a full disk. A small tmpfs holds an earlier
# month's documents and an earlier quarterly archive (small stand-ins with
# the real names); `kaohe month` into it and `kaohe quarter --force` over
# the archive run out of space part-way. The disk is made 64 KB (the JSON
# fits, the PDF does not) and then larger, so the space runs out at later
# documents too (workbooks, SHA256SUMS). A run that fails must exit 1 with
# an error naming the file, leave every file that was there byte for byte
# as it was (sha256 before and after) and leave nothing taking up space; a
# run that fits must be complete. Needs root to mount: skips (77)
# otherwise, and fails under CI=true when the mount is refused.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"
[ "$(id -u)" -eq 0 ] || skip "mounting a small tmpfs needs root"

tmp=$(mktemp -d)
own_sample "$tmp"
disk="$tmp/disk"
mkdir -p "$disk"
cleanup() {
  if mountpoint -q "$disk"; then umount "$disk"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# mount_disk SIZE: a fresh tmpfs of SIZE with what an earlier run left.
mount_disk() {
  if mountpoint -q "$disk"; then umount "$disk"; fi
  if ! mount -t tmpfs -o "size=$1,mode=0755" kaohe-full "$disk" 2>"$tmp/mount.err"; then
    [ "${CI:-}" = true ] && { cat "$tmp/mount.err"; fail "cannot mount a tmpfs under CI"; }
    skip "cannot mount a tmpfs here: $(cat "$tmp/mount.err")"
  fi
  mkdir -p "$disk/out/2013-07/乡镇" "$disk/archive/2013Q3"
  printf '{"period": "2013-07"}\n' >"$disk/out/2013-07/scores_2013-07.json"
  printf '%%PDF-1.4 earlier notice\n%%%%EOF\n' >"$disk/out/2013-07/督查通报_2013-07.pdf"
  printf 'earlier workbook\n' >"$disk/out/2013-07/乡镇/2013-07_01_城关镇_考评得分.xlsx"
  printf '%%PDF-1.4 earlier report\n%%%%EOF\n' >"$disk/archive/2013Q3/季度奖惩通报_2013Q3.pdf"
  (cd "$disk/archive/2013Q3" && sha256sum -- * >SHA256SUMS)
}


no_space=0 failures=0
# run_on SIZE ARGS...: kaohe ARGS on a fresh disk of SIZE.
run_on() {
  local size=$1
  shift
  mount_disk "$size"
  snapshot "$disk" >"$tmp/before"
  local status=0
  "$KAOHE" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  if [ "$status" -eq 0 ]; then
    [ -z "$(find "$disk" -name '.*staging*')" ] || fail "kaohe $* on $size: staging left behind"
    echo "ok: $size is enough for kaohe $*"
    return
  fi
  [ "$status" -eq 1 ] || { cat "$tmp/err"; fail "kaohe $* on $size exited $status, expected 1"; }
  # Only kaohe's own located, Chinese messages: none of a library's.
  ! grep -q '^\[\(ERROR\|WARNING\)\]' "$tmp/err" ||
    { cat "$tmp/err"; fail "kaohe $* on $size let a library's messages through"; }
  grep -q '^[^ ].*:[0-9]*:[0-9]*: error: ' "$tmp/err" ||
    { cat "$tmp/err"; fail "kaohe $* on $size: no located error"; }
  snapshot "$disk" >"$tmp/after"
  diff "$tmp/before" "$tmp/after" >"$tmp/diff" ||
    { cat "$tmp/err" "$tmp/diff"; fail "kaohe $* on a full $size disk changed it"; }
  local used
  used=$(df -k --output=used "$disk" | tail -1 | tr -d ' ')
  [ "$used" -le 32 ] || { find "$disk" -ls; fail "$used KB still used on the $size disk"; }
  (cd "$disk/archive/2013Q3" && sha256sum -c --quiet SHA256SUMS) || fail "the old archive no longer checks"
  failures=$((failures + 1))
  grep -q 'error: .*No space left on device' "$tmp/err" && no_space=$((no_space + 1))
  echo "ok: kaohe $* on $size → exit 1, nothing changed: $(grep -m1 -o 'error: .*' "$tmp/err" | cut -c1-70)"
}

for size in 64k 160k 224k 304k 320k 336k; do
  run_on "$size" month "$sample" 2013-07 -o "$disk/out/2013-07"
done
for size in 64k 96k 108k; do
  run_on "$size" quarter "$sample" 2013Q3 -o "$disk/archive/2013Q3" --force
done
run_on 64k quarter "$sample" 2013Q2 -o "$disk/archive/2013Q2"

[ "$failures" -ge 4 ] || fail "only $failures runs ran out of space: make the disks smaller"
[ "$no_space" -eq "$failures" ] ||
  fail "only $no_space of $failures runs that ran out of space said 'No space left on device'"
echo "ok: $failures runs out of space, $no_space saying 'No space left on device'"
