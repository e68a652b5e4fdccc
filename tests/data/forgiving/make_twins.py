#!/usr/bin/python3
"""make_twins.py SAMPLE OUT: one dataset per forgiving rule of SPEC §2.5,
each a copy of SAMPLE whose July (and townships.csv where the rule
concerns it) is written the way spreadsheets write it. Each must score
exactly like SAMPLE (tests/e2e/forgiving_input.sh).

  title_rows   two title rows above July's header and one above the
               registry's
  totals       a 合计 row with the right sums, a 小计 row, a 全县 row
  full_width   July's numbers and the registry's tasks in full-width
               digits, point and comma
  zeros        July's codes without their leading zeros (1 for 01)
  utf16_tab    July as Excel's "Unicode text": UTF-16 LE with a BOM,
               tab-separated, named 2013-07.txt
  tab_csv      July tab-separated but still named .csv
"""
import csv
import io
import os
import shutil
import sys

FULL = {c: chr(0xFF10 + int(c)) for c in "0123456789"}
FULL.update({".": "\uff0e", ",": "\uff0c"})


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_rows(path, rows, delimiter=",", encoding="utf-8", bom=False):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    with open(path, "wb") as f:
        f.write((b"\xff\xfe" if bom else b"") + data)


def twin(sample, out, name):
    d = os.path.join(out, name)
    shutil.copytree(sample, d)
    return d, os.path.join(d, "monthly", "2013-07.csv")


def main(sample, out):
    # title rows, in the registry too
    d, july = twin(sample, out, "title_rows")
    rows = read_rows(july)
    write_rows(july, [["某某县2013年7月人口计生重点工作月报"], ["填报单位：县人口计生局"] + [""] * (len(rows[0]) - 2)] + rows)
    reg = os.path.join(d, "townships.csv")
    write_rows(reg, [["某某县乡镇名册"]] + read_rows(reg))

    # rows of totals
    d, july = twin(sample, out, "totals")
    rows = read_rows(july)
    sums = [sum(int(r[i].replace(",", "")) for r in rows[1:]) for i in range(1, len(rows[0]))]
    half = [sum(int(r[i].replace(",", "")) for r in rows[1:4]) for i in range(1, len(rows[0]))]
    write_rows(july, rows[:4] + [["小计"] + [str(x) for x in half]] + rows[4:] +
               [["合计"] + [f"{x:,}" for x in sums], ["  全县 "] + [str(x) for x in sums]])

    # full-width digits, point and comma
    d, july = twin(sample, out, "full_width")
    rows = read_rows(july)
    body = [[r[0]] + ["".join(FULL.get(c, c) for c in (f"{int(x):,}" if k % 2 else x + ".0")) for k, x in enumerate(r[1:])]
            for r in rows[1:]]
    write_rows(july, rows[:1] + body)
    reg = os.path.join(d, "townships.csv")
    rows = read_rows(reg)
    write_rows(reg, rows[:1] + [r[:-1] + ["".join(FULL.get(c, c) for c in r[-1])] for r in rows[1:]])

    # codes that lost their leading zeros
    d, july = twin(sample, out, "zeros")
    rows = read_rows(july)
    write_rows(july, rows[:1] + [[r[0].lstrip("0")] + r[1:] for r in rows[1:]])

    # Excel's "Unicode text"
    d, july = twin(sample, out, "utf16_tab")
    rows = read_rows(july)
    os.remove(july)
    write_rows(july[:-4] + ".txt", rows, delimiter="\t", encoding="utf-16-le", bom=True)

    # tab-separated, named .csv
    d, july = twin(sample, out, "tab_csv")
    write_rows(july, read_rows(july), delimiter="\t")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
