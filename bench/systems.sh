#!/usr/bin/env bash
# Benchmark of the system register with a large seeded register, on SQLite and PostgreSQL:
# a list page, a search, and POST /api/v1/systems, under wrk on loopback.
# Usage: bench/systems.sh              (builds target/release/capdo; 100,000 systems)
#        SYSTEMS=20000 BENCH_DURATION=5s CAPDO_BIN=target/release/capdo bench/systems.sh
# Prints a report and writes it to bench/results/systems.txt; exits 0 whatever the numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SYSTEMS="${SYSTEMS:-100000}"
DURATION="${BENCH_DURATION:-10s}"
CONNS="${BENCH_CONNECTIONS:-16}"
PG_ADMIN="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PW="Đo-tải-hệ-thống-$(date +%s)"
EMAIL="bench@sct.gov.vn"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_setup systems wrk

# wrk's report → "req/s p50 p99" in ms
summarise() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(\w+)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{float(rps):10.1f} {p50:9.2f} {p99:9.2f} {errors.group(1) if errors else 0:>8}")
PY
}

# Each measurement starts on an idle server: requests that wrk left in flight (a worst-case
# search takes over a second) still run after it stops and would load the next measurement.
settle() { sleep "${BENCH_SETTLE:-5}"; }

run_backend() {
  local label="$1" url="$2"
  local dir="$tmp/$label"
  mkdir -p "$dir"
  local env=(CAPDO_DATA_DIR="$dir" RUST_LOG=warn)
  [ -n "$url" ] && env+=(DATABASE_URL="$url")
  (cd "$dir" && printf '%s\n' "$PW" | env "${env[@]}" "$CAPDO_BIN" init --org "Sở Công Thương Đồng Nai" --code SCT --admin-email "$EMAIL" --password-stdin >/dev/null)
  echo "[$label] seeding $SYSTEMS systems…" >&2
  (cd "$dir" && env "${env[@]}" "$CAPDO_BIN" demo-data --seed-example --systems "$SYSTEMS") | tail -n 1 >&2
  local port; port="$(free_port)"
  (cd "$dir" && exec env "${env[@]}" CAPDO_BIND="127.0.0.1:$port" "$CAPDO_BIN" serve) >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
  local token
  token="$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    --data "$(EMAIL="$EMAIL" PW="$PW" python3 -c 'import json,os; print(json.dumps({"email":os.environ["EMAIL"],"password":os.environ["PW"]}))')" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Hệ thống đo tải","owner_name":"UBND tỉnh Đồng Nai","kind":"portal","urls":["https://do-tai.dongnai.gov.vn"],"facts":{"function":"citizen_business","information":["public"],"public_service_level":2}}'
LUA
  local base="http://127.0.0.1:$port/api/v1/systems"
  printf '%-10s %-34s %10s %9s %9s %8s\n' "backend" "request" "req/s" "p50 ms" "p99 ms" "non-2xx" | tee -a "$OUT"
  local name target
  for name in list search search-common; do
    case "$name" in
      list) target="$base?page=3&per_page=50&sort=name" ;;
      # A typical search: part of one system's name, typed without diacritics.
      search) target="$base?q=dang%20ky%20khuyen%20mai&per_page=50" ;;
      # A worst case: a word in 18 % of the seeded names.
      search-common) target="$base?q=khuyen%20cong&per_page=50" ;;
    esac
    settle
    wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$target" > "$dir/$name.txt"
    printf '%-10s %-34s %s\n' "$label" "GET $name" "$(summarise "$dir/$name.txt")" | tee -a "$OUT"
  done
  settle
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$dir/post.lua" "$base" > "$dir/create.txt"
  printf '%-10s %-34s %s\n' "$label" "POST /api/v1/systems" "$(summarise "$dir/create.txt")" | tee -a "$OUT"
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

echo "capdo system-register benchmark — $(date -u +%FT%TZ), $SYSTEMS systems, wrk -t2 -c$CONNS -d$DURATION" | tee -a "$OUT"
echo "targets: list p99 < 50 ms; search p99 < 100 ms; create >= 1000/s on SQLite" | tee -a "$OUT"
run_backend sqlite ""
PG_DB="capdo_bench_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
run_backend postgres "${PG_ADMIN%/*}/$PG_DB"
echo "(written to $OUT)"
