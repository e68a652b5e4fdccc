#!/usr/bin/env bash
# The document register, 发文登记.csv (docs/reference/register.md): a month's
# notice and a quarter's report never share a number; a rerun keeps its
# number; --doc-no that belongs to another period is refused and changes
# nothing; concurrent runs take distinct numbers; a failed run leaves the
# register as it was; a dataset folder that cannot be written is an error
# without --doc-no and a warning with it; init --from never copies it.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1375660800 # 2013-08-05 in China

tmp=$(mktemp -d)
trap 'umount "$tmp/ro" 2>/dev/null || true; rm -rf "$tmp"' EXIT
own_sample "$tmp"
reg="$sample/发文登记.csv"
cd "$tmp"

run() { "$KAOHE" "$@" 2>err.txt || { cat err.txt; fail "kaohe $* failed"; }; }
docno() { pdftotext "$1" - 2>/dev/null | grep -o '某人口〔2013〕[0-9]*号' | head -1; }
# number of PERIOD in the register (empty when absent)
number_of() { awk -F, -v p="$1" 'NR > 1 && $4 == p { print $1 }' "$reg"; }

# ---- numbers: month and quarter differ, reruns keep them ------------------
run month "$sample" 2013-07 -o m7
run quarter "$sample" 2013Q3 -o q3
[ "$(docno m7/督查通报_2013-07.pdf)" = "某人口〔2013〕1号" ] || fail "July's notice: $(docno m7/督查通报_2013-07.pdf)"
[ "$(docno q3/季度奖惩通报_2013Q3.pdf)" = "某人口〔2013〕2号" ] || fail "Q3's report: $(docno q3/季度奖惩通报_2013Q3.pdf)"
run month "$sample" 2013-07 -o m7 --date 2013-08-20
run quarter "$sample" 2013Q3 -o q3 --force
[ "$(docno m7/督查通报_2013-07.pdf)" = "某人口〔2013〕1号" ] || fail "the rerun changed July's number"
[ "$(docno q3/季度奖惩通报_2013Q3.pdf)" = "某人口〔2013〕2号" ] || fail "the rerun changed Q3's number"
echo "ok: 2013-07 gets 1, 2013Q3 gets 2, and reruns keep them"

# the register itself: BOM, header, one row per document, date and checksum
head -c 3 "$reg" | od -An -tx1 | grep -q 'ef bb bf' || fail "the register has no BOM"
/usr/bin/python3 - "$reg" <<'PY' || fail "the register's rows"
import csv, hashlib, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert [r["period"] for r in rows] == ["2013-07", "2013Q3"], rows
july, q3 = rows
assert july["number"] == "1" and july["kind"] == "month" and july["date"] == "2013-08-20", july
assert july["title"] == "关于2013年7月全县人口计生重点工作考评情况的通报", july
assert q3["kind"] == "quarter" and q3["title"].startswith("关于2013年第三季度"), q3
for r in rows:
    assert hashlib.sha256(open(r["file"], "rb").read()).hexdigest() == r["sha256"], r
PY
echo "ok: the register has a BOM, one row per document, its title, date and SHA-256"

# ---- --doc-no -----------------------------------------------------------------
before=$(sha256sum "$reg")
status=0
"$KAOHE" month "$sample" 2013-08 -o m8 --doc-no 2 2>err.txt || status=$?
[ "$status" -eq 1 ] || { cat err.txt; fail "--doc-no 2 for 2013-08 (2 is 2013Q3's) exited $status"; }
grep -q "发文登记.csv:3:1: error: 发文序号 2 已登记给 2013Q3" err.txt || { cat err.txt; fail "the refusal does not name 2013Q3"; }
[ ! -e m8 ] || fail "a refused run wrote m8"
[ "$(sha256sum "$reg")" = "$before" ] || fail "a refused run changed the register"
echo "ok: --doc-no 2 for 2013-08 is refused (2013Q3 has it), nothing written"

run month "$sample" 2013-07 -o m7 --doc-no 5
grep -q "warning: 2013-07 原登记为 1 号，按 --doc-no 改为 5 号" err.txt || { cat err.txt; fail "no warning on renumbering"; }
[ "$(number_of 2013-07)" = 5 ] || fail "2013-07 is $(number_of 2013-07), expected 5"
run month "$sample" 2013-08 -o m8
[ "$(number_of 2013-08)" = 6 ] || fail "a new period after 5 got $(number_of 2013-08), expected 6"
echo "ok: --doc-no renumbers its own period with a warning; a new period gets the highest + 1"

# ---- concurrent runs take distinct numbers ------------------------------------
pids=()
for m in 01 02 03 04 05 06; do
  "$KAOHE" month "$sample" 2013-$m -o c$m 2>c$m.err &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent month failed: $(cat c*.err)"; done
numbers=$(awk -F, 'NR > 1 { print $1 }' "$reg" | sort -n | tr '\n' ' ')
[ "$numbers" = "2 5 6 7 8 9 10 11 12 " ] || fail "numbers after six concurrent months: $numbers"
echo "ok: six concurrent months took six distinct numbers (7-12)"

# ---- a failed run leaves the register as it was -------------------------------
before=$(sha256sum "$reg")
touch blocker
status=0
"$KAOHE" month "$sample" 2013-09 -o blocker/m9 2>err.txt || status=$?
[ "$status" -eq 1 ] || { cat err.txt; fail "month into a file's place exited $status"; }
[ "$(sha256sum "$reg")" = "$before" ] || fail "a failed run changed the register"
status=0
"$KAOHE" quarter "$sample" 2013Q2 -o blocker/q2 2>err.txt || status=$?
[ "$status" -eq 1 ] || { cat err.txt; fail "quarter into a file's place exited $status"; }
[ "$(sha256sum "$reg")" = "$before" ] || fail "a failed quarter changed the register"
echo "ok: failed month and quarter runs leave the register unchanged"

# ---- a malformed register stops the run, located -------------------------------
cp "$reg" good.csv
printf '7,2013-08-05,month,2013-10,x,y,z\r\n' >>"$reg"
status=0
"$KAOHE" month "$sample" 2013-09 -o m9 2>err.txt || status=$?
[ "$status" -eq 1 ] || fail "a register with a number twice: exit $status"
grep -q '发文登记.csv:11:1: error: 发文序号“7”已在第 5 行登记' err.txt || { cat err.txt; fail "the duplicate number is not located"; }
[ ! -e m9 ] || fail "a run on a malformed register wrote documents"
cp good.csv "$reg"
echo "ok: a number registered twice is a located error and nothing is written"

# ---- init --from does not carry the register over ------------------------------
run init next --from "$sample"
[ ! -e next/发文登记.csv ] || fail "init --from copied the register"
echo "ok: init --from leaves the register behind"

# ---- a dataset folder that cannot be written ----------------------------------
mkdir ro
if mount -t tmpfs -o size=8m tmpfs ro 2>/dev/null; then
  cp -r "$sample" ro/ds
  rm -f ro/ds/发文登记.csv
  mount -o remount,ro ro
  status=0
  "$KAOHE" month ro/ds 2013-07 -o rom 2>err.txt || status=$?
  [ "$status" -eq 1 ] || { cat err.txt; fail "an unwritable dataset without --doc-no: exit $status"; }
  grep -q 'error: 数据集目录不可写，无法登记发文字号' err.txt || { cat err.txt; fail "no error for the unwritable dataset"; }
  [ ! -e rom ] || fail "documents were written for an unwritable dataset without --doc-no"
  run month ro/ds 2013-07 -o rom --doc-no 3
  grep -q 'warning: 数据集目录不可写，本次发文不登记' err.txt || { cat err.txt; fail "no warning with --doc-no"; }
  [ "$(docno rom/督查通报_2013-07.pdf)" = "某人口〔2013〕3号" ] || fail "--doc-no 3 not used"
  umount ro
  echo "ok: an unwritable dataset folder is an error, and with --doc-no a warning"
elif [ "${CI:-}" = true ]; then
  fail "cannot mount a tmpfs to make a read-only dataset folder (CI runs as root)"
else
  echo "note: no read-only dataset test (mounting a tmpfs needs root)"
fi
