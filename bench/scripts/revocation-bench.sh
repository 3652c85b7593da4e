#!/usr/bin/env bash
# Revocation data on the real `jpki serve`, side by side with the peers in the same run (docs/benchmarks.md, "Revocation
# at scale"): raw RSA-2048 signing (`openssl speed`), OCSP cached and with a nonce vs `openssl ocsp -multi 2`, the time a
# revocation made by another process takes to show in OCSP and in the delta CRL, and CRL publication of 1,000,000 entries
# (vs `openssl ca -gencrl` on the same number) and of 10,000,000 partitioned entries. Load average before and after
# every part; servers stopped by PID.
#
#   bench/scripts/revocation-bench.sh [OUT_DIR]
#   env: DURATION=30s CONCURRENCY=16 PARTS="rsa ocsp latency crl1m crl10m" NO_BUILD=1 PORT=18491 OPENSSL_PORT=18492
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-30s}
CONCURRENCY=${CONCURRENCY:-16}
PARTS=${PARTS:-"rsa ocsp latency crl1m crl10m"}
PORT=${PORT:-18491}
OPENSSL_PORT=${OPENSSL_PORT:-18492}
OUT=${1:-$ROOT/bench/results/revocation-$(date -u +%Y%m%dT%H%M%SZ)}
JPKI=$ROOT/src/Jpki.Cli/bin/Release/net10.0/jpki
LOAD=$ROOT/bench/Jpki.Load/bin/Release/net10.0/jpki-load
command -v openssl >/dev/null || { echo "revocation-bench.sh: install openssl (apt-get install -y openssl)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "revocation-bench.sh: install sqlite3 (apt-get install -y sqlite3)" >&2; exit 2; }
command -v ab >/dev/null || { echo "revocation-bench.sh: install ApacheBench (apt-get install -y apache2-utils); wrk too for the keep-alive runs" >&2; exit 2; }
mkdir -p "$OUT"
if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/src/Jpki.Cli" >/dev/null
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Load" >/dev/null
fi

DATA=
SERVER_PID=
OPENSSL_PID=
stop() { # pid: the process and its children (openssl ocsp -multi), by PID
  local pid=$1 kids
  [[ -z $pid ]] && return 0
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill "$pid" 2>/dev/null || true
  for k in $kids; do kill "$k" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
}
cleanup() { stop "$SERVER_PID"; stop "$OPENSSL_PID"; [[ -n $DATA ]] && rm -rf "$DATA"; return 0; }
trap cleanup EXIT
load() { echo "$(date -u +%H:%M:%SZ) $(cut -d' ' -f1-3 /proc/loadavg)"; }
note() { echo "$*" | tee -a "$OUT/summary.txt"; }
serve() { # data log -> SERVER_PID; waits for /healthz (the first start waits for the first CRLs)
  "$JPKI" serve --data "$1" --urls "http://127.0.0.1:$PORT" >"$2" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1200); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "jpki serve exited early, see $2" >&2; exit 2; }
    sleep 0.5
  done
  echo "jpki serve did not answer" >&2; exit 2
}
hwm() { grep VmHWM "/proc/$1/status" | awk '{printf "%.1f MiB", $2/1024}'; }
{ lscpu | grep 'Model name' || true; nproc; openssl version; dotnet --version; } >"$OUT/machine.txt"
note "machine: $(grep 'Model name' "$OUT/machine.txt" | sed 's/.*: *//'), $(nproc) cores; start $(load)"

if [[ " $PARTS " == *" rsa "* ]]; then
  openssl speed -seconds 10 -multi 2 rsa2048 >"$OUT/openssl-speed.txt" 2>&1
  note "raw RSA-2048 sign, openssl speed -multi 2: $(awk '/^rsa 2048/ {print $6}' "$OUT/openssl-speed.txt" | tail -1)/s ($(load))"
fi

if [[ " $PARTS " == *" ocsp "* || " $PARTS " == *" latency "* ]]; then
  DATA=$(mktemp -d /tmp/jpki-revbench.XXXXXX)
  "$LOAD" prepare --data "$DATA" --auth-certs 1000 --sign-certs 0 --cards 0 --signatures 0 --base-url "http://127.0.0.1:$PORT" >"$OUT/prepare-ocsp.log" 2>&1
  serve "$DATA" "$OUT/server-ocsp.log"
  O=$DATA/load/openssl
  openssl ocsp -index "$O/index.txt" -port "$OPENSSL_PORT" -rsigner "$O/ca.pem" -rkey "$DATA/authority/auth-ca.key.pem" -passin "file:$DATA/authority/passphrase" -CA "$O/ca.pem" -nmin 60 -multi 2 >"$OUT/openssl-ocsp.log" 2>&1 &
  OPENSSL_PID=$!
  for _ in $(seq 120); do [[ -n $(ss -ltnH "sport = :$OPENSSL_PORT" 2>/dev/null) ]] && break; sleep 0.5; done
  if [[ " $PARTS " == *" ocsp "* ]]; then
    run() { # name url extra...
      local name=$1 url=$2; shift 2
      "$LOAD" ocsp --url "$url" --data "$DATA" --kinds auth --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup 5s --json --out "$OUT/$name.json" "$@" >/dev/null 2>"$OUT/$name.err" || true
      note "$name: $(python3 -c "import json,sys; r=json.load(open('$OUT/$name.json')); print(f\"{r['throughput']:.0f}/s, errors {r['errors']}, p50 {r['latency']['p50']} ms, p99 {r['latency']['p99']} ms\")" 2>/dev/null || echo "see $OUT/$name.err") ($(load))"
    }
    run jpki-cached-post "http://127.0.0.1:$PORT" --mix 90:10:0 --get-percent 0
    run jpki-cached-get "http://127.0.0.1:$PORT" --mix 90:10:0 --get-percent 100
    run jpki-nonce "http://127.0.0.1:$PORT" --mix 90:10:0 --get-percent 0 --nonce-percent 100
    run jpki-unknown "http://127.0.0.1:$PORT" --mix 0:0:100 --get-percent 0
    # The same client for both responders: ApacheBench, one request file, a connection per request (openssl ocsp has
    # no keep-alive), then wrk with keep-alive on jpki (what a reverse proxy or CDN in front of it does). jpki-load
    # (above) checks every answer but is itself the bottleneck on 2 cores with nonces (it verifies each fresh signature).
    S=$(awk -F'\t' '$1=="V" {print $4; exit}' "$O/index.txt")
    openssl ocsp -issuer "$O/ca.pem" -serial "0x$S" -no_nonce -reqout "$OUT/req.der" >/dev/null 2>&1
    openssl ocsp -issuer "$O/ca.pem" -serial "0x$S" -nonce -reqout "$OUT/req-nonce.der" >/dev/null 2>&1
    GET_PATH=$(base64 -w0 "$OUT/req.der" | sed 's/+/%2B/g; s#/#%2F#g; s/=/%3D/g')
    ab_run() { # name url [ab options...]
      local name=$1 url=$2; shift 2
      ab -q -t "${DURATION%s}" -n 100000000 -c "$CONCURRENCY" "$@" "$url" >"$OUT/$name.ab" 2>&1 || true
      note "$name: $(awk '/^Requests per second/ {r=$4} /^Failed requests/ {f=$3} /^Non-2xx/ {n=$3} /^  50%/ {p50=$2} /^  99%/ {p99=$2} END {printf "%.0f/s, failed %s, non-2xx %s, p50 %s ms, p99 %s ms", r, f, (n == "" ? 0 : n), p50, p99}' "$OUT/$name.ab") ($(load))"
    }
    ab_run ab-jpki-cached-close "http://127.0.0.1:$PORT/ocsp" -p "$OUT/req.der" -T application/ocsp-request
    ab_run ab-openssl-close "http://[::1]:$OPENSSL_PORT/" -p "$OUT/req.der" -T application/ocsp-request
    ab_run ab-jpki-nonce-close "http://127.0.0.1:$PORT/ocsp" -p "$OUT/req-nonce.der" -T application/ocsp-request
    ab_run ab-openssl-nonce-close "http://[::1]:$OPENSSL_PORT/" -p "$OUT/req-nonce.der" -T application/ocsp-request
    ab_run ab-jpki-cached-keepalive "http://127.0.0.1:$PORT/ocsp" -k -p "$OUT/req.der" -T application/ocsp-request
    ab_run ab-jpki-nonce-keepalive "http://127.0.0.1:$PORT/ocsp" -k -p "$OUT/req-nonce.der" -T application/ocsp-request
    if command -v wrk >/dev/null; then
      wrk_run() { # name lua-body-file url
        local name=$1 body=$2 url=$3
        if [[ -n $body ]]; then
          printf 'local f = io.open("%s", "rb"); wrk.method = "POST"; wrk.body = f:read("*all"); f:close(); wrk.headers["Content-Type"] = "application/ocsp-request"\n' "$body" >"$OUT/$name.lua"
        else
          : >"$OUT/$name.lua"
        fi
        wrk -t2 -c"$CONCURRENCY" -d"$DURATION" -s "$OUT/$name.lua" --latency "$url" >"$OUT/$name.wrk" 2>&1 || true
        note "$name: $(awk '/^Requests\/sec/ {r=$2} /Non-2xx/ {n=$NF} /Socket errors/ {e=$0} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%.0f/s, non-2xx %s, p50 %s, p99 %s%s", r, (n == "" ? 0 : n), p50, p99, (e == "" ? "" : ", " e)}' "$OUT/$name.wrk") ($(load))"
      }
      wrk_run wrk-jpki-cached-post "$OUT/req.der" "http://127.0.0.1:$PORT/ocsp"
      wrk_run wrk-jpki-cached-get "" "http://127.0.0.1:$PORT/ocsp/$GET_PATH"
      wrk_run wrk-jpki-nonce-post "$OUT/req-nonce.der" "http://127.0.0.1:$PORT/ocsp"
    else
      note "wrk not installed (apt-get install -y wrk): keep-alive capacity runs skipped"
    fi
    note "jpki serve peak RSS after OCSP: $(hwm "$SERVER_PID")"
  fi
  stop "$OPENSSL_PID"; OPENSSL_PID=
  if [[ " $PARTS " == *" latency "* ]]; then
    "$LOAD" revoke-latency --url "http://127.0.0.1:$PORT" --data "$DATA" --count 10 >"$OUT/revoke-latency.txt" 2>&1 || true
    note "revocation by another process: $(tail -1 "$OUT/revoke-latency.txt") ($(load))"
  fi
  stop "$SERVER_PID"; SERVER_PID=
  rm -rf "$DATA"; DATA=
fi

crl_run() { # name count partition-months extra-prepare-flags
  local name=$1 count=$2 months=$3; shift 3
  DATA=$(mktemp -d /tmp/jpki-revbench.XXXXXX)
  "$LOAD" prepare --data "$DATA" --auth-certs 1 --sign-certs 0 --revoke-every 0 --cards 0 --signatures 0 --base-url "http://127.0.0.1:$PORT" --crl-partition-months "$months" "$@" >"$OUT/prepare-$name.log" 2>&1
  "$LOAD" fill-revoked --data "$DATA" --count "$count" --kind auth >"$OUT/fill-$name.log" 2>&1
  # First start of the server on this registry: it publishes before it listens; the log line says how long it took.
  serve "$DATA" "$OUT/server-$name.log"
  note "$name, first publication (the server starting beside it): $(grep -h 'CRL published: auth base' "$OUT/server-$name.log" | head -1 | sed 's/.*CRL published: //') — jpki serve peak RSS $(hwm "$SERVER_PID") ($(load))"
  # The steady state: the warm server rebuilds its complete CRLs after a revocation by another process (the command
  # line, as an operator would), once the minimum interval between complete CRLs (1 minute) has passed.
  sleep 62
  local serial cpu0 cpu1
  serial=$(sqlite3 "$DATA/registry.db" "SELECT serial FROM certificates WHERE revoked_at IS NULL AND kind = 2 LIMIT 1")
  cpu0=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  "$JPKI" authority revoke --data "$DATA" --serial "$serial" >"$OUT/revoke-$name.log" 2>&1
  for _ in $(seq 600); do [[ $(grep -c 'CRL published: auth base' "$OUT/server-$name.log") -ge 2 ]] && break; sleep 0.5; done
  cpu1=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  note "$name, rebuilt by the running server after a revocation: $(grep -h 'CRL published: auth base' "$OUT/server-$name.log" | sed -n 2p | sed 's/.*CRL published: //') — server CPU in that window $(( (cpu1 - cpu0) * 10 )) ms (with the OCSP pre-signer at work), $(grep -E 'RssAnon' "/proc/$SERVER_PID/status" | tr -s ' ' | tr -d '\t'), peak RSS $(hwm "$SERVER_PID") ($(load))"
  stop "$SERVER_PID"; SERVER_PID=
  rm -rf "$DATA"; DATA=
}

if [[ " $PARTS " == *" crl1m "* ]]; then
  crl_run crl-1m-full 1000000 0
  # The peer: openssl ca -gencrl over an index of as many revoked certificates, same key size.
  P=$(mktemp -d /tmp/jpki-opensslca.XXXXXX)
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$P/ca.key" -out "$P/ca.pem" -subj "/C=JP/O=Bench/CN=Bench CA" -days 3650 2>/dev/null
  awk 'BEGIN { srand(17); for (i = 0; i < 1000000; i++) { s = sprintf("%08X%08X%08X%08X", int(rand()*2147483647), int(rand()*4294967295), int(rand()*4294967295), i); printf "R\t301231000000Z\t260101000000Z,keyCompromise\t%s\tunknown\t/C=JP/CN=x\n", s } }' >"$P/index.txt"
  echo 01 >"$P/crlnumber"
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=sha256\ndefault_crl_days=1\n' "$P" "$P" >"$P/ca.cnf"
  /usr/bin/time -v openssl ca -gencrl -config "$P/ca.cnf" -keyfile "$P/ca.key" -cert "$P/ca.pem" -out "$P/ca.crl" >"$OUT/openssl-ca-gencrl.txt" 2>&1 || true
  note "openssl ca -gencrl, 1,000,000 entries: $(grep 'Elapsed (wall' "$OUT/openssl-ca-gencrl.txt" | sed 's/.*: //') wall, max RSS $(grep 'Maximum resident' "$OUT/openssl-ca-gencrl.txt" | awk '{printf "%.1f MiB", $6/1024}'), $(stat -c %s "$P/ca.crl" 2>/dev/null) bytes ($(load))"
  rm -rf "$P"
fi

if [[ " $PARTS " == *" crl10m "* ]]; then
  crl_run crl-10m-partitioned 10000000 1 --no-full-crl
fi
note "end $(load)"
