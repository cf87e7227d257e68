# Shared set-up of the HTTP benchmarks, sourced by bench/*.sh after they set ROOT and PG_ADMIN:
# the binary to measure, the results file, a temporary directory, and on exit the server, the
# PostgreSQL database and the directory cleaned up.

# bench_setup NAME [wrk]: sets CAPDO_BIN (building the release binary unless given), OUT
# (bench/results/NAME.txt, emptied), tmp, SERVER_PID and PG_DB; installs wrk when asked.
bench_setup() {
  local name="$1" need_wrk="${2:-}"
  if [ -z "${CAPDO_BIN:-}" ]; then
    cargo build --release
    CAPDO_BIN="$ROOT/target/release/capdo"
  fi
  if [ -n "$need_wrk" ]; then
    command -v wrk >/dev/null || { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; }
  fi
  mkdir -p bench/results
  OUT="bench/results/$name.txt"
  : > "$OUT"
  tmp="$(mktemp -d -t "capdo-$name.XXXXXX")"
  SERVER_PID=""
  PG_DB=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$PG_DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server DIR PORT ENV...: `capdo serve` in DIR (its log in DIR/server.log) with ENV, on
# PORT; waits up to 20 s for /healthz. Sets SERVER_PID.
start_server() {
  local dir="$1" port="$2"; shift 2
  (cd "$dir" && exec env "$@" CAPDO_BIND="127.0.0.1:$port" "$CAPDO_BIN" serve) >>"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
}

# Stops the server started last.
stop_server() {
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# login PORT: a bearer token for $EMAIL / $PW (set by the script).
login() {
  curl -fsS -X POST "http://127.0.0.1:$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    --data "$(EMAIL="$EMAIL" PW="$PW" python3 -c 'import json,os; print(json.dumps({"email":os.environ["EMAIL"],"password":os.environ["PW"]}))')" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
