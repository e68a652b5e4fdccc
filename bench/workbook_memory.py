#!/usr/bin/python3
"""workbook_memory.py: peak memory of reading month workbooks (docs/reference/spreadsheet-inputs.md).

    bench/workbook_memory.py [--kaohe build/kaohe] [--townships 5000] [--work DIR]

Generates a dataset with bench/gen_bench.py, writes each of its months as
an .xlsx (tests/data/workbooks/write_openpyxl.py) and as an .xls (the
.xlsx saved by LibreOffice, when installed), and runs `kaohe check` under
/usr/bin/time -v on the CSV, .xlsx and .xls datasets: the peak RSS and the
wall time of each. Then a month whose sheet unpacks to 100 MB (a zip bomb
of a workbook, built here), which the part limit refuses: its peak RSS too.
The target (issue 17): a 5,000-township month workbook read in under 60 MB.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)


def measure(kaohe, dataset):
    run = subprocess.run(["/usr/bin/time", "-v", kaohe, "check", dataset],
                         capture_output=True, text=True)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", run.stderr).group(1)
    return run.returncode, rss / 1024, wall


def bomb(path, megabytes):
    """An .xlsx whose sheet part unpacks to `megabytes` MB of one repeated row."""
    with zipfile.ZipFile(os.path.join(SRC, "tests/data/workbooks/months/openpyxl/2013-07.xlsx")) as good, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in good.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, good.read(item))
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>' * 1000
        with out.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(megabytes * (1 << 20) // len(row) + 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kaohe", default=os.path.join(SRC, "build/kaohe"))
    ap.add_argument("--townships", type=int, default=5000)
    ap.add_argument("--work")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="kaohe-wbmem-")
    csv_ds = os.path.join(work, "csv")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_bench.py"), "--townships",
                    str(a.townships), csv_ds], check=True)
    rows = [("CSV", csv_ds)]
    xlsx_ds = os.path.join(work, "xlsx")
    shutil.copytree(csv_ds, xlsx_ds)
    for month in sorted(glob.glob(os.path.join(xlsx_ds, "monthly/*.csv"))):
        subprocess.run([sys.executable, os.path.join(SRC, "tests/data/workbooks/write_openpyxl.py"),
                        month, month[:-4] + ".xlsx"], check=True)
        os.remove(month)
    rows.append((".xlsx (openpyxl)", xlsx_ds))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        xls_ds = os.path.join(work, "xls")
        shutil.copytree(csv_ds, xls_ds)
        for month in glob.glob(os.path.join(xls_ds, "monthly/*.csv")):
            os.remove(month)
        subprocess.run([office, f"-env:UserInstallation=file://{work}/lo", "--headless",
                        "--convert-to", "xls", "--outdir", os.path.join(xls_ds, "monthly")]
                       + sorted(glob.glob(os.path.join(xlsx_ds, "monthly/*.xlsx"))),
                       capture_output=True)
        rows.append((".xls (LibreOffice)", xls_ds))
    bomb_ds = os.path.join(work, "bomb")
    shutil.copytree(csv_ds, bomb_ds)
    os.remove(os.path.join(bomb_ds, "monthly/2013-09.csv"))
    bomb(os.path.join(bomb_ds, "monthly/2013-09.xlsx"), 100)
    rows.append(("2013-09 a 100 MB sheet (refused)", bomb_ds))

    print(f"| {a.townships} townships, 9 months | kaohe check exit | peak RSS | wall |")
    print("|---|---|---|---|")
    for name, ds in rows:
        status, rss, wall = measure(a.kaohe, ds)
        print(f"| {name} | {status} | {rss:.1f} MB | {wall} |")
    if not a.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
