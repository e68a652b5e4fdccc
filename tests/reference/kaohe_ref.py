#!/usr/bin/python3
"""kaohe_ref: an independent reference implementation of docs/reference/dataset.md to outputs.md scoring.

Written from the specification alone, in plain Python (stdlib only), so
that end-to-end tests can cross-check the JSON that `kaohe score` prints.
It favours being obviously right over being fast or helpful: it reads a
*valid* dataset and stops at the first problem it meets (exit 1), where
kaohe would list them all.

    kaohe_ref.py DATASET --month 2013-07
    kaohe_ref.py DATASET --quarter 2013Q3 [--partial]
    kaohe_ref.py DATASET --periods      (the score arguments worth testing)

Everything follows the spec's wording:
  * text files: UTF-8 when valid (BOM dropped), else GB18030;
  * CSV cells trimmed of spaces, tabs, U+3000 and U+00A0; all-empty rows
    ignored; numbers are digits[.digits] with optional thousands groups;
  * formulas are evaluated as IEEE doubles, left to right, after checking
    that every value they name is present (missing beats na);
  * rounding is Excel's ROUND: 15 significant digits, then half away from
    zero (decimal.ROUND_HALF_UP is "away from zero" for ties).
"""

import argparse
import csv
import decimal
import io
import json
import os
import re
import sys

BLANKS = " \t\u3000\u00a0"
IDENT = re.compile(r"[a-z_][a-z0-9_]*\Z")
VALUE = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\Z")
MONTH_FILE = re.compile(r"([0-9]{4})-([0-9]{2})\.csv\Z")


class DataError(Exception):
    """A problem in the dataset or the request: exit status 1."""


class NotAssessable(Exception):
    """A division by exactly zero while evaluating a formula."""


# ---------------------------------------------------------------- reading

def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def trim(s):
    return s.strip(BLANKS)


def read_csv(path):
    """Header and rows (lists of trimmed cells) of a CSV file; all-empty
    rows are dropped."""
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        raise DataError(f"{path}: empty file")
    header = [trim(c) for c in rows[0]]
    body = []
    for row in rows[1:]:
        cells = [trim(c) for c in row]
        if all(c == "" for c in cells):
            continue
        if len(cells) != len(header):
            raise DataError(f"{path}: row with {len(cells)} cells, header has {len(header)}")
        body.append(cells)
    return header, body


def parse_value(cell, where, allow_negative=False):
    """None for an empty cell, else the number (docs/reference/dataset.md)."""
    if cell == "":
        return None
    text = cell
    negative = False
    if allow_negative and text.startswith("-"):
        negative, text = True, text[1:]
    if not VALUE.match(text):
        raise DataError(f"{where}: not a number: {cell!r}")
    number = float(text.replace(",", ""))
    return -number if negative else number


# ---------------------------------------------------------------- rules.ini

def unescape_keyfile(value):
    """GLib key-file string escapes."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            n = value[i + 1]
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(n, "\\" + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_ini(path):
    """[(group, {key: value})] in file order."""
    groups = []
    current = None
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        stripped = line.strip()
        if stripped == "" or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            name = stripped[1:-1]
            if any(g == name for g, _ in groups):
                raise DataError(f"{path}:{lineno}: group [{name}] given twice")
            current = {}
            groups.append((name, current))
            continue
        if "=" not in stripped or current is None:
            raise DataError(f"{path}:{lineno}: not a key = value line")
        key, value = stripped.split("=", 1)
        key = key.strip()
        if key in current:
            raise DataError(f"{path}:{lineno}: key {key} given twice")
        current[key] = unescape_keyfile(value.strip())
    return groups


def parse_number(text, where):
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        raise DataError(f"{where}: not a non-negative decimal: {text!r}")
    return float(text)


class Indicator:
    def __init__(self, ident, keys, where):
        self.id = ident
        for k in keys:
            if k not in ("name", "value", "unit", "decimals", "target", "weight",
                         "method", "veto", "deadline", "from"):
                raise DataError(f"{where}: unknown key {k}")
        for k in ("name", "value", "target", "weight", "method"):
            if k not in keys:
                raise DataError(f"{where}: missing key {k}")
        self.name = keys["name"]
        self.unit = keys.get("unit", "")
        self.decimals = int(keys.get("decimals", "2"))
        self.value_src = keys["value"]
        target = keys["target"].strip()
        if target.startswith(">="):
            self.op = ">="
        elif target.startswith("<="):
            self.op = "<="
        else:
            raise DataError(f"{where}: target needs >= or <=")
        self.target_src = target[2:].strip()
        self.weight = parse_number(keys["weight"], where)
        words = keys["method"].split()
        if words == ["all-or-nothing"] or words == ["proportional"]:
            self.method = words[0]
            self.points = self.per = 0.0
        elif len(words) == 4 and words[0] == "deduct" and words[2] == "per":
            self.method = "deduct"
            self.points = parse_number(words[1], where)
            self.per = parse_number(words[3], where)
            if self.per <= 0:
                raise DataError(f"{where}: deduct per 0")
        elif len(words) == 2 and words[0] == "rank":
            self.method = "rank"
            self.points = parse_number(words[1], where)
            self.per = 0.0
        else:
            raise DataError(f"{where}: unknown method {keys['method']!r}")
        veto = keys.get("veto", "false")
        if veto not in ("true", "false"):
            raise DataError(f"{where}: veto must be true or false")
        self.veto = veto == "true"
        self.deadline = None
        if "deadline" in keys:
            if not self.veto:
                raise DataError(f"{where}: deadline without veto")
            m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", keys["deadline"])
            if not m:
                raise DataError(f"{where}: bad deadline")
            self.deadline = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        # from = YYYY-MM: the first month the indicator is part of (docs/reference/dataset.md);
        # the year is checked against [assessment] by Rules
        self.first = 1
        self.first_year = None
        if "from" in keys:
            m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", keys["from"])
            if not m or not 1 <= int(m.group(2)) <= 12:
                raise DataError(f"{where}: bad from")
            self.first_year, self.first = int(m.group(1)), int(m.group(2))
        self.value = self.target = None  # parsed once every name is known


class Tier:
    def __init__(self, name, is_award, keys, where):
        self.name = name
        self.is_award = is_award
        for k in keys:
            if k not in ("ranks", "min_score", "bottom", "below", "action", "label"):
                raise DataError(f"{where}: unknown key {k}")
        if "action" not in keys:
            raise DataError(f"{where}: missing action")
        self.action = keys["action"]
        self.ranks = None
        if "ranks" in keys:
            m = re.fullmatch(r"\s*([0-9]+)\s*(?:-\s*([0-9]+)\s*)?", keys["ranks"])
            if not m:
                raise DataError(f"{where}: bad ranks")
            lo = int(m.group(1))
            self.ranks = (lo, int(m.group(2)) if m.group(2) else lo)
        self.min_score = parse_number(keys["min_score"], where) if "min_score" in keys else None
        self.bottom = int(keys["bottom"]) if "bottom" in keys else None
        self.below = parse_number(keys["below"], where) if "below" in keys else None


class Rules:
    def __init__(self, path):
        self.indicators = []
        self.awards = []
        self.penalties = []
        self.labels = {}  # field id -> Chinese label
        self.declared = []
        self.veto_action = None
        self.year = None
        for group, keys in read_ini(path):
            where = f"{path}: [{group}]"
            if group == "assessment":
                if "year" not in keys:
                    raise DataError(f"{where}: missing year")
                self.year = int(keys["year"])
            elif group.startswith("field."):
                fid = group[len("field."):]
                self.declared.append(fid)
                if keys.get("label"):
                    self.labels[fid] = keys["label"]
            elif group.startswith("indicator."):
                self.indicators.append(Indicator(group[len("indicator."):], keys, where))
            elif group.startswith("award."):
                self.awards.append(Tier(group[len("award."):], True, keys, where))
            elif group.startswith("penalty."):
                self.penalties.append(Tier(group[len("penalty."):], False, keys, where))
            elif group == "quarter":
                if keys.get("combine", "mean") != "mean":
                    raise DataError(f"{where}: combine knows only mean")
                self.veto_action = keys.get("veto_action")
        if self.year is None:
            raise DataError(f"{path}: no [assessment] year")
        for ind in self.indicators:
            if ind.first_year is not None and ind.first_year != self.year:
                raise DataError(f"{path}: [indicator.{ind.id}] from outside the year")


# ---------------------------------------------------------------- formulas
#
# A formula is a tuple tree: ("num", x), ("month",), ("field", id),
# ("ytd", id), ("attr", id), ("neg", e), ("+" | "-" | "*" | "/", a, b).

TOKEN = re.compile(r"\s*(?:([0-9]+(?:\.[0-9]+)?)|([A-Za-z_][A-Za-z0-9_]*)|(.))")


def tokenize(src):
    tokens = []
    pos = 0
    src = src.rstrip()
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if m.group(1) is not None:
            tokens.append(("num", float(m.group(1))))
        elif m.group(2) is not None:
            tokens.append(("name", m.group(2)))
        elif m.group(3).strip():
            tokens.append(("op", m.group(3)))
        pos = m.end()
    return tokens


def parse_formula(src, is_field, is_attr):
    tokens = tokenize(src)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else (None, None)

    def take(kind, value=None):
        nonlocal pos
        tok = peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise DataError(f"formula {src!r}: expected {value or kind}")
        pos += 1
        return tok[1]

    def expr():
        nonlocal pos
        node = term()
        while peek() in (("op", "+"), ("op", "-")):
            op = take("op")
            node = (op, node, term())
        return node

    def term():
        node = unary()
        while peek() in (("op", "*"), ("op", "/")):
            op = take("op")
            node = (op, node, unary())
        return node

    def unary():
        if peek() == ("op", "-"):
            take("op", "-")
            return ("neg", unary())
        return primary()

    def primary():
        kind, value = peek()
        if kind == "num":
            take("num")
            return ("num", value)
        if kind == "op" and value == "(":
            take("op", "(")
            node = expr()
            take("op", ")")
            return node
        if kind == "name":
            take("name")
            if value == "ytd" and peek() == ("op", "("):
                take("op", "(")
                fid = take("name")
                take("op", ")")
                if not is_field(fid):
                    raise DataError(f"formula {src!r}: ytd of unknown field {fid}")
                return ("ytd", fid)
            if value == "month":
                return ("month",)
            if is_attr(value):
                return ("attr", value)
            if is_field(value):
                return ("field", value)
            raise DataError(f"formula {src!r}: unknown name {value}")
        raise DataError(f"formula {src!r}: unexpected {value!r}")

    tree = expr()
    if pos != len(tokens):
        raise DataError(f"formula {src!r}: trailing input")
    return tree


def references(node, out):
    """Adds every ("field"|"ytd"|"attr", id) the formula reads to out."""
    kind = node[0]
    if kind in ("field", "ytd", "attr"):
        out.add(node)
    elif kind == "neg":
        references(node[1], out)
    elif kind in ("+", "-", "*", "/"):
        references(node[1], out)
        references(node[2], out)
    return out


def evaluate(node, values, month):
    """values maps each reference to a float (none missing)."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "month":
        return float(month)
    if kind in ("field", "ytd", "attr"):
        return values[node]
    if kind == "neg":
        return -evaluate(node[1], values, month)
    a = evaluate(node[1], values, month)
    b = evaluate(node[2], values, month)
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    if kind == "*":
        return a * b
    if b == 0.0:
        raise NotAssessable()
    return a / b


# ---------------------------------------------------------------- rounding

def excel_round(x, decimals):
    """Excel's ROUND: to 15 significant digits, then half away from zero."""
    with decimal.localcontext() as ctx:
        ctx.prec = 800
        d = decimal.Decimal(format(x, ".15g"))
        q = d.quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
        return float(q)


# ---------------------------------------------------------------- dataset

class Dataset:
    def __init__(self, folder):
        self.folder = folder
        self.rules = Rules(os.path.join(folder, "rules.ini"))
        self.year = self.rules.year
        self._read_registry(os.path.join(folder, "townships.csv"))
        self._read_months(os.path.join(folder, "monthly"))
        known_fields = set(self.rules.declared) | self.header_fields
        clash = known_fields & set(self.attr_names)
        if clash:
            raise DataError(f"names both attribute and field: {sorted(clash)}")
        for ind in self.rules.indicators:
            ind.value = parse_formula(ind.value_src, known_fields.__contains__,
                                      self.attr_names.__contains__)
            ind.target = parse_formula(ind.target_src, known_fields.__contains__,
                                       self.attr_names.__contains__)
            for kind, name in references(ind.value, set()) | references(ind.target, set()):
                if kind == "attr":
                    self._check_attribute(name)
        # a field an indicator in force reads, absent from a month's header,
        # is an error in that month (docs/reference/dataset.md)
        for m, columns in self.month_columns.items():
            for ind in self.rules.indicators:
                if ind.first > m:
                    continue
                for kind, name in indicator_refs(ind):
                    if kind in ("field", "ytd") and name not in columns:
                        raise DataError(f"{self.year}-{m:02d}: no column for field {name}")

    def _read_registry(self, path):
        header, rows = read_csv(path)
        roles = {"code": "code", "代码": "code", "name": "name", "名称": "name",
                 "email": "email", "邮箱": "email", "contact": "contact", "联系人": "contact"}
        self.townships = []  # dicts: code, name, email, contact
        self.attr_names = []
        self._attr_cells = []  # per township: {attr: cell text}
        columns = {}
        for i, h in enumerate(header):
            if h in roles:
                if roles[h] in columns:
                    raise DataError(f"{path}: column {h} twice")
                columns[roles[h]] = i
            elif IDENT.match(h):
                if h in self.attr_names:
                    raise DataError(f"{path}: attribute {h} twice")
                self.attr_names.append(h)
                columns["attr:" + h] = i
        for role in ("code", "name"):
            if role not in columns:
                raise DataError(f"{path}: missing column {role}")
        for lineno, row in enumerate(rows, 2):
            t = {role: row[columns[role]] for role in ("code", "name")}
            for role in ("email", "contact"):
                t[role] = row[columns[role]] if role in columns else ""
            if not t["code"] or not t["name"]:
                raise DataError(f"{path}:{lineno}: empty code or name")
            self.townships.append(t)
            self._attr_cells.append({a: (row[columns["attr:" + a]], f"{path}:{lineno}")
                                     for a in self.attr_names})
        codes = [t["code"] for t in self.townships]
        names = [t["name"] for t in self.townships]
        if len(set(codes)) != len(codes) or len(set(names)) != len(names):
            raise DataError(f"{path}: duplicate code or name")
        for i, t in enumerate(self.townships):
            for j, u in enumerate(self.townships):
                if i != j and t["code"] == u["name"]:
                    raise DataError(f"{path}: code {t['code']} is another's name")
        self.key_to_index = {}
        for i, t in enumerate(self.townships):
            self.key_to_index[t["code"]] = i
            self.key_to_index[t["name"]] = i
        self.attrs = [dict() for _ in self.townships]

    def _check_attribute(self, name):
        for i, cells in enumerate(self._attr_cells):
            text, where = cells[name]
            self.attrs[i][name] = parse_value(text, where, allow_negative=True)

    def _read_months(self, folder):
        """self.months[m] (m = 1..12) is None when the file is absent, else a
        list per township: None (no row) or {field: float | None}."""
        self.months = {m: None for m in range(1, 13)}
        self.month_columns = {}  # m -> the fields its header has
        self.header_fields = set()
        label_to_id = {label: fid for fid, label in self.rules.labels.items()}
        if not os.path.isdir(folder):
            return
        for entry in sorted(os.listdir(folder)):
            m = MONTH_FILE.match(entry)
            if not m or not 1 <= int(m.group(2)) <= 12:
                raise DataError(f"{folder}/{entry}: not a month file")
            if int(m.group(1)) != self.year:
                continue  # another year: a warning in kaohe
            path = os.path.join(folder, entry)
            header, rows = read_csv(path)
            key_col = None
            field_cols = {}
            for i, h in enumerate(header):
                if h in ("township", "乡镇"):
                    if key_col is not None:
                        raise DataError(f"{path}: township column twice")
                    key_col = i
                    continue
                fid = h if IDENT.match(h) else label_to_id.get(h)
                if fid is None:
                    continue  # unknown column: a warning in kaohe
                if fid in field_cols:
                    raise DataError(f"{path}: field {fid} twice")
                field_cols[fid] = i
            if key_col is None:
                raise DataError(f"{path}: no township column")
            self.header_fields |= {h for h in header if IDENT.match(h) and h != "township"}
            data = [None] * len(self.townships)
            for lineno, row in enumerate(rows, 2):
                key = row[key_col]
                if key not in self.key_to_index:
                    raise DataError(f"{path}:{lineno}: unknown township {key!r}")
                t = self.key_to_index[key]
                if data[t] is not None:
                    raise DataError(f"{path}:{lineno}: township {key!r} twice")
                data[t] = {fid: parse_value(row[col], f"{path}:{lineno}")
                           for fid, col in field_cols.items()}
            self.months[int(m.group(2))] = data
            self.month_columns[int(m.group(2))] = set(field_cols)

    # ---- values a formula reads

    def field_value(self, t, fid, month):
        data = self.months[month]
        if data is None or data[t] is None:
            return None
        return data[t].get(fid)

    def ytd_value(self, t, fid, month, first=1):
        total = 0.0
        for m in range(first, month + 1):
            v = self.field_value(t, fid, m)
            if v is None:
                return None
            total += v
        return total

    def township_value(self, t, ref, month, first=1):
        kind, name = ref
        if kind == "field":
            return self.field_value(t, name, month)
        if kind == "ytd":
            return self.ytd_value(t, name, month, first)
        return self.attrs[t].get(name)

    def has_row(self, t, month):
        data = self.months[month]
        return data is not None and data[t] is not None


# ---------------------------------------------------------------- scoring

def indicator_refs(ind):
    return references(ind.value, set()) | references(ind.target, set())


def assess_formulas(ind, values, month):
    """(status, value, target) with value/target rounded when ok."""
    if any(v is None for v in values.values()):
        return "missing", None, None
    try:
        value = evaluate(ind.value, values, month)
        target = evaluate(ind.target, values, month)
    except NotAssessable:
        return "na", None, None
    return "ok", excel_round(value, ind.decimals), excel_round(target, ind.decimals)


def is_met(op, value, target):
    return value >= target if op == ">=" else value <= target


def competition_ranks(keys, better):
    """keys: {index: key}. Rank = 1 + how many others are strictly better."""
    return {i: 1 + sum(1 for j in keys if better(keys[j], keys[i])) for i in keys}


def month_score(ind, cell, rank):
    w = ind.weight
    if cell["status"] == "missing":
        return 0.0
    if cell["status"] == "na":
        return w
    if ind.method == "rank":
        return max(0.0, w - ind.points * (rank - 1))
    if cell["met"]:
        return w
    if ind.method == "all-or-nothing":
        return 0.0
    if ind.method == "deduct":
        return max(0.0, w - ind.points * cell["gap"] / ind.per)
    # proportional, not met
    if ind.op == ">=":
        if cell["target"] == 0.0:
            return 0.0
        s = w * cell["value"] / cell["target"]
    else:
        if cell["value"] == 0.0:
            return 0.0
        s = w * cell["target"] / cell["value"]
    return min(w, max(0.0, s))


def assess_month(ds, month):
    """The docs/reference/outputs.md month document as a dict, plus the per-township veto
    flags (used by the quarter)."""
    if ds.months[month] is None:
        raise DataError(f"no file for {ds.year}-{month:02d}")
    # an indicator counted from a later month is no part of this one
    inds = [ind for ind in ds.rules.indicators if ind.first <= month]
    n = len(ds.townships)
    cells = [[None] * len(inds) for _ in range(n)]
    county = []
    for i, ind in enumerate(inds):
        refs = indicator_refs(ind)
        for t in range(n):
            if not ds.has_row(t, month):
                status, value, target = "missing", None, None
            else:
                values = {r: ds.township_value(t, r, month, ind.first) for r in refs}
                status, value, target = assess_formulas(ind, values, month)
            cell = {"id": ind.id, "value": value, "target": target, "met": False,
                    "gap": None, "score": 0.0, "status": status, "warning": False}
            if status == "ok":
                cell["met"] = is_met(ind.op, value, target)
                cell["gap"] = 0.0 if cell["met"] else excel_round(abs(value - target), ind.decimals)
            cells[t][i] = cell

        # ranks among ok townships, on the rounded values
        ok_values = {t: cells[t][i]["value"] for t in range(n) if cells[t][i]["status"] == "ok"}
        if ind.op == ">=":
            ranks = competition_ranks(ok_values, lambda a, b: a > b)
        else:
            ranks = competition_ranks(ok_values, lambda a, b: a < b)
        for t in range(n):
            cell = cells[t][i]
            cell["score"] = excel_round(month_score(ind, cell, ranks.get(t)), 2)

        # county: the same formulas over sums of the townships not missing
        included = [t for t in range(n) if cells[t][i]["status"] != "missing"]
        c = {"id": ind.id, "value": None, "target": None, "op": ind.op, "met": False,
             "gap": None, "status": "missing", "left_out": n - len(included)}
        if included:
            sums = {}
            for r in refs:
                total = 0.0
                for t in included:
                    total += ds.township_value(t, r, month, ind.first)
                sums[r] = total
            status, value, target = assess_formulas(ind, sums, month)
            c["status"] = status
            if status == "ok":
                c["value"], c["target"] = value, target
                c["met"] = is_met(ind.op, value, target)
                c["gap"] = 0.0 if c["met"] else excel_round(abs(value - target), ind.decimals)
        county.append(c)

    # vetoes and warnings
    vetoed = [False] * n
    for i, ind in enumerate(inds):
        if not ind.veto:
            continue
        before_deadline = ind.deadline is not None and (ds.year, month) < ind.deadline[:2]
        for t in range(n):
            cell = cells[t][i]
            short = cell["status"] == "missing" or (cell["status"] == "ok" and not cell["met"])
            if not short:
                continue
            if before_deadline:
                cell["warning"] = True
            else:
                vetoed[t] = True

    totals = []
    for t in range(n):
        total = 0.0
        for i in range(len(inds)):
            total += cells[t][i]["score"]
        totals.append(excel_round(total, 2))
    ranks = competition_ranks(dict(enumerate(totals)), lambda a, b: a > b)

    doc = {
        "period": f"{ds.year}-{month:02d}",
        "county": {"indicators": county},
        "townships": [
            {"code": tw["code"], "name": tw["name"], "total": totals[t], "rank": ranks[t],
             "veto": vetoed[t], "indicators": cells[t]}
            for t, tw in enumerate(ds.townships)
        ],
    }
    return doc, vetoed


def tier_matches(tier, rank, score, below_count):
    if tier.ranks is not None and not tier.ranks[0] <= rank <= tier.ranks[1]:
        return False
    if tier.min_score is not None and not score >= tier.min_score:
        return False
    if tier.bottom is not None and not below_count < tier.bottom:
        return False
    if tier.below is not None and not score < tier.below:
        return False
    return True


def assess_quarter(ds, quarter, partial):
    months = [3 * (quarter - 1) + k for k in (1, 2, 3)]
    present = [m for m in months if ds.months[m] is not None]
    if len(present) < 3 and not partial:
        raise DataError(f"{ds.year}Q{quarter}: month file absent (use --partial)")
    if not present:
        raise DataError(f"{ds.year}Q{quarter}: no month file")
    n = len(ds.townships)
    monthly = [[] for _ in range(n)]
    veto_months = [[] for _ in range(n)]
    for m in present:
        doc, vetoed = assess_month(ds, m)
        for t in range(n):
            monthly[t].append(doc["townships"][t]["total"])
            if vetoed[t]:
                veto_months[t].append(f"{ds.year}-{m:02d}")
    scores = []
    for t in range(n):
        total = 0.0
        for v in monthly[t]:
            total += v
        scores.append(excel_round(total / len(present), 2))
    ranked = {t: scores[t] for t in range(n) if not veto_months[t]}
    ranks = competition_ranks(ranked, lambda a, b: a > b)
    out = []
    for t, tw in enumerate(ds.townships):
        award = penalty = action = None
        if veto_months[t]:
            action = ds.rules.veto_action
        else:
            below_count = sum(1 for u in ranks if ranks[u] > ranks[t])
            for tier in ds.rules.awards:
                if tier_matches(tier, ranks[t], scores[t], below_count):
                    award, action = tier.name, tier.action
                    break
            if award is None:
                for tier in ds.rules.penalties:
                    if tier_matches(tier, ranks[t], scores[t], below_count):
                        penalty, action = tier.name, tier.action
                        break
        out.append({"code": tw["code"], "name": tw["name"], "monthly": monthly[t],
                    "score": scores[t], "rank": ranks.get(t), "veto": bool(veto_months[t]),
                    "veto_months": veto_months[t], "award": award, "penalty": penalty,
                    "action": action})
    return {"period": f"{ds.year}Q{quarter}",
            "months": [f"{ds.year}-{m:02d}" for m in present],
            "partial": len(present) < 3,
            "townships": out}


# ---------------------------------------------------------------- output

def shortest(obj):
    """Integral floats as integers, so the JSON reads like the spec's."""
    if isinstance(obj, float) and obj == int(obj) and abs(obj) < 1e15:
        return int(obj)
    if isinstance(obj, dict):
        return {k: shortest(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [shortest(v) for v in obj]
    return obj


def periods(ds):
    """The score arguments worth testing on this dataset, one per line."""
    lines = [f"--month {ds.year}-{m:02d}" for m in range(1, 13) if ds.months[m] is not None]
    for q in range(1, 5):
        present = [m for m in range(3 * q - 2, 3 * q + 1) if ds.months[m] is not None]
        if len(present) == 3:
            lines.append(f"--quarter {ds.year}Q{q}")
        elif present:
            lines.append(f"--quarter {ds.year}Q{q} --partial")
    return lines


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dataset")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--month")
    g.add_argument("--quarter")
    g.add_argument("--periods", action="store_true")
    p.add_argument("--partial", action="store_true")
    args = p.parse_args(argv)
    if args.partial and not args.quarter:
        p.error("--partial goes only with --quarter")
    try:
        ds = Dataset(args.dataset)
        if args.periods:
            print("\n".join(periods(ds)))
            return 0
        if args.month:
            m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", args.month)
            if not m or not 1 <= int(m.group(2)) <= 12:
                p.error("--month wants YYYY-MM")
            if int(m.group(1)) != ds.year:
                raise DataError(f"{args.month} is outside the assessment year {ds.year}")
            doc, _ = assess_month(ds, int(m.group(2)))
        else:
            m = re.fullmatch(r"([0-9]{4})Q([1-4])", args.quarter)
            if not m:
                p.error("--quarter wants YYYYQn")
            if int(m.group(1)) != ds.year:
                raise DataError(f"{args.quarter} is outside the assessment year {ds.year}")
            doc = assess_quarter(ds, int(m.group(2)), args.partial)
    except DataError as e:
        print(f"kaohe_ref: error: {e}", file=sys.stderr)
        return 1
    json.dump(shortest(doc), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
