"""Reads every unit's data.csv with Python's csv module and with pandas, and its data.json,
and checks that they say the same, in the forms docs/open-data.md promises.

- The CSV: UTF-8 with a byte-order mark, the documented columns in order (read from
  docs/open-data.md's table), ISO dates, the full texts of data.json (no "…" that
  data.json does not have), codes kept as text by a reader told so (pandas dtype=str), no
  cell a spreadsheet would run as a formula, the licence of data.json.
- data.json: the licence, every procedure's change date not after the build's date.

Usage: python3 opendata.py <output folder> <today YYYY-MM-DD> <docs/open-data.md>
Prints one JSON line of figures; exits non-zero with the problems found.
"""

import csv
import glob
import io
import json
import os
import re
import sys

import pandas

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS = {"current": "Đang áp dụng", "upcoming": "Sắp có hiệu lực", "repealed": "Đã bãi bỏ"}
DATE_COLUMNS = {"Ngày có hiệu lực": "effective", "Ngày bãi bỏ": "repealed", "Ngày cập nhật": "changed"}
TEXT_COLUMNS = {
    "Mã TTHC": "code",
    "Tên TTHC": "name",
    "Lĩnh vực": "sector",
    "Cơ quan thực hiện": "agency",
    "Số quyết định công bố": "decision",
    "Thay thế bằng": "replaced_by",
    "Địa chỉ trang": "url",
}
LIST_COLUMNS = {
    "Đối tượng thực hiện": "applicants",
    "Kết quả thực hiện": "result",
    "Căn cứ pháp lý": "legal_basis",
}


def documented_columns(doc):
    """The CSV columns docs/open-data.md lists, in its order: the rows of the table under
    the heading `## data.csv`, whose first cell is the column's name in backquotes."""
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    part = text.split("## data.csv", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", part, flags=re.M)


def as_written(text):
    """What the CSV holds for a text: the same, with a `'` before what a spreadsheet would
    run (see `cell` in src/render/data.rs)."""
    if text is None:
        return ""
    risky = text[:1] in ("=", "+", "@", "\t", "\r") or (
        text[:1] == "-" and len(text) > 1 and not re.fullmatch(r"-[0-9][0-9.,]*", text)
    )
    return "'" + text if risky else text


def formula(cell):
    return cell[:1] in ("=", "+", "@", "\t", "\r") or bool(
        re.match(r"^-.", cell) and not re.fullmatch(r"-[0-9][0-9.,]*", cell)
    )


def main():
    out, today, doc = sys.argv[1], sys.argv[2], sys.argv[3]
    columns = documented_columns(doc)
    problems = []
    figures = {"files": 0, "rows": 0, "cells": 0, "codes_kept_as_text": 0,
               "codes_a_number_reader_changes": 0, "iso_dates": 0, "ellipsis_cells": 0,
               "fee_texts_in_full": 0, "neutralised_cells": 0, "no_change_date": 0}
    for path in sorted(glob.glob(os.path.join(out, "**", "data.csv"), recursive=True)):
        where = os.path.relpath(path, out)
        figures["files"] += 1
        with open(path, "rb") as f:
            raw = f.read()
        if not raw.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{where}: no UTF-8 byte-order mark")
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, rows = rows[0], rows[1:]
        if header != columns:
            problems.append(f"{where}: columns {header} but docs/open-data.md lists {columns}")
            continue
        col = {name: i for i, name in enumerate(header)}
        with open(os.path.join(os.path.dirname(path), "data.json"), encoding="utf-8") as f:
            data = json.load(f)
        procs = data["procedures"]
        if len(rows) != len(procs):
            problems.append(f"{where}: {len(rows)} rows, data.json has {len(procs)}")
            continue
        licence = data["licence"]["name"] + (
            f" ({data['licence']['url']})" if data["licence"].get("url") else "")
        # pandas, told that every column is text, and left to guess.
        typed = pandas.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        guessed = pandas.read_csv(path, encoding="utf-8-sig")
        for i, (row, p) in enumerate(zip(rows, procs)):
            at = f"{where} row {i + 2} ({p['code']})"
            figures["rows"] += 1
            figures["cells"] += len(row)
            if typed["Mã TTHC"][i] == p["code"]:
                figures["codes_kept_as_text"] += 1
            else:
                problems.append(f"{at}: pandas dtype=str read {typed['Mã TTHC'][i]!r}")
            if str(guessed["Mã TTHC"][i]) != p["code"]:
                figures["codes_a_number_reader_changes"] += 1
            expected = dict(p, name=p.get("name") or p["code"])
            for name, key in TEXT_COLUMNS.items():
                if row[col[name]] != as_written(expected.get(key)):
                    problems.append(f"{at}: {name} {row[col[name]]!r}, data.json {p.get(key)!r}")
            for name, key in LIST_COLUMNS.items():
                if row[col[name]] != as_written("; ".join(p.get(key) or [])):
                    problems.append(f"{at}: {name} {row[col[name]]!r}, data.json {p.get(key)!r}")
            for name, key in DATE_COLUMNS.items():
                cell = row[col[name]]
                if cell != (p.get(key) or ""):
                    problems.append(f"{at}: {name} {cell!r}, data.json {p.get(key)!r}")
                if cell:
                    figures["iso_dates"] += 1
                    if not ISO.match(cell):
                        problems.append(f"{at}: {name} {cell!r} is not ISO 8601")
            changed = p.get("changed")
            if changed is None:
                figures["no_change_date"] += 1
            elif changed > today:
                problems.append(f"{at}: changed {changed} after the build's date {today}")
            if row[col["Tình trạng"]] != STATUS[p["status"]]:
                problems.append(f"{at}: status {row[col['Tình trạng']]!r}, data.json {p['status']}")
            if row[col["Giấy phép dữ liệu"]] != licence:
                problems.append(f"{at}: licence {row[col['Giấy phép dữ liệu']]!r}, data.json {licence!r}")
            # Full texts: every fee's text and every time's text, as data.json has them.
            fees, times = row[col["Phí, lệ phí"]], row[col["Thời hạn giải quyết"]]
            for ch in p["channels"]:
                for fee in ch.get("fees") or []:
                    if fee.get("text"):
                        if fee["text"] in fees:
                            figures["fee_texts_in_full"] += 1
                        else:
                            problems.append(f"{at}: fee text {fee['text']!r} not in {fees!r}")
                t = (ch.get("time") or {}).get("text")
                if t and t not in times:
                    problems.append(f"{at}: time text {t!r} not in {times!r}")
            source = json.dumps(p, ensure_ascii=False)
            for cell in row:
                if cell.endswith("…") and cell.rstrip("…") not in source:
                    figures["ellipsis_cells"] += 1
                    problems.append(f"{at}: shortened cell {cell!r}")
                if cell.startswith("'"):
                    figures["neutralised_cells"] += 1
                if formula(cell):
                    problems.append(f"{at}: a cell a spreadsheet would run: {cell!r}")
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
