#!/usr/bin/env bash
# Runs the jpki-load scenarios for DURATION each against ONE `jpki serve` on a freshly prepared data folder, then
# writes summary.md (markdown table) and summary.json next to each run's report. Zero errors is the pass condition:
# the script exits 1 if any run had an error (or nothing succeeded), 2 if the set-up failed.
#
#   bench/scripts/load-all.sh [OUT_DIR]
#   env: DURATION=60s WARMUP=5s CONCURRENCY=8 COUNTER_CONCURRENCY=2 COUNTER_TIMEOUT=60s PORT=18480 CARDS=800 NO_BUILD=1 (skip the builds)
#
# Everything runs on 127.0.0.1; the server is started and stopped by its PID; the data folder is deleted at the end.
# The counter scenario needs the counter open at the server's clock (weekdays 08:30–17:00 JST, docs/office-hours.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-60s}
WARMUP=${WARMUP:-5s}
CONCURRENCY=${CONCURRENCY:-8}
COUNTER_CONCURRENCY=${COUNTER_CONCURRENCY:-2}
COUNTER_TIMEOUT=${COUNTER_TIMEOUT:-60s}
PORT=${PORT:-18480}
CARDS=${CARDS:-800}
OUT=${1:-$ROOT/bench/results/load-$(date -u +%Y%m%dT%H%M%SZ)}
JPKI=$ROOT/src/Jpki.Cli/bin/Release/net10.0/jpki
LOAD=$ROOT/bench/Jpki.Load/bin/Release/net10.0/jpki-load
URL=http://127.0.0.1:$PORT
mkdir -p "$OUT"

if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/src/Jpki.Cli" >/dev/null
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Load" >/dev/null
fi

DATA=$(mktemp -d /tmp/jpki-load-data.XXXXXX)
SERVER=
cleanup() {
  if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

"$LOAD" prepare --data "$DATA" --cards "$CARDS" --base-url "$URL" 2>&1 | tee "$OUT/prepare.log"
"$JPKI" serve --data "$DATA" --urls "$URL" >"$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do
  if curl -sf "$URL/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "load-all.sh: jpki serve exited; see $OUT/server.log" >&2; exit 2; fi
  sleep 0.5
done
curl -sf "$URL/healthz" >/dev/null || { echo "load-all.sh: jpki serve did not answer on $URL" >&2; exit 2; }

{ echo "before: $(uptime)"; lscpu | grep 'Model name' || true; nproc; } >"$OUT/machine.txt"
status=0
run() { # name scenario args...
  local name=$1; shift
  echo "== $name: jpki-load $* --url $URL --duration $DURATION --warmup $WARMUP" | tee "$OUT/$name.txt"
  local rc=0
  "$LOAD" "$@" --url "$URL" --data "$DATA" --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/$name.json" 2>&1 | tee -a "$OUT/$name.txt" || rc=$?
  if [[ $rc -ne 0 ]]; then echo "!! $name exited $rc" | tee -a "$OUT/$name.txt"; status=1; fi
}
run ocsp ocsp --concurrency "$CONCURRENCY"
run crl crl --concurrency "$CONCURRENCY"
run counter-issue counter-issue --concurrency "$COUNTER_CONCURRENCY" --timeout "$COUNTER_TIMEOUT"
run verify-ocsp verify --concurrency "$CONCURRENCY" --revocation ocsp
run verify-crl verify --concurrency "$CONCURRENCY" --revocation crl
echo "after: $(uptime)" >>"$OUT/machine.txt"

python3 - "$OUT" ocsp crl counter-issue verify-ocsp verify-crl <<'PY'
import json, os, sys
out, names = sys.argv[1], sys.argv[2:]
rows, all_reports = [], {}
for n in names:
    p = os.path.join(out, n + ".json")
    if not os.path.exists(p):
        rows.append(f"| {n} | (no report) | | | | | | | | | |")
        continue
    r = json.load(open(p)); all_reports[n] = r; l = r["latency"]
    errs = "; ".join(f"{k} ×{v}" for k, v in r["errorsByKind"].items()) or "0"
    rows.append(f"| {n} | {r['concurrency']} | {r['elapsedSeconds']:.1f} | {r['requests']:,} | {errs} | {r['throughput']:,.1f} | {r['bytesPerSecond']/1e6:.2f} | {l['p50']:.2f} | {l['p90']:.2f} | {l['p99']:.2f} | {l['p999']:.2f} | {l['max']:.2f} |")
machine = open(os.path.join(out, "machine.txt")).read().strip()
md = ["| run | conc. | s | requests | errors | ok/s | MB/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |",
      "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + rows
open(os.path.join(out, "summary.md"), "w").write("\n".join(md) + "\n\n```\n" + machine + "\n```\n")
json.dump(all_reports, open(os.path.join(out, "summary.json"), "w"), indent=2, ensure_ascii=False)
print("\n".join(md)); print(machine)
PY
echo "results in $OUT (summary.md, summary.json); exit $status"
exit $status
