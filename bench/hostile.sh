#!/usr/bin/env bash
# Hostile 64 KB comments against the release binary (issue 13): each answered within 200 ms,
# and a bystander's comment not held up by eight of them at once. Prints a Markdown table.
#
#   bash bench/hostile.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^MARGINALIA_' || true)

[[ "${BENCH_SKIP_BUILD:-0}" == 1 ]] || (cd "$REPO" && cargo build --release --locked >&2)
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export MARGINALIA_DATABASE__URL="$WORK/hostile.db"
export MARGINALIA_SERVER__BIND="127.0.0.1:$PORT"
export MARGINALIA_SERVER__BASE_URL="http://127.0.0.1:$PORT"
export MARGINALIA_COMMENTS__MODERATION=none
export MARGINALIA_COMMENTS__MIN_SUBMIT_SECONDS=0
export MARGINALIA_COMMENTS__FLOOD_SECONDS=0
export MARGINALIA_COMMENTS__RATE_LIMIT_PER_MINUTE=0
export MARGINALIA_COMMENTS__MAX_LINKS=0
export RUST_LOG=warn
"$TARGET_DIR/release/marginalia" serve --demo >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
python3 "$REPO/bench/hostile.py" "http://127.0.0.1:$PORT" does-smp-hair-treatment-treat-hair-loss
