"""Writes a monthly CSV as an .xlsx through openpyxl, typed as a user's
sheet is: the header and the township column as text, every other
non-empty cell as a number.  Used by scripts/make-workbook-fixtures.sh.

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
    return int(number) if number.isdigit() else float(number)


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
