#!/usr/bin/env bash
# marginalia benchmark: builds the release binary, creates two datasets (the demo site with
# 30 comments, and 10,000 articles with 100,000 comments), measures start-up, memory and
# throughput with wrk, measures nginx serving the same article HTML as a static file, and
# prints one table. See bench/README.md.
#
#   bash bench/run.sh
#
# Knobs (environment): BENCH_DURATION (seconds per scenario, default 10), BENCH_THREADS (wrk
# threads, default 2), BENCH_MAX_ERROR_PCT (default 1), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
# BENCH_OUT=FILE, BENCH_LARGE_POSTS, BENCH_LARGE_COMMENTS, CARGO_TARGET_DIR.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"

DURATION="${BENCH_DURATION:-10}"
DURATION="${DURATION%s}"
THREADS="${BENCH_THREADS:-2}"
MAX_ERROR_PCT="${BENCH_MAX_ERROR_PCT:-1}"
LARGE_POSTS="${BENCH_LARGE_POSTS:-10000}"
LARGE_COMMENTS="${BENCH_LARGE_COMMENTS:-100000}"
SEED_COMMENTS="${BENCH_SEED_COMMENTS:-30}"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
SEED_SLUG="does-smp-hair-treatment-treat-hair-loss"
LARGE_SLUG="large-article-00042"
LARGE_HOT_COMMENTS=40

for n in "$DURATION" "$THREADS" "$LARGE_POSTS" "$LARGE_COMMENTS" "$SEED_COMMENTS"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench: expected a whole number, got '$n'" >&2; exit 2; }
done

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Only the settings below reach the server: a stray MARGINALIA_* in the caller's shell would
# change what is measured.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^MARGINALIA_' || true)

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export PATH="$PATH:/usr/sbin:/sbin"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
command -v sqlite3 >/dev/null || missing+=(sqlite3) # optional, handy to inspect the datasets
if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt-get)"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null || die "$tool is still missing after apt-get install"
done

# ---------------------------------------------------------------------------------------------
# 2. Build
# ---------------------------------------------------------------------------------------------
BIN="$TARGET_DIR/release/marginalia"
if [[ -n "${BENCH_SKIP_BUILD:-}" ]]; then
    [[ -x "$BIN" ]] || die "BENCH_SKIP_BUILD is set but $BIN does not exist"
    log "using the existing $BIN (BENCH_SKIP_BUILD)"
else
    command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"
    log "cargo build --release --locked (target dir $TARGET_DIR)"
    (cd "$REPO" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --locked)
fi

# ---------------------------------------------------------------------------------------------
# Scratch space and clean-up
# ---------------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/marginalia-bench.XXXXXX")"
chmod 755 "$WORK" # nginx workers (nobody when started by root) read the static file here
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
: >"$RESULTS/scenarios.tsv"
: >"$RESULTS/metrics.env"

PIDS=()      # every background process this script started
SERVER_PID=""

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    local status=$?
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "${BENCH_KEEP:-}" ]]; then
        log "kept $WORK (databases, logs, raw wrk output in results/)"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() { # drops a process this script has already reaped from the clean-up list
    local keep=() pid
    for pid in "${PIDS[@]}"; do
        [[ "$pid" == "$1" ]] || keep+=("$pid")
    done
    PIDS=("${keep[@]}")
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now_ns() { date +%s%N; }

rss_kb() { # pid -> VmRSS in kB
    local key value _
    while read -r key value _; do
        if [[ "$key" == "VmRSS:" ]]; then echo "$value"; return 0; fi
    done <"/proc/$1/status"
    echo 0
}

metric() { echo "$1=$2" >>"$RESULTS/metrics.env"; }

# Environment of every marginalia process: the database, the address, every comment limit
# off, and warn-level logs (info logs one line per request).
marginalia_env() { # db port
    export MARGINALIA_DATABASE__URL="$1"
    export MARGINALIA_SERVER__BIND="127.0.0.1:$2"
    export MARGINALIA_SERVER__BASE_URL="http://127.0.0.1:$2"
    export MARGINALIA_SERVER__WORKERS=0
    export MARGINALIA_COMMENTS__MODERATION=none
    export MARGINALIA_COMMENTS__MIN_SUBMIT_SECONDS=0
    export MARGINALIA_COMMENTS__FLOOD_SECONDS=0
    export MARGINALIA_COMMENTS__RATE_LIMIT_PER_MINUTE=0
    export MARGINALIA_COMMENTS__MAX_LINKS=0
    export RUST_LOG=warn
}

marginalia_cli() { # db args... (one-shot commands; the port is irrelevant)
    local db="$1"
    shift
    (marginalia_env "$db" 1 && cd "$WORK" && "$BIN" "$@")
}

# Starts `marginalia serve` on DB; sets SERVER_PID and BASE; records start-up ms and idle RSS.
start_marginalia() { # site db
    local site="$1" db="$2" port t0 t1 code
    port="$(free_port)"
    BASE="http://127.0.0.1:$port"
    log "starting marginalia ($site dataset) on $BASE"
    t0="$(now_ns)"
    (marginalia_env "$db" "$port" && cd "$WORK" && exec "$BIN" serve) >"$WORK/marginalia-$site.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)"
        [[ "$code" == "200" ]] && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 20 "$WORK/marginalia-$site.log" >&2 || true
            die "marginalia ($site) exited before answering /healthz"
        fi
        if (($(now_ns) - t0 > 60000000000)); then
            tail -n 20 "$WORK/marginalia-$site.log" >&2 || true
            die "marginalia ($site) gave no 200 on /healthz within 60 s"
        fi
        sleep 0.002
    done
    t1="$(now_ns)"
    metric "startup_ms_$site" "$(((t1 - t0) / 1000000))"
    sleep 1
    metric "idle_rss_kb_$site" "$(rss_kb "$SERVER_PID")"
    log "  up in $(((t1 - t0) / 1000000)) ms, idle RSS $(rss_kb "$SERVER_PID") kB"
}

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    forget_pid "$SERVER_PID"
    SERVER_PID=""
}

# Highest VmRSS of PID, written to FILE every 100 ms until killed.
sample_rss() { # pid file
    set +e
    local max=0 value
    while kill -0 "$1" 2>/dev/null; do
        value="$(rss_kb "$1" 2>/dev/null)"
        if [[ -n "$value" ]] && ((value > max)); then
            max=$value
            echo "$max" >"$2"
        fi
        sleep 0.1
    done
}

# Fails early, with the answer, when a URL does not give the expected status.
expect_status() { # expected url
    local code
    code="$(curl -s -o "$WORK/last-response" -w '%{http_code}' "$2" || true)"
    if [[ "$code" != "$1" ]]; then
        head -c 2000 "$WORK/last-response" >&2 || true
        die "GET $2 answered $code, expected $1"
    fi
}

# One wrk run. Samples the server's RSS when it is marginalia.
run_wrk() { # id server label conns url [script]
    local id="$1" server="$2" label="$3" conns="$4" url="$5" script="${6:-$BENCH_DIR/report.lua}"
    local sampler=""
    printf '%s\t%s\t%s\t%s\n' "$id" "$server" "$label" "$conns" >>"$RESULTS/scenarios.tsv"
    log "wrk: $label, $server, c=$conns, ${DURATION}s"
    if [[ "$server" == "marginalia" ]]; then
        sample_rss "$SERVER_PID" "$RESULTS/$id.rss" &
        sampler=$!
        PIDS+=("$sampler")
    fi
    wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency -s "$script" "$url" \
        >"$RESULTS/$id.wrk" 2>&1 || log "  wrk exited with status $? (see $RESULTS/$id.wrk)"
    if [[ -n "$sampler" ]]; then
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        forget_pid "$sampler"
    fi
    grep -E 'Requests/sec|Non-2xx|Socket errors' "$RESULTS/$id.wrk" | sed 's/^/    /' >&2 || true
}

commit="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock migrations templates 2>/dev/null)" ]]; then
    commit="$commit+dirty"
fi
metric header_title "marginalia bench: commit $commit, $(nproc) cores, wrk $THREADS threads, ${DURATION} s per scenario, $(date -u '+%Y-%m-%d %H:%M UTC')"
metric header_details "seed = demo site, article with $SEED_COMMENTS comments; large = $LARGE_POSTS articles, $LARGE_COMMENTS comments, $LARGE_SLUG with $LARGE_HOT_COMMENTS"

# ---------------------------------------------------------------------------------------------
# 3. Datasets
# ---------------------------------------------------------------------------------------------
SEED_DB="$WORK/seed.db"
LARGE_DB="$WORK/large.db"
log "seed dataset: migrate, import content/demo/*.md, $SEED_COMMENTS comments on $SEED_SLUG"
marginalia_cli "$SEED_DB" migrate >/dev/null
marginalia_cli "$SEED_DB" post import "$REPO"/content/demo/*.md >/dev/null
python3 "$BENCH_DIR/gen_large.py" comments --db "$SEED_DB" --slug "$SEED_SLUG" --count "$SEED_COMMENTS" >&2

log "large dataset: $LARGE_POSTS articles, $LARGE_COMMENTS comments"
marginalia_cli "$LARGE_DB" migrate >/dev/null
python3 "$BENCH_DIR/gen_large.py" large --db "$LARGE_DB" --posts "$LARGE_POSTS" --comments "$LARGE_COMMENTS" \
    --hot-slug "$LARGE_SLUG" --hot-comments "$LARGE_HOT_COMMENTS" >&2

# ---------------------------------------------------------------------------------------------
# 4-5. marginalia on the seed site
# ---------------------------------------------------------------------------------------------
start_marginalia seed "$SEED_DB"
ARTICLE_URL="$BASE/posts/$SEED_SLUG"
expect_status 200 "$ARTICLE_URL"
expect_status 200 "$BASE/"
expect_status 200 "$BASE/feed.xml"

# The very page wrk will get (no cookies), kept for nginx before any comment is posted.
mkdir -p "$WORK/www/posts"
curl -s -o "$WORK/www/posts/$SEED_SLUG" "$ARTICLE_URL"
chmod -R a+rX "$WORK/www"

run_wrk seed-article-c16 marginalia "GET article (seed)" 16 "$ARTICLE_URL"
run_wrk seed-article-c64 marginalia "GET article (seed)" 64 "$ARTICLE_URL"
run_wrk seed-index-c16 marginalia "GET / (seed)" 16 "$BASE/"
run_wrk seed-feed-c16 marginalia "GET /feed.xml (seed)" 16 "$BASE/feed.xml"

# The form token, scraped once; wrk's script uses it for every request.
FORM_TOKEN="$(curl -s "$ARTICLE_URL" | python3 -c '
import html, re, sys
m = re.search(r"name=\"form_token\" value=\"([^\"]*)\"", sys.stdin.read())
print(html.unescape(m.group(1)) if m else "")')"
[[ -n "$FORM_TOKEN" ]] || die "no form_token input on $ARTICLE_URL"
export BENCH_FORM_TOKEN="$FORM_TOKEN"
BENCH_RUN_ID="$$-$(date +%s)"
export BENCH_RUN_ID
export BENCH_LUA_DIR="$BENCH_DIR"
code="$(curl -s -o "$WORK/last-response" -w '%{http_code}' \
    --data-urlencode "author=Bench Preflight" --data-urlencode "email=preflight@example.org" \
    --data-urlencode "url=" --data-urlencode "comment=Preflight comment $BENCH_RUN_ID" \
    --data-urlencode "comment_parent=0" --data-urlencode "form_token=$FORM_TOKEN" \
    --data-urlencode "marginalia_hp=" "$ARTICLE_URL/comments" || true)"
[[ "$code" == "303" ]] || log "WARNING: a preflight comment POST answered $code, not 303; the POST scenario will show errors"
run_wrk seed-comment-c16 marginalia "POST comment (seed)" 16 "$ARTICLE_URL/comments" "$BENCH_DIR/post_comment.lua"
stop_server

# ---------------------------------------------------------------------------------------------
# 5 (cont.). marginalia on the large site
# ---------------------------------------------------------------------------------------------
start_marginalia large "$LARGE_DB"
expect_status 200 "$BASE/posts/$LARGE_SLUG"
expect_status 200 "$BASE/"
run_wrk large-article-c16 marginalia "GET article (large)" 16 "$BASE/posts/$LARGE_SLUG"
run_wrk large-index-c16 marginalia "GET / (large)" 16 "$BASE/"
stop_server

# ---------------------------------------------------------------------------------------------
# 6. nginx serving the same article HTML as a static file (the physical reference)
# ---------------------------------------------------------------------------------------------
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type text/html;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
    }
}
EOF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx.conf" >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGINX_URL="http://127.0.0.1:$NGINX_PORT/posts/$SEED_SLUG"
for _ in $(seq 1 500); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$NGINX_URL" || true)" == "200" ]] && break
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx/error.log" >&2 || true; die "nginx exited"; }
    sleep 0.02
done
expect_status 200 "$NGINX_URL"
run_wrk nginx-article-c16 nginx "GET article (static copy)" 16 "$NGINX_URL"
run_wrk nginx-article-c64 nginx "GET article (static copy)" 64 "$NGINX_URL"
kill "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
forget_pid "$NGINX_PID"

# ---------------------------------------------------------------------------------------------
# 7. The table
# ---------------------------------------------------------------------------------------------
status=0
table="$(python3 "$BENCH_DIR/summarize.py" "$RESULTS" --max-error-pct "$MAX_ERROR_PCT")" || status=$?
echo
echo "$table"
if [[ -n "${BENCH_OUT:-}" ]]; then
    echo "$table" >"$BENCH_OUT"
fi
exit "$status"
