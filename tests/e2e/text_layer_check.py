#!/usr/bin/python3
"""text_layer_check.py PDFJS_SCRIPT PDF [WANT...]: the PDF's text layer as
three readers extract it (issue 16 item 2):

  - poppler (pdftotext, in content order with -raw, and in its default
    layout mode), MuPDF (mutool draw -F txt) and PDF.js (PDFJS_SCRIPT, run
    with node) print no warning or error about the file;
  - the three give the same text on every page once white space is
    removed (each reader breaks lines and spaces words its own way);
  - every WANT string is in that text.

MuPDF's notice that Debian builds it without colour management ("ICC
support is not available") is about MuPDF, not the file, and is ignored."""

import re
import subprocess
import sys

PDF = sys.argv[2] if len(sys.argv) > 2 else ""
MUPDF_BUILD = "warning: ICC support is not available"


def run(cmd, what, ignore=()):
    r = subprocess.run(cmd, capture_output=True, text=True)
    noise = [l for l in r.stderr.splitlines() if l.strip() and l not in ignore]
    if r.returncode != 0 or noise:
        sys.exit(f"FAIL: {what} on {PDF}: exit {r.returncode}\n" + "\n".join(noise))
    return r.stdout


def pages(text):
    parts = text.split("\f")
    if parts and not parts[-1].strip():
        parts.pop()
    return [re.sub(r"\s+", "", p) for p in parts]


def main():
    script, pdf, wants = sys.argv[1], sys.argv[2], sys.argv[3:]
    readers = {
        "poppler": run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], "pdftotext -raw"),
        "mupdf": run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf], "mutool draw",
                     ignore=(MUPDF_BUILD,)),
        "pdf.js": run(["node", script, pdf], "PDF.js"),
    }
    run(["pdftotext", "-enc", "UTF-8", pdf, "-"], "pdftotext")
    texts = {name: pages(out) for name, out in readers.items()}
    ref = texts["poppler"]
    for name, got in texts.items():
        if len(got) != len(ref):
            sys.exit(f"FAIL: {pdf}: {name} finds {len(got)} pages, poppler {len(ref)}")
        for p, (a, b) in enumerate(zip(ref, got), 1):
            if a != b:
                i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]),
                         min(len(a), len(b)))
                sys.exit(f"FAIL: {pdf} page {p}: poppler and {name} differ at character {i}:\n"
                         f"  poppler: …{a[max(0, i - 20):i + 20]}…\n"
                         f"  {name}: …{b[max(0, i - 20):i + 20]}…")
    whole = "".join(ref)
    for want in wants:
        if re.sub(r"\s+", "", want) not in whole:
            sys.exit(f"FAIL: {pdf}: the text lacks {want!r}")
    print(f"ok: {pdf}: {len(ref)} pages, {len(whole)} characters, the same in poppler, "
          "MuPDF and PDF.js")


main()
