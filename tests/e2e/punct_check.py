#!/usr/bin/python3
"""punct_check.py FILE...: no ASCII , : ; ! ? ( ) " stands next to a
Chinese character in the text a reader gets from the documents (issue 16
item 3; src/render/punct.h): PDFs (pdftotext -raw), workbooks (every text
of their XML parts) and mails (.eml: the plain-text and the HTML parts,
tags removed). Prints each offending place; exit 1 when there is one."""

import email
import html
import re
import subprocess
import sys
import zipfile
from email import policy

CJK = "\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
BAD = re.compile(f"[{CJK}][,:;!?()\"]|[,:;!?()\"][{CJK}]")


def texts(path):
    if path.endswith(".pdf"):
        yield subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], check=True,
                             capture_output=True, text=True).stdout
    elif path.endswith(".xlsx"):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml") and name.startswith("xl/"):
                    xml = z.read(name).decode("utf-8")
                    for t in re.findall(r"<(?:t|v)(?: [^>]*)?>([^<]*)</(?:t|v)>", xml):
                        yield html.unescape(t)
                    if name.startswith("xl/worksheets/"):  # header and footer, less
                        for t in re.findall(r"<odd(?:Header|Footer)>([^<]*)<", xml):  # codes
                            yield re.sub(r'&"[^"]*"|&\d+|&[A-Za-z&]', "", html.unescape(t))
    elif path.endswith(".eml"):
        msg = email.message_from_binary_file(open(path, "rb"), policy=policy.default)
        yield str(msg["Subject"])
        for part in msg.walk():
            if part.get_content_type() == "text/plain":
                yield part.get_content()
            elif part.get_content_type() == "text/html":
                yield html.unescape(re.sub(r"<[^>]*>", "", part.get_content()))
    else:
        sys.exit(f"FAIL: {path}: not a document this checks")


def main():
    bad = 0
    for path in sys.argv[1:]:
        for text in texts(path):
            for m in BAD.finditer(text):
                around = text[max(0, m.start() - 12):m.end() + 12].replace("\n", " ")
                print(f"FAIL: {path}: ASCII mark by Chinese text: …{around}…")
                bad += 1
    if bad:
        sys.exit(1)
    print(f"ok: {len(sys.argv) - 1} documents, no ASCII mark next to Chinese text")


main()
