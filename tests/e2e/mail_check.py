#!/usr/bin/python3
"""Checks the mails of `kaohe mail` (tests/e2e/mail_eml.sh, mail_smtp.sh).

Reads every message with Python's email package, either the .eml files of
`kaohe mail --eml` (--eml-dir) or what tests/e2e/smtp_server.py received
(--received: its NNNN.eml files and events.tsv), and checks each against
the dataset, `kaohe score --format json` and the workbooks of `kaohe month`:

  * exactly one message per expected township (every township with an
    address, or those given with --only), none for the others;
  * From: the issuer of rules.ini <--from>; To: the contact <email>; the
    envelope recipient (received mail) is the same address;
  * the Subject decodes to 县名YYYY年M月人口计生重点工作考评得分（乡镇名）;
  * Date is --created; a Message-ID of kaohe's form;
  * multipart/mixed of multipart/alternative (text/plain, text/html, both
    UTF-8) and the attachment;
  * the plain text and the HTML give the total, the rank out of N, the name
    of every indicator the township missed, its veto warnings and vetoes;
  * the attachment's file name (RFC 2231) is the workbook's, and its bytes
    are identical to OUTDIR/乡镇/<workbook>.

`mail_check.py text FILE` prints the plain-text part of one message.
"""
import argparse
import configparser
import csv
import email
import email.policy
import html
import json
import os
import re
import sys

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_message(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def raw_header(part, name):
    """The header as written, before decoding."""
    for k, v in part.raw_items():
        if k.lower() == name.lower():
            return v
    return ""


def townships(dataset):
    aliases = {"代码": "code", "名称": "name", "邮箱": "email", "联系人": "contact"}
    with open(os.path.join(dataset, "townships.csv"), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        row = {aliases.get(k.strip(), k.strip()): (v or "").strip() for k, v in row.items()}
        out.append(row)
    return out


def rules(dataset):
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    with open(os.path.join(dataset, "rules.ini"), encoding="utf-8-sig") as f:
        ini.read_file(f)
    return ini


def file_part(s):
    """s as kaohe puts it in a file name: /\\:*?"<>| and controls become _."""
    return re.sub(r'[/\\:*?"<>|\x00-\x1f\x7f]', "_", s)


def number(v):
    """A JSON number as kaohe prints it: 74, 56.39."""
    return ("%.2f" % v).rstrip("0").rstrip(".")


class Checker:
    def __init__(self, args):
        self.args = args
        self.errors = []
        self.rules = rules(args.dataset)
        self.scores = {t["code"]: t for t in json.load(open(args.scores, encoding="utf-8"))["townships"]}
        self.n = len(self.scores)
        year, month = args.period.split("-")
        self.period_words = "%d年%d月" % (int(year), int(month))
        self.indicator_names = {
            sec.split(".", 1)[1]: self.rules[sec]["name"]
            for sec in self.rules.sections() if sec.startswith("indicator.")
        }

    def fail(self, where, what):
        self.errors.append("%s: %s" % (where, what))

    def check(self, where, msg, tw, rcpts=None):
        a = self.args
        assessment = self.rules["assessment"]
        issuer, county = assessment["issuer"], assessment["county"]
        frm = msg["From"].addresses
        if len(frm) != 1 or frm[0].addr_spec != a.sender or frm[0].display_name != issuer:
            self.fail(where, "From is %r, expected %s <%s>" % (str(msg["From"]), issuer, a.sender))
        to = msg["To"].addresses
        if len(to) != 1 or to[0].addr_spec != tw["email"] or to[0].display_name != tw.get("contact", ""):
            self.fail(where, "To is %r, expected %s <%s>" % (str(msg["To"]), tw.get("contact"), tw["email"]))
        if rcpts is not None and rcpts != [tw["email"]]:
            self.fail(where, "envelope recipients %s, expected %s" % (rcpts, tw["email"]))
        subject = "%s%s人口计生重点工作考评得分（%s）" % (county, self.period_words, tw["name"])
        if msg["Subject"] != subject:
            self.fail(where, "Subject %r, expected %r" % (str(msg["Subject"]), subject))
        if not re.search(r"=\?UTF-8\?[BQ]\?", raw_header(msg, "Subject"), re.I):
            self.fail(where, "the Subject is not RFC 2047-encoded")
        if int(msg["Date"].datetime.timestamp()) != a.created:
            self.fail(where, "Date %s is not %d" % (msg["Date"], a.created))
        if not re.fullmatch(r"<kaohe-[0-9a-f]{32}@[A-Za-z0-9.-]+>", str(msg["Message-ID"])):
            self.fail(where, "Message-ID %r" % str(msg["Message-ID"]))

        if msg.get_content_type() != "multipart/mixed":
            self.fail(where, "top part is %s" % msg.get_content_type())
            return
        parts = list(msg.iter_parts())
        if len(parts) != 2 or parts[0].get_content_type() != "multipart/alternative":
            self.fail(where, "expected multipart/alternative + attachment, got %s"
                      % [p.get_content_type() for p in parts])
            return
        alt = [p.get_content_type() for p in parts[0].iter_parts()]
        if alt != ["text/plain", "text/html"]:
            self.fail(where, "alternatives are %s" % alt)
            return
        plain_part, html_part = parts[0].iter_parts()
        for p in (plain_part, html_part):
            if p.get_content_charset() != "utf-8":
                self.fail(where, "%s charset %s" % (p.get_content_type(), p.get_content_charset()))
        plain = plain_part.get_content()
        page = html_part.get_content()
        text_of_html = html.unescape(re.sub(r"<[^>]+>", "", page))
        if '<meta charset="UTF-8">' not in page:
            self.fail(where, "the HTML part does not declare UTF-8")
        if "**" in plain or "<p>" in plain or "\\" in plain:
            self.fail(where, "markup or escapes left in the plain text")
        for want in self.expected_phrases(tw):
            if want not in plain:
                self.fail(where, "the plain text lacks %r" % want)
            if want not in text_of_html:
                self.fail(where, "the HTML text lacks %r" % want)

        att = parts[1]
        workbook = "%s_%s_%s_考评得分.xlsx" % (a.period, file_part(tw["code"]), file_part(tw["name"]))
        if att.get_content_type() != XLSX or att.get_content_disposition() != "attachment":
            self.fail(where, "attachment type %s" % att.get_content_type())
        if att.get_filename() != workbook:
            self.fail(where, "attachment named %r, expected %r" % (att.get_filename(), workbook))
        if "filename*=UTF-8''" not in raw_header(att, "Content-Disposition").replace("*0*=", "*="):
            self.fail(where, "the file name is not given in RFC 2231 form")
        with open(os.path.join(a.outdir, "乡镇", workbook), "rb") as f:
            if att.get_content() != f.read():
                self.fail(where, "the attachment differs from the workbook %s" % workbook)

    def expected_phrases(self, tw):
        s = self.scores[tw["code"]]
        out = ["%s分" % number(s["total"]), "排名第%d位" % s["rank"], "全县%d个乡（镇）" % self.n,
               tw["name"]]
        unreported = all(ind["status"] == "missing" for ind in s["indicators"])
        if unreported:
            out.append("未按时报送")  # said once instead of naming every indicator
        for ind in s["indicators"]:
            name = self.indicator_names[ind["id"]]
            missed = ind["status"] == "missing" or (ind["status"] == "ok" and not ind["met"])
            if missed and not unreported:
                out.append(name)
            if ind["warning"]:
                out.append("一票否决预警")
        if s["veto"]:
            out.append("一票否决：")
        return out

    def run(self):
        a = self.args
        registry = townships(a.dataset)
        with_address = [t for t in registry if t.get("email")]
        expected = with_address
        if a.only is not None:
            only = set(a.only.split(",")) if a.only else set()
            expected = [t for t in with_address if t["code"] in only]
        by_email = {t["email"]: t for t in with_address}
        seen = {}
        if a.eml_dir:
            files = sorted(f for f in os.listdir(a.eml_dir) if not f.startswith("."))
            for f in files:
                msg = read_message(os.path.join(a.eml_dir, f))
                tw = by_email.get(msg["To"].addresses[0].addr_spec)
                if not tw:
                    self.fail(f, "no township has the address %s" % msg["To"])
                    continue
                eml = "%s_%s.eml" % (file_part(tw["code"]), file_part(tw["name"]))
                if f != eml:
                    self.fail(f, "file name, expected %s" % eml)
                seen.setdefault(tw["code"], []).append(f)
                self.check(f, msg, tw)
        else:
            with open(os.path.join(a.received, "events.tsv"), encoding="utf-8") as ev:
                data = [line.rstrip("\n").split("\t") for line in ev if line.startswith("DATA\t")]
            for fields in data:
                f, rcpts = fields[1], fields[2].split(",")
                msg = read_message(os.path.join(a.received, f))
                tw = by_email.get(msg["To"].addresses[0].addr_spec)
                if not tw:
                    self.fail(f, "no township has the address %s" % msg["To"])
                    continue
                seen.setdefault(tw["code"], []).append(f)
                self.check(f, msg, tw, rcpts)
        for tw in registry:
            got = seen.get(tw["code"], [])
            if tw in expected and len(got) != 1:
                self.fail(tw["code"], "expected one message, got %d" % len(got))
            if tw not in expected and got:
                self.fail(tw["code"], "expected no message, got %s" % got)
        for e in self.errors:
            print("mail_check: " + e, file=sys.stderr)
        if not self.errors:
            print("ok: %d messages checked (subject, addresses, date, parts, texts, attachments)"
                  % sum(len(v) for v in seen.values()))
        return 1 if self.errors else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "text":
        msg = read_message(sys.argv[2])
        sys.stdout.write(msg.get_body(("plain",)).get_content())
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", required=True)
    p.add_argument("--outdir", required=True, help="kaohe month's output folder")
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--scores", required=True, help="kaohe score --format json output")
    p.add_argument("--created", required=True, type=int, help="SOURCE_DATE_EPOCH")
    p.add_argument("--from", dest="sender", default="kaohe@localhost")
    p.add_argument("--only", help="codes of the townships expected, comma-separated")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--eml-dir")
    src.add_argument("--received", help="smtp_server.py's --dir")
    return Checker(p.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
