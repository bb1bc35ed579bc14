#!/usr/bin/env python3
"""Prints the bench table from the files bench/run.sh leaves in a results directory.

    summarize.py RESULTS_DIR [--max-error-pct 1.0]

RESULTS_DIR holds:
  scenarios.tsv   one line per scenario: id, server, label, connections (tab-separated)
  ID.wrk          wrk's output, with the BENCH_RESULT line printed by report.lua
  ID.rss          the highest VmRSS (kB) of the server sampled during that run (marginalia only)
  metrics.env     key=value lines: startup_ms_*, idle_rss_kb_*, header_*

Exits 1 when a scenario has no result or its errors (non-2xx/3xx responses plus socket
errors) exceed --max-error-pct of its requests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


def read_metrics(path: Path) -> dict[str, str]:
    metrics = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                metrics[key.strip()] = value.strip()
    return metrics


def parse_wrk(path: Path) -> dict | None:
    if not path.exists():
        return None
    text = path.read_text(errors="replace")
    match = re.search(r"^BENCH_RESULT (\{.*\})\s*$", text, re.M)
    if not match:
        return None
    result = json.loads(match.group(1))
    # wrk's own summary line; the same counter as summary.errors.status, kept as a cross-check.
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    result["non2xx"] = max(int(non2xx.group(1)) if non2xx else 0, result["err_status"])
    socket = result["err_connect"] + result["err_read"] + result["err_write"] + result["err_timeout"]
    result["errors"] = result["non2xx"] + socket
    attempts = result["requests"] + result["err_connect"]
    result["error_pct"] = 100.0 * result["errors"] / attempts if attempts else 100.0
    seconds = result["duration_us"] / 1e6 or 1.0
    result["rps"] = result["requests"] / seconds
    return result


def mib(kb: str | int | None) -> str:
    try:
        return f"{int(kb) / 1024:.1f} MiB"
    except (TypeError, ValueError):
        return "n/a"


def ms(us: float) -> str:
    return f"{us / 1000:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--max-error-pct", type=float, default=1.0)
    args = parser.parse_args()

    metrics = read_metrics(args.results / "metrics.env")
    scenarios = []
    for line in (args.results / "scenarios.tsv").read_text().splitlines():
        if line.strip():
            sid, server, label, conns = line.split("\t")
            scenarios.append((sid, server, label, int(conns)))
    results = {sid: parse_wrk(args.results / f"{sid}.wrk") for sid, *_ in scenarios}

    # marginalia/nginx req/s for the same article page at the same concurrency.
    nginx_rps = {c: results[s]["rps"] for s, srv, _, c in scenarios if srv == "nginx" and results[s]}
    failures = []

    header = ("scenario", "server", "conns", "req/s", "p50 ms", "p99 ms", "errors", "KB/resp", "max RSS", "vs nginx")
    rows = []
    for sid, server, label, conns in scenarios:
        r = results[sid]
        rss_file = args.results / f"{sid}.rss"
        rss = mib(rss_file.read_text().strip()) if rss_file.exists() else "-"
        if r is None:
            rows.append((label, server, str(conns), "no result", "", "", "", "", rss, ""))
            failures.append(f"{label} (c={conns}): wrk printed no result (see {sid}.wrk)")
            continue
        ratio = ""
        if server == "marginalia" and sid.startswith("seed-article") and conns in nginx_rps:
            ratio = f"{r['rps'] / nginx_rps[conns]:.3f}"
        errors = f"{r['errors']} ({r['error_pct']:.2f}%)"
        size = f"{r['bytes'] / r['requests'] / 1024:.1f}" if r["requests"] else "-"
        rows.append((label, server, str(conns), f"{r['rps']:.0f}", ms(r["p50_us"]), ms(r["p99_us"]),
                     errors, size, rss, ratio))
        if r["error_pct"] > args.max_error_pct:
            detail = (f"non-2xx/3xx {r['non2xx']}, connect {r['err_connect']}, read {r['err_read']}, "
                      f"write {r['err_write']}, timeout {r['err_timeout']}")
            failures.append(f"{label} (c={conns}): {r['error_pct']:.2f}% errors ({detail})")

    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    align = ["<", "<", ">", ">", ">", ">", ">", ">", ">", ">"]

    def fmt(row):
        return "  ".join(f"{str(cell):{a}{w}}" for cell, a, w in zip(row, align, widths)).rstrip()

    rule = "-" * len(fmt(header))
    out = []
    title = metrics.get("header_title", "marginalia bench")
    out.append(title)
    if metrics.get("header_details"):
        out.append(metrics["header_details"])
    out.append(rule)
    out.append(fmt(header))
    out.append(rule)
    out.extend(fmt(row) for row in rows)
    out.append(rule)

    def ratio_line(conns):
        for sid, server, _, c in scenarios:
            if server == "marginalia" and sid.startswith("seed-article") and c == conns and results[sid] and conns in nginx_rps:
                return f"c={conns}: {results[sid]['rps'] / nginx_rps[conns]:.3f}"
        return f"c={conns}: n/a"

    out.append(f"article req/s, marginalia / nginx static file   {ratio_line(16)}   {ratio_line(64)}")
    startup = [f"{site} {metrics[f'startup_ms_{site}']} ms" for site in ("seed", "large") if f"startup_ms_{site}" in metrics]
    out.append("start-up, launch to first 200 on /healthz     " + (", ".join(startup) or "n/a"))
    idle = [f"{site} {mib(metrics[f'idle_rss_kb_{site}'])}" for site in ("seed", "large") if f"idle_rss_kb_{site}" in metrics]
    out.append("idle RSS (VmRSS 1 s after start-up)            " + (", ".join(idle) or "n/a"))
    load_rss = args.results / "seed-article-c64.rss"
    out.append("max RSS under load (GET article, c=64)         "
               + (mib(load_rss.read_text().strip()) if load_rss.exists() else "n/a"))
    all_rss = [int(p.read_text().strip() or 0) for p in args.results.glob("*.rss") if p.read_text().strip()]
    if all_rss:
        out.append("max RSS over every marginalia run              " + mib(max(all_rss)))
    out.append(rule)
    if failures:
        out.append(f"FAILED (errors above {args.max_error_pct:g}% or missing results):")
        out.extend(f"  - {f}" for f in failures)
    else:
        out.append(f"OK: every scenario under {args.max_error_pct:g}% errors")
    print("\n".join(out))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
