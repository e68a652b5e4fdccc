"""Writes a monthly CSV (or the registry) as an .xlsx through openpyxl,
typed as a user's sheet is: the header and the first column as text, every
other non-empty cell as a number when it is one, else as text.  Used by
scripts/make-workbook-fixtures.sh and tests/e2e/workbook_score.sh.

    /usr/bin/python3 write_openpyxl.py IN.csv OUT.xlsx
"""
import csv
import sys

import openpyxl


def typed(row_index, col_index, cell):
    if cell == "":
        return None
    if row_index == 0 or col_index == 0:
        return cell
    number = cell.replace(",", "")  # thousands separators, as in "61,846"
    if number.isdigit():
        return int(number)
    try:
        return float(number)
    except ValueError:
        return cell


def main(src, dst):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    with open(src, encoding="utf-8-sig", newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            ws.append([typed(i, j, c) for j, c in enumerate(row)])
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
