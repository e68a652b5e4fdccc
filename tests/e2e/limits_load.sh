#!/usr/bin/env bash
# Limits under load (issue 8), each run measured with /usr/bin/time -v
# (wall time and peak resident memory, printed, and checked against a
# bound that is loose enough for a sanitizer build; getrusage() from
# Python stands in where /usr/bin/time is not installed):
#   * a 5,000-township county, nine months: check, score, the month's
#     documents (5,000 workbooks) and the quarter's archive all work;
#   * a 100,000-row monthly file (a registry of 100,000 townships): check
#     and score work;
#   * a 50,000-township registry: check and score work (and, with
#     KAOHE_LIMITS_FULL=1, the month's 50,000 workbooks: about 2.5 minutes
#     and 0.8 GB on a plain build);
#   * beyond the limits, refused with the limit named, not a crash or a
#     swelling process: 100,001 townships; 100,000 townships by 11
#     indicators (over a million township-indicator pairs); a monthly file
#     of two million bad rows (reported, the rest counted).
# The datasets repeat the sample county's rows under new codes.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200
py=/usr/bin/python3

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"
[ -x "$py" ] || skip "$py is missing"

# Memory bounds are for a plain build; sanitizers need about twice as much.
factor=1
if sanitized_build; then
  factor=3
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# gen OUT TOWNSHIPS [MONTHS [EXTRA_INDICATORS]]: the sample county scaled
# to TOWNSHIPS, with the first MONTHS monthly files (default all), and
# EXTRA_INDICATORS copies of its first indicator.
gen() {
  "$py" - "$sample" "$@" <<'PY'
import csv, os, re, shutil, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
months = int(sys.argv[4]) if len(sys.argv) > 4 else 12
extra = int(sys.argv[5]) if len(sys.argv) > 5 else 0
os.makedirs(out + "/monthly")
rules = open(src + "/rules.ini", encoding="utf-8").read()
if extra:
    block = re.search(r"\[indicator\.[^]]*\].*?(?=\n\[)", rules, re.S).group(0)
    head = block.split("]")[0] + "]"
    copies = "".join("\n" + block.replace(head, "[indicator.copy%d]" % k) + "\n" for k in range(extra))
    rules = rules.replace(block, block + "\n" + copies, 1)
open(out + "/rules.ini", "w", encoding="utf-8").write(rules)
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))
def write(path, header, body):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)
reg = rows(src + "/townships.csv")
write(out + "/townships.csv", reg[0],
      [["T%06d" % (i + 1), "%s%06d" % (r[1], i + 1)] + r[2:]
       for i, r in ((i, reg[1 + i % (len(reg) - 1)]) for i in range(n))])
for name in sorted(os.listdir(src + "/monthly"))[:months]:
    m = rows(src + "/monthly/" + name)
    write(out + "/monthly/" + name, m[0],
          [["T%06d" % (i + 1)] + m[1 + i % (len(m) - 1)][1:] for i in range(n)])
PY
}

# measure NAME STATUS MAX_MB ARGS...: kaohe ARGS exits STATUS within
# MAX_MB (times the sanitizer factor) of peak memory; stdout in NAME.out,
# stderr in NAME.err. Measured by /usr/bin/time -v, or, where the package
# time is not installed, by the same getrusage() figure read in Python.
measure() {
  local name=$1 want=$2 max_mb=$3
  shift 3
  local status=0
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$name.time" "$KAOHE" "$@" >"$name.out" 2>"$name.err" || status=$?
  else
    "$py" -c '
import resource, subprocess, sys, time
start = time.monotonic()
with open(sys.argv[1] + ".out", "wb") as out, open(sys.argv[1] + ".err", "wb") as err:
    code = subprocess.call(sys.argv[2:], stdout=out, stderr=err)
secs = time.monotonic() - start
with open(sys.argv[1] + ".time", "w") as t:
    t.write("\tMaximum resident set size (kbytes): %d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    t.write("\tElapsed (wall clock) time (h:mm:ss or m:ss): %d:%05.2f\n" % (secs // 60, secs % 60))
sys.exit(code)' "$name" "$KAOHE" "$@" || status=$?
  fi
  local kb secs
  kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$name.time")
  secs=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$name.time")
  echo "measured: kaohe $* → exit $status, $secs, peak $((kb / 1024)) MB"
  [ "$status" -eq "$want" ] || { tail -20 "$name.err"; fail "kaohe $* exited $status, expected $want"; }
  [ "$((kb / 1024))" -le "$((max_mb * factor))" ] ||
    fail "kaohe $* peaked at $((kb / 1024)) MB, over $((max_mb * factor)) MB"
}

# json_count FILE: how many townships a score document lists.
json_count() {
  "$py" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["townships"]))' "$1"
}

# ---- 5,000 townships: everything works -----------------------------------------
gen c5000 5000 9
measure check5000 0 300 check c5000
measure score5000 0 400 score c5000 --month 2013-07 --format json
[ "$(json_count score5000.out)" -eq 5000 ] || fail "the 5,000-township scores do not list 5,000 townships"
measure month5000 0 800 month c5000 2013-07 -o out5000 --jobs 2
n=$(find out5000 -name '*.xlsx' | wc -l)
[ "$n" -eq 5001 ] || fail "kaohe month of 5,000 townships wrote $n workbooks, expected 5,001"
[ "$(find out5000 -maxdepth 1 -name '*.pdf' | wc -l)" -eq 1 ] || fail "no notice for 5,000 townships"
measure quarter5000 0 800 quarter c5000 2013Q3 -o archive5000
(cd archive5000 && sha256sum -c --quiet SHA256SUMS) || fail "the 5,000-township archive does not check"
rm -rf out5000 archive5000 c5000

# ---- a 100,000-row monthly file ---------------------------------------------------
gen c100k 100000 1
[ "$(wc -l <c100k/monthly/2013-01.csv)" -eq 100001 ] || fail "the monthly file does not have 100,000 rows"
measure check100k 0 600 check c100k
measure score100k 0 1600 score c100k --month 2013-01 --format json
[ "$(json_count score100k.out)" -eq 100000 ] || fail "the 100,000-row scores do not list 100,000 townships"
rm -f score100k.out

# ---- 50,000 townships -------------------------------------------------------------
gen c50k 50000 7
measure check50k 0 600 check c50k
measure score50k 0 1200 score c50k --month 2013-07 --format json
[ "$(json_count score50k.out)" -eq 50000 ] || fail "the 50,000-township scores do not list 50,000 townships"
rm -f score50k.out
if [ "${KAOHE_LIMITS_FULL:-}" = 1 ]; then
  measure month50k 0 1600 month c50k 2013-07 -o out50k --jobs 2
  [ "$(find out50k -name '*.xlsx' | wc -l)" -eq 50001 ] || fail "kaohe month of 50,000 townships is incomplete"
  rm -rf out50k
fi
rm -rf c50k

# ---- beyond the limits: refused, the limit named ----------------------------------------
"$py" -c '
import sys
with open(sys.argv[1], "a", encoding="utf-8") as f:
    f.write("T100001,新乡100001,,,1\n")' c100k/townships.csv
measure over_townships 1 600 check c100k
grep -q 'error: 乡镇数超过上限（100000 个）' over_townships.err || fail "100,001 townships: the limit is not named"
rm -rf c100k

gen c100k11 100000 1 5
measure over_pairs 1 600 check c100k11
grep -q 'error: 数据规模超过上限：100000 个乡镇 × 11 项指标.*上限 1000000 个' over_pairs.err ||
  fail "100,000 townships by 11 indicators: the limit is not named"
rm -rf c100k11

gen junk 12 1
"$py" -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("township,births_male\n")
    f.writelines("X%d,1\n" % i for i in range(2000000))' junk/monthly/2013-01.csv
measure junk 1 700 check junk
grep -q 'error: 行数超过上限（1000000 行）' junk.err || fail "two million rows: the row limit is not named"
grep -q '个问题未逐条列出' junk.err || fail "two million rows: the unlisted problems are not counted"
echo "ok: limits hold"
