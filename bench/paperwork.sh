#!/usr/bin/env bash
# Benchmark of issue 9 (paperwork), on SQLite and PostgreSQL: the register of 100,000 systems
# exported as XLSX (GET /api/v1/systems/export, streamed in constant memory) with curl's total
# time and the server's peak RSS (VmHWM of /proc/<pid>/status, read after the request on a
# server started for it alone), then the import of a generated 10,000-row XLSX and CSV
# (POST /api/v1/systems/import): dry run and commit times.
# Usage: bench/paperwork.sh                 (builds target/release/capdo; 100,000 systems)
#        SYSTEMS=200 IMPORT_ROWS=300 CAPDO_BIN=target/debug/capdo BENCH_BACKENDS=sqlite bench/paperwork.sh
# Prints a report and writes it to bench/results/paperwork.txt; exits 0 whatever the numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SYSTEMS="${SYSTEMS:-100000}"
IMPORT_ROWS="${IMPORT_ROWS:-10000}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
TARGET_EXPORT_S=10
TARGET_RSS_MB=200
TARGET_IMPORT_S=5
PG_ADMIN="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PW="Đo-tải-danh-mục-$(date +%s)"
EMAIL="bench@sct.gov.vn"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_setup paperwork
# The server and the CLI run in their data folders: the binary's path must not be relative.
CAPDO_BIN="$(realpath "$CAPDO_BIN")"

# Peak resident set of a process, in MiB.
peak_rss_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Rows of the first sheet of an XLSX (header included).
xlsx_rows() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    sheets = sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))
    print(len(re.findall(rb"<row[ >]", z.read(sheets[0]))) if sheets else 0)
PY
}

# A register of $IMPORT_ROWS new systems of organisation SCT, as CSV ($1) and XLSX ($2), written
# with the standard library only (the XLSX as a minimal SpreadsheetML package with inline
# strings).
make_import_files() {
  python3 - "$IMPORT_ROWS" "$1" "$2" <<'PY'
import csv, sys, zipfile
from xml.sax.saxutils import escape
n, csv_path, xlsx_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
header = ["Mã tham chiếu", "Tên hệ thống", "Chủ quản hệ thống", "Mã đơn vị quản lý", "Loại hệ thống",
          "Địa chỉ web, tên miền", "Nơi đặt hệ thống", "Chức năng của hệ thống", "Loại thông tin xử lý",
          "Ngày đưa vào vận hành"]
functions = [("internal", "private"), ("citizen_business", "public, private, personal"), ("citizen_business", "public")]
rows = []
for i in range(n):
    f, info = functions[i % len(functions)]
    rows.append([f"BENCH-{i:06d}", f"Hệ thống nhập thử số {i}", "UBND tỉnh Đồng Nai", "SCT", "",
                 f"https://ht{i}.dongnai.gov.vn", "Trung tâm dữ liệu tỉnh", f, info, "01/07/2022"])
with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(header)
    w.writerows(rows)
def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s
with zipfile.ZipFile(xlsx_path, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh mục" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, values in enumerate([header] + rows, start=1):
        cells = "".join(f'<c r="{col(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(values) if v)
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    z.writestr("xl/worksheets/sheet1.xml", "".join(out))
PY
}

# POST a file to the import endpoint: prints "http_code time_total".
import_file() {
  local base="$1" bearer="$2" file="$3" mode="$4" body="$5"
  curl -sS -o "$body" -w '%{http_code} %{time_total}\n' -H "$bearer" \
    -F "mode=$mode" -F "file=@$file" "$base/api/v1/systems/import"
}

# "N rows: C creates, U updates, I invalid" of an import answer, or the start of an error.
import_summary() {
  python3 - "$1" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    r = json.loads(text)
    if "total" in r:
        print(f"{r['total']} rows: {r['creates']} creates, {r['updates']} updates, {r['invalid']} invalid")
    else:
        print(text[:200])
except ValueError:
    print(text[:200])
PY
}

verdict() { python3 -c 'import sys; print("ok" if float(sys.argv[1]) < float(sys.argv[2]) else "MISS")' "$1" "$2"; }

run_backend() {
  local label="$1" url="$2"
  local dir="$tmp/$label"
  mkdir -p "$dir"
  local env=(CAPDO_DATA_DIR="$dir" RUST_LOG=warn)
  [ -n "$url" ] && env+=(DATABASE_URL="$url")
  (cd "$dir" && printf '%s\n' "$PW" | env "${env[@]}" "$CAPDO_BIN" init --org "Sở Công Thương Đồng Nai" --code SCT --admin-email "$EMAIL" --password-stdin >/dev/null)

  echo "[$label] seeding $SYSTEMS systems…" >&2
  local started seeded
  started="$(date +%s.%N)"
  seeded="$(cd "$dir" && env "${env[@]}" "$CAPDO_BIN" demo-data --seed-example --systems "$SYSTEMS" | tail -n 1)"
  printf '[%s] %s (%.1f s)\n' "$label" "$seeded" "$(python3 -c "import time; print(time.time() - $started)")" | tee -a "$OUT" >&2

  # A server of its own for the export, so that its peak RSS is the export's.
  local port; port="$(free_port)"
  start_server "$dir" "$port" "${env[@]}"
  local base="http://127.0.0.1:$port"
  local bearer; bearer="Authorization: Bearer $(login "$port")"
  local idle; idle="$(peak_rss_mb "$SERVER_PID")"
  local code t rows size
  read -r code t < <(curl -sS -o "$dir/register.xlsx" -w '%{http_code} %{time_total}\n' -H "$bearer" "$base/api/v1/systems/export?format=xlsx")
  local peak; peak="$(peak_rss_mb "$SERVER_PID")"
  if [ "$code" != 200 ]; then
    printf '%-10s %-44s answered %s: %s\n' "$label" "GET /systems/export?format=xlsx" "$code" "$(head -c 200 "$dir/register.xlsx")" | tee -a "$OUT"
  else
    rows="$(xlsx_rows "$dir/register.xlsx")"
    size="$(du -k "$dir/register.xlsx" | cut -f1)"
    printf '%-10s %-44s %8.2f s (<%ss: %s)  peak RSS %s MiB (idle %s; <%s: %s)  %s rows incl. header, %s KiB\n' \
      "$label" "GET /systems/export?format=xlsx" "$t" "$TARGET_EXPORT_S" "$(verdict "$t" "$TARGET_EXPORT_S")" \
      "$peak" "$idle" "$TARGET_RSS_MB" "$(verdict "$peak" "$TARGET_RSS_MB")" "$rows" "$size" | tee -a "$OUT"
  fi
  for format in csv docx; do
    read -r code t < <(curl -sS -o "$dir/register.$format" -w '%{http_code} %{time_total}\n' -H "$bearer" "$base/api/v1/systems/export?format=$format")
    printf '%-10s %-44s %8.2f s  answered %s, %s KiB  (peak RSS so far %s MiB)\n' "$label" "GET /systems/export?format=$format" "$t" "$code" \
      "$(du -k "$dir/register.$format" | cut -f1)" "$(peak_rss_mb "$SERVER_PID")" | tee -a "$OUT"
  done

  # Import of new systems: a dry run and a commit of the XLSX, then of the CSV (whose rows,
  # carrying the same external ids, are then updates).
  make_import_files "$dir/import.csv" "$dir/import.xlsx"
  local file mode summary
  for file in import.xlsx import.csv; do
    for mode in dry_run commit; do
      read -r code t < <(import_file "$base" "$bearer" "$dir/$file" "$mode" "$dir/import-result.json")
      summary="$(import_summary "$dir/import-result.json")"
      printf '%-10s %-44s %8.2f s (<%ss: %s)  answered %s: %s\n' "$label" "POST /systems/import $file $mode" "$t" "$TARGET_IMPORT_S" \
        "$(verdict "$t" "$TARGET_IMPORT_S")" "$code" "$summary" | tee -a "$OUT"
    done
  done
  printf '%-10s peak RSS of the server at the end: %s MiB\n' "$label" "$(peak_rss_mb "$SERVER_PID")" | tee -a "$OUT"
  stop_server
}

echo "capdo paperwork benchmark — $(date -u +%FT%TZ), $SYSTEMS systems, import of $IMPORT_ROWS rows" | tee -a "$OUT"
echo "targets (issue 9): export XLSX < $TARGET_EXPORT_S s with peak RSS < $TARGET_RSS_MB MB; import of 10,000 rows < $TARGET_IMPORT_S s" | tee -a "$OUT"
for backend in $BACKENDS; do
  case "$backend" in
    sqlite) run_backend sqlite "" ;;
    postgres)
      PG_DB="capdo_paperworkbench_$$"
      psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
      run_backend postgres "${PG_ADMIN%/*}/$PG_DB"
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
      PG_DB=""
      ;;
    *) echo "unknown backend: $backend (sqlite | postgres)" >&2; exit 2 ;;
  esac
done
echo "(written to $OUT)"
