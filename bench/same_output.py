#!/usr/bin/env python3
"""Compares two build outputs (folders of sites, or two sites) file by file.

    python3 bench/same_output.py BEFORE AFTER [--show N] [--sub PATTERN REPLACEMENT]...

Each file is counted as
  identical        the same bytes;
  whitespace-only  the same once whitespace is normalised: runs of whitespace next to a
                   tag's `<` or `>` removed, every other run collapsed to one space (what an
                   engine's handling of the newlines around `{% %}` tags changes);
  other            anything else: listed with the first place they differ.
Files found on one side only are listed too. `--sub` applies a regular-expression
substitution to both sides before comparing (to see whether a known, intended change is
the only one: e.g. `--sub 'id="tthc-[^"]*-' 'id="'`); files that then compare equal are
counted as "equal after --sub". Exits 1 when anything is "other" or one-sided.
"""

import argparse
import os
import re
import sys

TEXT = (".html", ".xml", ".json", ".js", ".css", ".csv", ".svg", ".txt")
AROUND_TAG = re.compile(rb"\s*([<>])\s*")
SPACE = re.compile(rb"\s+")


def normalise(b):
    return SPACE.sub(b" ", AROUND_TAG.sub(rb"\1", b)).strip()


def files(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root))
    return out


def first_difference(a, b, width=90):
    n = min(len(a), len(b))
    i = next((k for k in range(n) if a[k] != b[k]), n)
    lo = max(0, i - width // 3)
    return (
        i,
        a[lo : i + width].decode("utf-8", "replace"),
        b[lo : i + width].decode("utf-8", "replace"),
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--show", type=int, default=10, help="how many differing files to show")
    ap.add_argument("--sub", nargs=2, action="append", default=[], metavar=("PATTERN", "REPL"))
    args = ap.parse_args()
    subs = [(re.compile(p.encode()), r.encode()) for p, r in args.sub]

    a_files, b_files = files(args.before), files(args.after)
    only_a, only_b = sorted(a_files - b_files), sorted(b_files - a_files)
    counts = {"identical": 0, "whitespace-only": 0, "equal after --sub": 0, "other": 0}
    by_top = {}
    others = []
    for rel in sorted(a_files & b_files):
        with open(os.path.join(args.before, rel), "rb") as f:
            a = f.read()
        with open(os.path.join(args.after, rel), "rb") as f:
            b = f.read()
        if a == b:
            kind = "identical"
        elif not rel.endswith(TEXT):
            kind = "other"
        else:
            na, nb = normalise(a), normalise(b)
            if na == nb:
                kind = "whitespace-only"
            else:
                for p, r in subs:
                    na, nb = p.sub(r, na), p.sub(r, nb)
                kind = "equal after --sub" if subs and na == nb else "other"
                if kind == "other":
                    others.append((rel, na, nb))
        counts[kind] += 1
        top = rel.split(os.sep)[0] if os.sep in rel else "."
        by_top.setdefault(top, {}).setdefault(kind, 0)
        by_top[top][kind] += 1

    total = sum(counts.values())
    print(f"compared {total} files: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v or k != "equal after --sub"))
    if len(by_top) > 1:
        for top, c in sorted(by_top.items()):
            print(f"  {top}: " + ", ".join(f"{k} {v}" for k, v in c.items()))
    for rel, na, nb in others[: args.show]:
        at, x, y = first_difference(na, nb)
        print(f"\nOTHER {rel} (normalised, at byte {at}):\n  before: {x!r}\n  after:  {y!r}")
    if len(others) > args.show:
        print(f"\n... and {len(others) - args.show} more")
    for side, lst in (("before", only_a), ("after", only_b)):
        if lst:
            print(f"\nonly in {side} ({len(lst)}): " + ", ".join(lst[:20]))
    sys.exit(1 if others or only_a or only_b else 0)


if __name__ == "__main__":
    main()
