#!/usr/bin/env python3
"""Measures `niemyet serve`: time from saving a file to the new page being served.

usage: serve_latency.py NIEMYET SITE [ROUNDS] [--local FILE PAGE] [--catalog FILE PAGE]
                         [--no-catalog]

Starts `NIEMYET serve --root SITE --port 0`, then ROUNDS times (default 30) for each
case saves a file the way editors do (write a temporary file, rename it over the old
one) and polls the page over HTTP until it shows the new value. Prints the median,
minimum and maximum per case, and the server's own figures for the same updates (the
whole update: pages, then print packs and search index). Each save waits until the
previous update is done (the page is served before the slow outputs). Cases: one procedure file (its
page, unit list, /tthc/ page, data, feed and sitemap are re-rendered), and one catalogue
entry adopted by every commune. FILE is relative to SITE/content, PAGE an address; the
defaults fit bench/gen_site.py's sites. The environment is passed on (e.g.
NIEMYET_SERVE_SKIP=search).
"""
import http.client
import os
import statistics
import re
import subprocess
import sys
import threading
import time

# Server-side figures, from its "rendered N output(s), M changed, in X ms (processor Y ms)"
# lines: (wall ms, processor ms) of each update.
UPDATES = []


def save(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def fetch(conn_addr, path):
    host, port = conn_addr
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace")
    c.close()
    return body


def settle(before, deadline):
    """Waits until the server has finished an update after the `before`-th."""
    while len(UPDATES) <= before:
        if time.perf_counter() > deadline:
            raise SystemExit("the server did not finish its update")
        time.sleep(0.005)


def measure(addr, path, file, original, make, rounds):
    times = []
    for i in range(rounds):
        marker = 7000000 + i * 1000  # a fee, shown as "7.00x.000 đồng"
        text, shown = make(original, marker)
        before = len(UPDATES)
        t0 = time.perf_counter()
        save(file, text)
        deadline = t0 + 120
        while True:
            if shown in fetch(addr, path):
                break
            if time.perf_counter() > deadline:
                raise SystemExit(f"{path}: {shown} never appeared")
            time.sleep(0.001)
        times.append((time.perf_counter() - t0) * 1000)
        # The page is served before the print packs and the search index: the next save
        # waits until the whole update is done, so each measures an idle server.
        settle(before, deadline)
        time.sleep(0.2)
    before = len(UPDATES)
    save(file, original)
    settle(before, time.perf_counter() + 120)
    time.sleep(0.5)
    return times


def vn(n):
    return f"{n:,}".replace(",", ".")


def main():
    args = sys.argv[1:]
    cases = {
        "local": ("tinh-bench/xa-137/2.010037.md", "/tinh-bench/xa-137/2.010037/",
                  "/tinh-bench/xa-137/"),
        "catalog": ("_catalog/1.000003.md", "/tinh-bench/xa-299/1.000003/"),
    }
    with_catalog = "--no-catalog" not in args
    args = [a for a in args if a != "--no-catalog"]
    for flag in ("--local", "--catalog"):
        if flag in args:
            i = args.index(flag)
            f, page = args[i + 1], args[i + 2]
            cases[flag[2:]] = (f, page, page.rsplit("/", 2)[0] + "/") if flag == "--local" else (f, page)
            del args[i:i + 3]
    exe, site = args[0], args[1]
    rounds = int(args[2]) if len(args) > 2 else 30
    print("load average:", open("/proc/loadavg").read().split()[:3], "cores:", os.cpu_count())
    t0 = time.perf_counter()
    p = subprocess.Popen([exe, "serve", "--root", site, "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = p.stdout.readline().strip()
        if not url:
            raise SystemExit("serve printed no address: " + p.stderr.read())

        def read_stderr():
            for line in p.stderr:
                m = re.search(r"in ([0-9.]+) ms \(processor ([0-9.]+) ms\)", line)
                if m:
                    UPDATES.append((float(m.group(1)), float(m.group(2))))

        threading.Thread(target=read_stderr, daemon=True).start()
        print(f"first render and start: {time.perf_counter() - t0:.1f} s ({url})")
        hostport = url.removeprefix("http://").rstrip("/")
        host, port = hostport.rsplit(":", 1)
        addr = (host, int(port))

        def fee(original, marker):
            text = original.replace("amount = ", f"amount = {marker} + 0 * ", 0)
            # Replace the first amount only.
            i = original.index("amount = ") + len("amount = ")
            j = original.index(",", i)
            text = original[:i] + str(marker) + original[j:]
            return text, vn(marker)

        local = os.path.join(site, "content", cases["local"][0])
        cat = os.path.join(site, "content", cases["catalog"][0])
        for name, f, page in [
            ("one procedure (page + unit list + /tthc/ + data + feed + sitemap)", local,
             cases["local"][1]),
            ("unit list after a procedure edit", local, cases["local"][2]),
            ("catalogue entry adopted by 300 communes", cat, cases["catalog"][1]),
        ][:3 if with_catalog else 2]:
            original = open(f, encoding="utf-8").read()
            first = len(UPDATES)
            ts = measure(addr, page, f, original, fee, rounds)
            ups = UPDATES[first:first + rounds]
            server = ""
            if ups:
                server = (f"; server update median {statistics.median(u[0] for u in ups):.1f} ms wall, "
                          f"{statistics.median(u[1] for u in ups):.1f} ms processor")
            print(f"{name}: save→served median {statistics.median(ts):.1f} ms, min {min(ts):.1f}, "
                  f"max {max(ts):.1f} ({rounds} saves){server}")
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
