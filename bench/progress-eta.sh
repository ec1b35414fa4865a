#!/usr/bin/env bash
# How true the ETA is: runs each grid with `sweep run` (a fresh SQLite store, one progress look a second) and
# compares the ETA logged when the progress first reaches 10 % (and 25 %, 50 %) of the predicted work with the
# time the sweep then really took. The goal (issue 13): within 25 % after 10 % of a sweep.
# Usage: bench/progress-eta.sh [GRID ...]   (default: the five paper grids)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dll="$root/src/SweepCluster.Cli/bin/Release/net10.0/sweep.dll"
[ -f "$dll" ] || dotnet build "$root/src/SweepCluster.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
[ $# -gt 0 ] || set -- "$root"/examples/paper/*.yaml
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf '%-28s %8s  %s\n' grid "total s" "at 10 % / 25 % / 50 %: ETA s vs real s (error)"
for grid in "$@"; do
  name="$(basename "$grid" .yaml)"
  Sweep__ProgressIntervalSeconds=1 dotnet "$dll" run "$grid" --store "$dir/$name.db" --out "$dir/$name" \
    --log-json "$dir/$name.jsonl" >/dev/null 2>"$dir/$name.err" || { echo "$name: run failed" >&2; tail -5 "$dir/$name.err" >&2; exit 1; }
  python3 - "$dir/$name.jsonl" "$name" <<'PY'
import json, sys
from datetime import datetime
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t = lambda e: datetime.fromisoformat(e["@t"].replace("Z", "+00:00")).timestamp()
progress = [e for e in lines if "Percent" in e and "of the predicted work" in e.get("@m", "")]
end = max(t(e) for e in lines if " complete: " in e.get("@m", "") or " finished with " in e.get("@m", ""))
start = t(progress[0])
out = []
for mark in (10, 25, 50):
    at = next((e for e in progress if e["Percent"] >= mark and e.get("EtaSeconds") is not None), None)
    if at is None:
        out.append(f"{mark} %: -")
        continue
    real = end - t(at)
    eta = at["EtaSeconds"]
    out.append(f"{eta:.0f} vs {real:.0f} ({(eta - real) / real:+.0%})" if real > 0 else f"{eta:.0f} vs 0")
print(f"{sys.argv[2]:<28} {end - start:8.1f}  " + " / ".join(out))
PY
done
