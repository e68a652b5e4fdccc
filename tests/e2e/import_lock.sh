#!/usr/bin/env bash
# kaohe import holds the dataset's action lock (docs/reference/forms.md):
# while another holds it, import waits with a word and writes nothing, and
# once it is free it merges into the month as it is then.
source "$(dirname "$0")/lib/common.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ds=$work/ds
cp -r "$sample" "$ds"
rm -f "$ds/发文登记.csv" "$ds/monthly/2013-09.csv"
head -n 4 "$sample/monthly/2013-09.csv" >"$work/three.csv"

exec 9<"$ds"
flock -x 9
"$KAOHE" import "$ds" 2013-09 "$work/three.csv" >"$work/out" 2>"$work/err" &
importer=$!
for _ in $(seq 100); do
  grep -q '等它结束' "$work/err" 2>/dev/null && break
  sleep 0.1
done
grep -q 'kaohe import: 数据集正被另一个操作使用' "$work/err" || fail "import did not say it waits: $(cat "$work/err")"
[ ! -e "$ds/monthly/2013-09.csv" ] || fail "import wrote while the dataset was locked"
flock -u 9
exec 9<&-
wait "$importer" || fail "import failed once the lock was free: $(cat "$work/out" "$work/err")"
grep -q '已写入' "$work/out" || fail "import did not write: $(cat "$work/out")"
[ -e "$ds/monthly/2013-09.csv" ] || fail "no month file"
echo "ok: import waits for the dataset's lock, then writes"
