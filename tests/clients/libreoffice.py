"""Opens every data.csv in LibreOffice Calc (headless, en-US), saves it as .xlsx and reads
that back with openpyxl: once as docs/open-data.md says to open it (the code columns as
Text), once with LibreOffice's defaults. With the documented options every code is the
text of data.json, every ISO date a date, every name as data.json writes it; with the
defaults, the figures say how many codes a spreadsheet left to guess turns into numbers.

Usage: python3 libreoffice.py <output folder> <work folder>
Prints one JSON line of figures; exits non-zero with the problems found.
"""

import datetime
import glob
import json
import os
import shutil
import subprocess
import sys

import openpyxl

# CSV import options of LibreOffice (its "Text Import" dialog, as a filter string):
# comma, double quote, UTF-8 (76), from line 1, column formats, en-US (1033), quoted
# fields not forced to text, special numbers not detected. Formats: 2 Text, 5 YMD date.
DOCUMENTED = "CSV:44,34,76,1,2/2/16/5/17/5/18/2/19/5,1033,false,false"
DEFAULTS = "CSV:44,34,76,1,,1033,false,false"


def convert(paths, infilter, outdir, profile):
    """Every CSV of `paths` converted by one LibreOffice run (its start-up is most of
    the time), each as `<n>.xlsx`: the sheets, in order."""
    os.makedirs(outdir, exist_ok=True)
    named = []
    for n, path in enumerate(paths):
        copy = os.path.join(outdir, f"{n}.csv")
        shutil.copyfile(path, copy)
        named.append(copy)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "xlsx", f"--infilter={infilter}", "--outdir", outdir, *named],
        check=True, capture_output=True, timeout=600)
    return [openpyxl.load_workbook(os.path.join(outdir, f"{n}.xlsx"), read_only=True).active
            for n in range(len(paths))]


def main():
    out, work = sys.argv[1], sys.argv[2]
    profile = os.path.join(work, "profile")
    problems = []
    figures = {"files": 0, "rows": 0, "codes_kept_as_text": 0, "dates_read_as_dates": 0,
               "codes_turned_into_numbers_by_defaults": 0}
    paths = sorted(glob.glob(os.path.join(out, "**", "data.csv"), recursive=True))
    documented = convert(paths, DOCUMENTED, os.path.join(work, "documented"), profile)
    defaults = convert(paths, DEFAULTS, os.path.join(work, "defaults"), profile)
    for path, sheet, guessed in zip(paths, documented, defaults):
        where = os.path.relpath(path, out)
        with open(os.path.join(os.path.dirname(path), "data.json"), encoding="utf-8") as f:
            procs = json.load(f)["procedures"]
        figures["files"] += 1
        rows = list(sheet.iter_rows(values_only=True))
        header, rows = rows[0], rows[1:]
        col = {name: n for n, name in enumerate(header)}
        if len(rows) != len(procs):
            problems.append(f"{where}: {len(rows)} rows in Calc, {len(procs)} in data.json")
            continue
        for row, p in zip(rows, procs):
            figures["rows"] += 1
            code = row[col["Mã TTHC"]]
            if code == p["code"]:
                figures["codes_kept_as_text"] += 1
            else:
                problems.append(f"{where}: code {code!r}, data.json {p['code']!r}")
            name = row[col["Tên TTHC"]]
            if name.lstrip("'") != (p["name"] or p["code"]):
                problems.append(f"{where}: name {name!r}, data.json {p['name']!r}")
            for column, key in (("Ngày có hiệu lực", "effective"), ("Ngày bãi bỏ", "repealed"),
                                ("Ngày cập nhật", "changed")):
                cell = row[col[column]]
                if p.get(key) is None:
                    if cell not in (None, ""):
                        problems.append(f"{where} {p['code']}: {column} {cell!r} for null")
                elif isinstance(cell, datetime.datetime) and cell.date().isoformat() == p[key]:
                    figures["dates_read_as_dates"] += 1
                else:
                    problems.append(f"{where} {p['code']}: {column} {cell!r}, data.json {p[key]}")
        figures["codes_turned_into_numbers_by_defaults"] += sum(
            1 for row in list(guessed.iter_rows(values_only=True))[1:]
            if not isinstance(row[col["Mã TTHC"]], str))
    print(json.dumps(figures, ensure_ascii=False))
    if figures["files"] == 0:
        problems.append("no data.csv found")
    if problems:
        for line in problems[:40]:
            print(line, file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
