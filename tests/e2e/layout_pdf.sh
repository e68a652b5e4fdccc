#!/usr/bin/env bash
# The page layout's PDFs checked with the tools a reader's machine has:
# qpdf, poppler (pdffonts, pdftotext, pdfinfo). The sample 督查通报 is
# written by tests/unit/test_layout_pdf (KAOHE_LAYOUT_OUT=DIR): a 3-4 page
# notice with a chart and a landscape score-table attachment, its PDF/A
# twin, and a long variant whose table runs over several pages.
#
# Checked: qpdf finds no error; every font embedded; no poppler message
# (text_layer.sh checks the text layer itself);
# the Chinese text comes back and no line starts with closing punctuation;
# A4 pages; on page 2 the body's left edge at 28 mm and the first line's
# glyph box starting at the 37 mm top margin (text is centred in its 28.9 pt
# grid line, so the box starts up to 3 mm lower); "— N —" on every page
# (but an unnumbered blank page and 版记 page: closing_check.py);
# every page a portrait sheet, landscape ones turned with /Rotate 90
# (page_sheets.py); the table header on every table page; under 150 KB;
# two runs give the same bytes; the PDF/A parts (pdfaid, OutputIntent with
# the right key, document ID).
set -euo pipefail

for tool in qpdf pdffonts pdftotext pdfinfo /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
demo="${KAOHE_BUILD_DIR:?}/tests/test_layout_pdf"
[ -x "$demo" ] || { echo "FAIL: $demo not built"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/a" "$work/b"
KAOHE_LAYOUT_OUT="$work/a" "$demo" >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; exit 1; }
KAOHE_LAYOUT_OUT="$work/b" "$demo" >/dev/null 2>&1
fail() { echo "FAIL: $*" >&2; exit 1; }

# poppler's messages, minus the remark of `pdftotext -bbox` on a page
# without text (the blank page before a 版记)
poppler() {
  local err="$work/poppler.err"
  "$@" 2>"$err"
  if grep -v -e '^no word list$' "$err" | grep -q .; then
    cat "$err" >&2
    fail "unexpected poppler message from $*"
  fi
}

for name in notice notice-pdfa notice-long; do
  pdf="$work/a/$name.pdf"
  cmp -s "$pdf" "$work/b/$name.pdf" || fail "$name: two runs differ"
  qpdf --check "$pdf" >/dev/null 2>&1 || fail "$name: qpdf --check"
  poppler pdffonts "$pdf" >"$work/fonts"
  awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$work/fonts" ||
    { cat "$work/fonts"; fail "$name: a font is not embedded"; }
  poppler pdftotext "$pdf" "$work/$name.txt"
  grep -q "某人口〔2013〕15号" "$work/$name.txt" || fail "$name: document number"
  grep -q "关于2013年7月全县人口计生" "$work/$name.txt" || fail "$name: title"
  grep -q "84.71%" "$work/$name.txt" || fail "$name: 84.71% cut"
  if grep -nE '^[，。、；：？！）》」』】〕%”]' "$work/$name.txt"; then
    fail "$name: a line starts with closing punctuation"
  fi
  /usr/bin/python3 "${KAOHE_SOURCE_DIR:?}/tests/e2e/closing_check.py" "$pdf" >/dev/null ||
    fail "$name: page numbers and the 版记's page"
  /usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/page_sheets.py" "$pdf" >/dev/null ||
    fail "$name: a page does not print the same whatever the printer driver"
  poppler pdftotext -bbox "$pdf" "$work/$name.html"
  rotations=$(pdfinfo -f 1 -l 9999 "$pdf" 2>/dev/null | awk '/ rot:/ { print $4 }' | tr '\n' ' ')
  /usr/bin/python3 - "$work/$name.html" "$name" "$rotations" <<'EOF' || fail "$name: geometry"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
name = sys.argv[2]
rotations = [int(r) for r in sys.argv[3].split()]
mm = 72 / 25.4
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
table_pages = 0
for i, (w, h, body) in enumerate(pages, 1):
    w, h = float(w), float(h)
    if rotations[i - 1] % 180:  # poppler gives the sheet's size, the words as seen
        w, h = h, w
    assert {round(w), round(h)} == {595, 842}, f"page {i} is {w} x {h}, not A4"
    words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in word.findall(body)]
    if w > h and any(t == "排名" for *_, t in words):
        table_pages += 1
        assert any(t == "总分" for *_, t in words), f"page {i}: table header missing"
    if i == 2:
        text = [x for x in words if x[4] not in ("—", str(i))]
        left = min(x[0] for x in text)
        top = min(x[1] for x in text)
        assert abs(left - 28 * mm) <= 1 * mm, f"page 2 body left edge {left / mm:.2f} mm"
        assert 37 * mm - 0.5 <= top <= 40 * mm, f"page 2 first line top {top / mm:.2f} mm"
assert table_pages >= (2 if name == "notice-long" else 1), f"{table_pages} table pages"
EOF
done

size=$(stat -c %s "$work/a/notice.pdf")
[ "$size" -lt $((150 * 1024)) ] || fail "notice.pdf is $size bytes"
pages=$(pdfinfo "$work/a/notice.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')

# PDF/A-1b parts
pdfa="$work/a/notice-pdfa.pdf"
head -c 8 "$pdfa" | grep -q '%PDF-1.4' || fail "PDF/A: not version 1.4"
qpdf --qdf --object-streams=disable "$pdfa" "$work/qdf.pdf" 2>/dev/null || true
grep -aq '<pdfaid:part>1</pdfaid:part>' "$work/qdf.pdf" || fail "PDF/A: no pdfaid:part"
grep -aq '<pdfaid:conformance>B</pdfaid:conformance>' "$work/qdf.pdf" || fail "PDF/A: conformance"
grep -aq '/S /GTS_PDFA1' "$work/qdf.pdf" || fail "PDF/A: no OutputIntent"
grep -aqE '^ +/DestOutputProfile [0-9]+ 0 R$' "$work/qdf.pdf" || fail "PDF/A: DestOutputProfile key"
grep -aq '/CIDSet' "$work/qdf.pdf" || fail "PDF/A: no CIDSet"
/usr/bin/python3 - "$pdfa" <<'EOF' || fail "PDF/A: XMP is not well-formed XML"
import re, sys, xml.dom.minidom
packet = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", open(sys.argv[1], "rb").read(), re.S)
xml.dom.minidom.parseString(packet.group(0))
EOF
qpdf --show-object=trailer "$pdfa" 2>/dev/null | grep -q '/ID \[' || fail "PDF/A: no document ID"
echo "ok: $pages-page notice, $size bytes; PDF/A parts present; reproducible"
