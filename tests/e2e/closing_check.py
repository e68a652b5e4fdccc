#!/usr/bin/python3
"""closing_check.py PDF...: the closing block (版记) and page numbers of
official documents as GB/T 9704-2012 wants them (docs/gbt9704.md):

  - the document has an even number of pages and 印发 (the closing block's
    last line) is on the last page only: the 版记 is the last face;
  - when the page before it is blank (the 版记 needed a page of its own
    and that page would have been odd), neither the blank page nor the 版记
    page carries a number; every other page carries `— N —` for its place.

The text is poppler's (pdftotext), one page per form feed."""

import re
import subprocess
import sys


def pages_of(pdf):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()  # pdftotext ends the last page with a form feed too
    return pages


def check(pdf):
    pages = pages_of(pdf)
    n = len(pages)
    errors = []
    if n % 2:
        errors.append(f"{n} pages: the 版记 is on an odd page")
    with_print = [i + 1 for i, text in enumerate(pages) if "印发" in text]
    if with_print != [n]:
        errors.append(f"印发 on pages {with_print}, not on the last page ({n}) alone")
    blank_before = n >= 2 and pages[n - 2].strip() == ""
    unnumbered = {n - 1, n} if blank_before else set()
    for p, text in enumerate(pages, 1):
        numbers = re.findall(r"— (\d+) —", text)
        if p in unnumbered:
            if numbers:
                errors.append(f"page {p} carries {numbers}, but a blank page stands "
                              "before the 版记 page: neither is numbered")
        elif numbers != [str(p)]:
            errors.append(f"page {p} carries the numbers {numbers}, not [{p}]")
        if p not in unnumbered and text.strip() == re.sub(r"— \d+ —", "", text).strip() == "":
            errors.append(f"page {p} is blank")
    kind = "a blank page and the 版记 page unnumbered" if blank_before else "numbered"
    return errors, f"{n} pages, {kind}"


def main():
    bad = False
    for pdf in sys.argv[1:]:
        errors, summary = check(pdf)
        for e in errors:
            print(f"FAIL: {pdf}: {e}")
        bad |= bool(errors)
        if not errors:
            print(f"ok: {pdf}: {summary}")
    sys.exit(1 if bad else 0)


main()
