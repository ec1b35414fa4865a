#!/bin/sh
# Submits every grid file (*.yaml, *.yml) of the sweep-grids ConfigMap, mounted at /grids, to the
# store. Runs as the init container of every coordinator pod (and of every Job worker), so that the
# sweeps are in the store before anything watches or works on them.
#
# `sweep submit` is idempotent: a grid already in the store adds nothing and recomputes nothing, an
# edited grid adds only its new cells. So running this again (both coordinators starting at once, a
# rolling update, twenty Job workers at once) is safe.
#
# While the store is unreachable (the database may still be starting) a submission is retried; a
# grid the command rejects (exit code 2: bad input) stops at once with the command's message.
#
# Environment (all optional): SWEEP_BIN (/app/sweep), SWEEP_GRIDS_DIR (/grids),
# SWEEP_STORE_FILE (/var/run/secrets/sweep/store-url), SWEEP_SUBMIT_ATTEMPTS (60),
# SWEEP_SUBMIT_DELAY_SECONDS (5).
set -u

sweep="${SWEEP_BIN:-/app/sweep}"
grids="${SWEEP_GRIDS_DIR:-/grids}"
store_file="${SWEEP_STORE_FILE:-/var/run/secrets/sweep/store-url}"
attempts="${SWEEP_SUBMIT_ATTEMPTS:-60}"
delay="${SWEEP_SUBMIT_DELAY_SECONDS:-5}"

found=0
for grid in "$grids"/*.yaml "$grids"/*.yml; do
  [ -f "$grid" ] || continue
  found=$((found + 1))
  try=1
  while :; do
    "$sweep" submit "$grid" --store-file "$store_file"
    rc=$?
    if [ "$rc" -eq 0 ]; then
      break
    fi
    if [ "$rc" -eq 2 ]; then
      echo "submit-grids: $grid was rejected (exit code 2); fix it and update the sweep-grids ConfigMap" >&2
      exit 2
    fi
    if [ "$try" -ge "$attempts" ]; then
      echo "submit-grids: $grid could not be submitted after $try tries (last exit code $rc)" >&2
      exit "$rc"
    fi
    echo "submit-grids: submitting $grid failed (exit code $rc, try $try of $attempts); retrying in ${delay} s" >&2
    try=$((try + 1))
    sleep "$delay"
  done
done

if [ "$found" -eq 0 ]; then
  echo "submit-grids: no grid file (*.yaml, *.yml) in $grids; create the sweep-grids ConfigMap (docs/kubernetes.md)" >&2
  exit 2
fi
echo "submit-grids: $found grid(s) submitted" >&2
