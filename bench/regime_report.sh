#!/usr/bin/env bash
# Benchmark of the regime-change report over a large register, on SQLite and PostgreSQL:
# the whole subtree classified under both regimes, as JSON (totals + one row) and as XLSX,
# with the server's peak RSS (VmHWM) before and after.
# Usage: bench/regime_report.sh          (builds target/release/capdo; 100,000 systems)
#        SYSTEMS=20000 CAPDO_BIN=target/release/capdo bench/regime_report.sh
# Prints a report and writes it to bench/results/regime_report.txt; exits 0 whatever the numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SYSTEMS="${SYSTEMS:-100000}"
PG_ADMIN="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PW="Đo-báo-cáo-$(date +%s)"
EMAIL="bench@sct.gov.vn"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_setup regime_report
hwm_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

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
  local base="http://127.0.0.1:$port/api/v1/reports/regime-change"
  local idle; idle="$(hwm_mb "$SERVER_PID")"
  local json_times=() t
  for _ in 1 2 3; do
    t="$(curl -fsS -o "$dir/report.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$base?per_page=1")"
    json_times+=("$t")
  done
  local totals; totals="$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print(" ".join(f"{k}={v}" for k,v in t.items()))' "$dir/report.json")"
  local after_json; after_json="$(hwm_mb "$SERVER_PID")"
  local xlsx_time; xlsx_time="$(curl -fsS -o "$dir/report.xlsx" -w '%{time_total}' -H "Authorization: Bearer $token" "$base?format=xlsx")"
  local size; size="$(du -k "$dir/report.xlsx" | cut -f1)"
  local after_xlsx; after_xlsx="$(hwm_mb "$SERVER_PID")"
  {
    echo "[$label] $SYSTEMS systems: $totals"
    printf '  JSON (full scan, 1 row kept): %s s, %s s, %s s\n' "${json_times[@]}"
    printf '  XLSX (every row, streamed):   %s s, %s KiB\n' "$xlsx_time" "$size"
    printf '  server peak RSS: idle %s MB, after JSON %s MB, after XLSX %s MB\n' "$idle" "$after_json" "$after_xlsx"
  } | tee -a "$OUT"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

run_backend sqlite ""
PG_DB="capdo_reportbench_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
run_backend postgres "${PG_ADMIN%/*}/$PG_DB"
echo "written to $OUT"
