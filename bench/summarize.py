#!/usr/bin/env python3
"""Prints the bench table, with the targets, from the files bench/run.sh leaves in a results
directory, and writes every figure with each target's pass/fail as JSON.

    summarize.py RESULTS_DIR [--max-error-pct 1.0] [--json FILE]

RESULTS_DIR holds:
  scenarios.tsv   one line per wrk run: id, server, site (small|big), mode (cold|warm|static),
                  page key, connections, path (tab-separated)
  ID.wrk          wrk's output, with the BENCH_RESULT line printed by report.lua
  ID.rss          the highest VmRSS (kB) of the server sampled during that run (marginalia only)
  metrics.env     key=value lines: startup_ms_*, idle_rss_kb_*, big_* (pages.tsv), header_*, ...
  sitemap.json    bench/sitemap_time.py's result (cache off, big site)

Exits 1 when a scenario has no result or its errors (non-2xx/3xx responses plus socket errors;
for the comment POST every answer but 303) exceed --max-error-pct of its requests. A missed
target does not change the exit status: it is printed and recorded in the JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# The targets (see bench/README.md).
HIT_VS_NGINX_RPS = 0.90      # small site article, cache hit, c=64: >= 90% of nginx's req/s
HIT_VS_NGINX_P99 = 1.2       # ... and p99 <= 1.2x nginx's
COLD_VS_SMALL_RPS = 0.50     # big site, cache off, c=16: >= 50% of the small article's (cache off) req/s
COLD_VS_SMALL_P99 = 2.0      # ... and p99 <= 2x (every page but the sitemap)
WARM_VS_SMALL_RPS = 0.90     # big site, cache on, c=16: >= 90% of the small article's (cache on) req/s
SITEMAP_MAX_MS = 200.0       # whole sitemap (index + children), cache off, sum of medians
SITEMAP_MAX_URLS = 50_000    # per sitemap file
COMMENT_MIN_ACCEPTED = 5000  # comment POSTs answered 303 per second, c=32
COMMENT_MAX_P99_MS = 50.0
IDLE_RSS_MAX_MIB = 30.0      # big site, after start-up
PEAK_RSS_MAX_MIB = 80.0      # big site, during the cache-on runs

BIG_PAGES = ("article", "hot", "tag", "tagdeep", "category", "front", "sitemap")


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
    if "accepted" in result:  # comment POSTs: only a 303 is a stored comment
        result["not_accepted"] = max(0, result["requests"] - result["accepted"])
        result["errors"] = max(result["non2xx"], result["not_accepted"]) + socket
    else:
        result["errors"] = result["non2xx"] + socket
    attempts = result["requests"] + result["err_connect"]
    result["error_pct"] = 100.0 * result["errors"] / attempts if attempts else 100.0
    seconds = result["duration_us"] / 1e6 or 1.0
    result["rps"] = result["requests"] / seconds
    if "accepted" in result:
        result["accepted_per_s"] = result["accepted"] / seconds
    return result


def mib(kb) -> float | None:
    try:
        return int(kb) / 1024
    except (TypeError, ValueError):
        return None


def fmt_mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--max-error-pct", type=float, default=1.0)
    parser.add_argument("--json", type=Path, help="write every figure and the targets here")
    args = parser.parse_args()
    res = args.results

    metrics = read_metrics(res / "metrics.env")
    scenarios = {}
    order = []
    for line in (res / "scenarios.tsv").read_text().splitlines():
        if not line.strip():
            continue
        sid, server, site, mode, page, conns, path = line.split("\t")
        r = parse_wrk(res / f"{sid}.wrk")
        rss_file = res / f"{sid}.rss"
        rss_text = rss_file.read_text().strip() if rss_file.exists() else ""
        scenarios[sid] = {
            "server": server, "site": site, "mode": mode, "page": page, "conns": int(conns), "path": path,
            "result": r, "peak_rss_kb": int(rss_text) if rss_text.isdigit() else None,
        }
        order.append(sid)

    def get(sid: str) -> dict | None:
        s = scenarios.get(sid)
        return s["result"] if s else None

    sitemap = None
    if (res / "sitemap.json").exists():
        sitemap = json.loads((res / "sitemap.json").read_text())

    # ------------------------------------------------------------------ targets
    targets = []

    def target(tid, text, value, limit, ok, unit=""):
        targets.append({"id": tid, "target": text, "value": value, "limit": limit, "unit": unit,
                        "pass": (None if value is None else bool(ok))})
        return targets[-1]

    def ratio(a, b):
        return a / b if a is not None and b else None

    def rps(sid):
        r = get(sid)
        return r["rps"] if r else None

    def p99(sid):
        r = get(sid)
        return r["p99_us"] / 1000 if r else None

    nginx, hit = "nginx-article-c64", "small-warm-article-c64"
    v = ratio(rps(hit), rps(nginx))
    t_hit_rps = target("small_cache_hit_rps_vs_nginx", "small article, cache hit, c=64: req/s >= 90% of nginx's",
                       v, HIT_VS_NGINX_RPS, v is not None and v >= HIT_VS_NGINX_RPS, "ratio")
    v = ratio(p99(hit), p99(nginx))
    t_hit_p99 = target("small_cache_hit_p99_vs_nginx", "small article, cache hit, c=64: p99 <= 1.2x nginx's",
                       v, HIT_VS_NGINX_P99, v is not None and v <= HIT_VS_NGINX_P99, "ratio")

    cold_ref, warm_ref = "small-cold-article-c16", "small-warm-article-c16"
    page_targets = {}
    for page in BIG_PAGES:
        mine = []
        if page != "sitemap":
            v = ratio(rps(f"big-cold-{page}-c16"), rps(cold_ref))
            mine.append(("cold", "rps", target(f"big_cold_{page}_rps", f"big {page}, cache off, c=16: req/s >= 50% of the small article's (cache off)",
                                                v, COLD_VS_SMALL_RPS, v is not None and v >= COLD_VS_SMALL_RPS, "ratio")))
            v = ratio(p99(f"big-cold-{page}-c16"), p99(cold_ref))
            mine.append(("cold", "p99", target(f"big_cold_{page}_p99", f"big {page}, cache off, c=16: p99 <= 2x the small article's (cache off)",
                                                v, COLD_VS_SMALL_P99, v is not None and v <= COLD_VS_SMALL_P99, "ratio")))
        v = ratio(rps(f"big-warm-{page}-c16"), rps(warm_ref))
        mine.append(("warm", "rps", target(f"big_warm_{page}_rps", f"big {page}, cache on, c=16: req/s >= 90% of the small article's (cache on)",
                                            v, WARM_VS_SMALL_RPS, v is not None and v >= WARM_VS_SMALL_RPS, "ratio")))
        page_targets[page] = mine

    sm_ms = sitemap["total_ms"] if sitemap and not sitemap.get("problems") else None
    t_sm = target("sitemap_generation_ms", "big sitemap (index and every child), cache off: total < 200 ms",
                  sm_ms, SITEMAP_MAX_MS, sm_ms is not None and sm_ms < SITEMAP_MAX_MS, "ms")
    sm_urls = sitemap["max_urls_per_file"] if sitemap else None
    t_sm_urls = target("sitemap_max_urls_per_file", "every sitemap file <= 50,000 URLs",
                       sm_urls, SITEMAP_MAX_URLS, sm_urls is not None and sm_urls <= SITEMAP_MAX_URLS, "urls")

    post = get("small-warm-comment-c32")
    v = post.get("accepted_per_s") if post else None
    t_post = target("comment_accepted_per_s", "comment POSTs, c=32: >= 5,000 accepted (303) per second",
                    v, COMMENT_MIN_ACCEPTED, v is not None and v >= COMMENT_MIN_ACCEPTED, "accepted/s")
    v = p99("small-warm-comment-c32")
    t_post_p99 = target("comment_p99_ms", "comment POSTs, c=32: p99 < 50 ms",
                        v, COMMENT_MAX_P99_MS, v is not None and v < COMMENT_MAX_P99_MS, "ms")

    v = mib(metrics.get("idle_rss_kb_big-warm"))
    t_idle = target("big_idle_rss_mib", "big site, idle after start-up (cache on): RSS <= 30 MiB",
                    v, IDLE_RSS_MAX_MIB, v is not None and v <= IDLE_RSS_MAX_MIB, "MiB")
    peaks = {}
    for group in ("small", "big-cold", "big-warm"):
        vals = [s["peak_rss_kb"] for sid, s in scenarios.items()
                if s["server"] == "marginalia" and f"{s['site']}-{s['mode']}".startswith(group) and s["peak_rss_kb"]]
        peaks[group] = max(vals) if vals else None
    v = mib(peaks["big-warm"])
    t_peak = target("big_peak_rss_mib", "big site, peak during the cache-on runs: RSS <= 80 MiB",
                    v, PEAK_RSS_MAX_MIB, v is not None and v <= PEAK_RSS_MAX_MIB, "MiB")

    # ------------------------------------------------------------------ errors
    failures = []
    for sid in order:
        s = scenarios[sid]
        r = s["result"]
        name = f"{s['site']} {s['page']} ({s['mode']}, {s['server']}, c={s['conns']})"
        if r is None:
            failures.append(f"{name}: wrk printed no result (see {sid}.wrk)")
        elif r["error_pct"] > args.max_error_pct:
            detail = (f"non-2xx/3xx {r['non2xx']}, connect {r['err_connect']}, read {r['err_read']}, "
                      f"write {r['err_write']}, timeout {r['err_timeout']}")
            if "accepted" in r:
                detail += f", not 303 {r['not_accepted']}"
            failures.append(f"{name}: {r['error_pct']:.2f}% errors ({detail})")

    # ------------------------------------------------------------------ table
    def cell(sid):
        r = get(sid)
        if sid not in scenarios:
            return "-"
        if r is None:
            return "no result"
        if "accepted_per_s" in r:
            return f"{r['accepted_per_s']:.0f}/s p99 {r['p99_us'] / 1000:.1f}"
        return f"{r['rps']:.0f}/s p99 {r['p99_us'] / 1000:.1f}"

    def verdict(t):
        return "n/a" if t["pass"] is None else ("ok" if t["pass"] else "FAIL")

    def pct(t):
        return "n/a" if t["value"] is None else f"{100 * t['value']:.1f}%"

    def times(t):
        return "n/a" if t["value"] is None else f"{t['value']:.2f}x"

    m = metrics.get
    labels = {
        "article": f"article, {m('big_article_comments', '?')} comments",
        "hot": f"most-commented post, {m('big_hot_comments', '?')} comments",
        "tag": f"tag {m('big_tag_slug', '?')} ({m('big_tag_posts', '?')} posts), page 1",
        "tagdeep": f"tag {m('big_tag_slug', '?')}, page {m('big_tag_last_page', '?')}",
        "category": f"category {m('big_category_slug', '?')} ({m('big_category_posts', '?')} posts)",
        "front": "front page",
        "sitemap": "sitemap.xml",
    }
    header = ("page", "c", "small site", "big site (cold)", "big site (warm)", "target", "result")
    rows = [
        ("article, nginx static copy", "64", cell(nginx), "-", "-", "reference", ""),
        ("article, cache hit", "64", cell(hit), "-", "-", ">= 90% nginx req/s, p99 <= 1.2x",
         f"{pct(t_hit_rps)} {verdict(t_hit_rps)}, {times(t_hit_p99)} {verdict(t_hit_p99)}"),
        ("article, cache off", "16", cell(cold_ref), "-", "-", "reference for big (cold)", ""),
        ("article, cache on", "16", cell(warm_ref), "-", "-", "reference for big (warm)", ""),
    ]
    for page in BIG_PAGES:
        parts = []
        for mode, kind, t in page_targets[page]:
            if kind == "rps":
                parts.append(f"{mode} {pct(t)} {verdict(t)}")
            else:
                parts[-1] += f", {times(t)} {verdict(t)}"
        text = ("cold >= 50%, p99 <= 2x; warm >= 90%" if page != "sitemap" else "warm >= 90%")
        rows.append((labels[page], "16", "-", cell(f"big-cold-{page}-c16"), cell(f"big-warm-{page}-c16"),
                     text, "; ".join(parts)))
    if get("nginx-hot-c16"):
        same_bytes = ratio(rps("big-warm-hot-c16"), rps("nginx-hot-c16"))
        note = f"marginalia warm: {same_bytes * 100:.1f}% of it" if same_bytes is not None else ""
        rows.append((f"{labels['hot']}, nginx static copy", "16", "-", "-", cell("nginx-hot-c16"),
                     "reference (same bytes from a file)", note))
    if sitemap:
        sm_label = f"sitemap generation, {len(sitemap['files'])} file(s), {sitemap['total_urls']} URLs"
        sm_cell = f"{sitemap['total_ms']:.1f} ms"
    else:
        sm_label, sm_cell = "sitemap generation", "no result"
    rows.append((sm_label, "1", "-", sm_cell, "-", "< 200 ms, <= 50,000 URLs/file",
                 f"{verdict(t_sm)}, max {sm_urls if sm_urls is not None else 'n/a'} URLs/file {verdict(t_sm_urls)}"))
    rows.append(("comment POST, accepted (303)", "32", cell("small-warm-comment-c32"), "-", "-",
                 ">= 5,000/s, p99 < 50 ms", f"accepted/s {verdict(t_post)}, p99 {verdict(t_post_p99)}"))
    if m("fsync_count") is not None:
        rows.append(("disk alone: 8 KB append + fsync loop", "1",
                     f"p50 {m('fsync_p50_ms')} ms, p99 {m('fsync_p99_ms')} ms, max {m('fsync_max_ms')} ms, "
                     f"{m('fsync_over_20ms')} over 20 ms", "-", "-", "floor under the POST p99", "reported"))

    def su(name):
        v = m(f"startup_ms_{name}")
        return f"{v} ms" if v is not None else "n/a"

    rows.append(("start-up, launch to first 200", "", f"{su('small-warm')} (cold {su('small-cold')})",
                 su("big-cold"), su("big-warm"), "reported", ""))
    rows.append(("idle RSS, 1 s after start-up", "", fmt_mib(mib(m("idle_rss_kb_small-warm"))),
                 fmt_mib(mib(m("idle_rss_kb_big-cold"))), fmt_mib(mib(m("idle_rss_kb_big-warm"))),
                 "big (warm) <= 30 MiB", verdict(t_idle)))
    rows.append(("peak RSS under load", "", fmt_mib(mib(peaks["small"])), fmt_mib(mib(peaks["big-cold"])),
                 fmt_mib(mib(peaks["big-warm"])), "big (warm) <= 80 MiB", verdict(t_peak)))

    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    align = ["<", ">", ">", ">", ">", "<", "<"]

    def fmt(row):
        return "  ".join(f"{str(c):{a}{w}}" for c, a, w in zip(row, align, widths)).rstrip()

    rule = "-" * len(fmt(header))
    out = [m("header_title", "marginalia bench")]
    if m("header_details"):
        out.append(m("header_details"))
    out.append("figures: req/s and p99 latency in ms (comment POST: accepted/s); c = wrk connections")
    if m("cache_toggle") == "0":
        out.append("WARNING: binary has no page cache (MARGINALIA_CACHE__ENABLED refused): cold = warm, "
                   "both with the default config")
    out += [rule, fmt(header), rule, *(fmt(r) for r in rows), rule]

    # The demo site scaled out: every request through the same nginx upstream.
    if any(sid.startswith("lb-") for sid in scenarios):
        lb_header = ("small site through nginx (upstream)", "c", "1 x SQLite", "2 x PostgreSQL", "2 x PG / 1 x SQLite")
        lb_rows = []
        for label, conns, suffix in (("article, cache off", "16", "cold-article-c16"),
                                     ("article, cache hit", "64", "warm-article-c64"),
                                     ("comment POST, accepted (303)", "32", "warm-comment-c32")):
            one, two = get(f"lb-sqlite1-{suffix}"), get(f"lb-pg2-{suffix}")
            key = "accepted_per_s" if suffix.endswith("comment-c32") else "rps"
            share = ratio(two.get(key) if two else None, one.get(key) if one else None)
            lb_rows.append((label, conns, cell(f"lb-sqlite1-{suffix}"), cell(f"lb-pg2-{suffix}"),
                            f"{share:.2f}x" if share is not None else "n/a"))
        lb_widths = [max(len(str(row[i])) for row in [lb_header, *lb_rows]) for i in range(len(lb_header))]
        lb_align = ["<", ">", ">", ">", ">"]

        def lb_fmt(row):
            return "  ".join(f"{str(c):{a}{w}}" for c, a, w in zip(row, lb_align, lb_widths)).rstrip()

        lb_rule = "-" * len(lb_fmt(lb_header))
        out.append("")
        out.append(f"scaling out (reported; PostgreSQL {m('pg_version', '?')} on this machine, "
                   f"site copied in by `db copy` in {m('pg_copy_ms', '?')} ms; all processes share the cores):")
        out += [lb_rule, lb_fmt(lb_header), lb_rule, *(lb_fmt(r) for r in lb_rows), lb_rule]

    judged = [t for t in targets if t["pass"] is not None]
    passed = [t for t in judged if t["pass"]]
    missed = [t for t in targets if t["pass"] is not True]
    out.append(f"targets: {len(passed)} of {len(targets)} pass")
    for t in missed:
        if t["value"] is None:
            got = "no figure"
        elif t["unit"] == "ratio":
            got = f"{t['value']:.3f} (limit {t['limit']:g})"
        else:
            got = f"{t['value']:.1f} {t['unit']} (limit {t['limit']:g})"
        out.append(f"  FAIL {t['target']}: {got}")
    if failures:
        out.append(f"FAILED (errors above {args.max_error_pct:g}% or missing results):")
        out.extend(f"  - {f}" for f in failures)
    else:
        out.append(f"OK: every scenario under {args.max_error_pct:g}% errors")
    print("\n".join(out))

    # ------------------------------------------------------------------ JSON
    if args.json:
        def scenario_json(sid):
            s = scenarios[sid]
            r = s["result"]
            d = {k: s[k] for k in ("server", "site", "mode", "page", "conns", "path", "peak_rss_kb")}
            if r:
                d.update({
                    "requests": r["requests"], "duration_s": r["duration_us"] / 1e6, "rps": round(r["rps"], 1),
                    "p50_ms": r["p50_us"] / 1000, "p90_ms": r["p90_us"] / 1000, "p99_ms": r["p99_us"] / 1000,
                    "max_ms": r["max_us"] / 1000, "mean_ms": round(r["mean_us"] / 1000, 3),
                    "errors": r["errors"], "error_pct": round(r["error_pct"], 3), "non2xx": r["non2xx"],
                    "socket_errors": {k: r[f"err_{k}"] for k in ("connect", "read", "write", "timeout")},
                    "bytes_per_response": round(r["bytes"] / r["requests"]) if r["requests"] else None,
                })
                if "accepted" in r:
                    d["accepted"] = r["accepted"]
                    d["accepted_per_s"] = round(r["accepted_per_s"], 1)
            else:
                d["result"] = None
            return d

        def num(v):
            try:
                return int(v)
            except (TypeError, ValueError):
                try:
                    return float(v)
                except (TypeError, ValueError):
                    return v

        servers = ("small-cold", "small-warm", "big-cold", "big-warm")
        summary = {
            "title": m("header_title"),
            "commit": m("commit"),
            "binary": m("binary"),
            "duration_s": num(m("duration_s")),
            "wrk_threads": num(m("threads")),
            "cache_toggle": m("cache_toggle") == "1",
            "big_site": {k[4:]: num(v) for k, v in metrics.items() if k.startswith("big_")},
            "import_s": num(m("import_s")),
            "scenarios": {sid: scenario_json(sid) for sid in order},
            "startup_ms": {s: num(m(f"startup_ms_{s}")) for s in servers if m(f"startup_ms_{s}")},
            "idle_rss_kb": {s: num(m(f"idle_rss_kb_{s}")) for s in servers if m(f"idle_rss_kb_{s}")},
            "peak_rss_kb": peaks,
            "sitemap": sitemap,
            "targets": targets,
            "targets_passed": len(passed),
            "targets_total": len(targets),
            "all_targets_pass": len(passed) == len(targets),
            "error_failures": failures,
            "max_error_pct": args.max_error_pct,
        }
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
