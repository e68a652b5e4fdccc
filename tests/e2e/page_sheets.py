#!/usr/bin/python3
"""page_sheets.py PDF...: every page prints the same whatever the printer
driver (issue 16 item 4; docs/gbt9704.md "Page numbers"):

  - every page's MediaBox is a portrait A4 sheet; a landscape table page
    is that sheet with its content turned and /Rotate 90, so viewers show
    it upright and no driver's auto-rotation has anything to turn;
  - the sheet as a printer gets it (the /Rotate dropped with qpdf) has
    `— N —` upright where a portrait page has it: its top 7 mm below the
    type area (35 mm above the sheet's foot), odd pages right-aligned and
    even pages left-aligned one character in from the type area; and on a
    landscape page the table's top is at the sheet's left edge (GB/T 9704
    10.1: 单页码表头在订口一边，双页码表头在切口一边).

Prints the number of landscape pages checked."""

import re
import subprocess
import sys
import tempfile

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
LEFT, RIGHT = 28 * MM, (28 + 156) * MM
AREA_BOTTOM = (297 - 35) * MM  # from the top, as poppler measures
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                  r'yMax="([\d.]+)">(.*?)</word>')


def info(pdf):
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], check=True,
                         capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+)", out, re.M)]
    rots = [int(r) for r in re.findall(r"^Page +\d+ rot: +(\d+)", out, re.M)]
    return sizes, rots


def check(pdf):
    sizes, rots = info(pdf)
    errors = []
    for p, ((w, h), rot) in enumerate(zip(sizes, rots), 1):
        if abs(w - A4[0]) > 1 or abs(h - A4[1]) > 1:
            errors.append(f"page {p}: the sheet is {w:.0f} x {h:.0f} pt, not portrait A4")
        if rot not in (0, 90):
            errors.append(f"page {p}: /Rotate {rot}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as sheet:
        subprocess.run(["qpdf", pdf, "--rotate=0", sheet.name], check=True)
        html = subprocess.run(["pdftotext", "-bbox", sheet.name, "-"], check=True,
                              capture_output=True, text=True).stdout
    pages = re.findall(r"<page [^>]*>(.*?)</page>", html, re.S)
    for p, body in enumerate(pages, 1):
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(body)]
        number = [w for w in words if w[4] == str(p)]
        if not number:
            continue  # an unnumbered page (closing_check.py holds which)
        x0, y0, x1, y1, _ = number[0]
        middle = (y0 + y1) / 2
        # upright: a dash either side on the same line
        dashes = [w for w in words if w[4] == "—" and abs((w[1] + w[3]) / 2 - middle) < 4]
        if len(dashes) != 2 or not dashes[0][2] <= x0 <= x1 <= dashes[1][0]:
            errors.append(f"page {p}: the page number does not read `— {p} —` upright")
        if not AREA_BOTTOM + 5 * MM < y0 < AREA_BOTTOM + 12 * MM:
            errors.append(f"page {p}: the page number's top is {(A4[1] - y0) / MM:.1f} mm "
                          "above the sheet's foot, not about 28 mm")
        left = min([x0] + [w[0] for w in dashes])
        right = max([x1] + [w[2] for w in dashes])
        if p % 2 and abs(right - (RIGHT - 14)) > 2:
            errors.append(f"page {p}: odd page number ends at {right / MM:.1f} mm, "
                          f"not one character inside the type area ({(RIGHT - 14) / MM:.1f} mm)")
        if not p % 2 and abs(left - (LEFT + 14)) > 2:
            errors.append(f"page {p}: even page number starts at {left / MM:.1f} mm, "
                          f"not one character inside the type area ({(LEFT + 14) / MM:.1f} mm)")
        if rots[p - 1] == 90:
            head = [w for w in words if w[4] == "排名"]
            if head and head[0][0] > A4[0] / 2:
                errors.append(f"page {p}: the table's top is not at the sheet's left edge")
    return errors, sum(r == 90 for r in rots)


def main():
    bad = False
    for pdf in sys.argv[1:]:
        errors, turned = check(pdf)
        for e in errors:
            print(f"FAIL: {pdf}: {e}")
        bad |= bool(errors)
        if not errors:
            print(f"ok: {pdf}: portrait sheets, {turned} landscape pages turned with /Rotate 90")
    sys.exit(1 if bad else 0)


main()
