#!/usr/bin/env bash
# The closing block (版记) on the last face of the document, an even page,
# and page numbers as GB/T 9704-2012 says (issue 16 item 1; docs/gbt9704.md;
# closing_check.py has the rules), and every page a portrait sheet that
# prints the same whatever the printer driver, landscape tables turned on it
# with /Rotate 90 for the screen (item 4; page_sheets.py), for the notice
# and the report:
#  - every sample month (2013-01 … 09) and quarter (Q1 … Q3), whose bodies
#    end on odd and even pages, with and without a landscape attachment;
#  - generated counties of 30, 300 and 1,500 townships (bench/gen_bench.py),
#    their month and quarter.
source "$(dirname "$0")/lib/common.bash"
for tool in pdftotext pdfinfo qpdf /usr/bin/python3; do
  command -v "$tool" >/dev/null || skip "$tool missing"
done
[ -d "$sample" ] || skip "$sample missing"
gen="$KAOHE_SOURCE_DIR/bench/gen_bench.py"
[ -f "$gen" ] || fail "$gen missing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
own_sample "$work" # documents are registered in their dataset, and these pass --doc-no
check="$KAOHE_SOURCE_DIR/tests/e2e/closing_check.py"
export SOURCE_DATE_EPOCH=1381363200

run() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  "$KAOHE" "$@" --date 2013-10-10 --jobs 2 >/dev/null 2>"$work/err" ||
    { cat "$work/err"; fail "$what: kaohe $*"; }
}

pdfs=()
for m in 01 02 03 04 05 06 07 08 09; do
  run "sample month $m" month "$sample" "2013-$m" -o "$work/m$m" --doc-no "$m"
  pdfs+=("$work/m$m/督查通报_2013-$m.pdf")
done
for q in 1 2 3; do
  run "sample quarter $q" quarter "$sample" "2013Q$q" -o "$work/q$q" --doc-no "2$q"
  pdfs+=("$work/q$q/季度奖惩通报_2013Q$q.pdf")
done
for n in 30 300 1500; do
  /usr/bin/python3 "$gen" --townships "$n" --months 3 "$work/c$n" >/dev/null
  run "$n townships, month" month "$work/c$n" 2013-03 -o "$work/c$n-m" --doc-no 3
  run "$n townships, quarter" quarter "$work/c$n" 2013Q1 -o "$work/c$n-q" --doc-no 4
  pdfs+=("$work/c$n-m/督查通报_2013-03.pdf" "$work/c$n-q/季度奖惩通报_2013Q1.pdf")
done
/usr/bin/python3 "$check" "${pdfs[@]}" | sed "s|$work/||" ||
  fail "the 版记 is not on an even last page with the standard's page numbers"
/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/page_sheets.py" "${pdfs[@]}" | sed "s|$work/||" ||
  fail "a page does not print the same whatever the printer driver"
