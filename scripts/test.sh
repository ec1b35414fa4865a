#!/usr/bin/env bash
# The test command of the README: installs what the tests need on a fresh Debian machine (OpenBLAS,
# Chromium, PostgreSQL), starts PostgreSQL on 127.0.0.1, then builds and runs every test project. Safe to run again.
# Extra arguments go to `dotnet test` (for example --filter FullyQualifiedName~Storage).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need_apt=()
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libopenblas.so.0 ] || need_apt+=(libopenblas0-pthread)
# Headless Chromium renders report.html in the report test (a person's view of the page).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# PostgreSQL on 127.0.0.1 for the store contract suite and the cluster fault tests (installs it if missing).
eval "$(bash "$root/scripts/postgres.sh")"
export SWEEP_TEST_POSTGRES

dotnet build SweepCluster.sln -c Release -nologo -v quiet -clp:ErrorsOnly
# One test project at a time: the end-to-end and fault tests start processes that use every core and
# restart the shared PostgreSQL server, so they must not run beside another project's tests.
status=0
for project in tests/*/*.csproj; do
  echo "test.sh: $(basename "$project" .csproj)" >&2
  dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" || status=1
done
exit $status
