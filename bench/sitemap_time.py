#!/usr/bin/env python3
"""Times the sitemap the way a crawler fetches it, with curl.

    sitemap_time.py BASE_URL [--tries 5] [--out FILE.json]

Fetches BASE_URL/sitemap.xml; when it is a <sitemapindex>, also every child sitemap its <loc>
entries name (scheme, host and port rewritten to BASE_URL's when they differ, so a base_url
setting that does not match the bench address still works). Each file is fetched --tries times
with `curl -w '%{time_total}'`; the figure per file is the median, and the total is the sum of
the medians: the time to generate the whole sitemap once. With a plain <urlset> there are no
children and the total is that one file.

Prints (and writes to --out) one JSON object:
  {"kind": "sitemapindex"|"urlset", "files": [{"url", "status", "bytes", "urls", "median_ms",
   "tries_ms"}], "total_ms", "total_urls", "max_urls_per_file", "children"}
Exits 1 when a file does not answer 200 or is not a sitemap.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(url: str, body_path: str) -> tuple[int, float]:
    out = subprocess.run(
        ["curl", "-s", "-o", body_path, "--max-time", "60", "-w", "%{http_code} %{time_total}", url],
        check=False, capture_output=True, text=True,
    ).stdout.split()
    if len(out) != 2:
        return 0, 0.0
    return int(out[0]), float(out[1]) * 1000.0


def rebase(loc: str, base: str) -> str:
    loc_u, base_u = urllib.parse.urlsplit(loc), urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit((base_u.scheme, base_u.netloc, loc_u.path, loc_u.query, ""))


def measure(url: str, tries: int) -> tuple[dict, ET.Element | None]:
    with tempfile.NamedTemporaryFile(prefix="sitemap-", suffix=".xml") as tmp:
        times, status = [], 0
        for _ in range(tries):
            status, ms = fetch(url, tmp.name)
            if status != 200:
                break
            times.append(ms)
        body = open(tmp.name, "rb").read()
    root = None
    if status == 200:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            root = None
    urls = len(root.findall(f"{NS}url")) if root is not None else 0
    info = {"url": url, "status": status, "bytes": len(body), "urls": urls,
            "median_ms": round(statistics.median(times), 3) if times else None,
            "tries_ms": [round(t, 3) for t in times]}
    return info, root


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args()
    base = args.base.rstrip("/")

    problems = []
    index, root = measure(f"{base}/sitemap.xml", args.tries)
    files = [index]
    kind = "unknown"
    if root is None:
        problems.append(f"{index['url']}: status {index['status']}, not a sitemap")
    elif root.tag == f"{NS}sitemapindex":
        kind = "sitemapindex"
        for loc in root.iter(f"{NS}loc"):
            child, child_root = measure(rebase((loc.text or "").strip(), base), args.tries)
            files.append(child)
            if child_root is None or child_root.tag != f"{NS}urlset":
                problems.append(f"{child['url']}: status {child['status']}, not a <urlset>")
    elif root.tag == f"{NS}urlset":
        kind = "urlset"
    else:
        problems.append(f"{index['url']}: root element {root.tag}, not a sitemap")

    result = {
        "kind": kind,
        "children": len(files) - 1,
        "files": files,
        "total_ms": round(sum(f["median_ms"] or 0.0 for f in files), 3),
        "total_urls": sum(f["urls"] for f in files),
        "max_urls_per_file": max(f["urls"] for f in files),
        "problems": problems,
    }
    text = json.dumps(result)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)
    print(f"    {kind}, {result['children']} child sitemap(s), {result['total_urls']} URLs "
          f"(at most {result['max_urls_per_file']} in one file), {result['total_ms']:.1f} ms", file=sys.stderr)
    for p in problems:
        print(f"sitemap_time: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
