#!/usr/bin/env bash
# Runs every OpenJpki test. On a fresh Debian 12 machine it first installs the system packages the tests
# need (as root, with apt-get), because the interop tests use real peers: pcscd + vpcd + OpenSC for the
# card, SoftHSM2 for PKCS#11 CA keys, openssl for cross-checks, PostgreSQL 15 for the registry, and
# Debian's Unihan data for the character table, Chromium for browser tests (driven by Playwright with its
# executable path, no browser download), the IPAex fonts for Japanese pages and PDFs, IPAmj Mincho for the register's
# characters in PDFs (𠮷) and Noto CJK for them in Chromium, the sqlite3 shell (an administrator editing counter.db),
# and node + npm for the openid-client relying party of the OIDC browser test (its npm packages come from the
# committed package-lock.json, `npm ci`), Prometheus (promtool and the server, the judge of `jpki serve --metrics`). The tests start and stop their own servers by PID.
#
#   ./test.sh                 # everything
#   ./test.sh --filter X      # extra arguments go to `dotnet test`
set -euo pipefail
cd "$(dirname "$0")"

# command-or-file -> Debian package
declare -A needs=(
  [pcscd]=pcscd
  [/usr/lib/pcsc/drivers/serial/libifdvpcd.so]=vsmartcard-vpcd
  [pkcs15-tool]=opensc
  [scriptor]=pcsc-tools
  [softhsm2-util]=softhsm2
  [openssl]=openssl
  [curl]=curl
  [xmlsec1]=xmlsec1
  [/usr/share/unicode/Unihan_Variants.txt.bz2]=unicode-data
  [/usr/lib/postgresql/15/bin/initdb]=postgresql-15
  [/usr/bin/chromium]=chromium
  [/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf]=fonts-ipaexfont-gothic
  [/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf]=fonts-ipaexfont-mincho
  [/usr/share/fonts/truetype/ipamj/ipamjm.ttf]=fonts-ipamj-mincho
  [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]=fonts-noto-cjk
  [pdftotext]=poppler-utils
  [pdfsig]=poppler-utils
  [qpdf]=qpdf
  [certutil]=libnss3-tools
  [sqlite3]=sqlite3
  [promtool]=prometheus
  [/usr/share/unifont/unifont_jp.hex]=unifont
  [node]=nodejs
  [npm]=npm
)
missing=()
for what in "${!needs[@]}"; do
  if [[ "$what" == /* ]]; then [[ -e "$what" ]] || missing+=("${needs[$what]}")
  else command -v "$what" >/dev/null 2>&1 || missing+=("${needs[$what]}"); fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "test.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# vpcd's ports (36000 for the card tests, 36001 for the counter's) lie in Linux's ephemeral range: keep the kernel from
# handing them to outgoing connections, whose TIME_WAIT would make vpcd's bind fail. Best effort (root, writable /proc).
if [[ $(id -u) -eq 0 && -w /proc/sys/net/ipv4/ip_local_reserved_ports ]]; then
  echo 36000-36001 > /proc/sys/net/ipv4/ip_local_reserved_ports || true
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OpenJpki.slnx -c Release -nologo -v q
# One test assembly at a time: the interop tests share one pcscd per machine.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test OpenJpki.slnx -c Release --no-build -nologo -m:1 "$@" 2>&1 | tee "$log" || status=$?
# One closing line for people and CI: the sum over all test assemblies.
awk '/(Passed|Failed)! +- +Failed: /{
  gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
