"""Writes cells.xlsx through openpyxl: the cell types a month's workbook may
hold besides numbers and text (SPEC 2.4), on a sheet after a hidden one.
openpyxl never calculates: its formulas have no cached result and the
workbook is marked fullCalcOnLoad. LibreOffice and Gnumeric then open and
save it (scripts/make-workbook-fixtures.sh), which stores the results.

    /usr/bin/python3 write_cells.py OUT.xlsx
"""
import datetime
import sys

import openpyxl


def main(dst):
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "这张表是隐藏的"
    notes.sheet_state = "hidden"
    ws = wb.create_sheet("数据")
    ws.append(["township", "births_male", "births_female", "prepreg_checked",
               "db_records", "db_complete", "id_entered"])
    ws.append(["01", 53, "=B2-12", True, "=1/0", datetime.date(2013, 7, 5), 0.8471])
    ws["G2"].number_format = "0.00%"
    ws.append(["02", 0.1 + 0.2, '=A3&"乡"', False, "=NA()", 1e-7, 123456789012345678])
    ws.append([])
    ws["B5"] = 7
    ws["A5"] = "03"
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1])
