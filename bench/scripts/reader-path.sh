#!/usr/bin/env bash
# The card's reader path side by side, in one run: `openssl speed rsa2048` (the peer), then the BenchmarkDotNet class
# ReaderPathBenchmarks (APDUs and signatures through pcscd + vpcd + `jpki card insert`, the same APDUs to the card
# processor in-process, raw RSA-2048, one `pkcs11-tool --login --sign` and one `jpki card sign --reader` process per
# operation), with the load average before and after. The benchmark starts its own pcscd (port 36002) under the
# machine's pcscd lock (/tmp/jpki-pcscd.lock) and stops it by PID.
#
#   bench/scripts/reader-path.sh [OUT_DIR]       env: JOB=short (BenchmarkDotNet job), NO_BUILD=1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/bench/results/reader-path-$(date -u +%Y%m%dT%H%M%SZ)}
JOB=${JOB:-short}
for tool in openssl pcscd pkcs11-tool; do
  command -v "$tool" >/dev/null || { echo "reader-path.sh: $tool is missing (apt-get install -y openssl pcscd vsmartcard-vpcd opensc)" >&2; exit 2; }
done
mkdir -p "$OUT"
if [[ -z ${NO_BUILD:-} ]]; then
  dotnet build -c Release -nologo -v q "$ROOT/bench/Jpki.Benchmarks" >/dev/null
fi

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/summary.txt"

openssl speed -seconds 5 rsa2048 2>/dev/null | tee "$OUT/openssl-speed.txt" | tail -2
echo "load average after openssl: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"

(cd "$ROOT/bench/Jpki.Benchmarks" && dotnet run -c Release --no-build -- --filter '*ReaderPathBenchmarks*' --job "$JOB" --inProcess \
  --artifacts "$OUT/BenchmarkDotNet.Artifacts") | tee "$OUT/benchmarkdotnet.txt" | grep -E '^\|' || true
echo "load average after BenchmarkDotNet: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
echo "results in $OUT"
