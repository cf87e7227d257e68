#!/usr/bin/env bash
# Benchmark of one warning broadcast to many recipients through a local SMTP sink (aiosmtpd),
# on SQLite, for several SMTP pool sizes: time until every message is accepted, messages per
# second, and the server's peak RSS (VmHWM).
# Usage: bench/mail.sh                     (builds target/release/capdo; 10,000 recipients)
#        RECIPIENTS=2000 POOLS="1 4" CAPDO_BIN=target/release/capdo bench/mail.sh
# Prints a report and writes it to bench/results/mail.txt; exits 0 whatever the numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RECIPIENTS="${RECIPIENTS:-10000}"
POOLS="${POOLS:-1 4 8 16}"
PW="Đo-thư-điện-tử-$(date +%s)"
EMAIL="bench@sct.gov.vn"

if [ -z "${CAPDO_BIN:-}" ]; then
  cargo build --release
  CAPDO_BIN="$ROOT/target/release/capdo"
fi
dpkg -s python3-aiosmtpd >/dev/null 2>&1 || apt-get install -y --no-install-recommends python3-aiosmtpd \
  || { apt-get update && apt-get install -y --no-install-recommends python3-aiosmtpd; }
mkdir -p bench/results
OUT="bench/results/mail.txt"
: > "$OUT"

tmp="$(mktemp -d -t capdo-mailbench.XXXXXX)"
SERVER_PID=""
SMTP_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$SMTP_PID" ] && kill "$SMTP_PID" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hwm_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

SMTP_PORT="$(free_port)"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Sink >"$tmp/smtp.log" 2>&1 &
SMTP_PID=$!

dir="$tmp/data"
mkdir -p "$dir"
(cd "$dir" && printf '%s\n' "$PW" | CAPDO_DATA_DIR="$dir" "$CAPDO_BIN" init --org "Sở Công Thương Đồng Nai" --code SCT --admin-email "$EMAIL" --password-stdin >/dev/null)
# Recipients straight into the database: hashing 10,000 passwords would measure argon2.
python3 - "$dir/capdo.db" "$RECIPIENTS" <<'PY'
import sqlite3, sys, uuid, datetime
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
org = c.execute("SELECT id FROM organizations ORDER BY path LIMIT 1").fetchone()[0]
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
c.executemany(
    "INSERT INTO users (id, email, full_name, role, organization_id, active, password_hash, token_version,"
    " password_changed_at, last_login_at, search_key, created_at, updated_at)"
    " VALUES (?, ?, ?, 'viewer', ?, 1, '!', 0, ?, NULL, ?, ?, ?)",
    [(str(uuid.uuid4()), f"nguoinhan{i:05d}@dongnai.gov.vn", f"Cán bộ số {i}", org, now, f"can bo so {i}", now, now)
     for i in range(n)])
c.commit()
PY

printf '%-6s %10s %10s %12s %14s\n' "pool" "messages" "seconds" "messages/s" "peak RSS MB" | tee -a "$OUT"
for pool in $POOLS; do
  port="$(free_port)"
  (cd "$dir" && exec env CAPDO_DATA_DIR="$dir" RUST_LOG=warn CAPDO_BIND="127.0.0.1:$port" \
      CAPDO_MAIL_TRANSPORT=smtp CAPDO_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" CAPDO_MAIL_POOL_SIZE="$pool" \
      "$CAPDO_BIN" serve) >"$tmp/server-$pool.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$port/api/v1"
  token="$(curl -fsS -X POST "$base/auth/login" -H 'Content-Type: application/json' \
    --data "$(EMAIL="$EMAIL" PW="$PW" python3 -c 'import json,os; print(json.dumps({"email":os.environ["EMAIL"],"password":os.environ["PW"]}))')" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  root="$(curl -fsS -H "Authorization: Bearer $token" "$base/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["organization"]["id"])')"
  alert="$(curl -fsS -X POST "$base/alerts" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data "$(ROOT_ORG="$root" POOL="$pool" python3 -c '
import json, os
print(json.dumps({"title": "Đo tải gửi cảnh báo, nhóm kết nối " + os.environ["POOL"], "severity": "high",
  "source_authority": "Cục An toàn thông tin", "body": "Nội dung đo tải.", "required_action": "Không cần làm gì",
  "organization_id": os.environ["ROOT_ORG"], "audience": {"organization_ids": [os.environ["ROOT_ORG"]]}}))')" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  start="$(date +%s.%N)"
  curl -fsS -o /dev/null -X POST "$base/alerts/$alert/send" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data '{}'
  total=0
  while :; do
    read -r sent total < <(curl -fsS -H "Authorization: Bearer $token" "$base/alerts/$alert" \
      | python3 -c 'import json,sys; p=json.load(sys.stdin)["progress"]; print(p["sent"]+p["failed"], p["recipients"])')
    [ "$sent" -ge "$total" ] && break
    sleep 0.2
  done
  end="$(date +%s.%N)"
  secs="$(python3 -c "print(f'{$end - $start:.1f}')")"
  rate="$(python3 -c "print(f'{$total / ($end - $start):.0f}')")"
  printf '%-6s %10s %10s %12s %14s\n' "$pool" "$total" "$secs" "$rate" "$(hwm_mb "$SERVER_PID")" | tee -a "$OUT"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done
echo "written to $OUT"
