#!/usr/bin/env bash
# Coverage-guided fuzzing of OpenJpki with SharpFuzz + AFL++ (docs/fuzzing.md).
#
#   fuzz/run.sh                          # every target, 1,000,000 executions each
#   fuzz/run.sh --execs 200000 apdu csv  # some targets, another budget
#   fuzz/run.sh --seconds 600 cms        # a time budget instead (afl-fuzz -V)
#   fuzz/run.sh --save-corpus            # also copy AFL's new queue entries into fuzz/corpus/<target>/q-*
#   fuzz/run.sh replay [target...]       # corpus + findings through the uninstrumented build (no AFL needed)
#
# Fuzzing: installs afl++ (as root, apt-get) and the sharpfuzz tool (dotnet tool restore) when missing, publishes
# fuzz/Jpki.Fuzz into $FUZZ_WORK (default /tmp/jpki-fuzz), instruments OUR assemblies there (never the repo's bin),
# runs afl-fuzz per target under `nice -n 10`, copies crashes and hangs to fuzz/findings/<target>/ (gitignored) and
# prints a summary. Exit status 1 when any target found a crash or a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${FUZZ_WORK:-/tmp/jpki-fuzz}
all_targets=(apdu ocsp-request cms certificate csv pdf-signature)
instrumented=(Jpki.Core.dll Jpki.Card.dll Jpki.Authority.dll Jpki.Verification.dll Jpki.Municipality.dll)
timeout_ms=${FUZZ_TIMEOUT_MS:-3000}   # one execution longer than this is a hang
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dict_of() {
  case "$1" in
    apdu) echo "$repo/fuzz/dict/apdu.dict" ;;
    csv) echo "$repo/fuzz/dict/csv.dict" ;;
    pdf-signature) echo "$repo/fuzz/dict/pdf.dict" ;;
    *) echo "$repo/fuzz/dict/der.dict" ;;
  esac
}

if [[ ${1:-} == replay ]]; then
  shift
  targets=("$@")
  ((${#targets[@]})) || targets=("${all_targets[@]}")
  dotnet build fuzz/Jpki.Fuzz -c Release -nologo -v q
  status=0
  for t in "${targets[@]}"; do
    inputs=("fuzz/corpus/$t")
    [[ -d fuzz/findings/$t ]] && inputs+=("fuzz/findings/$t")
    dotnet fuzz/Jpki.Fuzz/bin/Release/net10.0/Jpki.Fuzz.dll replay "$t" "${inputs[@]}" || status=1
  done
  exit "$status"
fi

execs=1000000
seconds=
save_corpus=0
targets=()
while (($#)); do
  case "$1" in
    --execs) execs=$2; shift 2 ;;
    --seconds) seconds=$2; execs=; shift 2 ;;
    --save-corpus) save_corpus=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")

if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "run.sh: afl-fuzz is missing; install it with: sudo apt-get install -y afl++" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
# An execution budget is enforced here, from fuzzer_stats: Debian's AFL++ 4.04c accepts -E but does not stop at it.
budget=()
[[ -n $seconds ]] && budget=(-V "$seconds")
dotnet tool restore >/dev/null

echo "run.sh: publishing and instrumenting into $work/bin" >&2
rm -rf "$work/bin"
dotnet publish fuzz/Jpki.Fuzz -c Release -o "$work/bin" -nologo -v q
for dll in "${instrumented[@]}"; do
  dotnet tool run sharpfuzz "$work/bin/$dll" >/dev/null
done

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_FORKSRV_INIT_TMOUT=120000 AFL_NO_AFFINITY=1
summary=()
found=0
for t in "${targets[@]}"; do
  out="$work/out/$t"
  rm -rf "$out"
  mkdir -p "$out"
  echo "run.sh: fuzzing $t (${execs:+$execs executions}${seconds:+$seconds s}), log in $out.log" >&2
  start=$(date +%s)
  nice -n 10 afl-fuzz -i "fuzz/corpus/$t" -o "$out" -t "$timeout_ms" -m none -x "$(dict_of "$t")" "${budget[@]}" \
    -- dotnet "$work/bin/Jpki.Fuzz.dll" fuzz "$t" >"$out.log" 2>&1 &
  afl=$!
  stats="$out/default/fuzzer_stats"
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats" 2>/dev/null || true; }
  while kill -0 "$afl" 2>/dev/null; do
    sleep 5
    done_now=$(stat execs_done)
    if [[ -n $execs && -n $done_now ]] && ((done_now >= execs)); then
      kill -INT "$afl" 2>/dev/null || true
    fi
  done
  wait "$afl" || true
  [[ -f $stats ]] || { echo "run.sh: afl-fuzz failed for $t; see $out.log" >&2; tail -20 "$out.log" >&2; exit 1; }
  wall=$(($(date +%s) - start))
  crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
  if ((crashes + hangs > 0)); then
    found=1
    mkdir -p "fuzz/findings/$t"
    for kind in crashes hangs; do
      for f in "$out/default/$kind"/id*; do [[ -e $f ]] && cp "$f" "fuzz/findings/$t/$kind-$(basename "$f" | tr ':,' '__')"; done
    done
  fi
  if ((save_corpus)); then
    # Keep what AFL found interesting: the next run (and the CI replay test) starts from it.
    for f in "$out/default/queue"/id*; do
      [[ $f == *orig:* ]] && continue
      cp "$f" "fuzz/corpus/$t/q-$(basename "$f" | cut -d, -f1 | tr -d 'id:')"
    done
  fi
  summary+=("$(printf '%-13s %10s %9s %7ss %7s %7s %6s' "$t" "$(stat execs_done)" "$(stat execs_per_sec)" "$wall" "$(stat corpus_count)" "$crashes" "$hangs")")
done

printf '\n%-13s %10s %9s %8s %7s %7s %6s\n' target execs execs/s wall corpus crashes hangs
printf '%s\n' "${summary[@]}"
exit "$found"
