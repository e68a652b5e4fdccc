#!/usr/bin/env bash
# The documents' text layer (issue 16 item 2; docs/decisions.md "Fonts
# through libharu's object layer"):
#  - every font is a Type0/Identity-H font whose ToUnicode map has bfchar
#    and bfrange entries only (libharu's own map is its UTF-8 encoding CMap,
#    whose begincidrange poppler rejects), and whose descriptor has a
#    CapHeight;
#  - poppler, MuPDF and PDF.js print no warning on any document and extract
#    the same text from every page (text_layer_check.py): every sample
#    month's notice, every quarter's report (PDF/A), the layout's own test
#    documents, and a sample county whose township 02 is named 𠀾口镇 (𠀾 is
#    U+2003E, beyond the BMP), whose name comes out as itself;
#  - rendered at 80 dpi, 𠀾 in the body and in a 黑体 heading (whose face,
#    WenQuanYi Zen Hei, lacks it: the fallback chain draws it with AR PL
#    UMing) is a glyph: neither the .notdef box nor 〓 (U+3013), which v1
#    printed for every character beyond U+FFFF.
# PDF.js is tests/pdfjs (pdfjs-dist's legacy build, pinned by its
# package-lock.json), installed by scripts/install-deps.sh --tests.
source "$(dirname "$0")/lib/common.bash"
: "${KAOHE_BUILD_DIR:?}"
need() { # a tool the test cannot do without: skipped outside CI, failed in CI
  [ "${CI:-}" = true ] && fail "$1 missing (scripts/install-deps.sh --tests installs it)"
  skip "$1 missing (scripts/install-deps.sh --tests installs it)"
}
for tool in pdftotext pdftoppm qpdf mutool node /usr/bin/python3; do
  command -v "$tool" >/dev/null || need "$tool"
done
pdfjs="$KAOHE_SOURCE_DIR/tests/pdfjs"
[ -f "$pdfjs/node_modules/pdfjs-dist/legacy/build/pdf.mjs" ] || need "pdfjs-dist in $pdfjs"
demo="$KAOHE_BUILD_DIR/tests/test_layout_pdf"
[ -x "$demo" ] || fail "$demo not built"
[ -d "$sample" ] || skip "$sample missing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
own_sample "$work" # documents are registered in their dataset, and these pass --doc-no
check() { /usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/text_layer_check.py" "$pdfjs/text.mjs" "$@"; }
export SOURCE_DATE_EPOCH=1381363200

# the fonts' objects, as qpdf shows them uncompressed
fonts_ok() { # PDF
  qpdf --qdf --object-streams=disable "$1" "$work/qdf.pdf" 2>/dev/null || true
  local fonts caps
  fonts=$(grep -ac '^  /Subtype /Type0$' "$work/qdf.pdf" || true)
  caps=$(grep -ac '^  /CapHeight [0-9]' "$work/qdf.pdf" || true)
  [ "$fonts" -ge 1 ] && [ "$fonts" = "$caps" ] || fail "$1: $fonts Type0 fonts, $caps CapHeights"
  ! grep -aqE 'cidrange|notdefrange' "$work/qdf.pdf" || fail "$1: a ToUnicode map has cidrange"
  grep -aqE '^[0-9]+ beginbf(char|range)$' "$work/qdf.pdf" || fail "$1: no bfchar/bfrange map"
}

# the layout's documents
mkdir "$work/demo"
KAOHE_LAYOUT_OUT="$work/demo" "$demo" >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; fail "$demo"; }
for name in notice notice-pdfa notice-long; do
  fonts_ok "$work/demo/$name.pdf"
  check "$work/demo/$name.pdf" "某人口〔2013〕15号" "身份证号码录入率为84.71%" "2013年9月5日印发" ||
    fail "$name"
done
check "$work/demo/edge.pdf" "1.罕用字𠀾的处理" || fail "edge"
check "$work/demo/glyph-rare.pdf" "一、𠀾𠀾𠀾" >/dev/null || fail "glyph-rare"
check "$work/demo/glyph-geta.pdf" "一、〓〓〓" >/dev/null || fail "glyph-geta"
# (glyph-notdef's character is in no face: readers extract its .notdef
# glyph as nothing or as U+FFFD, and kaohe warns when it sets it)

# the sample's notices and reports
run() { "$KAOHE" "$@" --date 2013-10-10 >/dev/null 2>"$work/err" || { cat "$work/err"; fail "kaohe $*"; }; }
for m in 01 02 03 04 05 06 07 08 09; do
  run month "$sample" "2013-$m" -o "$work/m$m" --doc-no "$m"
  check "$work/m$m/督查通报_2013-$m.pdf" "关于2013年${m#0}月全县人口计生" || fail "month $m"
done
for q in 1 2 3; do
  run quarter "$sample" "2013Q$q" -o "$work/q$q" --doc-no "2$q"
  fonts_ok "$work/q$q/季度奖惩通报_2013Q$q.pdf"
  check "$work/q$q/季度奖惩通报_2013Q$q.pdf" "季度" || fail "quarter $q"
done

# a township named with a character beyond U+FFFF
cp -r "$sample" "$work/rare"
sed -i 's/^02,新集镇,/02,𠀾口镇,/' "$work/rare/townships.csv"
sed -i 's/^新集镇,/𠀾口镇,/' "$work/rare"/monthly/*.csv
run month "$work/rare" 2013-07 -o "$work/rare-m" --doc-no 7
fonts_ok "$work/rare-m/督查通报_2013-07.pdf"
check "$work/rare-m/督查通报_2013-07.pdf" "𠀾口镇（56.39分）" "14𠀾口镇" || fail "𠀾 in the notice"
run quarter "$work/rare" 2013Q3 -o "$work/rare-q" --doc-no 30
check "$work/rare-q/季度奖惩通报_2013Q3.pdf" "𠀾口镇" || fail "𠀾 in the report"

# 𠀾 drawn as itself
for name in rare geta notdef; do
  pdftoppm -r 80 -gray -f 1 -l 1 "$work/demo/glyph-$name.pdf" "$work/$name"
done
/usr/bin/python3 - "$work"/rare-1.pgm "$work"/geta-1.pgm "$work"/notdef-1.pgm <<'PY' ||
import sys
def ink(path):  # the dark pixels of a binary PGM (P5)
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:  # magic, width, height, maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pixels = data[pos + 1:]
    return {i for i, v in enumerate(pixels) if v < 128}
rare, geta, notdef = (ink(p) for p in sys.argv[1:])
assert len(rare) > 500, f"𠀾 draws only {len(rare)} dark pixels"
for name, other in (("〓", geta), (".notdef", notdef)):
    differ = len(rare ^ other) / max(len(rare | other), 1)
    assert differ > 0.3, f"𠀾 renders like {name} ({differ:.0%} of the ink differs)"
print(f"ok: 𠀾 renders as a glyph of its own ({len(rare)} dark pixels)")
PY
  fail "𠀾 is not drawn with its glyph"
echo "ok: text layers of the layout's, the sample's and the 𠀾 county's documents"
