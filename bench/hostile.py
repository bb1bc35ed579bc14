#!/usr/bin/env python3
"""Hostile comments against a running marginalia (issue 13, finding 2).

Posts 64 KB comments built to be expensive to render (deep lists and quotes, emphasis and
bracket runs...), one at a time and then eight at once while a bystander posts an ordinary
comment, and prints a Markdown table of the answer times. Standard library only.

    python3 bench/hostile.py http://127.0.0.1:PORT SLUG
"""
import re
import sys
import threading
import time
import urllib.parse
import urllib.request

BASE, SLUG = sys.argv[1], sys.argv[2]
LIMIT = 65_000

PATTERNS = {
    '"- " x 16000': "- " * 16_000 + "x",
    '"x\\r" + "- " x 16000': "x\r" + "- " * 16_000,
    '"> " x 32000': "> " * 32_000 + "x",
    '">" x 64000': ">" * 64_000,
    '"1. " x 10000': "1. " * 10_000 + "x",
    '"- > " x 8000': "- > " * 8_000 + "x",
    '"*a **" x 10000': "*a **" * 10_000,
    '"[" x 30000 + "]" x 30000': "[" * 30_000 + "]" * 30_000,
    '"[a](" x 15000': "[a](" * 15_000,
    'indented lists, 200 deep': "".join(f"{'  ' * (i % 200)}- x\n" for i in range(3_000)),
    '"http://a.b/ " x 5000': "http://a.b/ " * 5_000,
    'plain prose': ("The quick brown fox jumps over the lazy dog. " * 1_500),
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def form_token():
    with urllib.request.urlopen(f"{BASE}/posts/{SLUG}") as page:
        html = page.read().decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def post(author, email, text):
    data = urllib.parse.urlencode({
        "author": author, "email": email, "url": "", "comment": text[:LIMIT],
        "comment_parent": "0", "marginalia_hp": "", "form_token": form_token(),
    }).encode()
    started = time.perf_counter()
    try:
        with OPENER.open(urllib.request.Request(f"{BASE}/posts/{SLUG}/comments", data=data)) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, (time.perf_counter() - started) * 1000


def main():
    rows = []
    for n, (name, text) in enumerate(PATTERNS.items()):
        status, ms = post(f"Hostile {n}", f"h{n}@example.org", f"{text} {n}")
        rows.append((name, status, ms))
    base_status, base_ms = post("Bystander", "by0@example.org", "Nice article, thank you.")

    results = {}
    texts = list(PATTERNS.values())[:8]

    def attack(i):
        results[i] = post(f"Parallel {i}", f"p{i}@example.org", f"{texts[i % len(texts)]} p{i}")

    threads = [threading.Thread(target=attack, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.005)
    by_status, by_ms = post("Bystander", "by1@example.org", "Still a nice article.")
    for t in threads:
        t.join()

    print("| 64 KB comment | status | answered in |")
    print("|---|---|---|")
    for name, status, ms in rows:
        print(f"| {name} | {status} | {ms:.0f} ms |")
    worst = max(ms for _, ms in results.values())
    print(f"| 8 of them at once (slowest) | {sorted({s for s, _ in results.values()})} | {worst:.0f} ms |")
    print(f"| bystander, alone | {base_status} | {base_ms:.0f} ms |")
    print(f"| bystander, during the 8 | {by_status} | {by_ms:.0f} ms |")
    slowest = max([ms for _, _, ms in rows] + [worst])
    ok = slowest < 200 and by_ms < 200 and all(s == 303 for _, s, _ in rows)
    print(f"\ntarget (every answer < 200 ms, all 303): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


sys.exit(main())
