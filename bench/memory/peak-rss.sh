#!/usr/bin/env bash
# Peak resident memory of the CLI's commands as a sweep grows (docs/benchmarks.md, "Memory").
# Usage: bench/memory/peak-rss.sh SWEEP_BINARY WORK_DIR [SIZES]
#   SIZES: exponents of the cell counts, default "4 5 6" (10^4, 10^5, 10^6 cells).
# WORK_DIR must hold gN.yaml (bench/memory/grid.sh N writes them) and stores/gN.db with every result
# (`dotnet run -c Release --project bench/SweepCluster.Bench -- fill-store gN.yaml TEMPLATE.db stores/gN.db`).
# Prints one Markdown row per command and size: command, cells, peak RSS (MiB), wall time (s), exit code.
set -uo pipefail
bin="$1"; work="$2"; sizes="${3:-4 5 6}"
cd "$work"
measure() { # label cells command...
  local label="$1" cells="$2"; shift 2
  local log; log="$(mktemp)"
  /usr/bin/time -v "$@" > /dev/null 2> "$log"; local rc=$?
  local kb; kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$log")"
  local wall; wall="$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$log")"
  printf '| %s | %s | %.0f | %s | %s |\n' "$label" "$cells" "$((kb / 1024))" "$wall" "$rc"
  rm -f "$log"
}
for e in $sizes; do
  cells="10^$e"
  store="stores/g$e.db"
  rm -rf "submit-g$e.db" "out-g$e"
  measure validate "$cells" "$bin" validate "g$e.yaml"
  measure submit "$cells" "$bin" submit "g$e.yaml" --store "submit-g$e.db"
  measure status "$cells" "$bin" status --store "$store"
  measure "export csv" "$cells" "$bin" export --store "$store" --out "out-g$e/csv"
  measure "export jsonl" "$cells" "$bin" export --store "$store" --out "out-g$e/jsonl" --format jsonl
  measure report "$cells" "$bin" report --store "$store" --out "out-g$e/report"
  rm -f "submit-g$e.db"*
done
