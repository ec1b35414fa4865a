#!/usr/bin/env bash
# The CPU an idle cluster node costs: starts a `sweep coordinator` and a `sweep worker` on a fresh SQLite store
# (nothing to compute), waits until both are up, then reads their CPU time (/proc/PID/stat, user + system) over
# a window. Extra environment for both nodes comes from the arguments (NAME=VALUE ...).
# Usage: bench/idle-cpu.sh [SECONDS] [NAME=VALUE ...]   (prints "coordinator X ms/s, worker Y ms/s")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
window="${1:-30}"; shift || true
dll="$root/src/SweepCluster.Cli/bin/Release/net10.0/sweep.dll"
[ -f "$dll" ] || dotnet build "$root/src/SweepCluster.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dir="$(mktemp -d)"
trap 'kill $coord $work 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# A sweep of one cheap unit: the worker computes it at once, then both nodes have nothing left to do.
printf 'name: idle\nd: 4\nN: 8\nc: 0.1\nseeds: 1\n' >"$dir/idle.yaml"
dotnet "$dll" submit "$dir/idle.yaml" --store "$dir/s.db" >/dev/null 2>&1
env "$@" dotnet "$dll" coordinator --store "$dir/s.db" >"$dir/coordinator.log" 2>&1 & coord=$!
sleep 5
env "$@" dotnet "$dll" worker --store "$dir/s.db" >"$dir/worker.log" 2>&1 & work=$!
for _ in $(seq 1 60); do grep -q "Registered with coordinator" "$dir/worker.log" && break; sleep 1; done
grep -q "Registered with coordinator" "$dir/worker.log" || { echo "the worker never registered:" >&2; tail -20 "$dir/worker.log" >&2; exit 1; }
# Past start-up: journal recovery, the first gossip rounds, and tiered JIT, which keeps recompiling the idle loops
# for about a minute (IDLE_WARMUP seconds, default 60).
sleep "${IDLE_WARMUP:-60}"
c0=$(cpu $coord); w0=$(cpu $work)
sleep "$window"
c1=$(cpu $coord); w1=$(cpu $work)
awk -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v t="$ticks" -v s="$window" \
  'BEGIN { printf "coordinator %.0f ms/s, worker %.0f ms/s\n", 1000 * c / t / s, 1000 * w / t / s }'
