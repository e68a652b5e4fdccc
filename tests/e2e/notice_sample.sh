#!/usr/bin/env bash
# The monthly notice as `kaohe month` writes it, checked as a reader's tools
# see it (issue: the monthly supervision notice):
#  - the sample county's 2013-07 notice says samples/make_sample.py's figures (125.5 and its
#    gap 18.5, 84.71 and 10.29, the lowest 73.15, 0.86) and the fee warning
#    with its deadline, numbered on after section 二's items (七是…);
#    September's names the vetoed township;
#  - qpdf finds no error, every font is embedded, poppler says nothing
#    (text_layer.sh checks the text layer itself); A4; body at 28 mm from the left and
#    37 mm from the top on page 2; "— N —" on every page but an unnumbered
#    blank page and the 版记 page after it (closing_check.py); no line
#    starts with closing punctuation; under 150 KB; byte-identical across two runs
#    under SOURCE_DATE_EPOCH, --doc-no and --date honoured;
#  - a 300-township county: the ranking table runs over several landscape
#    pages with its header on each, and every township is in it.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_SOURCE_DIR:?}"
for tool in qpdf pdffonts pdftotext pdfinfo /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
[ -d "$sample" ] || { echo "skip: $sample missing"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# documents are registered in their dataset: work on a copy, without a register
cp -r "$sample" "$work/sample" && rm -f "$work/sample/发文登记.csv" && sample="$work/sample"
fail() { echo "FAIL: $*" >&2; exit 1; }
# poppler's messages, minus the remark of `pdftotext -bbox` on a page
# without text (the blank page before a 版记)
poppler() {
  "$@" 2>"$work/poppler.err"
  if grep -v -e '^no word list$' "$work/poppler.err" | grep -q .; then
    cat "$work/poppler.err" >&2
    fail "unexpected poppler message from $*"
  fi
}
export SOURCE_DATE_EPOCH=1375660800 # 2013-08-05 08:00 China time

month() { "$KAOHE" month "$@" 2>"$work/stderr" || { cat "$work/stderr" >&2; fail "kaohe month $*"; }; }
month "$sample" 2013-07 -o "$work/a" --jobs 1 --doc-no 7
month "$sample" 2013-07 -o "$work/b" --jobs 2
pdf="$work/a/督查通报_2013-07.pdf"
cmp -s "$pdf" "$work/b/督查通报_2013-07.pdf" || fail "two runs differ"

qpdf --check "$pdf" >/dev/null 2>&1 || fail "qpdf --check"
poppler pdffonts "$pdf" >"$work/fonts"
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$work/fonts" ||
  { cat "$work/fonts"; fail "a font is not embedded"; }
size=$(stat -c %s "$pdf")
[ "$size" -lt $((150 * 1024)) ] || fail "the notice is $size bytes, over 150 KB"

poppler pdftotext "$pdf" "$work/notice.txt"
tr -d '\n' <"$work/notice.txt" >"$work/flat.txt" # lines break anywhere
for want in "某人口〔2013〕7号" "关于2013年7月全县人口计生重点工作考评情况的通报" \
    "各乡（镇）人民政府，县直有关单位：" \
    "出生人口性别比为125.5，高于责任指标（107）18.5" \
    "身份证号码录入率为84.71%，低于责任指标（95%）10.29个百分点" \
    "其中城关镇最低，为73.15%" "身份证号码重复率为0.86%，达到责任指标" \
    "六是独生子女保健费兑现率" "七是一票否决指标预警：独生子女保健费兑现率为一票否决指标" \
    "请于2013年9月15日前整改到位" \
    "2013年8月5日" "2013年8月5日印发" "抄送：" "附件"; do
  grep -qF "$want" "$work/flat.txt" || fail "the notice lacks: $want"
done
if grep -nE '^[，。、；：？！）》」』】〕%”]' "$work/notice.txt"; then
  fail "a line starts with closing punctuation"
fi
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/closing_check.py" "$pdf" ||
  fail "page numbers and the 版记's page"

# geometry (pdftotext -bbox): A4, the grid's left edge and top margin
check_geometry() { # PDF MIN_TABLE_PAGES EXPECTED_ROWS
  poppler pdftotext -bbox "$1" "$work/bbox.html"
  rotations=$(pdfinfo -f 1 -l 9999 "$1" 2>/dev/null | awk '/ rot:/ { print $4 }' | tr '\n' ' ')
  /usr/bin/python3 - "$work/bbox.html" "$2" "$3" "$rotations" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
min_table_pages, rows = int(sys.argv[2]), int(sys.argv[3])
rotations = [int(r) for r in sys.argv[4].split()]
mm = 72 / 25.4
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
table_pages, ranks = 0, set()
for i, (w, h, body) in enumerate(pages, 1):
    w, h = float(w), float(h)
    if rotations[i - 1] % 180:  # poppler gives the sheet's size, the words as seen
        w, h = h, w
    assert {round(w), round(h)} == {595, 842}, f"page {i} is {w} x {h}, not A4"
    words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in word.findall(body)]
    if w > h:
        table_pages += 1
        texts = [t for *_, t in words]
        assert "排名" in texts and "总分" in texts, f"page {i}: the table header is not repeated"
        # rank cells: the leftmost column's numbers
        left = min(x[0] for x in words if x[4] == "排名")
        ranks.update(int(t) for a, *_, t in words if t.isdigit() and abs(a - left) < 30)
    if i == 2:
        text = [x for x in words if x[4] not in ("—", str(i))]
        left = min(x[0] for x in text)
        top = min(x[1] for x in text)
        assert abs(left - 28 * mm) <= 1 * mm, f"page 2 body left edge {left / mm:.2f} mm"
        assert 37 * mm - 0.5 <= top <= 40 * mm, f"page 2 first line top {top / mm:.2f} mm"
assert table_pages >= min_table_pages, f"{table_pages} table pages"
assert len(ranks) >= rows * 0.5, f"only {len(ranks)} distinct ranks in the table"
PY
}
check_geometry "$pdf" 1 10 || fail "geometry of the sample notice"

# September: the fee veto
month "$sample" 2013-09 -o "$work/sep" --doc-no 21 --date 2013-10-08
poppler pdftotext "$work/sep/督查通报_2013-09.pdf" - | tr -d '\n' >"$work/sep.txt"
for want in "某人口〔2013〕21号" "七是一票否决情况：黄土岭乡" "黄土岭乡（96.41%）独生子女保健费兑现率未达到责任指标" \
    "2013年10月8日"; do
  grep -qF "$want" "$work/sep.txt" || fail "September's notice lacks: $want"
done

# a big county: the table over many landscape pages, header on each
gen="$KAOHE_SOURCE_DIR/bench/gen_bench.py"
if [ -f "$gen" ]; then
  /usr/bin/python3 "$gen" --townships 300 "$work/big" >/dev/null
  month "$work/big" 2013-07 -o "$work/bigout"
  big=$(ls "$work"/bigout/督查通报_*.pdf)
  qpdf --check "$big" >/dev/null 2>&1 || fail "qpdf --check (300 townships)"
  check_geometry "$big" 5 300 || fail "geometry of the 300-township notice"
else
  [ "${CI:-}" = true ] && fail "$gen missing"
  echo "note: $gen missing, 300-township case not run"
fi
echo "ok: sample notice $pages pages, $size bytes; September's veto; a 300-township table"
