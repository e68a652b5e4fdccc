#!/usr/bin/python3
"""gen_dataset.py: random *valid* datasets full of the cases that break scorers.

    gen_dataset.py --seed N --townships T OUTDIR

Same seed and size, same bytes. The dataset is valid (kaohe check may warn
but finds no error), and exercises, at random:

  * every scoring method, vetoes with and without a deadline, tiers of every
    kind (ranks, min_score, bottom, below, none);
  * missing cells, townships without a row, a whole month without rows,
    a registry township that never reports, month files absent (gaps before
    a year-to-date month), a file of another year, a field that no indicator
    in force reads absent from a month's file or headed in capitals (an
    unknown column), indicators counted from a later month (`from`);
  * zero denominators (na), exact ties (copied rows), values that end in
    a half (x.xx5, a/8*100) and sums that land near one;
  * Chinese headers (labels, 乡镇, 代码/名称), townships keyed by name,
    GB18030 files, BOMs, CRLF, thousands separators, blanks (space, tab,
    U+3000, U+00A0) around cells, all-empty rows, shuffled columns,
    ignored columns (备注), unused non-numeric attributes, negative and
    missing attributes, formulas written with odd spacing.
"""

import argparse
import os
import random
import re
import sys

PLACES = ["城关", "新集", "石桥", "河口", "柳林", "白马", "三河", "杨庄", "王集", "高店",
          "李寨", "黄土岭", "青山", "双庙", "东风", "红旗", "前进", "和平", "五里", "八里",
          "龙泉", "凤凰", "桃园", "梨园", "大营", "小营", "南湖", "北湖", "西山", "东山",
          "金桥", "银河", "长岭", "安乐", "永宁", "太平", "兴隆", "丰收", "古城", "马庄",
          "刘集", "*甲*", "钱塘", "孙庄", "周口", "吴堡", "郑集", "冯楼"]
FIELD_IDS = ["a_cnt", "b2", "_c", "d_amount", "e", "f_base", "g9", "h_total"]
FIELD_LABELS = ["甲项人数", "乙项人数", "丙项数", "丁项金额", "戊项", "己项基数", "庚项", "辛项合计"]
ATTR_IDS = ["task", "base_b", "pop"]
BLANKS = [" ", "\t", "\u3000", "\u00a0", "  "]


class Gen:
    def __init__(self, seed, n):
        self.rng = random.Random(seed)
        self.n = n
        self.year = self.rng.choice([2013, 2013, 2014, 2020])

    def chance(self, p):
        return self.rng.random() < p

    # ---- names

    def townships(self):
        rng = self.rng
        names = rng.sample(PLACES, self.n)
        style = rng.choice(["num", "letter", "pinyin"])
        out = []
        for i, place in enumerate(names):
            code = {"num": f"{i + 1:02d}", "letter": f"T{i + 1}", "pinyin": f"z{i + 1:03d}"}[style]
            out.append((code, place + rng.choice(["镇", "乡"])))
        return out

    # ---- the scheme

    def fields(self):
        k = self.rng.randint(4, len(FIELD_IDS))
        chosen = self.rng.sample(range(len(FIELD_IDS)), k)
        fields = []
        for i in chosen:
            kind = self.rng.choice(["count", "count", "small", "half", "big"])
            declared = self.chance(0.8)
            fields.append({"id": FIELD_IDS[i], "label": FIELD_LABELS[i], "kind": kind,
                           "declared": declared})
        # at least one count and one small field for ratios
        fields[0]["kind"] = "count"
        fields[1]["kind"] = "small"
        return fields

    def spaced(self, text):
        """The same formula with odd but valid spacing."""
        style = self.rng.random()
        if style < 0.2:
            return text.replace(" ", "")
        if style < 0.3:
            return text.replace(" ", "  ")
        return text

    def formula(self, fields, attrs, method):
        rng = self.rng
        f = [x["id"] for x in fields]
        a, b, c = rng.sample(f, 3)
        half = [x["id"] for x in fields if x["kind"] == "half"]
        attr = rng.choice(attrs)
        # proportional scoring divides by the target (>=) or the value (<=)
        zero_divisors = [
            (f"{b} - {c}", ">=", ["0", f"{b} * 0"]),
            (f"{b}", "<=", [f"0 - {c}", "0"]),
        ]
        choices = zero_divisors + [
            (f"{a} / {b} * 100", ">=", ["90", "95", "100", "50.5"]),
            (f"ytd({a}) / ytd({b}) * 100", "<=", ["107", "110.5", "100", "1"]),
            (f"ytd({a}) / {attr} * 100", ">=", ["month / 12 * 100", "month / 12 * 80", "50"]),
            (f"{a} - {b}", ">=", ["0", "1.5", f"{c} * 0.5"]),
            (f"- {a} + {b} * 2", "<=", ["10", "0", "month * 8.5"]),
            (f"({a} + {b}) / ({c} - {b}) * 10", ">=", ["5", "12.5"]),
            (f"{b} / {c} * 100", "<=", ["1", "0.5", "100"]),
            (f"ytd({b}) / ({attr} * month / 12) * 100", ">=", ["80", "100"]),
            (f"{a} / ({a} + {b}) * 100", ">=", ["50", "66.7"]),
            (f"{attr} / 100", ">=", ["5", "month"]),    # no field at all
            ("month / 12 * 100", ">=", ["50", "month * 10"]),
        ]
        if half:
            choices.append((half[0], rng.choice([">=", "<="]), ["1.005", "2.675", "50", "0.125"]))
            choices.append((f"{half[0]} * 3 / 3", ">=", ["1.115"]))
        if method == "proportional" and self.chance(0.3):
            choices = zero_divisors
        value, op, targets = rng.choice(choices)
        return self.spaced(value), op, self.spaced(rng.choice(targets))

    def indicators(self, fields, attrs):
        rng = self.rng
        k = rng.randint(4, 7)
        methods = ["all-or-nothing", "proportional", "deduct", "rank"]
        methods += [rng.choice(methods) for _ in range(k - 4)]
        rng.shuffle(methods)
        veto_at = rng.randrange(k) if self.chance(0.7) else None
        inds = []
        for i, method in enumerate(methods):
            value, op, target = self.formula(fields, attrs, method)
            ind = {"id": f"ind_{i + 1}" if self.chance(0.7) else f"k{i}",
                   "name": f"指标{'一二三四五六七'[i]}", "value": value, "op": op, "target": target,
                   "weight": rng.choice(["0", "5", "10", "12.5", "15", "20", "25", "33.3"]),
                   "decimals": rng.choice([None, "0", "1", "2", "2", "3", "6", "10"]),
                   "unit": rng.choice([None, "", "%", "人"])}
            if method == "deduct":
                method = f"deduct {rng.choice(['0.5', '1', '2', '3'])} per {rng.choice(['0.1', '0.25', '0.5', '1', '2'])}"
            elif method == "rank":
                method = f"rank {rng.choice(['0.5', '1', '1.5', '2'])}"
            ind["method"] = method
            if self.chance(0.2):
                ind["from"] = rng.randint(2, 8)  # added in the middle of the year
            if i == veto_at:
                ind["veto"] = True
                if self.chance(0.8):
                    ind["deadline"] = f"{self.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            inds.append(ind)
        return inds

    def tiers(self):
        rng = self.rng
        out = []
        for kind, count in (("award", rng.randint(0, 3)), ("penalty", rng.randint(0, 3))):
            for j in range(count):
                keys = {}
                if kind == "award":
                    if self.chance(0.7):
                        lo = rng.randint(1, 3)
                        keys["ranks"] = str(lo) if self.chance(0.5) else f"{lo}-{lo + rng.randint(0, 3)}"
                    if self.chance(0.4):
                        keys["min_score"] = rng.choice(["50", "60", "75.5", "80"])
                else:
                    if self.chance(0.6):
                        keys["bottom"] = str(rng.randint(1, 3))
                    if self.chance(0.5):
                        keys["below"] = rng.choice(["30", "50", "60", "70.25"])
                keys["action"] = f"{'奖励' if kind == 'award' else '处罚'}{j + 1},通报"
                out.append((f"{kind}.t{j + 1}", keys))
        return out

    def rules_ini(self, fields, inds, tiers):
        lines = ["# 随机生成的考评方案（测试用）", "[assessment]", "title = 测试考评",
                 "county = 测试县", "issuer = 测试县人口和计划生育局", f"year = {self.year}", ""]
        for f in fields:
            if f["declared"]:
                lines += [f"[field.{f['id']}]", f"label = {f['label']}", ""]
        for ind in inds:
            lines += [f"# {ind['name']}", f"[indicator.{ind['id']}]", f"name = {ind['name']}",
                      f"value = {ind['value']}", f"target = {ind['op']} {ind['target']}",
                      f"weight = {ind['weight']}", f"method = {ind['method']}"]
            if ind["decimals"] is not None:
                lines.append(f"decimals = {ind['decimals']}")
            if ind["unit"] is not None:
                lines.append(f"unit = {ind['unit']}")
            if ind.get("veto"):
                lines.append("veto = true")
            if ind.get("deadline"):
                lines.append(f"deadline = {ind['deadline']}")
            if ind.get("from"):
                lines.append(f"from = {self.year}-{ind['from']:02d}")
            lines.append("")
        if self.chance(0.2):
            lines += ["[comment]", "note = 本组不被 kaohe 识别（警告）", ""]
        lines += ["[quarter]", "combine = mean"]
        if self.chance(0.8):
            lines.append("veto_action = 取消评先评优资格")
        lines.append("")
        for group, keys in tiers:
            lines.append(f"[{group}]")
            lines += [f"{k} = {v}" for k, v in keys.items()]
            lines.append("")
        if self.chance(0.3):  # key=value and key   =   value are the same
            lines = [ln.replace(" = ", self.rng.choice(["=", "   =   ", " =", "= "]), 1) for ln in lines]
        return "\n".join(lines) + "\n"

    # ---- numbers

    def number(self, kind):
        rng = self.rng
        if kind == "small":
            return rng.choice([0, 0, 1, 2, 3, 5, 8, 10, 16, 20, 40])
        if kind == "half":
            v = rng.randint(0, 9999) * 10 + (5 if self.chance(0.6) else rng.randint(0, 9))
            return v / 1000 if self.chance(0.8) else rng.choice([1.005, 2.675, 0.125, 1.115, 0.285])
        if kind == "big":
            return rng.randint(0, 2_500_000) + (0.5 if self.chance(0.2) else 0)
        return rng.randint(0, 3000)

    def cell(self, value, integral):
        """Text for a value: thousands separators, trailing zeros, blanks."""
        rng = self.rng
        if integral:
            text = f"{value:,}" if value >= 1000 and self.chance(0.3) else str(value)
        else:
            text = f"{value:,}" if value >= 1000 and self.chance(0.3) else repr(value)
            if self.chance(0.1):
                text += "0"
        if "," not in text and self.chance(0.02):
            text = "00" + text  # leading zeros are digits too
        if self.chance(0.1):
            text = rng.choice(BLANKS) + text
        if self.chance(0.1):
            text = text + rng.choice(BLANKS)
        return text

    # ---- files

    def registry(self, towns):
        rng = self.rng
        chinese = self.chance(0.25)
        attrs = ATTR_IDS[: rng.randint(1, 3)]
        header = ["代码" if chinese else "code", "名称" if chinese else "name"]
        extra = []
        if self.chance(0.6):
            extra.append(("email", "邮箱"))
        if self.chance(0.6):
            extra.append(("contact", "联系人"))
        header += [zh if chinese else en for en, zh in extra]
        header += attrs
        unused = self.chance(0.3)
        remark = self.chance(0.3)
        if unused:
            header.append("grade")
        if remark:
            header.append("备注")
        rows = []
        for i, (code, name) in enumerate(towns):
            row = [code, name]
            for en, _ in extra:
                row.append(f"{code}@example.org" if en == "email" and self.chance(0.8) else
                           ("" if en == "email" else "联系人" + code))
            for a in attrs:
                if self.chance(0.05):
                    row.append("")
                elif a == "task":
                    row.append(self.cell(rng.choice([0, 120, 300, 1000, 2400]) if self.chance(0.1)
                                         else rng.randint(50, 3000), True))
                elif a == "base_b":
                    v = rng.randint(0, 500) / 10 if self.chance(0.8) else rng.randint(1000, 99999) + 0.25
                    row.append(("-" if self.chance(0.2) else "") + f"{v:,}")
                else:
                    row.append(self.cell(rng.randint(1000, 90000), True))
            if unused:
                row.append(rng.choice(["甲", "B+", "", "12a"]))
            if remark:
                row.append(rng.choice(["", "新合并", "备注，含逗号"]))
            rows.append(row)
        return header, rows, attrs

    def month_file(self, month, towns, fields, silent, chinese_ok, needed):
        rng = self.rng
        chinese = chinese_ok and self.chance(0.25)
        # a field no indicator in force reads may be absent (one that is read
        # would be an error, docs/reference/dataset.md)
        present = [f for f in fields if not self.chance(0.03) or f["id"] in needed]
        columns = [("key", "乡镇" if chinese else "township")]
        for f in present:
            header = f["label"] if chinese and f["declared"] else f["id"]
            if not chinese and self.chance(0.02) and f["id"] not in needed:
                header = header.upper()  # not an identifier: ignored, so missing
            if header == f["id"]:
                self.seen.add(f["id"])
            if self.chance(0.05):
                header = rng.choice(BLANKS) + header + rng.choice(["", "\u3000"])
            columns.append((f, header))
        if self.chance(0.1):
            columns.append(("remark", "备注"))
        if self.chance(0.3):
            rng.shuffle(columns)
        rows = [[h for _, h in columns]]
        if self.chance(0.05):
            return rows  # a file with no row at all
        previous = []
        order = list(range(len(towns)))
        if self.chance(0.3):
            rng.shuffle(order)
        for t in order:
            if t in silent or self.chance(0.03):
                continue
            if previous and self.chance(0.15):
                values = dict(rng.choice(previous))  # an exact tie with another township
            else:
                values = {f["id"]: self.number(f["kind"]) for f in fields}
            previous.append(values)
            code, name = towns[t]
            row = []
            for what, _ in columns:
                if what == "key":
                    key = name if self.chance(0.3) else code
                    row.append(rng.choice(BLANKS) + key if self.chance(0.05) else key)
                elif what == "remark":
                    row.append(rng.choice(["", "已核实", "补报"]))
                elif self.chance(0.015):
                    row.append(rng.choice(["", " ", "\u3000"]))
                else:
                    v = values[what["id"]]
                    row.append(self.cell(v, isinstance(v, int)))
            rows.append(row)
            if self.chance(0.05):
                rows.append([""] * len(columns))  # Excel's ,,,,
        return rows

    def write(self, path, rows_or_text, allow_gb=True):
        rng = self.rng
        crlf = self.chance(0.2)
        if isinstance(rows_or_text, str):
            text = rows_or_text.replace("\n", "\r\n") if crlf else rows_or_text
        else:
            text = "".join(",".join(csv_cell(c) for c in row) + ("\r\n" if crlf else "\n")
                           for row in rows_or_text)
            if self.chance(0.1):
                text += "\r\n" if crlf else "\n"  # an empty last line, as some editors leave
        data = text.encode("utf-8")
        if allow_gb and self.chance(0.15):
            gb = text.encode("gb18030")
            try:
                gb.decode("utf-8")
                looks_utf8 = gb != data
            except UnicodeDecodeError:
                looks_utf8 = False
            if not looks_utf8:
                data = gb
        elif self.chance(0.15):
            data = b"\xef\xbb\xbf" + data
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    def generate(self, out):
        rng = self.rng
        towns = self.townships()
        fields = self.fields()
        header, reg_rows, attrs = self.registry(towns)
        inds = self.indicators(fields, attrs)
        tiers = self.tiers()
        self.write(os.path.join(out, "townships.csv"), [header] + reg_rows)
        self.seen = set()
        last = rng.randint(1, 12)
        months = [m for m in range(1, last + 1) if m == last or not self.chance(0.05)]
        silent = {rng.randrange(self.n)} if self.chance(0.15) else set()
        for m in months:
            needed = {fid for ind in inds if ind.get("from", 1) <= m
                      for fid in re.findall(r"[a-z_][a-z0-9_]*", ind["value"] + " " + ind["target"])}
            rows = self.month_file(m, towns, fields, silent, chinese_ok=True, needed=needed)
            self.write(os.path.join(out, "monthly", f"{self.year}-{m:02d}.csv"), rows)
        if self.chance(0.1):
            seen = set(self.seen)
            rows = self.month_file(12, towns, fields, silent, chinese_ok=False, needed=set())
            self.seen = seen  # another year's headers make no name known
            self.write(os.path.join(out, "monthly", f"{self.year - 1}-12.csv"), rows)
        for f in fields:
            if f["id"] not in self.seen:
                f["declared"] = True  # else no file of the year would make it known
        self.write(os.path.join(out, "rules.ini"), self.rules_ini(fields, inds, tiers))


def csv_cell(text):
    """A CSV cell, quoted when it must be (blanks stay inside the quotes)."""
    text = str(text)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--townships", type=int, required=True, help="3 to %d" % len(PLACES))
    p.add_argument("out")
    args = p.parse_args(argv)
    if not 3 <= args.townships <= len(PLACES):
        p.error(f"--townships must be 3..{len(PLACES)}")
    if os.path.exists(args.out) and os.listdir(args.out):
        p.error(f"{args.out} exists and is not empty")
    Gen(args.seed, args.townships).generate(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
