#!/usr/bin/env bash
# National scale on PostgreSQL (issue 17; docs/benchmarks.md "Registry at scale"): fills a PostgreSQL registry with
# COUNT certificates through COPY (jpki-load fill-registry), then measures on the real `jpki serve`: the first
# publication of the partitioned CRLs over all revoked rows (the server log's "CRL published" lines), disk per million
# certificates, issuance through the authority API and OCSP look-ups of filled serials. Load average with every line.
#
#   bench/scripts/registry-scale.sh [OUT_DIR]
#   env: COUNT=2000000 REVOKED_PER_MILLE=100 PLACEHOLDER= MONTHS=1 PORT=18521 NO_BUILD=1 DURATION=20
#        PREPARE_FLAGS= (e.g. --no-full-crl: partition CRLs only, the national-scale layout)
#        FILL_FLAGS= (e.g. --rebuild-indexes: drop the secondary indexes for the load and build them after, for 10M+ rows)
#        KEEP=DIR keeps the data folder and the PostgreSQL cluster in DIR: a second run with the same KEEP skips the
#        prepare and the fill and measures the filled registry again (a 20,000,000-row fill takes a quarter of an hour)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=${COUNT:-2000000}
REVOKED_PER_MILLE=${REVOKED_PER_MILLE:-100}
MONTHS=${MONTHS:-1}
PORT=${PORT:-18521}
DURATION=${DURATION:-20}
OUT=${1:-$ROOT/bench/results/registry-scale-$(date -u +%Y%m%dT%H%M%SZ)}
JPKI=$ROOT/src/Jpki.Cli/bin/Release/net10.0/jpki
LOAD=$ROOT/bench/Jpki.Load/bin/Release/net10.0/jpki-load
mkdir -p "$OUT"
if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/src/Jpki.Cli" >/dev/null
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Load" >/dev/null
fi
load() { echo "$(date -u +%H:%M:%SZ) $(cut -d' ' -f1-3 /proc/loadavg)"; }
note() { echo "$*" | tee -a "$OUT/summary.txt"; }
if [[ -n ${KEEP:-} ]]; then
  mkdir -p "$KEEP"
  export JPKI_BENCH_PG_DIR=$KEEP/pg JPKI_BENCH_PG_PORT=${JPKI_BENCH_PG_PORT:-55433}
  DATA=$KEEP/data
else
  export JPKI_BENCH_PG_DIR=${JPKI_BENCH_PG_DIR:-/tmp/jpki-scale-pg} JPKI_BENCH_PG_PORT=${JPKI_BENCH_PG_PORT:-55433}
  DATA=$(mktemp -d /tmp/jpki-scale.XXXXXX)
fi
eval "$("$ROOT/bench/scripts/start-postgres.sh")"
SERVER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  if [[ -n ${KEEP:-} ]]; then
    /usr/lib/postgresql/15/bin/pg_ctl stop -m fast -w -D "$JPKI_BENCH_PG_DIR/data" >/dev/null 2>&1 ||
      runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl stop -m fast -w -D "$JPKI_BENCH_PG_DIR/data" >/dev/null
  else
    "$ROOT/bench/scripts/stop-postgres.sh"; rm -rf "$DATA"
  fi
}
trap cleanup EXIT
export JPKI_REGISTRY="$JPKI_BENCH_POSTGRES"
note "machine: $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(nproc) cores; PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}'); start $(load)"
REUSED=
if [[ -n ${KEEP:-} && -f $KEEP/filled ]]; then
  REUSED=1
  COUNT=$(sed -n 's/^COUNT=\([0-9]*\).*/\1/p' "$KEEP/filled")
  note "registry kept from an earlier run in $KEEP: $(cat "$KEEP/filled")"
else
  "$LOAD" prepare --data "$DATA" --auth-certs 200 --sign-certs 0 --cards 0 --signatures 0 --base-url "http://127.0.0.1:$PORT" --crl-partition-months "$MONTHS" ${PREPARE_FLAGS:-} >"$OUT/prepare.log" 2>&1
  "$LOAD" fill-registry --data "$DATA" --count "$COUNT" --revoked-per-mille "$REVOKED_PER_MILLE" ${PLACEHOLDER:+--placeholder} ${FILL_FLAGS:-} 2>&1 | tee "$OUT/fill.log" | tail -2
  note "fill: $(grep -o '[0-9,]* rows/s' "$OUT/fill.log" | tail -1) ($(load))"
  note "disk: $(tail -1 "$OUT/fill.log" | sed 's/fill-registry: //')"
  [[ -n ${KEEP:-} ]] && echo "COUNT=$COUNT REVOKED_PER_MILLE=$REVOKED_PER_MILLE MONTHS=$MONTHS PREPARE_FLAGS=${PREPARE_FLAGS:-} $(date -u +%FT%TZ)" >"$KEEP/filled"
fi
"$JPKI" serve --data "$DATA" --urls "http://127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 3600); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "jpki serve exited, see $OUT/server.log" >&2; exit 2; }
  sleep 0.5
done
if [[ -n ${REUSED:-} ]]; then
  # A restart on a registry whose CRLs are published: the server adopts the stored generation (copies the documents
  # it serves) instead of building it again.
  sleep 30
  note "restart on the kept registry: $(grep -c 'CRL published: .* base' "$OUT/server.log" || true) base generations built in the first 30 s after /healthz answered (0: the stored ones adopted) ($(load))"
else
  # The first publication covers every filled revoked row (coverage-checked); wait for both CAs' base CRLs.
  for _ in $(seq 3600); do
    [[ $(grep -c 'CRL published: .* base' "$OUT/server.log") -ge 2 ]] && break
    sleep 0.5
  done
  grep -h 'CRL published' "$OUT/server.log" | head -4 | while read -r line; do note "jpki serve: ${line#*CRL published: } ($(load))"; done
fi
note "jpki serve RSS peak after publication: $(grep VmHWM /proc/$SERVER_PID/status | awk '{printf "%.1f MiB", $2/1024}')"
# The delta CRLs at this scale: one revocation by another process (the command line, as an operator would); the
# publisher follows the registry's revocation sequence and publishes the deltas of every partition.
GOOD=$(psql "host=127.0.0.1 port=$JPKI_BENCH_PG_PORT user=postgres dbname=postgres" -Atc "SELECT serial FROM certificates WHERE revoked_at IS NULL AND kind = 2 AND card_id NOT LIKE 'FILL-%' AND holder_id <> 'ocsp-signer' LIMIT 1")
DELTAS=$(grep -c 'CRL published: auth delta' "$OUT/server.log" || true)
REVOKED_AT=$(date +%s.%N)
"$JPKI" authority revoke --data "$DATA" --serial "$GOOD" >"$OUT/revoke.log" 2>&1
for _ in $(seq 1200); do
  [[ $(grep -c 'CRL published: auth delta' "$OUT/server.log" || true) -gt $DELTAS ]] && break
  sleep 0.25
done
note "delta CRLs after one revocation by the command line: $(grep -h 'CRL published: auth delta' "$OUT/server.log" | tail -1 | sed 's/.*CRL published: //'), visible $(awk -v a="$REVOKED_AT" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s after the revoke command started ($(load))"
# OCSP look-ups of filled serials (not pre-signed: each answer is a registry look-up and a signature on first sight).
psql "host=127.0.0.1 port=$JPKI_BENCH_PG_PORT user=postgres dbname=postgres" -Atc "SELECT serial FROM certificates WHERE card_id LIKE 'FILL-%' AND kind = 2 ORDER BY random() LIMIT 1" >"$OUT/serial.txt"
openssl ocsp -issuer "$DATA/load/openssl/ca.pem" -serial "0x$(cat "$OUT/serial.txt")" -no_nonce -reqout "$OUT/req.der" >/dev/null 2>&1
ab -q -t "$DURATION" -n 100000000 -c 8 -k -p "$OUT/req.der" -T application/ocsp-request "http://127.0.0.1:$PORT/ocsp" >"$OUT/ocsp.ab" 2>&1 || true
note "OCSP, one filled serial of $COUNT rows, keep-alive, ab -c 8: $(awk '/^Requests per second/ {r=$4} /^Failed/ {f=$3} END {printf "%.0f/s, failed %s", r, f}' "$OUT/ocsp.ab") ($(load))"
# Issuance and revocation on the filled registry, by another process on the same data folder and registry (the CA path
# the server runs: registry and audit in one transaction), 8 issuers then 8 revokers, beside the running server.
BENCH=$ROOT/bench/Jpki.Benchmarks/bin/Release/net10.0/Jpki.Benchmarks
if [[ -x $BENCH ]]; then
  "$BENCH" issue-rate --existing "$DATA" --threads 8 --seconds "${ISSUE_SECONDS:-10}" >"$OUT/issue-rate.log" 2>&1 || true
  note "$(grep '^issue-rate' "$OUT/issue-rate.log" | sed 's/store=existing [^ ]*/on the filled registry/') ($(load))"
  note "$(grep '^revoke-rate' "$OUT/issue-rate.log" | sed 's/store=existing [^ ]*/on the filled registry/') ($(load))"
fi
note "end $(load)"
