#!/usr/bin/env bash
# The S-13 cost the spec quotes for its numpy reference implementation: gl at d = 64, N = 4096, 200 draws, with the
# optimal empirical denoiser run through the DDPM sampler for both models of the cross-set pair (the spec measured
# 20 s). Times `sweep cell --family gl` REPEATS times (wall seconds, peak RSS) and prints the median.
# Usage: bench/gl-empirical.sh [REPEATS] [N]   (defaults 3 and 4096)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-3}"; n="${2:-4096}"
dll="$root/src/SweepCluster.Cli/bin/Release/net10.0/sweep.dll"
[ -f "$dll" ] || dotnet build "$root/src/SweepCluster.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
times=()
for i in $(seq 1 "$repeats"); do
  out="$( { /usr/bin/time -f '%e %M' dotnet "$dll" cell --family gl --d 64 --N "$n" --k 0 --c 1e-4 --draws 200 --compact >/dev/null; } 2>&1 | tail -1)"
  echo "run $i: ${out%% *} s, peak RSS $(( ${out##* } / 1024 )) MiB"
  times+=("${out%% *}")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "median %.2f s = %.2f of the spec'"'"'s 20 s numpy reference (goal <= 0.5)\n", m, m/20}'
