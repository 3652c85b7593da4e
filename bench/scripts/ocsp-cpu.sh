#!/usr/bin/env bash
# Server CPU per OCSP answer of the real `jpki serve` after a warm-up, beside raw RSA-2048 signing (`openssl speed`) in the
# same run (docs/benchmarks.md, "Steady state"). ApacheBench with keep-alive, 8 connections, one request file (with or
# without a nonce); the server's utime+stime from /proc before and after the measured requests.
#
#   bench/scripts/ocsp-cpu.sh [nonce|cached]
#   env: WARM=30 (seconds of warm-up: tiered compilation needs ~15 s), N=10000 (measured requests), PORT=18591, NO_BUILD=1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODE=${1:-nonce}
WARM=${WARM:-30}
N=${N:-10000}
PORT=${PORT:-18591}
JPKI=$ROOT/src/Jpki.Cli/bin/Release/net10.0/jpki
LOAD=$ROOT/bench/Jpki.Load/bin/Release/net10.0/jpki-load
command -v ab >/dev/null || { echo "ocsp-cpu.sh: install ApacheBench (apt-get install -y apache2-utils)" >&2; exit 2; }
if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/src/Jpki.Cli" >/dev/null
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Load" >/dev/null
fi
DATA=$(mktemp -d /tmp/jpki-ocspcpu.XXXXXX)
PID=
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$DATA"; return 0; }
trap cleanup EXIT
"$LOAD" prepare --data "$DATA" --auth-certs 200 --sign-certs 0 --cards 0 --signatures 0 --base-url "http://127.0.0.1:$PORT" >"$DATA/prepare.log" 2>&1
"$JPKI" serve --data "$DATA" --urls "http://127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
O=$DATA/load/openssl
S=$(awk -F'\t' '$1=="V" {print $4; exit}' "$O/index.txt")
[[ $MODE == nonce ]] && FLAG=-nonce || FLAG=-no_nonce
openssl ocsp -issuer "$O/ca.pem" -serial "0x$S" $FLAG -reqout "$DATA/req.der" >/dev/null 2>&1
ab -q -k -t "$WARM" -n 100000000 -c 8 -p "$DATA/req.der" -T application/ocsp-request "http://127.0.0.1:$PORT/ocsp" >/dev/null 2>&1
t0=$(awk '{print $14+$15}' "/proc/$PID/stat")
ab -q -k -n "$N" -c 8 -p "$DATA/req.der" -T application/ocsp-request "http://127.0.0.1:$PORT/ocsp" >"$DATA/ab.txt" 2>&1
t1=$(awk '{print $14+$15}' "/proc/$PID/stat")
rps=$(awk '/^Requests per second/ {print $4}' "$DATA/ab.txt")
failed=$(awk '/^Failed requests/ {print $3}' "$DATA/ab.txt")
cpu=$(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / N ))
raw=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048/ {printf "%.0f", $4 * 1000000}')
echo "jpki serve $MODE: $cpu µs CPU per answer, $rps answers/s (ab -k -c 8, failed $failed); openssl speed rsa2048: $raw µs per sign (one core); ratio $(( raw * 100 / cpu )) %; load $(cut -d' ' -f1-3 /proc/loadavg)"
