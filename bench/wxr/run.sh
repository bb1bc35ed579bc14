#!/usr/bin/env bash
# WXR import/export bench: builds the release binary, generates a 10,000-post / 100,000-comment
# WordPress export (gen_wxr.py), then times with /usr/bin/time:
#   1. marginalia import wxr FILE            (fresh database)
#   2. marginalia import wxr FILE            (same database again: should be a no-op)
#   3. marginalia export wxr --output OUT    (from that database)
#   4. marginalia import wxr OUT             (into a second fresh database)
# and prints one table. See bench/wxr/README.md.
#
#   bash bench/wxr/run.sh
#
# Knobs (environment): WXR_POSTS (default 10000), WXR_COMMENTS (default 100000), WXR_FILE
# (use/keep the generated export at this path; generated only if missing), WXR_SKIP_BUILD=1,
# WXR_KEEP=1 (keep the temporary directory), CARGO_TARGET_DIR.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
POSTS="${WXR_POSTS:-10000}"
COMMENTS="${WXR_COMMENTS:-100000}"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
BIN="$TARGET_DIR/release/marginalia"

for n in "$POSTS" "$COMMENTS"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "wxr bench: expected a whole number, got '$n'" >&2; exit 2; }
done

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'wxr bench: %s\n' "$*" >&2; exit 1; }

# Nothing from the caller's shell may change what is measured: only the database URL is set.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^MARGINALIA_' || true)
export RUST_LOG="${RUST_LOG:-warn}"

command -v python3 >/dev/null || die "python3 is required (to generate the export)"
TIME_BIN=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true >/dev/null 2>&1; then
    TIME_BIN=/usr/bin/time
else
    log "/usr/bin/time (GNU time) not found: wall time only, peak RSS shown as n/a (install the 'time' package for RSS)"
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/marginalia-wxr-bench.XXXXXX")"
cleanup() {
    if [[ "${WXR_KEEP:-0}" == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
if [[ "${WXR_SKIP_BUILD:-0}" != 1 ]]; then
    command -v cargo >/dev/null || die "cargo not found (install Rust, or set WXR_SKIP_BUILD=1 with a built binary)"
    log "cargo build --release --locked"
    (cd "$REPO" && cargo build --release --locked)
fi
[[ -x "$BIN" ]] || die "$BIN is missing (build failed or WXR_SKIP_BUILD=1 without a build)"

# ---------------------------------------------------------------------------------------------
# Export file
# ---------------------------------------------------------------------------------------------
WXR="${WXR_FILE:-$TMP/wp-${POSTS}-${COMMENTS}.xml}"
if [[ -s "$WXR" ]]; then
    log "using existing $WXR"
else
    log "generating $WXR ($POSTS posts, $COMMENTS comments)"
    python3 "$BENCH_DIR/gen_wxr.py" --posts "$POSTS" --comments "$COMMENTS" --out "$WXR" \
        --summary "$TMP/summary.json" || die "gen_wxr.py failed"
    log "generated: $(cat "$TMP/summary.json")"
fi

# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------
ROWS=()
human_size() { python3 -c 'import sys; print("%.1f MB" % (int(sys.argv[1]) / 1e6))' "$1"; }

# measure LABEL DB COMMAND...: runs COMMAND with MARGINALIA_DATABASE__URL=DB, keeps its output in
# $TMP/<n>.out/.err, appends "LABEL|seconds|peak RSS" to ROWS, dies if it fails.
n=0
measure() {
    local label="$1" db="$2"
    shift 2
    n=$((n + 1))
    local out="$TMP/$n.out" err="$TMP/$n.err" tf="$TMP/$n.time" status=0 secs rss
    log "$label"
    if [[ -n "$TIME_BIN" ]]; then
        MARGINALIA_DATABASE__URL="$db" "$TIME_BIN" -o "$tf" -f '%e %M' "$@" >"$out" 2>"$err" || status=$?
    else
        local t0 t1
        t0=$(date +%s.%N)
        MARGINALIA_DATABASE__URL="$db" "$@" >"$out" 2>"$err" || status=$?
        t1=$(date +%s.%N)
        echo "$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$t0" "$t1") -" >"$tf"
    fi
    if ((status != 0)); then
        echo "---- stdout" >&2; tail -n 20 "$out" >&2
        echo "---- stderr" >&2; tail -n 20 "$err" >&2
        die "'$label' failed with exit status $status"
    fi
    read -r secs rss < <(tail -n 1 "$tf")
    if [[ "$rss" =~ ^[0-9]+$ ]]; then
        rss="$(python3 -c 'import sys; print("%.1f MB" % (int(sys.argv[1]) / 1024))' "$rss")"
    else
        rss="n/a"
    fi
    ROWS+=("$label|$secs s|$rss|${MEASURE_SIZE:-}|$(tail -n 1 "$out" | tr -d '|' | cut -c1-60)")
}

DB1="$TMP/bench.db"
DB2="$TMP/reimport.db"
OUT="$TMP/out.xml"

MARGINALIA_DATABASE__URL="$DB1" "$BIN" migrate >/dev/null 2>"$TMP/migrate1.err" || { cat "$TMP/migrate1.err" >&2; die "migrate failed"; }
MARGINALIA_DATABASE__URL="$DB2" "$BIN" migrate >/dev/null 2>"$TMP/migrate2.err" || { cat "$TMP/migrate2.err" >&2; die "migrate failed"; }

IN_SIZE="$(human_size "$(stat -c %s "$WXR")")"
MEASURE_SIZE="$IN_SIZE" measure "import wxr (first)" "$DB1" "$BIN" import wxr "$WXR"
MEASURE_SIZE="$IN_SIZE" measure "import wxr (again, no-op)" "$DB1" "$BIN" import wxr "$WXR"
measure "export wxr" "$DB1" "$BIN" export wxr --output "$OUT"
[[ -s "$OUT" ]] || die "export wxr wrote nothing to $OUT"
OUT_SIZE="$(human_size "$(stat -c %s "$OUT")")"
ROWS[${#ROWS[@]}-1]="$(IFS='|' read -r a b c d e <<<"${ROWS[${#ROWS[@]}-1]}"; echo "$a|$b|$c|$OUT_SIZE|$e")"
if ! python3 -c 'import sys, xml.dom.pulldom as p
for _ in p.parse(sys.argv[1]): pass' "$OUT" 2>"$TMP/xmlcheck.err"; then
    cat "$TMP/xmlcheck.err" >&2
    die "the export is not well-formed XML"
fi
MEASURE_SIZE="$OUT_SIZE" measure "import of the export (fresh db)" "$DB2" "$BIN" import wxr "$OUT"

# ---------------------------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------------------------
commit="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO" status --porcelain 2>/dev/null || true)" ]]; then commit="$commit (dirty)"; fi
echo
echo "marginalia WXR bench: commit $commit, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo "input: $WXR ($POSTS posts, $COMMENTS comments, $IN_SIZE); export: $OUT_SIZE"
echo
printf '%-34s %10s %12s %10s  %s\n' "step" "wall" "peak RSS" "file" "last line of output"
for row in "${ROWS[@]}"; do
    IFS='|' read -r label secs rss size last <<<"$row"
    printf '%-34s %10s %12s %10s  %s\n' "$label" "$secs" "$rss" "$size" "$last"
done
