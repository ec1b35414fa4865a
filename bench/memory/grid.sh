#!/usr/bin/env bash
# Writes gE.yaml, a grid of 10^E cells for the memory benchmark: the cheapest cells there are (d = 2, T = 2,
# one reported step), 10^(E-2) N x 10 c points, 9 seeds and a theory cell each; units of 10 cells.
set -euo pipefail
e="$1"; p=$((10 ** (e - 2)))
cat > "g$e.yaml" <<GRID
name: g$e
d: 2
N: {linspace: [4, $((p + 3)), $p]}
c: {linspace: [0, 0.9, 10]}
T: 2
t: [0]
seeds: 9
spectral_grid: 100
GRID
