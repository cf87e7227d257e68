#!/usr/bin/env bash
# Benchmark of issue 7 with many open dossiers, on SQLite and PostgreSQL: the deadline query
# (GET /api/v1/deadlines), the home page with its "Việc cần làm" block (GET / with the
# session cookie) and one dossier's page (GET /dossiers/{id}), under wrk on loopback.
# Usage: bench/dossiers.sh             (builds target/release/capdo; 100,000 systems, 10,000 dossiers)
#        SYSTEMS=3000 DOSSIERS=300 BENCH_DURATION=3s CAPDO_BIN=target/release/capdo bench/dossiers.sh
# Prints a report and writes it to bench/results/dossiers.txt; exits 0 whatever the numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SYSTEMS="${SYSTEMS:-100000}"
DOSSIERS="${DOSSIERS:-10000}"
DURATION="${BENCH_DURATION:-10s}"
CONNS="${BENCH_CONNECTIONS:-16}"
TARGET_MS=200
PG_ADMIN="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PW="Đo-tải-hồ-sơ-$(date +%s)"
EMAIL="bench@sct.gov.vn"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_setup dossiers wrk

# wrk's report → "req/s p50 p99 non-2xx timeouts verdict" (p50/p99 in ms); $2: "target" to
# judge p99 against TARGET_MS, anything else for no verdict.
summarise() {
  python3 - "$1" "$2" "$TARGET_MS" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(\w+)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
timeouts = re.search(r"timeout (\d+)", text)
verdict = "-"
if sys.argv[2] == "target":
    verdict = "ok" if p99 < float(sys.argv[3]) else "MISS"
print(f"{float(rps):10.1f} {p50:9.2f} {p99:9.2f} {errors.group(1) if errors else 0:>8} "
      f"{timeouts.group(1) if timeouts else 0:>8} {verdict:>7}")
PY
}

# One request before the load: it must answer 200 (and, for a page, contain `$3`).
check() {
  local url="$1" header="$2" marker="$3" file="$4"
  local code
  code="$(curl -sS -o "$file" -w '%{http_code}' -H "$header" "$url")"
  if [ "$code" != 200 ] || { [ -n "$marker" ] && ! grep -q "$marker" "$file"; }; then
    echo "GET $url answered $code (expected 200${marker:+ with “$marker”})" >&2
    return 1
  fi
}

run_backend() {
  local label="$1" url="$2"
  local dir="$tmp/$label"
  mkdir -p "$dir"
  local env=(CAPDO_DATA_DIR="$dir" RUST_LOG=warn)
  [ -n "$url" ] && env+=(DATABASE_URL="$url")
  (cd "$dir" && printf '%s\n' "$PW" | env "${env[@]}" "$CAPDO_BIN" init --org "Sở Công Thương Đồng Nai" --code SCT --admin-email "$EMAIL" --password-stdin >/dev/null)
  echo "[$label] seeding $SYSTEMS systems and $DOSSIERS dossiers…" >&2
  local seeded
  seeded="$(cd "$dir" && env "${env[@]}" "$CAPDO_BIN" demo-data --seed-example --systems "$SYSTEMS" --dossiers "$DOSSIERS" | tail -n 2)"
  printf '[%s] %s\n' "$label" "${seeded//$'\n'/$'\n'"[$label] "}" | tee -a "$OUT" >&2
  local port; port="$(free_port)"
  (cd "$dir" && exec env "${env[@]}" CAPDO_BIND="127.0.0.1:$port" "$CAPDO_BIN" serve) >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
  local token
  token="$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    --data "$(EMAIL="$EMAIL" PW="$PW" python3 -c 'import json,os; print(json.dumps({"email":os.environ["EMAIL"],"password":os.environ["PW"]}))')" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  local base="http://127.0.0.1:$port"
  local bearer="Authorization: Bearer $token"
  # The web UI keeps the same token in its HttpOnly session cookie (src/auth/session.rs).
  local cookie="Cookie: capdo_session=$token"
  check "$base/api/v1/deadlines" "$bearer" "" "$dir/deadlines.json"
  # An open dossier with a running clock: the first one the deadline list shows.
  local dossier
  dossier="$(python3 -c 'import json,sys; print(next((i["path"] for i in json.load(open(sys.argv[1]))["items"] if i["kind"] == "dossier_clock"), ""))' "$dir/deadlines.json")"
  check "$base/" "$cookie" "Việc cần làm" "$dir/home.html"
  printf '%-10s %-34s %10s %9s %9s %8s %8s %7s\n' "backend" "request" "req/s" "p50 ms" "p99 ms" "non-2xx" "timeouts" "p99<${TARGET_MS}" | tee -a "$OUT"
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$bearer" "$base/api/v1/deadlines" > "$dir/wrk-deadlines.txt"
  printf '%-10s %-34s %s\n' "$label" "GET /api/v1/deadlines" "$(summarise "$dir/wrk-deadlines.txt" target)" | tee -a "$OUT"
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$cookie" "$base/" > "$dir/wrk-home.txt"
  printf '%-10s %-34s %s\n' "$label" "GET / (home, session cookie)" "$(summarise "$dir/wrk-home.txt" target)" | tee -a "$OUT"
  if [ -z "$dossier" ]; then
    printf '%-10s %-34s %s\n' "$label" "GET /dossiers/{id}" "skipped: no dossier with a running clock" | tee -a "$OUT"
  elif check "$base$dossier" "$cookie" "" "$dir/dossier.html"; then
    wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$cookie" "$base$dossier" > "$dir/wrk-dossier.txt"
    printf '%-10s %-34s %s\n' "$label" "GET /dossiers/{id}" "$(summarise "$dir/wrk-dossier.txt" none)" | tee -a "$OUT"
  else
    printf '%-10s %-34s %s\n' "$label" "GET /dossiers/{id}" "skipped: the page does not answer 200" | tee -a "$OUT"
  fi
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

echo "capdo dossier/deadline benchmark — $(date -u +%FT%TZ), $SYSTEMS systems, $DOSSIERS open dossiers, wrk -t2 -c$CONNS -d$DURATION" | tee -a "$OUT"
echo "target (issue 7): the home page's deadline query and the page render, p99 < $TARGET_MS ms" | tee -a "$OUT"
run_backend sqlite ""
PG_DB="capdo_bench_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
run_backend postgres "${PG_ADMIN%/*}/$PG_DB"
echo "(written to $OUT)"
