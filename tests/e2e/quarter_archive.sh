#!/usr/bin/env bash
# `kaohe quarter` and its archive (issue: the quarterly report and the
# archive; docs/reference/scoring.md, §5, §8):
#  - the sample's 2013Q3 archive holds the report PDF, the workbook, the
#    scores JSON and SHA256SUMS, and `sha256sum -c` passes inside it;
#  - the JSON equals `kaohe score --quarter`; the report says the awards,
#    the penalty and the veto that JSON gives, with their actions;
#  - the PDF is PDF/A-1b in its parts (pdfaid, OutputIntent, fonts embedded)
#    and the whole archive is byte-identical across two runs two seconds
#    apart under SOURCE_DATE_EPOCH;
#  - an existing archive is refused without --force, every byte left in
#    place and exit 1; --force keeps the old one under a dated name;
#  - a failed run (a template error, or an output folder that cannot be
#    created) leaves no archive, partial or not, and no staging folder;
#  - a quarter with a month absent is an error unless --partial, which says
#    so in the report.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
for tool in qpdf pdffonts pdftotext sha256sum /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
[ -d "$sample" ] || { echo "skip: $sample missing"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$work/sample" && rm -f "$work/sample/发文登记.csv" && sample="$work/sample"
fail() { echo "FAIL: $*" >&2; exit 1; }
snapshot() { (cd "$1" && find . -printf '%p %y %s\n' | sort && find . -type f -exec sha256sum {} + | sort); }
export SOURCE_DATE_EPOCH=1381363200 # 2013-10-10 08:00 China time

"$KAOHE" quarter "$sample" 2013Q3 -o "$work/a/2013Q3" 2>"$work/err" || { cat "$work/err"; fail "quarter"; }
arch="$work/a/2013Q3"
(cd "$arch" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c"
[ "$(ls "$arch" | wc -l)" -eq 4 ] || { ls "$arch"; fail "the archive should hold 4 files"; }
ls "$arch"/*.pdf "$arch"/*.xlsx "$arch"/*.json >/dev/null

"$KAOHE" score "$sample" --quarter 2013Q3 --format json >"$work/score.json"
/usr/bin/python3 - "$work/score.json" "$arch"/scores_2013Q3.json <<'PY' || fail "archived JSON differs from kaohe score"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
assert a == b, "differ"
PY

pdf=$(ls "$arch"/*.pdf)
qpdf --check "$pdf" >/dev/null 2>&1 || fail "qpdf --check"
pdffonts "$pdf" 2>/dev/null | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
  fail "a font is not embedded"
qpdf --qdf --object-streams=disable "$pdf" "$work/qdf.pdf" 2>/dev/null || true
grep -aq '<pdfaid:part>1</pdfaid:part>' "$work/qdf.pdf" || fail "no pdfaid part"
grep -aq '/S /GTS_PDFA1' "$work/qdf.pdf" || fail "no PDF/A OutputIntent"
grep -aqE '^ +/DestOutputProfile [0-9]+ 0 R$' "$work/qdf.pdf" || fail "OutputIntent without a valid DestOutputProfile key"

# the report says what the JSON decided
pdftotext "$pdf" - 2>/dev/null | tr -d '\n' >"$work/report.txt"
/usr/bin/python3 - "$work/score.json" "$work/report.txt" "$sample/rules.ini" <<'PY' || fail "report and JSON disagree"
import json, sys
q = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
assert "2013年第三季度" in text
for t in q["townships"]:
    if t["action"]:
        assert t["name"] in text and t["action"] in text, (t["name"], t["action"])
    if t["veto"]:
        assert "一票否决" in text and t["name"] in text
        for m in t["veto_months"]:
            assert f"{int(m[5:])}月" in text
awarded = [t for t in q["townships"] if t["award"]]
assert awarded, "the sample should award someone in Q3"
PY

# reproducible, two seconds apart
sleep 2
"$KAOHE" quarter "$sample" 2013Q3 -o "$work/b/2013Q3" 2>/dev/null || fail "second run"
diff <(cd "$arch" && sha256sum *) <(cd "$work/b/2013Q3" && sha256sum *) || fail "two runs differ"

# refusal: every byte stays
before=$(snapshot "$work/a")
set +e
"$KAOHE" quarter "$sample" 2013Q3 -o "$arch" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "refusal exit $rc, want 1"
grep -q -- "--force" "$work/err" || { cat "$work/err"; fail "the refusal does not mention --force"; }
[ "$before" = "$(snapshot "$work/a")" ] || fail "the refused run changed the archive"

# --force keeps the old archive beside the new one
"$KAOHE" quarter "$sample" 2013Q3 -o "$arch" --force --doc-no 9 2>"$work/err" || { cat "$work/err"; fail "--force"; }
kept=$(ls -d "$work"/a/2013Q3.replaced-* 2>/dev/null | head -1)
[ -n "$kept" ] || fail "--force did not keep the old archive"
(cd "$kept" && sha256sum --quiet -c SHA256SUMS) || fail "the kept archive is damaged"
(cd "$arch" && sha256sum --quiet -c SHA256SUMS) || fail "the new archive does not check"
pdftotext "$arch"/*.pdf - 2>/dev/null | grep -q "〔2013〕9号" || fail "--doc-no 9 not in the new report"

# failures leave nothing
cp -r "$sample" "$work/broken"
mkdir -p "$work/broken/templates"
printf '# {{#x}}未闭合\n' >"$work/broken/templates/quarterly.md"
set +e
"$KAOHE" quarter "$work/broken" 2013Q3 -o "$work/c/2013Q3" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$work/err"; fail "template error exit $rc, want 1"; }
grep -q "quarterly.md:1:" "$work/err" || { cat "$work/err"; fail "template error not located"; }
[ ! -e "$work/c/2013Q3" ] || fail "a failed run left an archive"
[ -z "$(ls -A "$work/c" 2>/dev/null)" ] || { ls -la "$work/c"; fail "a failed run left a staging folder"; }
touch "$work/notadir"
set +e
"$KAOHE" quarter "$sample" 2013Q3 -o "$work/notadir/2013Q3" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "unwritable target exit $rc, want 1"
[ -f "$work/notadir" ] && [ ! -s "$work/notadir" ] || fail "the file in the folder's place was touched"

# a month absent: an error, unless --partial
cp -r "$sample" "$work/short"
rm "$work/short/monthly/2013-09.csv"
set +e
"$KAOHE" quarter "$work/short" 2013Q3 -o "$work/d/2013Q3" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "absent month exit $rc, want 1"
[ ! -e "$work/d/2013Q3" ] || fail "an archive was written for an incomplete quarter"
"$KAOHE" quarter "$work/short" 2013Q3 --partial -o "$work/d/2013Q3" 2>/dev/null || fail "--partial"
pdftotext "$work"/d/2013Q3/*.pdf - 2>/dev/null | tr -d '\n' | grep -q "仅按已有的7月、8月考评结果计算" ||
  fail "the partial report does not say so"
echo "ok: archive, checksums, JSON, report text, PDF/A parts, reproducible, refusal, --force, failures, --partial"

# -o DIR/ (a trailing slash, as shells complete folder names) is DIR.
"$KAOHE" quarter "$sample" 2013Q3 -o "$work/slash/2013Q3/" 2>"$work/err" || { cat "$work/err"; fail "-o DIR/ failed"; }
(cd "$work/slash/2013Q3" && sha256sum -c --quiet SHA256SUMS) || fail "-o DIR/ gave no complete archive"
"$KAOHE" quarter "$sample" 2013Q3 -o "$work/slash/2013Q3/" --force 2>"$work/err" || { cat "$work/err"; fail "-o DIR/ --force failed"; }
[ "$(find "$work/slash" -maxdepth 1 -name '2013Q3.replaced-*' | wc -l)" -eq 1 ] || fail "-o DIR/ --force kept no old archive beside"
echo "ok: -o DIR/ with a trailing slash"
