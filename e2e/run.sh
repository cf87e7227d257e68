#!/usr/bin/env bash
# Runs the browser tests against a fresh capdo server.
#
#   e2e/run.sh [path/to/capdo]     (default: target/debug/capdo)
#
# Creates a throw-away SQLite data directory and admin account (`capdo migrate`,
# `capdo init`), starts `capdo serve` on a free loopback port, waits for
# /healthz, then runs `node --test` in e2e/. The server is stopped and the data removed on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

BIN="${1:-target/debug/capdo}"
if [[ "$BIN" != /* ]]; then BIN="$root/$BIN"; fi
if [[ ! -x "$BIN" ]]; then
  echo "e2e: capdo binary not found or not executable: $BIN" >&2
  exit 1
fi

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "e2e: installing chromium"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if [[ ! -d "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

EMAIL="admin@stn.gov.vn"
PASSWORD="E2e-Thu-nghiem-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((18080 + RANDOM % 1000))
}
PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"

tmp="$(mktemp -d -t capdo-e2e.XXXXXX)"
server_pid=""
cleanup() {
  local rc=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -f "$tmp/server.log" ]]; then
    echo "e2e: server log (last 50 lines):" >&2
    tail -n 50 "$tmp/server.log" >&2 || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The binary runs with cwd = the temp dir (no stray capdo.toml is read) and
# always on SQLite in that dir (a DATABASE_URL from the caller is dropped).
capdo() {
  (
    cd "$tmp"
    unset DATABASE_URL
    export CAPDO_DATA_DIR="$tmp"
    exec "$BIN" "$@"
  )
}

echo "e2e: initialising $tmp"
capdo migrate
printf '%s\n' "$PASSWORD" | capdo init \
  --org "Sở Thử nghiệm" --code STN \
  --admin-email "$EMAIL" --admin-name "Nguyễn Văn An" \
  --password-stdin

echo "e2e: starting capdo on $URL"
# Same environment as capdo(), spelled out so that $! is the server itself.
(
  cd "$tmp"
  unset DATABASE_URL
  export CAPDO_DATA_DIR="$tmp" CAPDO_BIND="127.0.0.1:$PORT" RUST_LOG="${RUST_LOG:-info}"
  exec "$BIN" serve
) >"$tmp/server.log" 2>&1 &
server_pid=$!

healthy() {
  if command -v curl >/dev/null 2>&1; then
    curl -fs -o /dev/null --max-time 2 "$URL/healthz"
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$URL/healthz"
  fi
}

ready=""
for _ in $(seq 1 120); do   # up to 30 s
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server exited before it was ready" >&2
    exit 1
  fi
  if healthy; then
    ready=1
    break
  fi
  sleep 0.25
done
if [[ -z "$ready" ]]; then
  echo "e2e: $URL/healthz did not answer within 30 s" >&2
  exit 1
fi

cd "$here"
# CAPDO_E2E_DATA_DIR: the server's data directory, where the file transport writes each
# message as an .eml (the warnings test reads its acknowledgement link there).
# CAPDO_E2E_BIN: the binary, for tests that start a server of their own (the dossier test
# seeds the example systems into a database of its own, so the shared register stays as the
# other tests expect it).
CAPDO_E2E_BIN="$BIN" CAPDO_E2E_URL="$URL" CAPDO_E2E_EMAIL="$EMAIL" CAPDO_E2E_PASSWORD="$PASSWORD" CHROMIUM="$CHROMIUM" \
  CAPDO_E2E_DATA_DIR="$tmp" node --test --test-concurrency=1
