#!/usr/bin/env python3
"""Every --help and a set of failures, in Chinese whatever the locale (docs/decisions.md, Installing).

Runs kaohe under LANG=C.UTF-8, LANG=en_US.UTF-8 and with no locale variable
at all, and fails on any English word a person would read outside
parentheses. Exempt, as §10 says: the diagnostic format's `error:` and
`warning:`, option names, identifiers (words in capitals such as DATASET,
YYYY-MM, SMTP; the command and format names; rules.ini keys), file and
sheet names (anything with a / . _ @ in it, and quoted text), and the
echoed source line under a diagnostic with its caret. A technical detail
(the system's, GLib's, libcurl's or a mail server's own words) goes in
parentheses after the Chinese.

usage: messages_chinese.py KAOHE SOURCE_DIR WORK_DIR
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import threading

kaohe, src, work = sys.argv[1:4]
# a copy: month registers the numbers it issues in its dataset (发文登记.csv)
sample = os.path.join(work, "county-2013")
shutil.copytree(os.path.join(src, "samples", "county-2013"), sample)
if os.path.exists(os.path.join(sample, "发文登记.csv")):
    os.remove(os.path.join(sample, "发文登记.csv"))

# Words that name things rather than say something: commands, format names,
# column and key names of the dataset, products.
NAMES = {
    "kaohe", "check", "score", "month", "quarter", "mail", "init", "serve", "forms", "import",
    "table", "csv", "json", "xml", "email", "issuer", "from", "label", "year",
    "township", "Subject", "Excel", "WPS", "LibreOffice", "sha256sum", "cd",
    "Ctrl", "monthly",
}

COMMANDS = ["check", "score", "month", "quarter", "mail", "init", "serve", "forms", "import"]


def english_words(text):
    """The English words of text that a person reads as a sentence."""
    found = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"\s*\^", line):
            continue  # the caret under an echoed source line
        if i + 1 < len(lines) and re.fullmatch(r"\s*\^", lines[i + 1]):
            continue  # the echoed source line itself
        # parentheses, innermost first, ASCII or full-width
        prev = None
        while prev != line:
            prev = line
            line = re.sub(r"[(（][^()（）]*[)）]", " ", line)
        line = re.sub(r"“[^”]*”|\"[^\"]*\"|'[^']*'|‘[^’]*’", " ", line)
        line = re.sub(r"\b(error|warning):", " ", line)
        line = re.sub(r"\[[^\]]*\]\s*\w*", " ", line)  # [group] key of rules.ini
        after_option = False
        for token in re.split(r"[\s，。：；、,;=]+|:(?!/)", line):
            if re.search(r"[/._@\\]", token) or token[:1].isdigit() or after_option:
                after_option = False
                continue  # a file name, a path, an address, a number, an option's value
            if token.startswith("-"):
                after_option = True
                continue  # an option
            for word in re.findall(r"[A-Za-z][A-Za-z0-9']+", token):
                if word.isupper() or word in NAMES or word.startswith("YYYY") or \
                        re.search(r"[0-9]", word):
                    continue  # an identifier
                found.append(word)
    return found


def smtp_refusing_server():
    """A server on 127.0.0.1 that refuses every session with a 554."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)

    def serve():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            try:
                conn.sendall(b"554 5.3.2 Service refused for testing\r\n")
                conn.recv(1024)
            except OSError:
                pass
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return sock.getsockname()[1]


def cases(out):
    """(name, arguments) of every run: every help, then failures."""
    port = smtp_refusing_server()
    yield "help", ["--help"]
    for c in COMMANDS:
        yield c + " --help", [c, "--help"]
    yield "no command", []
    yield "unknown command", ["frobnicate"]
    yield "unknown option", ["check", "--frobnicate", sample]
    yield "unknown short option", ["month", "-x", sample, "2013-07"]
    yield "missing value", ["month", sample, "2013-07", "--jobs"]
    yield "not a number", ["month", sample, "2013-07", "--jobs=many"]
    yield "flag with value", ["score", sample, "--month", "2013-07", "--partial=yes"]
    yield "no dataset", ["check"]
    yield "absent dataset", ["check", os.path.join(work, "absent")]
    yield "score two periods", ["score", sample, "--month", "2013-07", "--quarter", "2013Q3"]
    yield "score bad format", ["score", sample, "--month", "2013-07", "--format", "xml"]
    yield "score bad month", ["score", sample, "--month", "2013-13"]
    yield "score other year", ["score", sample, "--month", "2014-01"]
    yield "month bad period", ["month", sample, "2014-3"]
    yield "quarter bad period", ["quarter", sample, "2014-Q1"]
    yield "month bad date", ["month", sample, "2013-07", "--date", "2013-02-30"]
    yield "month bad doc-no", ["month", sample, "2013-07", "--doc-no", "x"]
    yield "month unwritable", ["month", sample, "2013-07", "-o", "/etc/passwd/out"]
    yield "quarter missing months", ["quarter", sample, "2013Q4", "-o", os.path.join(work, "q4")]
    yield "mail no workbooks", ["mail", sample, "2013-07", "--eml", "-o", os.path.join(work, "none")]
    yield "mail bad url", ["mail", sample, "2013-07", "--smtp", "http://x", "--from", "a@b.cn"]
    yield "mail refused", ["mail", sample, "2013-07", "-o", out, "--smtp",
                           f"smtp://127.0.0.1:{port}", "--from", "a@example.gov.cn", "--jobs", "1"]
    yield "serve bad address", ["serve", sample, "--listen", "nowhere", "--port", "0"]
    yield "forms bad period", ["forms", sample, "2013-7"]
    yield "import no file", ["import", sample, "2013-07"]
    yield "import absent file", ["import", sample, "2013-07", os.path.join(work, "absent.xlsx")]
    yield "serve bad port", ["serve", sample, "--port", "70000"]
    yield "init not empty", ["init", sample]
    yield "init bad year", ["init", os.path.join(work, "new"), "--year", "20x4"]
    yield "init absent source", ["init", os.path.join(work, "new"), "--from",
                                 os.path.join(work, "absent")]
    for bad in sorted(os.listdir(os.path.join(src, "tests", "data", "bad"))):
        path = os.path.join(src, "tests", "data", "bad", bad)
        if os.path.exists(os.path.join(path, "rules.ini")):  # others are made from the sample by check_bad.sh
            yield "check bad/" + bad, ["check", path]


def main():
    base = {k: v for k, v in os.environ.items()
            if not (k.startswith("LC_") or k in ("LANG", "LANGUAGE"))}
    base["SOURCE_DATE_EPOCH"] = "1378339200"
    locales = [("LANG=C.UTF-8", {"LANG": "C.UTF-8"}),
               ("LANG=en_US.UTF-8", {"LANG": "en_US.UTF-8"}),
               ("no locale", {})]
    out = os.path.join(work, "out")
    made = subprocess.run([kaohe, "month", sample, "2013-07", "-o", out], env=base,
                          capture_output=True)
    if made.returncode != 0:
        print("FAIL: kaohe month for the mail case:", made.stderr.decode())
        return 1
    failures = runs = 0
    for locale_name, extra in locales:
        env = dict(base, **extra)
        for name, args in cases(out):
            p = subprocess.run([kaohe] + args, env=env, capture_output=True, timeout=120)
            runs += 1
            text = (p.stdout + p.stderr).decode("utf-8", "replace")
            if name.endswith("--help") or name == "help":
                ok_status = p.returncode == 0 and "用法" in text
            else:
                ok_status = p.returncode in (1, 2) or name.startswith("check bad/")
            words = english_words(text)
            if words or not ok_status or not text.strip():
                failures += 1
                print(f"FAIL [{locale_name}] kaohe {' '.join(args)} (exit {p.returncode}):"
                      f" English {words}\n{text}")
    shutil.rmtree(os.path.join(work, "new"), ignore_errors=True)
    print(f"{runs} runs, {failures} with English outside parentheses or a wrong exit")
    return 1 if failures else 0


sys.exit(main())
