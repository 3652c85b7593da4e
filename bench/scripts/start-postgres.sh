#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 server for the registry benchmarks and prints the export line for
# JPKI_BENCH_POSTGRES. As root it runs the server as the `postgres` system user. Default settings, so
# commits are fsynced (synchronous_commit=on) exactly as in production.
#
#   eval "$(bench/scripts/start-postgres.sh)"      # starts on 127.0.0.1:55432, data in /tmp/jpki-bench-pg
#   bench/scripts/stop-postgres.sh                   # stops it and deletes the data
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
ROOT=${JPKI_BENCH_PG_DIR:-/tmp/jpki-bench-pg}
PORT=${JPKI_BENCH_PG_PORT:-55432}
if [[ ! -x $BIN/initdb ]]; then
  echo "start-postgres.sh: install postgresql-15 (apt-get install -y postgresql-15)" >&2
  exit 2
fi
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$ROOT"
if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$ROOT"; fi
if [[ ! -f $ROOT/data/PG_VERSION ]]; then
  as_pg "$BIN/initdb" -D "$ROOT/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
fi
as_pg "$BIN/pg_ctl" start -w -D "$ROOT/data" -l "$ROOT/server.log" \
  -o "-p $PORT -k $ROOT -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" >/dev/null
echo "export JPKI_BENCH_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres'"
