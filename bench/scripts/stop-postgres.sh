#!/usr/bin/env bash
# Stops the benchmark PostgreSQL server started by start-postgres.sh and deletes its data.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
ROOT=${JPKI_BENCH_PG_DIR:-/tmp/jpki-bench-pg}
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [[ -f $ROOT/data/postmaster.pid ]]; then
  as_pg "$BIN/pg_ctl" stop -m fast -w -D "$ROOT/data" >/dev/null
fi
rm -rf "$ROOT"
