#!/usr/bin/env bash
# OCSP side by side: `jpki serve` and `openssl ocsp -multi 2` serving the SAME authentication CA (a prepared data
# folder; openssl gets ca.pem, the CA key itself as its signer, and index.txt with the same good and revoked
# serials; note that openssl ocsp -port listens on all interfaces while it runs), each loaded by jpki-load ocsp for the same duration, concurrency and request mix, every answer
# checked the same way. Prints both reports and a two-line table; both servers are stopped by PID.
#
#   bench/scripts/load-ocsp-vs-openssl.sh [OUT_DIR]
#   env: DURATION=60s WARMUP=5s CONCURRENCY=8 JPKI_PORT=18481 OPENSSL_PORT=18482 NO_BUILD=1
#
# openssl's responder has no keep-alive and signs every answer; jpki serves pre-signed answers for known
# certificates. Runs: jpki (keep-alive), jpki (--close: a connection per request, as openssl needs), openssl (--close).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-60s}
WARMUP=${WARMUP:-5s}
CONCURRENCY=${CONCURRENCY:-8}
JPKI_PORT=${JPKI_PORT:-18481}
OPENSSL_PORT=${OPENSSL_PORT:-18482}
OUT=${1:-$ROOT/bench/results/ocsp-vs-openssl-$(date -u +%Y%m%dT%H%M%SZ)}
JPKI=$ROOT/src/Jpki.Cli/bin/Release/net10.0/jpki
LOAD=$ROOT/bench/Jpki.Load/bin/Release/net10.0/jpki-load
command -v openssl >/dev/null || { echo "load-ocsp-vs-openssl.sh: install openssl (apt-get install -y openssl)" >&2; exit 2; }
mkdir -p "$OUT"

if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/src/Jpki.Cli" >/dev/null
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Load" >/dev/null
fi

DATA=$(mktemp -d /tmp/jpki-load-ocsp.XXXXXX)
JPKI_PID=
OPENSSL_PID=
stop() { # pid: the process and, for openssl -multi, its children (by their PIDs)
  local pid=$1 kids
  [[ -z $pid ]] && return 0
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill "$pid" 2>/dev/null || true
  for k in $kids; do kill "$k" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
}
cleanup() { stop "$JPKI_PID"; stop "$OPENSSL_PID"; rm -rf "$DATA"; }
trap cleanup EXIT

wait_port() { # url pid name
  for _ in $(seq 120); do
    if curl -s -o /dev/null "$1" 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited early" >&2; exit 2; }
    sleep 0.5
  done
  echo "$3 did not answer on $1" >&2; exit 2
}

"$LOAD" prepare --data "$DATA" --auth-certs 1000 --sign-certs 0 --cards 0 --signatures 0 --base-url "http://127.0.0.1:$JPKI_PORT" 2>&1 | tee "$OUT/prepare.log"
"$JPKI" serve --data "$DATA" --urls "http://127.0.0.1:$JPKI_PORT" >"$OUT/jpki-server.log" 2>&1 &
JPKI_PID=$!
O=$DATA/load/openssl
openssl ocsp -index "$O/index.txt" -port "$OPENSSL_PORT" -rsigner "$O/ca.pem" -rkey "$DATA/authority/auth-ca.key.pem" -passin "file:$DATA/authority/passphrase" -CA "$O/ca.pem" -nmin 60 -multi 2 >"$OUT/openssl-server.log" 2>&1 &
OPENSSL_PID=$!
wait_port "http://127.0.0.1:$JPKI_PORT/healthz" "$JPKI_PID" "jpki serve"
# Not an HTTP probe for openssl: a malformed request (GET /) makes `openssl ocsp -multi` stop listening (3.0.22).
for _ in $(seq 120); do
  if [[ -n $(ss -ltnH "sport = :$OPENSSL_PORT" 2>/dev/null) ]]; then break; fi
  kill -0 "$OPENSSL_PID" 2>/dev/null || { echo "openssl ocsp exited early" >&2; exit 2; }
  sleep 0.5
done

{ echo "before: $(uptime)"; lscpu | grep 'Model name' || true; openssl version; } >"$OUT/machine.txt"
status=0
run() { # name host:port extra...
  local name=$1 hostport=$2; shift 2
  echo "== $name: jpki-load ocsp --kinds auth --concurrency $CONCURRENCY --duration $DURATION $*" | tee "$OUT/$name.txt"
  local rc=0
  "$LOAD" ocsp --url "http://$hostport" --data "$DATA" --kinds auth --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/$name.json" "$@" 2>&1 | tee -a "$OUT/$name.txt" || rc=$?
  if [[ $rc -ne 0 ]]; then echo "!! $name exited $rc" | tee -a "$OUT/$name.txt"; status=1; fi
}
# openssl ocsp listens on [::] (dual stack); loaded on ::1.
run jpki "127.0.0.1:$JPKI_PORT"
run jpki-close "127.0.0.1:$JPKI_PORT" --close
# openssl ocsp answers at the root: POST /, GET /{base64} (a GET under /ocsp/ is a malformed request to it).
run openssl "[::1]:$OPENSSL_PORT" --close --path /
echo "after: $(uptime)" >>"$OUT/machine.txt"

python3 - "$OUT" jpki jpki-close openssl <<'PY'
import json, os, sys
out, names = sys.argv[1], sys.argv[2:]
md = ["| responder | connections | requests | errors | ok/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |",
      "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
label = {"jpki": ("OpenJpki `jpki serve` /ocsp", "keep-alive"), "jpki-close": ("OpenJpki `jpki serve` /ocsp", "one per request"), "openssl": ("`openssl ocsp -multi 2`", "one per request")}
for n in names:
    p = os.path.join(out, n + ".json")
    if not os.path.exists(p):
        md.append(f"| {label[n][0]} | {label[n][1]} | (no report) | | | | | | | |"); continue
    r = json.load(open(p)); l = r["latency"]
    errs = "; ".join(f"{k} ×{v}" for k, v in r["errorsByKind"].items()) or "0"
    md.append(f"| {label[n][0]} | {label[n][1]} | {r['requests']:,} | {errs} | {r['throughput']:,.1f} | {l['p50']:.2f} | {l['p90']:.2f} | {l['p99']:.2f} | {l['p999']:.2f} | {l['max']:.2f} |")
machine = open(os.path.join(out, "machine.txt")).read().strip()
open(os.path.join(out, "summary.md"), "w").write("\n".join(md) + "\n\n```\n" + machine + "\n```\n")
print("\n".join(md)); print(machine)
PY
echo "results in $OUT; exit $status"
exit $status
