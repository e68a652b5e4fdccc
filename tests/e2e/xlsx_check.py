#!/usr/bin/python3
"""Reads kaohe's workbooks back with openpyxl and checks them against the
score JSON (docs/reference/outputs.md) and, when given, the dataset's rules.ini (names, units,
decimals, weights).

  xlsx_check.py --scores S.json [--rules rules.ini] [--created EPOCH]
                [--county C.xlsx] [--townships DIR]
                [--quarter-scores Q.json --quarter Q.xlsx]

Every number must equal the JSON's; number formats, conditional formats,
frozen panes, print titles and page setup must be present. Prints each
failure and exits 1 when there is any; prints what it checked otherwise.
"""
import argparse
import configparser
import datetime
import json
import os
import re
import sys
import unicodedata

import openpyxl

FORBIDDEN = {"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"}
failures = []
checked = [0]


def fail(where, message):
    failures.append(f"{where}: {message}")


def check(cond, where, message):
    checked[0] += 1
    if not cond:
        fail(where, message)
    return cond


# The workbooks set ASCII marks next to Chinese text full-width
# (src/render/punct.h); the JSON keeps the data as written.
WIDE = str.maketrans("，：；！？（）“”", ",:;!?()\"\"", " ")


def same_text(cell, data):
    """The cell says data, up to the width of its punctuation."""
    if cell is None or data is None:
        return cell == data
    return cell.translate(WIDE) == data.translate(WIDE)


def same_number(a, b):
    return isinstance(a, (int, float)) and not isinstance(a, bool) and abs(a - b) < 1e-9


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def safe_sheet_name(wanted, fallback):
    """kh_xlsx_sheet_name() of src/render/xlsx_book.c."""
    out = ""
    for ch in wanted:
        ch = FORBIDDEN.get(ch, ch)
        if unicodedata.category(ch) == "Cc":
            continue
        if not out and (ch == "'" or ch.isspace()):
            continue
        if utf16_len(out + ch) > 31:
            break
        out += ch
    while out and (out[-1] == "'" or out[-1].isspace()):
        out = out[:-1]
    return out or fallback


def unique_names(wanted):
    """Names as kh_xlsx_sheet_add() makes them unique, in order."""
    taken, names = {"history"}, []
    for base in wanted:
        name, n = base, 2
        while name.casefold() in taken:
            suffix = f"({n})"
            cut = base
            while utf16_len(cut) > 31 - len(suffix):
                cut = cut[:-1]
            name, n = cut + suffix, n + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def file_part(s, max_bytes):
    out = ""
    for ch in s:
        if ord(ch) < 0x20 or ord(ch) == 0x7F or ch in '/\\:*?"<>|':
            ch = "_"
        if len((out + ch).encode()) > max_bytes:
            break
        out += ch
    return out


def number_format(decimals, suffix):
    f = "0" + ("." + "0" * decimals if decimals > 0 else "")
    if suffix:
        f += '"' + suffix.replace('"', '"\\""') + '"'
    return f


def gap_format(decimals, unit):
    one = number_format(decimals, "个百分点" if unit == "%" else unit)
    return f"{one};-{one};0"


def keyfile_value(raw):
    """A GLib key-file value with its escapes (\\s \\n \\t \\r \\\\) undone."""
    return re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)),
                  raw.strip())


def read_rules(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    cp = configparser.ConfigParser(interpolation=None, strict=False,
                                   comment_prefixes=("#",), inline_comment_prefixes=None)
    cp.optionxform = str
    cp.read_string(text)
    rules = {"county": cp.get("assessment", "county", fallback=""),
             "issuer": cp.get("assessment", "issuer", fallback=""),
             "indicators": {}, "tier_labels": {}}
    for section in cp.sections():
        if section.startswith(("award.", "penalty.")) and cp[section].get("label"):
            rules["tier_labels"][section.split(".", 1)[1]] = keyfile_value(cp[section]["label"])
        if section.startswith("indicator."):
            s = cp[section]
            rules["indicators"][section[len("indicator."):]] = {
                "name": keyfile_value(s.get("name", "")),
                "unit": keyfile_value(s.get("unit", "")),
                "decimals": int(s.get("decimals", "2")),
                "weight": float(s.get("weight", "0")),
            }
    return rules


def month_words(period):
    year, month = period.split("-")
    return f"{int(year)}年{int(month)}月"


def check_sheet_setup(ws, where, freeze, title_rows, landscape=True, filtered=True):
    check(ws.freeze_panes == freeze, where, f"freeze panes {ws.freeze_panes}, expected {freeze}")
    rows = (ws.print_title_rows or "").replace("$", "")
    check(rows == title_rows, where, f"print title rows {ws.print_title_rows!r}, expected {title_rows}")
    check(ws.page_setup.paperSize in (9, "9"), where, f"paper {ws.page_setup.paperSize}, expected A4 (9)")
    if landscape:
        check(ws.page_setup.orientation == "landscape", where, "not landscape")
    # fit to one page wide, or, when that would print below 8 pt, at 75%
    # with the rank and township columns repeated on every page
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        check(str(ws.page_setup.fitToWidth or 1) == "1" and str(ws.page_setup.fitToHeight) == "0",
              where, "not fit to one page wide")
    else:
        check(int(ws.page_setup.scale or 100) >= 75 and bool(ws.print_title_cols), where,
              f"neither fit to a page wide nor at 75% or more with title columns "
              f"(scale {ws.page_setup.scale}, columns {ws.print_title_cols!r})")
    check("&P" in (ws.oddFooter.center.text or "") and "&N" in (ws.oddFooter.center.text or ""),
          where, "footer without page numbers")
    check(bool(ws.oddHeader.center.text), where, "no page header")
    check(len(list(ws.conditional_formatting)) > 0, where, "no conditional formatting")
    if filtered:
        check(bool(ws.auto_filter.ref), where, "no autofilter")


def check_value_cell(cell, st, expected, fmt, where):
    if st == "ok":
        if check(same_number(cell.value, expected), where, f"{cell.coordinate} = {cell.value!r}, expected {expected}") and fmt:
            check(cell.number_format == fmt, where,
                  f"{cell.coordinate} number format {cell.number_format!r}, expected {fmt!r}")
    else:
        words = {"missing": "缺报", "na": "不适用"}[st]
        check(cell.value == words, where, f"{cell.coordinate} = {cell.value!r}, expected {words}")


def met_words(st, met):
    return {"missing": "缺报", "na": "不适用"}.get(st, "达标" if met else "未达标")


def check_county(path, scores, rules, created):
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    where = os.path.basename(path)
    ids = [ind["id"] for ind in scores["county"]["indicators"]]
    names = [rules["indicators"][i]["name"] if rules else None for i in ids]
    for name in wb.sheetnames:
        check(0 < utf16_len(name) <= 31 and not any(c in name for c in FORBIDDEN), where,
              f"bad sheet name {name!r}")
    check(len(wb.sheetnames) == 1 + len(ids), where, f"sheets {wb.sheetnames}")
    check(wb.sheetnames[0] == "汇总", where, f"first sheet {wb.sheetnames[0]!r}")
    if rules:
        expected = unique_names(["汇总"] + [safe_sheet_name(n, f"指标{k + 1}") for k, n in enumerate(names)])
        check(wb.sheetnames == expected, where, f"sheet names {wb.sheetnames}, expected {expected}")
        check(wb.properties.creator == rules["issuer"], where, f"author {wb.properties.creator!r}")
        check((wb.properties.title or "").startswith(rules["county"]), where,
              f"title {wb.properties.title!r}")
    if created is not None:
        want = datetime.datetime.utcfromtimestamp(created)
        check(wb.properties.created == want, where, f"created {wb.properties.created}, expected {want}")

    # 汇总
    ws, wsc = wb["汇总"], cached["汇总"]
    sw = f"{where}[汇总]"
    n = len(ids)
    total_col, veto_col = 4 + n, 5 + n
    rows = {}
    for r in range(3, 3 + len(scores["townships"])):
        rows[str(ws.cell(r, 2).value)] = r
    ranks_in_order = []
    for tw in scores["townships"]:
        r = rows.get(tw["code"])
        if not check(r is not None, sw, f"no row for township {tw['code']}"):
            continue
        check(ws.cell(r, 3).value == tw["name"], sw, f"row {r} name {ws.cell(r, 3).value!r}")
        check(same_number(ws.cell(r, 1).value, tw["rank"]), sw, f"row {r} rank {ws.cell(r, 1).value!r}")
        ranks_in_order.append((r, tw["rank"]))
        for k, ind in enumerate(tw["indicators"]):
            c = ws.cell(r, 4 + k)
            check(same_number(c.value, ind["score"]), sw, f"{c.coordinate} = {c.value!r}, expected {ind['score']}")
            check(c.number_format == "0.00", sw, f"{c.coordinate} format {c.number_format!r}")
        f = ws.cell(r, total_col).value
        check(isinstance(f, str) and f.startswith("=ROUND(SUM("), sw, f"total formula {f!r}")
        v = wsc.cell(r, total_col).value
        check(same_number(v, tw["total"]), sw, f"total cached {v!r}, expected {tw['total']}")
        words = ws.cell(r, veto_col).value or ""
        check(words.startswith("一票否决") == bool(tw["veto"]), sw, f"row {r} veto words {words!r}")
        warned = any(i["warning"] for i in tw["indicators"])
        check(("预警" in words) == warned, sw, f"row {r} warning words {words!r}")
    check([rank for _, rank in sorted(ranks_in_order)] == sorted(rank for _, rank in ranks_in_order),
          sw, "rows not in rank order")
    check_sheet_setup(ws, sw, "D3", "1:2")
    check(len(ws._charts) >= 1, sw, "no chart")

    # one sheet per indicator
    for k, cind in enumerate(scores["county"]["indicators"]):
        if k + 1 >= len(wb.sheetnames):
            break
        ws = wb[wb.sheetnames[k + 1]]
        iw = f"{where}[{ws.title}]"
        rule = rules["indicators"][cind["id"]] if rules else None
        vfmt = number_format(rule["decimals"], rule["unit"]) if rule else None
        gfmt = gap_format(rule["decimals"], rule["unit"]) if rule else None
        for t, tw in enumerate(scores["townships"]):
            r = 3 + t
            ind = tw["indicators"][k]
            check(str(ws.cell(r, 1).value) == tw["code"], iw, f"row {r} code {ws.cell(r, 1).value!r}")
            check_value_cell(ws.cell(r, 3), ind["status"], ind["value"], vfmt, iw)
            if ind["status"] == "ok":
                check_value_cell(ws.cell(r, 4), "ok", ind["target"], vfmt, iw)
                check_value_cell(ws.cell(r, 6), "ok", ind["gap"], gfmt, iw)
            check(ws.cell(r, 5).value == met_words(ind["status"], ind["met"]), iw,
                  f"row {r} met {ws.cell(r, 5).value!r}")
            check(same_number(ws.cell(r, 7).value, ind["score"]), iw,
                  f"row {r} score {ws.cell(r, 7).value!r}, expected {ind['score']}")
        r = 3 + len(scores["townships"])
        check(ws.cell(r, 2).value == "全县", iw, f"county line at row {r}: {ws.cell(r, 2).value!r}")
        if cind["status"] == "ok":
            check_value_cell(ws.cell(r, 3), "ok", cind["value"], vfmt, iw)
            check_value_cell(ws.cell(r, 4), "ok", cind["target"], vfmt, iw)
            check_value_cell(ws.cell(r, 6), "ok", cind["gap"], gfmt, iw)
            check(ws.cell(r, 5).value == met_words("ok", cind["met"]), iw, "county met")
        if cind.get("left_out"):
            check(str(cind["left_out"]) in (ws.cell(r, 9).value or ""), iw, "county left_out not said")
        check_sheet_setup(ws, iw, "C3", "1:2")


def check_township_formats(ws, where, n):
    """Missed rows red over the whole table; no chart and no data bars
    (docs/decisions.md: they cost a fifth of a province's month)."""
    rules = [(str(cf.sqref), rule.type) for cf in ws.conditional_formatting for rule in cf.rules]
    check(rules == [(f"A4:K{3 + n}", "expression")], where, f"conditional formats {rules}")
    check(len(ws._charts) == 0, where, "a chart in a township workbook")


def check_townships(folder, scores, rules, created):
    files = sorted(f for f in os.listdir(folder) if f.endswith(".xlsx"))
    period = scores["period"]
    check(len(files) == len(scores["townships"]), folder,
          f"{len(files)} workbooks for {len(scores['townships'])} townships")
    n = len(scores["county"]["indicators"])
    for tw in scores["townships"]:
        want = f"{period}_{file_part(tw['code'], 40)}_{file_part(tw['name'], 90)}_考评得分.xlsx"
        if not check(want in files, folder, f"no workbook {want}"):
            continue
        path = os.path.join(folder, want)
        wb = openpyxl.load_workbook(path)
        cached = openpyxl.load_workbook(path, data_only=True)
        where = want
        check(wb.sheetnames == [safe_sheet_name(tw["name"], "考评得分")], where, f"sheets {wb.sheetnames}")
        ws, wsc = wb.worksheets[0], cached.worksheets[0]
        title = ws.cell(1, 1).value or ""
        check(tw["name"] in title and month_words(period) in title, where, f"title {title!r}")
        if created is not None:
            check(wb.properties.created == datetime.datetime.utcfromtimestamp(created), where, "created")
        for k, ind in enumerate(tw["indicators"]):
            r = 4 + k
            cind = scores["county"]["indicators"][k]
            rule = rules["indicators"][ind["id"]] if rules else None
            vfmt = number_format(rule["decimals"], rule["unit"]) if rule else None
            if rule:
                check(same_text(ws.cell(r, 2).value, rule["name"]), where, f"row {r} indicator {ws.cell(r, 2).value!r}")
                check(same_number(ws.cell(r, 9).value, rule["weight"]), where, f"row {r} weight")
            check_value_cell(ws.cell(r, 3), ind["status"], ind["value"], vfmt, where)
            if ind["status"] == "ok":
                check_value_cell(ws.cell(r, 4), "ok", ind["target"], vfmt, where)
                check_value_cell(ws.cell(r, 7), "ok", ind["gap"], None, where)
            if cind["status"] == "ok":
                check_value_cell(ws.cell(r, 5), "ok", cind["value"], vfmt, where)
            check(ws.cell(r, 6).value == met_words(ind["status"], ind["met"]), where, f"row {r} met")
            check(same_number(ws.cell(r, 8).value, ind["score"]), where,
                  f"row {r} score {ws.cell(r, 8).value!r}, expected {ind['score']}")
        r = 4 + n
        check(ws.cell(r, 2).value == "合计", where, f"total line at row {r}")
        check(same_number(wsc.cell(r, 8).value, tw["total"]), where,
              f"total {wsc.cell(r, 8).value!r}, expected {tw['total']}")
        info = {ws.cell(k, 2).value: k for k in range(r + 1, r + 8)}
        for label in ("总分", "全县排名", "一票否决", "预警"):
            check(label in info, where, f"no line {label}")
        if "全县排名" in info:
            check(same_number(ws.cell(info["全县排名"], 3).value, tw["rank"]), where, "rank")
            check(f"共{len(scores['townships'])}个乡镇" in ws.cell(info["全县排名"], 3).number_format,
                  where, "rank without N")
        if "总分" in info:
            check(same_number(ws.cell(info["总分"], 3).value, tw["total"]), where, "总分")
        if "一票否决" in info:
            check((ws.cell(info["一票否决"], 3).value != "否") == bool(tw["veto"]), where, "veto words")
        if "预警" in info:
            warned = any(i["warning"] for i in tw["indicators"])
            check((ws.cell(info["预警"], 3).value != "无") == warned, where, "warning words")
        check_sheet_setup(ws, where, "C4", "1:3", filtered=False)
        check_township_formats(ws, where, n)


def check_quarter(path, q, rules, created):
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    where = os.path.basename(path)
    months = [int(m.split("-")[1]) for m in q["months"]]
    check(wb.sheetnames == ["季度汇总"] + [f"{m}月得分" for m in months], where, f"sheets {wb.sheetnames}")
    ws, wsc = wb["季度汇总"], cached["季度汇总"]
    rows = {str(ws.cell(r, 2).value): r for r in range(4, 4 + len(q["townships"]))}
    score_col = 4 + len(months)
    for tw in q["townships"]:
        r = rows.get(tw["code"])
        if not check(r is not None, where, f"no row for {tw['code']}"):
            continue
        if tw["rank"] is None:
            check(ws.cell(r, 1).value == "—", where, f"row {r} rank of a vetoed township")
        else:
            check(same_number(ws.cell(r, 1).value, tw["rank"]), where, f"row {r} rank")
        for k, v in enumerate(tw["monthly"]):
            check(same_number(ws.cell(r, 4 + k).value, v), where, f"row {r} month {k + 1}")
        check(str(ws.cell(r, score_col).value).startswith("=ROUND(AVERAGE("), where, "score formula")
        check(same_number(wsc.cell(r, score_col).value, tw["score"]), where,
              f"row {r} score {wsc.cell(r, score_col).value!r}, expected {tw['score']}")
        check((ws.cell(r, score_col + 1).value == "是") == bool(tw["veto"]), where, f"row {r} veto")
        detail = ws.cell(r, score_col + 2).value or ""
        for m in tw["veto_months"]:
            check(f"{int(m.split('-')[1])}月" in detail, where, f"row {r} veto month {m} not named")
        check(same_text(ws.cell(r, score_col + 5).value or None, tw["action"]), where,
              f"row {r} action")
        # the tier's label, never its id: rules.ini's when it gives one
        tier = tw["award"] or tw["penalty"]
        shown = ws.cell(r, score_col + 4).value or None
        check((shown is None) == (tier is None), where, f"row {r} tier {shown!r}, expected {tier}")
        if tier and shown:
            label = (rules or {}).get("tier_labels", {}).get(tier)
            check(shown == label if label else not re.search(r"[A-Za-z]", shown), where,
                  f"row {r} tier {shown!r}: not the label of {tier}")
    check_sheet_setup(ws, where, "D4", "1:3")
    if created is not None:
        check(wb.properties.created == datetime.datetime.utcfromtimestamp(created), where, "created")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scores")
    ap.add_argument("--rules")
    ap.add_argument("--created", type=int)
    ap.add_argument("--county")
    ap.add_argument("--townships")
    ap.add_argument("--quarter-scores")
    ap.add_argument("--quarter")
    a = ap.parse_args()
    rules = read_rules(a.rules) if a.rules else None
    if a.scores:
        scores = json.load(open(a.scores, encoding="utf-8-sig"))
        if a.county:
            check_county(a.county, scores, rules, a.created)
        if a.townships:
            check_townships(a.townships, scores, rules, a.created)
    if a.quarter:
        check_quarter(a.quarter, json.load(open(a.quarter_scores, encoding="utf-8-sig")), rules,
                      a.created)
    for f in failures:
        print("FAIL", f)
    if failures:
        print(f"xlsx_check: {len(failures)} of {checked[0]} checks failed")
        return 1
    print(f"xlsx_check: {checked[0]} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
