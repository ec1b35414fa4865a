#!/usr/bin/env bash
# Singleton failover after SIGKILL, with the settings of cluster-config/local.json: two `sweep coordinator`
# processes and one worker on a PostgreSQL store on 127.0.0.1; the singleton's host is killed once the
# worker computes, and the script reports how long until the standby's coordinator has recovered from the
# journal and until the worker has registered with it. Usage: bench/failover.sh [REPEATS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
eval "$(bash "$root/scripts/postgres.sh")"
"$root/sweep" --help >/dev/null
sweep="$root/artifacts/cli/sweep"
psql_url="${SWEEP_TEST_POSTGRES/#postgres:/postgresql:}"
grid="$(mktemp --suffix=.yaml)"
printf 'name: failover\nd: 400\nN: [200, 400, 800, 1600]\nk: [0, 1]\nc: 1e-4\nseeds: 40\n' > "$grid"

wait_for() { # FILE TEXT
  for _ in $(seq 1 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "failover.sh: timed out waiting for '$2' in $1" >&2; return 1
}

for run in $(seq 1 "${1:-3}"); do
  dir="$(mktemp -d)"; cd "$dir"
  schema="failover_$$_$run"
  psql "$psql_url" -qc "CREATE SCHEMA $schema" >/dev/null
  export SWEEP_STORE="$SWEEP_TEST_POSTGRES?Search%20Path=$schema"
  "$sweep" submit "$grid" >/dev/null 2>&1
  "$sweep" coordinator failover >/dev/null 2>a.err & first=$!
  wait_for a.err "started at sequence"
  "$sweep" coordinator failover >/dev/null 2>b.err & standby=$!
  "$sweep" worker --slots 1 >/dev/null 2>w.err & worker=$!
  wait_for w.err "Registered with coordinator"; wait_for b.err "is up"
  sleep 3
  start=$(date +%s.%N); kill -9 "$first"
  wait_for b.err "started at sequence"; recovered=$(date +%s.%N)
  wait_for w.err "new coordinator incarnation"; registered=$(date +%s.%N)
  printf 'run %d: coordinator recovered on the standby after %.1f s, worker registered with it after %.1f s\n' \
    "$run" "$(echo "$recovered - $start" | bc)" "$(echo "$registered - $start" | bc)"
  kill "$standby" "$worker" 2>/dev/null || true; wait 2>/dev/null || true
  psql "$psql_url" -qc "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
done
