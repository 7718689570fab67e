"""Reads feed.xml with feedparser (an independent Atom parser) and checks it against the
site's data.json files: well-formed Atom, entries newest first, no date after the
build's, each entry's date the latest change date of its code, upcoming and repealed
procedures said to be so in the title, the summary and a category.

Usage: python3 feed.py <output folder> <today YYYY-MM-DD>
Prints one JSON line of figures; exits non-zero with the problems found.
"""

import glob
import json
import os
import sys

import feedparser

MARK = {"upcoming": ("sap-co-hieu-luc", "sắp có hiệu lực"),
        "repealed": ("da-bai-bo", "đã bãi bỏ")}


def main():
    out, today = sys.argv[1], sys.argv[2]
    # Every code: its publications' change dates and statuses.
    codes = {}
    for path in glob.glob(os.path.join(out, "**", "data.json"), recursive=True):
        with open(path, encoding="utf-8") as f:
            for p in json.load(f)["procedures"]:
                codes.setdefault(p["code"], []).append(p)
    feed = feedparser.parse(os.path.join(out, "feed.xml"))
    problems = []
    if feed.bozo:
        problems.append(f"not well-formed: {feed.bozo_exception}")
    if feed.version != "atom10":
        problems.append(f"version {feed.version!r}")
    figures = {"entries": len(feed.entries), "upcoming": 0, "repealed": 0,
               "codes_with_a_change_date": 0, "codes_without": 0}
    dated = {c: max(p["changed"] for p in ps if p["changed"])
             for c, ps in codes.items() if any(p["changed"] for p in ps)}
    figures["codes_with_a_change_date"] = len(dated)
    figures["codes_without"] = len(codes) - len(dated)
    if feed.feed.get("updated", "")[:10] > today:
        problems.append(f"feed updated {feed.feed.get('updated')} after {today}")
    if len(feed.entries) != min(100, len(dated)):
        problems.append(f"{len(feed.entries)} entries for {len(dated)} dated codes")
    previous = "9999-99-99"
    for e in feed.entries:
        code = e.link.rstrip("/").rsplit("/", 1)[-1]
        day = e.updated[:10]
        if day > today:
            problems.append(f"{code}: updated {day} after the build's date {today}")
        if day > previous:
            problems.append(f"{code}: {day} after an older entry ({previous})")
        previous = day
        if dated.get(code) != day:
            problems.append(f"{code}: updated {day}, its latest change is {dated.get(code)}")
        latest = [p for p in codes.get(code, []) if p["changed"] == day]
        statuses = {p["status"] for p in latest}
        categories = {t.term for t in e.get("tags", [])}
        for status, (term, words) in MARK.items():
            marked = term in categories and e.title.endswith(f"({words})")
            if statuses == {status}:
                figures[status] += 1
                if not marked or not e.summary.lower().startswith(words):
                    problems.append(f"{code}: {status} but the entry says {e.title!r} / {e.summary!r}")
            elif term in categories:
                problems.append(f"{code}: marked {term} but {statuses}")
    print(json.dumps(figures, ensure_ascii=False))
    if problems:
        for line in problems[:40]:
            print(line, file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
