#!/usr/bin/env bash
# Signed documents (issue 15), each figure beside a peer in the same run (docs/benchmarks.md, "Signed documents"):
#  1. PAdES validation of a PDF with 5 signatures (5 incremental updates by `jpki sign --format pades`): `jpki verify`
#     as a process, the same validator in-process (Jpki.Benchmarks signed-document-rate), and `pdfsig` (poppler + NSS)
#     on the same file.
#  2. XAdES B-B enveloped verifications/s: our validator in-process and `jpki verify` per process vs `xmlsec1 --verify`
#     in a loop on the same document.
#  3. RFC 3161 time-stamps from POST /tsa of a real `jpki serve` (ab -p query -T application/timestamp-query) vs
#     `openssl ts -reply` per token with the SAME TSA key and certificate (the data folder's tsa.key.pem): throughput
#     and CPU per token (server process CPU from /proc for jpki; user+sys of the openssl processes).
#  4. `jpki sign --format pades` of a 10 MB and a 100 MB PDF with a virtual card: wall time and peak RSS
#     (/usr/bin/time -v), vs `openssl cms -sign -binary` over the same files (a software RSA-2048 key).
#
#   bench/scripts/signed-documents.sh [OUT_DIR]
#   env: NO_BUILD=1 SECONDS_RATE=5 RUNS=20 XMLSEC_RUNS=200 TSA_REQUESTS=3000 TSA_CONCURRENCY=4 OPENSSL_TOKENS=300
#        JPKI_PORT=18515 SKIP_BIG=1 (no 100 MB files)
# Needs: dotnet, python3, openssl, qpdf, pdfsig (poppler-utils), certutil (libnss3-tools), xmlsec1, ab (apache2-utils),
# /usr/bin/time (package time). Everything is made in a temporary folder; the server is stopped by its PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/bench/results/signed-documents-$(date -u +%Y%m%dT%H%M%SZ)}
SECONDS_RATE=${SECONDS_RATE:-5}
RUNS=${RUNS:-20}
XMLSEC_RUNS=${XMLSEC_RUNS:-200}
TSA_REQUESTS=${TSA_REQUESTS:-3000}
TSA_CONCURRENCY=${TSA_CONCURRENCY:-4}
OPENSSL_TOKENS=${OPENSSL_TOKENS:-300}
JPKI_PORT=${JPKI_PORT:-18515}
JPKI=$ROOT/src/Jpki.Cli/bin/Release/net10.0/jpki
BENCH=$ROOT/bench/Jpki.Benchmarks/bin/Release/net10.0/Jpki.Benchmarks
for tool in python3 openssl qpdf pdfsig certutil xmlsec1 ab /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "signed-documents.sh: $tool is missing (see the header for packages)" >&2; exit 2; }
done
mkdir -p "$OUT"
if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/src/Jpki.Cli" >/dev/null
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Benchmarks" >/dev/null
fi

W=$(mktemp -d /tmp/jpki-signed-docs.XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
log() { echo "$*" | tee -a "$OUT/summary.txt"; }
# loop N CMD...: runs CMD N times in one bash (stdout/stderr dropped, any failure stops the script) under
# /usr/bin/time; prints "wall_s user_s sys_s" for the N runs together (children included).
loop() {
  local n=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$W/time.out" bash -c 'n=$1; shift; for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; done' _ "$n" "$@"
  cat "$W/time.out"
}
per_run() { # "wall user sys" N -> "wall ms/run, CPU ms/run, runs/s"
  awk -v n="$2" '{ printf "%.1f ms wall/run, %.1f ms CPU/run, %.1f runs/s", $1 * 1000 / n, ($2 + $3) * 1000 / n, n / $1 }' <<<"$1"
}

log "# signed-documents.sh $(date -u +%FT%TZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
log "# $(dotnet --version 2>/dev/null | sed 's/^/dotnet /'), $(openssl version), $(xmlsec1 --version), $(pdfsig -v 2>&1 | head -1), $(ab -V | head -1)"
log "# load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- Setup: an authority, a virtual card issued by it, the sign CA's CRL, an NSS database trusting the sign CA.
export JPKI_BENCH_AUTH=1234 JPKI_BENCH_SIGN=ABC123 JPKI_BENCH_CARD=5678
"$JPKI" card new --out "$W/card.jpkicard" --number BENCH1 >/dev/null
"$JPKI" card dev-issue --card "$W/card.jpkicard" --data "$W/data" --auth-pin-env JPKI_BENCH_AUTH --sign-password-env JPKI_BENCH_SIGN --card-pin-env JPKI_BENCH_CARD >/dev/null 2>&1
echo abc123 >"$W/password"
CA=$W/data/authority/sign-ca.cer
"$JPKI" authority crl --data "$W/data" --kind sign --out "$W/sign.crl" >/dev/null
openssl x509 -inform DER -in "$CA" -out "$W/sign-ca.pem"
mkdir "$W/nss" && certutil -N -d "sql:$W/nss" --empty-password && certutil -A -d "sql:$W/nss" -n sign-ca -t "CT,C,C" -i "$CA"
SIGN=("$JPKI" sign --card "$W/card.jpkicard" --password-file "$W/password")
VERIFY=(--trust "$CA" --allow-test-policy --crl "$W/sign.crl")

# --- 1. PAdES, 5 signatures.
python3 "$ROOT/bench/scripts/make-pdf.py" "$W/p0.pdf"
for i in 1 2 3 4 5; do "${SIGN[@]}" --format pades --in "$W/p$((i - 1)).pdf" --out "$W/p$i.pdf" >/dev/null; done
P5=$W/p5.pdf
"$JPKI" verify --in "$P5" "${VERIFY[@]}" --report "$OUT/pades5-report.json" >/dev/null
[[ $(grep -c '"indication": "TOTAL-PASSED"' "$OUT/pades5-report.json") -eq 6 ]] || { echo "the 5-signature PDF is not TOTAL-PASSED 5 times" >&2; exit 1; }
[[ $(pdfsig -nssdir "sql:$W/nss" "$P5" | grep -c 'Signature is Valid.') -eq 5 ]] || { echo "pdfsig does not call 5 signatures valid" >&2; exit 1; }
log ""
log "## 1. PAdES validation, 5 signatures ($(stat -c %s "$P5") bytes, B-B, 5 incremental updates); load $(cut -d' ' -f1-3 /proc/loadavg)"
t=$(loop "$RUNS" "$JPKI" verify --in "$P5" "${VERIFY[@]}")
log "jpki verify (process, CRL file, all 5 judged):   $(per_run "$t" "$RUNS") [$RUNS runs]; per signature $(awk -v n="$RUNS" '{ printf "%.1f ms wall", $1 * 1000 / n / 5 }' <<<"$t")"
t=$(loop "$RUNS" "$JPKI" --version)
log "jpki --version (the .NET process start alone):  $(per_run "$t" "$RUNS") [$RUNS runs]"
t=$(loop "$RUNS" pdfsig -nssdir "sql:$W/nss" "$P5")
log "pdfsig -nssdir (process, 5 signatures, NSS):     $(per_run "$t" "$RUNS") [$RUNS runs]; per signature $(awk -v n="$RUNS" '{ printf "%.1f ms wall", $1 * 1000 / n / 5 }' <<<"$t")"
log "in-process (the validator jpki verify runs):"
"$BENCH" signed-document-rate --in "$P5" "${VERIFY[@]}" --seconds "$SECONDS_RATE" --threads 1 | tee -a "$OUT/summary.txt"

# --- 2. XAdES B-B enveloped.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<申請 xmlns="urn:openjpki:bench"><手続>住民票の写しの交付請求</手続><氏名>試験　太郎</氏名><通数>1</通数></申請>\n' >"$W/request.xml"
"${SIGN[@]}" --format xades --in "$W/request.xml" --out "$W/request.signed.xml" >/dev/null
XMLSEC=(xmlsec1 --verify --trusted-pem "$W/sign-ca.pem" --id-attr:Id 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties' "$W/request.signed.xml")
"${XMLSEC[@]}" >/dev/null 2>&1 || { echo "xmlsec1 refuses the XAdES document" >&2; exit 1; }
log ""
log "## 2. XAdES B-B enveloped ($(stat -c %s "$W/request.signed.xml") bytes); load $(cut -d' ' -f1-3 /proc/loadavg)"
t=$(loop "$XMLSEC_RUNS" "${XMLSEC[@]}")
log "xmlsec1 --verify (process; chain, no CRL):       $(per_run "$t" "$XMLSEC_RUNS") [$XMLSEC_RUNS runs]"
t=$(loop "$RUNS" "$JPKI" verify --in "$W/request.signed.xml" "${VERIFY[@]}")
log "jpki verify (process; chain, CRL, XAdES rules):  $(per_run "$t" "$RUNS") [$RUNS runs]"
log "in-process, 1 and $(nproc) threads:"
"$BENCH" signed-document-rate --in "$W/request.signed.xml" "${VERIFY[@]}" --seconds "$SECONDS_RATE" --threads 1 | tee -a "$OUT/summary.txt"
"$BENCH" signed-document-rate --in "$W/request.signed.xml" "${VERIFY[@]}" --seconds "$SECONDS_RATE" --threads "$(nproc)" | tee -a "$OUT/summary.txt"

# --- 3. Time-stamps: jpki serve /tsa vs openssl ts -reply, the same TSA key.
"$JPKI" serve --data "$W/data" --urls "http://127.0.0.1:$JPKI_PORT" >"$OUT/jpki-server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$JPKI_PORT/healthz" && break; kill -0 "$SERVER_PID" || { echo "jpki serve exited" >&2; exit 2; }; sleep 0.5; done
head -c 4096 /dev/urandom >"$W/document"
openssl ts -query -data "$W/document" -sha256 -cert -out "$W/q.tsq" 2>/dev/null
openssl x509 -inform DER -in "$W/data/authority/tsa/tsa-root.cer" -out "$W/tsa-root.pem"
openssl x509 -inform DER -in "$W/data/authority/tsa/tsa.cer" -out "$W/tsa.pem"
curl -s -H 'Content-Type: application/timestamp-query' --data-binary "@$W/q.tsq" "http://127.0.0.1:$JPKI_PORT/tsa" -o "$W/jpki.tsr"
openssl ts -verify -in "$W/jpki.tsr" -queryfile "$W/q.tsq" -CAfile "$W/tsa-root.pem" >/dev/null 2>&1 || { echo "openssl ts -verify refuses the jpki token" >&2; exit 1; }
# Warm-up (JIT, connection pool, SQLite), then the measured run; server CPU from /proc/PID/stat (utime + stime, ticks).
ab -q -l -n 300 -c "$TSA_CONCURRENCY" -p "$W/q.tsq" -T application/timestamp-query "http://127.0.0.1:$JPKI_PORT/tsa" >/dev/null 2>&1
ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
sys_ticks() { awk '{ print $15 }' "/proc/$SERVER_PID/stat"; }
HZ=$(getconf CLK_TCK)
before=$(ticks)
sys_before=$(sys_ticks)
log ""
log "## 3. RFC 3161 time-stamps (RSA-2048 TSA key, SHA-256 imprint, certReq, nonce); load $(cut -d' ' -f1-3 /proc/loadavg)"
ab -l -n "$TSA_REQUESTS" -c "$TSA_CONCURRENCY" -p "$W/q.tsq" -T application/timestamp-query "http://127.0.0.1:$JPKI_PORT/tsa" >"$OUT/ab-tsa.txt" 2>&1
after=$(ticks)
sys_after=$(sys_ticks)
ab -k -l -n "$TSA_REQUESTS" -c "$TSA_CONCURRENCY" -p "$W/q.tsq" -T application/timestamp-query "http://127.0.0.1:$JPKI_PORT/tsa" >"$OUT/ab-tsa-keepalive.txt" 2>&1
after_k=$(ticks)
curl -s -H 'Content-Type: application/timestamp-query' --data-binary "@$W/q.tsq" "http://127.0.0.1:$JPKI_PORT/tsa" -o "$W/jpki2.tsr"
openssl ts -verify -in "$W/jpki2.tsr" -queryfile "$W/q.tsq" -CAfile "$W/tsa-root.pem" >/dev/null 2>&1 || { echo "openssl ts -verify refuses a token after the load" >&2; exit 1; }
stamps=$(sqlite3 "$W/data/registry.db" "select count(*) from audit_log where action = 'tsa.stamp'" 2>/dev/null || echo '?')
sent=$((2 * TSA_REQUESTS + 302))
log "jpki serve POST /tsa (ab -c $TSA_CONCURRENCY, no keep-alive): $(grep 'Requests per second' "$OUT/ab-tsa.txt" | awk '{ print $4 }') tokens/s, $(grep 'Non-2xx\|Failed requests' "$OUT/ab-tsa.txt" | tr -s ' ' | tr '\n' ' ')," \
  "server CPU $(awk -v t=$((after - before)) -v hz="$HZ" -v n="$TSA_REQUESTS" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }') µs/token (of it kernel $(awk -v t=$((sys_after - sys_before)) -v hz="$HZ" -v n="$TSA_REQUESTS" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }') µs), p50 $(grep ' 50%' "$OUT/ab-tsa.txt" | awk '{ print $2 }') ms, p99 $(grep ' 99%' "$OUT/ab-tsa.txt" | awk '{ print $2 }') ms; tsa.stamp entries in the audit log: $stamps of $sent sent"
log "jpki serve POST /tsa (ab -k -c $TSA_CONCURRENCY, keep-alive):  $(grep 'Requests per second' "$OUT/ab-tsa-keepalive.txt" | awk '{ print $4 }') tokens/s, $(grep 'Non-2xx\|Failed requests' "$OUT/ab-tsa-keepalive.txt" | tr -s ' ' | tr '\n' ' ')," \
  "server CPU $(awk -v t=$((after_k - after)) -v hz="$HZ" -v n="$TSA_REQUESTS" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }') µs/token, p50 $(grep ' 50%' "$OUT/ab-tsa-keepalive.txt" | awk '{ print $2 }') ms, p99 $(grep ' 99%' "$OUT/ab-tsa-keepalive.txt" | awk '{ print $2 }') ms"
# openssl's TSA (ts -reply) is a command, not a server: one process per token, the same key and certificate.
cat >"$W/ts.cnf" <<EOF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $W/openssl-tsa
serial = \$dir/serial
crypto_device = builtin
signer_cert = $W/tsa.pem
signer_key = $W/openssl-tsa/tsa.key
signer_digest = sha256
default_policy = 2.25.76864767542229276270240720139850657592
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOF
mkdir -p "$W/openssl-tsa" && echo 01 >"$W/openssl-tsa/serial"
# The same key, decrypted once (the data folder's copy is encrypted with a slow KDF that would dominate each process).
openssl pkey -in "$W/data/authority/tsa/tsa.key.pem" -passin "file:$W/data/authority/passphrase" -out "$W/openssl-tsa/tsa.key"
OPENSSL_TS=(openssl ts -reply -config "$W/ts.cnf" -queryfile "$W/q.tsq" -out "$W/openssl.tsr")
"${OPENSSL_TS[@]}" >/dev/null 2>&1 || { echo "openssl ts -reply failed" >&2; exit 1; }
openssl ts -verify -in "$W/openssl.tsr" -queryfile "$W/q.tsq" -CAfile "$W/tsa-root.pem" >/dev/null 2>&1 || { echo "openssl ts -verify refuses the openssl token" >&2; exit 1; }
t=$(loop "$OPENSSL_TOKENS" "${OPENSSL_TS[@]}")
log "openssl ts -reply (process per token, 1 at a time): $(per_run "$t" "$OPENSSL_TOKENS" | sed 's/runs/tokens/; s/run/token/g') [$OPENSSL_TOKENS tokens]"
N=$(nproc)
t=$(loop 1 bash -c "seq $OPENSSL_TOKENS | xargs -P $N -I{} openssl ts -reply -config '$W/ts.cnf' -queryfile '$W/q.tsq' -out '$W/openssl-{}.tsr'")
log "openssl ts -reply ($N processes at a time):         $(awk -v n="$OPENSSL_TOKENS" '{ printf "%.1f tokens/s, %.1f ms CPU/token", n / $1, ($2 + $3) * 1000 / n }' <<<"$t") [$OPENSSL_TOKENS tokens]"
log "raw RSA-2048 signing on this machine (openssl speed, 1 core, 3 s): $(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/ { print $6 " signs/s" }')"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=

# --- 4. Signing a large PDF: memory must not grow with the file.
if [[ -z ${SKIP_BIG:-} ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/peer.key" -out "$W/peer.pem" -subj /CN=peer -days 30 2>/dev/null
  log ""
  log "## 4. Signing large PDFs (peak RSS = /usr/bin/time -v 'Maximum resident set size'); load $(cut -d' ' -f1-3 /proc/loadavg)"
  for mb in 10 100; do
    python3 "$ROOT/bench/scripts/make-pdf.py" "$W/big$mb.pdf" "$mb"
    rm -f "$W/big$mb.signed.pdf"
    sync
    /usr/bin/time -v "${SIGN[@]}" --format pades --in "$W/big$mb.pdf" --out "$W/big$mb.signed.pdf" >/dev/null 2>"$W/time-jpki.txt"
    /usr/bin/time -v openssl cms -sign -binary -in "$W/big$mb.pdf" -signer "$W/peer.pem" -inkey "$W/peer.key" -outform DER -out "$W/big$mb.p7s" >/dev/null 2>"$W/time-openssl.txt"
    /usr/bin/time -v "$JPKI" verify --in "$W/big$mb.signed.pdf" "${VERIFY[@]}" >/dev/null 2>"$W/time-verify.txt"
    /usr/bin/time -v pdfsig -nssdir "sql:$W/nss" "$W/big$mb.signed.pdf" >"$W/pdfsig.txt" 2>"$W/time-pdfsig.txt"
    grep -q 'Signature is Valid.' "$W/pdfsig.txt" || { echo "pdfsig: the $mb MB PDF's signature is not valid" >&2; exit 1; }
    for who in jpki openssl verify pdfsig; do
      label=$(case $who in jpki) echo "jpki sign --format pades";; openssl) echo "openssl cms -sign -binary";; verify) echo "jpki verify (signed PDF)";; pdfsig) echo "pdfsig (signed PDF)";; esac)
      log "$(printf '%-4s MB  %-26s' "$mb" "$label") wall $(grep 'Elapsed (wall' "$W/time-$who.txt" | awk '{ print $NF }'), CPU $(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f s", u + s }' "$W/time-$who.txt"), peak RSS $(awk -F': ' '/Maximum resident/ { printf "%.1f MB", $2 / 1024 }' "$W/time-$who.txt")"
    done
    rm -f "$W/big$mb.pdf" "$W/big$mb.signed.pdf" "$W/big$mb.p7s"
  done
fi
log ""
log "# load at end: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
