#!/usr/bin/env bash
# One-command HTTP benchmark of capdo: /healthz vs an authenticated /api/v1/me, plus idle RSS.
# Usage: bench/run.sh            (builds target/release/capdo)
#        CAPDO_BIN=/path/capdo BENCH_DURATION=30s bench/run.sh
# Prints a report and writes it to bench/results/latest.txt; exits 0 whatever the numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_DURATION:-10s}"
THREADS=2
CONNS=32
TARGET_RATIO_PCT=50   # /api/v1/me must reach >= 50 % of /healthz throughput
TARGET_RSS_MB=30      # idle RSS must stay below 30 MB
EMAIL="bench@sdt.gov.vn"
PW="Đo-tải-$(date +%s)-${RANDOM}${RANDOM}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# --- binary -----------------------------------------------------------------
if [ -n "${CAPDO_BIN:-}" ]; then
  BIN="$CAPDO_BIN"
else
  log "cargo build --release"
  cargo build --release
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/capdo"
fi
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
[ -x "$BIN" ] || die "binary not found or not executable: $BIN"

# --- tools ------------------------------------------------------------------
for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y wrk || { as_root apt-get update && as_root apt-get install -y wrk; }
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
PORT="${BENCH_PORT:-$(free_port)}"
BASE="http://127.0.0.1:$PORT"

# --- temp data dir, server lifecycle ---------------------------------------
tmp="$(mktemp -d -t capdo-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The bench always runs on a fresh embedded SQLite database in $tmp; commands run with
# cwd=$tmp so that no capdo.toml lying around is picked up.
unset DATABASE_URL
export CAPDO_DATA_DIR="$tmp"

log "init (data dir $tmp)"
( cd "$tmp" && printf '%s\n' "$PW" | "$BIN" init --org "Sở Đo tải" --code SDT \
    --admin-email "$EMAIL" --admin-name "Người Đo" --password-stdin ) >"$tmp/init.log" 2>&1 \
  || { cat "$tmp/init.log" >&2; die "capdo init failed"; }

log "serve on $BASE"
( cd "$tmp" && CAPDO_BIND="127.0.0.1:$PORT" RUST_LOG=warn exec "$BIN" serve ) >"$tmp/server.log" 2>&1 &
SERVER_PID=$!

up=0
for _ in $(seq 1 300); do   # up to 30 s
  if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then up=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ "$up" -ne 1 ]; then
  tail -n 50 "$tmp/server.log" >&2 || true
  die "server did not answer /healthz"
fi

sleep 2
RSS_KB="$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true)"
if [ -n "$RSS_KB" ]; then
  RSS_MB="$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')"
else
  RSS_MB="n/a"
fi

log "login"
LOGIN_BODY="$(EMAIL="$EMAIL" PW="$PW" python3 -c \
  'import json, os; print(json.dumps({"email": os.environ["EMAIL"], "password": os.environ["PW"]}))')"
LOGIN_RESP="$(curl -fsS -X POST -H 'Content-Type: application/json' --data "$LOGIN_BODY" \
  "$BASE/api/v1/auth/login")" || die "login failed"
TOKEN="$(printf '%s' "$LOGIN_RESP" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')" \
  || die "no token in login response: $LOGIN_RESP"
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me" \
  || die "GET /api/v1/me with the token failed"

# --- wrk --------------------------------------------------------------------
# to_ms VALUE: "812.00us" | "1.23ms" | "2.01s" | "1.5m" -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (match(v, /^[0-9.]+/) == 0) { print "n/a"; exit }
    n = substr(v, 1, RLENGTH); u = substr(v, RLENGTH + 1)
    if (u == "us") f = 0.001; else if (u == "ms") f = 1; else if (u == "s") f = 1000;
    else if (u == "m") f = 60000; else if (u == "h") f = 3600000; else { print "n/a"; exit }
    printf "%.3f", n * f
  }'
}

# run_wrk NAME URL [wrk args...] -> sets <NAME>_RPS, <NAME>_P50, <NAME>_P99, <NAME>_BAD
run_wrk() {
  local name="$1" url="$2"; shift 2
  local out="$tmp/wrk-$name.txt"
  log "wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$out" 2>&1 || true
  cat "$out" >&2
  local rps p50 p99 non2xx sockerr
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '/Latency Distribution/ {d=1; next} d && $1 == "50%" {print $2; exit}' "$out")"
  p99="$(awk '/Latency Distribution/ {d=1; next} d && $1 == "99%" {print $2; exit}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  sockerr="$(awk '/Socket errors:/ {sub(/.*Socket errors: */, ""); print}' "$out")"
  printf -v "${name}_RPS" '%s' "${rps:-n/a}"
  printf -v "${name}_P50" '%s' "$( [ -n "$p50" ] && to_ms "$p50" || echo n/a)"
  printf -v "${name}_P99" '%s' "$( [ -n "$p99" ] && to_ms "$p99" || echo n/a)"
  printf -v "${name}_BAD" '%s' "${non2xx:-0}"
  printf -v "${name}_SOCK" '%s' "${sockerr:-none}"
}

run_wrk healthz "$BASE/healthz"
run_wrk me "$BASE/api/v1/me" -H "Authorization: Bearer $TOKEN"

# --- report -----------------------------------------------------------------
is_num() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

if is_num "$healthz_RPS" && is_num "$me_RPS" && awk -v h="$healthz_RPS" 'BEGIN { exit !(h > 0) }'; then
  RATIO="$(awk -v m="$me_RPS" -v h="$healthz_RPS" 'BEGIN { printf "%.1f", 100 * m / h }')"
else
  RATIO="n/a"
fi

verdict_ratio="FAIL"
if is_num "$RATIO" && [ "$me_BAD" = "0" ] \
   && awk -v r="$RATIO" -v t="$TARGET_RATIO_PCT" 'BEGIN { exit !(r >= t) }'; then
  verdict_ratio="PASS"
fi
verdict_rss="FAIL"
if is_num "$RSS_MB" && awk -v r="$RSS_MB" -v t="$TARGET_RSS_MB" 'BEGIN { exit !(r < t) }'; then
  verdict_rss="PASS"
fi

mkdir -p "$ROOT/bench/results"
REPORT="$ROOT/bench/results/latest.txt"
{
  echo "capdo benchmark — $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  if commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"; then
    git -C "$ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (dirty)"
  else
    commit="unknown"
  fi
  echo "commit:   $commit"
  echo "binary:   $BIN"
  echo "machine:  $(nproc) cores, $(uname -srm)"
  echo "wrk:      -t$THREADS -c$CONNS -d$DURATION --latency, SQLite in a temp dir, RUST_LOG=warn"
  echo
  printf '%-14s %12s %10s %10s %10s\n' "endpoint" "req/s" "p50 ms" "p99 ms" "non-2xx"
  printf '%-14s %12s %10s %10s %10s\n' "/healthz" "$healthz_RPS" "$healthz_P50" "$healthz_P99" "$healthz_BAD"
  printf '%-14s %12s %10s %10s %10s\n' "/api/v1/me" "$me_RPS" "$me_P50" "$me_P99" "$me_BAD"
  [ "$healthz_SOCK" = "none" ] || echo "socket errors /healthz: $healthz_SOCK"
  [ "$me_SOCK" = "none" ] || echo "socket errors /api/v1/me: $me_SOCK"
  echo
  echo "me / healthz: ${RATIO}%   (target >= ${TARGET_RATIO_PCT}%, no non-2xx)  $verdict_ratio"
  echo "idle RSS:     ${RSS_MB} MB (target < ${TARGET_RSS_MB} MB)            $verdict_rss"
} | tee "$REPORT"
echo "(written to ${REPORT#"$ROOT"/})"
exit 0
