#!/usr/bin/env bash
# marginalia benchmark: builds the release binary (unless told not to), creates two sites (the
# demo site with 30 comments, and a big site imported with `marginalia import wxr` from a
# generated WordPress export of 10,000 posts and 100,000 comments), measures start-up, memory,
# page throughput with wrk (page cache off and on), sitemap generation time and comment POSTs,
# measures nginx serving the same article HTML as a static file, then the demo site scaled out
# (two instances on PostgreSQL behind an nginx upstream, beside one SQLite instance behind the
# same nginx), prints the tables with the targets and writes every figure to
# target/bench/summary.json. See bench/README.md.
#
#   bash bench/run.sh
#
# Knobs (environment): BENCH_DURATION (seconds per scenario, default 10), BENCH_THREADS (wrk
# threads, default 2), BENCH_MAX_ERROR_PCT (default 1), BENCH_BIN=PATH (use this binary, no
# build), BENCH_SKIP_BUILD=1, CARGO_TARGET_DIR, BENCH_KEEP=1, BENCH_OUT=FILE (table),
# BENCH_SUMMARY=FILE (JSON, default target/bench/summary.json), BENCH_WXR_FILE=PATH (keep the
# generated export there; generated only if missing), BENCH_LARGE_POSTS, BENCH_LARGE_COMMENTS,
# BENCH_LARGE_HOT_COMMENTS, BENCH_SEED_COMMENTS, BENCH_SITEMAP_TRIES, BENCH_WARMUP (seconds of a
# discarded wrk run before each measured page run, default 2; 0 for none), BENCH_SKIP_PG=1 (no
# PostgreSQL rows).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"

DURATION="${BENCH_DURATION:-10}"
DURATION="${DURATION%s}"
WARMUP="${BENCH_WARMUP:-2}"
THREADS="${BENCH_THREADS:-2}"
MAX_ERROR_PCT="${BENCH_MAX_ERROR_PCT:-1}"
LARGE_POSTS="${BENCH_LARGE_POSTS:-10000}"
LARGE_COMMENTS="${BENCH_LARGE_COMMENTS:-100000}"
# One post takes 7.5% of all comments: ~6,000 approved of 7,500 for the default 100,000.
LARGE_HOT_COMMENTS="${BENCH_LARGE_HOT_COMMENTS:-$((LARGE_COMMENTS * 3 / 40))}"
SEED_COMMENTS="${BENCH_SEED_COMMENTS:-30}"
SITEMAP_TRIES="${BENCH_SITEMAP_TRIES:-5}"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
SUMMARY_JSON="${BENCH_SUMMARY:-$REPO/target/bench/summary.json}"
SEED_SLUG="does-smp-hair-treatment-treat-hair-loss"
PER_PAGE=10
# The skew of the generated export (bench/wxr/gen_wxr.py): the biggest tag on ~25% of the
# posts, ~20% of the comments replies.
WXR_TAG_ZIPF=0.85
WXR_REPLY_PROB=0.25
WXR_SEED=42

for n in "$DURATION" "$THREADS" "$LARGE_POSTS" "$LARGE_COMMENTS" "$LARGE_HOT_COMMENTS" "$SEED_COMMENTS" "$SITEMAP_TRIES"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench: expected a whole number, got '$n'" >&2; exit 2; }
done
((LARGE_HOT_COMMENTS <= LARGE_COMMENTS)) || { echo "bench: BENCH_LARGE_HOT_COMMENTS > BENCH_LARGE_COMMENTS" >&2; exit 2; }
((SITEMAP_TRIES >= 1)) || { echo "bench: BENCH_SITEMAP_TRIES must be at least 1" >&2; exit 2; }

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
pg_bin() { find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname; }
if [[ -z "${BENCH_SKIP_PG:-}" ]]; then
    [[ -n "$(pg_bin)" ]] || missing+=(postgresql)
    command -v setpriv >/dev/null || missing+=(util-linux)
fi
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
# 2. Build (or BENCH_BIN)
# ---------------------------------------------------------------------------------------------
if [[ -n "${BENCH_BIN:-}" ]]; then
    BIN="$(cd "$(dirname "$BENCH_BIN")" && pwd)/$(basename "$BENCH_BIN")"
    [[ -x "$BIN" ]] || die "BENCH_BIN=$BENCH_BIN is not an executable file"
    log "using $BIN (BENCH_BIN; no build)"
else
    BIN="$TARGET_DIR/release/marginalia"
    if [[ -n "${BENCH_SKIP_BUILD:-}" ]]; then
        [[ -x "$BIN" ]] || die "BENCH_SKIP_BUILD is set but $BIN does not exist"
        log "using the existing $BIN (BENCH_SKIP_BUILD)"
    else
        command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"
        log "cargo build --release --locked (target dir $TARGET_DIR)"
        (cd "$REPO" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --locked)
    fi
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
NGINX_PID=""

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

# Page cache: `cold` servers run with MARGINALIA_CACHE__ENABLED=false, when the binary knows
# that setting (set by the probe below); a binary without a page cache rejects it as unknown.
CACHE_TOGGLE=0

# Environment of every marginalia process: the database, the address, every comment limit
# off, warn-level logs (info logs one line per request), and for MODE=cold the page cache off.
marginalia_env() { # db port [mode]
    export MARGINALIA_DATABASE__URL="$1"
    export MARGINALIA_SERVER__BIND="127.0.0.1:$2"
    export MARGINALIA_SERVER__BASE_URL="http://127.0.0.1:$2"
    export MARGINALIA_SERVER__WORKERS=0
    export MARGINALIA_SITE__PER_PAGE="$PER_PAGE"
    export MARGINALIA_COMMENTS__MODERATION=none
    export MARGINALIA_COMMENTS__MIN_SUBMIT_SECONDS=0
    export MARGINALIA_COMMENTS__FLOOD_SECONDS=0
    export MARGINALIA_COMMENTS__RATE_LIMIT_PER_MINUTE=0
    export MARGINALIA_COMMENTS__MAX_LINKS=0
    export MARGINALIA_METRICS__BIND="" # several instances at once
    # A site's first start backs it up (the 24-hourly backup): not what is measured here.
    export MARGINALIA_BACKUP__EVERY_HOURS=0
    if [[ "${3:-warm}" == "cold" && "$CACHE_TOGGLE" == 1 ]]; then
        export MARGINALIA_CACHE__ENABLED=false
    fi
    export RUST_LOG=warn
}

marginalia_cli() { # db args... (one-shot commands; the port is irrelevant)
    local db="$1"
    shift
    (marginalia_env "$db" 1 && cd "$WORK" && "$BIN" "$@")
}

# Starts `marginalia serve` on DB; sets SERVER_PID, SERVER_NAME and BASE; records start-up ms
# and idle RSS under NAME (small-cold, big-warm, ...).
start_marginalia() { # name db mode
    local name="$1" db="$2" mode="$3" port t0 t1 code
    port="$(free_port)"
    BASE="http://127.0.0.1:$port"
    SERVER_NAME="$name"
    log "starting marginalia ($name) on $BASE"
    t0="$(now_ns)"
    (marginalia_env "$db" "$port" "$mode" && cd "$WORK" && exec "$BIN" serve) >"$WORK/marginalia-$name.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)"
        [[ "$code" == "200" ]] && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 20 "$WORK/marginalia-$name.log" >&2 || true
            die "marginalia ($name) exited before answering /healthz"
        fi
        if (($(now_ns) - t0 > 60000000000)); then
            tail -n 20 "$WORK/marginalia-$name.log" >&2 || true
            die "marginalia ($name) gave no 200 on /healthz within 60 s"
        fi
        sleep 0.002
    done
    t1="$(now_ns)"
    metric "startup_ms_$name" "$(((t1 - t0) / 1000000))"
    sleep 1
    metric "idle_rss_kb_$name" "$(rss_kb "$SERVER_PID")"
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

# One wrk run against BASE (or nginx). Samples the server's RSS when it is marginalia.
#   id: unique name; site: small|big; mode: cold|warm|static; page: the page's key (article,
#   hot, tag, tagdeep, category, front, sitemap, comment); conns; path (with query); script.
run_wrk() { # id server site mode page conns base path [script]
    local id="$1" server="$2" site="$3" mode="$4" page="$5" conns="$6" base="$7" path="$8"
    local script="${9:-$BENCH_DIR/report.lua}" sampler=""
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$server" "$site" "$mode" "$page" "$conns" "$path" \
        >>"$RESULTS/scenarios.tsv"
    log "wrk: $site $page ($mode, $server) $path, c=$conns, ${DURATION}s"
    if [[ "$server" == "marginalia" ]]; then
        sample_rss "$SERVER_PID" "$RESULTS/$id.rss" &
        sampler=$!
        PIDS+=("$sampler")
    fi
    if [[ "$page" != "comment" && "$WARMUP" != "0" ]]; then
        # Discarded: connections, the allocator and the CPU settle before the measured run.
        wrk -t"$THREADS" -c"$conns" -d"${WARMUP}s" --timeout 10s "$base$path" >/dev/null 2>&1 || true
    fi
    wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency -s "$script" "$base$path" \
        >"$RESULTS/$id.wrk" 2>&1 || log "  wrk exited with status $? (see $RESULTS/$id.wrk)"
    if [[ -n "$sampler" ]]; then
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        forget_pid "$sampler"
    fi
    grep -E 'Requests/sec|Non-2xx|Socket errors|BENCH_RESULT.*accepted' "$RESULTS/$id.wrk" \
        | sed -e 's/^BENCH_RESULT .*"accepted":\([0-9]*\).*/accepted (303): \1/' -e 's/^/    /' >&2 || true
}

commit="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock migrations templates 2>/dev/null)" ]]; then
    commit="$commit+dirty"
fi
metric header_title "marginalia bench: commit $commit, $(nproc) cores, wrk $THREADS threads, ${DURATION} s per scenario, $(date -u '+%Y-%m-%d %H:%M UTC')"
metric binary "$BIN"
metric duration_s "$DURATION"
metric threads "$THREADS"
metric commit "$commit"

# ---------------------------------------------------------------------------------------------
# 3. Does the binary have a page cache to turn off?
# ---------------------------------------------------------------------------------------------
if (marginalia_env "$WORK/probe.db" 1 && cd "$WORK" && MARGINALIA_CACHE__ENABLED=false "$BIN" migrate) \
    >"$WORK/cache-probe.log" 2>&1; then
    CACHE_TOGGLE=1
    log "the binary knows cache.enabled: cold runs set MARGINALIA_CACHE__ENABLED=false"
else
    log "WARNING: binary has no page cache (it refuses MARGINALIA_CACHE__ENABLED=false, see results/cache-probe.log); cold = warm"
fi
cp "$WORK/cache-probe.log" "$RESULTS/cache-probe.log"
rm -f "$WORK"/probe.db*
metric cache_toggle "$CACHE_TOGGLE"

# ---------------------------------------------------------------------------------------------
# 4. Datasets
# ---------------------------------------------------------------------------------------------
SEED_DB="$WORK/seed.db"
BIG_DB="$WORK/big.db"
log "small site: migrate, import content/demo/*.md, $SEED_COMMENTS comments on $SEED_SLUG"
marginalia_cli "$SEED_DB" migrate >/dev/null
marginalia_cli "$SEED_DB" post import "$REPO"/content/demo/*.md >/dev/null
python3 "$BENCH_DIR/gen_large.py" comments --db "$SEED_DB" --slug "$SEED_SLUG" --count "$SEED_COMMENTS" >&2

# The export: generated by gen_wxr.py, or reused from BENCH_WXR_FILE when that exists. A
# FILE.args next to it records how it was made; a file made with other settings is remade.
WXR_ARGS="--posts $LARGE_POSTS --comments $LARGE_COMMENTS --hot-post-comments $LARGE_HOT_COMMENTS --tag-zipf $WXR_TAG_ZIPF --reply-prob $WXR_REPLY_PROB --seed $WXR_SEED"
WXR_ARGS_ID="$WXR_ARGS gen_wxr.py=$(cksum <"$BENCH_DIR/wxr/gen_wxr.py" | cut -d' ' -f1)"
WXR="${BENCH_WXR_FILE:-$WORK/big.xml}"
if [[ -s "$WXR" && -f "$WXR.args" && "$(cat "$WXR.args")" != "$WXR_ARGS_ID" ]]; then
    log "$WXR was generated with other settings ($(cat "$WXR.args")): generating it again"
    rm -f "$WXR" "$WXR.args"
fi
if [[ -s "$WXR" ]]; then
    [[ -f "$WXR.args" ]] || log "WARNING: $WXR has no $WXR.args: using it as it is (not checked against $WXR_ARGS)"
    log "big site export: using the existing $WXR (delete it to generate again)"
else
    mkdir -p "$(dirname "$WXR")"
    log "big site export: gen_wxr.py $WXR_ARGS -> $WXR"
    # shellcheck disable=SC2086 # WXR_ARGS is a list of plain words
    python3 "$BENCH_DIR/wxr/gen_wxr.py" $WXR_ARGS --out "$WXR.tmp" --summary "$WORK/wxr-summary.json" \
        || die "gen_wxr.py failed"
    mv "$WXR.tmp" "$WXR"
    echo "$WXR_ARGS_ID" >"$WXR.args"
    log "  generated: $(cat "$WORK/wxr-summary.json")"
fi

log "big site: migrate, marginalia import wxr $WXR (takes a minute or two)"
marginalia_cli "$BIG_DB" migrate >/dev/null
t0="$(now_ns)"
if ! marginalia_cli "$BIG_DB" import wxr "$WXR" >"$WORK/import.log" 2>&1; then
    tail -n 30 "$WORK/import.log" >&2 || true
    die "marginalia import wxr failed (log above; BENCH_KEEP=1 keeps $WORK/import.log)"
fi
t1="$(now_ns)"
metric import_s "$(python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1e9:.1f}")' "$((t1 - t0))")"
log "  imported in $(((t1 - t0) / 1000000)) ms"
cp "$WORK/import.log" "$RESULTS/import.log"

python3 "$BENCH_DIR/pick_pages.py" "$BIG_DB" --per-page "$PER_PAGE" >"$RESULTS/pages.tsv" \
    || die "could not pick the big site's pages from $BIG_DB"
pick() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$RESULTS/pages.tsv"; }
while IFS=$'\t' read -r key value; do metric "big_$key" "$value"; done <"$RESULTS/pages.tsv"
log "  big site: $(pick articles) articles, $(pick approved_comments) approved comments ($(pick replies) replies);" \
    "top tag $(pick tag_slug) on $(pick tag_posts) articles ($(pick top_tag_share)); hot post $(pick hot_slug) with $(pick hot_comments) comments"
# The big site's pages: key -> path.
declare -A BIG_PATH=(
    [article]="/posts/$(pick article_slug)"
    [hot]="/posts/$(pick hot_slug)"
    [tag]="/tag/$(pick tag_slug)"
    [tagdeep]="/tag/$(pick tag_slug)?page=$(pick tag_last_page)"
    [category]="/category/$(pick category_slug)"
    [front]="/"
    [sitemap]="/sitemap.xml"
)
BIG_PAGES=(article hot tag tagdeep category front sitemap)
metric header_details "small = demo site, article with $SEED_COMMENTS comments; big = WXR import: $(pick articles) articles, $(pick approved_comments) approved comments ($(pick replies) replies), imported in $(grep '^import_s=' "$RESULTS/metrics.env" | cut -d= -f2) s"

# The same small site twice more, before any comment is posted to it: in a PostgreSQL server of
# the bench's own (for two instances) and in a second SQLite file (one instance behind the same
# nginx, the fair comparison), both made by `marginalia db copy`.
PG_URL=""
if [[ -z "${BENCH_SKIP_PG:-}" ]]; then
    PG_BIN="$(pg_bin)"
    [[ -n "$PG_BIN" ]] || die "PostgreSQL's initdb not found under /usr/lib/postgresql (BENCH_SKIP_PG=1 skips)"
    PG_DIR="$WORK/pg"
    mkdir -p "$PG_DIR"
    AS_PG=()
    if [[ $(id -u) -eq 0 ]]; then # initdb refuses root: the server runs as the postgres user
        chown postgres:postgres "$PG_DIR"
        AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups)
    fi
    log "PostgreSQL: initdb and start ($PG_BIN)"
    "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
        >"$WORK/pg-initdb.log" 2>&1 || { cat "$WORK/pg-initdb.log" >&2; die "initdb failed"; }
    PG_PORT="$(free_port)"
    "${AS_PG[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR" \
        -c listen_addresses=127.0.0.1 >"$WORK/pg.log" 2>&1 &
    PG_PID=$!
    PIDS+=("$PG_PID")
    for _ in $(seq 1 300); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
        kill -0 "$PG_PID" 2>/dev/null || { tail -n 20 "$WORK/pg.log" >&2; die "PostgreSQL exited"; }
        sleep 0.1
    done
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench || die "createdb failed"
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/bench"
    log "small site -> PostgreSQL and -> a second SQLite file: marginalia db copy"
    t0="$(now_ns)"
    marginalia_cli "$SEED_DB" db copy --from "$SEED_DB" --to "$PG_URL" >"$RESULTS/db-copy.log" 2>&1 \
        || { cat "$RESULTS/db-copy.log" >&2; die "db copy to PostgreSQL failed"; }
    metric pg_copy_ms "$((($(now_ns) - t0) / 1000000))"
    marginalia_cli "$SEED_DB" db copy --from "$SEED_DB" --to "$WORK/seed-lb.db" >>"$RESULTS/db-copy.log" 2>&1 \
        || { cat "$RESULTS/db-copy.log" >&2; die "db copy to SQLite failed"; }
    metric pg_version "$("$PG_BIN/postgres" --version | awk '{print $3}')"
fi

# ---------------------------------------------------------------------------------------------
# 5. Small site: cache off (c=16), then cache on (c=64 against nginx, c=16), then comment POSTs
# ---------------------------------------------------------------------------------------------
start_marginalia small-cold "$SEED_DB" cold
ARTICLE_PATH="/posts/$SEED_SLUG"
expect_status 200 "$BASE$ARTICLE_PATH"
run_wrk small-cold-article-c16 marginalia small cold article 16 "$BASE" "$ARTICLE_PATH"
stop_server

start_marginalia small-warm "$SEED_DB" warm
expect_status 200 "$BASE$ARTICLE_PATH"
expect_status 200 "$BASE/"
# The very page wrk will get (no cookies), kept for nginx before any comment is posted.
mkdir -p "$WORK/www/posts"
curl -s -o "$WORK/www$ARTICLE_PATH" "$BASE$ARTICLE_PATH"
chmod -R a+rX "$WORK/www"

# nginx serving the same article HTML as a static file (the physical reference), measured
# right before marginalia's cache-hit run so both see the same machine load.
NGINX_PORT="$(free_port)"
NGINX_BASE="http://127.0.0.1:$NGINX_PORT"
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
# Starts nginx on NGINX_BASE serving $WORK/www; waits until PATH answers 200.
start_nginx() { # path
    log "starting nginx on $NGINX_BASE"
    nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx.conf" >"$WORK/nginx/stdout.log" 2>&1 &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    for _ in $(seq 1 500); do
        [[ "$(curl -s -o /dev/null -w '%{http_code}' "$NGINX_BASE$1" || true)" == "200" ]] && break
        kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx/error.log" >&2 || true; die "nginx exited"; }
        sleep 0.02
    done
    expect_status 200 "$NGINX_BASE$1"
}

stop_nginx() {
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    forget_pid "$NGINX_PID"
}

start_nginx "$ARTICLE_PATH"
run_wrk nginx-article-c64 nginx small static article 64 "$NGINX_BASE" "$ARTICLE_PATH"
stop_nginx

run_wrk small-warm-article-c64 marginalia small warm article 64 "$BASE" "$ARTICLE_PATH"
run_wrk small-warm-article-c16 marginalia small warm article 16 "$BASE" "$ARTICLE_PATH"

# The form token, scraped once per site; wrk's script uses it for every request. A preflight
# POST checks that comments are taken.
prepare_posts() { # base
    local token code
    token="$(curl -s "$1$ARTICLE_PATH" | python3 -c '
import html, re, sys
m = re.search(r"name=\"form_token\" value=\"([^\"]*)\"", sys.stdin.read())
print(html.unescape(m.group(1)) if m else "")')"
    [[ -n "$token" ]] || die "no form_token input on $1$ARTICLE_PATH"
    export BENCH_FORM_TOKEN="$token"
    BENCH_RUN_ID="$$-$(date +%s%N)"
    export BENCH_RUN_ID
    export BENCH_LUA_DIR="$BENCH_DIR"
    code="$(curl -s -o "$WORK/last-response" -w '%{http_code}' \
        --data-urlencode "author=Bench Preflight" --data-urlencode "email=preflight@example.org" \
        --data-urlencode "url=" --data-urlencode "comment=Preflight comment $BENCH_RUN_ID" \
        --data-urlencode "comment_parent=0" --data-urlencode "form_token=$token" \
        --data-urlencode "marginalia_hp=" "$1$ARTICLE_PATH/comments" || true)"
    [[ "$code" == "303" ]] || log "WARNING: a preflight comment POST answered $code, not 303; the POST scenario will show errors"
}
prepare_posts "$BASE"
run_wrk small-warm-comment-c32 marginalia small warm comment 32 "$BASE" "$ARTICLE_PATH/comments" "$BENCH_DIR/post_comment.lua"
stop_server
# The disk alone, on the database's filesystem: its slowest fsyncs bound the POST p99 from below.
log "disk: 8 KB append + fsync in a loop for ${DURATION} s (no server running)"
python3 "$BENCH_DIR/fsync_probe.py" "$WORK/fsync-probe.bin" "$DURATION" >>"$RESULTS/metrics.env"

# ---------------------------------------------------------------------------------------------
# 5b. Scaling out: the small site through an nginx upstream, one SQLite instance, then two
#     instances on PostgreSQL (cache off, cache hit, comment POSTs landing on both)
# ---------------------------------------------------------------------------------------------
LB_PIDS=()
LB_NGINX_PID=""
# COUNT instances of marginalia on DB and nginx in front of them; sets LB_BASE.
start_lb() { # name db mode count
    local i upstream=""
    LB_PIDS=()
    for i in $(seq 1 "$4"); do
        start_marginalia "$1-$i" "$2" "$3"
        LB_PIDS+=("$SERVER_PID")
        upstream+="        server ${BASE#http://};"$'\n'
    done
    SERVER_PID=""
    LB_PORT="$(free_port)"
    LB_BASE="http://127.0.0.1:$LB_PORT"
    mkdir -p "$WORK/lb"
    cat >"$WORK/lb.conf" <<NGINX
worker_processes auto;
daemon off;
pid $WORK/lb/nginx.pid;
error_log $WORK/lb/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/lb/body;
    proxy_temp_path $WORK/lb/proxy;
    fastcgi_temp_path $WORK/lb/fastcgi;
    uwsgi_temp_path $WORK/lb/uwsgi;
    scgi_temp_path $WORK/lb/scgi;
    upstream marginalia {
$upstream        keepalive 64;
    }
    server {
        listen 127.0.0.1:$LB_PORT;
        location / {
            proxy_pass http://marginalia;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
        }
    }
}
NGINX
    log "starting nginx upstream on $LB_BASE in front of $4 instance(s)"
    nginx -e "$WORK/lb/error.log" -p "$WORK/lb" -c "$WORK/lb.conf" >"$WORK/lb/stdout.log" 2>&1 &
    LB_NGINX_PID=$!
    PIDS+=("$LB_NGINX_PID")
    for _ in $(seq 1 500); do
        [[ "$(curl -s -o /dev/null -w '%{http_code}' "$LB_BASE/healthz" || true)" == "200" ]] && break
        kill -0 "$LB_NGINX_PID" 2>/dev/null || { cat "$WORK/lb/error.log" >&2 || true; die "nginx (upstream) exited"; }
        sleep 0.02
    done
    expect_status 200 "$LB_BASE$ARTICLE_PATH"
}

stop_lb() {
    local pid
    for pid in "$LB_NGINX_PID" "${LB_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        forget_pid "$pid"
    done
    LB_PIDS=()
}

if [[ -n "$PG_URL" ]]; then
    for setup in "sqlite1 $WORK/seed-lb.db 1" "pg2 $PG_URL 2"; do
        read -r lb_name lb_db lb_count <<<"$setup"
        start_lb "lb-$lb_name-cold" "$lb_db" cold "$lb_count"
        run_wrk "lb-$lb_name-cold-article-c16" lb small cold article 16 "$LB_BASE" "$ARTICLE_PATH"
        stop_lb
        start_lb "lb-$lb_name-warm" "$lb_db" warm "$lb_count"
        run_wrk "lb-$lb_name-warm-article-c64" lb small warm article 64 "$LB_BASE" "$ARTICLE_PATH"
        prepare_posts "$LB_BASE"
        run_wrk "lb-$lb_name-warm-comment-c32" lb small warm comment 32 "$LB_BASE" "$ARTICLE_PATH/comments" \
            "$BENCH_DIR/post_comment.lua"
        stop_lb
    done
fi

# ---------------------------------------------------------------------------------------------
# 6. Big site: cache off (sitemap generation time, then every page), then cache on
# ---------------------------------------------------------------------------------------------
start_marginalia big-cold "$BIG_DB" cold
for page in "${BIG_PAGES[@]}"; do expect_status 200 "$BASE${BIG_PATH[$page]}"; done
log "sitemap generation (cache off): /sitemap.xml and every child sitemap it lists, median of $SITEMAP_TRIES"
python3 "$BENCH_DIR/sitemap_time.py" "$BASE" --tries "$SITEMAP_TRIES" --out "$RESULTS/sitemap.json" >/dev/null \
    || die "the sitemap check failed (see above)"
for page in "${BIG_PAGES[@]}"; do
    run_wrk "big-cold-$page-c16" marginalia big cold "$page" 16 "$BASE" "${BIG_PATH[$page]}"
done
stop_server

start_marginalia big-warm "$BIG_DB" warm
for page in "${BIG_PAGES[@]}"; do expect_status 200 "$BASE${BIG_PATH[$page]}"; done
# The most-commented post is the biggest page: nginx serving its very bytes from a file shows
# what the machine does at that size (a cache hit costs per byte as well as per request).
curl -s -o "$WORK/www${BIG_PATH[hot]}" "$BASE${BIG_PATH[hot]}"
chmod -R a+rX "$WORK/www"
start_nginx "${BIG_PATH[hot]}"
run_wrk nginx-hot-c16 nginx big static hot 16 "$NGINX_BASE" "${BIG_PATH[hot]}"
stop_nginx
for page in "${BIG_PAGES[@]}"; do
    run_wrk "big-warm-$page-c16" marginalia big warm "$page" 16 "$BASE" "${BIG_PATH[$page]}"
done
stop_server

# ---------------------------------------------------------------------------------------------
# 7. The table and summary.json
# ---------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$SUMMARY_JSON")"
status=0
table="$(python3 "$BENCH_DIR/summarize.py" "$RESULTS" --max-error-pct "$MAX_ERROR_PCT" --json "$SUMMARY_JSON")" || status=$?
echo
echo "$table"
if [[ -n "${BENCH_OUT:-}" ]]; then
    echo "$table" >"$BENCH_OUT"
fi
log "every figure and each target's pass/fail: $SUMMARY_JSON"
exit "$status"
