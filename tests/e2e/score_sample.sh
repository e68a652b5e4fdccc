#!/usr/bin/env bash
# `kaohe score` on the sample county: samples/make_sample.py figures of the July 2013
# assessment in the JSON, the CSV's shape, the table, the quarter's veto,
# and the refusals (usage errors exit 2, data errors exit 1, and neither
# writes anything to stdout).
set -u

src=${KAOHE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
sample=$src/samples/county-2013
py=/usr/bin/python3
if [ ! -d "$sample" ]; then
  echo "skip: the sample county $sample is absent"
  exit 77
fi
if [ -z "${KAOHE:-}" ] || [ ! -x "${KAOHE}" ]; then
  echo "FAIL: the kaohe program is not built (KAOHE='${KAOHE:-}')"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# expect_status STATUS ARGS...: runs kaohe score ARGS and checks the exit
# status; on a failure (status != 0) stdout must stay empty.
expect_status() {
  local want=$1
  shift
  "$KAOHE" score "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "kaohe score $* exits $got, expected $want"
    sed 's/^/    /' "$work/err" | head -10
  elif [ "$want" -ne 0 ] && [ -s "$work/out" ]; then
    fail "kaohe score $* failed but wrote to stdout"
  elif [ "$want" -ne 0 ] && [ ! -s "$work/err" ]; then
    fail "kaohe score $* failed without saying why on stderr"
  fi
}

# ---- July: the figures of the county's September speech
expect_status 0 "$sample" --month 2013-07 --format json
cp "$work/out" "$work/2013-07.json"
"$py" - "$work/2013-07.json" <<'PY' || fail "2013-07 JSON figures (above)"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
problems = []
def check(what, ok):
    if not ok:
        problems.append(what)
county = {c["id"]: c for c in doc["county"]["indicators"]}
def township(t, ident):
    return next(c for c in t["indicators"] if c["id"] == ident)
towns = doc["townships"]
check("period", doc["period"] == "2013-07")
check("14 townships", len(towns) == 14)
sr = county["sex_ratio"]
check(f"sex ratio 125.5 vs 107, gap 18.5: {sr}",
      (sr["value"], sr["target"], sr["gap"], sr["met"], sr["op"], sr["status"], sr["left_out"])
      == (125.5, 107, 18.5, False, "<=", "ok", 0))
ide = county["id_entry"]
check(f"ID entry 84.71 vs 95, gap 10.29: {ide}",
      (ide["value"], ide["target"], ide["gap"], ide["met"]) == (84.71, 95, 10.29, False))
rates = [township(t, "id_entry")["value"] for t in towns]
check(f"no township at 95% ID entry: {rates}", all(r < 95 for r in rates))
check(f"three townships below 90%: {rates}", sum(r < 90 for r in rates) == 3)
check(f"lowest 73.15: {min(rates)}", min(rates) == 73.15)
dup = county["id_duplicate"]
check(f"duplicate ID 0.86 within 1: {dup}", (dup["value"], dup["target"], dup["met"]) == (0.86, 1, True))
db = county["db_complete"]
check(f"database complete above 95 county-wide: {db}", db["value"] > 95 and db["met"])
check("two townships below 95% complete",
      sum(not township(t, "db_complete")["met"] for t in towns) == 2)
check("two townships behind on pre-pregnancy checks",
      sum(not township(t, "prepreg_check")["met"] for t in towns) == 2)
warned = [t["name"] for t in towns if township(t, "only_child_fee")["warning"]]
check(f"several fee warnings in July: {warned}", len(warned) >= 2)
check("no veto in July (before the deadline's month)", not any(t["veto"] for t in towns))
ranks = sorted(t["rank"] for t in towns)
check(f"ranks 1..14 by total: {ranks}", ranks[0] == 1 and all(1 <= r <= 14 for r in ranks))
for t in towns:
    total = round(sum(c["score"] for c in t["indicators"]), 2)
    check(f"{t['name']}: total {t['total']} is the sum of its scores {total}",
          abs(total - t["total"]) < 1e-9)
    for c in t["indicators"]:
        check(f"{t['name']} {c['id']}: null unless ok",
              (c["value"] is None) == (c["status"] != "ok"))
for p in problems:
    print("   ", p)
sys.exit(1 if problems else 0)
PY
# Shortest form in the text itself.
grep -q '"value": 84.71,' "$work/2013-07.json" || fail "84.71 not printed in its shortest form"
grep -q '"target": 107,' "$work/2013-07.json" || fail "107 not printed as an integer"
if grep -q '[0-9]\{8,\}' "$work/2013-07.json"; then fail "long digit strings in the JSON"; fi

# ---- September: the fee is vetoed from the deadline's month on
expect_status 0 "$sample" --month 2013-09 --format json
"$py" -c '
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if any(t["veto"] for t in doc["townships"]) else 1)' "$work/out" ||
  fail "nobody vetoed in 2013-09"

# ---- the quarter: the vetoed township is out of the ranking
expect_status 0 "$sample" --quarter 2013Q3 --format json
"$py" - "$work/out" <<'PY' || fail "2013Q3 JSON (above)"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
problems = []
if doc["months"] != ["2013-07", "2013-08", "2013-09"] or doc["partial"] is not False:
    problems.append(f"months {doc['months']} partial {doc['partial']}")
vetoed = [t for t in doc["townships"] if t["veto"]]
if not vetoed:
    problems.append("no vetoed township")
for t in vetoed:
    if t["rank"] is not None or "2013-09" not in t["veto_months"] or t["award"] or t["penalty"]:
        problems.append(f"vetoed {t}")
    if t["action"] != "取消本季度评先评优资格，通报批评":
        problems.append(f"veto action {t['action']}")
for t in doc["townships"]:
    mean = round(sum(t["monthly"]) / 3 + 1e-9, 2)
    if abs(mean - t["score"]) > 0.0051:
        problems.append(f"{t['name']}: score {t['score']} vs mean {mean}")
first = [t for t in doc["townships"] if t["rank"] == 1]
if not first or any(t["award"] != "first" for t in first):
    problems.append(f"rank 1 without award.first: {first}")
for p in problems:
    print("   ", p)
sys.exit(1 if problems else 0)
PY
expect_status 0 "$sample" --quarter 2013Q3 --partial --format json
grep -q '"partial": false' "$work/out" || fail "--partial with all three months is not partial"

# ---- CSV: BOM, header, one row per township and indicator, then the county
expect_status 0 "$sample" --month 2013-07 --format csv
"$py" - "$work/out" <<'PY' || fail "2013-07 CSV (above)"
import csv, sys
data = open(sys.argv[1], "rb").read()
problems = []
if not data.startswith(b"\xef\xbb\xbf"):
    problems.append("no BOM")
rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
if rows[0] != "period,code,name,indicator,status,value,target,op,met,gap,score,warning,total,rank,veto,left_out".split(","):
    problems.append(f"header {rows[0]}")
if len(rows) != 1 + 14 * 6 + 6:
    problems.append(f"{len(rows)} rows")
county = {r[3]: r for r in rows[1:] if r[1] == ""}
if county.get("id_entry", [None] * 16)[5:10] != ["84.71", "95", ">=", "false", "10.29"]:
    problems.append(f"county id_entry row {county.get('id_entry')}")
if county.get("sex_ratio", [None] * 16)[15] != "0":
    problems.append(f"county sex_ratio left_out {county.get('sex_ratio')}")
for p in problems:
    print("   ", p)
sys.exit(1 if problems else 0)
PY
expect_status 0 "$sample" --quarter 2013Q3 --format csv
[ "$(head -n 1 "$work/out")" = $'\xef\xbb\xbfperiod,months,partial,code,name,monthly_1,monthly_2,monthly_3,score,rank,veto,veto_months,award,penalty,action\r' ] ||
  fail "quarter CSV: BOM and header"
[ "$(wc -l <"$work/out")" -eq 15 ] || fail "quarter CSV: not one row per township"

# ---- the table (the default format)
expect_status 0 "$sample" --month 2013-07
grep -q '城关镇' "$work/out" || fail "the table lacks 城关镇"
grep -q '125.5' "$work/out" || fail "the table lacks the county sex ratio"
expect_status 0 "$sample" --quarter 2013Q3 --format table

# ---- usage errors: exit 2
expect_status 2 "$sample"
expect_status 2 "$sample" --month 2013-07 --quarter 2013Q3
expect_status 2 "$sample" --month 2013-07 --partial
expect_status 2 "$sample" --month 2013-07 --format xml
expect_status 2 "$sample" --month July
expect_status 2 --month 2013-07
"$KAOHE" score --help >"$work/out" 2>&1 && grep -q '示例' "$work/out" || fail "score --help without an example"

# ---- data errors: exit 1, nothing on stdout
expect_status 1 "$sample" --month 2013-10          # no file
expect_status 1 "$sample" --month 2012-07          # another year
expect_status 1 "$sample" --quarter 2013Q4         # no month of the quarter
expect_status 1 "$sample" --quarter 2013Q4 --partial
expect_status 1 "$work/no-such-dataset" --month 2013-07
cp -r "$sample" "$work/broken"
sed -i '2s/,[0-9][0-9]*/,-5/' "$work/broken/monthly/2013-03.csv"  # a negative value in another month
expect_status 1 "$work/broken" --month 2013-07 --format json
rm -rf "$work/partial" && cp -r "$sample" "$work/partial"
rm "$work/partial/monthly/2013-08.csv"
expect_status 1 "$work/partial" --quarter 2013Q3
expect_status 0 "$work/partial" --quarter 2013Q3 --partial --format json
grep -q '"partial": true' "$work/out" || fail "a quarter without August is not partial"

if [ "$failed" -ne 0 ]; then
  echo "score_sample: $failed failure(s)"
  exit 1
fi
echo "score_sample: all checks passed"
