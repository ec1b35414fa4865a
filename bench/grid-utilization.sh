#!/usr/bin/env bash
# Wall time of a real grid through `sweep run` against the sum of its units' compute times:
# utilisation = sum(unit durations) / (wall time x workers). Results go to docs/benchmarks.md by hand.
# Usage: bench/grid-utilization.sh [GRID] [WORKERS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
grid="${1:-$root/bench/grids/fig1l.yaml}"
workers="${2:-$(nproc)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/sweep" --help >/dev/null   # build outside the timing
start=$(date +%s.%N)
"$root/sweep" run "$grid" --store "$tmp/bench.db" --out "$tmp/out" --workers "$workers" >/dev/null 2>"$tmp/log.txt"
end=$(date +%s.%N)
python3 - "$tmp/out/runs.csv" "$start" "$end" "$workers" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
busy = sum(float(r["duration_s"] or 0) for r in rows)
wall = float(sys.argv[3]) - float(sys.argv[2])
workers = int(sys.argv[4])
first = min(float(r["started_at"]) for r in rows)
last = max(float(r["finished_at"]) for r in rows)
span = last - first
print(f"units {len(rows)}, workers {workers}: wall {wall:.2f} s (process), compute span {span:.2f} s, "
      f"sum of unit times {busy:.2f} s, utilisation {busy / (span * workers):.1%} of the compute span, "
      f"{busy / (wall * workers):.1%} of the whole process")
PY
